"""The library server's OPDS catalogue of its books: OPDS 1.2 (Atom) at /opds, OPDS 2.0 at /opds/v2.

`catalog_blueprint(books_dir, data_dir)` is a self-contained Flask blueprint. The same views are
served in both versions (``/opds/...`` Atom, ``/opds/v2/...`` JSON):

| Path | What |
|---|---|
| ``/opds`` | the root: navigation to New, Authors, Titles, Languages (v2: also a "New" group) |
| ``/opds/new`` | every book, newest file first |
| ``/opds/authors``, ``/opds/authors/<key>`` | authors A–Z; one author's books |
| ``/opds/titles``, ``/opds/titles/<letter>`` | first letters; the books under one (or
  ``all``, ``other``) |
| ``/opds/languages``, ``/opds/languages/<code>`` | languages; the books in one (``und``) |
| ``/opds/search?q=`` | books whose title, authors or summary hold every word (v2 ``?query=``) |
| ``/opds/opensearch.xml`` | the OpenSearch description (``{searchTerms}``); v2 has a template |
| ``/opds/covers/<sha256>.png``, ``...-thumb.png`` | cover (≤ 400 px high), thumbnail (≤ 160) |
| ``/opds/books/<sha256>/<file name>`` | the file: Range, strong ETag, Last-Modified, its name |

Every list is paged (``?page=N``, from 1; ``OPDS_PAGE_SIZE`` in the app's config, default 50)
with first/previous/next/last links and the totals (Atom: ``opensearch:totalResults``,
``itemsPerPage``, ``startIndex``; OPDS 2: ``numberOfItems``, ``itemsPerPage``, ``currentPage``).

A book's id is ``urn:mutolaa:sha256:<hex>``: the SHA-256 of its file, the same on every server
that holds the same bytes, so a client's book key can be the content hash (an EPUB's own
identifier is not used: two editions often share one, and a PDF has none). Each acquisition
(``http://opds-spec.org/acquisition/open-access``) carries ``type``, ``length`` and the file's
``sha256`` (an Atom link attribute; an OPDS 2 ``properties`` key, with ``length``); the download
also answers ``Repr-Digest: sha-256=:…:`` (RFC 9530). A book is found by its hash in the index
only: nothing in a URL is ever used as a path.

The folder is walked again at most every ``OPDS_RESCAN_SECONDS`` (default 60) on request, or at
the next request after ``blueprint.index.request_refresh()`` (a SIGHUP handler can call it).

This module holds the blueprint and its views; what they list and how a list is paged is in
`sync.server.opds_shelves`, the OPDS 1.2 feeds in `opds_atom`, the OPDS 2.0 feeds in `opds_json`,
and what the answers share (media types, the book id, URLs, conditional answers) in `opds_http`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from xml.sax.saxutils import quoteattr

import flask
from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from sync.folding import fold
from sync.server.books import Book, BookIndex
from sync.server.opds_atom import atom_feed, esc
from sync.server.opds_http import (
    ACQUISITION_TYPE,
    DEFAULT_TITLE,
    OPDS2_TYPE,
    OPENSEARCH_TYPE,
    conditional,
    plain_error,
)
from sync.server.opds_json import json_feed
from sync.server.opds_shelves import (
    UNKNOWN_AUTHOR,
    Nav,
    Page,
    Shelves,
    View,
    language_name,
    page_of,
    shelves_of,
)
from sync.server.safe_files import content_disposition

SORT_NEW = "http://opds-spec.org/sort/new"
#: Books shown in the "New" group of the OPDS 2 home.
GROUP_SIZE = 10
_SHA = re.compile(r"^[0-9a-f]{64}$")
_COVER = re.compile(r"^([0-9a-f]{64})(-thumb)?\.png$")
# Uzbek (and Russian) Cyrillic to Uzbek Latin, so "Ўтган" finds "Oʻtgan" and back.
_CYRILLIC = str.maketrans(
    dict(zip("абвгдезийклмнопрстуфхыэқҳ", "abvgdeziyklmnoprstufxieqh", strict=True))
    | {"ё": "yo", "ж": "j", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "'", "ь": ""}
    | {"ю": "yu", "я": "ya", "ў": "o'", "ғ": "g'"}
)


def search_fold(text: str) -> str:
    """Text folded for the server's search: case, apostrophes, and Cyrillic into Latin."""
    return fold(text).translate(_CYRILLIC)


