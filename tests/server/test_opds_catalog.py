"""The library server's OPDS catalogue (sync/server/opds.py over sync/server/books.py).

Only the catalogue blueprint is mounted, in a small Flask app served on 127.0.0.1 by Waitress
in a thread (as `mutolaa-server` serves it; werkzeug's development server leaves a file open
when a client drops the connection), over a folder of real documents (PDF, EPUB, FB2, TXT with
Uzbek Latin, Uzbek Cyrillic and Russian titles) and two broken files. Everything is read with
our own client: the `CatalogClient` browses both versions, pages, searches and fetches covers;
`sync.downloads` downloads and verifies; the `mutolaa` command line adds the server, browses
it and downloads.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import shutil
import struct
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
import waitress
from flask import Flask

from sync.book_metadata import clean_text
from sync.catalog import CatalogClient
from sync.downloads import download
from sync.feed_cache import FeedCache
from sync.http import HttpClient
from sync.opds.model import Entry, Feed
from sync.server.book_facts import Extracted, extract_book
from sync.server.books import BookIndex
from sync.server.opds import CatalogBlueprint, catalog_blueprint
from tests.support.cli import mutolaa
from tests.support.docgen import make_epub, make_fb2, make_pdf, make_txt
from tests.support.fault_proxy import FaultProxy, ProxyFault

PAGE_SIZE = 2
OTGAN = "Oʻtgan kunlar & <hikoyalar>"  # an ampersand, a less-than and the Uzbek ʻ
TITLES = {
    OTGAN,
    "Ўтган кунлар",
    "Mehrobdan chayon",
    "Война и мир",
    "Kecha va kunduz",
    "eslatmalar",
}


@dataclass
class Served:
    """A catalogue on 127.0.0.1: its base URL, folders and the blueprint (with its index)."""

    base: str
    books: Path
    data: Path
    blueprint: CatalogBlueprint

    def url(self, path: str) -> str:
        return self.base + path


def _make_books(folder: Path) -> None:
    """Six real books (newest last in this list) and two broken files."""
    make_pdf(
        folder / "Oʻtgan kunlar.pdf",
        ["Birinchi bob. Toshkent.", "Ikkinchi bob."],
        title=OTGAN,
        author="Abdulla Qodiriy",
    )
    make_epub(
        folder / "kirill" / "Ўтган кунлар.epub",
        [("Биринчи боб", "Тошкент шаҳри.")],
        title="Ўтган кунлар",
        author="Абдулла Қодирий",
        lang="uz-cyrl",
    )
    make_epub(
        folder / "Mehrobdan chayon.epub",
        [("Birinchi bob", "Anvar va Raʼno.")],
        title="Mehrobdan chayon",
        author="Abdulla Qodiriy",
        lang="uz",
    )
    make_fb2(
        folder / "ru" / "Война и мир.fb2",
        [("Глава 1", "Ну что, князь.")],
        title="Война и мир",
        author="Лев Толстой",
        lang="ru",
    )
    make_fb2(
        folder / "Kecha va kunduz.fb2",
        [("Birinchi qism", "Zebi.")],
        title="Kecha va kunduz",
        author="Abdulhamid Choʻlpon",
        lang="uz",
    )
    make_txt(folder / "eslatmalar.txt", "Kundalik eslatmalar.\n")
    (folder / "broken.pdf").write_bytes(os.urandom(4096))
    (folder / "empty.epub").write_bytes(b"")
    # a fixed "new" order: the list above, oldest first
    files = [
        "Oʻtgan kunlar.pdf",
        "kirill/Ўтган кунлар.epub",
        "Mehrobdan chayon.epub",
        "ru/Война и мир.fb2",
        "Kecha va kunduz.fb2",
        "eslatmalar.txt",
        "broken.pdf",
        "empty.epub",
    ]
    for number, name in enumerate(files):
        stamp = 1_700_000_000 + number * 1000
        os.utime(folder / name, (stamp, stamp))


@contextmanager
def _serve(books: Path, data: Path) -> Iterator[Served]:
    app = Flask(__name__)
    app.config.update(OPDS_PAGE_SIZE=PAGE_SIZE, OPDS_RESCAN_SECONDS=3600)
    blueprint = catalog_blueprint(books, data)
    assert isinstance(blueprint, CatalogBlueprint)
    app.register_blueprint(blueprint)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="opds-test-server", daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.effective_port}", books, data, blueprint)
    finally:
        server.close()
        server.task_dispatcher.shutdown(timeout=5)
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One catalogue for the tests that only read."""
    folder = tmp_path_factory.mktemp("opds")
    _make_books(folder / "books")
    with _serve(folder / "books", folder / "data") as served:
        yield served


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Served]:
    """A catalogue of its own, for a test that changes the folder."""
    _make_books(tmp_path / "books")
    with _serve(tmp_path / "books", tmp_path / "data") as served:
        yield served


