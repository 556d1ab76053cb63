"""Every visible text fits its widget in English, Uzbek and Russian, after a live switch.

The main window at its own size (the library and its search results, the Catalogues tab, a
book's tab with its toolbar and side panel) and the settings dialog's pages are walked in
each language; a label, button, combo item, placeholder, tab or column title that Qt would
elide or cut is named (issue 12, item 22).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.services.session import Library
from app.ui.common.i18n import use_language
from app.ui.reader.view import ReaderView
from app.ui.settings.dialog import SettingsDialog
from app.ui.window.main_window import MainWindow
from tests.support.sessions import session_of
from tests.support.text_fit import clipped_texts


@pytest.fixture
def window(qtbot: QtBot, shelf_library: Library) -> Iterator[MainWindow]:
    """The main window at its own size, a search run and two books open (PDF, EPUB)."""
    shown = MainWindow(session_of(shelf_library))
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitUntil(lambda: shown.library_panel.model.rowCount() == 4)
    with qtbot.waitSignal(shown.search_finished, timeout=20_000):
        shown.run_search("kitob")
    for book_format in ("epub", "pdf"):
        book = next(b for b in shelf_library.store.books() if b.format == book_format)
        with qtbot.waitSignal(shown.book_opened, timeout=20_000) as opened:
            shown.open_book(book.id)
        reader = opened.args[0]
        assert isinstance(reader, ReaderView)
        qtbot.waitUntil(lambda r=reader: r.drawn_image() is not None, timeout=20_000)  # type: ignore[misc]
    yield shown
    shown.close()


def _switch(qtbot: QtBot, language: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    use_language(app, language)
    qtbot.wait(50)  # the LanguageChange events and the layouts they ask for


def _walk(qtbot: QtBot, window: MainWindow, dialog: SettingsDialog) -> list[str]:
    """The clipped texts of every tab of the window and every page of the dialog."""
    found: list[str] = []
    tabs = window.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        page = tabs.widget(index)
        qtbot.wait(20)
        found += [f"{tabs.tabText(index)}: {text}" for text in clipped_texts(window)]
        if isinstance(page, ReaderView):  # each panel of the side panel, as it opens
            sidebar = page.sidebar
            for panel in [sidebar.widget(i) for i in range(sidebar.count())]:
                sidebar.toggle(panel)
                qtbot.wait(20)
                where = f"{tabs.tabText(index)}, {sidebar.tabText(sidebar.indexOf(panel))}"
                found += [f"{where}: {text}" for text in clipped_texts(window)]
                sidebar.toggle(panel)
    pages = dialog.pages
    assert pages is not None
    for index in range(pages.count()):
        pages.setCurrentIndex(index)
        qtbot.wait(20)
        found += [f"settings, {pages.tabText(index)}: {text}" for text in clipped_texts(dialog)]
    return found


@pytest.mark.parametrize("language", ["en", "uz", "ru"])
def test_every_visible_text_fits_its_widget(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    dialog = window.edit_settings()
    qtbot.waitUntil(dialog.isVisible)
    shown: list[QWidget] = [window, dialog]
    assert all(widget.isVisible() for widget in shown)
    if language != "en":
        _switch(qtbot, language)
    clipped = _walk(qtbot, window, dialog)
    assert not clipped, "\n".join(clipped)
    dialog.reject()
