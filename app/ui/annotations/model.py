"""The list of annotations shown in a book's panel and in the library-wide view.

A two-level tree: in a book's panel the placed annotations are the top rows and the
detached ones (whose text could not be found again) are listed apart under a group row;
across the library every book is a group row holding its annotations. A highlight's note
(an annotation of its own, ``parent_id`` = the highlight) is shown on the highlight's row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from app.core.models import HIGHLIGHT_COLORS, HIGHLIGHT_RGB8, Annotation, AnnotationKind
from app.core.textfold import fold
from app.ui.common.i18n import ui_text

Index = QModelIndex | QPersistentModelIndex

#: How each highlight colour is drawn (opaque; pages show it translucent).
COLORS = {name: QColor(*rgb) for name, rgb in HIGHLIGHT_RGB8.items()}
NOTE_COLOR = QColor(255, 170, 0)
BOOKMARK_COLOR = QColor(220, 50, 50)
KIND, PAGE, QUOTE, NOTE = range(4)
COLUMNS = 4
NO_GROUP = 0  # internal id of a top-level index; a child's is its group's row + 1


def color_of(name: str) -> QColor:
    """The colour a highlight colour name stands for (yellow when unknown)."""
    return QColor(COLORS.get(name, COLORS[HIGHLIGHT_COLORS[0]]))


def color_title(name: str) -> str:
    """A highlight colour's name in the interface language."""
    titles = {
        "yellow": ui_text("Yellow"),
        "green": ui_text("Green"),
        "blue": ui_text("Blue"),
        "pink": ui_text("Pink"),
        "orange": ui_text("Orange"),
    }
    return titles.get(name, name)


def kind_title(kind: AnnotationKind) -> str:
    """An annotation kind in the interface language."""
    if kind is AnnotationKind.BOOKMARK:
        return ui_text("Bookmark")
    if kind is AnnotationKind.NOTE:
        return ui_text("Note")
    return ui_text("Highlight")


def column_titles() -> tuple[str, ...]:
    """The column headers in the interface language."""
    return (ui_text("Kind"), ui_text("Page"), ui_text("Quote"), ui_text("Note"))


@dataclass
class _Group:
    """A group row and the annotations under it (``title`` None: no group row; its
    annotations are top-level rows)."""

    key: str
    title: str | None
    rows: list[Annotation] = field(default_factory=list)


