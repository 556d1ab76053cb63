"""The catalogue client against the Feedbooks test catalogue served for real on 127.0.0.1.

The catalogue is copied from ../shared/fixtures/opds, its links rewritten to loopback with the
fixture's own loopbackify.py (as serve_feedbooks_catalog.sh does) and served by
tests/support/catalog_server.py with ETags, Last-Modified, 304s and optional authentication.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.auth import AuthenticationRequired, StaticCredentials, challenge_scheme
from sync.catalog import CatalogClient, CatalogUnavailable
from sync.errors import CatalogError
from sync.feed_cache import FeedCache
from sync.folding import fold, matches
from sync.http import HttpClient, HttpPolicy
from tests.support.catalog_server import CatalogServer

PASSWORD = "s3cret-Pa55-ʻword"
POLICY = HttpPolicy(connect_timeout=2.0, read_timeout=5.0, max_retries=0)


def serve_feedbooks(opds: Path, tmp: Path, **options: object) -> CatalogServer:
    """Copy the Feedbooks catalogue, rewrite its links to the server's port, and serve it."""
    served = tmp / "served"
    server = CatalogServer(served, **options)  # type: ignore[arg-type]
    base = server.base
    subprocess.run(
        [
            sys.executable,
            str(opds / "loopbackify.py"),
            str(opds / "feedbooks-opds-test-catalog"),
            str(served),
            str(server.port),
            "https://feedbooks.github.io/opds-test-catalog/={base}/",
            "http://feedbooks.github.io/opds-test-catalog/={base}/",
            "http://www.feedbooks.com/book/52.epub={base}/assets/moby/file.epub",
        ],
        check=True,
        capture_output=True,
    )
    for path in [*served.rglob("*.xml"), *served.rglob("*.json")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('"/opds-test-catalog/', '"/'), encoding="utf-8")
    assert base.endswith(str(server.port))
    return server.start()


@pytest.fixture
def catalog(opds: Path, tmp_path: Path) -> Iterator[CatalogServer]:
    server = serve_feedbooks(opds, tmp_path)
    yield server
    server.stop()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[CatalogClient]:
    with HttpClient(POLICY) as http:
        yield CatalogClient(http, FeedCache(tmp_path / "cache"))


def test_browse_root_navigation_and_paged_acquisition_feed(
    catalog: CatalogServer, client: CatalogClient
) -> None:
    root = client.feed(f"{catalog.base}/catalog/root.xml")
    assert (root.from_cache, root.stale) == (False, False)
    assert root.feed.title == "Test Catalog Root"
    assert root.feed.kind == "navigation"
    titles = {item.title: item.href for item in root.feed.navigation}
    assert titles["First Acquisition feed"] == f"{catalog.base}/catalog/acquisition/main.xml"

    pages = list(client.pages(titles["First Acquisition feed"], limit=10))
    assert [page.feed.title for page in pages] == ["First Acquisition Feed", "Second Page"]
    assert pages[0].feed.kind == "acquisition"
    assert any(entry.title == "Pride and Prejudice" for entry in pages[0].feed.entries)
    assert [entry.title for entry in pages[1].feed.entries] == ["Paging: Page 2 item"]
    assert len(list(client.pages(titles["First Acquisition feed"], limit=1))) == 1


def test_revalidation_gets_304_and_the_cached_copy(
    catalog: CatalogServer, client: CatalogClient
) -> None:
    url = f"{catalog.base}/catalog/root.xml"
    first = client.feed(url)
    second = client.feed(url)
    assert catalog.statuses("/catalog/root.xml") == [200, 304]
    assert (second.from_cache, second.stale) == (True, False)
    assert second.feed == first.feed
    meta = client.cache.get(url)
    assert meta is not None
    assert meta.meta.etag.startswith('"')
    assert meta.meta.last_modified.endswith("GMT")
    assert meta.meta.final_url == url


def test_changed_feed_replaces_the_cached_copy(
    catalog: CatalogServer, client: CatalogClient
) -> None:
    url = f"{catalog.base}/catalog/root.xml"
    client.feed(url)
    path = catalog.root / "catalog" / "root.xml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Test Catalog Root", "Renamed Root"),
        encoding="utf-8",
    )
    again = client.feed(url)
    assert catalog.statuses("/catalog/root.xml") == [200, 200]
    assert again.feed.title == "Renamed Root"
    assert again.from_cache is False


