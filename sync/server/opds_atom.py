"""The catalogue's OPDS 1.2 (Atom) feeds: a small XML writer, a feed, its entries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from flask import Response, current_app, url_for

from sync.server.books import Book
from sync.server.opds_http import (
    ACQUISITION_TYPE,
    BOOK_ID_PREFIX,
    DEFAULT_TITLE,
    IMAGE_REL,
    NAVIGATION_TYPE,
    OPDS2_TYPE,
    OPEN_ACCESS,
    OPENSEARCH_TYPE,
    THUMBNAIL_REL,
    book_url,
    conditional,
    cover_url,
    iso,
    view_url,
)
from sync.server.opds_shelves import Nav, Page, Shelves, View, author_key, paging_links

ATOM_NS = "http://www.w3.org/2005/Atom"
NAMESPACES = {
    "xmlns": ATOM_NS,
    "xmlns:dc": "http://purl.org/dc/terms/",
    "xmlns:opds": "http://opds-spec.org/2010/catalog",
    "xmlns:opensearch": "http://a9.com/-/spec/opensearch/1.1/",
    "xmlns:thr": "http://purl.org/syndication/thread/1.0",
}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def esc(text: str) -> str:
    """`text` escaped for XML, the characters XML forbids dropped."""
    return escape(_XML_INVALID.sub("", text))


class _Xml:
    """A small XML writer: every text and attribute escaped, characters XML forbids dropped."""

    def __init__(self) -> None:
        self.parts: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']

    def open(self, tag: str, attrs: dict[str, str] | None = None) -> None:
        self.parts.append(f"<{tag}{self._attrs(attrs)}>\n")

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>\n")

    def leaf(self, tag: str, text: str = "", attrs: dict[str, str] | None = None) -> None:
        if text:
            self.parts.append(f"<{tag}{self._attrs(attrs)}>{esc(text)}</{tag}>\n")
        else:
            self.parts.append(f"<{tag}{self._attrs(attrs)}/>\n")

    @staticmethod
    def _attrs(attrs: dict[str, str] | None) -> str:
        if not attrs:
            return ""
        return "".join(
            f" {key}={quoteattr(_XML_INVALID.sub('', value), {chr(10): '&#10;', chr(9): '&#9;'})}"
            for key, value in attrs.items()
            if value != ""
        )

    def data(self) -> bytes:
        return "".join(self.parts).encode("utf-8")


def atom_feed(
    view: View,
    page: Page,
    books: Sequence[Book],
    navigation: Sequence[Nav],
    shelves: Shelves,
) -> Response:
    """The OPDS 1.2 Atom feed of one page of `view` (`books` and `navigation` are its items)."""
    acquisition = bool(view.books) or (not view.navigation and view.endpoint != "root")
    own_type = ACQUISITION_TYPE if acquisition else NAVIGATION_TYPE
    xml = _Xml()
    xml.open("feed", NAMESPACES)
    xml.leaf("id", view.id)
    xml.leaf("title", view.title)
    xml.leaf("updated", iso(shelves.updated))
    xml.open("author")
    xml.leaf("name", str(current_app.config.get("OPDS_TITLE", DEFAULT_TITLE)))
    xml.close("author")
    xml.leaf(
        "link",
        attrs={
            "rel": "self",
            "href": view_url("v1", view.endpoint, view.values, page.number),
            "type": own_type,
        },
    )
    xml.leaf(
        "link", attrs={"rel": "start", "href": view_url("v1", "root", {}), "type": NAVIGATION_TYPE}
    )
    if view.up:
        xml.leaf(
            "link",
            attrs={"rel": "up", "href": view_url("v1", view.up, {}), "type": NAVIGATION_TYPE},
        )
    xml.leaf(
        "link",
        attrs={
            "rel": "search",
            "href": url_for(".opensearch"),
            "type": OPENSEARCH_TYPE,
            "title": "Search",
        },
    )
    xml.leaf(
        "link",
        attrs={
            "rel": "search",
            "href": url_for(".v1_search") + "?q={searchTerms}",
            "type": ACQUISITION_TYPE,
            "title": "Search",
        },
    )
    xml.leaf(
        "link",
        attrs={
            "rel": "alternate",
            "href": view_url("v2", view.endpoint, view.values, page.number),
            "type": OPDS2_TYPE,
        },
    )
    if view.endpoint != "root":
        for rel, href in paging_links("v1", view, page):
            xml.leaf("link", attrs={"rel": rel, "href": href, "type": own_type})
        xml.leaf("opensearch:totalResults", str(page.total))
        xml.leaf("opensearch:itemsPerPage", str(page.size))
        xml.leaf("opensearch:startIndex", str(page.start + 1))
    for item in navigation:
        _atom_navigation(xml, view, item, shelves)
    for book in books:
        _atom_entry(xml, book)
    xml.close("feed")
    return conditional(Response(xml.data(), content_type=own_type))


def _atom_navigation(xml: _Xml, view: View, item: Nav, shelves: Shelves) -> None:
    suffix = ":".join(item.values.values())
    xml.open("entry")
    xml.leaf("title", item.title)
    xml.leaf("id", f"urn:mutolaa:opds:{item.endpoint}" + (f":{suffix}" if suffix else ""))
    xml.leaf("updated", iso(shelves.updated))
    if item.summary:
        xml.leaf("content", item.summary, {"type": "text"})
    xml.leaf(
        "link",
        attrs={
            "rel": item.rel,
            "href": view_url("v1", item.endpoint, item.values),
            "type": ACQUISITION_TYPE if item.acquisition else NAVIGATION_TYPE,
            "thr:count": str(item.count),
        },
    )
    xml.close("entry")


def _atom_entry(xml: _Xml, book: Book) -> None:
    xml.open("entry")
    xml.leaf("title", book.title)
    xml.leaf("id", BOOK_ID_PREFIX + book.sha256)
    xml.leaf("updated", iso(book.updated))
    for name in book.authors:
        xml.open("author")
        xml.leaf("name", name)
        xml.leaf("uri", view_url("v1", "author", {"key": author_key(name)}))
        xml.close("author")
    if book.language:
        xml.leaf("dc:language", book.language)
    if book.issued:
        xml.leaf("dc:issued", book.issued)
    xml.leaf("dc:format", book.media_type)
    xml.leaf("dc:extent", f"{book.size} bytes")
    if book.summary:
        xml.leaf("summary", book.summary, {"type": "text"})
    if book.cover != (0, 0):
        xml.leaf(
            "link", attrs={"rel": IMAGE_REL, "href": cover_url(book, False), "type": "image/png"}
        )
    if book.thumbnail != (0, 0):
        xml.leaf(
            "link",
            attrs={"rel": THUMBNAIL_REL, "href": cover_url(book, True), "type": "image/png"},
        )
    xml.leaf(
        "link",
        attrs={
            "rel": OPEN_ACCESS,
            "href": book_url(book),
            "type": book.media_type,
            "title": book.format_name,
            "length": str(book.size),
            "sha256": book.sha256,
        },
    )
    xml.close("entry")
