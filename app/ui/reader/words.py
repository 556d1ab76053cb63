"""The words of an open book's pages, with their boxes: read by the MuPDF worker when a page
first needs them (a press to select text, a find's matches, the annotations on screen) and kept
per page for the current layout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.ui.reader.drawing import BookSource
from app.ui.reader.page_geometry import Word

if TYPE_CHECKING:
    from app.ui.reader.view import ReaderView


class PageWords(QObject):
    """The words read so far of the pages of the book open in ``reader``.

    Signals:
        read(int, int, list[Word]): the find generation the words were asked in, the page,
            its words (in the current layout).
    """

    read = Signal(int, int, object)

    def __init__(self, reader: ReaderView, source: BookSource) -> None:
        super().__init__(reader)
        self._reader = reader
        self._runner, self._worker, self._path, self._password = source
        self._words: dict[int, list[Word]] = {}

    def of(self, page: int) -> list[Word] | None:
        """The words of ``page`` in the current layout, when they have been read."""
        return self._words.get(page)

    def forget(self) -> None:
        """The book was laid out again: the words must be read anew."""
        self._words.clear()

    def fetch(self, page: int, generation: int) -> None:
        """Read the words of ``page`` (for selecting text and marking matches)."""
        if page in self._words:
            self._on_words_read(generation, self._reader.font_size, page, self._words[page])
            return
        path, worker, password, font = (
            self._path,
            self._worker,
            self._password,
            self._reader.font_size,
        )
        self._runner.submit(
            lambda: worker.words(path, page, password, font),
            lambda words: self._on_words_read(generation, font, page, words),
            lambda _error: None,  # a page without readable words selects nothing
        )

    def _on_words_read(
        self, generation: int, font: float | None, page: int, words: list[Word]
    ) -> None:
        if font != self._reader.font_size:
            return
        self._words[page] = words
        self.read.emit(generation, page, words)
