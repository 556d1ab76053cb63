"""Disk use per person and of the whole library, for the administrator (docs/profiles.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.library.profiles import Profile, ProfileStore
from app.library.usage import RowsUse, books_use, rows_use
from app.services.catalogs.queue_runner import downloads_folder
from app.services.profiles import AskPin, authorize
from app.services.session import Library
from sync.partials import partials_size


@dataclass(frozen=True)
class PersonUse:
    """One person's share of the disk.

    Attributes:
        profile: the person.
        rows: their notes, positions, brought books and unfinished downloads (`RowsUse`).
        waiting: how many of their downloads are not done yet.
        partial_bytes: the bytes of those downloads' partial files on disk.
    """

    profile: Profile
    rows: RowsUse
    waiting: int
    partial_bytes: int

    @property
    def total_bytes(self) -> int:
        """Everything counted for them."""
        rows = self.rows
        return rows.notes_bytes + rows.positions_bytes + rows.brought_bytes + self.partial_bytes


@dataclass(frozen=True)
class DiskUse:
    """The library's disk use.

    Attributes:
        people: each person's (`PersonUse`), in the library's order.
        books: how many books the library holds (everyone's).
        book_bytes: the size of their files.
        folder_bytes: everything in the library's folder (database, books, downloads).
    """

    people: list[PersonUse]
    books: int
    book_bytes: int
    folder_bytes: int


def disk_use(library: Library, ask_pin: AskPin) -> DiskUse:
    """Measure the library's disk use per person; while there is an administrator, only for
    them (their PIN is asked, as for the other `profiles` changes).

    Raises:
        UserError: the administrator's PIN wrong, missing or asked during the wait.
    """
    profiles = ProfileStore(library.store)
    authorize(profiles, None, ask_pin)
    folder = downloads_folder(library)
    people = []
    for person in profiles.list():
        rows = rows_use(library.store, person.id)
        partial = partials_size(folder, rows.unfinished_urls)
        people.append(PersonUse(person, rows, len(rows.unfinished_urls), partial))
    books, book_bytes = books_use(library.store)
    return DiskUse(people, books, book_bytes, _folder_size(library.paths.data))


def _folder_size(folder: Path) -> int:
    """The bytes of the files under ``folder`` (links not followed, unreadable ones skipped)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total
