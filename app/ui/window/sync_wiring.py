"""The main window's sync: its runner, its line in the status bar and its actions.

One `SyncRunner` for the window's library and profile, its line in the status bar, the "Sync
now", "Resolve sync conflicts…" and "Books on your other devices…" actions. Local edits reach
the runner, and what a sync pulled reaches the views, through the store's announcements
(`app.ui.common.store_events`); nothing is told by hand.

What a sync pulls never moves an open reader: a reader reads its position only when the book is
opened, and a position from another device behind this one is a question for the conflicts
dialog (docs/sync-protocol.md, rule 1).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStatusBar, QWidget

from app.services.session import Session
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.sync.other_devices import OtherDevicesDialog
from app.ui.sync.runner import SyncRunner
from app.ui.sync.status import SyncStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncTiming:
    """When the window's sync runs (seconds); tests shorten them.

    Attributes:
        start_delay: after the window is first shown (start-up stays quick).
        settle: quiet after the last local change before the sync that sends it.
        interval: between two syncs while signed in.
        exit_bound: the longest the window waits for the sync on exit.
    """

    start_delay: float = 1.0
    settle: float = 5.0
    interval: float = 300.0
    exit_bound: float = 3.0


class WindowSync(QObject):
    """Owns the window's sync runner and joins it to the window's views.

    Args:
        library: the window's library.
        store_runner: the window's queries runner (store reads of the views and the dialogs).
        status_bar: where the sync's line goes (a permanent widget on the right).
        timing: when to sync.
        parent: the window.

    Signals:
        download_queued(str): a book of another device was queued for download (its id).
    """

    download_queued = Signal(str)

    def __init__(
        self,
        session: Session,
        store_runner: TaskRunner,
        status_bar: QStatusBar,
        *,
        timing: SyncTiming | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.library = session.library
        self.timing = timing or SyncTiming()
        self._store = store_runner
        self.runner = SyncRunner(
            session,
            self,
            interval=self.timing.interval,
            settle=self.timing.settle,
        )
        self.status = SyncStatus(self.runner, session, store_runner, status_bar)
        status_bar.addPermanentWidget(self.status)
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(max(0, round(self.timing.start_delay * 1000)))
        self._start_timer.timeout.connect(self.runner.start)
        self._started = False

        self.sync_now_action = QAction(self)
        self.sync_now_action.setShortcut(QKeySequence("F9"))
        self.sync_now_action.triggered.connect(self._on_sync_now_action_triggered)
        self.resolve_action = QAction(self)
        self.resolve_action.triggered.connect(self._on_resolve_action_triggered)
        self.other_devices_action = QAction(self)
        self.other_devices_action.triggered.connect(self._on_other_devices_action_triggered)
        self.other_devices: OtherDevicesDialog | None = None
        self.retranslate()

    def retranslate(self) -> None:
        """Set the actions' texts in the current interface language (the status widget
        follows the language by itself)."""
        self.sync_now_action.setText(ui_text("S&ync now"))
        self.sync_now_action.setToolTip(ui_text("Sync with the library server now"))
        self.resolve_action.setText(ui_text("&Resolve sync conflicts…"))
        self.other_devices_action.setText(ui_text("Books on your other &devices…"))

    # --- what the window calls ------------------------------------------------------------

    def start_soon(self) -> None:
        """The window was shown: start syncing after the start delay (once)."""
        if not self._started:
            self._started = True
            self._start_timer.start()

    def finish(self) -> bool:
        """For the window's exit: the bounded sync of what changed here (`SyncRunner.finish`).

        True when the sync's work ended in time.
        """
        self._start_timer.stop()
        return self.runner.finish(round(self.timing.exit_bound * 1000))

    # --- slots -----------------------------------------------------------------------------

    def _on_sync_now_action_triggered(self) -> None:
        self.runner.sync_now()  # not connected straight: triggered(bool) is no allow_deletions

    def _on_resolve_action_triggered(self) -> None:
        self.status.open_conflicts()

    def _on_other_devices_action_triggered(self) -> None:
        self.open_other_devices()

    def open_other_devices(self) -> OtherDevicesDialog:
        """Show the books the other devices keep (one dialog at a time)."""
        if self.other_devices is not None:
            self.other_devices.raise_()
            self.other_devices.activateWindow()
            return self.other_devices
        parent = self.parent()
        dialog = OtherDevicesDialog(
            self.session,
            self._store,
            parent if isinstance(parent, QWidget) else None,
        )
        dialog.queued.connect(self.download_queued)
        dialog.finished.connect(lambda _result: self._on_other_devices_finished(dialog))
        self.other_devices = dialog
        dialog.open()
        return dialog

    def _on_other_devices_finished(self, dialog: OtherDevicesDialog) -> None:
        if self.other_devices is dialog:
            self.other_devices = None
        dialog.deleteLater()