@pytest.fixture
def client(tmp_path: Path) -> Iterator[CatalogClient]:
    http = HttpClient()
    yield CatalogClient(http, FeedCache(tmp_path / "feed-cache"))
    http.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _all_entries(client: CatalogClient, url: str) -> tuple[list[Feed], list[Entry]]:
    feeds = [result.feed for result in client.pages(url)]
    return feeds, [entry for feed in feeds for entry in feed.entries]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _navigate(client: CatalogClient, feed: Feed, title: str) -> Feed:
    """The feed a navigation item of `feed` (on any of its pages) leads to."""
    for page in client.pages(feed.url):
        for item in page.feed.navigation:
            if item.title == title:
                return client.feed(item.href).feed
    raise AssertionError(f"no navigation item {title!r} under {feed.url}")


# -- OPDS 1.2 ----------------------------------------------------------------------------------


def test_opds1_root_navigates_to_new_authors_titles_and_languages(
    library: Served, client: CatalogClient
) -> None:
    root = client.feed(library.url("/opds")).feed
    assert root.kind == "navigation"
    assert root.notes == ()
    items = {item.title: item for item in root.navigation}
    assert list(items) == ["New books", "Authors", "Titles", "Languages"]
    assert items["New books"].rel == "http://opds-spec.org/sort/new"
    assert items["New books"].count == 6  # the broken PDF and the empty EPUB are not listed
    assert items["Authors"].count == 5  # Qodiriy, Қодирий, Толстой, Choʻlpon, unknown
    assert root.search_link is not None
    assert root.search_link.type == "application/opensearchdescription+xml"

    authors = _navigate(client, root, "Authors")
    qodiriy = _navigate(client, authors, "Abdulla Qodiriy")
    assert qodiriy.kind == "acquisition"
    assert [e.title for e in qodiriy.entries] == ["Mehrobdan chayon", OTGAN]
    assert _navigate(client, authors, "Абдулла Қодирий").entries[0].title == "Ўтган кунлар"

    languages = _navigate(client, root, "Languages")
    assert [e.title for e in _navigate(client, languages, "Ўзбекча (uz-Cyrl)").entries] == [
        "Ўтган кунлар"
    ]
    assert {e.title for e in _navigate(client, languages, "Русский (ru)").entries} == {
        "Война и мир"
    }
    _, uzbek = _all_entries(client, _navigate(client, languages, "Oʻzbekcha (uz)").url)
    assert [e.title for e in uzbek] == ["Kecha va kunduz", "Mehrobdan chayon"]

    titles = _navigate(client, root, "Titles")
    letter = _navigate(client, titles, "Ў")
    assert [e.title for e in letter.entries] == ["Ўтган кунлар"]
    _, every = _all_entries(client, _navigate(client, titles, "All titles").url)
    assert [e.title for e in every] == sorted(TITLES, key=lambda t: t.casefold())


