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
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import flask
from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from sync.folding import fold
from sync.server.books import Book, BookIndex, sort_key

ATOM_NS = "http://www.w3.org/2005/Atom"
NAMESPACES = {
    "xmlns": ATOM_NS,
    "xmlns:dc": "http://purl.org/dc/terms/",
    "xmlns:opds": "http://opds-spec.org/2010/catalog",
    "xmlns:opensearch": "http://a9.com/-/spec/opensearch/1.1/",
    "xmlns:thr": "http://purl.org/syndication/thread/1.0",
}
NAVIGATION_TYPE = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPDS2_TYPE = "application/opds+json"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
IMAGE_REL = "http://opds-spec.org/image"
THUMBNAIL_REL = "http://opds-spec.org/image/thumbnail"
SORT_NEW = "http://opds-spec.org/sort/new"
DEFAULT_PAGE_SIZE = 50
DEFAULT_TITLE = "Mutolaa library"
#: Books shown in the "New" group of the OPDS 2 home.
GROUP_SIZE = 10
BOOK_ID_PREFIX = "urn:mutolaa:sha256:"

LANGUAGE_NAMES = {
    "uz": "Oʻzbekcha",
    "uz-Latn": "Oʻzbekcha",
    "uz-Cyrl": "Ўзбекча",
    "ru": "Русский",
    "en": "English",
    "kk": "Қазақша",
    "ky": "Кыргызча",
    "tg": "Тоҷикӣ",
    "tk": "Türkmençe",
    "tr": "Türkçe",
    "de": "Deutsch",
    "fr": "Français",
    "ar": "العربية",
    "fa": "فارسی",
    "und": "Unknown language",
}
UNKNOWN_AUTHOR = "Unknown author"
_SHA = re.compile(r"^[0-9a-f]{64}$")
_COVER = re.compile(r"^([0-9a-f]{64})(-thumb)?\.png$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
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


# -- what the views list ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Nav:
    """An item of a navigation feed: a link to another view of this catalogue."""

    title: str
    endpoint: str
    values: dict[str, str] = field(default_factory=dict)
    count: int = 0
    rel: str = "subsection"
    acquisition: bool = True
    summary: str = ""


@dataclass(frozen=True)
class _View:
    """A feed: its id, title, where it is, where "up" leads, and what it lists."""

    id: str
    title: str
    endpoint: str
    values: dict[str, str] = field(default_factory=dict)
    up: str = "root"
    books: Sequence[Book] = ()
    navigation: Sequence[_Nav] = ()
    groups: Sequence[tuple[_Nav, Sequence[Book]]] = ()


@dataclass
class _Shelves:
    """The books of one snapshot of the index, sorted the ways the views need."""

    books: tuple[Book, ...]
    newest: list[Book]
    by_title: list[Book]
    authors: dict[str, tuple[str, list[Book]]]  # key → (name, books by title)
    letters: dict[str, list[Book]]  # "A", "Ў", "other"
    languages: dict[str, list[Book]]  # tag ("und" for none) → books by title
    updated: datetime


def author_key(name: str) -> str:
    """The URL key of an author: a short hash of the folded name ("unknown" for none)."""
    if not name:
        return "unknown"
    import hashlib  # noqa: PLC0415 - keeps the module's imports about serving

    return hashlib.sha256(fold(name).encode("utf-8")).hexdigest()[:16]


def title_letter(title: str) -> str:
    """The first letter a title is listed under ("other" for a digit or a sign)."""
    key = sort_key(title)
    first = key[:1].upper()
    return first if first.isalpha() else "other"


def _shelves(books: tuple[Book, ...]) -> _Shelves:
    by_title = sorted(books, key=lambda b: (sort_key(b.title), b.sha256))
    authors: dict[str, tuple[str, list[Book]]] = {}
    letters: dict[str, list[Book]] = {}
    languages: dict[str, list[Book]] = {}
    for book in by_title:
        for name in book.authors or ("",):
            authors.setdefault(author_key(name), (name, []))[1].append(book)
        letters.setdefault(title_letter(book.title), []).append(book)
        languages.setdefault(book.language or "und", []).append(book)
    newest = max((b.mtime for b in books), default=0.0)
    return _Shelves(
        books=books,
        newest=sorted(books, key=lambda b: (-b.mtime, sort_key(b.title))),
        by_title=by_title,
        authors=dict(
            sorted(authors.items(), key=lambda kv: (kv[0] == "unknown", sort_key(kv[1][0])))
        ),
        letters=dict(sorted(letters.items(), key=lambda kv: (kv[0] == "other", kv[0]))),
        languages=dict(sorted(languages.items(), key=lambda kv: (kv[0] == "und", kv[0]))),
        updated=datetime.fromtimestamp(newest, tz=UTC).replace(microsecond=0),
    )


def language_name(tag: str) -> str:
    """How a language is shown ("Oʻzbekcha (uz)"); the tag itself when it is not known."""
    name = LANGUAGE_NAMES.get(tag) or LANGUAGE_NAMES.get(tag.split("-", maxsplit=1)[0])
    if tag == "und":
        return LANGUAGE_NAMES["und"]
    return f"{name} ({tag})" if name else tag


def _count(number: int) -> str:
    return f"{number} book" if number == 1 else f"{number} books"


class _Catalog:
    """The views of the blueprint over one `BookIndex`."""

    def __init__(self, index: BookIndex) -> None:
        self.index = index
        self._cached: _Shelves | None = None

    # -- settings and snapshot ---------------------------------------------------------------

    @staticmethod
    def _page_size() -> int:
        return max(1, int(current_app.config.get("OPDS_PAGE_SIZE", DEFAULT_PAGE_SIZE)))

    def _shelves(self) -> _Shelves:
        interval = float(current_app.config.get("OPDS_RESCAN_SECONDS", 60.0))
        books = self.index.books(interval)
        cached = self._cached
        if cached is None or cached.books is not books:
            cached = _shelves(books)
            self._cached = cached
        return cached

    # -- views -------------------------------------------------------------------------------

    def root(self, version: str) -> Response:
        shelves = self._shelves()
        items = [
            _Nav("New books", "new", {}, len(shelves.books), SORT_NEW, True, "The newest first"),
            _Nav(
                "Authors",
                "authors",
                {},
                len(shelves.authors),
                acquisition=False,
                summary="Books by author, A–Z",
            ),
            _Nav(
                "Titles",
                "titles",
                {},
                len(shelves.books),
                acquisition=False,
                summary="Books by title, A–Z",
            ),
            _Nav(
                "Languages",
                "languages",
                {},
                len(shelves.languages),
                acquisition=False,
                summary="Books by language",
            ),
        ]
        groups: list[tuple[_Nav, Sequence[Book]]] = []
        if version == "v2" and shelves.books:
            groups.append((items[0], shelves.newest[:GROUP_SIZE]))
        title = str(current_app.config.get("OPDS_TITLE", DEFAULT_TITLE))
        view = _View("urn:mutolaa:opds:root", title, "root", up="", navigation=items, groups=groups)
        return _render(version, view, shelves)

    def new(self, version: str) -> Response:
        shelves = self._shelves()
        view = _View("urn:mutolaa:opds:new", "New books", "new", books=shelves.newest)
        return _render(version, view, shelves)

    def authors(self, version: str) -> Response:
        shelves = self._shelves()
        items = [
            _Nav(
                name or UNKNOWN_AUTHOR,
                "author",
                {"key": key},
                len(books),
                summary=_count(len(books)),
            )
            for key, (name, books) in shelves.authors.items()
        ]
        view = _View("urn:mutolaa:opds:authors", "Authors", "authors", navigation=items)
        return _render(version, view, shelves)

    def author(self, version: str, key: str) -> Response:
        shelves = self._shelves()
        found = shelves.authors.get(key)
        if found is None:
            return _error(404, f"no author {key!r} in this catalogue")
        name, books = found
        view = _View(
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
            _Nav(
                "All titles",
                "letter",
                {"letter": "all"},
                len(shelves.books),
                summary=_count(len(shelves.books)),
            )
        ]
        items += [
            _Nav(
                "0–9 …" if letter == "other" else letter,
                "letter",
                {"letter": letter},
                len(books),
                summary=_count(len(books)),
            )
            for letter, books in shelves.letters.items()
        ]
        view = _View("urn:mutolaa:opds:titles", "Titles", "titles", navigation=items)
        return _render(version, view, shelves)

    def letter(self, version: str, letter: str) -> Response:
        shelves = self._shelves()
        if letter == "all":
            books, title = shelves.by_title, "All titles"
        else:
            wanted = letter if letter == "other" else letter.upper()
            if wanted not in shelves.letters:
                return _error(404, f"no titles under {letter!r} in this catalogue")
            books, title = shelves.letters[wanted], f"Titles: {wanted}"
        view = _View(
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
            _Nav(
                language_name(tag),
                "language",
                {"code": tag},
                len(books),
                summary=_count(len(books)),
            )
            for tag, books in shelves.languages.items()
        ]
        view = _View("urn:mutolaa:opds:languages", "Languages", "languages", navigation=items)
        return _render(version, view, shelves)

    def language(self, version: str, code: str) -> Response:
        shelves = self._shelves()
        books = shelves.languages.get(code)
        if books is None:
            return _error(404, f"no books in language {code!r} in this catalogue")
        view = _View(
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
            return _error(400, "search: give the words to search for as ?q=")
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
        view = _View(
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
            f"<ShortName>{_esc(title[:16])}</ShortName>\n"
            f"<Description>{_esc(f'Search {title} by title, author or description')}"
            "</Description>\n"
            "<InputEncoding>UTF-8</InputEncoding>\n<OutputEncoding>UTF-8</OutputEncoding>\n"
            f"<Url type={quoteattr(ACQUISITION_TYPE)} template={quoteattr(atom)}/>\n"
            f"<Url type={quoteattr(OPDS2_TYPE)} template={quoteattr(json_url)}/>\n"
            "</OpenSearchDescription>\n"
        )
        return _conditional(Response(body.encode("utf-8"), content_type=OPENSEARCH_TYPE))

    def cover(self, name: str) -> BaseResponse:
        match = _COVER.match(name)
        if not match:
            return _error(404, f"no cover {name!r}")
        book = self._book_by_sha(match.group(1))
        path = self.index.cover_path(book, bool(match.group(2))) if book else None
        if book is None or path is None or not path.is_file():
            return _error(404, f"no cover {name!r}")
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
            return _error(404, f"no book {sha[:64]!r} in this catalogue")
        path = self.index.path_of(book)
        try:
            stat = path.stat()
        except OSError:
            stat = None
        if stat is None or (stat.st_size, stat.st_mtime) != (book.size, book.mtime):
            self.index.request_refresh()  # changed under us: its hash is no longer known
            return _error(404, f"{book.file_name} changed since it was listed; reload the feed")
        response = flask.send_file(
            path,
            mimetype=book.media_type,
            as_attachment=True,
            download_name=book.file_name,
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
        return response

    def _book_by_sha(self, sha: str) -> Book | None:
        if not _SHA.match(sha):
            return None
        self._shelves()  # a rescan if one is due
        return self.index.by_sha(sha, float("inf"))


# -- paging ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    number: int
    last: int
    size: int
    total: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size


def _page_of(total: int) -> _Page | Response:
    size = _Catalog._page_size()
    raw = request.args.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        return _error(400, f"page {raw[:20]!r} is not a whole number from 1")
    return _Page(number, max(1, -(-total // size)), size, total)


def _link(version: str, endpoint: str, values: dict[str, str], page: int | None = None) -> str:
    extra: dict[str, Any] = {"page": str(page)} if page and page > 1 else {}
    arguments: dict[str, Any] = {**values, **extra}
    return url_for(f".{version}_{endpoint}", **arguments)


def _paging_links(version: str, view: _View, page: _Page) -> list[tuple[str, str]]:
    links = [("first", _link(version, view.endpoint, view.values))]
    if page.number > 1:
        previous = min(page.number - 1, page.last)
        links.append(("previous", _link(version, view.endpoint, view.values, previous)))
    if page.number < page.last:
        links.append(("next", _link(version, view.endpoint, view.values, page.number + 1)))
    links.append(("last", _link(version, view.endpoint, view.values, page.last)))
    return links


def _render(version: str, view: _View, shelves: _Shelves) -> Response:
    total = len(view.books) if view.books or not view.navigation else len(view.navigation)
    if view.endpoint == "root":  # a handful of items, never paged
        page: _Page | Response = _Page(1, 1, max(1, total), total)
    else:
        page = _page_of(total)
    if isinstance(page, Response):
        return page
    books = view.books[page.start : page.start + page.size]
    navigation = view.navigation[page.start : page.start + page.size]
    if version == "v2":
        return _json_feed(view, page, books, navigation, shelves)
    return _atom_feed(view, page, books, navigation, shelves)


# -- OPDS 1.2 (Atom) -------------------------------------------------------------------------


def _esc(text: str) -> str:
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
            self.parts.append(f"<{tag}{self._attrs(attrs)}>{_esc(text)}</{tag}>\n")
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


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _atom_feed(
    view: _View,
    page: _Page,
    books: Sequence[Book],
    navigation: Sequence[_Nav],
    shelves: _Shelves,
) -> Response:
    acquisition = bool(view.books) or (not view.navigation and view.endpoint != "root")
    own_type = ACQUISITION_TYPE if acquisition else NAVIGATION_TYPE
    xml = _Xml()
    xml.open("feed", NAMESPACES)
    xml.leaf("id", view.id)
    xml.leaf("title", view.title)
    xml.leaf("updated", _iso(shelves.updated))
    xml.open("author")
    xml.leaf("name", str(current_app.config.get("OPDS_TITLE", DEFAULT_TITLE)))
    xml.close("author")
    xml.leaf(
        "link",
        attrs={
            "rel": "self",
            "href": _link("v1", view.endpoint, view.values, page.number),
            "type": own_type,
        },
    )
    xml.leaf(
        "link", attrs={"rel": "start", "href": _link("v1", "root", {}), "type": NAVIGATION_TYPE}
    )
    if view.up:
        xml.leaf(
            "link", attrs={"rel": "up", "href": _link("v1", view.up, {}), "type": NAVIGATION_TYPE}
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
            "href": _link("v2", view.endpoint, view.values, page.number),
            "type": OPDS2_TYPE,
        },
    )
    if view.endpoint != "root":
        for rel, href in _paging_links("v1", view, page):
            xml.leaf("link", attrs={"rel": rel, "href": href, "type": own_type})
        xml.leaf("opensearch:totalResults", str(page.total))
        xml.leaf("opensearch:itemsPerPage", str(page.size))
        xml.leaf("opensearch:startIndex", str(page.start + 1))
    for item in navigation:
        _atom_navigation(xml, view, item, shelves)
    for book in books:
        _atom_entry(xml, book)
    xml.close("feed")
    return _conditional(Response(xml.data(), content_type=own_type))


def _atom_navigation(xml: _Xml, view: _View, item: _Nav, shelves: _Shelves) -> None:
    suffix = ":".join(item.values.values())
    xml.open("entry")
    xml.leaf("title", item.title)
    xml.leaf("id", f"urn:mutolaa:opds:{item.endpoint}" + (f":{suffix}" if suffix else ""))
    xml.leaf("updated", _iso(shelves.updated))
    if item.summary:
        xml.leaf("content", item.summary, {"type": "text"})
    xml.leaf(
        "link",
        attrs={
            "rel": item.rel,
            "href": _link("v1", item.endpoint, item.values),
            "type": ACQUISITION_TYPE if item.acquisition else NAVIGATION_TYPE,
            "thr:count": str(item.count),
        },
    )
    xml.close("entry")


def _cover_url(book: Book, thumbnail: bool) -> str:
    return url_for(".cover", name=f"{book.sha256}{'-thumb' if thumbnail else ''}.png")


def _book_url(book: Book) -> str:
    return url_for(".book", sha=book.sha256, name=book.file_name)


def _atom_entry(xml: _Xml, book: Book) -> None:
    xml.open("entry")
    xml.leaf("title", book.title)
    xml.leaf("id", BOOK_ID_PREFIX + book.sha256)
    xml.leaf("updated", _iso(book.updated))
    for name in book.authors:
        xml.open("author")
        xml.leaf("name", name)
        xml.leaf("uri", _link("v1", "author", {"key": author_key(name)}))
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
            "link", attrs={"rel": IMAGE_REL, "href": _cover_url(book, False), "type": "image/png"}
        )
    if book.thumbnail != (0, 0):
        xml.leaf(
            "link",
            attrs={"rel": THUMBNAIL_REL, "href": _cover_url(book, True), "type": "image/png"},
        )
    xml.leaf(
        "link",
        attrs={
            "rel": OPEN_ACCESS,
            "href": _book_url(book),
            "type": book.media_type,
            "title": book.format_name,
            "length": str(book.size),
            "sha256": book.sha256,
        },
    )
    xml.close("entry")


# -- OPDS 2.0 (JSON) -------------------------------------------------------------------------


def _json_link(rel: str, href: str, media_type: str = OPDS2_TYPE, **extra: Any) -> dict[str, Any]:
    link: dict[str, Any] = {"rel": rel, "href": href, "type": media_type}
    link.update(extra)
    return link


def _json_feed(
    view: _View,
    page: _Page,
    books: Sequence[Book],
    navigation: Sequence[_Nav],
    shelves: _Shelves,
) -> Response:
    title = str(current_app.config.get("OPDS_TITLE", DEFAULT_TITLE))
    metadata: dict[str, Any] = {
        "title": view.title,
        "identifier": view.id,
        "modified": _iso(shelves.updated),
    }
    links = [
        _json_link("self", _link("v2", view.endpoint, view.values, page.number)),
        _json_link("start", _link("v2", "root", {}), title=title),
    ]
    if view.up:
        links.append(_json_link("up", _link("v2", view.up, {})))
    links.append(
        _json_link("search", url_for(".v2_search") + "{?query}", templated=True, title="Search")
    )
    links.append(
        _json_link(
            "alternate",
            _link("v1", view.endpoint, view.values, page.number),
            ACQUISITION_TYPE if view.books else NAVIGATION_TYPE,
        )
    )
    if view.endpoint != "root":
        metadata.update(numberOfItems=page.total, itemsPerPage=page.size, currentPage=page.number)
        links += [_json_link(rel, href) for rel, href in _paging_links("v2", view, page)]
    document: dict[str, Any] = {"metadata": metadata, "links": links}
    if view.navigation:
        document["navigation"] = [
            {
                "title": item.title,
                "href": _link("v2", item.endpoint, item.values),
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
                    _json_link("self", _link("v2", nav.endpoint, nav.values), title=nav.title)
                ],
                "publications": [_publication(book) for book in group],
            }
            for nav, group in view.groups
        ]
    body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    return _conditional(Response(body, content_type=OPDS2_TYPE))


def _publication(book: Book) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "@type": "http://schema.org/Book",
        "identifier": BOOK_ID_PREFIX + book.sha256,
        "title": book.title,
        "modified": _iso(book.updated),
    }
    if book.authors:
        metadata["author"] = [
            {
                "name": name,
                "links": [
                    {"href": _link("v2", "author", {"key": author_key(name)}), "type": OPDS2_TYPE}
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
                    "href": _cover_url(book, thumbnail),
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
                "href": _book_url(book),
                "type": book.media_type,
                "title": book.format_name,
                "properties": {"length": book.size, "sha256": book.sha256},
            }
        ],
    }
    if images:
        publication["images"] = images
    return publication


# -- answers -----------------------------------------------------------------------------------


def _conditional(response: Response) -> Response:
    """A feed answer with a strong ETag of its body; a matching If-None-Match gets 304."""
    response.add_etag()
    response.headers["Cache-Control"] = "no-cache"
    response.make_conditional(request)
    return response


def _error(status: int, message: str) -> Response:
    text = unicodedata.normalize("NFC", " ".join(message.split()))
    return Response(text + "\n", status=status, content_type="text/plain; charset=utf-8")
