"""OPDS 1.2 Atom feeds: real captures, quirks of real servers, hostile XML."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sync.errors import CatalogError
from sync.opds import MAX_DOCUMENT_BYTES, parse_feed
from sync.opds.atom import parse_atom
from sync.opds.model import IndirectAcquisition

FEEDBOOKS = "https://feedbooks.github.io/opds-test-catalog/catalog/"

ATOM_HEAD = (
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opds="http://opds-spec.org/2010/catalog">'
    "<id>urn:test</id><title>Test</title>"
)


def entry(ident: str = "urn:1", title: str = "Kitob", extra: str = "") -> str:
    """An Atom entry with an open-access EPUB link."""
    return (
        f"<entry><id>{ident}</id><title>{title}</title>{extra}"
        '<link rel="http://opds-spec.org/acquisition/open-access" type="application/epub+zip"'
        ' href="/books/1.epub"/></entry>'
    )


def feed(body: str) -> bytes:
    """An Atom feed document around ``body``."""
    return (ATOM_HEAD + body + "</feed>").encode()


def test_feedbooks_navigation_feed(opds: Path) -> None:
    url = FEEDBOOKS + "root.xml"
    root = parse_feed((opds / "feedbooks-opds-test-catalog/catalog/root.xml").read_bytes(), url)
    assert root.kind == "navigation"
    assert root.title == "Test Catalog Root"
    assert root.link("self") is not None
    assert root.link("self").href == url  # type: ignore[union-attr]
    assert root.search_link is not None
    assert root.search_link.href == FEEDBOOKS + "opensearch.xml"
    assert root.search_link.type == "application/opensearchdescription+xml"
    first = root.navigation[0]
    assert first.title == "First Acquisition feed"
    assert first.href == FEEDBOOKS + "acquisition/main.xml"
    assert "kind=acquisition" in first.type
    assert first.summary == "Basic acquisition feed"
    assert not root.entries
    assert not root.notes


def test_feedbooks_acquisition_feed_with_next(opds: Path) -> None:
    url = FEEDBOOKS + "acquisition/main.xml"
    data = (opds / "feedbooks-opds-test-catalog/catalog/acquisition/main.xml").read_bytes()
    page = parse_feed(data, url, "application/atom+xml;profile=opds-catalog;kind=acquisition")
    assert page.kind == "acquisition"
    assert page.next_url == FEEDBOOKS + "acquisition/page2.xml"
    assert page.link("start").href == FEEDBOOKS + "root.xml"  # type: ignore[union-attr]
    assert page.total_results == 18
    book = page.entries[0]
    assert book.title == "Pride and Prejudice"
    assert book.id == "http://feedbooks.github.io/test/1"
    assert book.authors == ("Jane Austen",)
    assert book.language == "en"
    assert book.issued == "1813"
    assert book.updated is not None
    assert book.updated.year == 2012
    assert book.categories == ("Fiction", "Romance")
    assert book.summary.startswith("Pride And Prejudice, the story")
    assert book.cover == "https://feedbooks.github.io/opds-test-catalog/catalog/larger.jpg"
    assert book.thumbnail.endswith("/catalog/thumbnail.jpg")
    (acquisition,) = book.acquisitions
    assert acquisition.rel == "acquisition"
    assert acquisition.href == "http://www.feedbooks.com/book/52.epub"
    assert acquisition.type == "application/epub+zip"
    second = parse_feed(
        (opds / "feedbooks-opds-test-catalog/catalog/acquisition/page2.xml").read_bytes(),
        FEEDBOOKS + "acquisition/page2.xml",
    )
    assert second.link("previous").href == url  # type: ignore[union-attr]


def test_feedbooks_borrow_and_sample_with_indirect_acquisition(opds: Path) -> None:
    data = (opds / "feedbooks-opds-test-catalog/catalog/acquisition/sample_borrow.xml").read_bytes()
    (book,) = parse_feed(data, FEEDBOOKS + "acquisition/sample_borrow.xml").entries
    rels = {acquisition.rel: acquisition for acquisition in book.acquisitions}
    assert set(rels) == {"borrow", "sample"}
    assert rels["borrow"].type == "text/html"
    assert rels["borrow"].indirect == (IndirectAcquisition("application/epub+zip"),)
    assert rels["borrow"].final_types == ("application/epub+zip",)
    assert rels["sample"].final_types == ("application/epub+zip",)


def test_nypl_capture_prices_and_grouping(opds: Path) -> None:
    data = (opds / "nypl-opds-feed-parser/acquisition.xml").read_bytes()
    page = parse_feed(data, "https://circulation.example.org/feed", "application/xml")
    assert page.kind == "acquisition"
    priced = [a for e in page.entries for a in e.acquisitions if a.price is not None]
    assert {a.rel for a in priced} >= {"buy", "subscribe"}
    buy = next(a for a in priced if a.rel == "buy")
    assert buy.price is not None
    assert buy.price.value == Decimal("10.99")
    assert buy.price.currency == "USD"
    assert buy.final_types == ("application/epub+zip",)


def test_palace_capture_drops_mailto_and_skips_bad_entry(opds: Path) -> None:
    palace = parse_feed(
        (opds / "palace-circulation-tests/opds1/palace_feed.opds").read_bytes(),
        "https://palace.example.org/groups",
    )
    assert len(palace.entries) == 100
    assert any("mailto:" in note and "only http and https" in note for note in palace.notes)
    server = parse_feed(
        (opds / "palace-circulation-tests/opds1/content_server.opds").read_bytes(),
        "https://content.example.org/feed",
    )
    # "Ignore me, but the rest of this entry should still parse", says its dcterms:issued
    assert len(server.entries) == 76
    assert server.notes == (
        "entry 4 ('Cap and Gown'): publication bad date "
        "'Ignore me, but the rest of this entry sh' ignored",
    )
    gown = next(e for e in server.entries if e.title == "Cap and Gown")
    assert (gown.issued, gown.language) == ("", "en")


def test_readium_feed_with_facets(opds: Path) -> None:
    data = (opds / "readium-kotlin-toolkit/acquisition-feed.atom").read_bytes()
    page = parse_feed(data, "https://readium.example.org/opds-catalogs/unpopular.xml")
    assert [(f.group, f.title, f.active, f.count) for f in page.facets] == [
        ("Categories", "Science-Fiction", True, None),
        ("Categories", "Romance", False, 600),
    ]
    # Root-relative facet links resolve against the host.
    assert page.facets[0].href == "https://readium.example.org/sci-fi"


def test_feedbooks_groups(opds: Path) -> None:
    data = (opds / "feedbooks-opds-test-catalog/catalog/acquisition/blocks.xml").read_bytes()
    page = parse_feed(data, FEEDBOOKS + "acquisition/blocks.xml")
    assert [(g.title, g.href) for g in page.groups] == [
        ("Sherlock Holmes", "http://www.feedbooks.com/list/9.atom"),
        ("Westerns", "http://www.feedbooks.com/books/top.atom?category=FBFIC033000"),
    ]
    assert all(group.entries for group in page.groups)
    assert not page.entries


def test_relative_and_root_relative_links_resolved() -> None:
    body = (
        '<link rel="self" href="page.xml"/><link rel="up" href="/opds/"/>'
        '<link rel="next" href="../other/page2.xml?p=2"/>'
        '<link rel="start" href="//mirror.example.org/root.xml"/>' + entry()
    )
    page = parse_atom(feed(body), "http://books.example.org/opds/new/page.xml")
    assert page.link("self").href == "http://books.example.org/opds/new/page.xml"  # type: ignore[union-attr]
    assert page.link("up").href == "http://books.example.org/opds/"  # type: ignore[union-attr]
    assert page.next_url == "http://books.example.org/opds/other/page2.xml?p=2"
    assert page.link("start").href == "http://mirror.example.org/root.xml"  # type: ignore[union-attr]
    assert page.entries[0].acquisitions[0].href == "http://books.example.org/books/1.epub"


def test_only_http_links_kept() -> None:
    extra = (
        '<link rel="http://opds-spec.org/acquisition" href="file:///etc/passwd"/>'
        '<link rel="http://opds-spec.org/image" href="javascript:alert(1)"/>'
    )
    page = parse_atom(feed(entry(extra=extra)), "https://books.example.org/feed")
    (book,) = page.entries
    assert [a.href for a in book.acquisitions] == ["https://books.example.org/books/1.epub"]
    assert book.cover == ""
    assert len(page.notes) == 2
    assert all("only http and https" in note for note in page.notes)


def test_broken_entries_skipped_with_notes_naming_them() -> None:
    body = (
        entry(ident="urn:good")
        + "<entry><title>No id</title></entry>"
        + "<entry><id>urn:no-title</id></entry>"
        + entry(ident="urn:bad-date", title="Eski", extra="<updated>yesterday</updated>")
        + '<entry><id>urn:len</id><title>Uzun</title><link rel="http://opds-spec.org/acquisition"'
        ' href="/b.epub" length="12 MB"/></entry>'
        + entry(ident="urn:price", title="Narx", extra="")
        .replace("open-access", "buy")
        .replace("/>", "><opds:price currencycode='UZS'>free</opds:price></link>")
    )
    page = parse_atom(feed(body), "https://books.example.org/feed")
    assert [e.id for e in page.entries] == ["urn:good", "urn:bad-date"]  # a date is not a book
    assert page.notes == (
        "entry 2 ('No id') skipped: it has no id",
        "entry 3 ('urn:no-title') skipped: it has no title",
        "entry 4 ('Eski'): updated: bad date 'yesterday' ignored",
        "entry 5 ('Uzun') skipped: bad length '12 MB'",
        "entry 6 ('Narx') skipped: bad price 'free'",
    )


def test_odd_types_kept_and_length_as_declared() -> None:
    extra = (
        '<link rel="http://opds-spec.org/acquisition" type="application/fb2+zip"'
        ' href="b.fb2.zip" length="123456" sha256="abcd"/>'
    )
    page = parse_atom(feed(entry(extra=extra)), "https://flibusta.example.org/opds/new")
    fb2 = page.entries[0].acquisitions[0]
    assert fb2.type == "application/fb2+zip"
    assert fb2.length == 123456
    assert [(c.algorithm, c.value) for c in fb2.checksums] == [("sha256", "abcd")]


def test_atom_served_as_application_xml_and_text_plain() -> None:
    data = feed(entry())
    for content_type in ("application/xml", "text/xml; charset=utf-8", "text/plain", ""):
        assert parse_feed(data, "https://x.example.org/f", content_type).entries


def test_single_entry_document(opds: Path) -> None:
    data = (opds / "feedbooks-opds-test-catalog/catalog/acquisition/entry.xml").read_bytes()
    page = parse_feed(data, FEEDBOOKS + "acquisition/entry.xml")
    assert page.kind == "acquisition"
    assert len(page.entries) == 1
    assert page.title == page.entries[0].title


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol3;</title></feed>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&xxe;</title></feed>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/evil.dtd">
<feed xmlns="http://www.w3.org/2005/Atom"><title>&evil;</title></feed>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_expansion_refused(data: bytes) -> None:
    with pytest.raises(CatalogError, match=r"^https://evil\.example\.org/f: .*entities"):
        parse_feed(data, "https://evil.example.org/f", "application/atom+xml")


def test_external_dtd_not_fetched() -> None:
    with pytest.raises(CatalogError, match=r"^https://evil\.example\.org/f: Atom feed") as caught:
        parse_feed(EXTERNAL_DTD, "https://evil.example.org/f", "application/atom+xml")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"<feed xmlns='http://www.w3.org/2005/Atom'><title>cut", "not well-formed XML"),
        (b"<html><body>Login</body></html>", "root element is <html>"),
        (b"", "empty document"),
        (b"Service Unavailable", "not an OPDS feed"),
    ],
)
def test_invalid_documents_one_line_error(data: bytes, problem: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_feed(data, "https://x.example.org/f", "text/html")
    message = str(caught.value)
    assert message.startswith("https://x.example.org/f: ")
    assert problem in message
    assert "\n" not in message


def test_oversized_feed_refused() -> None:
    data = feed("<!--" + "x" * MAX_DOCUMENT_BYTES + "-->")
    with pytest.raises(CatalogError, match="larger than the limit"):
        parse_feed(data, "https://x.example.org/f", "application/atom+xml")


def test_dates_real_servers_write_are_read_and_a_bad_one_costs_only_itself() -> None:
    calibre_web = "<published>101-01-01T00:00:00+00:00</published>"  # its "no date", every book
    body = (
        entry("urn:cw", "Kalibr", calibre_web + "<updated>2024-05-06T07:08:09+00:00</updated>")
        + entry("urn:words", "Sozlar", "<dcterms:issued>January 15, 1989</dcterms:issued>")
        + entry("urn:day", "Kun", "<dc:issued>15 Sept. 1901</dc:issued>")
        + entry("urn:year", "Yil", "<dcterms:issued>1813</dcterms:issued>")
        + entry("urn:month", "Oy", "<dcterms:issued>2012-10</dcterms:issued>")
        + entry("urn:text", "Matn", "<dcterms:issued>chop etilmagan</dcterms:issued>")
        + entry(
            "urn:second",
            "Ikkinchi",
            "<dcterms:issued>n.d.</dcterms:issued><published>2001-02-03</published>",
        )
    )
    head = ATOM_HEAD.replace(
        "<feed ",
        '<feed xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" ',
    )
    page = parse_atom((head + body + "</feed>").encode(), "https://cw.example.org/opds/new")
    assert [(e.title, e.issued) for e in page.entries] == [
        ("Kalibr", ""),
        ("Sozlar", "1989-01-15"),
        ("Kun", "1901-09-15"),
        ("Yil", "1813"),
        ("Oy", "2012-10"),
        ("Matn", ""),
        ("Ikkinchi", "2001-02-03"),  # the first date that reads
    ]
    assert page.entries[0].updated is not None
    assert page.notes == (
        "entry 1 ('Kalibr'): publication bad date '101-01-01T00:00:00+00:00' ignored",
        "entry 6 ('Matn'): publication bad date 'chop etilmagan' ignored",
    )