def test_opds1_new_pages_across_pages_with_totals_and_links(
    library: Served, client: CatalogClient
) -> None:
    feeds, entries = _all_entries(client, library.url("/opds/new"))
    assert len(feeds) == 3
    assert [e.title for e in entries] == [
        "eslatmalar",
        "Kecha va kunduz",
        "Война и мир",
        "Mehrobdan chayon",
        "Ўтган кунлар",
        OTGAN,
    ]
    assert [f.current_page for f in feeds] == [1, 2, 3]
    assert {(f.total_results, f.items_per_page) for f in feeds} == {(6, PAGE_SIZE)}
    middle = feeds[1]
    rels = {link.rel: link.href for link in middle.links}
    assert rels["first"] == library.url("/opds/new")
    assert rels["previous"] == library.url("/opds/new")
    assert rels["next"] == library.url("/opds/new?page=3")
    assert rels["last"] == library.url("/opds/new?page=3")
    assert feeds[2].next_url == ""
    assert all(f.notes == () for f in feeds)


def test_opds1_entry_has_hash_id_language_cover_and_verified_acquisition(
    library: Served, client: CatalogClient
) -> None:
    _, entries = _all_entries(client, library.url("/opds/new"))
    by_title = {e.title: e for e in entries}
    epub_path = library.books / "kirill" / "Ўтган кунлар.epub"
    epub = by_title["Ўтган кунлар"]
    assert epub.id == "urn:mutolaa:sha256:" + _sha(epub_path)
    assert epub.authors == ("Абдулла Қодирий",)
    assert epub.language == "uz-Cyrl"
    [acquisition] = epub.acquisitions
    assert acquisition.rel == "open-access"
    assert acquisition.type == "application/epub+zip"
    assert acquisition.length == epub_path.stat().st_size
    assert [(c.algorithm, c.value) for c in acquisition.checksums] == [("sha256", _sha(epub_path))]
    assert acquisition.href == library.url(
        f"/opds/books/{_sha(epub_path)}/{quote('Ўтган кунлар.epub')}"
    )

    pdf = by_title[OTGAN]  # escaped in the XML, read back exactly
    assert pdf.authors == ("Abdulla Qodiriy",)
    assert pdf.acquisitions[0].type == "application/pdf"
    cover = client.cover(pdf.cover)
    thumbnail = client.cover(pdf.thumbnail)
    assert cover.content_type == "image/png"
    assert _png_size(cover.data)[1] == 400
    assert _png_size(thumbnail.data)[1] == 160
    text = by_title["eslatmalar"]
    assert text.acquisitions[0].type == "text/plain"
    assert by_title["Война и мир"].acquisitions[0].type == "application/x-fictionbook+xml"


def test_opds1_search_through_opensearch(library: Served, client: CatalogClient) -> None:
    root = client.feed(library.url("/opds")).feed
    found = client.search(root, "o'tgan KUNLAR")  # ASCII apostrophe, capitals
    assert not found.stale
    assert found.feed.url.startswith(library.url("/opds/search?q="))
    # Latin finds the Cyrillic edition too
    assert [e.title for e in found.feed.entries] == [OTGAN, "Ўтган кунлар"]
    by_author = client.search(root, "Қодирий")  # Cyrillic finds the Latin spelling
    assert by_author.feed.total_results == 3  # on two pages
    _, every = _all_entries(client, by_author.feed.url)
    assert {e.title for e in every} == {
        OTGAN,
        "Ўтган кунлар",
        "Mehrobdan chayon",
    }
    assert client.search(root, "zzzz-nothing").feed.entries == ()
    description = requests.get(library.url("/opds/opensearch.xml"), timeout=10)
    assert description.headers["Content-Type"] == "application/opensearchdescription+xml"
    assert "/opds/search?q={searchTerms}" in description.text


# -- OPDS 2.0 ----------------------------------------------------------------------------------