class CatalogBlueprint(Blueprint):
    """A blueprint that keeps the book index its views serve (``.index``)."""

    def __init__(self, name: str, import_name: str, index: BookIndex) -> None:
        super().__init__(name, import_name)
        self.index = index


def catalog_blueprint(books_dir: Path, data_dir: Path) -> flask.Blueprint:
    """The OPDS 1.2 and 2.0 catalogue of the books in `books_dir` (index kept in `data_dir`).

    The returned blueprint is a `CatalogBlueprint`: its ``index`` is the `BookIndex`.
    """
    index = BookIndex(Path(books_dir), Path(data_dir))
    blueprint = CatalogBlueprint("opds_catalog", __name__, index)
    catalog = _Catalog(index)
    for version, base in (("v1", "/opds"), ("v2", "/opds/v2")):
        routes: list[tuple[str, str, Callable[..., BaseResponse]]] = [
            ("", "root", catalog.root),
            ("/new", "new", catalog.new),
            ("/authors", "authors", catalog.authors),
            ("/authors/<key>", "author", catalog.author),
            ("/titles", "titles", catalog.titles),
            ("/titles/<letter>", "letter", catalog.letter),
            ("/languages", "languages", catalog.languages),
            ("/languages/<code>", "language", catalog.language),
            ("/search", "search", catalog.search),
        ]
        for rule, name, view in routes:
            blueprint.add_url_rule(
                base + rule, f"{version}_{name}", partial(view, version), methods=["GET"]
            )
    blueprint.add_url_rule("/opds/opensearch.xml", "opensearch", catalog.opensearch)
    blueprint.add_url_rule("/opds/covers/<name>", "cover", catalog.cover)
    blueprint.add_url_rule("/opds/books/<sha>/<name>", "book", catalog.book)
    return blueprint


def _count(number: int) -> str:
    return f"{number} book" if number == 1 else f"{number} books"


