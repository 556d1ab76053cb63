"""Deeply nested JSON from outside (issue 13, item 2): one line naming the URL, never a
RecursionError — from real servers on 127.0.0.1: an OPDS 2 feed, a 401's authentication
document, the library server's sync answers (a fault proxy answers in its place), KOReader's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.auth import AuthenticationRequired
from sync.catalog import CatalogClient
from sync.engine import NotSignedIn, SyncFailed, SyncServer
from sync.errors import CatalogError
from sync.feed_cache import FeedCache
from sync.http import HttpClient, HttpPolicy
from sync.jsondoc import MAX_DEPTH, TooDeepError, depth_exceeds, loads
from tests.support.catalog_server import CatalogServer
from tests.support.fault_proxy import FaultProxy, ProxyFault
from tests.support.library_server import LibraryServer, serving

POLICY = HttpPolicy(connect_timeout=2.0, read_timeout=5.0, max_retries=0)
DEEP = b"[" * 100_000  # about 100 KB of nested arrays, as the audit sent
TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"
PASSWORD = "correct horse battery"


def nested(depth: int, inner: str = "1") -> str:
    """`inner` inside `depth` arrays and objects, alternating."""
    text = inner
    for level in range(depth):
        text = f"[{text}]" if level % 2 else f'{{"k": {text}}}'
    return text


def one_line(message: str) -> None:
    assert message
    assert "\n" not in message
    assert "recursion" not in message.lower()


# -- the depth check itself -----------------------------------------------------------------


def test_the_limit_is_exact_and_brackets_inside_strings_do_not_count() -> None:
    assert loads(nested(MAX_DEPTH)) is not None
    with pytest.raises(TooDeepError, match=TOO_DEEP):
        loads(nested(MAX_DEPTH + 1))
    with pytest.raises(TooDeepError):
        loads(DEEP)
    tricky = json.dumps({"title": "[" * 500 + '\\"{' * 300, "list": [["]]]" * 50]]})
    assert not depth_exceeds(tricky, 3)
    assert loads(tricky)["list"][0][0].startswith("]]]")
    assert depth_exceeds(tricky, 2)


def test_bytes_are_decoded_as_json_loads_decodes_them() -> None:
    text = '{"kitob": ["Oʻzbek", "Ўзбек"]}'
    for encoding in ("utf-8", "utf-16", "utf-32"):
        assert loads(text.encode(encoding)) == json.loads(text.encode(encoding))
    with pytest.raises(json.JSONDecodeError):
        loads(b'{"broken": ')


# -- OPDS 2 feeds and authentication documents from a real catalogue server -------------------


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(POLICY) as client:
        yield client


def test_a_deep_opds2_feed_is_one_line_naming_its_url(tmp_path: Path, http: HttpClient) -> None:
    (tmp_path / "served").mkdir()
    (tmp_path / "served" / "deep.json").write_bytes(DEEP)
    server = CatalogServer(tmp_path / "served").start()
    url = f"{server.base}/deep.json"
    try:
        with pytest.raises(CatalogError) as caught:
            CatalogClient(http, FeedCache(tmp_path / "cache")).feed(url)
    finally:
        server.stop()
    assert str(caught.value) == f"{url}: OPDS 2 feed is {TOO_DEEP}"
    one_line(str(caught.value))


def test_a_deep_authentication_document_is_a_note_naming_the_url(
    tmp_path: Path, http: HttpClient
) -> None:
    (tmp_path / "served").mkdir()
    (tmp_path / "served" / "root.json").write_text('{"metadata": {}}', encoding="utf-8")
    server = CatalogServer(
        tmp_path / "served", auth="basic", password=PASSWORD, auth_document=DEEP
    ).start()
    url = f"{server.base}/root.json"
    try:
        with pytest.raises(AuthenticationRequired) as caught:
            CatalogClient(http, FeedCache(tmp_path / "cache")).feed(url)
    finally:
        server.stop()
    assert caught.value.document is None
    assert caught.value.title == "Mutolaa test catalogue"  # the realm still names the server
    assert caught.value.notes == (f"{url}: authentication document is {TOO_DEEP}",)


# -- the library server's sync answers, replaced on the wire ----------------------------------


@pytest.fixture
def library_server(tmp_path: Path) -> Iterator[LibraryServer]:
    with serving(tmp_path / "server-data") as server:
        server.add_user("alice", PASSWORD)
        yield server


def test_a_deep_sync_answer_is_one_line_naming_the_server(
    library_server: LibraryServer, http: HttpClient
) -> None:
    with FaultProxy(library_server.url) as proxy:
        client = SyncServer(proxy.base, http)
        client.login("alice", PASSWORD, "pc-1")  # a real answer, through the proxy
        proxy.fault("/api/v1/sync/pull", ProxyFault("status", status=200, body=DEEP))
        with pytest.raises(SyncFailed) as caught:
            client.pull(0)
        assert str(caught.value) == f"{proxy.base}/: the pull answer is {TOO_DEEP}"
        assert client.pull(0).changes == ()  # the next honest answer is read as always
        assert proxy.errors == []


def test_a_deep_401_answer_is_still_not_signed_in(
    library_server: LibraryServer, http: HttpClient
) -> None:
    with FaultProxy(library_server.url) as proxy:
        proxy.fault("/api/v1/sync/pull", ProxyFault("status", status=401, body=DEEP))
        with pytest.raises(NotSignedIn) as caught:
            SyncServer(proxy.base, http, "a-token").pull(0)
        assert proxy.errors == []
    message = str(caught.value)
    assert message.startswith(f"{proxy.base}/: pull: ")
    one_line(message)