def test_server_down_catalogue_still_browsable_and_searchable(
    catalog: CatalogServer, client: CatalogClient
) -> None:
    root_url = f"{catalog.base}/catalog/root.xml"
    client.feed(root_url)
    list(client.pages(f"{catalog.base}/catalog/acquisition/main.xml"))
    online = client.search(root_url, "pride")
    assert online.stale is False
    assert online.feed.url.startswith(f"{catalog.base}/catalog/search/results.xml")
    assert catalog.statuses("/catalog/opensearch.xml") == [200]
    cover_url = f"{catalog.base}/catalog/larger.jpg"
    cover = client.cover(cover_url)
    assert cover.data[:2] == b"\xff\xd8"
    catalog.stop()

    root = client.feed(root_url)
    assert (root.from_cache, root.stale) == (True, True)
    assert root.feed.title == "Test Catalog Root"
    assert "cannot be reached" in root.notes[0]
    page2 = list(client.pages(f"{catalog.base}/catalog/acquisition/main.xml"))
    assert [page.stale for page in page2] == [True, True]
    assert client.cover(cover_url).data == cover.data

    found = client.search(root_url, "PRIDE prejudice")
    assert found.stale is True
    assert found.feed.entries[0].title == "Pride and Prejudice"  # title matches come first
    assert all("prejudice" in fold(e.title + e.summary) for e in found.feed.entries)
    assert len({entry.id for entry in found.feed.entries}) == len(found.feed.entries)
    by_author = client.search(root_url, "austen", offline=True)
    assert "Jane Austen" in by_author.feed.entries[0].authors
    assert "searched the cached feeds" in found.notes[-1]
    offline = client.search(root_url, "page 2", offline=True)
    assert [entry.title for entry in offline.feed.entries] == ["Paging: Page 2 item"]
    assert client.feed(root_url, offline=True).stale is True


def test_offline_mode_never_asks_the_server(catalog: CatalogServer, client: CatalogClient) -> None:
    url = f"{catalog.base}/catalog/root.xml"
    client.feed(url)
    result = client.feed(url, offline=True)
    assert (result.from_cache, result.stale) == (True, True)
    assert result.notes[0].startswith("offline: the copy fetched at ")
    assert catalog.statuses("/catalog/root.xml") == [200]


def test_nothing_cached_is_a_clear_error(catalog: CatalogServer, client: CatalogClient) -> None:
    url = f"{catalog.base}/catalog/links/new.xml"
    with pytest.raises(CatalogUnavailable) as offline:
        client.feed(url, offline=True)
    assert (
        str(offline.value) == f"{url}: offline, and this feed was never fetched (not in the cache)"
    )
    catalog.stop()
    with pytest.raises(CatalogUnavailable) as down:
        client.feed(url)
    message = str(down.value)
    assert "\n" not in message
    assert message.startswith(f"{url}: the server cannot be reached (no connection")
    assert message.endswith("and this feed is not in the offline cache")


def test_a_broken_new_copy_keeps_the_good_cached_one(
    catalog: CatalogServer, client: CatalogClient
) -> None:
    url = f"{catalog.base}/catalog/root.xml"
    client.feed(url)
    (catalog.root / "catalog" / "root.xml").write_bytes(b"<feed><unclosed>")
    with pytest.raises(CatalogError):
        client.feed(url)
    assert client.feed(url, offline=True).feed.title == "Test Catalog Root"


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_logins(opds: Path, tmp_path: Path, scheme: str) -> None:
    server = serve_feedbooks(opds, tmp_path, auth=scheme, password=PASSWORD)
    try:
        credentials = StaticCredentials({server.base: ("reader", PASSWORD)})
        with HttpClient(POLICY) as http:
            client = CatalogClient(http, FeedCache(tmp_path / "cache"), credentials)
            root = client.feed(f"{server.base}/catalog/root.xml")
            assert root.feed.title == "Test Catalog Root"
            again = client.feed(f"{server.base}/catalog/root.xml")
            assert (again.from_cache, again.stale) == (True, False)
            # once signed in, the next requests go with credentials at once
            assert server.statuses("/catalog/root.xml")[-1] == 304
            assert server.seen[-1].authorization
    finally:
        server.stop()


