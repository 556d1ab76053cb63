"""The settings' account use cases without Qt (app/services/sync/accounts.py), against the real
library server on 127.0.0.1: signing in (probe, login, the token kept) and turning KOReader
progress sync on (the key kept) give one outcome each, an untrusted certificate is said as such
by both, and a password only ever reaches a Mutolaa library server of this protocol.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.library.koreader_state import KoreaderState
from app.library.sync_state import SyncState
from app.services.session import Library
from app.services.sync.accounts import SignIn, TurnOn, sign_in, turn_on_koreader
from sync.koreader import user_key
from tests.support.fault_proxy import FaultProxy, ProxyFault
from tests.support.library_server import LibraryServer, serving
from tests.support.sessions import PROFILE, session_of
from tests.support.tls_library_server import CERTIFICATE, serving_https

USER = "talaba"
PASSWORD = "kutubxona-parol-2026"
KOREADER_PASSWORD = "kobo-da-oqiyman-2026"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LibraryServer]:
    """The library server with one user, her KOReader credential enabled."""
    with serving(tmp_path / "server") as running:
        running.add_user(USER, PASSWORD)
        running.accounts.set_koreader(USER, KOREADER_PASSWORD)
        yield running


@pytest.fixture
def closed() -> str:
    """An address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/"


class _OtherProtocol(http.server.BaseHTTPRequestHandler):
    """A Mutolaa library server of another protocol version: answers the probe, keeps the
    paths asked for."""

    asked: list[str] = []  # noqa: RUF012 - one server per test, read by the test

    def _answer(self) -> None:
        self.asked.append(f"{self.command} {self.path}")
        body = json.dumps({"server": "mutolaa", "protocol": 2}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def other_protocol() -> Iterator[tuple[str, list[str]]]:
    """The address of a server of protocol 2, and what was asked of it."""
    _OtherProtocol.asked = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OtherProtocol)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", _OtherProtocol.asked
    server.shutdown()
    server.server_close()


@pytest.fixture
def https_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LibraryServer]:
    """The library server over HTTPS with a self-signed certificate (not trusted: no
    ``MUTOLAA_CA_FILE``), the same user."""
    monkeypatch.delenv("MUTOLAA_CA_FILE", raising=False)
    with serving_https(tmp_path / "tls-server") as running:
        running.add_user(USER, PASSWORD)
        running.accounts.set_koreader(USER, KOREADER_PASSWORD)
        yield running


UNTRUSTED = "the server's certificate is not trusted (self-signed certificate)"


# --- signing in ------------------------------------------------------------------------------


def test_signing_in_keeps_the_token_and_never_the_password(
    server: LibraryServer, library: Library
) -> None:
    result = sign_in(session_of(library), server.url, USER, PASSWORD)
    assert result.outcome is SignIn.OK
    assert result.account is not None
    assert (result.account.server_url, result.account.username) == (f"{server.url}/", USER)
    assert result.account.token
    assert SyncState(library.store, profile_id=PROFILE).account() == result.account
    assert PASSWORD not in repr(result)


def test_each_refusal_of_the_server_is_its_own_outcome(
    server: LibraryServer, library: Library
) -> None:
    session = session_of(library)
    refused = sign_in(session, server.url, USER, "not-the-password")
    assert refused.outcome is SignIn.REFUSED
    assert refused.account is None
    assert "\n" not in refused.detail

    server.accounts.set_disabled(USER, True)
    assert sign_in(session, server.url, USER, PASSWORD).outcome is SignIn.DISABLED
    server.accounts.set_disabled(USER, False)

    outcomes = [sign_in(session, server.url, USER, "wrong").outcome for _ in range(5)]
    assert outcomes[-1] is SignIn.TOO_MANY  # the server waits now, even for the right one
    assert sign_in(session, server.url, USER, PASSWORD).outcome is SignIn.TOO_MANY
    assert SyncState(library.store, profile_id=PROFILE).account() is None


