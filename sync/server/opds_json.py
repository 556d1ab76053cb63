"""The catalogue's OPDS 2.0 (JSON) feeds: a feed with its navigation, groups and publications."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from flask import Response, current_app, url_for

from sync.server.books import Book
from sync.server.opds_http import (
    ACQUISITION_TYPE,
    BOOK_ID_PREFIX,
    DEFAULT_TITLE,
    NAVIGATION_TYPE,
    OPDS2_TYPE,
    OPEN_ACCESS,
    book_url,
    conditional,
    cover_url,
    iso,
    view_url,
)
from sync.server.opds_shelves import Nav, Page, Shelves, View, author_key, paging_links


def _json_link(rel: str, href: str, media_type: str = OPDS2_TYPE, **extra: Any) -> dict[str, Any]:
    link: dict[str, Any] = {"rel": rel, "href": href, "type": media_type}
    link.update(extra)
    return link


def json_feed(
    view: View,
    page: Page,
    books: Sequence[Book],
    navigation: Sequence[Nav],
    shelves: Shelves,
) -> Response:
    """The OPDS 2.0 feed of one page of `view` (`books` and `navigation` are its items)."""
    title = str(current_app.config.get("OPDS_TITLE", DEFAULT_TITLE))
    metadata: dict[str, Any] = {
        "title": view.title,
        "identifier": view.id,
        "modified": iso(shelves.updated),
    }
    links = [
        _json_link("self", view_url("v2", view.endpoint, view.values, page.number)),
        _json_link("start", view_url("v2", "root", {}), title=title),
    ]
    if view.up:
        links.append(_json_link("up", view_url("v2", view.up, {})))
    links.append(
        _json_link("search", url_for(".v2_search") + "{?query}", templated=True, title="Search")
    )
    links.append(
        _json_link(
            "alternate",
            view_url("v1", view.endpoint, view.values, page.number),
            ACQUISITION_TYPE if view.books else NAVIGATION_TYPE,
        )
    )
    if view.endpoint != "root":
        metadata.update(numberOfItems=page.total, itemsPerPage=page.size, currentPage=page.number)
        links += [_json_link(rel, href) for rel, href in paging_links("v2", view, page)]
    document: dict[str, Any] = {"metadata": metadata, "links": links}
    if view.navigation:
        document["navigation"] = [
            {
                "title": item.title,
                "href": view_url("v2", item.endpoint, item.values),
                "type": OPDS2_TYPE,
                "rel": item.rel,
                "properties": {"numberOfItems": item.count},
            }
            for item in navigation
        ]
    if view.books or not view.navigation:
        document["publications"] = [_publication(book) for book in books]
    if view.groups:
        document["groups"] = [
            {
                "metadata": {"title": nav.title, "numberOfItems": nav.count},
                "links": [
                    _json_link("self", view_url("v2", nav.endpoint, nav.values), title=nav.title)
                ],
                "publications": [_publication(book) for book in group],
            }
            for nav, group in view.groups
        ]
    body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    return conditional(Response(body, content_type=OPDS2_TYPE))


def _publication(book: Book) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "@type": "http://schema.org/Book",
        "identifier": BOOK_ID_PREFIX + book.sha256,
        "title": book.title,
        "modified": iso(book.updated),
    }
    if book.authors:
        metadata["author"] = [
            {
                "name": name,
                "links": [
                    {
                        "href": view_url("v2", "author", {"key": author_key(name)}),
                        "type": OPDS2_TYPE,
                    }
                ],
            }
            for name in book.authors
        ]
    if book.language:
        metadata["language"] = book.language
    if book.issued:
        metadata["published"] = book.issued
    if book.summary:
        metadata["description"] = book.summary
    images = []
    for thumbnail, (width, height) in ((False, book.cover), (True, book.thumbnail)):
        if width and height:
            images.append(
                {
                    "href": cover_url(book, thumbnail),
                    "type": "image/png",
                    "width": width,
                    "height": height,
                }
            )
    publication: dict[str, Any] = {
        "metadata": metadata,
        "links": [
            {
                "rel": OPEN_ACCESS,
                "href": book_url(book),
                "type": book.media_type,
                "title": book.format_name,
                "properties": {"length": book.size, "sha256": book.sha256},
            }
        ],
    }
    if images:
        publication["images"] = images
    return publication
