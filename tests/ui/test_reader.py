"""Reading a book: pages drawn by the worker process, navigation, zoom, remembered place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.models import HIGHLIGHT_RGB8, Book, ImportReport
from app.services.session import Library
from app.ui.common.crash import report_unexpected
from app.ui.reader.page_images import THEMES
from app.ui.reader.view import ReaderView
from app.ui.window.main_window import MainWindow
from tests.support.docgen import make_pdf
from tests.support.samples import Samples
from tests.support.sessions import PROFILE, session_of

MakeLibrary = Callable[..., tuple[Library, ImportReport]]
OpenWindow = Callable[[Library], MainWindow]


@dataclass
class Desk:
    """A library holding the multilingual sample, and its window on screen."""

    library: Library
    window: MainWindow
    book: Book


@pytest.fixture
def desk(make_library: MakeLibrary, open_window: OpenWindow, samples: Samples) -> Desk:
    library, report = make_library(samples.multilingual)
    return Desk(library, open_window(library), report.added[0])


def _open(qtbot: QtBot, window: MainWindow, book_id: str, page: int | None = None) -> ReaderView:
    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        window.open_book(book_id, page=page)
    reader = opened.args[0]
    assert isinstance(reader, ReaderView)
    return reader


def _drawn(reader: ReaderView) -> QImage:
    image = reader.drawn_image()
    assert image is not None
    return image


def test_open_turn_zoom_and_remember_the_page(qtbot: QtBot, desk: Desk) -> None:
    library, window, book = desk.library, desk.window, desk.book
    last = book.page_count - 1

    reader = _open(qtbot, window, book.id)
    qtbot.waitUntil(lambda: reader.drawn_image() is not None)
    assert reader.page == 0
    width = _drawn(reader).width()
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        reader.next_page()
    assert shown.args == [1]
    with qtbot.waitSignal(reader.page_shown, timeout=10_000):
        reader.zoom.zoom_in()
    assert _drawn(reader).width() > width
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        reader.go_to(10_000)  # clamped to the last page
    assert shown.args == [last]
    qtbot.waitUntil(lambda: library.store.progress(book.id, profile_id=PROFILE) is not None)
    qtbot.waitUntil(
        lambda: library.store.progress(book.id, profile_id=PROFILE)[0] == f"page={last}"
    )  # type: ignore[index]

    # a new window reopens the book where it was left
    window.close()
    second = MainWindow(session_of(library))
    qtbot.addWidget(second)
    reopened = _open(qtbot, second, book.id)
    assert reopened.page == last
    second.close()


def test_a_broken_book_shows_a_message_in_its_tab(
    qtbot: QtBot, make_library: MakeLibrary, open_window: OpenWindow, samples: Samples
) -> None:
    library, report = make_library(samples.epub)
    book = report.added[0]
    stored = library.store.file_path(book)
    stored.write_bytes(b"\x00" * 100)  # the stored file was damaged behind our back
    window = open_window(library)
    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        window.open_book(book.id)
    reader = opened.args[0]
    qtbot.waitUntil(
        lambda: reader.message.isVisible() and "cannot be shown" in reader.message.text(),
        timeout=15_000,
    )
    assert window.isVisible()  # the window is unaffected
    assert _book_tabs(window) == 1  # beside the library and the catalogues


def test_contents_themes_and_crash_handler(
    qtbot: QtBot, desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    window, book = desk.window, desk.book
    reader = _open(qtbot, window, book.id)
    qtbot.waitUntil(lambda: reader.drawn_image() is not None)

    # the table of contents, nested as the PDF's outline, takes the reader to a chapter
    tops = [
        reader.sidebar.contents.topLevelItem(i).text(0)
        for i in range(reader.sidebar.contents.topLevelItemCount())
    ]
    assert tops == ["Kirish", "Rus tili", "Ilova"]
    assert reader.sidebar.contents.topLevelItem(1).child(0).text(0) == "Mozaika"
    reader.sidebar.toggle(reader.sidebar.contents)
    assert reader.sidebar.contents.isVisible()
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        reader.sidebar.contents.itemActivated.emit(reader.sidebar.contents.topLevelItem(2), 0)
    assert shown.args == [19]

    # night mode inverts the page: a white margin turns dark
    corner = _drawn(reader).pixelColor(2, 2)
    assert corner.lightness() > 200
    reader.set_theme("night")
    assert _drawn(reader).pixelColor(2, 2).lightness() < 60
    reader.set_theme("sepia")
    sepia = _drawn(reader).pixelColor(2, 2)
    assert sepia.red() > sepia.blue()

    # full screen and back
    window.menus.full_screen_action.setChecked(True)
    qtbot.waitUntil(window.isFullScreen)
    window.menus.full_screen_action.setChecked(False)
    qtbot.waitUntil(lambda: not window.isFullScreen())

    # an unexpected error is logged with its traceback and shown; the window stays
    QTimer.singleShot(200, lambda: QApplication.activeModalWidget().accept())  # type: ignore[union-attr]
    try:
        raise ValueError("boom")
    except ValueError as error:
        report_unexpected(ValueError, error, error.__traceback__)
    assert "ValueError: boom" in caplog.text
    assert window.isVisible()


def test_encrypted_book_asks_for_its_password(
    qtbot: QtBot, make_library: MakeLibrary, open_window: OpenWindow, samples: Samples
) -> None:
    library, report = make_library(samples.encrypted)
    book = report.locked[0]
    window = open_window(library)
    asked: list[str] = []

    def wrong(asked_for: object) -> str:
        asked.append(getattr(asked_for, "title", ""))
        return "not the password"

    window.password_prompt = wrong  # type: ignore[assignment]
    window.open_book(book.id)

    def warning_shown() -> bool:
        return any(
            isinstance(w, QMessageBox) and w.isVisible() and "wrong password" in w.text()
            for w in QApplication.topLevelWidgets()
        )

    qtbot.waitUntil(warning_shown, timeout=20_000)
    assert _book_tabs(window) == 0  # nothing opened
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox):
            widget.close()

    # typed with a feminine ordinal and a soft hyphen: SASLprep makes it "SaSLprep"
    window.password_prompt = lambda _book: "SªSL\u00adprep"  # type: ignore[assignment]
    with qtbot.waitSignal(window.book_opened, timeout=30_000) as opened:
        window.open_book(book.id)
    reader = opened.args[0]
    qtbot.waitUntil(lambda: reader.drawn_image() is not None)
    unlocked = library.store.get(book.id)
    assert unlocked is not None
    assert unlocked.state.value == "ready"  # unlocked, read and indexed on the way
    assert asked == [book.title]


def test_find_in_book_ignores_case_script_and_apostrophes(qtbot: QtBot, desk: Desk) -> None:
    window, book = desk.window, desk.book
    reader = _open(qtbot, window, book.id)

    with qtbot.waitSignal(reader.finder.found, timeout=10_000) as found:
        reader.finder.find_text("o'quv")  # typed with ASCII; the pages have oʻquv and ўқув
    assert found.args[0] >= 2
    qtbot.waitUntil(lambda: reader.finder.hits.boxes.get(0, []) != [])
    assert reader.finder.hits.current == (0, 0)
    assert reader.page == 0
    boxes_on_first = len(reader.finder.hits.boxes.get(0, []))
    for _ in range(boxes_on_first):  # step past every match on page 1 ...
        reader.finder.next_hit()
    qtbot.waitUntil(lambda: reader.page == 1)  # ... to the Cyrillic page
    qtbot.waitUntil(lambda: reader.finder.hits.boxes.get(1, []) != [])
    reader.finder.previous_hit()
    qtbot.waitUntil(lambda: reader.page == 0)

    with qtbot.waitSignal(reader.finder.found, timeout=10_000) as found:
        reader.finder.find_text("zzzyyyxxx")
    assert found.args[0] == 0
    assert "Not found" in reader.toolbar.find_status.text()


def test_find_marks_a_word_in_curly_quotes_as_it_counts_it(
    qtbot: QtBot, make_library: MakeLibrary, open_window: OpenWindow, tmp_path: Path
) -> None:
    # issue 12, item 18: “piracy” was counted (the page found) but not marked on it
    text = "They called it \u201cpiracy\u201d, and (piracy) too, \u2018Piracy\u2019 again."
    library, report = make_library(make_pdf(tmp_path / "quotes.pdf", [text]))
    reader = _open(qtbot, open_window(library), report.added[0].id)
    with qtbot.waitSignal(reader.finder.found, timeout=10_000) as found:
        reader.finder.find_text("piracy")
    assert found.args[0] == 1
    qtbot.waitUntil(lambda: len(reader.view.marks(0, "find")) == 3, timeout=10_000)
    assert len(reader.finder.hits.boxes[0]) == 3


def test_find_marks_differ_from_every_highlight_colour_in_every_theme(
    qtbot: QtBot, desk: Desk
) -> None:
    # issue 12, item 23: find marks were the same yellow as a yellow highlight
    reader = _open(qtbot, desk.window, desk.book.id)
    with qtbot.waitSignal(reader.finder.found, timeout=10_000):
        reader.finder.find_text("kutubxona")
    qtbot.waitUntil(lambda: len(reader.view.marks(0, "find")) >= 2, timeout=10_000)
    highlight_hues = [QColor(*rgb).hslHue() for rgb in HIGHLIGHT_RGB8.values()]
    for theme in THEMES:
        reader.set_theme(theme)
        marks = reader.view.marks(0, "find")
        assert {mark.shape for mark in marks} == {"match"}  # outlined, unlike a highlight
        for mark in marks:
            hue = mark.color.hslHue()
            assert min(min(abs(hue - h), 360 - abs(hue - h)) for h in highlight_hues) >= 40, theme


def test_choosing_a_search_hit_opens_the_page_with_the_word_marked(
    qtbot: QtBot, desk: Desk
) -> None:
    window = desk.window
    with qtbot.waitSignal(window.search_finished, timeout=10_000):
        window.run_search("библиотекой")
    book_item = window.search_panel.results.topLevelItem(0)
    hit = book_item.child(0)
    page = hit.data(0, 256)[1]  # Qt.ItemDataRole.UserRole
    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        window.search_panel.results.itemActivated.emit(hit, 0)
    reader = opened.args[0]
    qtbot.waitUntil(
        lambda: reader.page == page and reader.finder.hits.boxes.get(page, []) != [], timeout=10_000
    )


def test_rotation_ctrl_wheel_zoom_and_wheel_turns_pages(qtbot: QtBot, desk: Desk) -> None:
    from PySide6.QtCore import QPoint, QPointF  # noqa: PLC0415
    from PySide6.QtGui import QWheelEvent  # noqa: PLC0415

    window, book = desk.window, desk.book
    reader = _open(qtbot, window, book.id)
    qtbot.waitUntil(lambda: reader.drawn_image() is not None)
    upright = _drawn(reader).size()
    assert upright.height() > upright.width()  # A4 portrait
    with qtbot.waitSignal(reader.page_shown, timeout=10_000):
        reader.rotate()
    turned = _drawn(reader).size()
    assert (turned.width(), turned.height()) == (upright.height(), upright.width())
    with qtbot.waitSignal(reader.page_shown, timeout=10_000):
        for _ in range(3):
            reader.rotate()
    assert reader.rotation == 0

    def wheel(steps: int, modifiers: Qt.KeyboardModifier) -> None:
        event = QWheelEvent(
            QPointF(10, 10),
            QPointF(10, 10),
            QPoint(0, 0),
            QPoint(0, steps),
            Qt.MouseButton.NoButton,
            modifiers,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(reader.view.viewport(), event)

    reader.set_mode("single")  # one page at a time: the wheel past its end turns it
    before = reader.toolbar.zoom_label.text()
    wheel(120, Qt.KeyboardModifier.ControlModifier)
    assert reader.toolbar.zoom_label.text() != before
    bar = reader.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        wheel(-120, Qt.KeyboardModifier.NoModifier)
    assert shown.args == [1]


def test_fit_width_and_page_follow_the_window(qtbot: QtBot, desk: Desk) -> None:
    window, book = desk.window, desk.book
    reader = _open(qtbot, window, book.id)
    qtbot.waitUntil(lambda: reader.drawn_image() is not None)
    reader.zoom.fit("width")
    viewport = reader.view.viewport()
    qtbot.waitUntil(lambda: abs(_drawn(reader).width() - viewport.width()) <= 30)
    reader.zoom.fit("page")
    qtbot.waitUntil(lambda: _drawn(reader).height() <= viewport.height())
    window.resize(1300, 900)
    qtbot.waitUntil(lambda: _drawn(reader).height() > 0.9 * viewport.height() - 12)


def _book_tabs(window: MainWindow) -> int:
    """How many books are open in tabs."""
    return sum(isinstance(window.tabs.widget(i), ReaderView) for i in range(window.tabs.count()))