class AnnotationModel(QAbstractItemModel):
    """Annotations as a tree: groups of rows, with kind and colour, page, quote and note.

    Args:
        by_book: group by book (the library-wide view) instead of placed/detached.

    Signals:
        note_edited(object, str): the note column of an annotation was edited in place
            (the owner saves it; the list changes once the store has it).
    """

    note_edited = Signal(object, str)

    def __init__(self, *, by_book: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._by_book = by_book
        self._all: list[Annotation] = []
        self._notes: dict[str, Annotation] = {}  # highlight id -> its note
        self._titles: dict[str, str] = {}
        self._groups: list[_Group] = []  # what is shown, filtered
        self._top: list[tuple[_Group, Annotation | None]] = []  # top-level rows
        self._color = ""
        self._text = ""
        self._book = ""
        # the page shown for an annotation; the reader gives the page in its layout
        self.page_text: Callable[[Annotation], str] = lambda a: str(a.anchor.page + 1)

    # --- content ---------------------------------------------------------------------------

    def set_annotations(
        self, annotations: list[Annotation], titles: dict[str, str] | None = None
    ) -> None:
        """Show ``annotations`` (live ones, in their order); ``titles`` of their books."""
        self._all = list(annotations)
        if titles is not None:
            self._titles = dict(titles)
        live = {a.id for a in self._all}
        self._notes = {}
        for item in self._all:
            if item.kind is AnnotationKind.NOTE and item.parent_id in live:
                self._notes.setdefault(item.parent_id, item)
        self._rebuild()

    def set_filter(self, color: str = "", text: str = "", book: str = "") -> None:
        """Show only annotations of ``color`` / holding ``text`` (folded) / of ``book``."""
        self._color, self._text, self._book = color, fold(text.strip()), book
        self._rebuild()

    def refresh_pages(self) -> None:
        """The pages shown changed (the book was laid out again)."""
        if self._top:
            self.dataChanged.emit(self.index(0, PAGE), self.index(len(self._top) - 1, PAGE))
        for row, (group, _item) in enumerate(self._top):
            if group.title is not None and group.rows:
                parent = self.index(row, 0)
                self.dataChanged.emit(
                    self.index(0, PAGE, parent), self.index(len(group.rows) - 1, PAGE, parent)
                )

    def _shown(self, item: Annotation) -> bool:
        if self._color and item.color != self._color:
            return False
        if self._book and item.book_id != self._book:
            return False
        if self._text:
            note = self._notes.get(item.id)
            words = f"{item.quote} {item.body} {note.body if note else ''}"
            if self._text not in fold(words):
                return False
        return True

    def _rebuild(self) -> None:
        self.beginResetModel()
        ids = {a.id for a in self._all}
        shown = [
            a
            for a in self._all
            if not (a.kind is AnnotationKind.NOTE and a.parent_id in ids) and self._shown(a)
        ]
        groups: list[_Group] = []
        if self._by_book:
            by_book: dict[str, _Group] = {}
            for item in shown:
                if item.book_id not in by_book:
                    title = self._titles.get(item.book_id) or item.book_id[:10]
                    by_book[item.book_id] = _Group(item.book_id, title)
                    groups.append(by_book[item.book_id])
                by_book[item.book_id].rows.append(item)
        else:
            placed = _Group("placed", None, [a for a in shown if not a.detached])
            detached = _Group("detached", ui_text("Detached"), [a for a in shown if a.detached])
            groups = [placed] + ([detached] if detached.rows else [])
        self._groups = groups
        self._top = []
        for group in groups:
            if group.title is None:
                self._top += [(group, item) for item in group.rows]
            else:
                self._top.append((group, None))
        self.endResetModel()

    # --- reading ---------------------------------------------------------------------------

    def annotation(self, index: Index) -> Annotation | None:
        """The annotation of a row (None for a group row)."""
        if not index.isValid():
            return None
        group_row = int(index.internalId())
        if group_row == NO_GROUP:
            return self._top[index.row()][1]
        group = self._top[group_row - 1][0]
        return group.rows[index.row()]

    def note_of(self, annotation: Annotation) -> Annotation | None:
        """The note attached to a highlight, if any."""
        return self._notes.get(annotation.id)

    def find(self, annotation_id: str) -> QModelIndex:
        """The index of an annotation's row (invalid when it is not shown)."""
        for row, (group, item) in enumerate(self._top):
            if item is not None and item.id == annotation_id:
                return self.index(row, 0)
            if item is None:
                for child, inner in enumerate(group.rows):
                    if inner.id == annotation_id:
                        return self.index(child, 0, self.index(row, 0))
        return QModelIndex()

    def rows(self) -> list[Annotation]:
        """Every annotation shown, top to bottom (group rows left out)."""
        found: list[Annotation] = []
        for group, item in self._top:
            found += [item] if item is not None else group.rows
        return found

    def detached(self) -> list[Annotation]:
        """The annotations listed apart as detached (a book's panel)."""
        return [a for g in self._groups if g.key == "detached" for a in g.rows]

    # --- QAbstractItemModel ------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, NO_GROUP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        group_row = int(child.internalId())
        if group_row == NO_GROUP:
            return QModelIndex()
        return self.createIndex(group_row - 1, 0, NO_GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._top)
        if parent.column() != 0 or int(parent.internalId()) != NO_GROUP:
            return 0
        group, item = self._top[parent.row()]
        return len(group.rows) if item is None else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return COLUMNS

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == NOTE and self.annotation(index) is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < COLUMNS
        ):
            return column_titles()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.annotation(index)
        if item is None:
            return self._group_data(index, role)
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text_of(item, column, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.ToolTipRole and column in (QUOTE, NOTE):
            return self._text_of(item, column, True) or None
        if role == Qt.ItemDataRole.DecorationRole and column == KIND:
            if item.kind is AnnotationKind.HIGHLIGHT:
                return color_of(item.color)
            return BOOKMARK_COLOR if item.kind is AnnotationKind.BOOKMARK else NOTE_COLOR
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and column == KIND:
            return color_title(item.color) if item.color else None
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None

    def _group_data(self, index: Index, role: int) -> Any:
        group = self._top[index.row()][0]
        if index.column() != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{group.title} ({len(group.rows)})"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text_of(self, item: Annotation, column: int, whole: bool) -> str:
        if column == KIND:
            return kind_title(item.kind)
        if column == PAGE:
            return self.page_text(item)
        if column == QUOTE:
            return item.quote if whole else " ".join(item.quote.split())
        note = self._notes.get(item.id)
        text = note.body if note is not None else item.body
        return text if whole else " ".join(text.split())

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.annotation(index)
        if item is None or index.column() != NOTE or role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value)
        if text != self._text_of(item, NOTE, True):
            self.note_edited.emit(item, text)
        return True
