"""Starting the desktop window: the Qt application around one library."""

from __future__ import annotations

import os
import sys

from PySide6.QtWidgets import QApplication

from app.core.paths import Paths
from app.core.settings import load_settings
from app.services.session import Library
from app.ui.common.crash import install_crash_handler
from app.ui.common.i18n import chosen_language, use_language
from app.ui.window.reception import Reception


def has_display() -> bool:
    """True when Qt can open a window here (a display, or a platform chosen explicitly)."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_window(paths: Paths) -> int:
    """Open the library at ``paths``, ask who is reading (`Reception`), run until the window or
    the chooser closes."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Mutolaa")
    app.setOrganizationName("Mutolaa")
    install_crash_handler()
    with Library(paths) as library:
        settings = load_settings(paths.settings)
        use_language(app, settings.language or chosen_language())
        reception = Reception(library, settings)
        reception.start()
        try:
            return int(app.exec())
        finally:
            reception.close()