def test_no_answer_and_another_server_are_told_apart(
    server: LibraryServer, library: Library, closed: str
) -> None:
    session = session_of(library)
    unreachable = sign_in(session, closed, USER, PASSWORD)
    assert unreachable.outcome is SignIn.UNREACHABLE
    assert unreachable.detail
    # an HTTP server, but its API is not at this address
    assert sign_in(session, server.url + "/elsewhere/", USER, PASSWORD).outcome is (
        SignIn.NOT_MUTOLAA
    )
    assert SyncState(library.store, profile_id=PROFILE).account() is None


def test_another_protocol_is_said_and_never_sent_the_password(
    other_protocol: tuple[str, list[str]], library: Library
) -> None:
    url, asked = other_protocol
    result = sign_in(session_of(library), url, USER, PASSWORD)
    assert (result.outcome, result.detail) == (SignIn.FAILED, "protocol 2")
    assert asked
    assert all(line == "GET /api/v1/probe" for line in asked)  # no login was tried
    assert SyncState(library.store, profile_id=PROFILE).account() is None


def test_a_refusal_in_deeply_nested_json_is_one_line(
    server: LibraryServer, library: Library
) -> None:
    """Issue 13 item 2: the login's 401 in 100 KB of nested ``[`` (the probe is real)."""
    with FaultProxy(server.url) as proxy:
        proxy.fault("/api/v1/login", ProxyFault("status", status=401, body=b"[" * 100_000))
        result = sign_in(session_of(library), proxy.base, USER, PASSWORD)
        assert proxy.errors == []
    assert result.outcome is SignIn.REFUSED
    assert result.detail
    assert "\n" not in result.detail
    assert SyncState(library.store, profile_id=PROFILE).account() is None


# --- turning KOReader progress sync on -------------------------------------------------------


def test_turning_koreader_on_keeps_the_key(server: LibraryServer, library: Library) -> None:
    result = turn_on_koreader(session_of(library), server.url, USER, KOREADER_PASSWORD)
    assert result.outcome is TurnOn.OK
    assert result.account is not None
    assert result.account.key == user_key(KOREADER_PASSWORD)
    assert KoreaderState(library.store, profile_id=PROFILE).account() == result.account


def test_turning_koreader_on_gives_one_outcome_for_each_failure(
    server: LibraryServer, library: Library, closed: str
) -> None:
    session = session_of(library)
    refused = turn_on_koreader(session, server.url, USER, "not-the-kobo-password")
    assert refused.outcome is TurnOn.REFUSED
    assert "not-the-kobo-password" not in refused.detail
    assert turn_on_koreader(session, closed, USER, KOREADER_PASSWORD).outcome is (
        TurnOn.UNREACHABLE
    )
    elsewhere = turn_on_koreader(session, server.url + "/elsewhere/", USER, KOREADER_PASSWORD)
    assert elsewhere.outcome is TurnOn.NOT_KOREADER
    assert "\n" not in elsewhere.detail
    assert KoreaderState(library.store, profile_id=PROFILE).account() is None


# --- an untrusted certificate ----------------------------------------------------------------


def test_an_untrusted_certificate_is_said_by_both_and_nothing_is_kept(
    https_server: LibraryServer, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, url = session_of(library), https_server.url
    signed = sign_in(session, url, USER, PASSWORD)
    assert (signed.outcome, signed.detail) == (
        SignIn.FAILED,
        f"{url}/api/v1/probe: {UNTRUSTED}",
    )
    turned = turn_on_koreader(session, url, USER, KOREADER_PASSWORD)
    assert (turned.outcome, turned.detail) == (TurnOn.UNTRUSTED, f"{url}/users/auth: {UNTRUSTED}")
    assert SyncState(library.store, profile_id=PROFILE).account() is None
    assert KoreaderState(library.store, profile_id=PROFILE).account() is None

    # its authority given, the same server is trusted: it was only the certificate
    monkeypatch.setenv("MUTOLAA_CA_FILE", str(CERTIFICATE))
    assert sign_in(session, url, USER, PASSWORD).outcome is SignIn.OK
    assert turn_on_koreader(session, url, USER, KOREADER_PASSWORD).outcome is TurnOn.OK
