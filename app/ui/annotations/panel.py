"""A list of annotations with filters, a context menu and keys.

It is a book's side panel, and the body of the library-wide view.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core.models import HIGHLIGHT_COLORS, Annotation, AnnotationKind
from app.ui.annotations.editor import AnnotationEditor
from app.ui.annotations.model import (
    KIND,
    NOTE,
    PAGE,
    QUOTE,
    AnnotationModel,
    color_of,
    color_title,
)
from app.ui.common.i18n import ui_text


def swatch(name: str) -> QIcon:
    """A small square of a highlight colour."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(color_of(name))
    return QIcon(pixmap)


class AnnotationsPanel(QWidget):
    """Annotations listed with kind, colour, page, quote and note; filtered by colour and
    text (and by book across the library); edited from a context menu and keys.

    Return or a double click goes to the annotation (``chosen``); F2 edits the note (a
    bookmark's name); Delete deletes. Every change goes through the editor's undo stack.

    Signals:
        chosen(object): the annotation to go to.
    """

    chosen = Signal(object)

    def __init__(
        self,
        editor: AnnotationEditor,
        *,
        by_book: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self.model = AnnotationModel(by_book=by_book, parent=self)
        self.model.note_edited.connect(self._on_model_note_edited)
        self.color_filter = QComboBox(self)
        self.color_filter.addItem("", "")
        for name in HIGHLIGHT_COLORS:
            self.color_filter.addItem(swatch(name), "", name)
        self.color_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.book_filter = QComboBox(self)
        self.book_filter.setVisible(by_book)
        self.book_filter.addItem("", "")
        self.book_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.text_filter = QLineEdit(self)
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.textChanged.connect(self._on_filter_changed)

        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setUniformRowHeights(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
        self.view.activated.connect(self._on_view_activated)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        for column, mode in (
            (KIND, QHeaderView.ResizeMode.ResizeToContents),
            (PAGE, QHeaderView.ResizeMode.ResizeToContents),
            (QUOTE, QHeaderView.ResizeMode.Stretch),
            (NOTE, QHeaderView.ResizeMode.Stretch),
        ):
            header.setSectionResizeMode(column, mode)
        self.model.modelReset.connect(self._on_model_reset)

        self.go_action = self._action(self._on_go_action_triggered)
        self.edit_action = self._action(self.edit_current, QKeySequence(Qt.Key.Key_F2))
        self.delete_action = self._action(
            self.delete_selected, QKeySequence(QKeySequence.StandardKey.Delete)
        )
        self.color_actions = {
            name: self._action(lambda _on=False, n=name: self.recolor_selected(n))
            for name in HIGHLIGHT_COLORS
        }
        for name, action in self.color_actions.items():
            action.setIcon(swatch(name))

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.color_filter)
        filters.addWidget(self.book_filter, 1)
        filters.addWidget(self.text_filter, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        self.retranslate()

    def _action(self, slot: object, key: QKeySequence | None = None) -> QAction:
        action = QAction(self)
        action.triggered.connect(slot)
        if key is not None:
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.view.addAction(action)
        return action

    def retranslate(self) -> None:
        """Set every text in the interface language."""
        self.color_filter.setItemText(0, ui_text("All colours"))
        for number, name in enumerate(HIGHLIGHT_COLORS, start=1):
            self.color_filter.setItemText(number, color_title(name))
        self.book_filter.setItemText(0, ui_text("All books"))
        self.color_filter.setAccessibleName(ui_text("Show annotations of a colour"))
        self.book_filter.setAccessibleName(ui_text("Show annotations of a book"))
        self.text_filter.setPlaceholderText(ui_text("Filter annotations"))
        self.text_filter.setAccessibleName(ui_text("Filter annotations"))
        self.view.setAccessibleName(ui_text("Annotations"))
        self.go_action.setText(ui_text("&Go to"))
        self.edit_action.setText(ui_text("&Edit note…"))
        self.delete_action.setText(ui_text("&Delete"))
        for name, action in self.color_actions.items():
            action.setText(color_title(name))

    def changeEvent(self, event: QEvent) -> None:
        """Take the new interface language when it is switched."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, NOTE)
        super().changeEvent(event)

    # --- content ---------------------------------------------------------------------------

    def show_annotations(
        self, annotations: list[Annotation], titles: dict[str, str] | None = None
    ) -> None:
        """List ``annotations`` (and offer their books, ``titles``, in the book filter);
        the selected rows stay selected."""
        selected = {a.id for a in self.selected()}
        current = self.model.annotation(self.view.currentIndex())
        self.model.set_annotations(annotations, titles)
        if titles is not None:
            self._fill_books(titles)
        for annotation_id in selected:
            index = self.model.find(annotation_id)
            if index.isValid():
                self.view.selectionModel().select(
                    index,
                    self.view.selectionModel().SelectionFlag.Select
                    | self.view.selectionModel().SelectionFlag.Rows,
                )
        if current is not None:
            index = self.model.find(current.id)
            if index.isValid():
                self.view.selectionModel().setCurrentIndex(
                    index, self.view.selectionModel().SelectionFlag.NoUpdate
                )

    def _on_model_reset(self) -> None:
        """Group rows (a book, the detached ones) span the whole width; all are open."""
        for row in range(self.model.rowCount()):
            if self.model.annotation(self.model.index(row, 0)) is None:
                self.view.setFirstColumnSpanned(row, QModelIndex(), True)
        self.view.expandAll()

    def _fill_books(self, titles: dict[str, str]) -> None:
        chosen = self.book_filter.currentData()
        self.book_filter.blockSignals(True)
        while self.book_filter.count() > 1:
            self.book_filter.removeItem(1)
        for book_id, title in sorted(titles.items(), key=lambda item: item[1].casefold()):
            self.book_filter.addItem(title, book_id)
        found = self.book_filter.findData(chosen)
        self.book_filter.setCurrentIndex(max(0, found))
        self.book_filter.blockSignals(False)
        if found < 0 and chosen:
            self._on_filter_changed()

    def _on_filter_changed(self) -> None:
        self.model.set_filter(
            str(self.color_filter.currentData() or ""),
            self.text_filter.text(),
            str(self.book_filter.currentData() or ""),
        )

    def selected(self) -> list[Annotation]:
        """The annotations of the selected rows (the current row when none is selected)."""
        found: list[Annotation] = []
        for index in self.view.selectionModel().selectedRows():
            item = self.model.annotation(index)
            if item is not None and item not in found:
                found.append(item)
        if not found:
            current = self.model.annotation(self.view.currentIndex())
            if current is not None:
                found.append(current)
        return found

    # --- acting ----------------------------------------------------------------------------

    def _on_view_activated(self, index: QModelIndex) -> None:
        item = self.model.annotation(index)
        if item is not None:
            self.chosen.emit(item)

    def _on_go_action_triggered(self) -> None:
        items = self.selected()
        if items:
            self.chosen.emit(items[0])

    def edit_current(self) -> None:
        """Edit the note (a bookmark's name) of the current row in place."""
        index = self.view.currentIndex()
        if self.model.annotation(index) is None:
            return
        note = index.siblingAtColumn(NOTE)
        self.view.setCurrentIndex(note)
        self.view.edit(note)

    def _on_model_note_edited(self, annotation: Annotation, text: str) -> None:
        self._editor.set_text(annotation, self.model.note_of(annotation), text)

    def delete_selected(self) -> None:
        """Delete the selected annotations (each one undoable)."""
        for item in self.selected():
            self._editor.delete(item)

    def recolor_selected(self, color: str) -> None:
        """Give the selected highlights (and page notes) another colour."""
        for item in self.selected():
            if item.kind is not AnnotationKind.BOOKMARK:
                self._editor.set_color(item, color)

    def context_menu(self) -> QMenu:
        """The menu of the selected rows (shown by a right click; tests read it)."""
        menu = QMenu(self)
        items = self.selected()
        for action in (self.go_action, self.edit_action, self.delete_action):
            action.setEnabled(bool(items))
        menu.addAction(self.go_action)
        menu.addAction(self.edit_action)
        colours = menu.addMenu(ui_text("&Colour"))
        for action in self.color_actions.values():
            colours.addAction(action)
        colours.setEnabled(any(a.kind is not AnnotationKind.BOOKMARK for a in items))
        menu.addSeparator()
        menu.addAction(self.delete_action)
        return menu

    def _on_view_context_menu_requested(self, point: QPoint) -> None:
        menu = self.context_menu()
        menu.popup(self.view.viewport().mapToGlobal(point))
