"""Find in an open book: the find box's words looked for in the background, the pages holding
them, their matches marked on the pages, and stepping through the matches (F3 / Shift+F3).

A fixed-page book is searched in its saved page texts; a reflowable book laid out at another
size in the MuPDF worker, in the pages of the current layout. The matches themselves are
kept by ``app/ui/reader/find_hits.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from app.core.findtext import count_in_text, query_words
from app.core.models import PageText
from app.ui.common.i18n import ui_text
from app.ui.reader.drawing import BookSource
from app.ui.reader.find_hits import Hits
from app.ui.reader.page_geometry import Word

if TYPE_CHECKING:
    from app.ui.reader.view import ReaderView


class ReaderFind(QObject):
    """Find in the book open in ``reader``, with its find box and status.

    Signals:
        found(int): the pages holding what was searched with ``find_text``.
    """

    found = Signal(int)

    def __init__(
        self,
        reader: ReaderView,
        source: BookSource,
        *,
        page_texts: Callable[[], list[PageText]] | None,
    ) -> None:
        super().__init__(reader)
        self._reader = reader
        self._runner, self._worker, self._path, self._password = source
        self._page_texts = page_texts
        self.hits = Hits()
        self.generation = 0  # of the find: words read for an older one mark nothing

    def retranslate(self) -> None:
        """Say again in the interface language how many pages hold the matches."""
        if self.hits.pages:
            self._reader.find_status.setText(ui_text("{n} page(s)").format(n=len(self.hits.pages)))

    def focus_find(self) -> None:
        """Put the keyboard in the find box, its text selected (Ctrl+F in a book)."""
        self._reader.find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._reader.find_box.selectAll()

    def on_find_box_return_pressed(self) -> None:
        """Find the box's words, or step to the next match when they were found already."""
        words = query_words(self._reader.find_box.text())
        if words != self.hits.words:
            self.find_text(self._reader.find_box.text())
        else:
            self.next_hit()

    def find_text(self, query: str) -> None:
        """Find ``query`` in the whole book (case, script and apostrophes ignored).

        The pages holding it are found in the background (from the saved page texts, or
        in the worker for a reflowable book laid out at another size); the first one from
        the current page on is shown with every match marked.
        """
        reader = self._reader
        self.hits.start(query_words(query))
        self.generation += 1
        self.update_marks()
        if reader.find_box.text() != query:
            reader.find_box.setText(query)
        wanted = list(self.hits.words)
        if not wanted or (self._page_texts is None and not reader.reflowable):
            reader.find_status.setText("")
            return
        if reader.reflowable and not reader.laid_out_now:
            return  # searched again once the book is laid out
        generation = self.generation
        reader.find_status.setText(ui_text("Searching…"))
        source = self._page_texts
        if (reader.reflowable and reader.font_size is not None) or source is None:
            path, worker, password, font = (
                self._path,
                self._worker,
                self._password,
                reader.font_size,
            )

            def work() -> list[int]:
                return worker.find(path, wanted, password, font)

        else:

            def work() -> list[int]:
                assert source is not None
                return [p.page for p in source() if count_in_text(p.text, wanted)]

        self._runner.submit(work, lambda pages: self._on_hit_pages_found(generation, pages))

    def _on_hit_pages_found(self, generation: int, pages: list[int]) -> None:
        if generation != self.generation:
            return
        target = self.hits.found(pages, self._reader.page)
        if target is None:
            self._reader.find_status.setText(ui_text("Not found"))
            self.found.emit(0)
            return
        self._reader.find_status.setText(ui_text("{n} page(s)").format(n=len(self.hits.pages)))
        self._show_hit(target)
        self.found.emit(len(self.hits.pages))

    def pages_shown(self, pages: list[int]) -> None:
        """Mark the matches of a find on every page that comes into view."""
        for page in pages:
            if page in self.hits.pages and page not in self.hits.boxes:
                self._reader.request_words(page)

    def words_read(self, generation: int, page: int, words: list[Word]) -> None:
        """The words of ``page`` came, asked while the find ``generation`` was the last one."""
        if generation != self.generation or not self.hits.words:
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
            self._reader.request_words(page)
            return
        self.update_marks()
        box = self.hits.current_box()
        reader = self._reader
        if box is not None and reader.mode == "continuous" and reader.rotation == 0:
            reader.go_to(page, top=max(0.0, box[1] - 40))
        else:
            reader.go_to(page)
