"""Importing files and folders: validate, store, read every page in the worker, index."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from app.core.errors import BadDocumentError, MutolaaError, UserError
from app.core.models import Book, BookState, ImportReport, PageText
from app.core.tasks import CancelToken, Progress, ProgressFn, no_progress
from app.documents.fb2_zip import is_zipped_fb2, unpack_fb2
from app.documents.formats import check_content, is_candidate
from app.documents.worker import DocumentWorker
from app.services.annotations.pdf_annotations import adopt_for_profile
from app.services.library.removing import remove_book
from app.services.session import Library

log = logging.getLogger(__name__)
PAGE_BATCH = 32


def walk(
    paths: Iterable[str | Path],
    failures: list[tuple[str, str]],
    skipped: list[str] | None = None,
) -> list[Path]:
    """Every file to try: named files as given, folders searched recursively for books.

    Problems (a missing path, an unreadable folder) are appended to ``failures``; the files of a
    folder that are not books (hidden files aside) to ``skipped``, so a report accounts for
    every file.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                failures.append((str(path), "cannot read this folder (permission denied)"))
                continue

            def on_error(exc: OSError) -> None:
                reason = exc.strerror or str(exc)
                failures.append((str(exc.filename), f"cannot read this folder ({reason.lower()})"))

            for folder, dirs, files in os.walk(path, onerror=on_error):
                dirs.sort()
                for name in sorted(files):
                    candidate = Path(folder) / name
                    if is_candidate(candidate) and candidate.is_file():
                        found.append(candidate)
                    elif skipped is not None and not name.startswith("."):
                        skipped.append(str(candidate))
        elif path.is_file():
            found.append(path)
        elif path.exists():
            failures.append((str(path), "not a regular file"))
        else:
            failures.append((str(path), "no such file or folder"))
    return found


