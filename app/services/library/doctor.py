"""Checking a library (database, book files, index, annotations) and repairing what can be.

Never a person's annotations: their problems are reported, the data left as is. The library's
folders are made 0700 and its files 0600 again (older versions left them to the umask).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from app.core.models import Book, BookState
from app.core.private import Repaired, make_private
from app.core.tasks import Progress, ProgressFn, no_progress
from app.index.inspect import books_present
from app.library.annotation_checks import change_log_problems, kept_for_missing_books
from app.library.files import sha256_of
from app.services.library.importer import Importer
from app.services.session import Library

ORPHAN_AGE = 600.0
#: Books named in the note about annotations kept for books no longer in the library.
MISSING_BOOKS_NAMED = 5


@dataclass
class DoctorReport:
    """What the check found: repaired problems and problems left for the user."""

    checked_books: int = 0
    repaired: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        """True when nothing is left for the user to do."""
        return not self.problems


def run_doctor(
    library: Library, progress: ProgressFn = no_progress, *, verify_files: bool = False
) -> DoctorReport:
    """Check and repair a library; returns what was done and what is left.

    Args:
        library: the library to check.
        progress: called as files are verified and pages indexed.
        verify_files: also hash every book file (slow for a large library) to find files
            that changed on disk.
    """
    report = DoctorReport()
    _make_private(library, report)
    store = library.store
    report.problems += [f"database: {p}" for p in store.integrity_problems()]
    books = store.books()
    report.checked_books = len(books)
    referenced = _check_book_files(library, books, report, progress, verify_files=verify_files)
    _remove_leftover_files(library, referenced, report)
    _repair_index(library, books, report, progress)
    locked = [b for b in store.books() if b.state is BookState.LOCKED]
    report.notes += [
        f"{b.short_id} {b.title}: encrypted; run `mutolaa unlock {b.short_id}`" for b in locked
    ]
    _check_annotations(library, report)
    return report


def _make_private(library: Library, report: DoctorReport) -> None:
    """Make the library's folders (data, cache, logs, settings) 0700 and their files 0600, one
    line per kind changed (nothing on Windows, where the profile's ACLs protect them)."""
    paths = library.paths
    roots = sorted({paths.data, paths.cache, paths.logs, paths.config})
    done = Repaired()
    for root in roots:
        if any(other in root.parents for other in roots):
            continue  # walked with the folder that holds it
        repaired = make_private(root)
        done.folders += repaired.folders
        done.files += repaired.files
    if done.folders:
        report.repaired.append(f"made {done.folders} folder(s) private to their owner (0700)")
    if done.files:
        report.repaired.append(f"made {done.files} file(s) private to their owner (0600)")


def _check_book_files(
    library: Library,
    books: list[Book],
    report: DoctorReport,
    progress: ProgressFn,
    *,
    verify_files: bool,
) -> set[str]:
    """Report the books whose file is missing or changed; returns the file names books use."""
    store = library.store
    referenced = set()
    for book in books:
        referenced.add(book.file_name)
        path = store.file_path(book)
        if not path.exists():
            report.problems.append(
                f"{book.short_id} {book.title}: its file {path} is missing; remove the book "
                "and import it again"
            )
        elif path.stat().st_size != book.size or (verify_files and sha256_of(path) != book.id):
            report.problems.append(
                f"{book.short_id} {book.title}: its file {path} was changed or damaged on "
                "disk; remove the book and import it again"
            )
        if verify_files:
            progress(Progress("verifying", len(referenced), len(books), book.title))
    return referenced


def _remove_leftover_files(library: Library, referenced: set[str], report: DoctorReport) -> None:
    """Remove unfinished copies, and book files no book uses once they are `ORPHAN_AGE` old
    (a younger one may belong to an import still running)."""
    files = library.store.files
    for temp in files.remove_stale_temporaries():
        report.repaired.append(f"removed an unfinished copy {temp}")
    now = time.time()
    for name in sorted(files.stored_names() - referenced):
        orphan = files.path(name)
        if now - orphan.stat().st_mtime > ORPHAN_AGE:
            files.remove(name)
            report.repaired.append(f"removed a book file no book refers to: {orphan}")


def _repair_index(
    library: Library, books: list[Book], report: DoctorReport, progress: ProgressFn
) -> None:
    """Rebuild a broken index, drop removed books from it, and finish what imports left."""
    engine = library.index()
    if engine.repaired_reason and engine.repaired_reason != "missing":
        report.repaired.append(f"search index was {engine.repaired_reason}; rebuilt it")
    known = {b.id for b in books}
    stray = books_present(engine) - known
    with Importer(library) as importer:  # its worker reads what a killed import left
        for book_id in sorted(stray):
            importer.indexer.remove_book(book_id)
        if stray:
            importer.indexer.flush()
            report.repaired.append(f"removed {len(stray)} deleted book(s) from the search index")
        pending = [b for b in books if b.state is BookState.EXTRACTING]
        missing_pages = sum(b.extracted_pages - b.indexed_pages for b in books)
        problems = importer.resume(progress)
        if missing_pages > 0:
            report.repaired.append(f"indexed {missing_pages} page(s) the index was missing")
        gone = {title for title, _ in importer.removed}
        for book in pending:
            if book.title not in gone and not any(title == book.title for title, _ in problems):
                report.repaired.append(f"finished reading {book.short_id} {book.title}")
        report.problems += [f"{title}: {problem}" for title, problem in problems]
        report.repaired += [
            f"removed {title}: it cannot be read ({why}); import it again once it is repaired"
            for title, why in importer.removed
        ]
        if importer.indexer.unavailable:
            report.problems.append(importer.indexer.unavailable)


def _check_annotations(library: Library, report: DoctorReport) -> None:
    """Annotations and their change log: reported, never repaired (they are a person's words)."""
    report.problems += library.annotations.problems()
    report.problems += change_log_problems(library.store)
    kept = kept_for_missing_books(library.store)
    if kept:
        shown = ", ".join(k.book_id[:10] for k in kept[:MISSING_BOOKS_NAMED])
        more = (
            f" and {len(kept) - MISSING_BOOKS_NAMED} more"
            if len(kept) > MISSING_BOOKS_NAMED
            else ""
        )
        report.notes.append(
            f"{sum(k.count for k in kept)} annotation(s) of {len(kept)} book(s) no longer in the "
            f"library are kept ({shown}{more}); they show again when the book is imported again"
        )
