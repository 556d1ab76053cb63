"""What the OPDS catalogue's views list, and how a list is paged.

The shelves of one snapshot of the book index (newest first, by title, by author, by first letter
of the title, by language), a view and its navigation items, and a view's pages (``?page=N`` from
1, ``OPDS_PAGE_SIZE`` items a page) with their first/previous/next/last links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import Response, current_app, request

from sync.folding import fold
from sync.server.books import Book, sort_key
from sync.server.opds_http import plain_error, view_url

DEFAULT_PAGE_SIZE = 50

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


@dataclass(frozen=True)
class Nav:
    """An item of a navigation feed: a link to another view of this catalogue."""

    title: str
    endpoint: str
    values: dict[str, str] = field(default_factory=dict)
    count: int = 0
    rel: str = "subsection"
    acquisition: bool = True
    summary: str = ""


@dataclass(frozen=True)
class View:
    """A feed: its id, title, where it is, where "up" leads, and what it lists."""

    id: str
    title: str
    endpoint: str
    values: dict[str, str] = field(default_factory=dict)
    up: str = "root"
    books: Sequence[Book] = ()
    navigation: Sequence[Nav] = ()
    groups: Sequence[tuple[Nav, Sequence[Book]]] = ()


@dataclass
class Shelves:
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


def shelves_of(books: tuple[Book, ...]) -> Shelves:
    """The shelves of one snapshot of the index."""
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
    return Shelves(
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


# -- paging ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page of a list: its number (from 1), the last page, the page size, the total."""

    number: int
    last: int
    size: int
    total: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size


def page_size() -> int:
    """How many items a page holds: ``OPDS_PAGE_SIZE`` in the app's config (at least 1)."""
    return max(1, int(current_app.config.get("OPDS_PAGE_SIZE", DEFAULT_PAGE_SIZE)))


def page_of(total: int) -> Page | Response:
    """The page the request asks for (``?page=N``) of `total` items; a 400 answer for a bad N."""
    size = page_size()
    raw = request.args.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        return plain_error(400, f"page {raw[:20]!r} is not a whole number from 1")
    return Page(number, max(1, -(-total // size)), size, total)


def paging_links(version: str, view: View, page: Page) -> list[tuple[str, str]]:
    """The first, previous, next and last links (rel, href) of a page of `view`."""
    links = [("first", view_url(version, view.endpoint, view.values))]
    if page.number > 1:
        previous = min(page.number - 1, page.last)
        links.append(("previous", view_url(version, view.endpoint, view.values, previous)))
    if page.number < page.last:
        links.append(("next", view_url(version, view.endpoint, view.values, page.number + 1)))
    links.append(("last", view_url(version, view.endpoint, view.values, page.last)))
    return links