def test_opds2_home_groups_pages_search_and_images(library: Served, client: CatalogClient) -> None:
    home_answer = requests.get(library.url("/opds/v2"), timeout=10)
    assert home_answer.headers["Content-Type"] == "application/opds+json"
    home = client.feed(library.url("/opds/v2")).feed
    assert home.notes == ()
    assert [item.title for item in home.navigation] == [
        "New books",
        "Authors",
        "Titles",
        "Languages",
    ]
    [group] = home.groups
    assert group.title == "New books"
    assert group.href == library.url("/opds/v2/new")
    assert group.entries[0].title == "eslatmalar"

    feeds, entries = _all_entries(client, group.href)
    assert len(feeds) == 3
    assert [f.current_page for f in feeds] == [1, 2, 3]
    assert {e.title for e in entries} == TITLES
    pdf = next(e for e in entries if e.title == OTGAN)
    pdf_path = library.books / "Oʻtgan kunlar.pdf"
    assert pdf.id == "urn:mutolaa:sha256:" + _sha(pdf_path)
    assert pdf.acquisitions[0].length == pdf_path.stat().st_size
    assert pdf.acquisitions[0].checksums[0].value == _sha(pdf_path)
    assert pdf.cover.endswith(".png")
    assert pdf.thumbnail.endswith("-thumb.png")

    assert home.search_link is not None
    assert home.search_link.templated
    found = client.search(home, "Толстой")
    assert found.feed.url == library.url(
        "/opds/v2/search?query=%D0%A2%D0%BE%D0%BB%D1%81%D1%82%D0%BE%D0%B9"
    )
    assert [e.title for e in found.feed.entries] == ["Война и мир"]

    authors = _navigate(client, home, "Authors")
    assert authors.kind == "navigation"
    choulpon = _navigate(client, authors, "Abdulhamid Choʻlpon")
    assert [e.title for e in choulpon.entries] == ["Kecha va kunduz"]


# -- downloads ---------------------------------------------------------------------------------


def test_download_is_verified_and_byte_identical(
    library: Served, client: CatalogClient, tmp_path: Path
) -> None:
    _, entries = _all_entries(client, library.url("/opds/new"))
    for title, name in (
        ("Ўтган кунлар", "kirill/Ўтган кунлар.epub"),
        ("Война и мир", "ru/Война и мир.fb2"),
    ):
        entry = next(e for e in entries if e.title == title)
        acquisition = entry.acquisitions[0]
        result = download(
            acquisition.href,
            tmp_path / "downloads",
            expected_size=acquisition.length,
            checksums={c.algorithm: c.value for c in acquisition.checksums},
        )
        original = library.books / name
        assert result.path.name == original.name  # from Content-Disposition's filename*
        assert result.path.read_bytes() == original.read_bytes()
        assert result.sha256 == _sha(original)


def test_download_answers_range_etag_and_digest(library: Served) -> None:
    path = library.books / "Oʻtgan kunlar.pdf"
    sha, data = _sha(path), path.read_bytes()
    url = library.url(f"/opds/books/{sha}/x.pdf")
    whole = requests.get(url, timeout=10)
    assert whole.status_code == 200
    assert whole.content == data
    assert whole.headers["ETag"] == f'"{sha}"'  # strong
    assert whole.headers["Content-Length"] == str(len(data))
    assert whole.headers["Content-Type"] == "application/pdf"
    assert whole.headers["Last-Modified"]
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert "filename*=UTF-8''O%CA%BBtgan%20kunlar.pdf" in whole.headers["Content-Disposition"]
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert whole.headers["Repr-Digest"] == f"sha-256=:{digest}:"

    part = requests.get(
        url, headers={"Range": "bytes=1000-1999", "If-Range": f'"{sha}"'}, timeout=10
    )
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    assert part.content == data[1000:2000]
    stale = requests.get(url, headers={"Range": "bytes=1000-", "If-Range": '"other"'}, timeout=10)
    assert stale.status_code == 200
    assert stale.content == data
    again = requests.get(url, headers={"If-None-Match": f'"{sha}"'}, timeout=10)
    assert again.status_code == 304


