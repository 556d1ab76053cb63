"""The layouts of an open book: font size steps, laying it out again, carrying a place across.

A reflowable book (EPUB, FB2, MOBI, TXT) is laid out by the MuPDF worker at a font size (A− / A+
step through ``FONT_SIZES``); a place is carried from one layout to another, and a font size
change carries the page last navigated to, so going there and back does not drift
(docs/reader.md, "Reflowable books and positions"). A fixed-page book has one layout: its pages'
sizes and labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance

from app.core.models import PageLayout

if TYPE_CHECKING:
    from app.ui.reader.source import BookSource
    from app.ui.reader.toolbar import ReaderToolbar

DEFAULT_FONT_SIZE = 11.0
FONT_SIZES = (6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 14.0, 16.0, 18.0, 20.0, 24.0, 28.0, 32.0, 36.0)


class LayoutsContext(Protocol):
    """What the layouts use of the reader they belong to."""

    @property
    def source(self) -> BookSource:
        """Where the book's layouts come from."""

    @property
    def reflowable(self) -> bool:
        """True for a book laid out again when the font size changes."""

    @property
    def toolbar(self) -> ReaderToolbar:
        """The controls: A− and A+ are the layouts'."""

    @property
    def navigated(self) -> SignalInstance:
        """``navigated(int)``: the reader went to a page (the place a new layout carries)."""

    def go_to(self, page: int, top: float | None = None) -> None:
        """Show ``page`` of the current layout."""


class ReaderLayouts(QObject):
    """The font size and the layout asked for of the book open in ``reader``.

    Args:
        reader: the reader the layouts belong to.
        parent: the reader's widget.
        font: the font size of a reflowable book (None for fixed pages).
        origin: the page to open at and the font size of its layout (None: the import's).

    Signals:
        laid_out(PageLayout): the book was laid out at the current font size.
        failed(BaseException): the book could not be laid out, or a place not carried.
        font_changed(): a new font size; its layout is asked for next.
    """

    laid_out = Signal(object)
    failed = Signal(object)
    font_changed = Signal()

    def __init__(
        self,
        reader: LayoutsContext,
        parent: QObject,
        *,
        font: float | None,
        origin: tuple[int, float | None],
    ) -> None:
        super().__init__(parent)
        self._reader = reader
        self._runner, self._worker, self._path, self._password = reader.source
        self.font = font  # None for fixed pages
        self.origin = origin  # (page, font size of its layout): carried across layouts
        reader.toolbar.smaller_font_button.clicked.connect(self.smaller_font)
        reader.toolbar.larger_font_button.clicked.connect(self.larger_font)
        reader.navigated.connect(self._on_reader_navigated)

    def _on_reader_navigated(self, page: int) -> None:
        self.origin = (page, self.font)

    def lay_out(self, start: int, start_font: float | None) -> None:
        """Ask the worker for pages, sizes and labels; ``start`` is carried into them."""
        path, worker, password, font = self._path, self._worker, self._password, self.font
        self._runner.submit(
            lambda: worker.layout(path, password, font, start, start_font),
            lambda laid_out: self._on_laid_out(font, laid_out),
            self._on_layout_failed,
        )

    def _on_laid_out(self, font: float | None, layout: PageLayout) -> None:
        if font != self.font:
            return  # the font size changed again meanwhile
        self.laid_out.emit(layout)

    def _on_layout_failed(self, error: BaseException) -> None:
        self.failed.emit(error)

    def set_font_size(self, size: float) -> None:
        """Lay a reflowable book out again at ``size`` points, keeping the place."""
        if not self._reader.reflowable:
            return
        size = min(FONT_SIZES[-1], max(FONT_SIZES[0], float(size)))
        if size == self.font:
            return
        self.font = size
        self.font_changed.emit()
        self.lay_out(*self.origin)

    def larger_font(self) -> None:
        """Lay the book out with larger text."""
        current = self.font or DEFAULT_FONT_SIZE
        self.set_font_size(min((s for s in FONT_SIZES if s > current), default=current))

    def smaller_font(self) -> None:
        """Lay the book out with smaller text."""
        current = self.font or DEFAULT_FONT_SIZE
        self.set_font_size(max((s for s in FONT_SIZES if s < current), default=current))

    def show_library_page(self, page: int) -> None:
        """Go to ``page`` as the library numbers it (a search hit, a contents entry)."""
        self.carry(page, None)

    def carry(self, page: int, font: float | None) -> None:
        """Go to ``page`` of the layout at ``font`` (None: the import's), in this layout."""
        reader = self._reader
        if not reader.reflowable or font == self.font:
            reader.go_to(page)
            return
        path, worker, password, target = self._path, self._worker, self._password, self.font

        def arrived(pages: list[int]) -> None:
            if target == self.font and pages:
                reader.go_to(pages[0])
                self.origin = (page, font)

        self._runner.submit(
            lambda: worker.convert(path, [page], font, target, password),
            arrived,
            self._on_layout_failed,
        )