def test_wrong_password_is_refused(opds: Path, tmp_path: Path) -> None:
    server = serve_feedbooks(opds, tmp_path, auth="basic", password=PASSWORD)
    try:
        credentials = StaticCredentials({server.base: ("reader", "wrong")})
        with HttpClient(POLICY) as http:
            client = CatalogClient(http, FeedCache(tmp_path / "cache"), credentials)
            with pytest.raises(AuthenticationRequired) as caught:
                client.feed(f"{server.base}/catalog/root.xml")
        assert caught.value.refused
        assert caught.value.scheme == "basic"
        assert str(caught.value) == (
            f"{server.base}/catalog/root.xml: Mutolaa test catalogue refused the user name "
            "and password"
        )
    finally:
        server.stop()


def test_401_with_authentication_document(opds: Path, tmp_path: Path) -> None:
    document = opds / "opds-spec-drafts-examples" / "authentication-for-opds-1.0__ex01.json"
    server = serve_feedbooks(
        opds, tmp_path, auth="basic", password=PASSWORD, auth_document=document.read_bytes()
    )
    try:
        with HttpClient(POLICY) as http:
            client = CatalogClient(http, FeedCache(tmp_path / "cache"))
            with pytest.raises(AuthenticationRequired) as caught:
                client.feed(f"{server.base}/catalog/root.xml")
    finally:
        server.stop()
    error = caught.value
    assert error.title == "Public Library"
    assert (
        str(error)
        == f"{server.base}/catalog/root.xml: Public Library asks for a user name and password"
    )
    assert error.document is not None
    [basic] = [m for m in error.document.methods if m.type == "http://opds-spec.org/auth/basic"]
    assert (basic.login_label, basic.password_label) == ("Library card", "PIN")
    assert error.document.description.startswith("Enter a valid library card")
    assert error.refused is False