def test_a_cut_download_resumes_with_range(library: Served, tmp_path: Path) -> None:
    path = library.books / "Oʻtgan kunlar.pdf"
    sha = _sha(path)
    book_path = f"/opds/books/{sha}/{quote(path.name)}"
    with FaultProxy(library.base) as proxy:
        proxy.fault(book_path, ProxyFault("drop", after=100_000))
        result = download(
            proxy.url(book_path),
            tmp_path / "downloads",
            expected_size=path.stat().st_size,
            checksums={"sha256": sha},
        )
        hits = proxy.hits(book_path)
        assert proxy.errors == []
    assert result.path.read_bytes() == path.read_bytes()
    assert result.attempts == 2
    assert result.transferred == path.stat().st_size  # the first 100,000 bytes came once
    assert [h.status for h in hits] == [200, 206]
    assert hits[1].range == "bytes=100000-"
    assert hits[1].if_range == f'"{sha}"'


def test_urls_never_reach_the_filesystem_and_bad_requests_get_one_line(library: Served) -> None:
    sha = _sha(library.books / "eslatmalar.txt")
    missing = requests.get(library.url("/opds/books/" + "0" * 64 + "/eslatmalar.txt"), timeout=10)
    assert missing.status_code == 404
    assert missing.text.count("\n") == 1
    for path in (
        "/opds/books/../../etc/passwd",
        "/opds/books/eslatmalar.txt/eslatmalar.txt",
        "/opds/covers/..%2Fdata%2Fcatalog%2Findex.json",
        "/opds/covers/index.json",
        "/opds/authors/nobody",
        "/opds/languages/xx",
        "/opds/titles/Q",
    ):
        assert requests.get(library.url(path), timeout=10).status_code == 404, path
    assert (
        requests.get(library.url(f"/opds/books/{sha}/..%2F..%2Fx"), timeout=10).status_code == 404
    )
    # the name in the URL is decoration: the hash alone chooses the file
    named = requests.get(library.url(f"/opds/books/{sha}/index.json"), timeout=10)
    assert named.content == (library.books / "eslatmalar.txt").read_bytes()
    bad_page = requests.get(library.url("/opds/new?page=x"), timeout=10)
    assert bad_page.status_code == 400
    assert bad_page.text == "page 'x' is not a whole number from 1\n"
    assert requests.get(library.url("/opds/search"), timeout=10).status_code == 400
    assert requests.get(library.url("/opds"), timeout=10).status_code == 200


def test_feeds_revalidate_with_their_etag(library: Served) -> None:
    first = requests.get(library.url("/opds/new"), timeout=10)
    etag = first.headers["ETag"]
    again = requests.get(library.url("/opds/new"), headers={"If-None-Match": etag}, timeout=10)
    assert again.status_code == 304


# -- the index -----------------------------------------------------------------------------------


def test_broken_files_are_skipped_once_and_a_restart_reads_nothing_again(
    library: Served, caplog: pytest.LogCaptureFixture
) -> None:
    first = library.blueprint.index
    first.books(3600)
    assert first.extracted == 8  # six books, the broken PDF and the empty EPUB
    index_file = library.data / "catalog" / "index.json"
    document = json.loads(index_file.read_text(encoding="utf-8"))
    assert sorted(document["failed"]) == ["broken.pdf", "empty.epub"]
    assert document["failed"]["empty.epub"]["reason"] == "the file is empty"

    with caplog.at_level(logging.INFO, logger="sync.server.books"):
        second = catalog_blueprint(library.books, library.data)
        assert isinstance(second, CatalogBlueprint)
        books = second.index.books(3600)
        second.index.books(rescan_interval=0)  # walked again: nothing changed, nothing is read
    assert second.index.extracted == 0
    assert {b.title for b in books} == TITLES
    assert not [r for r in caplog.records if "skipped" in r.getMessage()]


