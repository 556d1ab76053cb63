"""The downloads panel: the library's download queue, how far each download is, what to do with it.

A person may pause, resume, retry, cancel or remove a download, move it up or down, or read the
downloaded book.

The queue is read and changed through the store runner the window gives (its queries runner);
the transfers run in the `DownloadRunner`, whose progress reports update the running row in
place. A change of state reloads the list, at most a few times a second.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QSpinBox,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.library.downloads import DownloadQueue, QueuedDownload
from app.services.catalogs.download_actions import apply, neighbour, offered
from app.services.session import Session
from app.ui.catalogs.download_runner import DownloadRunner
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason

log = logging.getLogger(__name__)

#: The list's columns.
NAME_COLUMN, STATE_COLUMN, PROGRESS_COLUMN, SPEED_COLUMN, LEFT_COLUMN, PROBLEM_COLUMN = range(6)
#: The panel's actions, in the order of the buttons and the context menu.
ACTION_NAMES = ("pause", "resume", "retry", "cancel", "remove", "up", "down", "read")
#: The least time between two readings of the queue (milliseconds).
RELOAD_EVERY_MS = 250
#: Starting widths of the columns (the problem takes the rest).
_COLUMN_WIDTHS = {
    NAME_COLUMN: 240,
    STATE_COLUMN: 140,
    PROGRESS_COLUMN: 200,
    SPEED_COLUMN: 90,
    LEFT_COLUMN: 100,
}
#: The progress bars count in thousandths (a QProgressBar holds 32-bit values only).
_BAR_STEPS = 1000


@dataclass(frozen=True)
class Transfer:
    """The last progress report of a running download."""

    received: int
    total: int | None
    speed: float
    eta: float | None


def size_text(size: int) -> str:
    """A number of bytes as people read it: "512 B", "1.5 KB", "3.2 MB", "1.1 GB"."""
    if size < 1024:
        return ui_text("{size} B").format(size=size)
    if size < 1024**2:
        return ui_text("{size} KB").format(size=f"{size / 1024:.1f}")
    if size < 1024**3:
        return ui_text("{size} MB").format(size=f"{size / 1024**2:.1f}")
    return ui_text("{size} GB").format(size=f"{size / 1024**3:.1f}")


def speed_text(speed: float) -> str:
    """Bytes per second: "120.0 KB/s"."""
    return ui_text("{size}/s").format(size=size_text(round(speed)))


def time_left_text(seconds: float) -> str:
    """The time a download still needs: "12 s left", "4 min left", "1 h 5 min left"."""
    whole = max(0, round(seconds))
    if whole < 60:
        return ui_text("{seconds} s left").format(seconds=whole)
    minutes = round(whole / 60)
    if minutes < 60:
        return ui_text("{minutes} min left").format(minutes=minutes)
    return ui_text("{hours} h {minutes} min left").format(hours=minutes // 60, minutes=minutes % 60)


def state_text(item: QueuedDownload) -> str:
    """A download's state in the interface language."""
    if item.state == "queued" and item.error:
        return ui_text("Waiting to try again")
    texts = {
        "queued": ui_text("Queued"),
        "running": ui_text("Downloading"),
        "paused": ui_text("Paused"),
        "done": ui_text("Done"),
        "failed": ui_text("Failed"),
        "cancelled": ui_text("Cancelled"),
    }
    return texts.get(item.state, item.state)


def display_name(item: QueuedDownload) -> str:
    """The title the catalogue gave, else the URL."""
    return item.title or item.url


