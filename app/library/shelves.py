"""Each person's shelves ("Reading now", "Finished" and those they name) and hidden books.

Every change is one SQLite transaction holding the change and its change-log entry (kind
``shelf``: the whole shelf after the change, its books included, so the sync ships it as one
object; kind ``hidden`` for hiding a book, which stays on this library). A removed shelf keeps
a tombstone (``deleted_at``). The rules are in docs/shelves.md.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core.errors import UserError
from app.library import changes

if TYPE_CHECKING:
    from app.library.store import LibraryStore

READING, FINISHED, NAMED = "reading", "finished", "named"
#: The built-in shelves: kind → (id, name). Their ids are the same on every device, so the sync
#: makes one "Reading now" of a person's two PCs, not two.
BUILT_IN = {READING: (READING, "Reading now"), FINISHED: (FINISHED, "Finished")}
#: The longest shelf name.
MAX_NAME = 80
_COLUMNS = "id, name, kind, created_at, updated_at, deleted_at"


@dataclass(frozen=True)
class Shelf:
    """One shelf of a person.

    Attributes:
        id: ``reading``, ``finished``, or a UUID (a named shelf).
        name: what the person sees ("Reading now", "Finished", or the name they gave).
        kind: ``reading``, ``finished`` or ``named``.
        created_at: when it was made (seconds since the epoch).
        updated_at: when it last changed (its name or its books).
        deleted_at: when it was removed (a tombstone), else None.
        count: how many books of this library are on it (when listed; else 0).
    """

    id: str
    name: str
    kind: str
    created_at: float
    updated_at: float
    deleted_at: float | None = None
    count: int = 0

    @property
    def built_in(self) -> bool:
        """One of the two shelves every person has: it cannot be renamed or removed."""
        return self.kind != NAMED


def _shelf(row: Sequence[Any], count: int = 0) -> Shelf:
    return Shelf(
        str(row[0]),
        str(row[1]),
        str(row[2]),
        float(row[3]),
        float(row[4]),
        None if row[5] is None else float(row[5]),
        count,
    )


def clean_name(name: str) -> str:
    """A shelf name as stored: one line, spaces trimmed.

    Raises:
        UserError: empty, longer than `MAX_NAME`, or holding a line break or control character.
    """
    cleaned = name.strip()
    if not cleaned:
        raise UserError("a shelf needs a name")
    if any(ord(c) < 32 or ord(c) == 127 for c in cleaned):
        raise UserError(f"{cleaned[:MAX_NAME]!r}: a shelf name is one line of text")
    if len(cleaned) > MAX_NAME:
        raise UserError(f"{cleaned[:20]}…: a shelf name is at most {MAX_NAME} characters")
    return cleaned


def shelf_record(db: sqlite3.Connection, profile_id: int, shelf_id: str) -> dict[str, Any]:
    """A shelf as the change log keeps it: its fields and its books' ids (sorted)."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM shelves WHERE profile_id = ? AND id = ?", (profile_id, shelf_id)
    ).fetchone()
    shelf = _shelf(row)
    books = [
        str(r[0])
        for r in db.execute(
            "SELECT book_id FROM shelf_books WHERE profile_id = ? AND shelf_id = ? "
            "ORDER BY book_id",
            (profile_id, shelf_id),
        )
    ]
    return {
        "id": shelf.id,
        "name": shelf.name,
        "kind": shelf.kind,
        "created_at": shelf.created_at,
        "updated_at": shelf.updated_at,
        "deleted_at": shelf.deleted_at,
        "books": books,
    }


def _log(
    db: sqlite3.Connection, profile_id: int, shelf_id: str, action: str, *, remote: bool = False
) -> None:
    changes.record(
        db,
        "shelf",
        shelf_id,
        action=action,
        profile_id=profile_id,
        data=shelf_record(db, profile_id, shelf_id),
        remote=remote,
    )


def ensure_built_in(db: sqlite3.Connection, profile_id: int) -> None:
    """Make the person's two built-in shelves when they do not exist yet (not logged: an empty
    built-in shelf is nothing to sync; its first book logs it)."""
    now = time.time()
    for kind, (shelf_id, name) in BUILT_IN.items():
        db.execute(
            "INSERT INTO shelves(profile_id, id, name, kind, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(profile_id, id) DO NOTHING",
            (profile_id, shelf_id, name, kind, now, now),
        )


def _on_shelf(db: sqlite3.Connection, profile_id: int, shelf_id: str, book_id: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM shelf_books WHERE profile_id = ? AND shelf_id = ? AND book_id = ?",
        (profile_id, shelf_id, book_id),
    ).fetchone()
    return row is not None


