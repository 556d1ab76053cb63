"""Feeding the index from the store: incremental, committed in steps, resumable, cancellable."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.errors import SearchIndexError
from app.core.models import Book, PageText
from app.core.tasks import CancelToken, Progress, ProgressFn, no_progress
from app.index.writer import IndexSession

if TYPE_CHECKING:  # the library owns its indexer (app.services.session imports this module)
    from app.services.session import Library

log = logging.getLogger(__name__)
CATCH_UP_BATCH = 200


class Indexer:
    """The one index writer of this process, with the store's record of what it holds.

    The library owns it (`Library.indexing`): imports, downloads, removals, the doctor and
    reindexing in one process share its writer, from any thread (each call is one step under
    a lock), so a book a download brings while an import runs is indexed at once. The writer
    is opened when first needed and released when the last user is done, so another process
    can write between two batches.

    The store records a book's indexed page count only after the index committed those
    pages, so after a kill the index may hold more than recorded, never less; a resumed
    book first drops its pages past the record, which makes re-adding them harmless.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self._session: IndexSession | None = None
        self._uncommitted: dict[str, int] = {}
        self._lock = threading.RLock()
        #: Why the index cannot be written now ("" when it can), until the writer is released.
        self.unavailable = ""

    def _writer(self) -> IndexSession | None:
        if self._session is None and not self.unavailable:
            try:
                self._session = IndexSession(self.library.index())
            except SearchIndexError as exc:
                self.unavailable = str(exc)
                log.warning("%s", exc)
        return self._session

    def start_book(self, book: Book, first_page: int) -> None:
        """Prepare to add a book's pages from ``first_page`` on."""
        with self._lock:
            session = self._writer()
            if session is None:
                return
            session.delete_pages_from(book.id, first_page)
            session.book_started()
            if first_page == 0:
                session.add_book(book)
            self._uncommitted[book.id] = first_page

    def add(self, book: Book, pages: Sequence[PageText]) -> None:
        """Index pages already saved in the store, committing when it is time."""
        with self._lock:
            session = self._writer()
            if session is None or not pages:
                return
            session.add_pages(book, pages)
            self._uncommitted[book.id] = pages[-1].page + 1
            if session.maybe_commit():
                self._record()

    def describe_book(self, book: Book) -> None:
        """Index a book's title and authors again (they changed)."""
        with self._lock:
            session = self._writer()
            if session is not None:
                session.add_book(book)

    def remove_book(self, book_id: str) -> None:
        """Drop a book from the index (searchable without it after the next commit)."""
        with self._lock:
            session = self._writer()
            if session is not None:
                session.delete_book(book_id)
                self._uncommitted.pop(book_id, None)

    def _record(self) -> None:
        for book_id, count in self._uncommitted.items():
            if self.library.store.get(book_id) is not None:
                self.library.store.set_indexed_pages(book_id, count)
        self._uncommitted.clear()

    def flush(self) -> None:
        """Commit everything added so far and record it."""
        with self._lock:
            if self._session is not None and self._session.pending:
                self._session.commit(reopen=True)
                self._record()

    def close(self) -> None:
        """Commit and release the writer (the next call opens it again)."""
        with self._lock:
            self.unavailable = ""
            if self._session is not None:
                self._session.close()
                self._record()
                self._session = None

    def catch_up(
        self, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
    ) -> int:
        """Index every saved page the index does not hold yet; returns how many were added."""
        store = self.library.store
        self.library.index()  # first: a rebuilt index resets what the store says it holds
        books = store.books_to_index()
        with self._lock:
            if not books or self._writer() is None:
                return 0  # nothing to add: no writer lock taken (a window may be importing)
        total = sum(b.extracted_pages - b.indexed_pages for b in books)
        done = 0
        for book in books:
            self.start_book(book, book.indexed_pages)
            start = book.indexed_pages
            while start < book.extracted_pages:
                if cancel is not None and cancel.cancelled:
                    self.flush()
                    return done
                pages = store.pages(book.id, start, start + CATCH_UP_BATCH)
                if not pages:
                    break
                self.add(book, pages)
                done += len(pages)
                start = pages[-1].page + 1
                progress(Progress("indexing", done, total, book.title))
            with self._lock:
                self._uncommitted[book.id] = book.extracted_pages
        self.flush()
        return done
