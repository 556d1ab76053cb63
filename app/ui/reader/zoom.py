"""The zoom of an open book's pages: in steps (the toolbar, Ctrl+plus / Ctrl+minus, Ctrl+wheel),
by a pinch, or fitting the view's width or whole page, which goes on as the window is resized
until a zoom is chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from app.ui.reader.view import ReaderView

ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0)
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0
DEFAULT_ZOOM = 1.25


class ReaderZoom(QObject):
    """The zoom pages of ``reader`` are drawn at (1.0 = 72 dpi).

    Signals:
        changed(float): the new zoom.
    """

    changed = Signal(float)

    def __init__(self, reader: ReaderView, zoom: float) -> None:
        super().__init__(reader)
        self._reader = reader
        self.zoom = zoom
        self._fit = ""  # "", "width" or "page": the zoom follows the window

    def fit(self, mode: str) -> None:
        """Make pages fit the view's ``width`` or whole ``page``, and keep fitting on resize."""
        self._fit = mode if mode in ("width", "page") else ""
        self.apply_fit()

    def apply_fit(self) -> None:
        """Fit the current page again (the window, the page or the rotation changed)."""
        if not self._fit:
            return
        width, height = self._reader.view.page_size(self._reader.page)
        if self._reader.rotation % 180:
            width, height = height, width
        view = self._reader.view.viewport().size()
        margin = 24
        zoom = (view.width() - margin) / max(1.0, width)
        if self._fit == "page":
            zoom = min(zoom, (view.height() - margin) / max(1.0, height))
        zoom = round(min(MAX_ZOOM, max(MIN_ZOOM, zoom)), 2)
        if abs(zoom - self.zoom) > 0.011:  # pixel rounding must not make it refit forever
            self._set_zoom(zoom, keep_fit=True)

    def zoom_in(self) -> None:
        """Draw pages larger."""
        self._set_zoom(min((z for z in ZOOM_STEPS if z > self.zoom + 0.001), default=self.zoom))

    def zoom_out(self) -> None:
        """Draw pages smaller."""
        self._set_zoom(max((z for z in ZOOM_STEPS if z < self.zoom - 0.001), default=self.zoom))

    def zoom_by(self, factor: float) -> None:
        """Multiply the zoom by ``factor`` (a pinch)."""
        if factor > 0:
            self._set_zoom(round(min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * factor)), 3))

    def _set_zoom(self, zoom: float, *, keep_fit: bool = False) -> None:
        if not keep_fit:
            self._fit = ""  # a chosen zoom ends fitting
        if zoom != self.zoom:
            self.zoom = zoom
            self.changed.emit(zoom)
