"""The library view's shelf filter and the person's hidden books (docs/shelves.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from app.core.paths import resolve_paths
from app.library.shelves import ShelfStore
from app.services.session import Library
from app.ui.common.i18n import use_language
from app.ui.common.tasks import TaskRunner
from app.ui.library.panel import LibraryPanel
from tests.support.records import make_book
from tests.support.sessions import PROFILE, session_of

A, B, C = "a" * 64, "b" * 64, "c" * 64


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    """A library of three book rows."""
    opened = Library(resolve_paths(tmp_path / "lib"))
    for book_id in (A, B, C):
        opened.store.add_book(make_book(book_id), None)
    yield opened
    opened.close()


def _items(panel: LibraryPanel) -> list[tuple[str, str | None]]:
    combo = panel.shelf_filter
    return [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]


def _shown(panel: LibraryPanel) -> list[str]:
    return sorted(panel.model.book_id(r) for r in range(panel.model.rowCount()))


def test_the_shelf_filter_shows_one_shelf_and_follows_the_shelves(
    qtbot: QtBot, library: Library, runner: TaskRunner
) -> None:
    shelves = ShelfStore(library.store, PROFILE)
    tarix = shelves.add("Tarix")
    shelves.put(tarix, A)
    shelves.put(tarix, C)
    panel = LibraryPanel(session_of(library), runner)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.shelf_filter.count() == 4)
    assert _items(panel) == [
        ("All shelves", None),
        ("Reading now", "reading"),
        ("Finished", "finished"),
        ("Tarix", tarix.id),
    ]
    with qtbot.waitSignal(panel.model.shelf_loaded, timeout=10_000):
        panel.shelf_filter.setCurrentIndex(3)
    assert _shown(panel) == [A, C]

    # a book taken off the shelf (here, or by a sync) leaves the view; a new shelf shows
    with qtbot.waitSignal(panel.model.shelf_loaded, timeout=10_000):
        shelves.take(tarix, C)
    assert _shown(panel) == [A]
    shelves.add("Fizika")
    qtbot.waitUntil(lambda: panel.shelf_filter.count() == 5)
    assert panel.shelf_filter.currentData() == tarix.id  # the chosen shelf stays chosen

    # the shelf shown removed: every book again
    with qtbot.waitSignal(panel.model.shelf_loaded, timeout=10_000):
        shelves.remove("Tarix")
    qtbot.waitUntil(lambda: panel.shelf_filter.currentData() is None)
    qtbot.waitUntil(lambda: _shown(panel) == [A, B, C])
    panel.model.stop()


def test_a_hidden_book_leaves_the_persons_view(
    qtbot: QtBot, library: Library, runner: TaskRunner
) -> None:
    panel = LibraryPanel(session_of(library), runner)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.model.shelf_loaded, timeout=10_000):
        panel.refresh()
    assert _shown(panel) == [A, B, C]
    with qtbot.waitSignal(panel.model.shelf_loaded, timeout=10_000):
        ShelfStore(library.store, PROFILE).hide(B)
    assert _shown(panel) == [A, C]
    panel.model.stop()


def test_the_built_in_shelves_are_named_in_the_interface_language(
    qtbot: QtBot, library: Library, runner: TaskRunner
) -> None:
    panel = LibraryPanel(session_of(library), runner)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.shelf_filter.count() == 3)
    app = QCoreApplication.instance()
    assert app is not None
    use_language(app, "uz")  # the panel takes the new texts (LanguageChange)
    qtbot.waitUntil(
        lambda: (
            [t for t, _d in _items(panel)]
            == ["Barcha javonlar", "Hozir oʻqilmoqda", "Oʻqib tugatilgan"]
        ),
        timeout=1000,
    )
    panel.model.stop()
