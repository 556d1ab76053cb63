"""The "General" page of the settings: library folder, interface language, reading, page colours.

The page shows a copy of the settings (the library folder, the interface language, the reading
mode, the font size of reflowable books, the page colours and the default zoom) and gives them
back as edited (`edited`); the dialog saves them after OK. Nothing here touches the disk.

Given the open library's paths, the page says which folder is in use. A window started on a
folder of its own (``--library DIR`` or ``$MUTOLAA_HOME``) shows that folder, read-only: the
setting does not choose the folder of such a start.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.core.paths import Paths
from app.core.settings import FONT_SIZE_RANGE, LANGUAGE_CHOICES, READING_MODES, THEMES, Settings
from app.ui.common.i18n import LANGUAGES, ui_text


class NumberBox(QDoubleSpinBox):
    """A number without needless decimals: ``125 %`` and ``11 pt``, ``10.5 pt`` when it has one.

    Args:
        decimals: the most decimals a value may have.
        parent: the page.
    """

    def __init__(self, decimals: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(decimals)

    def textFromValue(self, value: float) -> str:
        locale = self.locale()
        text = locale.toString(value, "f", self.decimals()).replace(locale.groupSeparator(), "")
        point = locale.decimalPoint()
        return text.rstrip("0").removesuffix(point) if point in text else text


class GeneralPage(QWidget):
    """Library folder, interface language, reading mode, font size, page colours and zoom.

    Args:
        settings: the settings shown.
        parent: the dialog.
        paths: the open library's folders (None: no library open, nothing said of them).
    """

    def __init__(
        self, settings: Settings, parent: QWidget | None = None, *, paths: Paths | None = None
    ) -> None:
        super().__init__(parent)
        self._in_use = paths.data if paths is not None else None
        # a folder given at start holds everything, its settings too (app/core/paths.py)
        self.folder_given = paths is not None and paths.config == paths.data / "config"
        self.library_folder = QLineEdit(settings.library_folder, self)
        self.browse_button = QPushButton(self)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        if self.folder_given:
            self.library_folder.setText(str(self._in_use))
            self.library_folder.setReadOnly(True)
            self.browse_button.setEnabled(False)
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

        self.font_size = NumberBox(1, self)
        self.font_size.setRange(*FONT_SIZE_RANGE)
        self.font_size.setSingleStep(1)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(settings.font_size)

        self.theme = QComboBox(self)
        for theme in THEMES:
            self.theme.addItem("", theme)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))

        self.zoom = NumberBox(2, self)
        self.zoom.setRange(50, 400)
        self.zoom.setSingleStep(25)
        self.zoom.setSuffix(" %")
        self.zoom.setValue(settings.zoom * 100)

        self._labels: dict[str, QLabel] = {}
        self.form = QFormLayout(self)
        label = QLabel(self)
        label.setBuddy(self.library_folder)
        self._labels["folder"] = label
        self.form.addRow(label, folder_row)
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
            self.form.addRow(label, field)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.form.addRow(self.note)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
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
        self.note.setText(self._folder_note())

    def _folder_note(self) -> str:
        """What the note under the fields says of the library folder."""
        if self._in_use is None:
            return ui_text("The library folder applies at the next start.")
        if self.folder_given:
            return ui_text(
                "In use: {folder}, given when Mutolaa was started (--library or MUTOLAA_HOME);"
                " the setting does not choose the folder then."
            ).format(folder=self._in_use)
        return ui_text("In use: {folder}. Another folder applies at the next start.").format(
            folder=self._in_use
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_browse_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, ui_text("Library folder"))
        if folder:
            self.library_folder.setText(folder)

    def edited(self, settings: Settings) -> Settings:
        """``settings`` with the page's values in (those it does not show are kept)."""
        folder = settings.library_folder if self.folder_given else self.library_folder.text()
        return replace(
            settings,
            library_folder=folder.strip(),
            language=str(self.language.currentData() or ""),
            reading_mode=str(self.reading_mode.currentData() or "continuous"),
            font_size=self.font_size.value(),
            theme=str(self.theme.currentData() or "day"),
            zoom=self.zoom.value() / 100,
        )
