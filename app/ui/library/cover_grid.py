"""The library as a grid of covers: thumbnails read and decoded in the background, a few kept.

Every thumbnail is a cover standing at the foot of a canvas of the same size (and the
placeholder is that size too), so the titles under the covers are on one line whatever the
covers' shapes.

The grid is painted by Qt's own item delegate from the covers a proxy model hands it: no
Python code runs per painted cell but ``data()``. (PySide6 6.12 on Python 3.11 loses a
reference to ``None`` on every call of a Qt method that returns nothing, so painting cells
in Python would bring the process down after some seconds of scrolling.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QIdentityProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from app.ui.common.lazy_images import ImageWork, LazyImages
from app.ui.common.tasks import TaskRunner
from app.ui.library.model import BOOK_ID_ROLE, FORMAT_COLUMN

log = logging.getLogger(__name__)

COVER_WIDTH = 120
COVER_HEIGHT = 160
CELL = QSize(COVER_WIDTH + 36, COVER_HEIGHT + 56)  # the cover, two lines of title, margins
FRAME = QColor(150, 150, 150)  # an edge for white pages on a white background
# Scaled thumbnails kept in memory (about 75 KB each): several screens of covers.
CACHE_COVERS = 300
# Covers read and decoded in one background task; the most recently shown go first.
BATCH = 24

CoverReader = Callable[[str], bytes | None]
Index = QModelIndex | QPersistentModelIndex


class CoverCache(LazyImages):
    """Cover thumbnails by book id, read from the library and decoded in the background.

    A `LazyImages` (see there): only the covers of rows on screen are read, ``BATCH`` at a time.
    """

    def __init__(
        self,
        read: CoverReader,
        runner: TaskRunner,
        *,
        limit: int = CACHE_COVERS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, limit=limit, batch=BATCH, what="covers", parent=parent)
        self._read = read

    def work(self, keys: list[str]) -> ImageWork:
        read, ratio = self._read, self.pixel_ratio
        return lambda: decode_covers(read, keys, ratio)


def decode_covers(read: CoverReader, book_ids: list[str], ratio: float) -> dict[str, QImage | None]:
    """Read the covers of these books and make framed thumbnails of them (in a worker thread).

    Each thumbnail is ``COVER_WIDTH`` × ``COVER_HEIGHT``: the framed cover, scaled to fit,
    centred at its foot on a transparent canvas (a cell places its title under the picture's
    own height: pictures of one size keep the titles on one line).

    Args:
        read: gives a book's cover as PNG bytes, or None.
        book_ids: the books.
        ratio: device pixels per logical pixel of the screen they are for.
    """
    room = QSize(round(COVER_WIDTH * ratio) - 2, round(COVER_HEIGHT * ratio) - 2)
    covers: dict[str, QImage | None] = {}
    for book_id in book_ids:
        data = read(book_id)
        image = QImage.fromData(data) if data else QImage()
        if image.isNull():
            covers[book_id] = None
            continue
        scaled = image.scaled(
            room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        canvas = QImage(room.width() + 2, room.height() + 2, QImage.Format.Format_ARGB32)
        canvas.fill(Qt.GlobalColor.transparent)
        left = (canvas.width() - scaled.width() - 2) // 2
        top = canvas.height() - scaled.height() - 2
        painter = QPainter(canvas)
        painter.fillRect(left, top, scaled.width() + 2, scaled.height() + 2, FRAME)
        painter.drawImage(left + 1, top + 1, scaled)
        painter.end()
        canvas.setDevicePixelRatio(ratio)
        covers[book_id] = canvas
    return covers


class CoverModel(QIdentityProxyModel):
    """The library model as the grid sees it: each book's cover as its decoration.

    A book whose cover is not in memory (yet, or at all) shows a plain rectangle naming
    its format. Every cell has the same size, given without asking for its cover.
    """

    def __init__(
        self,
        source: QAbstractItemModel,
        covers: CoverCache,
        placeholder: Callable[[str], QPixmap],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._covers = covers
        self._placeholder = placeholder
        self.setSourceModel(source)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        # the source's own data(), not QIdentityProxyModel's: a Qt method handing back an
        # empty value costs PySide6 6.12 a reference to None, and most roles are empty
        source = self._source
        row = index.row()
        if index.column() == 0:
            if role == Qt.ItemDataRole.DecorationRole:
                book_id = source.data(source.index(row, 0), BOOK_ID_ROLE)
                pixmap = self._covers.pixmap(book_id) if isinstance(book_id, str) else None
                if pixmap is None:
                    fmt = source.data(source.index(row, FORMAT_COLUMN))
                    return self._placeholder(str(fmt or ""))
                return pixmap
            if role == Qt.ItemDataRole.SizeHintRole:
                return CELL
        return source.data(source.index(row, index.column()), role)


class CoverGrid(QListView):
    """Books as covers with their titles under them, over the library's model.

    The grid shows the list's model (so its sort and filters) through a ``CoverModel``
    with the same rows. Covers are read only for the books painted, i.e. those on screen.
    """

    def __init__(
        self,
        model: QAbstractItemModel,
        runner: TaskRunner,
        read_cover: CoverReader,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.covers = CoverCache(read_cover, runner, parent=self)
        self.covers.pixel_ratio = self.devicePixelRatioF()
        self._placeholders: dict[str, QPixmap] = {}
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)  # the layout of 10,000 books asks one for its size
        self.setIconSize(QSize(COVER_WIDTH, COVER_HEIGHT))
        self.setGridSize(CELL)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.cover_model = CoverModel(model, self.covers, self._placeholder, self)
        self.setModel(self.cover_model)
        self.covers.covers_loaded.connect(self.viewport().update)

    def _placeholder(self, fmt: str) -> QPixmap:
        """A neutral rectangle naming the format, drawn once per format."""
        if fmt not in self._placeholders:
            ratio = self.devicePixelRatioF()
            pixmap = QPixmap(round(COVER_WIDTH * ratio), round(COVER_HEIGHT * ratio))
            pixmap.setDevicePixelRatio(ratio)
            palette = self.palette()
            pixmap.fill(palette.color(QPalette.ColorRole.Midlight))
            painter = QPainter(pixmap)
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawRect(0, 0, COVER_WIDTH - 1, COVER_HEIGHT - 1)
            if fmt:
                font = painter.font()
                font.setBold(True)
                font.setPointSizeF(font.pointSizeF() * 1.4)
                painter.setFont(font)
                painter.setPen(palette.color(QPalette.ColorRole.Dark))
                painter.drawText(0, 0, COVER_WIDTH, COVER_HEIGHT, Qt.AlignmentFlag.AlignCenter, fmt)
            painter.end()
            self._placeholders[fmt] = pixmap
        return self._placeholders[fmt]
