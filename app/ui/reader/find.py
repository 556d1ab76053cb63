"""Find in an open book: the pages holding the find box's words, their matches, stepping on.

The pages are looked for in the background, their matches marked on the pages as they come into
view, and F3 / Shift+F3 step through them. A fixed-page book is searched in its saved page
texts; a reflowable book laid out at another size in the MuPDF worker, in the pages of the
current layout. The matches themselves are kept by ``app/ui/reader/find_hits.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence

from app.core.findtext import count_in_text, query_words
from app.core.models import PageText
from app.ui.common.i18n import ui_text
from app.ui.reader.context import PlaceContext
from app.ui.reader.find_hits import Hits
from app.ui.reader.page_geometry import Word

if TYPE_CHECKING:
    from app.ui.reader.layout import ReaderLayouts
    from app.ui.reader.page_view import PagesView
    from app.ui.reader.source import BookSource
    from app.ui.reader.toolbar import ReaderToolbar
    from app.ui.reader.words import PageWords


class FindContext(PlaceContext, Protocol):
    """What find uses of the reader it belongs to."""

    @property
    def source(self) -> BookSource:
        """Where a reflowable book's pages are searched."""

    @property
    def view(self) -> PagesView:
        """The pages on screen: the matches are marked on them."""

    @property
    def toolbar(self) -> ReaderToolbar:
        """The controls: the find box, its status and the match buttons are find's."""

    @property
    def words(self) -> PageWords:
        """The words of the pages, where the matches are."""

    @property
    def layouts(self) -> ReaderLayouts:
        """The font size of the layout searched (``font``)."""

    @property
    def mode(self) -> str:
        """``continuous`` or ``single``."""

    def add_shortcut(self, key: QKeySequence, slot: Callable[[], object]) -> None:
        """Call ``slot`` on ``key`` while the reader has the focus."""


class ReaderFind(QObject):
    """Find in the book open in ``reader``, with its find box and status.

    Args:
        reader: the reader find belongs to.
        parent: the reader's widget.
        page_texts: reads the saved page texts of a fixed-page book (None: none to search).

    Signals:
        found(int): the pages holding what was searched with ``find_text``.
    """

    found = Signal(int)

    def __init__(
        self,
        reader: FindContext,
        parent: QObject,
        *,
        page_texts: Callable[[], list[PageText]] | None,
    ) -> None:
        super().__init__(parent)
        self._reader = reader
        self._runner, self._worker, self._path, self._password = reader.source
        self._page_texts = page_texts
        self.hits = Hits()
        self._generation = 0  # of the find: pages found for an older one are not shown
        self._first_words = 1  # words asked before the last find started mark nothing
        bar = reader.toolbar
        bar.find_box.returnPressed.connect(self._on_find_box_return_pressed)
        bar.find_previous_button.clicked.connect(self.previous_hit)
        bar.find_next_button.clicked.connect(self.next_hit)
        reader.add_shortcut(QKeySequence(QKeySequence.StandardKey.FindNext), self.next_hit)
        reader.add_shortcut(QKeySequence(QKeySequence.StandardKey.FindPrevious), self.previous_hit)
        reader.view.wanted.connect(self._on_view_wanted)
        reader.words.read.connect(self._on_words_read)
        reader.laid_out.connect(self._on_reader_laid_out)
        reader.language_changed.connect(self._retranslate)

    def _retranslate(self) -> None:
        """Say again in the interface language how many pages hold the matches."""
        if self.hits.pages:
            status = ui_text("{n} page(s)").format(n=len(self.hits.pages))
            self._reader.toolbar.find_status.setText(status)

    def focus_find(self) -> None:
        """Put the keyboard in the find box, its text selected (Ctrl+F in a book)."""
        box = self._reader.toolbar.find_box
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        box.selectAll()

    def _on_find_box_return_pressed(self) -> None:
        """Find the box's words, or step to the next match when they were found already."""
        text = self._reader.toolbar.find_box.text()
        if query_words(text) != self.hits.words:
            self.find_text(text)
        else:
            self.next_hit()

    def find_text(self, query: str) -> None:
        """Find ``query`` in the whole book (case, script and apostrophes ignored).

        The pages holding it are found in the background (from the saved page texts, or
        in the worker for a reflowable book laid out at another size); the first one from
        the current page on is shown with every match marked.
        """
        reader, status = self._reader, self._reader.toolbar.find_status
        self.hits.start(query_words(query))
        self._generation += 1
        self._first_words = reader.words.asked + 1
        self.update_marks()
        if reader.toolbar.find_box.text() != query:
            reader.toolbar.find_box.setText(query)
        wanted = list(self.hits.words)
        if not wanted or (self._page_texts is None and not reader.reflowable):
            status.setText("")
            return
        if reader.reflowable and reader.page_layout is None:
            return  # searched again once the book is laid out
        generation = self._generation
        status.setText(ui_text("Searching…"))
        source, font = self._page_texts, reader.layouts.font
        if (reader.reflowable and font is not None) or source is None:
            path, worker, password = self._path, self._worker, self._password

            def work() -> list[int]:
                return worker.find(path, wanted, password, font)

        else:

            def work() -> list[int]:
                assert source is not None
                return [p.page for p in source() if count_in_text(p.text, wanted)]

        self._runner.submit(work, lambda pages: self._on_hit_pages_found(generation, pages))

    def _on_hit_pages_found(self, generation: int, pages: list[int]) -> None:
        if generation != self._generation:
            return
        status = self._reader.toolbar.find_status
        target = self.hits.found(pages, self._reader.page)
        if target is None:
            status.setText(ui_text("Not found"))
            self.found.emit(0)
            return
        status.setText(ui_text("{n} page(s)").format(n=len(self.hits.pages)))
        self._show_hit(target)
        self.found.emit(len(self.hits.pages))

    def _on_reader_laid_out(self, _page_count: int) -> None:
        if not self._reader.reflowable:
            return
        self.hits.forget_boxes()  # the match boxes were those of the previous layout
        if self.hits.words:  # the pages holding them too
            self.find_text(self._reader.toolbar.find_box.text())

    def _on_view_wanted(self, pages: list[int]) -> None:
        """Mark the matches of a find on every page that comes into view."""
        for page in pages:
            if page in self.hits.pages and page not in self.hits.boxes:
                self._reader.words.fetch(page)

    def _on_words_read(self, number: int, page: int, words: list[Word]) -> None:
        """The words of ``page`` came; those asked before the last find started mark nothing."""
        if number < self._first_words or not self.hits.words:
            return
        self.hits.read(page, words)
        if self.hits.current is not None and self.hits.current[0] == page:
            self._show_hit(page)
        else:
            self.update_marks()

    def update_marks(self) -> None:
        """Draw the matches read so far on the pages, the current one apart."""
        self._reader.view.set_marks(self.hits.boxes, self.hits.current)

    def next_hit(self) -> None:
        """Step to the next match, across pages, wrapping at the end."""
        page = self.hits.step(+1)
        if page is not None:
            self._show_hit(page)

    def previous_hit(self) -> None:
        """Step to the previous match, across pages, wrapping at the start."""
        page = self.hits.step(-1)
        if page is not None:
            self._show_hit(page)

    def _show_hit(self, page: int) -> None:
        """Show the current match on ``page``, reading the page's words first if needed."""
        if page not in self.hits.boxes:
            self._reader.words.fetch(page)
            return
        self.update_marks()
        box = self.hits.current_box()
        reader = self._reader
        if box is not None and reader.mode == "continuous" and reader.rotation == 0:
            reader.go_to(page, top=max(0.0, box[1] - 40))
        else:
            reader.go_to(page)
