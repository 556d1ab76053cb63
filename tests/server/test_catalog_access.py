"""Who may read the OPDS catalogue (issue 13 item 13): `--catalog accounts` (the default) lets
only the server's accounts in — a Mutolaa token or Basic name and password — and `public`
anyone. A real server on 127.0.0.1 over real books."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync.auth import parse_auth_document
from sync.server.accounts import FREE_FAILURES, Accounts
from sync.server.basic_auth import BasicVerifier, basic_pair
from sync.server.catalog_access import ACCESS, BASIC_AUTH_TYPE
from sync.server.cli import CATALOG_ACCESS
from sync.server.storage import Storage, UserRecord
from tests.server.test_cli import _serving
from tests.support.docgen import make_pdf
from tests.support.library_server import LibraryServer, serving

USER, PASSWORD = "oʻquvchi", "kutubxona-parol-2026"  # a name with the Uzbek ʻ (UTF-8 Basic)


def _basic(user: str, password: str) -> dict[str, str]:
    pair = f"{user}:{password}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _status(url: str, headers: dict[str, str] | None = None) -> int:
    return requests.get(url, headers=headers, timeout=30).status_code


CHALLENGE = 'Basic realm="Mutolaa library", charset="UTF-8"'


@pytest.fixture
def books(tmp_path: Path) -> Path:
    folder = tmp_path / "books"
    make_pdf(folder / "kecha.pdf", ["Kecha va kunduz"], title="Kecha va kunduz")
    return folder


@pytest.fixture
def members_only(tmp_path: Path, books: Path) -> Iterator[LibraryServer]:
    with serving(tmp_path / "server", books, catalog="accounts") as running:
        running.add_user(USER, PASSWORD)
        yield running


def _urls(server: LibraryServer) -> list[str]:
    """The catalogue's root (both versions), a feed, the OpenSearch description, the book's
    cover and thumbnail and its file (read with a password)."""
    feed = requests.get(f"{server.url}/opds/v2/new", headers=_basic(USER, PASSWORD), timeout=30)
    assert feed.status_code == 200, feed.text
    [publication] = feed.json()["publications"]
    images = [server.url + image["href"] for image in publication["images"]]
    [link] = [link for link in publication["links"] if "acquisition" in link["rel"]]
    assert images
    return [
        f"{server.url}/opds",
        f"{server.url}/opds/v2",
        f"{server.url}/opds/new",
        f"{server.url}/opds/opensearch.xml",
        *images,
        server.url + link["href"],
    ]


def _login(server: LibraryServer, password: str = PASSWORD) -> requests.Response:
    return requests.post(
        f"{server.url}/api/v1/login",
        json={"user": USER, "password": password, "device": "pc"},
        timeout=30,
    )


def test_anonymous_requests_get_a_basic_challenge_and_the_authentication_document(
    members_only: LibraryServer,
) -> None:
    for url in _urls(members_only):
        answer = requests.get(url, timeout=30)
        assert answer.status_code == 401, url
        assert answer.headers["WWW-Authenticate"] == CHALLENGE
        assert answer.headers["Content-Type"] == "application/opds-authentication+json"
        document = parse_auth_document(answer.content, url)
        assert document.title == "Mutolaa library"
        assert [m.type for m in document.methods] == [BASIC_AUTH_TYPE]
        assert document.methods[0].login_label == "User name"


def test_the_right_password_or_a_token_opens_every_part(members_only: LibraryServer) -> None:
    login = _login(members_only)
    assert login.status_code == 200
    token = login.json()["token"]
    for url in _urls(members_only):
        for headers in (_basic(USER, PASSWORD), _bearer(token)):
            answer = requests.get(url, headers=headers, timeout=30)
            assert answer.status_code == 200, (url, answer.text)
            assert answer.content
    # a revoked token no longer opens it
    requests.post(f"{members_only.url}/api/v1/logout", headers=_bearer(token), timeout=30)
    assert _status(f"{members_only.url}/opds", _bearer(token)) == 401


def test_a_wrong_password_is_a_failed_login_for_the_login_limit(
    members_only: LibraryServer,
) -> None:
    url = f"{members_only.url}/opds"
    assert _status(url, _basic(USER, PASSWORD)) == 200  # the pair is verified, and kept
    for _ in range(FREE_FAILURES):
        answer = requests.get(url, headers=_basic(USER, "wrong-password"), timeout=30)
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Basic ")
        assert b"rong user name or password" in answer.content
    # then each further try of this name from this address waits: the right password too, even
    # though it was verified a moment ago (the pair taken on trust answers no guess)
    assert _status(url, _basic(USER, "x" * 9)) == 429
    limited = requests.get(url, headers=_basic(USER, PASSWORD), timeout=30)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert _login(members_only).status_code == 429


def test_a_disabled_account_is_403_and_a_new_password_takes_effect_at_once(
    members_only: LibraryServer,
) -> None:
    url = f"{members_only.url}/opds"
    assert _status(url, _basic(USER, PASSWORD)) == 200
    members_only.accounts.reset(USER, "a-new-password-1")  # the old pair was verified lately
    assert _status(url, _basic(USER, PASSWORD)) == 401
    assert _status(url, _basic(USER, "a-new-password-1")) == 200
    members_only.accounts.set_disabled(USER, True)
    refused = requests.get(url, headers=_basic(USER, "a-new-password-1"), timeout=30)
    assert refused.status_code == 403
    assert "disabled" in refused.text


def test_a_public_catalogue_needs_no_login(tmp_path: Path, books: Path) -> None:
    with serving(tmp_path / "server", books, catalog="public") as running:
        running.add_user(USER, PASSWORD)
        for url in _urls(running):
            assert requests.get(url, timeout=30).status_code == 200, url
        # the sync API still needs its token
        assert requests.get(f"{running.url}/api/v1/sync/pull", timeout=30).status_code == 401


def test_mutolaa_server_serve_asks_for_accounts_by_default(tmp_path: Path, books: Path) -> None:
    assert CATALOG_ACCESS == ACCESS  # the command's choices, written out there without Flask
    with _serving(tmp_path / "data", "--books", str(books)) as (_process, url):
        assert requests.get(f"{url}/opds", timeout=30).status_code == 401


def test_a_verified_pair_is_checked_with_scrypt_once_in_a_while(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "data")
    accounts = Accounts(storage)
    accounts.add(USER, PASSWORD)
    checks: list[str] = []
    check_login = accounts.check_login

    def counted(name: str, password: str, address: str) -> UserRecord:
        checks.append(name)
        return check_login(name, password, address)

    accounts.check_login = counted  # type: ignore[method-assign]
    now = [1000.0]
    verifier = BasicVerifier(accounts, clock=lambda: now[0])
    for _ in range(20):
        assert verifier.check(USER, PASSWORD, "10.0.0.1").name == USER
    assert len(checks) == 1
    with pytest.raises(Exception, match="wrong user name or password"):
        verifier.check(USER, PASSWORD + "x", "10.0.0.1")
    assert len(checks) == 2  # a wrong pair is never taken from the kept ones
    now[0] += 301
    verifier.check(USER, PASSWORD, "10.0.0.1")
    assert len(checks) == 3  # a kept pair is checked again after five minutes


@pytest.mark.parametrize(
    ("header", "pair"),
    [
        ("Basic " + base64.b64encode("oʻquvchi:pa:ss".encode()).decode(), ("oʻquvchi", "pa:ss")),
        ("basic " + base64.b64encode(b"ali:\xe9t\xe9").decode(), ("ali", "été")),  # Latin-1
        ("Basic bm8tY29sb24=", None),  # "no-colon"
        ("Basic !!!", None),
        ("Bearer abc", None),
        ("", None),
    ],
)
def test_basic_headers_are_read_or_refused(header: str, pair: tuple[str, str] | None) -> None:
    assert basic_pair(header) == pair
