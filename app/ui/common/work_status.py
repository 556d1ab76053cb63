"""Background work in the status bar: progress, a cancel button, errors with their details."""

from __future__ import annotations

import traceback

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QWidget,
)

from app.core.errors import reason as core_reason
from app.core.tasks import CancelToken, Progress
from app.ui.common.i18n import ui_text


class WorkStatus(QWidget):
    """The right end of a status bar: how far background work is, and what went wrong.

    Several pieces of work may run at once (an index catch-up, then an import); the
    progress bar and the cancel button stay until the last one ends, and the cancel
    button stops all of them. An error is one sentence in the status bar; the technical
    text (a traceback) is a click on "Details…" away.
    """

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._bar = bar
        self._tokens: list[CancelToken] = []
        self._error = ""  # the sentence shown for the last error
        self._details = ""
        self.details_button = QPushButton(self)
        self.details_button.setVisible(False)
        self.details_button.clicked.connect(self.show_details)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(240)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.details_button)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        bar.addPermanentWidget(self)
        bar.messageChanged.connect(self._on_bar_message_changed)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.details_button.setText(ui_text("Details…"))
        self.details_button.setAccessibleName(ui_text("Details of the error"))
        self.progress.setAccessibleName(ui_text("Progress of the background work"))
        self.cancel_button.setText(ui_text("Cancel"))
        self.cancel_button.setAccessibleName(ui_text("Cancel the background work"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- work ------------------------------------------------------------------------------

    def begin(self, token: CancelToken, *, shown: bool = True) -> None:
        """Work that ``token`` cancels has started; ``shown=False`` waits for its first report."""
        self._tokens.append(token)
        if shown:
            self._show(0, 0)

    def report(self, event: Progress) -> None:
        """Show how far the work is, in the bar and as a status message."""
        self._show(event.done, event.total)
        stages = {
            "importing": ui_text("Importing"),
            "reading": ui_text("Reading"),
            "indexing": ui_text("Indexing"),
        }
        stage = stages.get(event.stage, event.stage)
        self._bar.showMessage(f"{stage}: {event.label}" if event.label else stage)

    def end(self, token: CancelToken) -> None:
        """The work of ``token`` ended; the bar goes when no other work runs."""
        if token in self._tokens:
            self._tokens.remove(token)
        if not self._tokens:
            self.progress.setVisible(False)
            self.cancel_button.setVisible(False)

    def cancel_all(self) -> None:
        """Ask every piece of work to stop at its next checkpoint."""
        for token in self._tokens:
            token.cancel()

    def _show(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        elif not self.progress.isVisible():
            self.progress.setRange(0, 0)  # busy, amount unknown
        self.progress.setVisible(True)
        self.cancel_button.setVisible(bool(self._tokens))

    def _on_cancel_button_clicked(self) -> None:
        self.cancel_all()

    # --- errors ----------------------------------------------------------------------------

    def show_error(self, sentence: str, error: BaseException) -> None:
        """Show ``sentence`` in the status bar, with the technical text of ``error`` on request.

        Args:
            sentence: what failed, in the interface language (see ``reason()``).
            error: the exception; its traceback is the "Details…".
        """
        self._error = sentence
        self._details = "".join(traceback.format_exception(error)).strip()
        self._bar.showMessage(sentence)
        self.details_button.setVisible(True)

    def show_details(self) -> QMessageBox:
        """Open a box with the last error's sentence and its technical text."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, ui_text("What went wrong"), self._error, parent=self.window()
        )
        box.setObjectName("error-details")
        box.setDetailedText(self._details)
        box.open()
        return box

    def _on_bar_message_changed(self, message: str) -> None:
        if message != self._error:
            self.details_button.setVisible(False)


def reason(error: BaseException) -> str:
    """`app.core.errors.reason` in the interface language: a bug is "an unexpected error (see
    Details…)", since the window shows the traceback behind Details."""
    return core_reason(error, ui_text("an unexpected error (see Details…)"))
