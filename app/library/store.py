"""The library store: books, page texts, index progress and per-profile reading state."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.core.errors import StoreError, UserError
from app.core.models import Book, BookState, PageText, TocEntry
from app.core.private import private_folder
from app.library import changes, shelves
from app.library.changes import StoreChange
from app.library.db import connect
from app.library.files import BookFiles
from app.library.secrets import SecretStore

log = logging.getLogger(__name__)
#: Hears what each committed transaction changed (`LibraryStore.listen`).
Listener = Callable[[tuple[StoreChange, ...]], None]

_BOOK_COLUMNS = (
    "b.id, b.title, b.authors, b.languages, b.format, b.page_count, b.size, b.file_name, "
    "b.original_name, b.source, b.added_at, b.state, b.encrypted, b.toc, b.extracted_pages, "
    "COALESCE(s.indexed_pages, 0), "
    "b.ocr_pages, b.source_entry"
)
_BOOK_FROM = "books b LEFT JOIN index_state s ON s.book_id = b.id"
#: Sort orders of book lists and the SQL they use.
SORT_KEYS = {
    "title": "title COLLATE NOCASE",
    "authors": "authors COLLATE NOCASE",
    "language": "languages",
    "format": "format",
    "pages": "page_count",
    "added": "added_at",
    # how far the profile has read (the profile id is the query's last parameter)
    "progress": (
        "COALESCE((SELECT p.fraction FROM progress p "
        "WHERE p.book_id = books.id AND p.profile_id = ?), 0)"
    ),
}


def _book(row: Sequence[Any]) -> Book:
    return Book(
        id=row[0],
        title=row[1],
        authors=tuple(json.loads(row[2])),
        languages=tuple(json.loads(row[3])),
        format=row[4],
        page_count=row[5],
        size=row[6],
        file_name=row[7],
        original_name=row[8],
        source=row[9],
        added_at=row[10],
        state=BookState(row[11]),
        encrypted=bool(row[12]),
        toc=tuple(TocEntry(*entry) for entry in json.loads(row[13])),
        extracted_pages=row[14],
        indexed_pages=row[15],
        ocr_pages=row[16],
        source_entry=row[17],
    )


class LibraryStore:
    """One library folder: the SQLite database and the book files beside it.

    All methods are safe to call from several threads; writes are serialised.
    """

    def __init__(self, database: Path, books: Path) -> None:
        private_folder(database.parent)
        private_folder(books)
        self.path = database
        self.files = BookFiles(books)
        self._db = connect(database)
        #: the people's secrets (read with `secret`; written in a transaction, with their row)
        self.secrets = SecretStore(database.parent)
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._books_changed: list[StoreChange] = []  # noted in the running transaction

    def listen(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with what each committed transaction changed; returns the call
        that stops it.

        It runs on the thread that wrote, after the commit and outside the store's lock, so
        it may read the store; it must be quick (the window hands it to its own thread). An
        error in it is logged, never given to the writer.
        """
        with self._lock:
            self._listeners.append(listener)

        def stop() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return stop

    def _announce(self, announced: tuple[StoreChange, ...]) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(announced)
            except Exception:
                log.exception("a listener of the library's changes failed")

    def _book_changed(self, book_id: str, action: str) -> None:
        """Note, inside a transaction, that a book row changed (announced after the commit)."""
        self._books_changed.append(StoreChange("book", book_id, action, None, book_id=book_id))

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back when the block raises.

        ``durable``: the commit reaches the disk before it returns, so it survives a power
        cut too (a person's notes); the others survive a crash of the program (WAL).
        """
        announced: list[StoreChange] = []
        with self._lock:
            if durable:
                self._db.execute("PRAGMA synchronous = FULL")
            try:
                yield from self._transaction(announced)
            finally:
                if durable:
                    self._db.execute("PRAGMA synchronous = NORMAL")
        if announced:
            self._announce(tuple(announced))

    def _transaction(self, announced: list[StoreChange]) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"{self.path}: the library is busy ({exc})") from exc
            logged = changes.log_position(self._db) if self._listeners else None
            self._books_changed.clear()
            try:
                yield self._db
                if logged is not None:
                    announced += changes.logged_since(self._db, logged)
            except BaseException:
                self._db.execute("ROLLBACK")
                self._books_changed.clear()
                raise
            try:
                self._db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                self._db.execute("ROLLBACK")
                self._books_changed.clear()
                raise StoreError(f"{self.path}: cannot save ({exc})") from exc
            announced += self._books_changed
            self._books_changed.clear()

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Rows of a read query (for the other stores of this package: annotations)."""
        return self._query(sql, params)

    def secret(self, profile_id: int, kind: str, name: str = "") -> str | None:
        """A person's secret (`SecretStore.get`): None when there is none or it cannot be read.

        It may ask the system's credential store (D-Bus on Linux): never on the UI thread.
        """
        with self._lock:
            return self.secrets.get(self._db, profile_id, kind, name)

    def truncate_log(self) -> None:
        """Checkpoint and empty the write-ahead log, so that its frames of rows since rewritten
        (a data key's wrap before a PIN) leave the disk. Best effort: while another process
        reads, the log stays (and is overwritten later); that is logged."""
        with self._lock:
            try:
                busy = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                busy, reason = 1, str(exc)
            else:
                reason = "another process is reading"
        if busy:
            log.info("the library's log was not emptied (%s)", reason)

    # --- books -----------------------------------------------------------------------------

    def add_book(self, book: Book, cover: bytes | None) -> bool:
        """Insert a new book row (its file is already in the store); False when a book with
        this content is there already (another import, maybe in another process, added it
        since it was looked up)."""
        with self.transaction() as db:
            added = db.execute(
                "INSERT INTO books(id, title, authors, languages, format, page_count, size, "
                "file_name, original_name, source, source_entry, toc, cover, encrypted, state, "
                "extracted_pages, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(id) DO NOTHING",
                (
                    book.id,
                    book.title,
                    json.dumps(list(book.authors), ensure_ascii=False),
                    json.dumps(list(book.languages)),
                    book.format,
                    book.page_count,
                    book.size,
                    book.file_name,
                    book.original_name,
                    book.source,
                    book.source_entry,
                    _toc_json(book.toc),
                    cover,
                    int(book.encrypted),
                    book.state.value,
                    0,
                    book.added_at,
                ),
            )
            if added.rowcount != 1:
                return False
            db.execute("INSERT INTO index_state(book_id, indexed_pages) VALUES (?, 0)", (book.id,))
            _arrived(db, book.id, book.id, book.source_entry)
            self._book_changed(book.id, "create")
        return True

    def set_origin(self, book_id: str, source: str, source_entry: str) -> None:
        """Record where a book came from: a catalogue or download URL and its entry id."""
        with self.transaction() as db:
            db.execute(
                "UPDATE books SET source = ?, source_entry = ? WHERE id = ?",
                (source, source_entry, book_id),
            )
            _arrived(db, book_id, book_id, source_entry)
            self._book_changed(book_id, "update")

    def fill_metadata(
        self,
        book_id: str,
        *,
        title: str = "",
        authors: Sequence[str] = (),
        language: str = "",
    ) -> Book | None:
        """Give a book the title, authors and language it lacks (what its catalogue entry says);
        what it has is kept. Returns the book as it is now (None when it is not here)."""
        with self.transaction() as db:
            if title:
                db.execute("UPDATE books SET title = ? WHERE id = ?", (title, book_id))
            if authors:
                db.execute(
                    "UPDATE books SET authors = ? WHERE id = ? AND authors = '[]'",
                    (json.dumps(list(authors), ensure_ascii=False), book_id),
                )
            if language:
                db.execute(
                    "UPDATE books SET languages = ? WHERE id = ? AND languages = '[]'",
                    (json.dumps([language]), book_id),
                )
            self._book_changed(book_id, "update")
        return self.get(book_id)

    def get(self, book_id: str) -> Book | None:
        """The book with exactly this id, or None."""
        rows = self._query(f"SELECT {_BOOK_COLUMNS} FROM {_BOOK_FROM} WHERE b.id = ?", (book_id,))
        return _book(rows[0]) if rows else None

    def resolve(self, prefix: str) -> Book:
        """The one book whose id starts with ``prefix``.

        Raises:
            UserError: no book, or several books, match.
        """
        cleaned = prefix.strip().lower()
        if not cleaned or any(c not in "0123456789abcdef" for c in cleaned):
            raise UserError(f"{prefix!r}: a book ID is hexadecimal (see `mutolaa list`)")
        rows = self._query(
            f"SELECT {_BOOK_COLUMNS} FROM {_BOOK_FROM} WHERE b.id >= ? AND b.id < ? LIMIT 2",
            (cleaned, cleaned + "g"),
        )
        if not rows:
            raise UserError(f"{prefix}: no book has this ID")
        if len(rows) > 1:
            raise UserError(f"{prefix}: several books start with this ID; type more of it")
        return _book(rows[0])

    def books(self, *, order: str = "added") -> list[Book]:
        """Every book, newest first (``order='title'`` sorts by title)."""
        order_by = {"added": "b.added_at DESC", "title": "b.title COLLATE NOCASE"}[order]
        return [
            _book(r)
            for r in self._query(f"SELECT {_BOOK_COLUMNS} FROM {_BOOK_FROM} ORDER BY {order_by}")
        ]

    def book_ids(
        self,
        *,
        order: str = "added",
        descending: bool = True,
        fmt: str | None = None,
        lang: str | None = None,
        shelf_id: str | None = None,
        without_hidden: bool = False,
        profile_id: int,
    ) -> list[str]:
        """Ids of the books, sorted by ``order`` (a key of ``SORT_KEYS``), optionally filtered.

        ``shelf_id`` keeps the books on that shelf of the profile; ``without_hidden`` leaves out
        those the profile hid (docs/shelves.md). Cheap even for tens of thousands of books:
        windows hold ids and fetch rows on demand.
        """
        direction = "DESC" if descending else "ASC"
        where: list[str] = []
        params: list[str | int] = []
        if fmt:
            where.append("format = ?")
            params.append(fmt)
        if lang:
            where.append("EXISTS (SELECT 1 FROM json_each(languages) WHERE value = ?)")
            params.append(lang)
        if shelf_id is not None:
            where.append(
                "EXISTS (SELECT 1 FROM shelf_books m WHERE m.profile_id = ? AND m.shelf_id = ? "
                "AND m.book_id = books.id)"
            )
            params += [profile_id, shelf_id]
        if without_hidden:
            where.append(
                "NOT EXISTS (SELECT 1 FROM hidden_books h WHERE h.profile_id = ? "
                "AND h.book_id = books.id)"
            )
            params.append(profile_id)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        if order == "progress":
            params.append(profile_id)
        rows = self._query(
            f"SELECT id FROM books {clause} ORDER BY {SORT_KEYS[order]} {direction}, id", params
        )
        return [str(r[0]) for r in rows]

    def books_by_ids(self, book_ids: Sequence[str]) -> dict[str, Book]:
        """The books with these ids (missing ids are left out)."""
        found: dict[str, Book] = {}
        for i in range(0, len(book_ids), 500):
            chunk = list(book_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                f"SELECT {_BOOK_COLUMNS} FROM {_BOOK_FROM} WHERE b.id IN ({marks})", chunk
            )
            found.update((row[0], _book(row)) for row in rows)
        return found

    def reading_fractions(self, book_ids: Sequence[str], profile_id: int) -> dict[str, float]:
        """How far this profile has read each of these books (0–1; unread books left out)."""
        found: dict[str, float] = {}
        for i in range(0, len(book_ids), 500):
            chunk = list(book_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                f"SELECT book_id, fraction FROM progress WHERE profile_id = ? "
                f"AND book_id IN ({marks})",
                [profile_id, *chunk],
            )
            found.update((str(r[0]), float(r[1])) for r in rows)
        return found

    def books_with_entries(self, entry_ids: Iterable[str]) -> dict[str, list[str]]:
        """The books that came from these catalogue entries (``books.source_entry``).

        Args:
            entry_ids: catalogue entry ids; empty ones never match.

        Returns:
            entry id → ids of its books, the first added first; entries the library does not
            hold are left out.
        """
        wanted = sorted({entry_id for entry_id in entry_ids if entry_id})
        found: dict[str, list[str]] = {}
        for i in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                f"SELECT source_entry, id FROM books WHERE source_entry IN ({marks}) "
                "ORDER BY added_at, id",
                chunk,
            )
            for entry, book in rows:
                found.setdefault(str(entry), []).append(str(book))
        return found

    def recently_added(self, since: float, limit: int) -> list[str]:
        """Ids of the books added at or after ``since`` (seconds since the epoch), newest first,
        at most ``limit``."""
        rows = self._query(
            "SELECT id FROM books WHERE added_at >= ? ORDER BY added_at DESC LIMIT ?",
            (since, limit),
        )
        return [str(r[0]) for r in rows]

    def name_keys(self) -> list[tuple[str, str, str]]:
        """(id, title, authors as JSON) of every book, for filtering by name."""
        return [
            (str(r[0]), str(r[1]), str(r[2]))
            for r in self._query("SELECT id, title, authors FROM books")
        ]

    def count(self) -> int:
        """How many books the library holds."""
        return int(self._query("SELECT COUNT(*) FROM books")[0][0])

    def cover(self, book_id: str) -> bytes | None:
        """The PNG thumbnail of a book's first page, if one was made."""
        rows = self._query("SELECT cover FROM books WHERE id = ?", (book_id,))
        return rows[0][0] if rows and rows[0][0] is not None else None

    def update_after_unlock(
        self,
        book_id: str,
        *,
        title: str,
        authors: Sequence[str],
        toc: Sequence[TocEntry],
        page_count: int,
        cover: bytes | None,
    ) -> None:
        """Record what an encrypted book revealed once its password was given."""
        with self.transaction() as db:
            db.execute(
                "UPDATE books SET title = ?, authors = ?, toc = ?, page_count = ?, "
                "cover = COALESCE(?, cover), state = ?, extracted_pages = 0 WHERE id = ?",
                (
                    title,
                    json.dumps(list(authors), ensure_ascii=False),
                    _toc_json(toc),
                    page_count,
                    cover,
                    BookState.EXTRACTING.value,
                    book_id,
                ),
            )

    def remove(self, book_id: str) -> Book:
        """Delete a book, its pages and every profile's state of it, then its file."""
        book = self.get(book_id)
        if book is None:
            raise UserError(f"{book_id}: no book has this ID")
        with self.transaction() as db:
            db.execute("DELETE FROM books WHERE id = ?", (book_id,))
            self._book_changed(book_id, "delete")
        self.files.remove(book.file_name)
        return book

    def file_path(self, book: Book) -> Path:
        """Where the book's file is stored."""
        return self.files.path(book.file_name)

    # --- page texts ------------------------------------------------------------------------

    def add_pages(self, book_id: str, pages: Sequence[PageText]) -> int:
        """Save page texts in one transaction and advance the book's extraction mark.

        Pages must continue where the previous call stopped; a page saved twice (after a
        crash between saving and acknowledging) is replaced, never duplicated.
        """
        if not pages:
            return self.extracted_pages(book_id)
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO pages(book_id, page, lang, text, needs_ocr, repaired, "
                "failed) VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        book_id,
                        p.page,
                        p.lang,
                        p.text,
                        int(p.needs_ocr),
                        int(p.repaired),
                        int(p.failed),
                    )
                    for p in pages
                ],
            )
            last = max(p.page for p in pages) + 1
            db.execute(
                "UPDATE books SET extracted_pages = MAX(extracted_pages, ?) WHERE id = ?",
                (last, book_id),
            )
        return last

    def finish_extraction(self, book_id: str) -> None:
        """Mark every page read and record the book's languages.

        A language the book declares (recorded when it was added) wins: it stays first, and a
        language its pages were detected in is added only when the declared one was detected
        too (the detector read this book right) and it holds at least a third of the pages (a
        real second language, not a few quotations). Without a declared language, the
        languages are the pages' own, the most frequent first.
        """
        with self.transaction() as db:
            row = db.execute("SELECT languages FROM books WHERE id = ?", (book_id,)).fetchone()
            declared = list(json.loads(row[0]))[:1] if row else []
            counted = db.execute(
                "SELECT lang, COUNT(*) FROM pages WHERE book_id = ? AND lang != '' "
                "GROUP BY lang ORDER BY COUNT(*) DESC",
                (book_id,),
            ).fetchall()
            total = sum(int(count) for _lang, count in counted)
            langs = [str(lang) for lang, _count in counted]
            if declared:
                primary = declared[0].split("-")[0]
                trusted = primary in langs
                langs = declared + [
                    str(lang)
                    for lang, count in counted
                    if trusted and lang != primary and int(count) * 3 >= total
                ]
            db.execute(
                "UPDATE books SET state = ?, languages = ?, page_count = "
                "MAX(page_count, extracted_pages), ocr_pages = (SELECT COUNT(*) FROM pages "
                "WHERE book_id = ? AND needs_ocr) WHERE id = ?",
                (BookState.READY.value, json.dumps(langs), book_id, book_id),
            )

    def extracted_pages(self, book_id: str) -> int:
        """How many pages of the book have their text saved."""
        rows = self._query("SELECT extracted_pages FROM books WHERE id = ?", (book_id,))
        return int(rows[0][0]) if rows else 0

    def pages(self, book_id: str, start: int = 0, stop: int | None = None) -> list[PageText]:
        """Saved page texts of a book, in page order, from ``start`` up to ``stop``."""
        rows = self._query(
            "SELECT page, text, lang, needs_ocr, repaired, failed FROM pages "
            "WHERE book_id = ? AND page >= ? AND page < ? ORDER BY page",
            (book_id, start, stop if stop is not None else 1 << 62),
        )
        return [PageText(r[0], r[1], r[2], bool(r[3]), bool(r[4]), bool(r[5])) for r in rows]

    def page_texts(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """Texts of the given (book, page) pairs, for snippets, in one query."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        marks = ",".join("(?, ?)" for _ in wanted)
        params = [value for key in wanted for value in key]
        rows = self._query(
            f"WITH wanted(book_id, page) AS (VALUES {marks}) "
            "SELECT p.book_id, p.page, p.text FROM wanted w "
            "JOIN pages p ON p.book_id = w.book_id AND p.page = w.page",
            params,
        )
        return {(r[0], r[1]): r[2] for r in rows}

    def books_in_state(self, state: BookState) -> list[Book]:
        """Books whose import stopped at ``state`` (resumed at the next start)."""
        rows = self._query(
            f"SELECT {_BOOK_COLUMNS} FROM {_BOOK_FROM} WHERE b.state = ? ORDER BY b.added_at",
            (state.value,),
        )
        return [_book(r) for r in rows]

    # --- the full-text index's progress (the index itself is a cache) ----------------------

    def books_to_index(self) -> list[Book]:
        """Books with saved pages that the index does not hold yet, oldest first."""
        rows = self._query(
            f"SELECT {_BOOK_COLUMNS} FROM {_BOOK_FROM} "
            "WHERE b.extracted_pages > COALESCE(s.indexed_pages, 0) ORDER BY b.added_at"
        )
        return [_book(r) for r in rows]

    def set_indexed_pages(self, book_id: str, count: int) -> None:
        """Record that the index holds the book's first ``count`` pages."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO index_state(book_id, indexed_pages) VALUES (?, ?) "
                "ON CONFLICT(book_id) DO UPDATE SET indexed_pages = excluded.indexed_pages",
                (book_id, count),
            )

    def reset_index_state(self) -> None:
        """Forget what the index holds (it is being rebuilt)."""
        with self.transaction() as db:
            db.execute("UPDATE index_state SET indexed_pages = 0")

    # --- key/value facts about this library ------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A stored fact about this library, or None."""
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Store a fact about this library."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # --- per-profile reading state ---------------------------------------------------------

    def first_profile_id(self) -> int:
        """The machine's first profile (the one every library has since its first schema)."""
        rows = self._query("SELECT min(id) FROM profiles")
        if not rows or rows[0][0] is None:
            raise StoreError(f"{self.path}: the library has no profile")
        return int(rows[0][0])

    def set_progress(self, book_id: str, position: str, fraction: float, profile_id: int) -> None:
        """Remember where this profile stopped reading a book (logged for the sync)."""
        with self.transaction() as db:
            _write_progress(db, book_id, position, fraction, profile_id, remote=False)

    def write_remote_progress(
        self, db: sqlite3.Connection, book_id: str, position: str, fraction: float, profile_id: int
    ) -> None:
        """Store a reading position that came from the library server, inside the caller's
        transaction; logged as a remote change (never pushed back)."""
        _write_progress(db, book_id, position, fraction, profile_id, remote=True)

    def progress(self, book_id: str, profile_id: int) -> tuple[str, float] | None:
        """Where this profile stopped reading, as (position, fraction), or None."""
        rows = self._query(
            "SELECT position, fraction FROM progress WHERE profile_id = ? AND book_id = ?",
            (profile_id, book_id),
        )
        return (str(rows[0][0]), float(rows[0][1])) if rows else None

    def recently_read(self, profile_id: int, since: float, limit: int) -> list[str]:
        """Ids of the books whose position this profile saved at or after ``since`` (seconds
        since the epoch), the latest first, at most ``limit``."""
        rows = self._query(
            "SELECT book_id FROM progress WHERE profile_id = ? AND updated_at >= ? "
            "ORDER BY updated_at DESC LIMIT ?",
            (profile_id, since, limit),
        )
        return [str(r[0]) for r in rows]

    # --- checks ----------------------------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """What SQLite's own checks find wrong (empty when the database is sound)."""
        problems = [str(r[0]) for r in self._query("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [
            f"{r[0]} row {r[1]} points to a missing {r[2]}"
            for r in self._query("PRAGMA foreign_key_check")
        ]
        return problems


def _toc_json(toc: Sequence[TocEntry]) -> str:
    return json.dumps([[e.level, e.title, e.page] for e in toc], ensure_ascii=False)


def _arrived(db: sqlite3.Connection, book_id: str, sha256: str, entry: str | None) -> None:
    """A book is here now: apply what a sync pulled for it while it was not (its readers'
    positions, kept under its content hash or catalogue entry) and forget it."""
    keys = [sha256] + ([f"entry:{entry}"] if entry else [])
    marks = ",".join("?" * len(keys))
    waiting = db.execute(
        f"SELECT profile_id, data FROM sync_waiting WHERE kind = 'progress' "
        f"AND book_key IN ({marks})",
        keys,
    ).fetchall()
    for profile_id, data in waiting:
        pulled = json.loads(data)
        if db.execute(
            "SELECT 1 FROM progress WHERE profile_id = ? AND book_id = ?", (profile_id, book_id)
        ).fetchone():
            continue  # read here meanwhile: the next sync decides between the two
        position, fraction = str(pulled.get("position", "")), float(pulled.get("fraction", 0.0))
        _write_progress(db, book_id, position, fraction, int(profile_id), remote=True)
    db.execute(f"DELETE FROM sync_waiting WHERE book_key IN ({marks})", keys)
    shelves.book_arrived(db, book_id, keys)


def _write_progress(
    db: sqlite3.Connection,
    book_id: str,
    position: str,
    fraction: float,
    profile_id: int,
    *,
    remote: bool,
) -> None:
    """A reading position and its change-log entry, in the caller's transaction."""
    now = time.time()
    db.execute(
        "INSERT INTO progress(profile_id, book_id, position, fraction, updated_at) "
        "VALUES (?,?,?,?,?) ON CONFLICT(profile_id, book_id) DO UPDATE SET "
        "position = excluded.position, fraction = excluded.fraction, "
        "updated_at = excluded.updated_at",
        (profile_id, book_id, position, fraction, now),
    )
    data = {"position": position, "fraction": fraction, "updated_at": now}
    changes.record(
        db, "progress", book_id, action="update", profile_id=profile_id, data=data, remote=remote
    )
    if not remote:  # a pulled position's shelves come with the sync
        shelves.note_reading(db, profile_id, book_id, fraction)
