"""Drawn pages kept for showing again: bounded by their size, with copies in page colours."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtGui import QColor, QImage, QPainter

THEMES = ("day", "night", "sepia")
SEPIA = QColor(244, 236, 216)
CACHE_BYTES = 32 * 1024 * 1024  # 13 A4 pages at 125 %, device pixel ratio 1 ...
CACHE_MIN_PAGES = 6  # ... but never fewer than those on screen and the next ones

Key = tuple[int, float, int, float | None]  # page, zoom, rotation, font size


class PageImages:
    """Day-coloured page images by (page, zoom, rotation, font size), oldest dropped first.

    ``shown()`` gives a page in the current colours (night = inverted, sepia = multiplied),
    made once per image and theme; when the page is not drawn at the asked zoom, an image of
    another zoom (same page, rotation and layout) stands in, to be stretched.
    """

    def __init__(self, budget: int = CACHE_BYTES, min_pages: int = CACHE_MIN_PAGES) -> None:
        self._images: OrderedDict[Key, QImage] = OrderedDict()
        self._coloured: dict[Key, QImage] = {}
        self._bytes = 0
        self._budget = budget
        self._min_pages = min_pages
        self.theme = "day"

    def __contains__(self, key: Key) -> bool:
        return key in self._images

    def __len__(self) -> int:
        return len(self._images)

    def add(self, key: Key, image: QImage) -> None:
        """Keep ``image`` (drawn in day colours), dropping the oldest beyond the budget."""
        old = self._images.pop(key, None)
        if old is not None:
            self._bytes -= old.sizeInBytes()
            self._coloured.pop(key, None)
        self._images[key] = image
        self._bytes += image.sizeInBytes()
        while self._bytes > self._budget and len(self._images) > self._min_pages:
            dropped_key, dropped = self._images.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()
            self._coloured.pop(dropped_key, None)

    def set_theme(self, theme: str) -> None:
        """Show pages in ``theme`` (day, night or sepia) from now on."""
        theme = theme if theme in THEMES else "day"
        if theme != self.theme:
            self.theme = theme
            self._coloured.clear()

    def shown(self, key: Key) -> QImage | None:
        """The page of ``key`` in the current colours, or at another zoom; None if never drawn."""
        if key not in self._images:
            page, _zoom, *layout = key
            key = next(
                (k for k in reversed(self._images) if k[0] == page and list(k[2:]) == layout),
                key,
            )
            if key not in self._images:
                return None
        coloured = self._coloured.get(key)
        if coloured is None:
            coloured = _coloured(self._images[key], self.theme)
            self._coloured[key] = coloured
        return coloured

    @property
    def size_in_bytes(self) -> int:
        """The bytes of the day-coloured images kept."""
        return self._bytes


def _coloured(image: QImage, theme: str) -> QImage:
    """The page in the reader's colours (the cache keeps day pages)."""
    if theme == "night":
        night = image.copy()
        night.invertPixels()
        return night
    if theme == "sepia":
        sepia = image.copy()
        painter = QPainter(sepia)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        painter.fillRect(sepia.rect(), SEPIA)
        painter.end()
        return sepia
    return image