def test_401_with_a_broken_authentication_document(opds: Path, tmp_path: Path) -> None:
    broken = (opds / "readium-swift-toolkit" / "opds-authentication.json").read_bytes()
    server = serve_feedbooks(
        opds,
        tmp_path,
        auth="digest",
        password=PASSWORD,
        auth_document=broken,
        auth_document_type="application/vnd.opds.authentication.v1.0+json",
    )
    try:
        with HttpClient(POLICY) as http:
            client = CatalogClient(http, FeedCache(tmp_path / "cache"))
            with pytest.raises(AuthenticationRequired) as caught:
                client.feed(f"{server.base}/catalog/root.xml")
    finally:
        server.stop()
    assert caught.value.document is None
    assert caught.value.title == "Mutolaa test catalogue"  # the realm
    assert caught.value.scheme == "digest"
    assert "not valid JSON" in caught.value.notes[0]


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_password_never_logged_nor_cached(
    opds: Path, tmp_path: Path, scheme: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = serve_feedbooks(opds, tmp_path, auth=scheme, password=PASSWORD)
    cache_folder = tmp_path / "cache"
    try:
        credentials = StaticCredentials({server.base: ("reader", PASSWORD)})
        with HttpClient(POLICY) as http:
            client = CatalogClient(http, FeedCache(cache_folder), credentials)
            client.feed(f"{server.base}/catalog/root.xml")
            client.search(f"{server.base}/catalog/root.xml", "pride")
            client.cover(f"{server.base}/catalog/thumbnail.jpg")
            server.stop()
            client.feed(f"{server.base}/catalog/root.xml")
    finally:
        server.stop()
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert caplog.records, "expected some logging to check"
    assert PASSWORD not in logged
    files = list(cache_folder.iterdir())
    assert len(files) == 4  # root, the OpenSearch description, the results, the thumbnail
    for path in files:
        data = path.read_bytes()
        assert PASSWORD.encode() not in data
        assert b"Authorization" not in data


def test_cache_ignores_a_damaged_file_and_leaves_no_temporaries(tmp_path: Path) -> None:
    cache = FeedCache(tmp_path)
    cache.put("http://127.0.0.1:1/a.xml", b"<feed/>", etag='"x"')
    cache.put("http://user:pw@127.0.0.1:1/b.xml", b"<feed/>")
    assert cache.get("http://127.0.0.1:1/b.xml") is not None  # keyed without credentials
    assert all(b"pw" not in path.read_bytes() for path in tmp_path.iterdir())
    path = cache.path_for("http://127.0.0.1:1/a.xml")
    path.write_bytes(path.read_bytes()[:-2])  # cut short
    assert cache.get("http://127.0.0.1:1/a.xml") is None
    path.write_bytes(b"not json\n<feed/>")
    assert cache.get("http://127.0.0.1:1/a.xml") is None
    assert sorted(p.name.startswith(".tmp-") for p in tmp_path.iterdir()) == [False, False]
    header = json.loads(cache.path_for("http://127.0.0.1:1/b.xml").read_bytes().split(b"\n")[0])
    assert header["url"] == "http://127.0.0.1:1/b.xml"


def test_folding_of_case_and_apostrophes() -> None:
    assert fold("Oʻtkan  KUNLAR") == fold("o‘tkan kunlar") == "o'tkan kunlar"
    assert matches("o'tkan", "Oʼtkan kunlar")
    assert matches("ЎТКАН", "ўткан кунлар")
    assert not matches("pride", "Sense and Sensibility")
    assert not matches("   ", "anything")


def test_challenge_scheme_prefers_digest() -> None:
    assert challenge_scheme('Basic realm="x", Digest realm="x", nonce="n"') == "digest"
    assert challenge_scheme('Basic realm="a, b"') == "basic"
    assert challenge_scheme('Bearer realm="x"') == "bearer"
    assert challenge_scheme("") == ""


def _opds2_page(base: str, number: int, next_page: int | None) -> bytes:
    links = [{"rel": "self", "href": f"p{number}.json", "type": "application/opds+json"}]
    if next_page is not None:
        links.append({"rel": "next", "href": f"p{next_page}.json", "type": "application/opds+json"})
    links.append(
        {
            "rel": "search",
            "href": f"{base}/o2/search{{?query}}",
            "type": "application/opds+json",
            "templated": True,
        }
    )
    publication = {
        "metadata": {"title": f"Oʻtkan kunlar, part {number}", "identifier": f"urn:o2:{number}"},
        "links": [
            {
                "rel": "http://opds-spec.org/acquisition/open-access",
                "href": f"/b{number}.epub",
                "type": "application/epub+zip",
            }
        ],
    }
    feed = {"metadata": {"title": f"Page {number}"}, "links": links, "publications": [publication]}
    return json.dumps(feed).encode("utf-8")


def test_opds2_next_links_loops_and_templated_search(
    catalog: CatalogServer, client: CatalogClient
) -> None:
    folder = catalog.root / "o2"
    folder.mkdir()
    (folder / "p1.json").write_bytes(_opds2_page(catalog.base, 1, 2))
    (folder / "p2.json").write_bytes(_opds2_page(catalog.base, 2, 1))  # leads back: a loop
    (folder / "search").write_bytes(_opds2_page(catalog.base, 9, None))

    pages = list(client.pages(f"{catalog.base}/o2/p1.json", limit=10))
    assert [page.feed.title for page in pages] == ["Page 1", "Page 2"]

    found = client.search(pages[0].feed, "o‘tkan")
    assert catalog.statuses("/o2/search") == [200]
    assert found.stale is False
    assert found.feed.title == "Page 9"
    catalog.stop()
    offline = client.search(f"{catalog.base}/o2/p1.json", "O'TKAN part 2")
    assert [entry.title for entry in offline.feed.entries] == ["Oʻtkan kunlar, part 2"]
    assert offline.stale is True


def test_the_cache_stays_under_its_bound_covers_first_oldest_first(tmp_path: Path) -> None:
    cache = FeedCache(tmp_path / "c", max_bytes=60_000)
    cache.put("http://h/feed-old.xml", b"f" * 10_000, kind="feed")
    cache.put("http://h/cover-1.jpg", b"c" * 20_000, kind="cover")
    cache.put("http://h/feed-new.xml", b"f" * 10_000, kind="feed")
    cache.put("http://h/cover-2.jpg", b"c" * 15_000, kind="cover")
    assert cache.size() <= 60_000
    kept_before = {m.url for m in cache.entries()}
    assert len(kept_before) == 4
    cache.put("http://h/cover-3.jpg", b"c" * 20_000, kind="cover")  # over the bound now
    kept = {m.url for m in cache.entries()}
    assert cache.size() <= 54_000 + 4 * 400  # under 90 % (plus the metadata lines)
    # the covers went first, oldest first; the feeds and the copy just written stay
    assert kept == {"http://h/feed-old.xml", "http://h/feed-new.xml", "http://h/cover-3.jpg"}
    cache.put("http://h/feed-huge.xml", b"f" * 50_000, kind="feed")
    kept = {m.url for m in cache.entries()}
    assert "http://h/feed-huge.xml" in kept
    assert "http://h/cover-3.jpg" not in kept  # covers before feeds
    assert "http://h/feed-old.xml" not in kept  # then the oldest feed
