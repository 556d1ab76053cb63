"""The zoom of an open book's pages: in steps, by a pinch, or fitting the view's width or page.

Steps come from the toolbar, Ctrl+plus / Ctrl+minus and Ctrl+wheel; fitting the width or the
whole page goes on as the window is resized, the pages turned or laid out, until a zoom is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QKeySequence

if TYPE_CHECKING:
    from app.ui.reader.page_view import PagesView
    from app.ui.reader.toolbar import ReaderToolbar

ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0)
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0
DEFAULT_ZOOM = 1.25


class ZoomContext(Protocol):
    """What the zoom uses of the reader it belongs to."""

    @property
    def view(self) -> PagesView:
        """The pages on screen: drawn at the zoom, measured to fit."""

    @property
    def toolbar(self) -> ReaderToolbar:
        """The controls: −, +, the zoom shown, fit width and fit page are the zoom's."""

    @property
    def page(self) -> int:
        """The page on screen (the one fitted)."""

    @property
    def rotation(self) -> int:
        """How far pages are turned, in degrees clockwise."""

    @property
    def reflowable(self) -> bool:
        """True for a book shown only once laid out."""

    @property
    def laid_out(self) -> SignalInstance:
        """``laid_out(int)``: the book was laid out."""

    @property
    def rotated(self) -> SignalInstance:
        """``rotated(int)``: the pages were turned."""

    @property
    def resized(self) -> SignalInstance:
        """``resized()``: the reader changed size."""

    @property
    def page_drawn(self) -> SignalInstance:
        """``page_drawn(int)``: the page on screen was drawn (its size is known)."""

    def add_shortcut(self, key: QKeySequence, slot: Callable[[], object]) -> None:
        """Call ``slot`` on ``key`` while the reader has the focus."""


class ReaderZoom(QObject):
    """The zoom pages of ``reader`` are drawn at (1.0 = 72 dpi).

    Args:
        reader: the reader the zoom belongs to.
        parent: the reader's widget.
        factor: the zoom to start at.

    Signals:
        changed(float): the new zoom (the page view draws at it already).
    """

    changed = Signal(float)

    def __init__(self, reader: ZoomContext, parent: QObject, factor: float) -> None:
        super().__init__(parent)
        self._reader = reader
        self.factor = factor
        self._fit = ""  # "", "width" or "page": the zoom follows the window
        bar, view = reader.toolbar, reader.view
        bar.zoom_out_button.clicked.connect(self.zoom_out)
        bar.zoom_in_button.clicked.connect(self.zoom_in)
        bar.fit_width_button.clicked.connect(lambda: self.fit("width"))
        bar.fit_page_button.clicked.connect(lambda: self.fit("page"))
        reader.add_shortcut(QKeySequence(QKeySequence.StandardKey.ZoomIn), self.zoom_in)
        reader.add_shortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut), self.zoom_out)
        view.set_zoom(factor)
        view.zoom_step.connect(self._on_view_zoom_step)
        view.zoom_by.connect(self.zoom_by)
        for event in (reader.rotated, reader.resized, reader.page_drawn):
            event.connect(self.apply_fit)  # the page's size on screen changed
        reader.laid_out.connect(self._on_reader_laid_out)
        if not reader.reflowable:  # its first page is shown at once; a reflowable book's later
            self._show_factor()

    def _on_reader_laid_out(self, _page_count: int) -> None:
        self.apply_fit()
        self._show_factor()

    def _on_view_zoom_step(self, step: int) -> None:
        if step > 0:
            self.zoom_in()
        else:
            self.zoom_out()

    def _show_factor(self) -> None:
        self._reader.toolbar.zoom_label.setText(f"{round(self.factor * 100)} %")

    def fit(self, mode: str) -> None:
        """Make pages fit the view's ``width`` or whole ``page``, and keep fitting on resize."""
        self._fit = mode if mode in ("width", "page") else ""
        self.apply_fit()

    def apply_fit(self) -> None:
        """Fit the current page again (the window, the page or the rotation changed)."""
        if not self._fit:
            return
        reader = self._reader
        width, height = reader.view.page_size(reader.page)
        if reader.rotation % 180:
            width, height = height, width
        view = reader.view.viewport().size()
        margin = 24
        zoom = (view.width() - margin) / max(1.0, width)
        if self._fit == "page":
            zoom = min(zoom, (view.height() - margin) / max(1.0, height))
        zoom = round(min(MAX_ZOOM, max(MIN_ZOOM, zoom)), 2)
        if abs(zoom - self.factor) > 0.011:  # pixel rounding must not make it refit forever
            self._set_zoom(zoom, keep_fit=True)

    def zoom_in(self) -> None:
        """Draw pages larger."""
        self._set_zoom(min((z for z in ZOOM_STEPS if z > self.factor + 0.001), default=self.factor))

    def zoom_out(self) -> None:
        """Draw pages smaller."""
        self._set_zoom(max((z for z in ZOOM_STEPS if z < self.factor - 0.001), default=self.factor))

    def zoom_by(self, factor: float) -> None:
        """Multiply the zoom by ``factor`` (a pinch)."""
        if factor > 0:
            self._set_zoom(round(min(MAX_ZOOM, max(MIN_ZOOM, self.factor * factor)), 3))

    def _set_zoom(self, zoom: float, *, keep_fit: bool = False) -> None:
        if not keep_fit:
            self._fit = ""  # a chosen zoom ends fitting
        if zoom != self.factor:
            self.factor = zoom
            self._show_factor()
            self._reader.view.set_zoom(zoom)
            self.changed.emit(zoom)
