"""The words of an open book's pages, with their boxes, read when a page first needs them.

A press to select text, a find's matches or the annotations on screen ask for them; the MuPDF
worker reads them, and they are kept per page for the current layout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance

from app.ui.reader.page_geometry import Word

if TYPE_CHECKING:
    from app.ui.reader.layout import ReaderLayouts
    from app.ui.reader.page_view import PagesView
    from app.ui.reader.source import BookSource


class WordsContext(Protocol):
    """What the words use of the reader they belong to."""

    @property
    def source(self) -> BookSource:
        """Where the words are read."""

    @property
    def view(self) -> PagesView:
        """The pages on screen: they ask for words to select, and are given them."""

    @property
    def layouts(self) -> ReaderLayouts:
        """The font size of the layout the words are read in (``font``)."""

    @property
    def reflowable(self) -> bool:
        """True for a book whose words move when it is laid out again."""

    @property
    def laid_out(self) -> SignalInstance:
        """``laid_out(int)``: the book was laid out."""


class PageWords(QObject):
    """The words read so far of the pages of the book open in ``reader``.

    Args:
        reader: the reader the words belong to.
        parent: the reader's widget.

    Signals:
        read(int, int, list[Word]): the number of the request (``asked`` once it was made),
            the page, its words (in the current layout; the page view has them already).
    """

    read = Signal(int, int, object)

    def __init__(self, reader: WordsContext, parent: QObject) -> None:
        super().__init__(parent)
        self._reader = reader
        self._runner, self._worker, self._path, self._password = reader.source
        self._words: dict[int, list[Word]] = {}
        self.asked = 0  # requests made so far: tells words asked before a moment from later ones
        reader.view.words_wanted.connect(self.fetch)
        reader.laid_out.connect(self._on_reader_laid_out)

    def of(self, page: int) -> list[Word] | None:
        """The words of ``page`` in the current layout, when they have been read."""
        return self._words.get(page)

    def _on_reader_laid_out(self, _page_count: int) -> None:
        if self._reader.reflowable:  # the words were those of the previous layout
            self._words.clear()

    def fetch(self, page: int) -> None:
        """Read the words of ``page`` (``read`` tells when they come)."""
        self.asked += 1
        number = self.asked
        font = self._reader.layouts.font
        if page in self._words:
            self._on_words_read(number, font, page, self._words[page])
            return
        path, worker, password = self._path, self._worker, self._password
        self._runner.submit(
            lambda: worker.words(path, page, password, font),
            lambda words: self._on_words_read(number, font, page, words),
            lambda _error: None,  # a page without readable words selects nothing
        )

    def _on_words_read(self, number: int, font: float | None, page: int, words: list[Word]) -> None:
        if font != self._reader.layouts.font:
            return
        self._words[page] = words
        self._reader.view.set_words(page, words)
        self.read.emit(number, page, words)
