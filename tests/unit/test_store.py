"""The SQLite store: schema versions, refusal of newer databases, profiles, atomic files."""

from __future__ import annotations

import getpass
import hashlib
import sqlite3
from pathlib import Path

import pytest

from app.core.errors import NewerStoreError, StoreError
from app.core.models import PageText
from app.library.files import TEMP_PREFIX, BookFiles
from app.library.migrations import SCHEMA_VERSION
from app.library.store import LibraryStore
from tests.support.records import make_book
from tests.support.sessions import PROFILE


def test_new_database_is_wal_with_foreign_keys_and_current_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "dilnoza")
    store = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    store.close()
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT name FROM profiles").fetchall() == [("dilnoza",)]  # the OS user


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    LibraryStore(path, tmp_path / "books").close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(NewerStoreError, match="newer Mutolaa"):
        LibraryStore(path, tmp_path / "books")
    assert path.read_bytes() == before


def test_garbage_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable library database"):
        LibraryStore(path, tmp_path / "books")


def test_pages_saved_twice_are_not_duplicated_and_removal_cascades(tmp_path: Path) -> None:
    store = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    book = make_book()
    store.add_book(book, None)
    pages = [PageText(0, "bir", "uz"), PageText(1, "ikki", "uz")]
    store.add_pages(book.id, pages)
    store.add_pages(book.id, pages)  # replayed after a crash
    assert [p.text for p in store.pages(book.id)] == ["bir", "ikki"]
    assert store.extracted_pages(book.id) == 2
    store.set_progress(book.id, "page=2", 0.5, profile_id=PROFILE)
    assert store.progress(book.id, profile_id=PROFILE) == ("page=2", 0.5)
    assert store.progress(book.id, profile_id=2) is None  # another person's progress
    store.remove(book.id)
    assert store.pages(book.id) == []
    assert store.progress(book.id, profile_id=PROFILE) is None
    assert store.integrity_problems() == []


def test_file_store_is_content_addressed_and_leaves_no_temporaries(tmp_path: Path) -> None:
    files = BookFiles(tmp_path / "books")
    source = tmp_path / "x.pdf"
    source.write_bytes(b"%PDF-1.7 content")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    staged = files.stage(source)
    assert (staged.sha256, staged.size) == (digest, source.stat().st_size)
    name = files.keep(staged, "PDF")
    assert name == f"{digest[:2]}/{digest}.pdf"
    assert files.path(name).read_bytes() == source.read_bytes()
    assert files.keep(files.stage(source), "pdf") == name  # the same file again: one copy
    assert not list((tmp_path / "books").rglob(f"{TEMP_PREFIX}*"))
    assert files.stored_names() == {name}
