"""The catalogue client and a library server whose catalogue is for its accounts only (issue 13
item 13): the signed-in server's token under its address, Basic elsewhere, and the saved
password when the token is refused. The project's server on 127.0.0.1, real books."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync.auth import AuthenticationRequired, StaticCredentials
from sync.catalog import CatalogClient
from sync.feed_cache import FeedCache
from sync.http import HttpClient, HttpPolicy
from tests.support.docgen import make_pdf
from tests.support.library_server import LibraryServer, serving

USER, PASSWORD = "talaba", "kutubxona-parol-2026"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LibraryServer]:
    books = tmp_path / "books"
    make_pdf(books / "kecha.pdf", ["Kecha va kunduz"], title="Kecha va kunduz")
    with serving(tmp_path / "server", books, catalog="accounts") as running:
        running.add_user(USER, PASSWORD)
        yield running


def _token(server: LibraryServer) -> str:
    answer = requests.post(
        f"{server.url}/api/v1/login",
        json={"user": USER, "password": PASSWORD, "device": "pc"},
        timeout=30,
    )
    token: str = answer.json()["token"]
    return token


def _client(tmp_path: Path, **options: object) -> CatalogClient:
    http = HttpClient(HttpPolicy(max_retries=0))
    return CatalogClient(http, FeedCache(tmp_path / "cache"), **options)  # type: ignore[arg-type]


def test_the_token_opens_the_signed_in_servers_catalogue_and_covers(
    server: LibraryServer, tmp_path: Path
) -> None:
    token = _token(server)
    asked: list[str] = []

    def tokens(url: str) -> str | None:
        asked.append(url)
        return token if url.startswith(server.url + "/") else None

    client = _client(tmp_path, tokens=tokens)
    result = client.feed(f"{server.url}/opds/new")
    [entry] = result.feed.entries
    assert entry.title == "Kecha va kunduz"
    assert entry.thumbnail
    cover = client.cover(entry.thumbnail)
    assert cover.content_type == "image/png"
    assert asked == [f"{server.url}/opds/new", entry.thumbnail]


def test_without_a_token_the_server_asks_for_a_password(
    server: LibraryServer, tmp_path: Path
) -> None:
    with pytest.raises(AuthenticationRequired) as asked:
        _client(tmp_path, tokens=lambda url: None).feed(f"{server.url}/opds")
    assert asked.value.scheme == "basic"
    assert asked.value.document is not None
    assert asked.value.title == "Mutolaa library"
    # an OPDS reader's way: Basic with the account's name and password
    credentials = StaticCredentials({server.url: (USER, PASSWORD)})
    assert _client(tmp_path, credentials=credentials).feed(f"{server.url}/opds").feed.title


def test_a_revoked_token_leaves_the_saved_password_to_answer(
    server: LibraryServer, tmp_path: Path
) -> None:
    token = _token(server)
    requests.post(
        f"{server.url}/api/v1/logout", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    credentials = StaticCredentials({server.url: (USER, PASSWORD)})
    client = _client(tmp_path, credentials=credentials, tokens=lambda url: token)
    assert client.feed(f"{server.url}/opds/new").feed.entries
    with pytest.raises(AuthenticationRequired):
        _client(tmp_path / "b", tokens=lambda url: token).feed(f"{server.url}/opds/new")
