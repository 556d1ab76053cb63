"""Reading modes and layouts: continuous pages, reflowable books, thumbnails, labels,
selecting and copying text, pinch zoom, and a language switch in an open book."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication, QNativeGestureEvent, QPointingDevice
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.models import Book, ImportReport
from app.documents.worker import DocumentWorker
from app.services.session import Library
from app.ui.common.i18n import use_language
from app.ui.reader.view import ReaderView
from app.ui.window.main_window import MainWindow
from tests.support import docgen
from tests.support.samples import Samples

MakeLibrary = Callable[..., tuple[Library, ImportReport]]
OpenWindow = Callable[[Library], MainWindow]


@pytest.fixture
def reader_of(
    qtbot: QtBot, make_library: MakeLibrary, open_window: OpenWindow
) -> Iterator[Callable[..., tuple[ReaderView, Book, Path]]]:
    """Open a document in a reader tab of a new window: (reader, book, stored file)."""

    def open_reader(document: Path, **options: object) -> tuple[ReaderView, Book, Path]:
        library, report = make_library(document)
        book = (report.added or report.locked)[0]
        window = open_window(library)
        reader = ReaderView(
            book,
            library.store.file_path(book),
            window._drawing,
            window._render_worker,
            page_texts=lambda: library.store.pages(book.id),
            **options,  # type: ignore[arg-type]
        )
        window.tabs.addTab(reader, book.title)
        window.tabs.setCurrentWidget(reader)
        qtbot.waitUntil(lambda: reader.drawn_image() is not None, timeout=15_000)
        return reader, book, library.store.file_path(book)

    return open_reader


def _words(path: Path, page: int, font: float | None = None) -> list[str]:
    with DocumentWorker() as worker:
        return [w[4] for w in worker.words(path, page, None, font)]


def test_continuous_pages_follow_the_scroll_bar(
    qtbot: QtBot, reader_of: Callable[..., tuple[ReaderView, Book, Path]], samples: Samples
) -> None:
    reader, _book, _path = reader_of(samples.big, mode="continuous", zoom=0.5)
    assert reader.mode == "continuous"
    qtbot.waitUntil(lambda: reader.page_count == 240, timeout=10_000)
    bar = reader.view.verticalScrollBar()
    assert bar.maximum() > 100 * reader.view.viewport().height() / 4  # every page in one column
    assert len(reader.view.visible_pages()) >= 2  # at 50 % more than one page shows

    # scrolling to the middle makes the page there current, and draws it
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        bar.setValue(bar.maximum() // 2)
    middle = reader.page
    assert 100 <= middle <= 140
    assert shown.args == [middle]
    assert reader.toolbar.page_box.value() == middle + 1

    # going to a page scrolls the column to it
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        reader.go_to(200)
    assert shown.args == [200]
    assert reader.view.visible_pages()[0] == 200

    # single-page mode shows one page only, and the same page
    reader.set_mode("single")
    assert reader.view.visible_pages() == [200]
    assert reader.page == 200


def test_matches_are_marked_on_every_page_that_comes_into_view(
    qtbot: QtBot, reader_of: Callable[..., tuple[ReaderView, Book, Path]], samples: Samples
) -> None:
    reader, _book, _path = reader_of(samples.big, mode="continuous")
    with qtbot.waitSignal(reader.finder.found, timeout=10_000):
        reader.finder.find_text("kitob")
    pages = reader.finder.hits.pages
    assert len(pages) > 5
    qtbot.waitUntil(lambda: reader.finder.hits.boxes.get(pages[0], []) != [], timeout=10_000)
    later = pages[len(pages) // 2]
    assert reader.finder.hits.boxes.get(later, []) == []
    bar = reader.view.verticalScrollBar()
    top = reader.view.view_point(later, 0, 0).y() + bar.value()
    bar.setValue(round(top))  # scrolled there, not stepped there
    qtbot.waitUntil(lambda: reader.finder.hits.boxes.get(later, []) != [], timeout=10_000)
    assert reader.finder.hits.current is not None
    assert reader.finder.hits.current[0] == pages[0]  # the current match stays where it was


def test_a_larger_font_lays_the_book_out_again_and_keeps_the_place(
    qtbot: QtBot, tmp_path: Path, reader_of: Callable[..., tuple[ReaderView, Book, Path]]
) -> None:
    sentences = " ".join(f"Gap{n:04d} oʻquvchi kitobni diqqat bilan oʻqidi." for n in range(900))
    book_file = docgen.make_epub(
        tmp_path / "uzun.epub",
        [("Birinchi bob", sentences), ("Ikkinchi bob", sentences.replace("Gap", "Soz"))],
        title="Uzun kitob",
        author="Test",
        lang="uz",
    )
    reader, book, path = reader_of(book_file, font_size=11.0)
    assert reader.reflowable
    qtbot.waitUntil(lambda: reader.page_count > 20, timeout=15_000)
    small = reader.page_count
    assert reader.toolbar.smaller_font_button.isVisibleTo(reader)

    with qtbot.waitSignal(reader.page_shown, timeout=10_000):
        reader.go_to(small // 2)
    first_word = next(w for w in _words(path, reader.page, 11.0) if w.startswith(("Gap", "Soz")))
    assert reader.position == f"page={small // 2};font=11"

    with qtbot.waitSignal(reader.laid_out, timeout=20_000):
        reader.layouts.set_font_size(20.0)
    qtbot.waitUntil(lambda: reader.drawn_image() is not None, timeout=10_000)
    assert reader.page_count > small * 1.5  # larger text, more pages
    assert first_word in _words(path, reader.page, 20.0)  # the same place

    with qtbot.waitSignal(reader.laid_out, timeout=20_000):
        reader.layouts.larger_font()
    assert reader.layouts.font == 24.0
    assert first_word in _words(path, reader.page, 24.0)

    # a saved position reopens at its place even when the font size changed since
    saved = reader.position
    reopened, _book, _path = reader_of(book_file, start_position=saved, font_size=11.0)
    qtbot.waitUntil(lambda: first_word in _words(path, reopened.page, 11.0), timeout=15_000)
    assert book.page_count > 0


def test_thumbnails_are_drawn_when_shown_and_lead_to_their_page(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    reader_of: Callable[..., tuple[ReaderView, Book, Path]],
    samples: Samples,
) -> None:
    reader, _book, _path = reader_of(samples.big, mode="single")
    qtbot.waitUntil(lambda: reader.sidebar.thumbnail_model.rowCount() == 240, timeout=10_000)
    qtmodeltester.check(reader.sidebar.thumbnail_model)
    assert reader.sidebar.thumbnail(0) is None  # nothing drawn while the panel is hidden
    reader.sidebar.toggle(reader.sidebar.thumbnails)
    assert reader.sidebar.thumbnails.isVisible()
    qtbot.waitUntil(lambda: reader.sidebar.thumbnail(0) is not None, timeout=10_000)
    thumbnail = reader.sidebar.thumbnail(0)
    assert thumbnail is not None
    assert 80 <= thumbnail.width() <= 110
    assert reader.sidebar.thumbnail(200) is None  # rows off screen are not drawn
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        reader.sidebar.thumbnails.clicked.emit(reader.sidebar.thumbnail_model.index(5))
    assert shown.args == [5]
    reader.sidebar.toggle(reader.sidebar.contents)  # the same side panel shows the contents instead
    assert reader.sidebar.contents.isVisible()
    assert not reader.sidebar.thumbnails.isVisible()


def test_page_labels_are_shown_and_accepted(
    qtbot: QtBot, tmp_path: Path, reader_of: Callable[..., tuple[ReaderView, Book, Path]]
) -> None:
    pages = [f"Sahifa {n} matni: oʻquv kitobi." for n in range(12)]
    labelled = docgen.make_pdf(tmp_path / "labels.pdf", pages, title="Belgilangan")
    doc = pymupdf.open(labelled)
    doc.set_page_labels(
        [
            {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
            {"startpage": 4, "prefix": "", "style": "D", "firstpagenum": 1},
        ]
    )
    doc.save(tmp_path / "labelled.pdf")
    doc.close()
    reader, _book, _path = reader_of(tmp_path / "labelled.pdf", mode="single")
    qtbot.waitUntil(lambda: reader.toolbar.page_box.text() == "i", timeout=10_000)
    assert reader.sidebar.thumbnail_model.data(reader.sidebar.thumbnail_model.index(2)) == "iii"

    # typing a label goes to its page: "3" is the seventh page, "iv" the fourth
    for typed, page in (("3", 6), ("iv", 3)):
        reader.toolbar.page_box.lineEdit().selectAll()
        qtbot.keyClicks(reader.toolbar.page_box.lineEdit(), typed)
        with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
            qtbot.keyClick(reader.toolbar.page_box.lineEdit(), Qt.Key.Key_Return)
        assert shown.args == [page]
        assert reader.toolbar.page_box.text() == typed


def test_select_text_with_the_mouse_and_copy_it(
    qtbot: QtBot, reader_of: Callable[..., tuple[ReaderView, Book, Path]], samples: Samples
) -> None:
    reader, _book, path = reader_of(samples.multilingual, mode="single", zoom=1.0)
    with DocumentWorker() as worker:
        words = worker.words(path, 0)
    first, fifth = words[0], words[4]
    viewport = reader.view.viewport()
    start = reader.view.view_point(0, first[0] + 1, (first[1] + first[3]) / 2).toPoint()
    end = reader.view.view_point(0, fifth[2] - 1, (fifth[1] + fifth[3]) / 2).toPoint()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, end)
    qtbot.waitUntil(lambda: reader.view.selected_text() != "", timeout=10_000)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    expected = " ".join(w[4] for w in words[:5])
    assert reader.view.selected_text().replace("\n", " ") == expected

    QGuiApplication.clipboard().clear()
    reader.view.setFocus()
    qtbot.keyClick(reader.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text().replace("\n", " ") == expected

    # a double click selects one word; a plain click selects nothing
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.waitUntil(lambda: reader.view.selected_text() == first[4])
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=end)
    assert reader.view.selected_text() == ""


def test_pinch_zooms_and_keys_turn_pages(
    qtbot: QtBot, reader_of: Callable[..., tuple[ReaderView, Book, Path]], samples: Samples
) -> None:
    reader, _book, _path = reader_of(samples.big, mode="single", zoom=1.0)
    centre = QPointF(100, 100)
    pinch = QNativeGestureEvent(
        Qt.NativeGestureType.ZoomNativeGesture,
        QPointingDevice.primaryPointingDevice(),
        2,
        centre,
        centre,
        centre,
        0.5,
        QPointF(0, 0),
    )
    width = reader.drawn_image().width()  # type: ignore[union-attr]
    with qtbot.waitSignal(reader.page_shown, timeout=10_000):
        QApplication.sendEvent(reader.view.viewport(), pinch)
    assert reader.zoom.factor == pytest.approx(1.5)
    assert reader.drawn_image().width() == pytest.approx(width * 1.5, abs=2)  # type: ignore[union-attr]

    reader.view.setFocus()
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        qtbot.keyClick(reader.view, Qt.Key.Key_PageDown)
    assert shown.args == [1]
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        qtbot.keyClick(reader.view, Qt.Key.Key_End)
    assert shown.args == [239]
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        qtbot.keyClick(reader.view, Qt.Key.Key_Home)
    assert shown.args == [0]


def test_an_open_book_follows_a_language_switch(
    qtbot: QtBot, reader_of: Callable[..., tuple[ReaderView, Book, Path]], samples: Samples
) -> None:
    reader, _book, _path = reader_of(samples.multilingual)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert reader.toolbar.next_button.toolTip() == "Next page"
    try:
        use_language(app, "ru")
        qtbot.waitUntil(lambda: reader.toolbar.next_button.toolTip() != "Next page")
        russian = reader.toolbar.next_button.toolTip()
        assert any("а" <= c <= "я" for c in russian.lower())
        assert reader.toolbar.find_box.placeholderText() != "Find in this book"
    finally:
        use_language(app, "en")
    qtbot.waitUntil(lambda: reader.toolbar.next_button.toolTip() == "Next page")


def test_ctrl_f_finds_in_the_open_book_and_ctrl_shift_f_searches_the_library(
    qtbot: QtBot, reader_of: Callable[..., tuple[ReaderView, Book, Path]], samples: Samples
) -> None:
    reader, _book, _path = reader_of(samples.multilingual)
    window = reader.window()
    assert isinstance(window, MainWindow)
    window.activateWindow()
    reader.view.setFocus()
    qtbot.keyClick(reader.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(reader.toolbar.find_box.hasFocus)
    assert window.tabs.currentWidget() is reader
    qtbot.keyClick(
        reader.toolbar.find_box,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(window.search_panel.search_box.hasFocus)
    assert window.tabs.currentIndex() == 0