class _Catalog:
    """The views of the blueprint over one `BookIndex`."""

    def __init__(self, index: BookIndex) -> None:
        self.index = index
        self._cached: Shelves | None = None

    # -- settings and snapshot ---------------------------------------------------------------

    def _shelves(self) -> Shelves:
        interval = float(current_app.config.get("OPDS_RESCAN_SECONDS", 60.0))
        books = self.index.books(interval)
        cached = self._cached
        if cached is None or cached.books is not books:
            cached = shelves_of(books)
            self._cached = cached
        return cached

    # -- views -------------------------------------------------------------------------------

    def root(self, version: str) -> Response:
        shelves = self._shelves()
        items = [
            Nav("New books", "new", {}, len(shelves.books), SORT_NEW, True, "The newest first"),
            Nav(
                "Authors",
                "authors",
                {},
                len(shelves.authors),
                acquisition=False,
                summary="Books by author, A–Z",
            ),
            Nav(
                "Titles",
                "titles",
                {},
                len(shelves.books),
                acquisition=False,
                summary="Books by title, A–Z",
            ),
            Nav(
                "Languages",
                "languages",
                {},
                len(shelves.languages),
                acquisition=False,
                summary="Books by language",
            ),
        ]
        groups: list[tuple[Nav, Sequence[Book]]] = []
        if version == "v2" and shelves.books:
            groups.append((items[0], shelves.newest[:GROUP_SIZE]))
        title = str(current_app.config.get("OPDS_TITLE", DEFAULT_TITLE))
        view = View("urn:mutolaa:opds:root", title, "root", up="", navigation=items, groups=groups)
        return _render(version, view, shelves)

    def new(self, version: str) -> Response:
        shelves = self._shelves()
        view = View("urn:mutolaa:opds:new", "New books", "new", books=shelves.newest)
        return _render(version, view, shelves)

    def authors(self, version: str) -> Response:
        shelves = self._shelves()
        items = [
            Nav(
                name or UNKNOWN_AUTHOR,
                "author",
                {"key": key},
                len(books),
                summary=_count(len(books)),
            )
            for key, (name, books) in shelves.authors.items()
        ]
        view = View("urn:mutolaa:opds:authors", "Authors", "authors", navigation=items)
        return _render(version, view, shelves)

    def author(self, version: str, key: str) -> Response:
        shelves = self._shelves()
        found = shelves.authors.get(key)
        if found is None:
            return plain_error(404, f"no author {key!r} in this catalogue")
        name, books = found
        view = View(
            f"urn:mutolaa:opds:authors:{key}",
            name or UNKNOWN_AUTHOR,
            "author",
            {"key": key},
            up="authors",
            books=books,
        )
        return _render(version, view, shelves)

    def titles(self, version: str) -> Response:
        shelves = self._shelves()
        items = [
            Nav(
                "All titles",
                "letter",
                {"letter": "all"},
                len(shelves.books),
                summary=_count(len(shelves.books)),
            )
        ]
        items += [
            Nav(
                "0–9 …" if letter == "other" else letter,
                "letter",
                {"letter": letter},
                len(books),
                summary=_count(len(books)),
            )
            for letter, books in shelves.letters.items()
        ]
        view = View("urn:mutolaa:opds:titles", "Titles", "titles", navigation=items)
        return _render(version, view, shelves)

    def letter(self, version: str, letter: str) -> Response:
        shelves = self._shelves()
        if letter == "all":
            books, title = shelves.by_title, "All titles"
        else:
            wanted = letter if letter == "other" else letter.upper()
            if wanted not in shelves.letters:
                return plain_error(404, f"no titles under {letter!r} in this catalogue")
            books, title = shelves.letters[wanted], f"Titles: {wanted}"
        view = View(
            f"urn:mutolaa:opds:titles:{letter}",
            title,
            "letter",
            {"letter": letter},
            up="titles",
            books=books,
        )
        return _render(version, view, shelves)

    def languages(self, version: str) -> Response:
        shelves = self._shelves()
        items = [
            Nav(
                language_name(tag),
                "language",
                {"code": tag},
                len(books),
                summary=_count(len(books)),
            )
            for tag, books in shelves.languages.items()
        ]
        view = View("urn:mutolaa:opds:languages", "Languages", "languages", navigation=items)
        return _render(version, view, shelves)

    def language(self, version: str, code: str) -> Response:
        shelves = self._shelves()
        books = shelves.languages.get(code)
        if books is None:
            return plain_error(404, f"no books in language {code!r} in this catalogue")
        view = View(
            f"urn:mutolaa:opds:languages:{code}",
            language_name(code),
            "language",
            {"code": code},
            up="languages",
            books=books,
        )
        return _render(version, view, shelves)

    def search(self, version: str) -> Response:
        shelves = self._shelves()
        terms = (request.args.get("q") or request.args.get("query") or "").strip()
        if not terms:
            return plain_error(400, "search: give the words to search for as ?q=")
        words = search_fold(terms).split()
        ranked: list[tuple[int, int, Book]] = []
        for position, book in enumerate(shelves.by_title):
            title = search_fold(book.title)
            authors = search_fold(" ".join(book.authors))
            summary = search_fold(book.summary)
            everything = f"{title}\n{authors}\n{summary}"
            if not all(word in everything for word in words):
                continue
            rank = (
                0
                if all(w in title for w in words)
                else 1
                if all(w in authors for w in words)
                else 2
            )
            ranked.append((rank, position, book))
        found = [book for _, _, book in sorted(ranked, key=lambda item: item[:2])]
        view = View(
            "urn:mutolaa:opds:search",
            f"Search: {terms}",
            "search",
            {"q" if version == "v1" else "query": terms},
            books=found,
        )
        return _render(version, view, shelves)

    def opensearch(self) -> Response:
        atom = url_for(".v1_search", _external=True) + "?q={searchTerms}"
        json_url = url_for(".v2_search", _external=True) + "?query={searchTerms}"
        title = str(current_app.config.get("OPDS_TITLE", DEFAULT_TITLE))
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">\n'
            f"<ShortName>{esc(title[:16])}</ShortName>\n"
            f"<Description>{esc(f'Search {title} by title, author or description')}"
            "</Description>\n"
            "<InputEncoding>UTF-8</InputEncoding>\n<OutputEncoding>UTF-8</OutputEncoding>\n"
            f"<Url type={quoteattr(ACQUISITION_TYPE)} template={quoteattr(atom)}/>\n"
            f"<Url type={quoteattr(OPDS2_TYPE)} template={quoteattr(json_url)}/>\n"
            "</OpenSearchDescription>\n"
        )
        return conditional(Response(body.encode("utf-8"), content_type=OPENSEARCH_TYPE))

    def cover(self, name: str) -> BaseResponse:
        match = _COVER.match(name)
        if not match:
            return plain_error(404, f"no cover {name!r}")
        book = self._book_by_sha(match.group(1))
        path = self.index.cover_path(book, bool(match.group(2))) if book else None
        if book is None or path is None or not path.is_file():
            return plain_error(404, f"no cover {name!r}")
        response = flask.send_file(
            path,
            mimetype="image/png",
            conditional=True,
            etag=match.group(1) + (match.group(2) or ""),
            last_modified=book.mtime,
            max_age=86400,
        )
        return response

    def book(self, sha: str, name: str) -> BaseResponse:
        book = self._book_by_sha(sha)
        if book is None:
            return plain_error(404, f"no book {sha[:64]!r} in this catalogue")
        path = self.index.path_of(book)
        if path is None:  # now a link to outside the folder, or a FIFO: logged there
            return plain_error(404, f"no book {sha[:64]!r} in this catalogue")
        try:
            stat = path.stat()
        except OSError:
            stat = None
        if stat is None or (stat.st_size, stat.st_mtime) != (book.size, book.mtime):
            self.index.request_refresh()  # changed under us: its hash is no longer known
            return plain_error(
                404, f"{book.file_name} changed since it was listed; reload the feed"
            )
        response = flask.send_file(
            path,
            mimetype=book.media_type,
            as_attachment=True,
            download_name=book.sha256,  # replaced below: the name may hold a newline
            conditional=True,
            etag=book.sha256,
            last_modified=book.mtime,
            max_age=0,
        )
        digest = base64.b64encode(bytes.fromhex(book.sha256)).decode("ascii")
        response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
        # no charset: an FB2 or a text file may be in any encoding
        response.headers["Content-Type"] = book.media_type
        response.headers["Accept-Ranges"] = "bytes"
        response.headers["Content-Disposition"] = content_disposition(book.file_name)
        return response

    def _book_by_sha(self, sha: str) -> Book | None:
        if not _SHA.match(sha):
            return None
        self._shelves()  # a rescan if one is due
        return self.index.by_sha(sha, float("inf"))


def _render(version: str, view: View, shelves: Shelves) -> Response:
    total = len(view.books) if view.books or not view.navigation else len(view.navigation)
    if view.endpoint == "root":  # a handful of items, never paged
        page: Page | Response = Page(1, 1, max(1, total), total)
    else:
        page = page_of(total)
    if isinstance(page, Response):
        return page
    books = view.books[page.start : page.start + page.size]
    navigation = view.navigation[page.start : page.start + page.size]
    if version == "v2":
        return json_feed(view, page, books, navigation, shelves)
    return atom_feed(view, page, books, navigation, shelves)
