"""The main window's sync: its runner, its line in the status bar and its actions.

One `SyncRunner` for the window's library and profile, its line in the status bar, the "Sync
now", "Resolve sync conflicts…" and "Books on your other devices…" actions. "Sync now" while
nobody is signed in says where to sign in (the Account page of the settings) and offers to go
there. Local edits reach
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
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from app.services.session import Session
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.sync.other_devices import OtherDevicesDialog
from app.ui.sync.runner import SyncRunner, SyncRunState
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
        sign_in_hinted(QMessageBox): "Sync now" found nobody signed in; the box says where to
            sign in (shown, not blocking).
        sign_in_wanted(): the person chose to sign in from that box (open the Account page).
    """

    download_queued = Signal(str)
    sign_in_hinted = Signal(object)
    sign_in_wanted = Signal()

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
        self.sign_in_hint: QMessageBox | None = None
        self._hint_wanted = False  # "Sync now" asked while signed out: say so when read
        self.runner.state_changed.connect(self._on_runner_state_changed)
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
        # signed out as last read: the sync reads the account again (someone may have signed
        # in from the command line), and says where to sign in when nobody has
        self._hint_wanted = self.runner.state is SyncRunState.SIGNED_OUT or self.runner.running
        self.runner.sync_now()  # not connected straight: triggered(bool) is no allow_deletions

    def _on_runner_state_changed(self) -> None:
        if not self._hint_wanted or self.runner.running:
            return
        self._hint_wanted = False
        if self.runner.state is SyncRunState.SIGNED_OUT:
            self.show_sign_in_hint()

    def show_sign_in_hint(self) -> QMessageBox:
        """Say that nobody is signed in and where to sign in (one box at a time, not blocking)."""
        if self.sign_in_hint is not None:
            self.sign_in_hint.raise_()
            return self.sign_in_hint
        parent = self.parent()
        box = QMessageBox(parent if isinstance(parent, QWidget) else None)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(ui_text("Sync now"))
        box.setText(
            ui_text("Nobody is signed in to a library server, so there is nothing to sync.")
        )
        box.setInformativeText(
            ui_text("Sign in on the Account page of the settings; the sync then starts by itself.")
        )
        sign_in = box.addButton(ui_text("Sign in…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(sign_in)
        sign_in.clicked.connect(self.sign_in_wanted)
        box.finished.connect(lambda _result: self._on_sign_in_hint_finished(box))
        self.sign_in_hint = box
        box.open()
        self.sign_in_hinted.emit(box)
        return box

    def _on_sign_in_hint_finished(self, box: QMessageBox) -> None:
        if self.sign_in_hint is box:
            self.sign_in_hint = None
        box.deleteLater()

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