def test_a_book_added_shows_after_a_refresh_and_a_changed_one_gets_a_new_id(
    fresh: Served, client: CatalogClient
) -> None:
    _, before = _all_entries(client, fresh.url("/opds/new"))
    assert {e.title for e in before} == TITLES
    make_epub(
        fresh.books / "yangi" / "Sariq devni minib.epub",
        [("Birinchi bob", "Hoshimjon.")],
        title="Sariq devni minib",
        author="Xudoyberdi Toʻxtaboyev",
        lang="uz",
    )
    _, still = _all_entries(client, fresh.url("/opds/new"))
    assert len(still) == 6  # not walked again yet (every hour)
    fresh.blueprint.index.request_refresh()
    _, after = _all_entries(client, fresh.url("/opds/new"))
    assert after[0].title == "Sariq devni minib"  # the newest file
    assert fresh.blueprint.index.extracted == 9

    text = fresh.books / "eslatmalar.txt"
    old = next(e for e in after if e.title == "eslatmalar")
    text.write_text("Boshqa eslatmalar, uzunroq.\n", encoding="utf-8")
    gone = requests.get(old.acquisitions[0].href, timeout=10)
    assert gone.status_code == 404  # its bytes are no longer those listed
    assert "changed since it was listed" in gone.text
    _, changed = _all_entries(client, fresh.url("/opds/new"))
    new = next(e for e in changed if e.title == "eslatmalar")
    assert new.id == "urn:mutolaa:sha256:" + _sha(text) != old.id

    shutil.rmtree(fresh.books / "ru")
    fresh.blueprint.index.books(rescan_interval=0)
    _, last = _all_entries(client, fresh.url("/opds/new"))
    assert "Война и мир" not in {e.title for e in last}


def _faulty_extract(path: Path, ending: str) -> Extracted:
    """Runs in the child process: crashes on "crash", hangs on "hang", else reads the book."""
    if "crash" in path.name:
        os._exit(70)  # as MuPDF does when it dies on a hostile file
    if "hang" in path.name:
        time.sleep(120)
    return extract_book(path, ending)


def test_a_crash_or_a_hang_in_the_reader_costs_only_that_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    books = tmp_path / "books"
    for name in ("a crash.pdf", "b hang.pdf", "c good.pdf"):
        make_pdf(books / name, [name], title=name.removesuffix(".pdf"))
    index = BookIndex(books, tmp_path / "data", extractor=_faulty_extract, timeout=3)
    with caplog.at_level(logging.WARNING, logger="sync.server.books"):
        found = index.books(rescan_interval=0)
    assert [b.title for b in found] == ["c good"]
    messages = [r.getMessage() for r in caplog.records]
    assert "catalog: a crash.pdf skipped: the document reader crashed on this file" in messages
    assert "catalog: b hang.pdf skipped: gave up after 3 s (the reader hung)" in messages


# -- the command line ----------------------------------------------------------------------------


def test_the_command_line_adds_browses_and_downloads_from_the_catalogue(
    library: Served, tmp_path: Path
) -> None:
    reader = tmp_path / "reader-library"
    added = mutolaa(reader, "catalog", "add", library.url("/opds"), "--name", "Kutubxona")
    assert "Kutubxona" in added.stdout
    root = mutolaa(reader, "catalog", "browse", "Kutubxona")
    assert "New books" in root.stdout
    assert "Languages" in root.stdout
    browsed = mutolaa(reader, "catalog", "browse", "Kutubxona", "/opds/new?page=2", "--json")
    assert "Mehrobdan chayon" in browsed.stdout
    got = mutolaa(reader, "download", "Mehrobdan chayon", "--json")
    [item] = json.loads(got.stdout)
    assert item["state"] == "done", item
    listed = mutolaa(reader, "list", "--json")
    assert "Mehrobdan chayon" in listed.stdout


# -- what is read from a book ------------------------------------------------------------------


def _epub_with_cover(path: Path, cover: bytes) -> Path:
    opf = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">urn:uuid:7d3c1b9e-0000-4000-8000-000000000001</dc:identifier>
<dc:title>Sariq
   devni  minib</dc:title>
<dc:creator>Xudoyberdi Toʻxtaboyev</dc:creator>
<dc:creator>Ikkinchi Muallif</dc:creator>
<dc:language>UZ-latn</dc:language>
<dc:description>Hoshimjonning &amp; sarguzashtlari.</dc:description>
<dc:date>2019-03-05T00:00:00Z</dc:date>
</metadata>
<manifest>
<item id="c" href="text/bob%201.xhtml" media-type="application/xhtml+xml"/>
<item id="img" href="images/cover.png" media-type="image/png" properties="cover-image"/>
</manifest>
<spine><itemref idref="c"/></spine>
</package>
"""
    container = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OPS/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>
"""
    page = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>1</title></head>
