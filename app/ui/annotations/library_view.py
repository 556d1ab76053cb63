"""Every annotation of the profile across the library, in a window of its own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.core.models import Annotation
from app.ui.annotations.editor import AnnotationEditor
from app.ui.annotations.panel import AnnotationsPanel
from app.ui.common.i18n import ui_text


class AnnotationsDialog(QDialog):
    """Bookmarks, highlights and notes of every book, grouped by book; filtered by colour,
    book and text; edited like a book's panel. Choosing one opens its book at its place
    (``open_annotation``).
    """

    def __init__(
        self,
        editor: AnnotationEditor,
        open_annotation: Callable[[Annotation], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, on=False)
        self.resize(820, 520)
        self._editor = editor
        self.panel = AnnotationsPanel(editor, by_book=True, parent=self)
        self.panel.chosen.connect(open_annotation)
        self.summary = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.panel.model.modelReset.connect(self._show_summary)
        editor.changed.connect(self._on_editor_changed)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        """Set every text in the interface language."""
        self.setWindowTitle(ui_text("Annotations in the library"))
        self._show_summary()

    def changeEvent(self, event: QEvent) -> None:
        """Take the new interface language when it is switched."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def reload(self) -> None:
        """Read every annotation again (in the background)."""
        self._editor.load_all(self._on_loaded)

    def _on_loaded(self, loaded: tuple[list[Annotation], dict[str, str]]) -> None:
        annotations, titles = loaded
        self.panel.show_annotations(annotations, titles)

    def _on_editor_changed(self, _books: frozenset[str]) -> None:
        if self.isVisible():
            self.reload()

    def _show_summary(self) -> None:
        shown = len(self.panel.model.rows())
        self.summary.setText(ui_text("{n} annotation(s) shown").format(n=shown))
