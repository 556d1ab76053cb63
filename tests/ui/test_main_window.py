"""The main window offscreen: library list, filter as you type, background import and search."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.models import ImportReport
from app.core.settings import load_settings
from app.services.library import Library
from app.services.searching import search
from app.ui.main_window import MainWindow
from tests.support.samples import Samples

MakeLibrary = Callable[..., tuple[Library, ImportReport]]
OpenWindow = Callable[[Library], MainWindow]


def test_library_list_and_filter(
    qtbot: QtBot, shelf_library: Library, open_window: OpenWindow
) -> None:
    window = open_window(shelf_library)
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    assert window.centralWidget() is not None
    assert window.table.isVisible()
    window.filter_box.insert("кутубхона")  # (QTest types ASCII only) no title has it
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    assert not window.empty_page.isVisible()  # a filter that finds nothing is not "empty"
    window.filter_box.clear()
    qtbot.keyClicks(window.filter_box, "Hikoyalar")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)


def test_search_shows_every_matching_page_grouped_by_book(
    qtbot: QtBot, shelf_library: Library, open_window: OpenWindow
) -> None:
    window = open_window(shelf_library)
    with qtbot.waitSignal(window.search_finished, timeout=10_000) as blocker:
        window.search_box.insert("кутубхона")
        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    results = blocker.args[0]
    assert results is not None
    assert window.results.topLevelItemCount() == len(results.groups) >= 2
    first = window.results.topLevelItem(0)
    assert first.childCount() >= 1
    assert "«" in first.child(0).text(1)  # the matched word is marked
    with qtbot.waitSignal(window.search_finished, timeout=10_000):
        window.run_search("NOT kitob")
    assert "at least one word" in window.search_summary.text()


def test_empty_library_explains_how_to_add_books_then_imports_in_background(
    qtbot: QtBot,
    make_library: MakeLibrary,
    open_window: OpenWindow,
    tmp_path: Path,
    samples: Samples,
) -> None:
    library, _report = make_library()
    window = open_window(library)
    qtbot.waitUntil(window.empty_page.isVisible)
    assert "Import" in window.empty_page.text()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    with qtbot.waitSignal(window.import_finished, timeout=120_000) as blocker:
        window.import_paths([samples.epub, broken])
        assert window.cancel_button.isVisible()
    report = blocker.args[0]
    assert [b.title for b in report.added] == ["Hikoyalar toʻplami"]
    assert [p for p, _ in report.failures] == [str(broken)]
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.table.isVisible()
    assert not window.cancel_button.isVisible()


def test_settings_are_saved_and_used_by_new_readers(
    qtbot: QtBot, make_library: MakeLibrary, open_window: OpenWindow, samples: Samples
) -> None:
    library, report = make_library(samples.fb2)
    book = report.added[0]
    window = open_window(library)
    dialog = window.edit_settings()
    dialog.theme.setCurrentIndex(dialog.theme.findData("night"))
    dialog.zoom.setValue(200)
    dialog.language.setCurrentIndex(dialog.language.findData("ru"))
    with qtbot.waitSignal(window.settings_saved, timeout=10_000):
        dialog.accept()
    saved = load_settings(library.paths.settings)
    assert (saved.theme, saved.zoom, saved.language) == ("night", 2.0, "ru")
    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        window.open_book(book.id)
    reader = opened.args[0]
    assert reader.theme == "night"
    assert reader.zoom_label.text() == "200 %"


def test_filters_details_and_remove(
    qtbot: QtBot, make_library: MakeLibrary, open_window: OpenWindow, samples: Samples
) -> None:
    library, report = make_library(samples.epub, samples.fb2, samples.txt)
    assert report.ok
    window = open_window(library)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    window.format_filter.setCurrentIndex(window.format_filter.findData("fb2"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    window.format_filter.setCurrentIndex(0)
    window.language_filter.setCurrentIndex(window.language_filter.findData("ru"))
    qtbot.waitUntil(lambda: window.model.rowCount() >= 1)
    window.language_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    qtbot.waitUntil(lambda: all(window.model.book(r) is not None for r in range(3)))

    row = next(r for r in range(3) if window.model.book(r).format == "epub")  # type: ignore[union-attr]
    epub = window.model.book(row)
    assert epub is not None
    window.table.setCurrentIndex(window.model.index(row, 0))
    window._on_details_triggered()
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "book-details"]
    assert boxes
    assert "Hikoyalar" in boxes[0].text()  # type: ignore[attr-defined]
    for box in boxes:
        box.close()

    asked: list[str] = []
    window.confirm = lambda question: asked.append(question) or False  # type: ignore[assignment]
    window.remove_book(epub.id)
    assert asked
    assert library.store.get(epub.id) is not None  # "no" keeps the book
    window.confirm = lambda _question: True  # type: ignore[assignment]
    with qtbot.waitSignal(window.book_removed, timeout=20_000):
        window.remove_book(epub.id)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    assert library.store.get(epub.id) is None
    assert not any(g.book.id == epub.id for g in search(library, "kutubxona").groups)
