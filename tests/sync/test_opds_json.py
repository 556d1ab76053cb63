"""OPDS 2.0 JSON feeds: real captures, paging, groups, facets, templates, broken input."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sync.errors import CatalogError
from sync.opds import parse_feed
from sync.opds.json2 import parse_json
from sync.opds.opensearch import templated_search_url

HOME = "https://feedbooks.github.io/opds-test-catalog/opds-2/home.json"


def document(**parts: Any) -> bytes:
    """An OPDS 2 feed document with a title and the given parts."""
    body: dict[str, Any] = {"metadata": {"title": "Kutubxona"}}
    body.update(parts)
    return json.dumps(body, ensure_ascii=False).encode()


def publication(ident: str = "urn:1", title: str = "Kitob", **metadata: Any) -> dict[str, Any]:
    """A publication with an open-access EPUB link."""
    return {
        "metadata": {"identifier": ident, "title": title, **metadata},
        "links": [
            {
                "rel": "http://opds-spec.org/acquisition/open-access",
                "href": "/books/1.epub",
                "type": "application/epub+zip",
            }
        ],
    }


def test_feedbooks_opds2_home(opds: Path) -> None:
    home = parse_feed(
        (opds / "feedbooks-opds-test-catalog/opds-2/home.json").read_bytes(),
        HOME,
        "application/opds+json",
    )
    assert home.title == "OPDS 2.0 Test Catalog"
    assert home.link("self").href == HOME  # type: ignore[union-attr]
    assert home.navigation[0].title == "Best Selling (Absolute URI)"
    assert home.navigation[0].rel == "http://opds-spec.org/sort/popular"
    assert [group.title for group in home.groups] == [
        "French Classics",
        "More Navigation",
        "English Classics",
    ]
    assert home.groups[0].entries
    assert home.groups[1].navigation
    assert not home.notes


def test_opds2_publication_document(opds: Path) -> None:
    data = (opds / "readium-swift-toolkit/opds2-publication.json").read_bytes()
    page = parse_feed(data, "http://example.org/manifest.json", "application/opds-publication+json")
    (book,) = page.entries
    assert book.title == "Moby-Dick"
    assert book.id == "urn:isbn:978031600000X"
    assert book.authors == ("Herman Melville",)
    (buy,) = book.acquisitions
    assert buy.rel == "buy"
    assert buy.href == "http://example.org/buy"
    assert buy.price is not None
    assert buy.price.value == Decimal("4.99")
    assert buy.price.currency == "USD"
    assert book.cover == "http://example.org/cover.jpg"
    assert book.thumbnail == "http://example.org/cover-small.jpg"


def test_paging_fields_and_html_description(opds: Path) -> None:
    data = (opds / "palace-circulation-tests/opds2/tf.json").read_bytes()
    page = parse_feed(data, "https://api.example.org/catalog?page=2", "application/json")
    assert (page.total_results, page.items_per_page, page.current_page) == (10, 6, 2)
    assert len(page.entries) == 4
    assert page.entries[0].summary.startswith("The Iran-Iraq War")
    assert "<P>" not in page.entries[0].summary
    assert page.entries[0].language == "eng"
    # Taylor & Francis acquisition links carry an {authToken} the server gives elsewhere.
    assert all(a.templated and "{authToken}" in a.href for a in page.entries[0].acquisitions)


def test_thorium_feed_with_errors_still_gives_its_publication(opds: Path) -> None:
    data = (opds / "thorium-reader-epub-tests/feed_with_errors.json").read_bytes()
    page = parse_feed(data, "https://rawcdn.example.org/feed_with_errors.json", "text/plain")
    (book,) = page.entries
    assert book.title == "Test A11Y metadata display : all values"
    assert book.acquisitions[0].rel == "open-access"
    assert book.acquisitions[0].href.endswith("/a11y_metadata.epub")


def test_palace_bad_feed_skips_broken_publications_with_notes(opds: Path) -> None:
    data = (opds / "palace-circulation-tests/opds2/bad_feed.json").read_bytes()
    page = parse_feed(data, "http://example.com/new", "application/opds+json")
    assert len(page.entries) == 1
    assert page.notes == (
        "publication 1 skipped: it has no title",
        "publication 3 ('The Politics of Postmodernism') skipped: it has no links",
    )


def test_broken_publications_skipped_never_the_feed() -> None:
    bad_length = publication("urn:len", "Uzun")
    bad_length["links"][0]["properties"] = {"length": "big"}
    data = document(
        publications=[
            publication(),
            "not an object",
            publication("urn:date", "Sana", modified="kecha"),
            bad_length,
            {"metadata": {"title": "Havolasiz"}, "links": []},
        ]
    )
    page = parse_json(data, "https://kutubxona.example.uz/opds2")
    assert [e.id for e in page.entries] == ["urn:1", "urn:date"]  # a date is not a book
    assert page.notes == (
        "publication 2 skipped: not a JSON object",
        "publication 3 ('Sana'): modified: bad date 'kecha' ignored",
        "publication 4 ('Uzun') skipped: bad length 'big'",
        "publication 5 ('Havolasiz') skipped: it has no identifier and no self link",
    )


def test_facets_groups_language_maps_and_indirect_acquisition() -> None:
    book = publication(title={"uz": "Oʻtkan kunlar", "ru": "Минувшие дни"})
    book["links"][0] = {
        "rel": "http://opds-spec.org/acquisition/borrow",
        "href": "loan",
        "type": "application/vnd.adobe.adept+xml",
        "properties": {
            "indirectAcquisition": [
                {
                    "type": "application/vnd.adobe.adept+xml",
                    "child": [{"type": "application/epub+zip"}],
                }
            ],
            "sha256": "00ff",
        },
    }
    data = document(
        facets=[
            {
                "metadata": {"title": "Til"},
                "links": [
                    {
                        "href": "?lang=uz",
                        "title": "Oʻzbekcha",
                        "rel": "self",
                        "properties": {"numberOfItems": 7},
                    },
                    {"href": "?lang=ru", "title": "Русский"},
                ],
            }
        ],
        groups=[
            {
                "metadata": {"title": "Yangi"},
                "links": [{"rel": "self", "href": "new"}],
                "publications": [book],
            }
        ],
    )
    page = parse_json(data, "https://kutubxona.example.uz/opds/home.json")
    assert [(f.group, f.title, f.href, f.active, f.count) for f in page.facets] == [
        ("Til", "Oʻzbekcha", "https://kutubxona.example.uz/opds/home.json?lang=uz", True, 7),
        ("Til", "Русский", "https://kutubxona.example.uz/opds/home.json?lang=ru", False, None),
    ]
    (group,) = page.groups
    assert group.href == "https://kutubxona.example.uz/opds/new"
    (entry,) = group.entries
    assert entry.title == "Oʻtkan kunlar"
    borrow = entry.acquisitions[0]
    assert borrow.href == "https://kutubxona.example.uz/opds/loan"
    assert borrow.final_types == ("application/epub+zip",)
    assert [(c.algorithm, c.value) for c in borrow.checksums] == [("sha256", "00ff")]
    assert page.kind == "acquisition"


def test_templated_search_link_expanded_with_uzbek_and_cyrillic() -> None:
    data = document(
        links=[
            {
                "rel": "search",
                "href": "/search{?query}",
                "type": "application/opds+json",
                "templated": True,
            }
        ],
        navigation=[{"href": "/new", "title": "Yangi"}],
    )
    page = parse_json(data, "https://kutubxona.example.uz/opds/home.json")
    link = page.search_link
    assert link is not None
    assert link.templated
    assert link.href == "https://kutubxona.example.uz/search{?query}"
    assert (
        templated_search_url(link, "Oʻtkan kunlar")
        == "https://kutubxona.example.uz/search?query=O%CA%BBtkan%20kunlar"
    )
    assert templated_search_url(link, "Война") == (
        "https://kutubxona.example.uz/search?query=%D0%92%D0%BE%D0%B9%D0%BD%D0%B0"
    )


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b'{"metadata": {"title": "x"}, "publications": [', "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"links": []}', "no metadata object"),
        (b'{"metadata": {"title": "x"}}', "no navigation, publications"),
        (b'\xff{"a": 1}', "not UTF-8"),
    ],
)
def test_invalid_json_one_line_error(data: bytes, problem: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_feed(data, "https://x.example.org/f.json", "application/opds+json")
    message = str(caught.value)
    assert message.startswith("https://x.example.org/f.json: ")
    assert problem in message
    assert "\n" not in message


# -- found by the property tests (tests/property/test_opds_parsers.py) --------------------------


def test_a_list_where_a_count_belongs_is_a_note_not_an_attribute_error() -> None:
    feed = parse_json(
        b'{"metadata":{"numberOfItems":[]},"publications":[],"":[]}', "https://x/f.json"
    )
    assert feed.total_results is None
    assert feed.notes == ("feed paging: bad numberOfItems: list, not a number; paging ignored",)


def test_a_link_with_a_broken_ipv6_address_is_dropped_with_a_note() -> None:
    feed = parse_json(b'{"metadata":{"":[]},"links":[{"href":"a://["}]}', "https://x/f.json")
    assert feed.links == ()
    assert "publication: link 'a://[' dropped: not a valid URL" in feed.notes


def test_a_content_type_with_a_line_separator_stays_on_one_line() -> None:
    with pytest.raises(CatalogError) as caught:
        parse_feed(b"", "https://x/f", "text/plain\x1e\nX-Other: 1")
    assert str(caught.value) == "https://x/f: empty document (text/plain X-Other: 1)"
