"""The settings dialog: library location, interface language, page colours, default zoom."""

from __future__ import annotations

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
    QWidget,
)

from app.core.settings import LANGUAGE_CHOICES, THEMES, Settings
from app.ui.i18n import LANGUAGES, ui_text


class SettingsDialog(QDialog):
    """Edits a copy of the settings; ``result_settings()`` gives them after OK."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(ui_text("Settings"))
        self.library_folder = QLineEdit(settings.library_folder, self)
        self.library_folder.setPlaceholderText(ui_text("The standard folder"))
        self.library_folder.setAccessibleName(ui_text("Library folder"))
        browse = QPushButton(ui_text("Choose…"), self)
        browse.clicked.connect(self._on_browse_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.library_folder)
        folder_row.addWidget(browse)

        self.language = QComboBox(self)
        self.language.setAccessibleName(ui_text("Interface language"))
        for code in LANGUAGE_CHOICES:
            self.language.addItem(LANGUAGES.get(code, ui_text("As the system")), code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))

        self.theme = QComboBox(self)
        self.theme.setAccessibleName(ui_text("Page colours"))
        names = {"day": ui_text("Day"), "night": ui_text("Night"), "sepia": ui_text("Sepia")}
        for theme in THEMES:
            self.theme.addItem(names[theme], theme)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))

        self.zoom = QDoubleSpinBox(self)
        self.zoom.setAccessibleName(ui_text("Default zoom"))
        self.zoom.setRange(50, 400)
        self.zoom.setSingleStep(25)
        self.zoom.setSuffix(" %")
        self.zoom.setValue(settings.zoom * 100)

        form = QFormLayout(self)
        form.addRow(ui_text("Library folder"), folder_row)
        form.addRow(ui_text("Interface language"), self.language)
        form.addRow(ui_text("Page colours"), self.theme)
        form.addRow(ui_text("Default zoom"), self.zoom)
        note = QLabel(ui_text("The library folder and the language apply at the next start."))
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, ui_text("Library folder"))
        if folder:
            self.library_folder.setText(folder)

    def result_settings(self) -> Settings:
        """The settings as edited."""
        return Settings(
            library_folder=self.library_folder.text().strip(),
            language=str(self.language.currentData() or ""),
            theme=str(self.theme.currentData() or "day"),
            zoom=self.zoom.value() / 100,
        ).cleaned()
