"""What each person's rows take in the library's database, and which downloads are theirs."""

from __future__ import annotations

from dataclasses import dataclass

from app.library.store import LibraryStore

#: The bytes of a row: its text's UTF-8 bytes and 8 a number (the data, not SQLite's pages).
_NOTES = (
    "SELECT count(*), coalesce(sum(length(CAST(id || book_id || kind || anchor || quote || "
    "color || body || coalesce(parent_id, '') || origin AS BLOB)) + 40), 0) "
    "FROM annotations WHERE profile_id = ?"
)
_POSITIONS = (
    "SELECT count(*), coalesce(sum(length(CAST(book_id || position AS BLOB)) + 24), 0) "
    "FROM progress WHERE profile_id = ?"
)
#: The books a person brought: those their finished downloads added, still in the library.
_BROUGHT = (
    "SELECT count(*), coalesce(sum(size), 0) FROM books WHERE id IN "
    "(SELECT book_id FROM downloads WHERE profile_id = ? AND state = 'done')"
)
_UNFINISHED = (
    "SELECT url FROM downloads WHERE profile_id = ? "
    "AND state IN ('queued', 'running', 'paused', 'failed') ORDER BY created_at"
)


@dataclass(frozen=True)
class RowsUse:
    """What a person's rows hold.

    Attributes:
        notes: their annotations (bookmarks, highlights, notes; deleted ones kept for sync too).
        notes_bytes: the bytes of those rows.
        positions: their reading positions.
        positions_bytes: the bytes of those rows.
        brought: the books their downloads added (imports by file are nobody's).
        brought_bytes: the size of those books' files.
        unfinished_urls: the addresses of their downloads not done yet (partial files on disk).
    """

    notes: int
    notes_bytes: int
    positions: int
    positions_bytes: int
    brought: int
    brought_bytes: int
    unfinished_urls: list[str]


def rows_use(store: LibraryStore, profile_id: int) -> RowsUse:
    """What ``profile_id``'s rows hold (`RowsUse`)."""
    notes, notes_bytes = store.query(_NOTES, (profile_id,))[0]
    positions, positions_bytes = store.query(_POSITIONS, (profile_id,))[0]
    brought, brought_bytes = store.query(_BROUGHT, (profile_id,))[0]
    urls = [str(r[0]) for r in store.query(_UNFINISHED, (profile_id,))]
    return RowsUse(
        int(notes),
        int(notes_bytes),
        int(positions),
        int(positions_bytes),
        int(brought),
        int(brought_bytes),
        urls,
    )


def books_use(store: LibraryStore) -> tuple[int, int]:
    """How many books the library holds, and the size of their files."""
    count, size = store.query("SELECT count(*), coalesce(sum(size), 0) FROM books")[0]
    return int(count), int(size)
