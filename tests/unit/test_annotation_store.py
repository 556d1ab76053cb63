"""Annotations in the store: every change logged in the same transaction, tombstones, undo."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.core.models import Anchor, AnnotationKind
from app.library.annotations import AnnotationStore, anchor_from_json, anchor_to_json
from app.library.migrations import MIGRATIONS
from app.library.store import LibraryStore
from tests.support.records import make_book
from tests.support.sessions import PROFILE

BOOK = "b" * 64
HIGHLIGHT = AnnotationKind.HIGHLIGHT


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    opened = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    yield opened
    opened.close()


def test_create_edit_delete_and_restore_are_each_logged_once(store: LibraryStore) -> None:
    notes = AnnotationStore(store)
    anchor = Anchor(page=4, quads=((10.0, 20.0, 110.0, 32.0),), prefix="Bu", suffix="edi.")
    mark = notes.create(
        BOOK, HIGHLIGHT, anchor, quote="oʻquv yili", color="yellow", profile_id=PROFILE
    )
    note = notes.create(
        BOOK, AnnotationKind.NOTE, anchor, body="Muhim!", parent_id=mark.id, profile_id=PROFILE
    )
    edited = notes.update(mark.id, color="green")
    assert edited.color == "green"
    assert edited.updated_at >= mark.updated_at
    assert [a.id for a in notes.of_book(BOOK, profile_id=PROFILE)] == [mark.id, note.id]

    deleted = notes.delete(mark.id)  # its note goes with it
    assert deleted.deleted
    assert notes.of_book(BOOK, profile_id=PROFILE) == []
    assert notes.get(note.id) is not None
    assert notes.get(note.id).deleted  # type: ignore[union-attr]
    notes.delete(mark.id)  # twice is harmless, and not logged again
    notes.restore(mark.id)
    assert [a.id for a in notes.of_book(BOOK, profile_id=PROFILE)] == [mark.id, note.id]

    log = notes.changes()
    assert [(c.object_id, c.action) for c in log] == [
        (mark.id, "create"),
        (note.id, "create"),
        (mark.id, "update"),
        (mark.id, "delete"),
        (note.id, "delete"),
        (mark.id, "restore"),
        (note.id, "restore"),
    ]
    assert len({c.op_id for c in log}) == len(log)
    assert json.loads(log[2].data)["color"] == "green"  # the object after the change
    assert notes.changes(after=log[-2].seq) == log[-1:]


def test_a_failed_edit_changes_nothing_and_logs_nothing(store: LibraryStore) -> None:
    notes = AnnotationStore(store)
    mark = notes.create(
        BOOK, AnnotationKind.BOOKMARK, Anchor(page=2), body="Bob 2", profile_id=PROFILE
    )
    before = notes.changes()
    with pytest.raises(UserError, match="cannot edit book_id"):
        notes.update(mark.id, book_id="x")
    with pytest.raises(UserError, match="no annotation"):
        notes.update("missing", body="y")
    with pytest.raises(UserError, match="exists already"):
        notes.create(BOOK, HIGHLIGHT, Anchor(page=0), annotation_id=mark.id, profile_id=PROFILE)
    assert notes.changes() == before
    assert notes.get(mark.id) == mark


def test_search_filters_by_book_colour_kind_and_folded_text(store: LibraryStore) -> None:
    notes = AnnotationStore(store)
    notes.create(
        BOOK,
        HIGHLIGHT,
        Anchor(page=1),
        quote="Кутубхона тарихи",
        color="yellow",
        profile_id=PROFILE,
    )
    notes.create(
        BOOK, HIGHLIGHT, Anchor(page=3), quote="bilim manbai", color="green", profile_id=PROFILE
    )
    notes.create(
        "c" * 64, AnnotationKind.NOTE, Anchor(page=0), body="kutubxonaga borish", profile_id=PROFILE
    )
    assert len(notes.search(profile_id=PROFILE)) == 3
    assert [a.quote for a in notes.search(color="green", profile_id=PROFILE)] == ["bilim manbai"]
    assert len(notes.search(book_id=BOOK, profile_id=PROFILE)) == 2
    assert len(notes.search(kind=AnnotationKind.NOTE, profile_id=PROFILE)) == 1
    assert (
        len(notes.search(text="kutubxona", profile_id=PROFILE)) == 2
    )  # Cyrillic quote and Latin note
    assert notes.search(profile_id=2) == []  # another person's notes are theirs


def test_reading_progress_is_logged_too(store: LibraryStore) -> None:
    store.add_book(make_book(BOOK), None)
    store.set_progress(BOOK, "page=7", 0.5, profile_id=PROFILE)
    change, shelved = AnnotationStore(store).changes()
    assert (change.object_kind, change.object_id, change.action) == ("progress", BOOK, "update")
    assert (shelved.object_kind, shelved.object_id) == ("shelf", "reading")  # docs/shelves.md
    assert json.loads(change.data)["position"] == "page=7"


def test_anchors_read_back_as_written_and_ignore_unknown_keys() -> None:
    anchor = Anchor(page=3, quads=((1.0, 2.0, 3.0, 4.0),), chapter=2, start=10, end=20)
    assert anchor_from_json(anchor_to_json(anchor)) == anchor
    assert anchor_from_json('{"page": 1, "future": true}') == Anchor(page=1)


def test_a_version_1_library_gains_the_annotation_tables_and_keeps_its_data(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 1")
        db.execute("INSERT INTO meta(key, value) VALUES ('index_generation', 'g1')")
    store = LibraryStore(path, tmp_path / "books")
    try:
        assert store.query("SELECT value FROM meta WHERE key = 'index_generation'") == [("g1",)]
        AnnotationStore(store).create(
            BOOK, HIGHLIGHT, Anchor(page=0), quote="x", profile_id=PROFILE
        )
        assert len(AnnotationStore(store).of_book(BOOK, profile_id=PROFILE)) == 1
    finally:
        store.close()


def test_a_whole_record_is_added_as_it_is_in_one_logged_change(store: LibraryStore) -> None:
    notes = AnnotationStore(store)
    made = notes.create(
        BOOK, HIGHLIGHT, Anchor(page=1), quote="kitob", color="blue", profile_id=PROFILE
    )
    notes.delete(made.id)
    record = replace(made, id="f" * 32, detached=True, created_at=1.0)
    added = notes.add(record)
    assert added.detached
    assert added.created_at == 1.0
    assert notes.get(record.id) == added
    assert [c.action for c in notes.changes() if c.object_id == record.id] == ["create"]
    with pytest.raises(UserError, match="exists already"):
        notes.add(made)  # a deleted one keeps its id
