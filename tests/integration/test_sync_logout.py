"""Signing out revokes the token at the library server (issue 13 item 5): `mutolaa account
logout` against the real server on 127.0.0.1, with the server there and with it away (the
token then waits, and the next sync revokes it); and the warning before a password is asked
for an address that would carry it in clear."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from app.core.errors import UserError
from app.core.paths import resolve_paths
from app.library.sync_state import SyncState
from app.services.session import Library
from app.services.sync.run import sync_all
from sync.cleartext import password_in_clear
from tests.support.cli import mutolaa
from tests.support.library_server import serving
from tests.support.sessions import PROFILE, session_of

USER, PASSWORD = "talaba", "kutubxona-parol-2026"
WARNING = "is not encrypted (http://): the password crosses the network in clear"


def _pull(url: str, token: str) -> int:
    answer = requests.get(
        f"{url}/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return answer.status_code


def _state(pc: Path) -> tuple[str, list[str]]:
    """The token kept here and the tokens waiting to be revoked."""
    with Library(resolve_paths(pc)) as library:
        state = SyncState(library.store, PROFILE)
        account = state.account()
        return (account.token if account else ""), [r.token for r in state.revocations()]


def test_logout_revokes_the_token_at_the_server(tmp_path: Path) -> None:
    pc = tmp_path / "pc"
    with serving(tmp_path / "server") as server:
        server.add_user(USER, PASSWORD)
        signed = mutolaa(pc, "account", "login", server.url, USER, stdin=PASSWORD + "\n")
        assert WARNING not in signed.stderr  # http:// to 127.0.0.1: this computer
        token, waiting = _state(pc)
        assert _pull(server.url, token) == 200
        assert waiting == []

        out = mutolaa(pc, "account", "logout").stdout
        assert (
            out
            == "signed out; the server no longer accepts this device's token (notes stay here)\n"
        )
        assert _pull(server.url, token) == 401
        assert _state(pc) == ("", [])
        assert mutolaa(pc, "account", "logout").stdout == "not signed in\n"


def test_logout_with_the_server_away_revokes_at_the_next_sync(tmp_path: Path) -> None:
    pc, data = tmp_path / "pc", tmp_path / "server"
    with serving(data) as server:
        server.add_user(USER, PASSWORD)
        mutolaa(pc, "account", "login", server.url, USER, stdin=PASSWORD + "\n")
        url, port = server.url, int(server.url.rsplit(":", 1)[1])
    token, _ = _state(pc)

    out = mutolaa(pc, "account", "logout", "--json").stdout
    assert '"waiting": 1' in out
    assert mutolaa(pc, "account", "logout").stdout == "not signed in\n"
    assert _state(pc) == ("", [token])  # forgotten here, kept only to be revoked
    for path in pc.rglob("*"):  # kept encrypted like the token itself (item 1)
        assert not path.is_file() or token.encode() not in path.read_bytes(), path

    with serving(data, port=port) as again:
        assert again.url == url
        assert _pull(url, token) == 200  # still valid there
        with (
            Library(resolve_paths(pc)) as library,
            pytest.raises(UserError, match="not signed in"),
        ):
            sync_all(session_of(library))  # the sync revokes it, then says what to do
        assert _pull(url, token) == 401
        assert _state(pc) == ("", [])


def test_signing_in_again_revokes_the_previous_token(tmp_path: Path) -> None:
    pc = tmp_path / "pc"
    with serving(tmp_path / "server") as server:
        server.add_user(USER, PASSWORD)
        mutolaa(pc, "account", "login", server.url, USER, stdin=PASSWORD + "\n")
        first, _ = _state(pc)
        mutolaa(pc, "account", "login", server.url, USER, stdin=PASSWORD + "\n")
        second, waiting = _state(pc)
        assert (_pull(server.url, first), _pull(server.url, second), waiting) == (401, 200, [])


@pytest.mark.parametrize(
    ("url", "in_clear"),
    [
        ("http://example.org/", True),
        ("http://203.0.113.5:9/", True),
        ("HTTP://kutubxona.uz:8080/api", True),
        ("http://[2001:db8::1]/", True),
        ("http://100.64.0.1/", True),  # carrier-grade NAT: the provider's network, not yours
        ("http://127.0.0.1:8080/", False),
        ("http://localhost/", False),
        ("http://192.168.1.5/", False),
        ("http://10.0.0.7/", False),
        ("http://172.20.1.1/", False),
        ("http://169.254.10.1/", False),
        ("http://[::1]:8080/", False),
        ("http://[fd12:3456::1]/", False),
        ("http://[fe80::1%25eth0]/", False),
        ("http://[::ffff:192.168.1.5]/", False),
        ("https://example.org/", False),
        ("ftp://example.org/", False),
        ("not a url", False),
    ],
)
def test_which_addresses_carry_a_password_in_clear(url: str, in_clear: bool) -> None:
    assert password_in_clear(url) is in_clear


def test_login_warns_in_one_line_before_the_password_for_a_public_http_address(
    tmp_path: Path,
) -> None:
    # no password on stdin: the command stops after the warning, before any connection
    done = mutolaa(tmp_path / "pc", "account", "login", "http://203.0.113.5:9/", USER, ok=False)
    lines = done.stderr.splitlines()
    assert lines == [
        f"mutolaa: warning: http://203.0.113.5:9/ {WARNING}; use https:// unless the server is "
        "on this computer or network",
        "mutolaa: account login: the password is empty",
    ]
    for quiet in ("https://203.0.113.5:9/", "http://192.168.1.5:9/"):
        done = mutolaa(tmp_path / "pc", "account", "login", quiet, USER, ok=False)
        assert done.stderr == "mutolaa: account login: the password is empty\n"
