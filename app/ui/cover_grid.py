"""The library as a grid of covers: thumbnails read and decoded in the background, a few kept.

The grid is painted by Qt's own item delegate from the covers a proxy model hands it: no
Python code runs per painted cell but ``data()``. (PySide6 6.12 on Python 3.11 loses a
reference to ``None`` on every call of a Qt method that returns nothing, so painting cells
in Python would bring the process down after some seconds of scrolling.)
"""

from __future__ import annotations

import logging
from collections import OrderedDict
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
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from app.ui.library_model import BOOK_ID_ROLE, FORMAT_COLUMN
from app.ui.tasks import TaskRunner

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


class CoverCache(QObject):
    """Cover thumbnails by book id, read and decoded on the task runner, a bounded number kept.

    ``pixmap()`` answers from memory at once; a cover it does not hold is asked for, and
    ``covers_loaded`` tells when a batch has arrived. Only the covers asked for since the
    last batch are read (at most ``BATCH`` of them, the latest first), so covers of rows
    scrolled past are never read: a view asks again for what it still shows when it
    repaints. The PNG is decoded and scaled into a QImage in the worker thread; the UI
    thread only turns it into a QPixmap.
    """

    covers_loaded = Signal()

    def __init__(
        self,
        read: CoverReader,
        runner: TaskRunner,
        *,
        limit: int = CACHE_COVERS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._read = read
        self._runner = runner
        self._limit = limit
        self._pixmaps: OrderedDict[str, QPixmap | None] = OrderedDict()  # None: no cover
        self._wanted: OrderedDict[str, None] = OrderedDict()
        self._in_flight: set[str] = set()
        self._generation = 0
        self.pixel_ratio = 1.0
        self._timer = QTimer(self)  # gathers the requests of one repaint into one task
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._load)

    def pixmap(self, book_id: str) -> QPixmap | None:
        """The thumbnail of a book; None while it is being read or when the book has none."""
        if book_id in self._pixmaps:
            self._pixmaps.move_to_end(book_id)
            return self._pixmaps[book_id]
        if book_id not in self._in_flight:
            self._wanted[book_id] = None
            self._wanted.move_to_end(book_id)
            if not self._in_flight and not self._timer.isActive():
                self._timer.start()
        return None

    def forget(self, book_ids: set[str] | None = None) -> None:
        """Drop thumbnails (of these books, or all) so that they are read again."""
        if book_ids is None:
            self._pixmaps.clear()
            self._generation += 1
            return
        for book_id in book_ids:
            self._pixmaps.pop(book_id, None)

    def __contains__(self, book_id: object) -> bool:
        """True when the book's cover (or the fact that it has none) is in memory."""
        return book_id in self._pixmaps

    def _load(self) -> None:
        if self._in_flight or not self._wanted:
            return
        batch = list(self._wanted)[-BATCH:]
        self._wanted.clear()
        self._in_flight = set(batch)
        generation = self._generation
        read = self._read
        ratio = self.pixel_ratio
        self._runner.submit(
            lambda: decode_covers(read, batch, ratio),
            lambda covers: self._on_loaded(generation, covers),
            lambda error: self._on_failed(generation, batch, error),
        )

    def _on_loaded(self, generation: int, covers: dict[str, QImage | None]) -> None:
        self._in_flight.clear()
        if generation == self._generation:
            for book_id, image in covers.items():
                self._pixmaps[book_id] = None if image is None else QPixmap.fromImage(image)
                self._pixmaps.move_to_end(book_id)
            while len(self._pixmaps) > self._limit:
                self._pixmaps.popitem(last=False)
        self.covers_loaded.emit()  # also after a forget(): the view asks again
        if self._wanted:
            self._timer.start()

    def _on_failed(self, generation: int, batch: list[str], error: BaseException) -> None:
        log.warning("covers could not be read: %s", error)
        # placeholders for these books until the covers are forgotten: no retry loop
        self._on_loaded(generation, dict.fromkeys(batch))


def decode_covers(read: CoverReader, book_ids: list[str], ratio: float) -> dict[str, QImage | None]:
    """Read the covers of these books and make framed thumbnails of them (in a worker thread).

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
        framed = QImage(scaled.width() + 2, scaled.height() + 2, QImage.Format.Format_RGB32)
        framed.fill(FRAME)
        painter = QPainter(framed)
        painter.drawImage(1, 1, scaled)
        painter.end()
        framed.setDevicePixelRatio(ratio)
        covers[book_id] = framed
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
