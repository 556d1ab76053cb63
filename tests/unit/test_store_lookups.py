"""The store's named reads that services use: books by catalogue entry, recent books, the
books KOReader has not seen at their current place, a catalogue by id."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.library.catalogs import CatalogStore
from app.library.koreader_state import KoreaderBook, KoreaderState
from app.library.store import LibraryStore
from tests.support.records import make_book
from tests.support.sessions import PROFILE

OTHER = 2  # a second profile, made by the fixture


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    opened = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    with opened.transaction() as db:
        db.execute("INSERT INTO profiles(id, name, created_at) VALUES (?, 'guest', 0)", (OTHER,))
    yield opened
    opened.close()


def _add(store: LibraryStore, letter: str, added_at: float, entry: str | None = None) -> str:
    book = dataclasses.replace(make_book(letter * 64), added_at=added_at, source_entry=entry)
    store.add_book(book, None)
    return book.id


def _read_at(store: LibraryStore, book_id: str, profile_id: int, when: float) -> None:
    """A saved position with the time it was saved set to ``when``."""
    store.set_progress(book_id, "page=1", 0.25, profile_id)
    with store.transaction() as db:
        db.execute(
            "UPDATE progress SET updated_at = ? WHERE book_id = ? AND profile_id = ?",
            (when, book_id, profile_id),
        )


def test_books_with_entries_lists_each_entrys_books_the_first_added_first(
    store: LibraryStore,
) -> None:
    later = _add(store, "a", 20.0, "urn:one")
    first = _add(store, "b", 10.0, "urn:one")
    other = _add(store, "c", 15.0, "urn:two")
    _add(store, "d", 5.0)  # imported from a file: no entry
    found = store.books_with_entries(["urn:one", "urn:two", "urn:absent", ""])
    assert found == {"urn:one": [first, later], "urn:two": [other]}
    assert store.books_with_entries([]) == {}
    assert store.books_with_entries([""]) == {}


def test_books_with_entries_reads_more_entries_than_sqlite_binds_at_once(
    store: LibraryStore,
) -> None:
    book = _add(store, "a", 1.0, "urn:last")
    wanted = [f"urn:{n}" for n in range(1200)] + ["urn:last"]
    assert store.books_with_entries(wanted) == {"urn:last": [book]}


def test_recently_added_is_newest_first_since_a_time_and_limited(store: LibraryStore) -> None:
    old = _add(store, "a", 100.0)
    middle = _add(store, "b", 200.0)
    new = _add(store, "c", 300.0)
    assert store.recently_added(200.0, 10) == [new, middle]
    assert store.recently_added(0.0, 2) == [new, middle]
    assert store.recently_added(100.0, 10) == [new, middle, old]
    assert store.recently_added(301.0, 10) == []


def test_recently_read_is_the_profiles_latest_first_since_a_time(store: LibraryStore) -> None:
    a, b, c = (_add(store, letter, 1.0) for letter in "abc")
    _read_at(store, a, PROFILE, 100.0)
    _read_at(store, b, PROFILE, 300.0)
    _read_at(store, c, PROFILE, 200.0)
    _read_at(store, a, OTHER, 400.0)  # another person's reading
    assert store.recently_read(PROFILE, 150.0, 10) == [b, c]
    assert store.recently_read(PROFILE, 0.0, 2) == [b, c]
    assert store.recently_read(OTHER, 0.0, 10) == [a]


def test_changed_books_are_those_not_at_the_place_last_exchanged(store: LibraryStore) -> None:
    same, moved, never, unread = (_add(store, letter, 1.0) for letter in "abcd")
    _read_at(store, same, PROFILE, 100.0)
    _read_at(store, moved, PROFILE, 300.0)
    _read_at(store, never, PROFILE, 200.0)
    _read_at(store, same, OTHER, 400.0)  # another person's reading: never exchanged by them
    state = KoreaderState(store, PROFILE)
    with store.transaction() as db:
        state.set_book(db, KoreaderBook(same, "doc-a", "page=1", 0.25))
        state.set_book(db, KoreaderBook(moved, "doc-b", "page=0", 0.1))
        state.set_book(db, KoreaderBook(unread, "doc-d"))
    assert state.changed_books(10) == [moved, never]
    assert state.changed_books(1) == [moved]
    assert KoreaderState(store, OTHER).changed_books(10) == [same]


def test_catalog_by_id_is_the_profiles_own_or_none(store: LibraryStore) -> None:
    mine = CatalogStore(store, PROFILE).add("Home", "http://127.0.0.1:8080/opds", "ana", "pw")
    theirs = CatalogStore(store, OTHER).add("Home", "http://127.0.0.1:9090/opds")
    catalogs = CatalogStore(store, PROFILE)
    assert catalogs.by_id(mine.id) == mine
    assert catalogs.by_id(theirs.id) is None
    assert catalogs.by_id(mine.id + theirs.id + 1) is None
    catalogs.remove("Home")
    assert catalogs.by_id(mine.id) is None
