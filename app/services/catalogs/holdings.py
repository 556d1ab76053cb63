"""Which catalogue entries the library already holds, and which are waiting in the download queue.

A book downloaded from a catalogue keeps the entry's id in ``books.source_entry``; a queued
download keeps it in ``downloads.entry_id``. A book that came another way (downloaded by its
address, imported from a file) is found by its content: the SHA-256 an entry's acquisition link
gives is the book's id. The catalogue browser marks such entries ("in your library", "queued")
and offers Read for the first kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.library.downloads import DownloadQueue
from app.services.session import Library, Session
from sync.opds.model import Entry

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


def books_by_entry(
    library: Library, entry_ids: Iterable[str], hashes: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The books of `library` that came from these catalogue entries: entry id → book id.

    ``hashes`` (entry id → the SHA-256 its feed gives for the file) finds the books that came
    another way. Entries the library does not hold are left out; an empty id is never matched.
    """
    ids = list(entry_ids)
    found = {entry: books[-1] for entry, books in library.store.books_with_entries(ids).items()}
    wanted = {e: sha for e, sha in (hashes or {}).items() if e and e not in found and sha}
    held = library.store.books_by_ids(sorted(set(wanted.values()))) if wanted else {}
    found.update({entry: sha for entry, sha in wanted.items() if sha in held})
    return found


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


def holdings(session: Session, entries: Iterable[Entry]) -> Holdings:
    """The books and the waiting downloads of these catalogue entries (a store read or two)."""
    shown = [e for e in entries if e.id]
    ids = [e.id for e in shown]
    hashes = {e.id: sha for e in shown if (sha := entry_sha256(e))}
    return Holdings(books_by_entry(session.library, ids, hashes), queued_by_entry(session, ids))


def entry_sha256(entry: Entry) -> str:
    """The SHA-256 (lower-case hex) an entry's feed gives for its file, "" when none does."""
    for acquisition in entry.acquisitions:
        for checksum in acquisition.checksums:
            if checksum.algorithm == "sha256" and len(checksum.value) == 64:
                return checksum.value.lower()
    return ""
