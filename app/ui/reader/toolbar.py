"""The controls above an open book; each part of the reader connects the ones it owns."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from app.ui.common.fitting import fit_placeholder
from app.ui.common.i18n import ui_text
from app.ui.reader.page_box import PageBox


class ReaderToolbar(QWidget):
    """Page, zoom, font size, panels, mode, colours, rotation, fit, annotation and find
    controls.

    The font size buttons show only for reflowable books; the annotation buttons only when
    the reader can save annotations (``show_annotations``). Texts follow the interface
    language (``changeEvent``); the labels whose text depends on the book are set by the
    reader (page count), its find (matches) and its zoom.
    """

    def __init__(self, reflowable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contents_button = self._tool("☰", checkable=True)
        self.thumbnails_button = self._tool("▦", checkable=True)
        self.annotations_button = self._tool("✎", checkable=True)
        self.previous_button = self._tool("◀")
        self.page_box = PageBox(self)
        self.count_label = QLabel(self)
        self.next_button = self._tool("▶")
        self.zoom_out_button = self._tool("−")
        self.zoom_label = QLabel(self)
        self.zoom_in_button = self._tool("+")
        self.smaller_font_button = self._tool("A−")
        self.larger_font_button = self._tool("A+")
        for button in (self.smaller_font_button, self.larger_font_button):
            button.setVisible(reflowable)
        self.mode_button = self._tool("⇕", checkable=True)
        self.theme_button = self._tool("◐")
        self.rotate_button = self._tool("↻")
        self.fit_width_button = self._tool("↔")
        self.fit_page_button = self._tool("⤢")
        # click: highlight in the last colour; the arrow: choose another colour
        self.highlight_button = self._tool("")
        self.highlight_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.note_button = self._tool("✉")
        self.bookmark_button = self._tool("⚑")
        self.show_annotations(False)
        self.find_box = QLineEdit(self)
        self.find_box.setClearButtonEnabled(True)
        self.find_previous_button = self._tool("↑")
        self.find_next_button = self._tool("↓")
        self.find_status = QLabel(self)

        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        controls: tuple[QWidget, ...] = (
            self.contents_button,
            self.thumbnails_button,
            self.annotations_button,
            self.previous_button,
            self.page_box,
            self.count_label,
            self.next_button,
            self.zoom_out_button,
            self.zoom_label,
            self.zoom_in_button,
            self.smaller_font_button,
            self.larger_font_button,
            self.mode_button,
            self.theme_button,
            self.rotate_button,
            self.fit_width_button,
            self.fit_page_button,
            self.highlight_button,
            self.note_button,
            self.bookmark_button,
        )
        for control in controls:
            bar.addWidget(control)
        bar.addStretch(1)
        for control in (
            self.find_box,
            self.find_previous_button,
            self.find_next_button,
            self.find_status,
        ):
            bar.addWidget(control)
        self.retranslate()

    def _tool(self, text: str, *, checkable: bool = False) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setCheckable(checkable)
        return button

    def show_annotations(self, shown: bool) -> None:
        """Show or hide the buttons that make and list annotations."""
        for button in (
            self.annotations_button,
            self.highlight_button,
            self.note_button,
            self.bookmark_button,
        ):
            button.setVisible(shown)

    def retranslate(self) -> None:
        """Set every text in the interface language (again after a language switch)."""
        named = (
            (self.previous_button, ui_text("Previous page")),
            (self.next_button, ui_text("Next page")),
            (self.zoom_out_button, ui_text("Zoom out")),
            (self.zoom_in_button, ui_text("Zoom in")),
            (self.smaller_font_button, ui_text("Smaller text")),
            (self.larger_font_button, ui_text("Larger text")),
            (self.contents_button, ui_text("Table of contents")),
            (self.thumbnails_button, ui_text("Page thumbnails")),
            (self.annotations_button, ui_text("Annotations")),
            (self.highlight_button, ui_text("Highlight the selected text")),
            (self.note_button, ui_text("Add a note")),
            (self.bookmark_button, ui_text("Bookmark this page")),
            (self.mode_button, ui_text("Continuous scrolling")),
            (self.theme_button, ui_text("Day, night or sepia")),
            (self.rotate_button, ui_text("Rotate the page")),
            (self.fit_width_button, ui_text("Fit width")),
            (self.fit_page_button, ui_text("Fit page")),
            (self.find_previous_button, ui_text("Previous match")),
            (self.find_next_button, ui_text("Next match")),
        )
        for button, name in named:
            button.setToolTip(name)
            button.setAccessibleName(name)
        self.page_box.setAccessibleName(ui_text("Page number"))
        self.find_box.setPlaceholderText(ui_text("Find in this book"))
        self.find_box.setAccessibleName(ui_text("Find in this book"))
        fit_placeholder(self.find_box)

    def changeEvent(self, event: QEvent) -> None:
        """Take the new interface language when it is switched."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
