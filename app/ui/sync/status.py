"""The sync's place in the status bar: how it stands, "Sync now" and what is left to resolve.

One line says how the sync stands; beside it "Sync now", and the way to what is left to resolve
(notes edited on two devices, reading positions).

`SyncStatus` is bound to the window's `SyncRunner`. When a sync held back deletions, an
"Allow deletions…" button appears; it asks, then syncs letting them go on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QToolButton, QWidget

from app.services.session import Session
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.sync.conflicts import SyncConflictsDialog
from app.ui.sync.runner import SyncRunner, SyncRunState


class SyncStatus(QWidget):
    """A label, a "Sync now" button and "Resolve…" for a `SyncRunner`.

    Args:
        runner: the window's sync runner.
        library: the open library (for the conflicts dialog).
        store_runner: the runner for store work (the window's queries runner).
        parent: the parent widget (the status bar).

    Signals:
        conflicts_opened(object): the conflicts dialog was opened (the `SyncConflictsDialog`).
    """

    conflicts_opened = Signal(object)

    def __init__(
        self,
        runner: SyncRunner,
        session: Session,
        store_runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.library = session.library
        self.profile_id = session.profile_id
        self._store = store_runner
        self.dialog: SyncConflictsDialog | None = None
        self._held = ""  # the reason of deletions a sync held back
        #: asks whether to let a sync delete (tests replace it)
        self.confirm: Callable[[str], bool] = self._ask_confirm

        self.label = QLabel(self)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sync_button = QToolButton(self)
        self.sync_button.clicked.connect(self._on_sync_button_clicked)
        self.resolve_button = QToolButton(self)
        self.resolve_button.clicked.connect(self._on_resolve_button_clicked)
        self.allow_button = QToolButton(self)
        self.allow_button.clicked.connect(self._on_allow_button_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.resolve_button)
        layout.addWidget(self.allow_button)
        layout.addWidget(self.sync_button)
        runner.state_changed.connect(self._on_runner_state_changed)
        runner.deletions_held.connect(self._on_runner_deletions_held)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.label.setAccessibleName(ui_text("Sync status"))
        self.sync_button.setText(ui_text("Sync now"))
        self.sync_button.setAccessibleName(ui_text("Sync with the library server now"))
        self.resolve_button.setText(ui_text("Resolve…"))
        self.resolve_button.setAccessibleName(
            ui_text("Resolve notes edited on two devices and reading positions")
        )
        self.allow_button.setText(ui_text("Allow deletions…"))
        self.allow_button.setAccessibleName(ui_text("Let the held sync delete annotations"))
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show(self) -> None:
        runner = self.runner
        text = runner.status_text()
        self.label.setText(text)
        self.label.setToolTip(text)
        self.sync_button.setEnabled(
            runner.state not in (SyncRunState.SIGNED_OUT, SyncRunState.SYNCING)
        )
        self.resolve_button.setVisible(bool(runner.conflicts or runner.questions))
        self.allow_button.setVisible(bool(self._held) and runner.state is SyncRunState.FAILED)

    def _on_runner_state_changed(self) -> None:
        if self.runner.state is SyncRunState.IDLE:
            self._held = ""
        self._show()

    def _on_runner_deletions_held(self, cause: str) -> None:
        self._held = cause
        self._show()

    def _on_sync_button_clicked(self) -> None:
        self.runner.sync_now()

    def _on_allow_button_clicked(self) -> None:
        if self._held and self.confirm(self._held):
            self._held = ""
            self.runner.sync_now(allow_deletions=True)
        self._show()

    def _ask_confirm(self, cause: str) -> bool:
        answer = QMessageBox.question(
            self.window(),
            ui_text("Allow deletions"),
            ui_text("The sync stopped: {cause}\n\nDelete them anyway?").format(cause=cause),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_resolve_button_clicked(self) -> None:
        self.open_conflicts()

    def open_conflicts(self) -> SyncConflictsDialog:
        """Open the conflicts dialog (one at a time); it does not block."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = SyncConflictsDialog(self.session, self._store, self.window())
        dialog.resolved.connect(self.runner.refresh)
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        self.dialog = dialog
        dialog.open()
        self.conflicts_opened.emit(dialog)
        return dialog

    def _on_dialog_finished(self, dialog: SyncConflictsDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
