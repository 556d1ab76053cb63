"""Adding and removing pages in the index, committed in steps so early pages are searchable soon."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from typing import Any

from whoosh.codec.whoosh3 import W3Codec
from whoosh.query import And, NumericRange, Term
from whoosh.reading import SegmentReader
from whoosh.writing import LockError

from app.core.errors import SearchIndexError
from app.core.models import Book, PageText
from app.index.engine import IndexEngine
from app.index.schema import TEXT_FIELDS, field_language

#: A new book is committed as soon as this many of its pages are in, so its first pages are
#: searchable at once (unless a commit happened less than EARLY_COMMIT_GAP seconds ago, which
#: keeps a batch of many small files from committing per file); later commits come every
#: COMMIT_SECONDS or COMMIT_PAGES.
FIRST_COMMIT_PAGES = 8
EARLY_COMMIT_GAP = 1.0
COMMIT_SECONDS = 5.0
COMMIT_PAGES = 5000


class PageCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's codec without per-posting field lengths.

    Whoosh looks up the document's field length for every posting it writes, only to keep
    per-block length statistics for BM25; our ranking (``ranking.py``) does not use them.
    Dropping them and compressing blocks with a faster zlib level indexes about a third
    faster.
    """

    length_stats = False

    def __init__(self) -> None:
        super().__init__(compression=1)


#: Segments are grouped in tiers by the order of magnitude of their document count; a tier
#: holding this many segments is merged into one (which may land in the next tier).
TIER_FANOUT = 10


def tiered_merge(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: merge a size tier once it holds ``TIER_FANOUT`` segments.

    Every commit writes a segment. Whoosh's own policy only merges segments far smaller than
    a commit's, so a long import left a hundred segments and slow searches; merging
    everything at each commit rewrites the whole index every time. Tiers keep both the
    number of segments (a handful per order of magnitude) and the merge cost (each
    document is rewritten about once per tier) low.
    """
    tiers: dict[int, list[Any]] = {}
    for segment in segments:
        tier = len(str(max(1, segment.doc_count_all())))
        tiers.setdefault(tier, []).append(segment)
    keep: list[Any] = []
    for members in tiers.values():
        if len(members) >= TIER_FANOUT:
            for segment in members:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
        else:
            keep += members
    return keep


def _open_writer(engine: IndexEngine, lock_timeout: float) -> Any:
    return engine.ix.writer(timeout=lock_timeout, limitmb=96, codec=PageCodec(), compound=False)


class IndexSession:
    """One writer over the index (Whoosh allows one at a time, across processes).

    Call :meth:`maybe_commit` after each batch; it commits when it is time and returns True,
    after which every page added so far is searchable and durable.
    """

    def __init__(self, engine: IndexEngine, lock_timeout: float = 10.0) -> None:
        try:
            self._writer: Any = _open_writer(engine, lock_timeout)
        except LockError as exc:
            raise SearchIndexError(
                "the search index is being written by another Mutolaa; try again when it ends"
            ) from exc
        self._engine = engine
        self._pending = 0
        self._new_book_pages = -1  # pages of a newly started book, -1 when none waits
        # never (monotonic time counts from boot, so 0.0 is not long ago on a fresh machine)
        self._last_commit = -math.inf

    def book_started(self) -> None:
        """A new book begins: commit its first pages early."""
        self._new_book_pages = 0

    def add_pages(self, book: Book, pages: Iterable[PageText]) -> int:
        """Add pages of a book; empty and failed pages are skipped. Returns how many came."""
        count = 0
        add = self._writer.add_document
        for page in pages:
            count += 1
            text = page.text
            if not text.strip():
                continue
            lang = field_language(page.lang)
            fields = {
                "kind": "page",
                "book": book.id,
                "page": page.page,
                "lang": page.lang or "unknown",
                "format": book.format,
                TEXT_FIELDS[lang]: text,
            }
            add(**fields)
        self._pending += count
        if self._new_book_pages >= 0:
            self._new_book_pages += count
        return count

    def add_book(self, book: Book) -> None:
        """Add (or replace) the book-level document: title and authors."""
        self._writer.delete_by_query(And([Term("kind", "book"), Term("book", book.id)]))
        self._writer.add_document(
            kind="book",
            book=book.id,
            format=book.format,
            title=book.title,
            authors=" ; ".join(book.authors),
        )
        self._pending += 1

    def delete_book(self, book_id: str) -> None:
        """Remove every document of a book."""
        self._writer.delete_by_term("book", book_id)
        self._pending += 1

    def delete_pages_from(self, book_id: str, first_page: int) -> None:
        """Remove a book's pages from ``first_page`` on (left by an interrupted session)."""
        self._writer.delete_by_query(
            And(
                [
                    Term("kind", "page"),
                    Term("book", book_id),
                    NumericRange("page", first_page, None),
                ]
            )
        )
        self._pending += 1

    def maybe_commit(self) -> bool:
        """Commit when the first pages arrived, or enough time or pages have passed."""
        since = time.monotonic() - self._last_commit
        due = self._pending > 0 and (
            (self._new_book_pages >= FIRST_COMMIT_PAGES and since >= EARLY_COMMIT_GAP)
            or self._pending >= COMMIT_PAGES
            or since >= COMMIT_SECONDS
        )
        if due:
            self.commit(reopen=True)
        return bool(due)

    def commit(self, *, reopen: bool = False) -> None:
        """Make everything added so far searchable and durable (see ``tiered_merge``)."""
        self._writer.commit(mergetype=tiered_merge)
        self._new_book_pages = -1
        self._pending = 0
        self._last_commit = time.monotonic()
        self._writer = _open_writer(self._engine, 10.0) if reopen else None

    def cancel(self) -> None:
        """Drop what was added since the last commit."""
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None

    @property
    def pending(self) -> int:
        """Changes added since the last commit."""
        return self._pending

    def close(self) -> None:
        """Commit what is pending and release the writer."""
        if self._writer is None:
            return
        if self._pending:
            self.commit()
        else:
            self.cancel()
