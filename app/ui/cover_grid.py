"""The library as a grid of covers: thumbnails read and decoded in the background, a few kept."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QImage, QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.ui.library_model import BOOK_ID_ROLE, FORMAT_COLUMN
from app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

COVER_WIDTH = 120
COVER_HEIGHT = 160
MARGIN = 6
TITLE_LINES = 2
# Scaled thumbnails kept in memory (about 75 KB each): several screens of covers.
CACHE_COVERS = 300
# Covers read and decoded in one background task; the most recently painted go first.
BATCH = 24

CoverReader = Callable[[str], bytes | None]
Index = QModelIndex | QPersistentModelIndex


class CoverCache(QObject):
    """Cover thumbnails by book id, read and decoded on the task runner, a bounded number kept.

    ``image()`` answers from memory at once; a cover it does not hold is asked for, and
    ``covers_loaded`` tells when a batch has arrived. Only the covers asked for since the
    last batch are read (at most ``BATCH`` of them, the latest first), so covers of rows
    scrolled past are never read: a view asks again for what it still shows when it
    repaints. The PNG is decoded and scaled into a QImage in the worker thread (QPixmap
    is for the UI thread only).
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
        self._images: OrderedDict[str, QImage | None] = OrderedDict()  # None: no cover
        self._wanted: OrderedDict[str, None] = OrderedDict()
        self._in_flight: set[str] = set()
        self._generation = 0
        self.pixel_ratio = 1.0
        self._timer = QTimer(self)  # gathers the requests of one repaint into one task
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._load)

    def image(self, book_id: str) -> QImage | None:
        """The thumbnail of a book; None while it is being read or when the book has none."""
        if book_id in self._images:
            self._images.move_to_end(book_id)
            return self._images[book_id]
        if book_id not in self._in_flight:
            self._wanted[book_id] = None
            self._wanted.move_to_end(book_id)
            if not self._in_flight:
                self._timer.start()
        return None

    def forget(self, book_ids: set[str] | None = None) -> None:
        """Drop thumbnails (of these books, or all) so that they are read again."""
        if book_ids is None:
            self._images.clear()
            self._generation += 1
            return
        for book_id in book_ids:
            self._images.pop(book_id, None)

    def __contains__(self, book_id: object) -> bool:
        """True when the book's cover (or the fact that it has none) is in memory."""
        return book_id in self._images

    def __len__(self) -> int:
        return len(self._images)

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
                self._images[book_id] = image
                self._images.move_to_end(book_id)
            while len(self._images) > self._limit:
                self._images.popitem(last=False)
        self.covers_loaded.emit()  # also after a forget(): the view asks again
        if self._wanted:
            self._timer.start()

    def _on_failed(self, generation: int, batch: list[str], error: BaseException) -> None:
        log.warning("covers could not be read: %s", error)
        # placeholders for these books until the covers are forgotten: no retry loop
        self._on_loaded(generation, dict.fromkeys(batch))


def decode_covers(read: CoverReader, book_ids: list[str], ratio: float) -> dict[str, QImage | None]:
    """Read the covers of these books and scale them to thumbnails (in a worker thread).

    Args:
        read: gives a book's cover as PNG bytes, or None.
        book_ids: the books.
        ratio: device pixels per logical pixel of the screen they are for.
    """
    size = QSize(round(COVER_WIDTH * ratio), round(COVER_HEIGHT * ratio))
    covers: dict[str, QImage | None] = {}
    for book_id in book_ids:
        data = read(book_id)
        image = QImage.fromData(data) if data else QImage()
        if image.isNull():
            covers[book_id] = None
            continue
        thumbnail = image.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        thumbnail.setDevicePixelRatio(ratio)
        covers[book_id] = thumbnail
    return covers


class CoverDelegate(QStyledItemDelegate):
    """Draws a book as its cover (or a plain rectangle naming its format) over its title."""

    def __init__(self, covers: CoverCache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._covers = covers

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = option.fontMetrics.height()
        return QSize(COVER_WIDTH + 4 * MARGIN, COVER_HEIGHT + 3 * MARGIN + TITLE_LINES * line)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        rect: QRect = opt.rect
        state = opt.state
        palette: QPalette = opt.palette
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        cover = QRect(
            rect.x() + (rect.width() - COVER_WIDTH) // 2,
            rect.y() + MARGIN,
            COVER_WIDTH,
            COVER_HEIGHT,
        )
        book_id = index.data(BOOK_ID_ROLE)
        image = self._covers.image(book_id) if isinstance(book_id, str) else None
        painter.save()
        if image is not None:
            ratio = image.devicePixelRatio()
            width, height = image.width() / ratio, image.height() / ratio
            # standing on the bottom line of the cover space, like books on a shelf
            target = QRectF(
                cover.x() + (cover.width() - width) / 2,
                cover.y() + cover.height() - height,
                width,
                height,
            )
            painter.drawImage(target, image)
            painter.setPen(palette.color(QPalette.ColorRole.Mid))  # white pages need an edge
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(target.adjusted(0, 0, -1, -1))
        else:
            self._paint_placeholder(
                painter, cover, palette, str(index.sibling(index.row(), FORMAT_COLUMN).data() or "")
            )
        selected = bool(state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        metrics = opt.fontMetrics
        title_rect = QRect(
            rect.x() + MARGIN,
            cover.bottom() + MARGIN,
            rect.width() - 2 * MARGIN,
            TITLE_LINES * metrics.height(),
        )
        title = metrics.elidedText(
            str(index.data() or ""),
            Qt.TextElideMode.ElideRight,
            TITLE_LINES * title_rect.width() - 3 * metrics.averageCharWidth(),
        )
        painter.setClipRect(title_rect)
        painter.drawText(
            title_rect,
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            title,
        )
        painter.restore()
        if state & QStyle.StateFlag.State_HasFocus:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, opt, painter, widget)

    @staticmethod
    def _paint_placeholder(painter: QPainter, cover: QRect, palette: QPalette, fmt: str) -> None:
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(QPalette.ColorRole.Midlight))
        painter.drawRect(cover.adjusted(0, 0, -1, -1))
        if fmt:
            font = painter.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.4)
            painter.setFont(font)
            painter.setPen(palette.color(QPalette.ColorRole.Dark))
            painter.drawText(cover, Qt.AlignmentFlag.AlignCenter, fmt)


class CoverGrid(QListView):
    """Books as covers with their titles under them, over the library's model.

    The grid shares the list's model (so its sort and filters) and, when given, its
    selection. Covers are read only for the books painted, i.e. the ones on screen.
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
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)  # the layout of 10,000 books asks one item its size
        self.setSpacing(MARGIN)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setItemDelegate(CoverDelegate(self.covers, self))
        self.setModel(model)
        self.covers.covers_loaded.connect(self.viewport().update)

    def showEvent(self, event: QShowEvent) -> None:
        self.covers.pixel_ratio = self.devicePixelRatioF()
        super().showEvent(event)
