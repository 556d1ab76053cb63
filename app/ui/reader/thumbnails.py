"""Page thumbnails beside a book: a list model whose images are drawn only when shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QListView, QWidget

from app.ui.common.i18n import ui_text

THUMB_WIDTH = 96
Index = QModelIndex | QPersistentModelIndex


class ThumbnailModel(QAbstractListModel):
    """One row per page; the picture is asked from ``thumbnail_for`` when a row is shown.

    ``thumbnail_for(page)`` returns the image, or None while it is being drawn (the
    reader then calls ``thumbnail_ready``).
    """

    def __init__(self, thumbnail_for: Callable[[int], QImage | None], parent: Any = None) -> None:
        super().__init__(parent)
        self._thumbnail_for = thumbnail_for
        self._count = 0
        self._labels: tuple[str, ...] = ()
        self._blank = QImage()
        self._ratio = 1.3

    def set_pages(self, count: int, labels: tuple[str, ...], ratio: float) -> None:
        """The book's page count, labels and height-to-width ratio of its pages."""
        self.beginResetModel()
        self._count, self._labels = max(0, count), labels
        self._ratio = min(3.0, max(0.3, ratio))
        self._blank = QImage(
            THUMB_WIDTH, round(THUMB_WIDTH * self._ratio), QImage.Format.Format_RGB32
        )
        self._blank.fill(QColor(235, 235, 235))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Pages (a flat list)."""
        return 0 if parent.isValid() else self._count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The page's label, its picture, and a tooltip naming it."""
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        page = index.row()
        label = self._labels[page] if page < len(self._labels) and self._labels[page] else ""
        name = label or str(page + 1)
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.DecorationRole:
            image = self._thumbnail_for(page)
            return image if image is not None else self._blank
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return ui_text("Page {n}").format(n=name)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignHCenter
        return None

    def thumbnail_ready(self, page: int) -> None:
        """Show the picture of ``page`` that has just been drawn."""
        if 0 <= page < self._count:
            index = self.index(page)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    @property
    def ratio(self) -> float:
        """Height over width of the thumbnails."""
        return self._ratio


class ThumbnailList(QListView):
    """A column of page thumbnails; activating one goes to its page."""

    def __init__(self, model: ThumbnailModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setViewMode(QListView.ViewMode.IconMode)  # the label under the picture
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)  # only the rows on screen are measured and drawn
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setIconSize(QSize(THUMB_WIDTH, round(THUMB_WIDTH * 1.4)))
        self.setSpacing(4)
        self.setMinimumWidth(THUMB_WIDTH + 40)
        self.setAccessibleName(ui_text("Page thumbnails"))

    def set_ratio(self, ratio: float) -> None:
        """Make room for thumbnails of pages this tall for their width."""
        self.setIconSize(QSize(THUMB_WIDTH, round(THUMB_WIDTH * ratio)))