def _set_member(
    db: sqlite3.Connection, profile_id: int, shelf_id: str, book_id: str, on: bool
) -> bool:
    """Put a book on a shelf or take it off, logged; False when it already was so."""
    if _on_shelf(db, profile_id, shelf_id, book_id) == on:
        return False
    now = time.time()
    if on:
        db.execute(
            "INSERT INTO shelf_books(profile_id, shelf_id, book_id, added_at) VALUES (?,?,?,?)",
            (profile_id, shelf_id, book_id, now),
        )
    else:
        db.execute(
            "DELETE FROM shelf_books WHERE profile_id = ? AND shelf_id = ? AND book_id = ?",
            (profile_id, shelf_id, book_id),
        )
    db.execute(
        "UPDATE shelves SET updated_at = ? WHERE profile_id = ? AND id = ?",
        (now, profile_id, shelf_id),
    )
    _log(db, profile_id, shelf_id, "update")
    return True


def book_arrived(db: sqlite3.Connection, book_id: str, keys: Sequence[str]) -> None:
    """A book is here now: shelf places kept under another of its keys (``entry:<id>``, from a
    shelf pulled before the book was held) become the book's own (not logged: the shelf is the
    same shelf, its book now known by its content hash)."""
    for key in keys:
        if key != book_id:
            db.execute(
                "UPDATE OR IGNORE shelf_books SET book_id = ? WHERE book_id = ?", (book_id, key)
            )
            db.execute("DELETE FROM shelf_books WHERE book_id = ?", (key,))


def note_reading(db: sqlite3.Connection, profile_id: int, book_id: str, fraction: float) -> None:
    """The "Reading now" rule, run when a person's reading position is saved here (not when a
    sync applies one: the shelf itself comes with the sync): a book read past its start and
    not to its end (0 < fraction < 1) goes on "Reading now" unless it is on "Finished"."""
    if not 0.0 < fraction < 1.0 or _on_shelf(db, profile_id, READING, book_id):
        return  # the usual case, a page turned in a book on the shelf: nothing is written
    ensure_built_in(db, profile_id)
    if _on_shelf(db, profile_id, FINISHED, book_id):
        return
    _set_member(db, profile_id, READING, book_id, True)


