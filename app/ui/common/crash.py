"""The crash handler: an unexpected error is logged with its traceback and shown, not fatal."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from app.ui.common.i18n import ui_text

log = logging.getLogger(__name__)


def report_unexpected(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """Log the traceback, then show it in a dialog; the window and its data stay as they are.

    Every change is written to the store when it is made, so nothing is lost by going on.
    """
    details = "".join(traceback.format_exception(kind, error, trace))
    log.error("unexpected error\n%s", details)
    if QApplication.instance() is None:
        sys.__excepthook__(kind, error, trace)
        return
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(ui_text("Something went wrong"))
    box.setText(
        ui_text(
            "Mutolaa met an unexpected error: {error}. Your library is safe; the details "
            "are in the log."
        ).format(error=error)
    )
    box.setDetailedText(details)
    box.exec()


def install_crash_handler() -> None:
    """Route uncaught exceptions (in Qt slots too) to ``report_unexpected``."""
    sys.excepthook = report_unexpected
