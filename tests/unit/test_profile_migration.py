"""Schema 9: a library of schema 8 becomes one person named after the OS user, nothing lost."""

from __future__ import annotations

import getpass
import sqlite3
from pathlib import Path

import pytest

from app.core.models import Anchor, AnnotationKind
from app.library.annotations import AnnotationStore
from app.library.catalogs import CatalogStore
from app.library.downloads import DownloadQueue
from app.library.koreader_state import KoreaderState
from app.library.migrations import MIGRATIONS, SCHEMA_VERSION
from app.library.profiles import ProfileStore
from app.library.store import LibraryStore
from app.library.sync_state import SyncState
from tests.support.records import make_book

BOOK = "b" * 64


def _schema_8_library(folder: Path) -> Path:
    """A library of schema 8 with one book, a note, a position, a catalogue with its password,
    a sync account with its token, KOReader's key and a queued download (made by the
    migrations themselves, the old secrets moved by schema 8's)."""
    path = folder / "library.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("BEGIN")
    for step in MIGRATIONS[:7]:
        step(db)
    book = make_book(BOOK)
    db.execute(
        "INSERT INTO books(id, title, format, size, file_name, original_name, state, added_at) "
        "VALUES (?, ?, 'pdf', 10, ?, 'k.pdf', 'ready', 1)",
        (book.id, book.title, book.file_name),
    )
    db.execute(
        "INSERT INTO annotations(id, profile_id, book_id, kind, anchor, body, created_at, "
        "updated_at) VALUES ('n1', 1, ?, 'note', '{\"page\": 1}', 'Muhim joy', 1, 1)",
        (BOOK,),
    )
    db.execute(
        "INSERT INTO change_log(op_id, object_kind, object_id, action, profile_id, at, data) "
        "VALUES ('op1', 'annotation', 'n1', 'create', 1, 1, '{}')"
    )
    db.execute(
        "INSERT INTO progress(profile_id, book_id, position, fraction, updated_at) "
        "VALUES (1, ?, 'page=5', 0.25, 1)",
        (BOOK,),
    )
    db.execute(
        "INSERT INTO catalogs(profile_id, name, url, username, password, added_at) "
        "VALUES (1, 'Home', 'http://127.0.0.1:1/opds', 'ana', 'parol', 0)"
    )
    db.execute(
        "INSERT INTO sync_accounts(profile_id, server_url, username, token, device_id, "
        "pushed_seq, added_at) VALUES (1, 'http://127.0.0.1:2', 'ana', 'tok-9', 'dev', 1, 0)"
    )
    db.execute(
        "INSERT INTO koreader_accounts(profile_id, server_url, username, userkey, device_id, "
        "added_at) VALUES (1, 'http://127.0.0.1:3', 'ana', 'md5key', 'DEV', 0)"
    )
    db.execute(
        "INSERT INTO downloads(id, profile_id, url, title, state, created_at, updated_at) "
        "VALUES ('d1', 1, 'http://127.0.0.1:1/b.epub', 'Kitob', 'queued', 1, 1)"
    )
    MIGRATIONS[7](db)
    db.execute("PRAGMA user_version = 8")
    db.execute("COMMIT")
    db.close()
    return path


def test_a_schema_8_library_becomes_the_os_users_profile_with_everything_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _schema_8_library(tmp_path)
    monkeypatch.setattr(getpass, "getuser", lambda: "  dilnoza ")
    store = LibraryStore(path, tmp_path / "books")
    try:
        assert store.query("PRAGMA user_version") == [(SCHEMA_VERSION,)]
        people = ProfileStore(store).list()
        assert [(p.id, p.name, p.is_admin, p.has_pin) for p in people] == [
            (1, "dilnoza", False, False)
        ]
        person = people[0].id
        notes = AnnotationStore(store).of_book(BOOK, person)
        assert [(a.id, a.kind, a.body, a.anchor) for a in notes] == [
            ("n1", AnnotationKind.NOTE, "Muhim joy", Anchor(page=1))
        ]
        assert store.progress(BOOK, person) == ("page=5", 0.25)
        catalog = CatalogStore(store, person).get("Home")
        assert (catalog.username, catalog.password) == ("ana", "parol")
        account = SyncState(store, person).require_account()
        assert (account.username, account.token, account.pushed_seq) == ("ana", "tok-9", 1)
        assert KoreaderState(store, person).require_account().key == "md5key"
        assert [(d.id, d.state) for d in DownloadQueue(store).list(person)] == [("d1", "queued")]
        assert [b.id for b in store.books()] == [BOOK]
        assert len(AnnotationStore(store).changes()) == 1
    finally:
        store.close()


@pytest.mark.parametrize("failure", [OSError("no user"), KeyError("uid 1001")])
def test_without_a_usable_os_user_the_person_is_called_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    def no_user() -> str:
        raise failure

    monkeypatch.setattr(getpass, "getuser", no_user)
    store = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    try:
        assert [p.name for p in ProfileStore(store).list()] == ["Reader"]
    finally:
        store.close()


def test_an_os_user_name_of_controls_only_is_reader_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "\x1b\x07")
    store = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    try:
        assert [p.name for p in ProfileStore(store).list()] == ["Reader"]
    finally:
        store.close()
