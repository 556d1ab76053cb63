"""The books kept on the person's other devices that this library lacks, with Download.

The list is what the last sync learnt (`app.services.sync.other_devices.books_elsewhere`). A book
that was downloaded from a catalogue there can be queued here (`queue_held`); the window connects
``queued`` to its download runner, which fetches it as soon as the server answers. A book added from
a file there says so, and why it cannot be downloaded. Every store read and write runs on the store
runner the window gives.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.session import Session
from app.services.sync.other_devices import HeldElsewhere, books_elsewhere, queue_held
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason

log = logging.getLogger(__name__)


class OtherDevicesDialog(QDialog):
    """The books on the person's other devices, and Download for those from a catalogue.

    Args:
        session: the open library and who is acting.
        runner: the runner for store work (the window's queries runner).
        parent: the parent widget.

    Signals:
        loaded(object): the list (``list[HeldElsewhere]``) was read and shown.
        queued(str): a download was queued (its id): kick the download runner.
    """

    loaded = Signal(object)
    queued = Signal(str)

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, on=False)
        self.session = session
        self.library = session.library
        self.profile_id = session.profile_id
        self._store = runner
        self.books: list[HeldElsewhere] = []
        self._queued: set[str] = set()  # keys queued from this dialog
        self._working = False
        self._status: Callable[[], str] = str

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setRootIsDecorated(False)
        self.table.setColumnCount(4)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.currentItemChanged.connect(self._on_table_current_item_changed)
        self.table.itemActivated.connect(self._on_table_item_activated)
        self.download_button = QPushButton(self)
        self.download_button.setAutoDefault(False)
        self.download_button.clicked.connect(self._on_download_button_clicked)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.download_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self.resize(760, 440)
        self.retranslate()
        self._update_buttons()
        self.reload()

    # --- language --------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.setWindowTitle(ui_text("Books on your other devices"))
        self.intro.setText(
            ui_text(
                "Books your other computers and devices keep that this library does not have, "
                "as of the last sync."
            )
        )
        self.table.setHeaderLabels(
            [ui_text("Title"), ui_text("Authors"), ui_text("On"), ui_text("Catalogue")]
        )
        self.intro.setAccessibleName(ui_text("What this list holds"))
        self.table.setAccessibleName(ui_text("Books on your other devices"))
        self.download_button.setText(ui_text("Download"))
        self.download_button.setAccessibleName(ui_text("Download the chosen book here"))
        self.status.setAccessibleName(ui_text("What the list says"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the list again (on the store runner)."""
        session = self.session
        self._working = True
        self._update_buttons()
        self._store.submit(lambda: books_elsewhere(session), self._on_read, self._failed)

    def _on_read(self, books: list[HeldElsewhere]) -> None:
        self._working = False
        self.books = books
        self._fill()
        self.loaded.emit(books)

    def _fill(self) -> None:
        chosen = self.chosen()
        self.table.clear()
        for book in self.books:
            item = QTreeWidgetItem(
                [
                    book.title,
                    ", ".join(book.authors),
                    ", ".join(book.devices),
                    book.catalog_name or book.catalog_url or ui_text("(from a file)"),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, book.key)
            self.table.addTopLevelItem(item)
            if chosen is not None and chosen.key == book.key:
                self.table.setCurrentItem(item)
        first = self.table.topLevelItem(0)
        if self.table.currentItem() is None and first is not None:
            self.table.setCurrentItem(first)
        if not self.books and not self._working:
            self._status = lambda: ui_text("Your other devices keep no book that is not here.")
        self.status.setText(self._status())
        self._update_buttons()

    # --- choosing and downloading ----------------------------------------------------------

    def chosen(self) -> HeldElsewhere | None:
        """The book chosen in the list, or None."""
        item = self.table.currentItem()
        if item is None:
            return None
        key = item.data(0, Qt.ItemDataRole.UserRole)
        return next((b for b in self.books if b.key == key), None)

    def _on_table_current_item_changed(
        self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None
    ) -> None:
        book = self.chosen()
        if book is not None and not book.href:
            self._status = lambda: ui_text(
                "“{book}” was added from a file there: copy it from that computer."
            ).format(book=book.title)
            self.status.setText(self._status())
        self._update_buttons()

    def _on_table_item_activated(self, item: QTreeWidgetItem, column: int) -> None:
        self._on_download_button_clicked()

    def _on_download_button_clicked(self) -> None:
        book = self.chosen()
        if book is None or not book.href or self._working or book.key in self._queued:
            return
        session = self.session
        self._working = True
        self._update_buttons()

        def done(download_id: str) -> None:
            self._working = False
            self._queued.add(book.key)
            self._status = lambda: ui_text(
                "“{book}” is in the download queue (Catalogues › Downloads)."
            ).format(book=book.title)
            self.status.setText(self._status())
            self._update_buttons()
            self.queued.emit(download_id)

        self._store.submit(lambda: queue_held(session, book), done, self._failed)

    def _failed(self, error: BaseException) -> None:
        self._working = False
        cause = " ".join(str(error).split()) or reason(error)
        log.warning("books on other devices: %s", cause)
        self._status = lambda: cause
        self.status.setText(cause)
        self._update_buttons()

    def _update_buttons(self) -> None:
        book = self.chosen()
        self.download_button.setEnabled(
            not self._working
            and book is not None
            and bool(book.href)
            and book.key not in self._queued
        )
