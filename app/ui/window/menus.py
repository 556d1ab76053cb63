"""The main window's menus, File, View, Edit (Tools on Windows) and Help: actions, keys, texts.

The actions have the platform's keys and their texts are in the interface language; Undo and Redo
are named after the annotation edit they undo or redo. The settings are where the platform puts
them (`settings_place`): Edit › Preferences on Linux (macOS moves it to the application menu by
its role), Tools › Options on Windows. Help › About says which Mutolaa this is. The window
connects what the actions do (`MainWindow._build_menus`); this module holds what they are.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu, QMenuBar

from app.ui.common.i18n import ui_text


def settings_place(platform: str) -> str:
    """The menu the settings belong in on ``platform`` (a ``sys.platform``): ``tools`` on
    Windows (Tools › Options), ``edit`` elsewhere (Edit › Preferences; macOS shows it in the
    application menu, by its role)."""
    return "tools" if platform.startswith("win") else "edit"


class WindowMenus(QObject):
    """The window's menus and their actions.

    Args:
        menu_bar: the window's menu bar (File, View and Edit are added to it).
        stack: the annotation editor's undo stack (Undo and Redo act on it).
        view_actions: the library panel's List and Covers (first in View).
        sync_actions: the sync's actions (in File, before Quit).
        parent: the window.
        platform: the ``sys.platform`` whose habits the menus follow (tests choose one).
    """

    def __init__(
        self,
        menu_bar: QMenuBar,
        stack: QUndoStack,
        *,
        view_actions: Sequence[QAction],
        sync_actions: Sequence[QAction],
        parent: QObject | None = None,
        platform: str = sys.platform,
    ) -> None:
        super().__init__(parent)
        self._stack = stack
        self._settings_place = settings_place(platform)
        self._build_file_menu(menu_bar, sync_actions)
        self.full_screen_action = QAction(self)
        self.full_screen_action.setShortcuts(_keys(QKeySequence.StandardKey.FullScreen, "F11"))
        self.full_screen_action.setCheckable(True)
        self.settings_action = QAction(self)
        self.settings_action.setShortcuts(_keys(QKeySequence.StandardKey.Preferences, "Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.view_menu = menu_bar.addMenu("")
        for action in view_actions:
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.full_screen_action)

        # Ctrl+F finds in the open book, or searches the library from the library tab;
        # Ctrl+Shift+F always searches the library
        self.find_action = QAction(self)
        self.find_action.setShortcuts(_keys(QKeySequence.StandardKey.Find, "Ctrl+F"))
        self.search_library_action = QAction(self)
        self.search_library_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.edit_menu = menu_bar.addMenu("")
        self._build_undo_actions()
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addAction(self.search_library_action)
        self.annotations_action = QAction(self)
        self.annotations_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.annotations_action)
        self.catalogs_action = QAction(self)
        self.catalogs_action.setShortcut(QKeySequence("Ctrl+L"))
        self.view_menu.addAction(self.catalogs_action)
        self._build_settings_and_help(menu_bar)

    def _build_file_menu(self, menu_bar: QMenuBar, sync_actions: Sequence[QAction]) -> None:
        """File: imports, the export of a book's annotations, the sync, switching person, Quit."""
        self.import_files_action = QAction(self)
        self.import_files_action.setShortcuts(_keys(QKeySequence.StandardKey.Open, "Ctrl+O"))
        self.import_folder_action = QAction(self)
        self.quit_action = QAction(self)
        self.quit_action.setShortcuts(_keys(QKeySequence.StandardKey.Quit, "Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.file_menu = menu_bar.addMenu("")
        self.file_menu.addAction(self.import_files_action)
        self.file_menu.addAction(self.import_folder_action)
        self.export_annotations_action = QAction(self)
        self.export_annotations_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_annotations_action.setEnabled(False)  # while a book's tab is current
        self.file_menu.addAction(self.export_annotations_action)
        self.file_menu.addSeparator()
        for action in sync_actions:
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        # back to "Who is reading?": the window closes for this person (app/ui/window/reception.py)
        self.switch_person_action = QAction(self)
        self.file_menu.addAction(self.switch_person_action)
        self.file_menu.addAction(self.quit_action)

    def _build_settings_and_help(self, menu_bar: QMenuBar) -> None:
        """The settings where the platform has them, then Help › About."""
        self.tools_menu: QMenu | None = None
        if self._settings_place == "tools":
            self.tools_menu = menu_bar.addMenu("")
            self.tools_menu.addAction(self.settings_action)
        else:
            self.edit_menu.addSeparator()
            self.edit_menu.addAction(self.settings_action)
        self.about_action = QAction(self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu = menu_bar.addMenu("")
        self.help_menu.addAction(self.about_action)

    def _build_undo_actions(self) -> None:
        """Undo and Redo of annotation edits, named after the step they undo or redo."""
        stack = self._stack
        self.undo_action = QAction(self)
        self.undo_action.setShortcuts(_keys(QKeySequence.StandardKey.Undo, "Ctrl+Z"))
        self.undo_action.triggered.connect(stack.undo)
        self.redo_action = QAction(self)
        redo_keys = _keys(QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z")
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.triggered.connect(stack.redo)

    def update_undo_actions(self) -> None:
        """Enable and name Undo and Redo after the stack (the window calls it when it moves)."""
        stack = self._stack
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        undo, redo = stack.undoText(), stack.redoText()
        self.undo_action.setText(
            ui_text("&Undo {action}").format(action=undo) if undo else ui_text("&Undo")
        )
        self.redo_action.setText(
            ui_text("&Redo {action}").format(action=redo) if redo else ui_text("&Redo")
        )

    def retranslate(self) -> None:
        """Set the menus' titles and the actions' texts in the current interface language."""
        menus: tuple[tuple[QMenu, str], ...] = (
            (self.file_menu, ui_text("&File")),
            (self.view_menu, ui_text("&View")),
            (self.edit_menu, ui_text("&Edit")),
        )
        for menu, title in menus:
            menu.setTitle(title)
        if self.tools_menu is not None:
            self.tools_menu.setTitle(ui_text("&Tools"))
        self.help_menu.setTitle(ui_text("&Help"))
        self.about_action.setText(ui_text("&About Mutolaa"))
        self.import_files_action.setText(ui_text("&Import files…"))
        self.import_folder_action.setText(ui_text("Import a &folder…"))
        self.quit_action.setText(ui_text("&Quit"))
        self.switch_person_action.setText(ui_text("S&witch person…"))
        self.full_screen_action.setText(ui_text("&Full screen"))
        if self._settings_place == "tools":
            self.settings_action.setText(ui_text("&Options…"))
        else:
            self.settings_action.setText(ui_text("Pr&eferences…"))
        self.find_action.setText(ui_text("&Find…"))
        self.search_library_action.setText(ui_text("&Search the library"))
        self.annotations_action.setText(ui_text("&Annotations…"))
        self.export_annotations_action.setText(ui_text("&Export annotations…"))
        self.update_undo_actions()
        self.catalogs_action.setText(ui_text("&Catalogues and downloads"))


def _keys(standard: QKeySequence.StandardKey, usual: str) -> list[QKeySequence]:
    """The platform's keys for a standard action, and ``usual`` if the platform lacks it.

    Some platforms bind nothing to Quit or Preferences; the usual key works everywhere.
    """
    keys = list(QKeySequence.keyBindings(standard))
    if QKeySequence(usual) not in keys:
        keys.insert(0, QKeySequence(usual))
    return keys
