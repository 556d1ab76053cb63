"""Which catalogue entries the library already holds, and which are waiting in the download queue.

A book downloaded from a catalogue keeps the entry's id in ``books.source_entry``; a queued
download keeps it in ``downloads.entry_id``. The catalogue browser marks such entries ("in your
library", "queued") and offers Read for the first kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.library.downloads import DownloadQueue
from app.services.session import Library, Session

#: Download states that mean "the file is on its way" (a failed or cancelled one is not).
WAITING_STATES = ("queued", "running", "paused")


@dataclass(frozen=True)
class Holdings:
    """What the library has of some catalogue entries.

    Attributes:
        books: entry id → id of the book in the library (the latest added when several).
        queued: entry id → id of its download waiting, running or paused in the queue.
    """

    books: dict[str, str] = field(default_factory=dict)
    queued: dict[str, str] = field(default_factory=dict)


def books_by_entry(library: Library, entry_ids: Iterable[str]) -> dict[str, str]:
    """The books of `library` that came from these catalogue entries: entry id → book id.

    Entries the library does not hold are left out; an empty id is never matched.
    """
    found = library.store.books_with_entries(entry_ids)
    return {entry: books[-1] for entry, books in found.items()}  # the latest added


def queued_by_entry(session: Session, entry_ids: Iterable[str]) -> dict[str, str]:
    """The downloads of these entries still waiting, running or paused: entry id → download id."""
    library, profile_id = session.library, session.profile_id
    wanted = {entry_id for entry_id in entry_ids if entry_id}
    if not wanted:
        return {}
    return {
        item.entry_id: item.id
        for item in reversed(DownloadQueue(library.store).list(profile_id))
        if item.entry_id in wanted and item.state in WAITING_STATES
    }


def holdings(session: Session, entry_ids: Iterable[str]) -> Holdings:
    """The books and the waiting downloads of these catalogue entries (one store read each)."""
    ids = list(entry_ids)
    return Holdings(books_by_entry(session.library, ids), queued_by_entry(session, ids))