class DownloadsPanel(QWidget):
    """The download queue of a profile, with progress, speed, time left and the actions.

    Args:
        session: the open library and who is acting.
        runner: the download runner that transfers the queue (the panel kicks it after a
            resume or a retry and shows its progress and status).
        store_runner: the runner for store work (the window's queries runner).
        parent: the parent widget.

    Signals:
        read_requested(book_id): the person asked to read a downloaded book.
        downloads_loaded(list[QueuedDownload]): the list was read again.
        rate_limit_changed(object): the speed limit was changed (bytes per second or None),
            for the window to remember.
    """

    read_requested = Signal(str)
    downloads_loaded = Signal(list)
    rate_limit_changed = Signal(object)

    def __init__(
        self,
        session: Session,
        runner: DownloadRunner,
        store_runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        library = session.library
        self.session = session
        self.library = session.library
        self.runner = runner
        self.profile_id = session.profile_id
        self._store = store_runner
        self._queue = DownloadQueue(library.store)
        self._rows: list[QueuedDownload] = []
        self._items: dict[str, QTreeWidgetItem] = {}
        self._bars: dict[str, QProgressBar] = {}
        self._live: dict[str, Transfer] = {}
        self._loading = False
        self._load_again = False
        self._message: Callable[[], str] = str  # the last action's problem, if any

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._build_list()
        buttons = self._build_buttons(runner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._follow(runner)
        self.retranslate()
        self._update_actions()
        self.reload()

    def _build_list(self) -> None:
        """The list of downloads, one column a fact."""
        self.list = QTreeWidget(self)
        self.list.setColumnCount(6)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.itemSelectionChanged.connect(self._on_list_item_selection_changed)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.list.customContextMenuRequested.connect(self._on_list_custom_context_menu_requested)
        for column, width in _COLUMN_WIDTHS.items():
            self.list.setColumnWidth(column, width)

    def _build_buttons(self, runner: DownloadRunner) -> QHBoxLayout:
        """A button for each action, then the speed limit (shown from the runner's)."""
        self.actions_by_name: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        buttons = QHBoxLayout()
        for name in ACTION_NAMES:
            action = QAction(self)
            action.triggered.connect(lambda _checked=False, n=name: self.perform(n))
            self.actions_by_name[name] = action
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.buttons[name] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.limit_label = QLabel(self)
        self.limit = QSpinBox(self)
        self.limit.setRange(0, 1_000_000)
        self.limit.setSingleStep(64)
        limit = runner.rate_limit
        self.limit.setValue(round(limit / 1024) if limit else 0)
        self.limit.valueChanged.connect(self._on_limit_value_changed)
        self.limit_label.setBuddy(self.limit)
        buttons.addWidget(self.limit_label)
        buttons.addWidget(self.limit)
        return buttons

    def _follow(self, runner: DownloadRunner) -> None:
        """Reload at most every `RELOAD_EVERY_MS`, and follow the runner's reports."""
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_EVERY_MS)
        self._reload_timer.timeout.connect(self.reload)
        runner.changed.connect(self._on_runner_changed)
        runner.progress.connect(self._on_runner_progress)
        runner.status_changed.connect(self._on_runner_status_changed)

    # --- language ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.list.setHeaderLabels(
            [
                ui_text("Name"),
                ui_text("State"),
                ui_text("Progress"),
                ui_text("Speed"),
                ui_text("Time left"),
                ui_text("Problem"),
            ]
        )
        self.list.setAccessibleName(ui_text("Downloads"))
        texts = {
            "pause": (ui_text("Pause"), ui_text("Pause the chosen download")),
            "resume": (ui_text("Resume"), ui_text("Resume the chosen download")),
            "retry": (ui_text("Retry"), ui_text("Try the chosen download again now")),
            "cancel": (ui_text("Cancel"), ui_text("Cancel the chosen download")),
            "remove": (
                ui_text("Remove from list"),
                ui_text("Remove the chosen download from the list"),
            ),
            "up": (ui_text("Move up"), ui_text("Download the chosen one earlier")),
            "down": (ui_text("Move down"), ui_text("Download the chosen one later")),
            "read": (ui_text("&Read"), ui_text("Read the chosen downloaded book")),
        }
        for name, (text, description) in texts.items():
            self.actions_by_name[name].setText(text)
            self.actions_by_name[name].setToolTip(description)
            self.buttons[name].setAccessibleName(description)
        self.limit_label.setText(ui_text("Speed limit:"))
        self.limit.setAccessibleName(ui_text("Speed limit for downloads"))
        self.limit.setSpecialValueText(ui_text("No limit"))
        self.limit.setSuffix(ui_text(" KB/s"))
        self.status.setAccessibleName(ui_text("What the downloads are doing"))
        self._fill()
        self._show_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- the list ----------------------------------------------------------------------------

    def downloads(self) -> list[QueuedDownload]:
        """The downloads as last read, in the queue's order."""
        return list(self._rows)

    def chosen(self) -> QueuedDownload | None:
        """The download chosen in the list, or None."""
        items = self.list.selectedItems()
        if not items:
            return None
        chosen_id = items[0].data(NAME_COLUMN, Qt.ItemDataRole.UserRole)
        return next((d for d in self._rows if d.id == chosen_id), None)

    def choose(self, download_id: str) -> None:
        """Choose a download in the list (by id)."""
        item = self._items.get(download_id)
        if item is not None:
            self.list.setCurrentItem(item)
            item.setSelected(True)

    def row_texts(self, download_id: str) -> list[str]:
        """The texts of a download's row, column by column (the progress bar's text included)."""
        item = self._items.get(download_id)
        if item is None:
            return []
        texts = [item.text(column) for column in range(self.list.columnCount())]
        bar = self._bars.get(download_id)
        if bar is not None:
            texts[PROGRESS_COLUMN] = bar.text()
        return texts

    def progress_bar(self, download_id: str) -> QProgressBar | None:
        """The progress bar of a download's row."""
        return self._bars.get(download_id)

    def request_reload(self) -> None:
        """Read the queue again soon (several requests close together read it once)."""
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    def reload(self) -> None:
        """Read the queue again now (in the background)."""
        if self._loading:
            self._load_again = True
            return
        self._loading = True
        queue, profile_id = self._queue, self.profile_id
        self._store.submit(lambda: queue.list(profile_id), self._on_loaded, self._on_load_failed)

    def _on_loaded(self, rows: list[QueuedDownload]) -> None:
        self._loading = False
        self._rows = list(rows)
        running = {d.id for d in rows if d.state == "running"}
        self._live = {key: value for key, value in self._live.items() if key in running}
        self._fill()
        self.downloads_loaded.emit(self.downloads())
        if self._load_again:
            self._load_again = False
            self.reload()

    def _on_load_failed(self, error: BaseException) -> None:
        self._loading = False
        log.warning("the downloads could not be read: %s", error)
        self._show_message(
            lambda: ui_text("The downloads could not be read: {reason}").format(
                reason=reason(error)
            )
        )

    def _fill(self) -> None:
        """Show `_rows` (again), keeping the chosen download chosen."""
        selected = self.list.selectedItems()
        chosen_id = selected[0].data(NAME_COLUMN, Qt.ItemDataRole.UserRole) if selected else None
        self.list.clear()
        self._items.clear()
        self._bars.clear()
        for row in self._rows:
            item = QTreeWidgetItem()
            item.setData(NAME_COLUMN, Qt.ItemDataRole.UserRole, row.id)
            item.setText(NAME_COLUMN, display_name(row))
            item.setToolTip(NAME_COLUMN, row.url)
            item.setText(STATE_COLUMN, state_text(row))
            item.setText(PROBLEM_COLUMN, row.error)
            item.setToolTip(PROBLEM_COLUMN, row.error)
            self.list.addTopLevelItem(item)
            bar = QProgressBar(self.list)
            bar.setRange(0, _BAR_STEPS)
            bar.setAccessibleName(ui_text("Progress of “{name}”").format(name=display_name(row)))
            self.list.setItemWidget(item, PROGRESS_COLUMN, bar)
            self._items[row.id] = item
            self._bars[row.id] = bar
            live = self._live.get(row.id)
            if live is None:
                live = Transfer(row.received, row.total, 0.0, None)
            self._show_transfer(row.id, live, state=row.state)
            if row.id == chosen_id:
                self.list.setCurrentItem(item)
                item.setSelected(True)
        self._update_actions()

    def _show_transfer(self, download_id: str, transfer: Transfer, *, state: str) -> None:
        """Show how far a download is in its row: bar, bytes, and while running speed and time."""
        item, bar = self._items[download_id], self._bars[download_id]
        received, total = transfer.received, transfer.total
        running = state == "running"
        if state == "done":  # imported: whole, whatever was saved of its size
            bar.setValue(_BAR_STEPS)
            size = total or received
            text = size_text(size) if size else ""
        elif total:
            bar.setValue(min(_BAR_STEPS, received * _BAR_STEPS // total))
            text = ui_text("{received} of {total}").format(
                received=size_text(received), total=size_text(total)
            )
        else:
            bar.setValue(0)
            text = size_text(received) if received else ""
        bar.setFormat(text)
        bar.setTextVisible(bool(text))
        shows_speed = running and transfer.speed > 0
        item.setText(SPEED_COLUMN, speed_text(transfer.speed) if shows_speed else "")
        left = transfer.eta if running and transfer.eta is not None else None
        item.setText(LEFT_COLUMN, time_left_text(left) if left is not None else "")

    # --- the runner --------------------------------------------------------------------------

    def _on_runner_changed(self) -> None:
        self.request_reload()

    def _on_runner_progress(
        self,
        download_id: str,
        received: int,
        total: int | None,
        speed: float,
        eta: float | None,
    ) -> None:
        transfer = Transfer(received, total, speed, eta)
        row = next((d for d in self._rows if d.id == download_id), None)
        if row is None or row.state != "running":
            self.request_reload()  # it started since the list was read (or it was set aside)
        if row is None or row.state not in ("running", "queued"):
            return  # a last report after a pause or a cancel
        self._live[download_id] = transfer
        self._show_transfer(download_id, transfer, state="running")

    def _on_runner_status_changed(self) -> None:
        self._message = str  # the runner's news replaces an older problem
        self._show_status()

    def _show_message(self, text: Callable[[], str]) -> None:
        self._message = text
        self._show_status()

    def _show_status(self) -> None:
        self.status.setText(self._message() or self.runner.status_text())

    def _on_limit_value_changed(self, kilobytes: int) -> None:
        limit = float(kilobytes * 1024) if kilobytes else None
        self.runner.set_rate_limit(limit)
        self.rate_limit_changed.emit(limit)

    # --- actions -----------------------------------------------------------------------------

    def _update_actions(self) -> None:
        item = self.chosen()
        possible: set[str] = set()
        if item is not None:
            possible |= offered(item)
            possible |= {d for d in ("up", "down") if neighbour(self._rows, item.id, d)}
            if item.state == "done" and item.book_id:
                possible.add("read")
        for name, action in self.actions_by_name.items():
            action.setEnabled(name in possible)

    def _on_list_item_selection_changed(self) -> None:
        self._update_actions()

    def _on_list_item_activated(self, _item: QTreeWidgetItem, _column: int) -> None:
        if self.actions_by_name["read"].isEnabled():
            self.perform("read")

    def context_menu(self) -> QMenu:
        """The menu of the chosen download's actions (the enabled ones can be chosen)."""
        menu = QMenu(self)
        menu.setAccessibleName(ui_text("Download actions"))
        for name in ACTION_NAMES:
            if name in ("up", "read"):
                menu.addSeparator()
            menu.addAction(self.actions_by_name[name])
        return menu

    def _on_list_custom_context_menu_requested(self, position: QPoint) -> None:
        if self.list.itemAt(position) is None:
            return
        menu = self.context_menu()
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.list.viewport().mapToGlobal(position))

    def perform(self, action: str) -> None:
        """Do an action to the chosen download (in the background), then read the list again."""
        item = self.chosen()
        if item is None:
            return
        if action == "read":
            if item.book_id:
                self.read_requested.emit(item.book_id)
            return
        session, download_id = self.session, item.id

        def work() -> QueuedDownload | None:
            return apply(session, download_id, action)

        def done(_changed: QueuedDownload | None) -> None:
            self._message = str
            self._show_status()
            if action in ("resume", "retry"):
                self.runner.kick()
            self.reload()

        self._store.submit(work, done, self._on_action_failed)

    def _on_action_failed(self, error: BaseException) -> None:
        log.info("download action failed: %s", error)
        self._show_message(
            lambda: ui_text("The download could not be changed: {reason}").format(
                reason=reason(error)
            )
        )
        self.reload()