<body><p>Birinchi bob.</p></body></html>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OPS/package.opf", opf)
        archive.writestr("OPS/text/bob 1.xhtml", page)
        archive.writestr("OPS/images/cover.png", cover)
    return path


def test_an_epub_gives_its_cover_image_summary_date_and_every_author(tmp_path: Path) -> None:
    import pymupdf  # noqa: PLC0415 - only to draw the cover picture

    picture = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 300, 600), False)
    picture.set_rect(picture.irect, (200, 30, 30))
    path = _epub_with_cover(tmp_path / "sariq.epub", picture.tobytes("png"))
    read = extract_book(path, ".epub")
    assert read.title == "Sariq devni minib"  # white space collapsed
    assert read.authors == ("Xudoyberdi Toʻxtaboyev", "Ikkinchi Muallif")
    assert read.language == "uz-Latn"
    assert read.summary == "Hoshimjonning & sarguzashtlari."
    assert read.issued == "2019-03-05"
    assert read.cover_size == (200, 400)  # the picture's shape, not the first page's
    assert read.thumbnail_size == (80, 160)
    assert _png_size(read.cover_png) == (200, 400)

    pdf = make_pdf(tmp_path / "x.pdf", ["x"], title="Bir", author="Ali Valiyev; Gʻani & Oʻrin")
    assert extract_book(pdf, ".pdf").authors == ("Ali Valiyev", "Gʻani & Oʻrin")
    assert clean_text("Bir\x01ikki\ufffe\n uch") == "Birikki uch"  # what XML forbids is dropped


def test_a_zipped_fb2_is_read_from_inside_its_archive(tmp_path: Path) -> None:
    fb2 = make_fb2(
        tmp_path / "ertak.fb2",
        [("Бошланиш", "Бор экан, йўқ экан.")],
        title="Зумрад ва Қиммат",
        author="Халқ ертаги",
        lang="uz",
    )
    zipped = tmp_path / "books" / "ertak.fb2.zip"
    zipped.parent.mkdir()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(fb2, "ertak.fb2")
    index = BookIndex(tmp_path / "books", tmp_path / "data")
    [book] = index.books(rescan_interval=0)
    assert book.title == "Зумрад ва Қиммат"
    assert book.authors == ("Халқ ертаги",)
    assert book.language == "uz"
    assert book.media_type == "application/fb2+zip"
    assert book.format_name == "FB2 (zip)"
    assert book.file_name == "ertak.fb2.zip"


def test_the_first_request_reads_the_folder_however_long_the_machine_has_been_up(
    tmp_path: Path,
) -> None:
    # time.monotonic() counts from boot: an interval longer than the uptime is what a machine
    # booted minutes ago sees with the default interval (the catalogue was empty there).
    make_pdf(tmp_path / "books" / "kitob.pdf", ["Birinchi sahifa."], title="Kitob")
    index = BookIndex(tmp_path / "books", tmp_path / "data")
    longer_than_uptime = time.monotonic() + 3600
    assert [book.title for book in index.books(longer_than_uptime)] == ["Kitob"]


def test_the_catalogues_search_ignores_latin_diacritics(
    tmp_path: Path, client: CatalogClient
) -> None:
    make_epub(
        tmp_path / "books" / "Jane Eyre.epub",
        [("Chapter 1", "There was no possibility of taking a walk that day.")],
        title="Jane Eyre",
        author="Charlotte Brontë",
        lang="en",
    )
    with _serve(tmp_path / "books", tmp_path / "data") as served:
        root = client.feed(served.url("/opds")).feed
        for terms in ("bronte", "BRONTË eyre", "Brontë"):
            found = client.search(root, terms)
            assert [e.title for e in found.feed.entries] == ["Jane Eyre"], terms
    offline = client.search(root, "charlotte bronte", offline=True)  # the cached feeds
    assert [e.title for e in offline.feed.entries] == ["Jane Eyre"]
