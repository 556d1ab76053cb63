"""Reading a book: pages drawn by the worker process, navigation, zoom, remembered place."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.paths import resolve_paths
from app.services.importer import Importer
from app.services.library import Library
from app.ui.main_window import MainWindow
from app.ui.reader import ReaderView
from tests.support.samples import Samples


def _open(qtbot: QtBot, window: MainWindow, book_id: str, page: int | None = None) -> ReaderView:
    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        window.open_book(book_id, page=page)
    reader = opened.args[0]
    assert isinstance(reader, ReaderView)
    return reader


def test_open_turn_zoom_and_remember_the_page(
    qtbot: QtBot, tmp_path: Path, samples: Samples
) -> None:
    library = Library(resolve_paths(tmp_path / "lib"))
    with Importer(library) as importer:
        book = importer.run([samples.multilingual]).added[0]
    window = MainWindow(library)
    qtbot.addWidget(window)
    window.show()

    reader = _open(qtbot, window, book.id)
    qtbot.waitUntil(
        lambda: reader.image.pixmap() is not None and not reader.image.pixmap().isNull()
    )
    assert reader.page == 0
    width = reader.image.pixmap().width()
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        reader.next_page()
    assert shown.args == [1]
    with qtbot.waitSignal(reader.page_shown, timeout=10_000):
        reader.zoom_in()
    assert reader.image.pixmap().width() > width
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        reader.go_to(10_000)  # clamped to the last page
    assert shown.args == [samples.page_count - 1]
    qtbot.waitUntil(lambda: library.store.progress(book.id) is not None)
    qtbot.waitUntil(
        lambda: library.store.progress(book.id)[0] == f"page={samples.page_count - 1}"  # type: ignore[index]
    )

    # a new window reopens the book where it was left
    window.close()
    second = MainWindow(library)
    qtbot.addWidget(second)
    reopened = _open(qtbot, second, book.id)
    assert reopened.page == samples.page_count - 1
    second.close()
    library.close()


def test_a_broken_book_shows_a_message_in_its_tab(
    qtbot: QtBot, tmp_path: Path, samples: Samples
) -> None:
    library = Library(resolve_paths(tmp_path / "lib"))
    with Importer(library) as importer:
        book = importer.run([samples.epub]).added[0]
    stored = library.store.file_path(book)
    stored.write_bytes(b"\x00" * 100)  # the stored file was damaged behind our back
    window = MainWindow(library)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        window.open_book(book.id)
    reader = opened.args[0]
    qtbot.waitUntil(reader.message.isVisible, timeout=15_000)
    assert "cannot be shown" in reader.message.text()
    assert window.isVisible()  # the window is unaffected
    assert window.tabs.count() == 2
    window.close()
    library.close()
