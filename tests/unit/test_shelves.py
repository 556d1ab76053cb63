"""Each person's shelves and hidden books: the store, its change log and the "Reading now" rule."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.core.paths import resolve_paths
from app.core.settings import Settings
from app.library import migrations
from app.library.migrations import MIGRATIONS
from app.library.shelves import FINISHED, READING, ShelfStore
from app.library.store import LibraryStore
from app.services.library.shelf import shelf_ids
from app.services.session import Library, Session
from tests.support.records import make_book
from tests.support.sessions import PROFILE, session_of

A, B, C = "a" * 64, "b" * 64, "c" * 64


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    """A store with two books and a second person."""
    opened = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    opened.add_book(make_book(A), None)
    opened.add_book(make_book(B), None)
    with opened.transaction() as db:
        db.execute("INSERT INTO profiles(id, name, created_at) VALUES (2, 'Dilnoza', 0)")
    yield opened
    opened.close()


def _logged(store: LibraryStore, kind: str) -> list[tuple[str, str, dict[str, object]]]:
    rows = store.query(
        "SELECT object_id, action, data FROM change_log WHERE object_kind = ? ORDER BY seq",
        (kind,),
    )
    return [(str(r[0]), str(r[1]), json.loads(r[2])) for r in rows]


def test_every_person_has_the_two_built_in_shelves_first(store: LibraryStore) -> None:
    shelves = ShelfStore(store, PROFILE).shelves()
    assert [(s.id, s.name, s.kind, s.count) for s in shelves] == [
        (READING, "Reading now", READING, 0),
        (FINISHED, "Finished", FINISHED, 0),
    ]
    assert _logged(store, "shelf") == []  # an empty built-in shelf is nothing to sync


def test_named_shelves_are_added_renamed_and_removed_with_a_tombstone(
    store: LibraryStore,
) -> None:
    shelves = ShelfStore(store, PROFILE)
    physics = shelves.add("  Fizika  ")
    assert physics.name == "Fizika"
    shelves.put(physics, A)
    renamed = shelves.rename("fizika", "Fizika 2-kurs")
    assert [(s.name, s.count) for s in shelves.shelves()][2:] == [("Fizika 2-kurs", 1)]
    shelves.remove("FIZIKA 2-KURS")
    assert [s.name for s in shelves.shelves()] == ["Reading now", "Finished"]
    gone = shelves.get(renamed.id)
    assert gone is not None
    assert gone.deleted_at is not None
    assert [(a, d["name"], d["books"]) for _i, a, d in _logged(store, "shelf")] == [
        ("create", "Fizika", []),
        ("update", "Fizika", [A]),
        ("update", "Fizika 2-kurs", [A]),
        ("delete", "Fizika 2-kurs", []),
    ]
    assert store.get(A) is not None  # the book stays in the library


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.add("Tarix"), "Tarix: you have a shelf of this name already"),
        (lambda s: s.add("TARIX"), "TARIX: you have a shelf of this name already"),
        (lambda s: s.add("reading now"), "reading now: you have a shelf of this name already"),
        (lambda s: s.add("   "), "a shelf needs a name"),
        (lambda s: s.add("bir\nikki"), "'bir\\nikki': a shelf name is one line of text"),
        (lambda s: s.add("x" * 81), "xxxxxxxxxxxxxxxxxxxx…: a shelf name is at most 80 characters"),
        (
            lambda s: s.rename("Reading now", "Hozir"),
            "Reading now: a built-in shelf cannot be renamed",
        ),
        (lambda s: s.remove("finished"), "Finished: a built-in shelf cannot be removed"),
        (
            lambda s: s.rename("Yo'q", "Bor"),
            "Yo'q: no shelf has this name (see `mutolaa shelves list`)",
        ),
        (
            lambda s: s.rename("Tarix", "Finished"),
            "Finished: you have a shelf of this name already",
        ),
    ],
)
def test_bad_shelf_requests_are_one_line_and_change_nothing(
    store: LibraryStore, call: object, message: str
) -> None:
    shelves = ShelfStore(store, PROFILE)
    shelves.add("Tarix")
    before = store.query("SELECT * FROM shelves ORDER BY id")
    with pytest.raises(UserError) as raised:
        call(shelves)  # type: ignore[operator]
    assert str(raised.value) == message
    assert store.query("SELECT * FROM shelves ORDER BY id") == before


def test_reading_now_fills_when_a_position_is_saved_and_finished_moves_it_out(
    store: LibraryStore,
) -> None:
    shelves = ShelfStore(store, PROFILE)
    store.set_progress(A, "page=0", 0.0, PROFILE)  # not read yet
    assert shelves.book_ids(shelves.find("Reading now")) == []
    store.set_progress(A, "page=1", 0.3, PROFILE)
    store.set_progress(A, "page=2", 0.6, PROFILE)  # already there: nothing more logged
    assert shelves.book_ids(shelves.find("Reading now")) == [A]
    assert len(_logged(store, "shelf")) == 1
    shelves.put(shelves.find("finished"), A)
    assert shelves.book_ids(shelves.find("Reading now")) == []
    assert shelves.book_ids(shelves.find("Finished")) == [A]
    store.set_progress(A, "page=1", 0.4, PROFILE)  # read again: it stays finished
    assert shelves.book_ids(shelves.find("Reading now")) == []
    shelves.put(shelves.find("reading now"), A)  # by hand: no longer finished
    assert shelves.book_ids(shelves.find("Finished")) == []
    with store.transaction() as db:  # a pulled position does not shelve by itself
        store.write_remote_progress(db, B, "page=1", 0.5, PROFILE)
    assert shelves.book_ids(shelves.find("Reading now")) == [A]


def test_put_and_take_say_whether_anything_changed(store: LibraryStore) -> None:
    shelves = ShelfStore(store, PROFILE)
    assert shelves.take(shelves.find("Finished"), A) is False  # a built-in one not made yet
    tarix = shelves.add("Tarix")
    assert shelves.put(tarix, A) is True
    assert shelves.put(tarix, A) is False
    assert shelves.names_by_book() == {A: ["Tarix"]}
    assert shelves.take(tarix, A) is True
    assert shelves.take(tarix, A) is False
    shelves.remove("Tarix")
    with pytest.raises(UserError, match="Tarix: this shelf was removed"):
        shelves.put(tarix, B)


def test_two_people_never_see_each_others_shelves_or_hidden_books(store: LibraryStore) -> None:
    mine, hers = ShelfStore(store, PROFILE), ShelfStore(store, 2)
    mine.put(mine.add("Tarix"), A)
    hers.add("Tarix")  # the same name is hers to use
    mine.hide(B)
    assert [(s.name, s.count) for s in hers.shelves()] == [
        ("Reading now", 0),
        ("Finished", 0),
        ("Tarix", 0),
    ]
    assert hers.hidden() == []
    assert mine.hidden() == [B]


def test_hiding_is_per_person_logged_and_never_removes_the_book(store: LibraryStore) -> None:
    shelves = ShelfStore(store, 2)
    assert shelves.hide(A) is True
    assert shelves.hide(A) is False
    assert shelves.hidden() == [A]
    assert store.get(A) is not None
    assert shelves.unhide(A) is True
    assert shelves.unhide(A) is False
    assert [(i, a) for i, a, _d in _logged(store, "hidden")] == [(A, "create"), (A, "delete")]


def test_the_library_view_filters_by_shelf_and_leaves_out_the_persons_hidden_books(
    tmp_path: Path,
) -> None:
    library = Library(resolve_paths(tmp_path / "lib"))
    try:
        for book_id in (A, B, C):
            library.store.add_book(make_book(book_id), None)
        with library.store.transaction() as db:
            db.execute("INSERT INTO profiles(id, name, created_at) VALUES (2, 'Dilnoza', 0)")
        mine, hers = session_of(library), Session(library, 2, Settings())
        shelves = ShelfStore(library.store, mine.profile_id)
        tarix = shelves.add("Tarix")
        shelves.put(tarix, A)
        shelves.put(tarix, C)
        shelves.hide(C)
        assert shelf_ids(mine, order="title", descending=False) == [A, B]
        assert shelf_ids(mine, order="progress", shelf_id=tarix.id) == [A]
        assert shelf_ids(hers, order="title", descending=False) == [A, B, C]  # hers to see
        assert shelf_ids(hers, shelf_id=tarix.id) == []  # my shelf is not hers
    finally:
        library.close()


def test_a_library_from_before_shelves_gains_them_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    before = MIGRATIONS.index(migrations._shelves)  # the version just before the shelves
    with sqlite3.connect(path) as db:
        for migrate in MIGRATIONS[:before]:
            migrate(db)
        db.execute(f"PRAGMA user_version = {before}")
        db.execute(
            "INSERT INTO progress(profile_id, book_id, position, fraction, updated_at) "
            "VALUES (1, ?, 'page=4', 0.4, 0)",
            (A,),
        )
    store = LibraryStore(path, tmp_path / "books")
    try:
        assert store.progress(A, PROFILE) == ("page=4", 0.4)
        shelves = ShelfStore(store, PROFILE)
        shelves.put(shelves.add("Tarix"), A)
        assert shelves.names_by_book() == {A: ["Tarix"]}
    finally:
        store.close()