class Importer:
    """Imports into one library. Use one importer per batch, from one thread.

    Args:
        library: the library to import into.
        worker: the MuPDF worker process (a new one when None).
        profile_id: the person importing: the annotations a PDF holds itself become theirs
            at import (None: nobody's yet; each profile adopts them when it first opens the
            book in the window).
    """

    def __init__(
        self,
        library: Library,
        worker: DocumentWorker | None = None,
        *,
        profile_id: int | None = None,
    ) -> None:
        self.library = library
        self.store = library.store
        self.worker = worker or DocumentWorker()
        self.profile_id = profile_id
        self._indexing = contextlib.ExitStack()
        self.indexer = self._indexing.enter_context(library.indexing())
        #: Books an interrupted import left that cannot be read after all, removed by `resume`
        #: (title, why): said once, never a failure of every later import.
        self.removed: list[tuple[str, str]] = []

    def close(self) -> None:
        """Let the index writer go (committed when no one else uses it) and stop the worker."""
        try:
            self._indexing.close()
        finally:
            self.worker.close()

    def __enter__(self) -> Importer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- resuming what a killed run left ---------------------------------------------------

    def resume(
        self, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
    ) -> list[tuple[str, str]]:
        """Finish interrupted imports: index saved pages, then read the unread ones.

        A book that cannot be read after all is removed whole (`removed` says which, once).
        Returns (book title, problem) for books that could not be finished and stay.
        """
        problems: list[tuple[str, str]] = []
        self.indexer.catch_up(progress, cancel)
        for book in self.store.books_in_state(BookState.EXTRACTING):
            if cancel is not None and cancel.cancelled:
                break
            try:
                self._read_pages(book, None, progress, cancel)
            except UserError as exc:
                problems.append((book.title, str(exc)))
            except MutolaaError as exc:
                self._roll_back(book)
                self.removed.append((book.title, str(exc)))
        return problems

    def _roll_back(self, book: Book) -> None:
        """Remove a book that cannot be read: its row, pages, file and index entries."""
        with contextlib.suppress(UserError):  # removed meanwhile (another process)
            remove_book(self.library, book.id)

    # --- importing new files ---------------------------------------------------------------

    def run(
        self,
        paths: Iterable[str | Path],
        *,
        source: str = "",
        progress: ProgressFn = no_progress,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        """Import every book found under ``paths``; each failure is one line in the report."""
        report = ImportReport()
        files = walk(paths, report.failures, report.skipped)
        for number, path in enumerate(files):
            if cancel is not None and cancel.cancelled:
                report.cancelled = True
                break
            progress(Progress("importing", number, len(files), path.name))
            try:
                self._import_one(path, source, report, progress, cancel)
            except MutolaaError as exc:
                report.failures.append((str(path), str(exc)))
            except OSError as exc:
                report.failures.append((str(path), f"cannot read the file ({exc.strerror})"))
        progress(Progress("importing", len(files), len(files), ""))
        report.cancelled = cancel is not None and cancel.cancelled
        return report

    def _import_one(
        self,
        path: Path,
        source: str,
        report: ImportReport,
        progress: ProgressFn,
        cancel: CancelToken | None,
    ) -> None:
        with path.open("rb") as handle:
            head = handle.read(64)
        check_content(path, head)
        with contextlib.ExitStack() as scratch:
            readable = path
            if head.startswith(b"PK") and is_zipped_fb2(path):  # MuPDF reads it as an empty book
                folder = Path(scratch.enter_context(tempfile.TemporaryDirectory(prefix="fb2-")))
                readable = unpack_fb2(path, folder / "book.fb2")
            self._import_file(path, source, report, progress, cancel, readable=readable)

    def _import_file(
        self,
        path: Path,
        source: str,
        report: ImportReport,
        progress: ProgressFn,
        cancel: CancelToken | None,
        *,
        readable: Path,
    ) -> None:
        """Import `readable`, the book of the file `path` the person gave (the same file, or the
        FB2 taken out of a zip)."""
        files = self.store.files
        staged = files.stage(readable)
        try:
            existing = self.store.get(staged.sha256)
            if existing is not None:
                report.duplicates.append(existing)
                if existing.state is BookState.EXTRACTING:
                    self._read_pages(existing, None, progress, cancel)
                if existing.state is not BookState.LOCKED:
                    self._adopt_annotations(existing, None, cancel)
                return
            info = self.worker.describe(staged.path)
            cover = None if info.encrypted else self.worker.cover(staged.path)
            relative = files.keep(staged, info.format)
        finally:
            files.discard(staged)
        book = Book(
            id=staged.sha256,
            title=info.title or path.stem,
            authors=info.authors,
            # what it declares comes first (its primary tag: "en" for "en-US", as pages are)
            languages=(info.language.split("-")[0].lower(),) if info.language else (),
            format=info.format,
            page_count=info.page_count,
            size=staged.size,
            file_name=relative,
            original_name=path.name,
            source=source or str(path.resolve()),
            added_at=time.time(),
            state=BookState.LOCKED
            if info.encrypted and not info.page_count
            else BookState.EXTRACTING,
            encrypted=info.encrypted,
            toc=info.toc,
        )
        if not self.store.add_book(book, cover):  # another import added it since it was looked up
            report.duplicates.append(self.store.get(book.id) or book)
            return
        if book.state is BookState.LOCKED:
            report.locked.append(book)
            return
        try:
            self._read_pages(book, None, progress, cancel)
        except MutolaaError:
            self._roll_back(book)  # a book that cannot be read leaves nothing behind
            raise
        self._adopt_annotations(book, None, cancel)
        report.added.append(self.store.get(book.id) or book)

    def _read_pages(
        self,
        book: Book,
        password: str | None,
        progress: ProgressFn,
        cancel: CancelToken | None,
    ) -> None:
        """Read, save and index the book's pages from where its import stopped."""
        start = self.store.extracted_pages(book.id)
        path = self.store.file_path(book)
        if not path.exists():
            raise BadDocumentError(f"{path}: the stored file is missing; import the book again")
        self.indexer.start_book(book, start)
        batch: list[PageText] = []
        for page in self.worker.pages(path, start, book.page_count, password):
            batch.append(page)
            if len(batch) >= PAGE_BATCH:
                self._save(book, batch)
                progress(Progress("reading", page.page + 1, book.page_count, book.title))
                batch = []
                if cancel is not None and cancel.cancelled:
                    self.indexer.flush()
                    return
        self._save(book, batch)
        self.store.finish_extraction(book.id)
        # no commit here: a segment per book made many small segments; the index commits by
        # time and when the importer closes

    def _adopt_annotations(
        self, book: Book, password: str | None, cancel: CancelToken | None
    ) -> None:
        """Make a PDF's own annotations the importing person's (once; see pdf_annotations).

        A file whose annotations MuPDF cannot read is still imported: the window tries again
        when the book is opened.
        """
        if self.profile_id is None or book.format != "pdf":
            return
        if cancel is not None and cancel.cancelled:
            return
        try:
            adopt_for_profile(self.library, self.profile_id, self.worker, book, password)
        except (BadDocumentError, UserError) as exc:
            log.warning(
                "%s %s: its own annotations were not read (%s); they are read when it is opened",
                book.short_id,
                book.title,
                exc,
            )

    def _save(self, book: Book, batch: list[PageText]) -> None:
        if batch:
            self.store.add_pages(book.id, batch)
            self.indexer.add(book, batch)

    # --- encrypted books -------------------------------------------------------------------

    def unlock(self, book: Book, password: str, progress: ProgressFn = no_progress) -> Book:
        """Open an encrypted book with its password, then read and index it.

        Raises:
            UserError: the password is wrong, or the book is not locked.
        """
        if book.state is not BookState.LOCKED:
            raise UserError(f"{book.short_id}: this book is not locked")
        path = self.store.file_path(book)
        info = self.worker.describe(path, password)
        cover = self.worker.cover(path, password)
        self.store.update_after_unlock(
            book.id,
            title=info.title or book.title,
            authors=info.authors,
            toc=info.toc,
            page_count=info.page_count,
            cover=cover,
        )
        unlocked = self.store.get(book.id)
        assert unlocked is not None
        self._read_pages(unlocked, password, progress, None)
        self._adopt_annotations(unlocked, password, None)
        final = self.store.get(book.id)
        assert final is not None
        return final


def iter_failures(report: ImportReport) -> Iterator[str]:
    """The report's failures as ``PATH: what is wrong`` lines."""
    for path, reason in report.failures:
        yield f"{path}: {reason}"
