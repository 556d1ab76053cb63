"""The Catalogues tab: the catalogue browser above, the downloads below, one download runner.

The page joins what the browser queues to the runner (it starts at once when the server can be
reached, or waits and tries again), tells the window when a downloaded book has arrived (the
library list refreshes, the browser marks the entry as held), and passes on the requests to read
a book. The window starts the runner when it is first shown (last session's queue resumes) and
stops it before the library closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.services.session import Session
from app.ui.catalogs.browser import CatalogBrowser
from app.ui.catalogs.download_runner import DownloadRunner
from app.ui.catalogs.downloads_panel import DownloadsPanel
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner


class CatalogsPage(QWidget):
    """The library servers' catalogues and the download queue.

    Args:
        session: the open library and who is acting.
        store_runner: the window's runner for store work.
        rate_limit: the downloads' bandwidth limit in bytes a second (None: none).
        parent: the parent widget.
    """

    read_requested = Signal(str)  # a book of the library to open
    book_arrived = Signal(str)  # a download was imported as this book
    rate_limit_changed = Signal(object)  # bytes a second, or None

    def __init__(
        self,
        session: Session,
        store_runner: TaskRunner,
        rate_limit: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = DownloadRunner(session, self, rate_limit=rate_limit)
        self.browser = CatalogBrowser(session, store_runner, self)
        self.downloads = DownloadsPanel(session, self.runner, store_runner, self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(self.downloads)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.browser.download_queued.connect(self._on_browser_download_queued)
        self.browser.read_requested.connect(self.read_requested)
        self.downloads.read_requested.connect(self.read_requested)
        self.downloads.rate_limit_changed.connect(self.rate_limit_changed)
        self.runner.finished.connect(self._on_runner_finished)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(ui_text("Library servers and downloads"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def start(self) -> None:
        """Read the saved catalogues (the first is opened when the tab is shown) and run what is
        queued (a download left by the last session resumes)."""
        self.browser.reload_catalogs()
        self.runner.kick()

    def stop(self, msecs: int = 10_000) -> None:
        """Stop the downloads (partial files kept) and the catalogue's network work."""
        self.runner.stop(msecs)
        self.browser.shutdown(msecs)

    def download_queued(self, _download_id: str = "") -> None:
        """A download was queued (here or elsewhere in the window): list it and run it."""
        self.downloads.request_reload()
        self.runner.kick()

    def _on_browser_download_queued(self, download_id: str) -> None:
        self.download_queued(download_id)

    def _on_runner_finished(self, _download_id: str, book_id: str) -> None:
        self.browser.refresh_holdings()  # the entry now shows as held, with Read
        self.book_arrived.emit(book_id)
