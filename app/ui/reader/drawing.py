"""The drawing of an open book's pages by the MuPDF worker, and the drawn pages kept.

The pages asked for are those on screen, ``PREFETCH`` after them and one before; a request is
skipped in the drawing thread when its page was scrolled past (or the zoom, rotation or font size
changed) before its turn, and the drawn pages are kept in the bounded cache of
``app/ui/reader/page_images.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QImage

from app.core.models import RenderedPage
from app.ui.reader.page_images import Key, PageImages

if TYPE_CHECKING:
    from app.ui.reader.layout import ReaderLayouts
    from app.ui.reader.source import BookSource
    from app.ui.reader.zoom import ReaderZoom

PREFETCH = 2  # pages drawn ahead beyond those on screen


class DrawingContext(Protocol):
    """What the drawing uses of the reader it belongs to."""

    @property
    def source(self) -> BookSource:
        """Where the pages are drawn."""

    @property
    def page(self) -> int:
        """The page on screen."""

    @property
    def page_count(self) -> int:
        """Pages in the book as laid out now."""

    @property
    def rotation(self) -> int:
        """How far pages are turned, in degrees clockwise."""

    @property
    def zoom(self) -> ReaderZoom:
        """The zoom pages are drawn at (``factor``)."""

    @property
    def layouts(self) -> ReaderLayouts:
        """The font size pages are laid out at (``font``, ``font_changed``)."""

    @property
    def theme(self) -> str:
        """The page colours: day, night or sepia."""

    @property
    def theme_changed(self) -> SignalInstance:
        """``theme_changed(str)``: pages are shown in other colours from now on."""

    def devicePixelRatioF(self) -> float:
        """Device pixels to a logical pixel, where the reader is shown."""


class PageDrawing(QObject):
    """The drawn pages of the book open in ``reader`` and the requests for more.

    Args:
        reader: the reader the drawing belongs to.
        parent: the reader's widget.

    Signals:
        drawn(key, image): a page was drawn and is kept in ``images``.
        draw_failed(key, error): MuPDF could not draw a page.
    """

    drawn = Signal(object, object)
    draw_failed = Signal(object, object)

    def __init__(self, reader: DrawingContext, parent: QObject) -> None:
        super().__init__(parent)
        self._reader = reader
        self._runner, self._worker, self._path, self._password = reader.source
        self.images = PageImages()
        self.images.set_theme(reader.theme)
        self.requested: set[Key] = set()
        self.visible: list[int] = []
        reader.theme_changed.connect(self.images.set_theme)
        reader.layouts.font_changed.connect(self.requested.clear)

    def key(self, page: int) -> Key:
        """The key of ``page`` drawn at the reader's zoom, rotation and font size."""
        reader = self._reader
        return (page, reader.zoom.factor, reader.rotation, reader.layouts.font)

    def _scale(self) -> float:
        return self._reader.zoom.factor * self._reader.devicePixelRatioF()  # sharp on high DPI

    def want(self, pages: list[int]) -> None:
        """Draw ``pages`` and the ones just after and before them."""
        if not pages:
            return
        first, last = min(pages), max(pages)
        order = list(pages) + list(range(last + 1, last + 1 + PREFETCH))
        order += list(range(first - 1, first - 1 - PREFETCH // 2, -1))
        for page in order:
            if 0 <= page < self._reader.page_count:
                self._request(page)

    def _still_wanted(self, key: Key) -> bool:
        """Called in the drawing thread: skip pages scrolled past before their turn came."""
        if key[1:] != self.key(0)[1:]:
            return False
        near = [self._reader.page, *self.visible]
        return min(near) - PREFETCH <= key[0] <= max(near) + PREFETCH

    def _request(self, page: int) -> None:
        key = self.key(page)
        if key in self.images or key in self.requested:
            return
        self.requested.add(key)
        path, scale, worker, password = self._path, self._scale(), self._worker, self._password
        rotation, font = self._reader.rotation, self._reader.layouts.font

        def work() -> QImage | None:
            if not self._still_wanted(key):
                return None
            return page_image(worker.render(path, page, scale, password, rotation, font))

        self._runner.submit(
            work,
            lambda image: self._on_rendered(key, image),
            lambda error: self._on_render_failed(key, error),
        )

    def _on_rendered(self, key: Key, image: QImage | None) -> None:
        self.requested.discard(key)
        if image is None:
            return
        image.setDevicePixelRatio(self._reader.devicePixelRatioF())
        self.images.add(key, image)
        self.drawn.emit(key, image)

    def _on_render_failed(self, key: Key, error: BaseException) -> None:
        self.requested.discard(key)
        self.draw_failed.emit(key, error)

    def image_for(self, page: int) -> QImage | None:
        """The page in the reader's colours; another zoom's image while it is drawn."""
        return self.images.shown(self.key(page))


def page_image(rendered: RenderedPage) -> QImage:
    """A page's pixels as an image that owns them (made in the drawing thread: QImage, unlike
    QPixmap, may be; the bytes object goes away)."""
    return QImage(
        rendered.samples,
        rendered.width,
        rendered.height,
        rendered.stride,
        QImage.Format.Format_RGB888,
    ).copy()
