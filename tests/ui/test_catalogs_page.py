"""The Catalogues tab of the main window: a book found in a library server's catalogue is
downloaded, imported and opened without leaving the window; downloads left queued by the last
session resume at start; the bandwidth limit is remembered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.settings import load_settings
from app.library.catalogs import CatalogStore
from app.library.downloads import DownloadQueue
from app.services.session import Library
from app.ui.reader.view import ReaderView
from app.ui.window.main_window import MainWindow
from tests.support.catalog_server import CatalogServer
from tests.support.docgen import make_epub
from tests.support.sessions import PROFILE

OpenWindow = Callable[[Library], MainWindow]
FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:kutubxona</id><title>Kutubxona</title><updated>2026-11-01T00:00:00Z</updated>
  <entry>
    <id>urn:uuid:oq-kema</id><title>Oq kema</title>
    <author><name>Chingiz Aytmatov</name></author><updated>2026-11-01T00:00:00Z</updated>
    <link rel="http://opds-spec.org/acquisition/open-access" type="application/epub+zip"
          href="files/oq-kema.epub"/>
  </entry>
</feed>
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[CatalogServer]:
    root = tmp_path / "site"
    (root / "files").mkdir(parents=True)
    make_epub(
        root / "files" / "oq-kema.epub",
        [("Birinchi bob", "Oq kema haqida ertak. Suvsar va bola.")],
        title="Oq kema",
        author="Chingiz Aytmatov",
        lang="uz",
    )
    (root / "root.xml").write_text(FEED, encoding="utf-8")
    running = CatalogServer(root).start()
    yield running
    running.stop()


def test_find_download_and_read_a_book_from_a_catalogue(
    qtbot: QtBot, library: Library, open_window: OpenWindow, server: CatalogServer
) -> None:
    CatalogStore(library.store, profile_id=PROFILE).add("Kutubxona", f"{server.base}/root.xml")
    window = open_window(library)
    page = window.catalogs_page
    assert window.tabs.tabBar().tabButton(1, window.tabs.tabBar().ButtonPosition.RightSide) is None
    window.menus.catalogs_action.trigger()  # Ctrl+L
    assert window.tabs.currentWidget() is page
    browser = page.browser
    qtbot.waitUntil(lambda: any(r.title == "Oq kema" for r in browser.model.rows()), timeout=10_000)
    row = next(n for n, r in enumerate(browser.model.rows()) if r.title == "Oq kema")
    browser.list.setCurrentIndex(browser.model.index(row))
    qtbot.waitUntil(browser.details.download_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(page.book_arrived, timeout=30_000) as arrived:
        qtbot.mouseClick(browser.details.download_button, Qt.MouseButton.LeftButton)
    book_id = arrived.args[0]
    book = library.store.get(book_id)
    assert book is not None
    assert (book.title, book.source_entry) == ("Oq kema", "urn:uuid:oq-kema")
    qtbot.waitUntil(
        lambda: (
            window.library_panel.model.row_of(book_id) >= 0
            if hasattr(window.library_panel.model, "row_of")
            else window.model_row(book_id) >= 0
        ),
        timeout=10_000,
    )  # the library list has it
    qtbot.waitUntil(browser.details.read_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        qtbot.mouseClick(browser.details.read_button, Qt.MouseButton.LeftButton)
    assert isinstance(opened.args[0], ReaderView)
    assert opened.args[0].book.id == book_id
    window.tabs.setCurrentIndex(1)
    window.tabs.tabCloseRequested.emit(1)  # the Catalogues tab cannot be closed
    assert window.tabs.widget(1) is page


def test_a_download_queued_earlier_runs_when_the_window_starts(
    qtbot: QtBot, library: Library, open_window: OpenWindow, server: CatalogServer
) -> None:
    queued = DownloadQueue(library.store).enqueue(
        f"{server.base}/files/oq-kema.epub",
        title="Oq kema",
        entry_id="urn:uuid:oq-kema",
        profile_id=PROFILE,
    )
    window = open_window(library)
    with qtbot.waitSignal(window.catalogs_page.book_arrived, timeout=30_000):
        pass
    assert DownloadQueue(library.store).get(queued).state == "done"


def test_the_download_speed_limit_is_remembered(
    qtbot: QtBot, library: Library, open_window: OpenWindow
) -> None:
    window = open_window(library)
    with qtbot.waitSignal(window.settings_saved, timeout=10_000):
        window.catalogs_page.downloads.limit.setValue(256)
    assert load_settings(library.paths.settings).download_rate_limit == 256
    assert window.catalogs_page.runner.rate_limit == 256 * 1024
    dialog = window.edit_settings()
    with qtbot.waitSignal(window.settings_saved, timeout=10_000):
        dialog.accept()  # other settings saved: the limit stays
    assert load_settings(library.paths.settings).download_rate_limit == 256