class ShelfStore:
    """One person's shelves and hidden books, over one library's database.

    Args:
        store: the library store.
        profile_id: whose shelves these are.
    """

    def __init__(self, store: LibraryStore, profile_id: int) -> None:
        self._store = store
        self.profile_id = profile_id

    # --- shelves -------------------------------------------------------------------------------

    def shelves(self) -> list[Shelf]:
        """The person's live shelves with how many of this library's books are on each:
        "Reading now", "Finished" (made when their first book comes), then the named ones
        by name."""
        rows = self._store.query(
            f"SELECT {', '.join('s.' + c.strip() for c in _COLUMNS.split(','))}, "
            "(SELECT COUNT(*) FROM shelf_books m JOIN books b ON b.id = m.book_id "
            "WHERE m.profile_id = s.profile_id AND m.shelf_id = s.id) "
            "FROM shelves s WHERE s.profile_id = ? AND s.deleted_at IS NULL",
            (self.profile_id,),
        )
        found = [_shelf(r, int(r[6])) for r in rows]
        made = {s.id for s in found}
        # a built-in shelf not made yet is shown empty (a read never writes; its first book
        # makes it)
        found += [
            Shelf(shelf_id, name, kind, 0.0, 0.0)
            for kind, (shelf_id, name) in BUILT_IN.items()
            if shelf_id not in made
        ]
        order = {READING: 0, FINISHED: 1, NAMED: 2}
        return sorted(found, key=lambda s: (order.get(s.kind, 2), s.name.casefold(), s.id))

    def find(self, name: str) -> Shelf:
        """The live shelf with this name (any case), or the built-in one of this kind.

        Raises:
            UserError: no such shelf.
        """
        wanted = name.strip().casefold()
        for shelf in self.shelves():
            if wanted in (shelf.name.casefold(), shelf.id if shelf.built_in else None):
                return shelf
        raise UserError(f"{name.strip()}: no shelf has this name (see `mutolaa shelves list`)")

    def get(self, shelf_id: str) -> Shelf | None:
        """One shelf by id, live or removed."""
        rows = self._store.query(
            f"SELECT {_COLUMNS} FROM shelves WHERE profile_id = ? AND id = ?",
            (self.profile_id, shelf_id),
        )
        return _shelf(rows[0]) if rows else None

    def add(self, name: str) -> Shelf:
        """Make a named shelf.

        Raises:
            UserError: a bad name, or the person has a shelf of this name already.
        """
        cleaned = clean_name(name)
        with self._store.transaction(durable=True) as db:
            ensure_built_in(db, self.profile_id)
            self._refuse_taken(db, cleaned)
            now = time.time()
            shelf_id = uuid.uuid4().hex
            db.execute(
                "INSERT INTO shelves(profile_id, id, name, kind, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?)",
                (self.profile_id, shelf_id, cleaned, NAMED, now, now),
            )
            _log(db, self.profile_id, shelf_id, "create")
        return Shelf(shelf_id, cleaned, NAMED, now, now)

    def rename(self, old: str, new: str) -> Shelf:
        """Give a named shelf another name.

        Raises:
            UserError: no such shelf, a built-in one, a bad name, or the name is taken.
        """
        shelf = self._named(old, "renamed")
        cleaned = clean_name(new)
        with self._store.transaction(durable=True) as db:
            self._refuse_taken(db, cleaned, but=shelf.id)
            now = time.time()
            db.execute(
                "UPDATE shelves SET name = ?, updated_at = ? WHERE profile_id = ? AND id = ?",
                (cleaned, now, self.profile_id, shelf.id),
            )
            _log(db, self.profile_id, shelf.id, "update")
        return Shelf(shelf.id, cleaned, NAMED, shelf.created_at, now)

    def remove(self, name: str) -> Shelf:
        """Remove a named shelf (its books stay in the library; a tombstone is kept).

        Raises:
            UserError: no such shelf, or a built-in one.
        """
        shelf = self._named(name, "removed")
        with self._store.transaction(durable=True) as db:
            now = time.time()
            db.execute(
                "DELETE FROM shelf_books WHERE profile_id = ? AND shelf_id = ?",
                (self.profile_id, shelf.id),
            )
            db.execute(
                "UPDATE shelves SET deleted_at = ?, updated_at = ? WHERE profile_id = ? AND id = ?",
                (now, now, self.profile_id, shelf.id),
            )
            _log(db, self.profile_id, shelf.id, "delete")
        return shelf

    def put(self, shelf: Shelf, book_id: str) -> bool:
        """Put a book on a shelf; False when it was there already.

        "Finished" and "Reading now" exclude each other: putting a book on one takes it off
        the other.
        """
        with self._store.transaction(durable=True) as db:
            ensure_built_in(db, self.profile_id)
            self._refuse_gone(db, shelf)
            other = {FINISHED: READING, READING: FINISHED}.get(shelf.kind)
            if other is not None:
                _set_member(db, self.profile_id, other, book_id, False)
            return _set_member(db, self.profile_id, shelf.id, book_id, True)

    def take(self, shelf: Shelf, book_id: str) -> bool:
        """Take a book off a shelf; False when it was not on it."""
        with self._store.transaction(durable=True) as db:
            ensure_built_in(db, self.profile_id)
            self._refuse_gone(db, shelf)
            return _set_member(db, self.profile_id, shelf.id, book_id, False)

    def book_ids(self, shelf: Shelf) -> list[str]:
        """The ids of this library's books on a shelf, the latest put first."""
        rows = self._store.query(
            "SELECT m.book_id FROM shelf_books m JOIN books b ON b.id = m.book_id "
            "WHERE m.profile_id = ? AND m.shelf_id = ? ORDER BY m.added_at DESC, m.book_id",
            (self.profile_id, shelf.id),
        )
        return [str(r[0]) for r in rows]

    def names_by_book(self) -> dict[str, list[str]]:
        """Book id → the names of the live shelves it is on (sorted), for every shelved book."""
        rows = self._store.query(
            "SELECT m.book_id, s.name FROM shelf_books m JOIN shelves s ON "
            "s.profile_id = m.profile_id AND s.id = m.shelf_id WHERE m.profile_id = ? AND "
            "s.deleted_at IS NULL ORDER BY m.book_id, s.name",
            (self.profile_id,),
        )
        found: dict[str, list[str]] = {}
        for book_id, name in rows:
            found.setdefault(str(book_id), []).append(str(name))
        return found

    def write_remote(
        self,
        db: sqlite3.Connection,
        shelf: Shelf,
        book_ids: Iterable[str],
    ) -> bool:
        """Store a shelf as the library server holds it, inside the caller's transaction (a
        sync applies a page at once); logged as a remote change, never pushed back. A named
        shelf whose name another live shelf of the person has here gets `` (2)`` (or the next
        free number) added here only. Returns whether anything changed."""
        current = db.execute(
            f"SELECT {_COLUMNS} FROM shelves WHERE profile_id = ? AND id = ?",
            (self.profile_id, shelf.id),
        ).fetchone()
        name = shelf.name
        if shelf.kind == NAMED and shelf.deleted_at is None:
            name = self._free_name(db, shelf.name, shelf.id)
        wanted = sorted(set(book_ids)) if shelf.deleted_at is None else []
        before = shelf_record(db, self.profile_id, shelf.id) if current is not None else None
        if (
            before is not None
            and before["name"] == name
            and (before["deleted_at"] is None) == (shelf.deleted_at is None)
            and before["books"] == wanted
        ):
            return False
        db.execute(
            "INSERT INTO shelves(profile_id, id, name, kind, created_at, updated_at, deleted_at) "
            "VALUES (?,?,?,?,?,?,?) ON CONFLICT(profile_id, id) DO UPDATE SET "
            "name = excluded.name, updated_at = excluded.updated_at, "
            "deleted_at = excluded.deleted_at",
            (
                self.profile_id,
                shelf.id,
                name,
                shelf.kind,
                shelf.created_at,
                shelf.updated_at,
                shelf.deleted_at,
            ),
        )
        had = set(before["books"]) if before is not None else set()
        now = time.time()
        for book_id in had - set(wanted):
            db.execute(
                "DELETE FROM shelf_books WHERE profile_id = ? AND shelf_id = ? AND book_id = ?",
                (self.profile_id, shelf.id, book_id),
            )
        db.executemany(
            "INSERT INTO shelf_books(profile_id, shelf_id, book_id, added_at) VALUES (?,?,?,?)",
            [(self.profile_id, shelf.id, b, now) for b in sorted(set(wanted) - had)],
        )
        action = "create" if current is None else "update"
        if shelf.deleted_at is not None and (current is None or current[5] is None):
            action = "delete"
        _log(db, self.profile_id, shelf.id, action, remote=True)
        return True

    # --- hidden books --------------------------------------------------------------------------

    def hide(self, book_id: str) -> bool:
        """Leave a shared book out of this person's view (the book stays in the library, for
        everyone else); False when it was hidden already."""
        return self._set_hidden(book_id, True)

    def unhide(self, book_id: str) -> bool:
        """Show a hidden book again; False when it was not hidden."""
        return self._set_hidden(book_id, False)

    def hidden(self) -> list[str]:
        """The ids of the library's books this person hid, the latest hidden first."""
        rows = self._store.query(
            "SELECT h.book_id FROM hidden_books h JOIN books b ON b.id = h.book_id "
            "WHERE h.profile_id = ? ORDER BY h.hidden_at DESC, h.book_id",
            (self.profile_id,),
        )
        return [str(r[0]) for r in rows]

    def _set_hidden(self, book_id: str, hidden: bool) -> bool:
        with self._store.transaction() as db:
            was = db.execute(
                "SELECT 1 FROM hidden_books WHERE profile_id = ? AND book_id = ?",
                (self.profile_id, book_id),
            ).fetchone()
            if bool(was) == hidden:
                return False
            now = time.time()
            if hidden:
                db.execute(
                    "INSERT INTO hidden_books(profile_id, book_id, hidden_at) VALUES (?,?,?)",
                    (self.profile_id, book_id, now),
                )
            else:
                db.execute(
                    "DELETE FROM hidden_books WHERE profile_id = ? AND book_id = ?",
                    (self.profile_id, book_id),
                )
            changes.record(
                db,
                "hidden",
                book_id,
                action="create" if hidden else "delete",
                profile_id=self.profile_id,
                data={"book_id": book_id, "hidden": hidden, "at": now},
            )
        return True

    # --- checks --------------------------------------------------------------------------------

    def _named(self, name: str, done: str) -> Shelf:
        shelf = self.find(name)
        if shelf.built_in:
            raise UserError(f"{shelf.name}: a built-in shelf cannot be {done}")
        return shelf

    def _refuse_taken(self, db: sqlite3.Connection, name: str, but: str = "") -> None:
        wanted = name.casefold()
        for shelf_id, taken in db.execute(
            "SELECT id, name FROM shelves WHERE profile_id = ? AND deleted_at IS NULL",
            (self.profile_id,),
        ):
            if str(shelf_id) != but and str(taken).casefold() == wanted:
                raise UserError(f"{name}: you have a shelf of this name already")

    def _refuse_gone(self, db: sqlite3.Connection, shelf: Shelf) -> None:
        row = db.execute(
            "SELECT deleted_at FROM shelves WHERE profile_id = ? AND id = ?",
            (self.profile_id, shelf.id),
        ).fetchone()
        if row is None or row[0] is not None:
            raise UserError(f"{shelf.name}: this shelf was removed")

    def _free_name(self, db: sqlite3.Connection, name: str, shelf_id: str) -> str:
        taken = {
            str(n).casefold()
            for i, n in db.execute(
                "SELECT id, name FROM shelves WHERE profile_id = ? AND deleted_at IS NULL",
                (self.profile_id,),
            )
            if str(i) != shelf_id
        }
        if name.casefold() not in taken:
            return name
        number = 2
        while f"{name} ({number})".casefold() in taken:
            number += 1
        return f"{name} ({number})"
