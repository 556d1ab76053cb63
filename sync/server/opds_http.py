"""What the OPDS catalogue's answers share: media types, link relations, the book id, URLs, dates.

The URL of a view (and of one of its pages), of a cover and of a book file; the feeds' form of a
date; a feed answer with a strong ETag (304 when it matches); a plain-text error.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from flask import Response, request, url_for

from sync.server.books import Book

NAVIGATION_TYPE = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPDS2_TYPE = "application/opds+json"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
IMAGE_REL = "http://opds-spec.org/image"
THUMBNAIL_REL = "http://opds-spec.org/image/thumbnail"
DEFAULT_TITLE = "Mutolaa library"
BOOK_ID_PREFIX = "urn:mutolaa:sha256:"


def view_url(version: str, endpoint: str, values: dict[str, str], page: int | None = None) -> str:
    """The URL of a view of this blueprint (``version`` "v1" or "v2"); `page` when past 1."""
    extra: dict[str, Any] = {"page": str(page)} if page and page > 1 else {}
    arguments: dict[str, Any] = {**values, **extra}
    return url_for(f".{version}_{endpoint}", **arguments)


def iso(moment: datetime) -> str:
    """A moment as the feeds write it: UTC, whole seconds, ``Z``."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def cover_url(book: Book, thumbnail: bool) -> str:
    """The URL of a book's cover (or its thumbnail)."""
    return url_for(".cover", name=f"{book.sha256}{'-thumb' if thumbnail else ''}.png")


def book_url(book: Book) -> str:
    """The URL of a book's file."""
    return url_for(".book", sha=book.sha256, name=book.file_name)


def conditional(response: Response) -> Response:
    """A feed answer with a strong ETag of its body; a matching If-None-Match gets 304."""
    response.add_etag()
    response.headers["Cache-Control"] = "no-cache"
    response.make_conditional(request)
    return response


def plain_error(status: int, message: str) -> Response:
    """A plain-text error answer: `message` on one line, with `status`."""
    text = unicodedata.normalize("NFC", " ".join(message.split()))
    return Response(text + "\n", status=status, content_type="text/plain; charset=utf-8")
