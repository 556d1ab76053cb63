"""The settings dialog: library location, interface language, reading, page colours, zoom;
and, given the library, its library servers (OPDS catalogues) and the sync account on pages
of their own."""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.settings import FONT_SIZE_RANGE, LANGUAGE_CHOICES, READING_MODES, THEMES, Settings
from app.services.session import Session
from app.ui.common.i18n import LANGUAGES, ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.settings.account_page import AccountPage
from app.ui.settings.library_servers_page import LibraryServersPage
from app.ui.sync.runner import SyncRunner


class SettingsDialog(QDialog):
    """Edits a copy of the settings; ``result_settings()`` gives them after OK.

    Given a library, a second page (``library_servers``) lists its library servers, whose
    changes are saved at once; their store work goes through ``runner`` (the window's queries
    runner; one of the page's own when None). Given a library and ``sync_runner`` (the window's),
    a third page (``account``) signs in to the library server that syncs the runner's profile,
    and out, and tells the runner when the account changed. Without a library there are no such
    pages (``library_servers`` and ``account`` are None); without a sync runner no ``account``.
    """

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        session: Session | None = None,
        runner: TaskRunner | None = None,
        sync_runner: SyncRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        general = QWidget(self)
        self.library_folder = QLineEdit(settings.library_folder, self)
        self.browse_button = QPushButton(self)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.library_folder)
        folder_row.addWidget(self.browse_button)

        self.language = QComboBox(self)
        for code in LANGUAGE_CHOICES:
            self.language.addItem(LANGUAGES.get(code, ""), code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))

        self.reading_mode = QComboBox(self)
        for mode in READING_MODES:
            self.reading_mode.addItem("", mode)
        self.reading_mode.setCurrentIndex(max(0, self.reading_mode.findData(settings.reading_mode)))

        self.font_size = QDoubleSpinBox(self)
        self.font_size.setRange(*FONT_SIZE_RANGE)
        self.font_size.setDecimals(1)
        self.font_size.setSingleStep(1)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(settings.font_size)

        self.theme = QComboBox(self)
        for theme in THEMES:
            self.theme.addItem("", theme)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))

        self.zoom = QDoubleSpinBox(self)
        self.zoom.setRange(50, 400)
        self.zoom.setSingleStep(25)
        self.zoom.setSuffix(" %")
        self.zoom.setValue(settings.zoom * 100)

        self._labels: dict[str, QLabel] = {}
        form = QFormLayout(general)
        label = QLabel(self)
        label.setBuddy(self.library_folder)
        self._labels["folder"] = label
        form.addRow(label, folder_row)
        fields: tuple[tuple[str, QWidget], ...] = (
            ("language", self.language),
            ("mode", self.reading_mode),
            ("font", self.font_size),
            ("theme", self.theme),
            ("zoom", self.zoom),
        )
        for key, field in fields:
            label = QLabel(self)
            label.setBuddy(field)
            self._labels[key] = label
            form.addRow(label, field)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        form.addRow(self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.library_servers: LibraryServersPage | None = None
        self.account: AccountPage | None = None
        self.pages: QTabWidget | None = None
        if session is None:
            form.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(general)
        else:
            self.library_servers = LibraryServersPage(session, runner, self)
            self.pages = QTabWidget(self)
            self.pages.addTab(general, "")
            self.pages.addTab(self.library_servers, "")
            if sync_runner is not None:
                self.account = AccountPage(
                    session,
                    runner,
                    self,
                    sync_runner=sync_runner,
                )
                self.pages.addTab(self.account, "")
            layout.addWidget(self.pages)
            self.resize(max(self.sizeHint().width(), 640), self.sizeHint().height())
        layout.addWidget(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.setWindowTitle(ui_text("Settings"))
        labels = {
            "folder": ui_text("Library folder"),
            "language": ui_text("Interface language"),
            "mode": ui_text("Reading mode"),
            "font": ui_text("Font size of EPUB, FB2, MOBI and TXT books"),
            "theme": ui_text("Page colours"),
            "zoom": ui_text("Default zoom"),
        }
        for key, label in self._labels.items():
            label.setText(labels[key])
        self.library_folder.setPlaceholderText(ui_text("The standard folder"))
        self.library_folder.setAccessibleName(labels["folder"])
        self.browse_button.setText(ui_text("Choose…"))
        self.browse_button.setAccessibleName(ui_text("Choose the library folder"))
        self.language.setItemText(0, ui_text("As the system"))
        self.language.setAccessibleName(labels["language"])
        modes = {
            "continuous": ui_text("Pages one under another"),
            "single": ui_text("One page at a time"),
        }
        for index, mode in enumerate(READING_MODES):
            self.reading_mode.setItemText(index, modes[mode])
        self.reading_mode.setAccessibleName(labels["mode"])
        self.font_size.setAccessibleName(labels["font"])
        names = {"day": ui_text("Day"), "night": ui_text("Night"), "sepia": ui_text("Sepia")}
        for index, theme in enumerate(THEMES):
            self.theme.setItemText(index, names[theme])
        self.theme.setAccessibleName(labels["theme"])
        self.zoom.setAccessibleName(labels["zoom"])
        self.note.setText(ui_text("The library folder applies at the next start."))
        if self.pages is not None:
            self.pages.setTabText(0, ui_text("General"))
            self.pages.setTabText(1, ui_text("Library servers"))
            if self.account is not None:
                self.pages.setTabText(self.pages.indexOf(self.account), ui_text("Account"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_browse_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, ui_text("Library folder"))
        if folder:
            self.library_folder.setText(folder)

    def finish_work(self, msecs: int = 30_000) -> bool:
        """Wait at most ``msecs`` in all for the pages' background work (a server test, a
        sign-in) to end: before the library closes. True when nothing runs any more."""
        deadline = time.monotonic() + msecs / 1000
        finished = True
        for page in (self.library_servers, self.account):
            if page is not None:
                left = max(0, round((deadline - time.monotonic()) * 1000))
                finished = page.finish_work(left) and finished
        return finished

    def result_settings(self) -> Settings:
        """The settings as edited (those the dialog does not show are kept)."""
        return replace(
            self._settings,
            library_folder=self.library_folder.text().strip(),
            language=str(self.language.currentData() or ""),
            reading_mode=str(self.reading_mode.currentData() or "continuous"),
            font_size=self.font_size.value(),
            theme=str(self.theme.currentData() or "day"),
            zoom=self.zoom.value() / 100,
        ).cleaned()
