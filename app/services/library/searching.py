"""Library search: index hits grouped by book, and the searching profile's notes that match.

Every page shown has a snippet; the notes and highlights that match are found by
``note_search``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.models import Book
from app.index import search as index_search
from app.index.snippets import Snippet, make_snippet
from app.services.annotations.note_search import NoteHit, find_notes
from app.services.session import Session


@dataclass(frozen=True)
class PageMatch:
    """One matching page of a book (0-based page number) and its snippet."""

    page: int
    score: float
    snippet: Snippet


@dataclass
class BookMatches:
    """A book with the matching pages shown on this page of results."""

    book: Book
    pages: list[PageMatch] = field(default_factory=list)
    title_match: bool = False


@dataclass
class SearchResults:
    """One page of results, grouped by book in order of each book's best hit.

    ``notes`` are the profile's annotations whose quote or note matches (most recently
    changed first, at most ``limit``; only on the first page of results and when no
    language is asked for), ``total_notes`` how many matched in all.
    """

    query: str
    groups: list[BookMatches]
    total_pages: int  # exact when total_exact, else an upper bound
    total_exact: bool
    offset: int
    limit: int
    notes: list[NoteHit] = field(default_factory=list)
    total_notes: int = 0


def search(
    session: Session,
    query: str,
    *,
    book: str | None = None,
    lang: str | None = None,
    fmt: str | None = None,
    limit: int = 10,
    offset: int = 0,
) -> SearchResults:
    """Search the library's pages, titles and authors, and the profile's notes.

    Raises:
        UserError: the query cannot be understood.
    """
    library = session.library
    found = index_search.search(
        library.index(), query, book=book, lang=lang, fmt=fmt, limit=limit, offset=offset
    )
    store = library.store
    texts = store.page_texts((h.book, h.page) for h in found.hits)
    # a book removed while its pages were still indexed is simply not in this dict
    books = store.books_by_ids(list({*found.title_matches, *(h.book for h in found.hits)}))
    groups: dict[str, BookMatches] = {}
    for book_id in found.title_matches:
        if book_id in books:
            groups[book_id] = BookMatches(books[book_id], title_match=True)
    for hit in found.hits:
        if hit.book not in books:
            continue
        group = groups.setdefault(hit.book, BookMatches(books[hit.book]))
        terms, prefixes = found.highlight[hit.lang]
        snippet = make_snippet(texts.get((hit.book, hit.page), ""), hit.lang, terms, prefixes)
        group.pages.append(PageMatch(hit.page, hit.score, snippet))
    notes = find_notes(session, query, book=book, fmt=fmt) if offset == 0 and not lang else []
    return SearchResults(
        query=query,
        groups=list(groups.values()),
        total_pages=found.total_pages,
        total_exact=found.total_exact,
        offset=offset,
        limit=limit,
        notes=notes[:limit],
        total_notes=len(notes),
    )
