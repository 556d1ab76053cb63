"""Help › About: the version, the licence, and the folders where the library and the logs are."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app import __version__
from app.core.paths import Paths
from app.ui.common.i18n import ui_text

LICENCE = "AGPL-3.0-or-later"


def about_box(parent: QWidget, paths: Paths) -> QMessageBox:
    """A box (not yet shown) saying which Mutolaa this is, its licence and its folders."""
    box = QMessageBox(parent)
    box.setObjectName("about")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(ui_text("About Mutolaa"))
    box.setText(ui_text("Mutolaa {version}").format(version=__version__))
    lines = (
        ui_text("An offline-first e-library reader."),
        ui_text(
            "Licence: {licence} (the GNU Affero General Public License, version 3 or later)."
        ).format(licence=LICENCE),
        ui_text("Library folder: {folder}").format(folder=paths.data),
        ui_text("Log folder: {folder}").format(folder=paths.logs),
    )
    box.setInformativeText("\n".join(lines))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box
