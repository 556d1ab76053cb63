"""The store announces what each committed transaction changed, so nobody tells the sync by hand."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.models import Anchor, AnnotationKind
from app.library.annotations import AnnotationStore
from app.library.changes import StoreChange
from app.library.store import LibraryStore
from tests.support.records import make_book
from tests.support.sessions import PROFILE


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    """An empty store."""
    opened = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    yield opened
    opened.close()


def test_books_notes_and_positions_are_announced_after_their_commit(store: LibraryStore) -> None:
    heard: list[tuple[StoreChange, ...]] = []
    store.listen(heard.append)
    book = make_book()
    store.add_book(book, None)
    note = AnnotationStore(store).create(
        book.id, AnnotationKind.NOTE, Anchor(page=1), body="Muhim", profile_id=PROFILE
    )
    store.set_progress(book.id, "page=2", 0.5, PROFILE)
    with store.transaction() as db:  # as a sync applies a position it pulled
        store.write_remote_progress(db, book.id, "page=9", 0.9, PROFILE)
    store.remove(book.id)
    assert heard == [
        (StoreChange("book", book.id, "create", None, book_id=book.id),),
        (StoreChange("annotation", note.id, "create", PROFILE, book_id=book.id),),
        (
            StoreChange("progress", book.id, "update", PROFILE, book_id=book.id),
            # a book read past its start goes on "Reading now" (docs/shelves.md)
            StoreChange("shelf", "reading", "update", PROFILE),
        ),
        (StoreChange("progress", book.id, "update", PROFILE, remote=True, book_id=book.id),),
        (StoreChange("book", book.id, "delete", None, book_id=book.id),),
    ]


def test_a_rolled_back_transaction_announces_nothing(store: LibraryStore) -> None:
    heard: list[tuple[StoreChange, ...]] = []
    store.listen(heard.append)
    book = make_book()
    store.add_book(book, None)

    def give_up() -> None:
        with store.transaction() as db:
            store.write_remote_progress(db, book.id, "page=1", 0.1, PROFILE)
            raise RuntimeError("the caller gave up")

    with pytest.raises(RuntimeError):
        give_up()
    assert store.progress(book.id, PROFILE) is None
    assert heard == [(StoreChange("book", book.id, "create", None, book_id=book.id),)]


def test_a_failing_listener_never_costs_the_writer_and_stop_stops_it(
    store: LibraryStore, caplog: pytest.LogCaptureFixture
) -> None:
    heard: list[tuple[StoreChange, ...]] = []

    def broken(_changes: tuple[StoreChange, ...]) -> None:
        raise ValueError("a bug in a view")

    store.listen(broken)
    stop = store.listen(heard.append)
    first, second = make_book("b" * 64), make_book("c" * 64)
    with caplog.at_level("ERROR"):
        store.add_book(first, None)
    assert store.get(first.id) is not None
    assert "listener of the library's changes failed" in caplog.text
    stop()
    store.add_book(second, None)
    assert heard == [(StoreChange("book", first.id, "create", None, book_id=first.id),)]


def test_listeners_hear_writes_from_any_thread_and_may_read_the_store(
    store: LibraryStore,
) -> None:
    titles: list[str] = []

    def read_back(changes: tuple[StoreChange, ...]) -> None:
        for change in changes:
            book = store.get(change.object_id)  # after the commit, outside the lock
            titles.append(book.title if book else "?")

    store.listen(read_back)
    book = make_book("d" * 64)
    writer = threading.Thread(target=lambda: store.add_book(book, None))
    writer.start()
    writer.join(10)
    assert titles == ["Kitob"]
