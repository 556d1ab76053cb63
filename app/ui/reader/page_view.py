"""The pages of a book on screen: one page at a time, or all of them in a scrolling column.

The view only paints and measures. Images come from the reader (``image_for``), which
draws pages in the MuPDF worker when the view announces the pages it shows; while a page
is being drawn at a new zoom, an image of another zoom is stretched in its place.

The matches of a find are violet (`FIND_COLORS`, per page colours) and outlined: no highlight
colour (yellow, green, blue, pink, orange) is taken for one, in any theme.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QGuiApplication,
    QImage,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QGestureEvent, QPinchGesture, QWidget

from app.ui.reader.page_geometry import (
    Box,
    Column,
    Word,
    box_on_view,
    point_on_page,
    word_at,
    words_text,
)

GAP = 10.0
#: The fill of a find's matches and of its current match, per page colours (theme): violet,
#: a hue no highlight colour has, lighter over night pages.
FIND_COLORS: dict[str, tuple[QColor, QColor]] = {
    "day": (QColor(140, 60, 255, 70), QColor(140, 60, 255, 150)),
    "sepia": (QColor(125, 50, 235, 70), QColor(125, 50, 235, 150)),
    "night": (QColor(190, 150, 255, 90), QColor(190, 150, 255, 170)),
}
SELECTION = QColor(40, 110, 230, 80)
BLANK = QColor(255, 255, 255)
BLANK_NIGHT = QColor(30, 30, 30)
MARKER = 11.0  # side of a note's or a bookmark's marker, in pixels at any zoom
#: Layers of marks, painted in this order (the selection goes over all of them).
LAYERS = ("annotations", "find")


@dataclass(frozen=True)
class Mark:
    """Something drawn over a page: a box filled with a translucent colour (``fill``), the same
    outlined (``match``: a find's), or a small marker at the box's top right corner (``note``,
    ``bookmark``)."""

    box: Box  # in page points
    color: QColor
    shape: str = "fill"


class PagesView(QAbstractScrollArea):
    """Pages drawn at one zoom and rotation, in ``continuous`` or ``single`` mode.

    Signals:
        current_changed(int): scrolling brought another page to the middle of the view.
        wanted(list): the pages now on screen (the reader draws those it lacks).
        words_wanted(int): selecting text needs the words of this page.
        zoom_step(int): Ctrl+wheel asked for a larger (+1) or smaller (-1) zoom.
        zoom_by(float): a pinch asked to multiply the zoom by this factor.
        turn(int): in single-page mode the wheel went past the page's end (+1) or top (-1).
        selection_changed(): the selected text changed.
        context_menu_wanted(int, float, float, QPoint): a context menu was asked for on a
            page (-1 off the pages), at a point in page points, at a place on the screen.
    """

    current_changed = Signal(int)
    wanted = Signal(list)
    words_wanted = Signal(int)
    zoom_step = Signal(int)
    zoom_by = Signal(float)
    turn = Signal(int)
    selection_changed = Signal()
    context_menu_wanted = Signal(int, float, float, QPoint)

    def __init__(
        self, image_for: Callable[[int], QImage | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._image_for = image_for
        self._sizes: list[tuple[float, float]] = [(612.0, 792.0)]
        self._zoom = 1.0
        self._rotation = 0
        self._continuous = True
        self._current = 0
        self._column = Column.of(self._sizes, self._zoom, 0, GAP)
        self._layers: dict[str, dict[int, list[Mark]]] = {name: {} for name in LAYERS}
        self._words: dict[int, list[Word]] = {}
        self._press: tuple[int, float, float] | None = None  # page and point (points)
        self._selection: tuple[int, int, int] | None = None  # page, first and last word
        self._moving = False  # the view scrolls itself: the current page stays
        self.night = False
        self._theme = "day"
        self._find: tuple[dict[int, list[Box]], tuple[int, int] | None] = ({}, None)
        self._announce_timer = QTimer(self)
        self._announce_timer.setSingleShot(True)
        self._announce_timer.setInterval(0)
        self._announce_timer.timeout.connect(self._announce)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.verticalScrollBar().setSingleStep(40)
        self.horizontalScrollBar().setSingleStep(40)

    # --- what is shown ---------------------------------------------------------------------

    def set_pages(self, sizes: list[tuple[float, float]]) -> None:
        """Every page's size in points (the page count follows)."""
        self._sizes = list(sizes) or [(612.0, 792.0)]
        self._current = min(self._current, len(self._sizes) - 1)
        self._words.clear()
        self._selection = None
        self._relayout(keep_place=False)
        self.show_page(self._current)

    @property
    def page_count(self) -> int:
        """Pages in the book as laid out now."""
        return len(self._sizes)

    def set_zoom(self, zoom: float) -> None:
        """Draw pages at ``zoom`` (1.0 = 72 dpi), keeping the place in the current page."""
        if zoom != self._zoom:
            self._zoom = zoom
            self._relayout(keep_place=True)

    def set_rotation(self, rotation: int) -> None:
        """Turn pages ``rotation`` degrees clockwise."""
        if rotation % 360 != self._rotation:
            self._rotation = rotation % 360
            self._relayout(keep_place=True)

    def set_continuous(self, continuous: bool) -> None:
        """Show all pages in a scrolling column, or one page at a time."""
        if continuous != self._continuous:
            self._continuous = continuous
            self._relayout(keep_place=False)
            self.show_page(self._current)

    @property
    def continuous(self) -> bool:
        """True when pages form one scrolling column."""
        return self._continuous

    @property
    def current_page(self) -> int:
        """The page the reader is on."""
        return self._current

    def show_page(self, page: int, top: float | None = None) -> None:
        """Bring ``page`` to the top of the view (``top``: a height on it, in points)."""
        self._current = min(max(0, page), len(self._sizes) - 1)
        if not self._continuous:
            self._relayout(keep_place=False)
        slot = self._slot(self._current)
        y = self._column.tops[slot] - self._column.gap / 2
        if top is not None:
            y = self._column.tops[slot] + max(0.0, top) * self._zoom - self._column.gap
        self._moving = True
        self.verticalScrollBar().setValue(round(y))
        if top is None and not self._continuous:
            self.verticalScrollBar().setValue(0)
        self._moving = False
        self.viewport().update()
        self._announce_timer.start()

    def page_size(self, page: int) -> tuple[float, float]:
        """The size in points of ``page`` (unrotated)."""
        return self._sizes[min(max(0, page), len(self._sizes) - 1)]

    def visible_pages(self) -> list[int]:
        """The pages on screen now, top to bottom."""
        top = self.verticalScrollBar().value()
        slots = self._column.visible(top, self.viewport().height())
        return [self._page_of_slot(slot) for slot in slots]

    def at_end(self) -> bool:
        """True when the view is scrolled to the bottom."""
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum()

    def at_start(self) -> bool:
        """True when the view is scrolled to the top."""
        bar = self.verticalScrollBar()
        return bar.value() <= bar.minimum()

    def set_theme(self, theme: str) -> None:
        """Pages are shown in ``theme`` (day, night, sepia): the blank page and find's colours."""
        self._theme = theme if theme in FIND_COLORS else "day"
        self.night = theme == "night"
        self.set_marks(*self._find)

    def set_marks(self, marks: dict[int, list[Box]], current: tuple[int, int] | None) -> None:
        """Matches of a find to mark on pages (boxes in points), and the (page, box) marked
        as current."""
        self._find = (marks, current)
        match, current_match = FIND_COLORS[self._theme]
        self.set_layer(
            "find",
            {
                page: [
                    Mark(box, current_match if current == (page, number) else match, "match")
                    for number, box in enumerate(boxes)
                ]
                for page, boxes in marks.items()
            },
        )

    def set_layer(self, layer: str, marks: dict[int, list[Mark]]) -> None:
        """Replace the marks of one of ``LAYERS`` (``annotations``, ``find``) on every page."""
        self._layers[layer] = marks
        self.viewport().update()

    def marks(self, page: int, layer: str) -> list[Mark]:
        """The marks of ``layer`` on ``page``."""
        return list(self._layers.get(layer, {}).get(page, []))

    def refresh(self) -> None:
        """Repaint (an image arrived or the colours changed)."""
        self.viewport().update()

    # --- geometry --------------------------------------------------------------------------

    def _slot(self, page: int) -> int:
        return page if self._continuous else 0

    def _page_of_slot(self, slot: int) -> int:
        return slot if self._continuous else self._current

    def _relayout(self, *, keep_place: bool) -> None:
        bar = self.verticalScrollBar()
        old = self._column
        place = 0.0
        if keep_place and old.tops:
            slot = self._slot(self._current)
            place = (bar.value() - old.tops[slot]) / max(1.0, old.heights[slot])
        sizes = self._sizes if self._continuous else [self._sizes[self._current]]
        self._column = Column.of(sizes, self._zoom, self._rotation, GAP)
        self._update_bars()
        if keep_place:
            slot = self._slot(self._current)
            self._moving = True
            bar.setValue(round(self._column.tops[slot] + place * self._column.heights[slot]))
            self._moving = False
        self.viewport().update()
        self._announce_timer.start()

    def _update_bars(self) -> None:
        view = self.viewport().size()
        self.verticalScrollBar().setRange(0, max(0, round(self._column.height) - view.height()))
        self.verticalScrollBar().setPageStep(view.height())
        self.horizontalScrollBar().setRange(0, max(0, round(self._column.width) - view.width()))
        self.horizontalScrollBar().setPageStep(view.width())

    def _page_rect(self, slot: int) -> QRectF:
        column = self._column
        view_width = self.viewport().width()
        left = max(0.0, (view_width - column.width) / 2) + (column.width - column.widths[slot]) / 2
        return QRectF(
            left - self.horizontalScrollBar().value(),
            column.tops[slot] - self.verticalScrollBar().value(),
            column.widths[slot],
            column.heights[slot],
        )

    def view_point(self, page: int, x: float, y: float) -> QPointF:
        """Where a point of ``page`` (in points) is on the viewport now."""
        slot = self._slot(page)
        rect = self._page_rect(slot)
        x0, y0, _x1, _y1 = box_on_view((x, y, x, y), self._sizes[page], self._rotation, self._zoom)
        return QPointF(rect.left() + x0, rect.top() + y0)

    def _hit(self, position: QPointF) -> tuple[int, float, float] | None:
        """The page under a viewport position and the point on it, in points."""
        for slot in self._column.visible(
            self.verticalScrollBar().value(), self.viewport().height()
        ):
            rect = self._page_rect(slot)
            if rect.adjusted(-GAP, -GAP, GAP, GAP).contains(position):
                page = self._page_of_slot(slot)
                x, y = point_on_page(
                    position.x() - rect.left(),
                    position.y() - rect.top(),
                    self._sizes[page],
                    self._rotation,
                    self._zoom,
                )
                return (page, x, y)
        return None

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the scroll bars right when the view changes size."""
        super().resizeEvent(event)
        self._update_bars()
        self._announce_timer.start()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Repaint, and follow the page the user scrolls to."""
        self.viewport().update()
        if self._moving or not self._continuous or dy == 0:
            return
        slot = self._column.most_visible(self.verticalScrollBar().value(), self.viewport().height())
        if slot != self._current:
            self._current = slot
            self.current_changed.emit(slot)
        self._announce_timer.start()

    def _announce(self) -> None:
        self.wanted.emit(self.visible_pages())

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the visible pages, then the marks and the selection over them."""
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Dark))
        top = self.verticalScrollBar().value()
        for slot in self._column.visible(top, self.viewport().height()):
            page = self._page_of_slot(slot)
            rect = self._page_rect(slot)
            image = self._image_for(page)
            if image is None:
                painter.fillRect(rect, BLANK_NIGHT if self.night else BLANK)
            else:
                painter.drawImage(rect, image)
            self._paint_boxes(painter, page, rect)
        painter.end()

    def _paint_boxes(self, painter: QPainter, page: int, rect: QRectF) -> None:
        marks = [mark for layer in LAYERS for mark in self._layers[layer].get(page, [])]
        if self._selection is not None and self._selection[0] == page:
            _page, first, last = self._selection
            words = self._words.get(page, [])
            marks += [Mark(w[:4], SELECTION) for w in words[first : last + 1]]
        size = self._sizes[page]
        for mark in marks:
            x0, y0, x1, y1 = box_on_view(mark.box, size, self._rotation, self._zoom)
            area = QRectF(rect.left() + x0, rect.top() + y0, x1 - x0, y1 - y0)
            if mark.shape in ("fill", "match"):
                painter.fillRect(area, mark.color)
                if mark.shape == "match":
                    _outline(painter, area, mark.color)
            else:
                _paint_marker(painter, area, mark)

    # --- selecting text --------------------------------------------------------------------

    def set_words(self, page: int, words: list[Word]) -> None:
        """The words of ``page`` (asked for with ``words_wanted``)."""
        self._words[page] = words
        if self._press is not None and self._press[0] == page and self._selection is None:
            self._select_to(self._press[1], self._press[2])

    def selected_text(self) -> str:
        """The selected words as text ("" when nothing is selected)."""
        if self._selection is None:
            return ""
        page, first, last = self._selection
        return words_text(self._words.get(page, [])[first : last + 1])

    def copy_selection(self) -> bool:
        """Put the selected text on the clipboard; False when nothing is selected."""
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)
        return bool(text)

    def clear_selection(self) -> None:
        """Select nothing."""
        if self._selection is not None:
            self._selection = None
            self.viewport().update()
            self.selection_changed.emit()

    def select_words(self, page: int, first: int, last: int) -> None:
        """Select words ``first`` to ``last`` of ``page`` (its words must be known)."""
        count = len(self._words.get(page, []))
        if count:
            first, last = sorted((min(max(0, first), count - 1), min(max(0, last), count - 1)))
            self._selection = (page, first, last)
            self.viewport().update()
            self.selection_changed.emit()

    def _select_to(self, x: float, y: float) -> None:
        if self._press is None:
            return
        page, press_x, press_y = self._press
        words = self._words.get(page)
        if not words:
            return
        self.select_words(page, word_at(words, press_x, press_y), word_at(words, x, y))

    def selection(self) -> tuple[int, int, int] | None:
        """(page, first word, last word) selected, or None."""
        return self._selection

    def words(self, page: int) -> list[Word] | None:
        """The words of ``page`` when they have been read."""
        return self._words.get(page)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Ask for a context menu at the page point under the pointer."""
        hit = self._hit(QPointF(event.pos()))
        page, x, y = hit if hit is not None else (-1, 0.0, 0.0)
        self.context_menu_wanted.emit(page, x, y, event.globalPos())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start selecting text at the pressed point."""
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.clear_selection()
        self._press = self._hit(event.position())
        if self._press is not None and self._press[0] not in self._words:
            self.words_wanted.emit(self._press[0])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Extend the selection to the word under the pointer (on the pressed page)."""
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        hit = self._hit(event.position())
        if hit is not None and hit[0] == self._press[0]:
            self._select_to(hit[1], hit[2])

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Finish the selection (a click without dragging selects nothing)."""
        if self._press is not None and event.button() == Qt.MouseButton.LeftButton:
            hit = self._hit(event.position())
            if hit is not None and hit[0] == self._press[0] and hit[1:] != self._press[1:]:
                self._select_to(hit[1], hit[2])
            self._press = None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Select the word under the pointer."""
        hit = self._hit(event.position())
        if hit is None:
            return
        self._press = hit
        if hit[0] in self._words:
            self._select_to(hit[1], hit[2])
        else:
            self.words_wanted.emit(hit[0])

    # --- wheel and gestures ----------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms; in single-page mode the wheel past an edge turns the page."""
        steps = event.angleDelta().y()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if steps:
                self.zoom_step.emit(1 if steps > 0 else -1)
            event.accept()
            return
        if not self._continuous:
            if steps < 0 and self.at_end():
                self.turn.emit(1)
                event.accept()
                return
            if steps > 0 and self.at_start():
                self.turn.emit(-1)
                event.accept()
                return
        super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        """Pinch to zoom: touch screens (gestures) and touchpads (native gestures)."""
        if isinstance(event, QGestureEvent):
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                changed = pinch.changeFlags() & QPinchGesture.ChangeFlag.ScaleFactorChanged
                if changed and pinch.scaleFactor() > 0:
                    self.zoom_by.emit(float(pinch.scaleFactor()))
                event.accept()
                return True
        if (
            isinstance(event, QNativeGestureEvent)
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            self.zoom_by.emit(1.0 + float(event.value()))
            event.accept()
            return True
        return super().viewportEvent(event)


def _outline(painter: QPainter, area: QRectF, color: QColor) -> None:
    """A thin line of ``color``, nearly opaque, around a find's match."""
    line = QColor(color)
    line.setAlpha(220)
    painter.save()
    painter.setPen(QPen(line, 1.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(area)
    painter.restore()


def _paint_marker(painter: QPainter, area: QRectF, mark: Mark) -> None:
    """A note's folded-corner square or a bookmark's ribbon at the top right of ``area``."""
    right, top = area.right(), area.top()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(mark.color.darker(170), 1.0))
    solid = QColor(mark.color)
    solid.setAlpha(230)
    painter.setBrush(solid)
    if mark.shape == "bookmark":
        x = right - MARKER * 1.5
        ribbon = QPolygonF(
            [
                QPointF(x, top),
                QPointF(x + MARKER, top),
                QPointF(x + MARKER, top + MARKER * 1.6),
                QPointF(x + MARKER / 2, top + MARKER * 1.1),
                QPointF(x, top + MARKER * 1.6),
            ]
        )
        painter.drawPolygon(ribbon)
    else:
        painter.drawRect(QRectF(right - MARKER / 2, top - MARKER / 2, MARKER, MARKER))
    painter.restore()
