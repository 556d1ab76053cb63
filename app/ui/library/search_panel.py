"""The search panel: a query over every book, and the profile's notes and highlights that match.

Results are grouped by book with a snippet a page; the notes and highlights that match are
listed under their book as notes. A snippet is shown around its first match (`snippet_column`).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.core.errors import MutolaaError
from app.core.models import AnnotationKind
from app.index.query import QuerySyntaxError
from app.index.snippets import Snippet
from app.services.annotations.note_search import NoteHit
from app.services.library.searching import SearchResults, search
from app.services.session import Session
from app.ui.common.fitting import fit_placeholder
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason
from app.ui.library.snippet_column import MATCH_ROLE, SnippetDelegate

# How long a search waits for the index being opened by the window's start-up catch-up.
INDEX_OPEN_WAIT_S = 120.0
RESULTS_SHOWN = 50
#: The item role holding a note hit's annotation id (page hits and books have none).
ANNOTATION_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchPanel(QWidget):
    """Searches the library in the background as the user presses Return.

    ``index_opened`` is set once nothing else is opening the index (the window's start-up
    catch-up opens it first), so that two threads never create it at once.
    """

    search_finished = Signal(object)  # SearchResults, or None when the search failed
    search_failed = Signal(str, object)  # a sentence for the status bar, the exception
    hit_chosen = Signal(str, object, str)  # book id, page (None: the book), word to mark
    note_chosen = Signal(str, str)  # book id, annotation id (after hit_chosen opened its page)

    def __init__(
        self,
        session: Session,
        queries: TaskRunner,
        index_opened: threading.Event,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session  # whose notes the search finds too
        self._queries = queries
        self._index_opened = index_opened
        self._last_results: SearchResults | None = None
        self.search_box = QLineEdit(self)
        self.search_box.returnPressed.connect(self._on_search_box_return_pressed)
        self.results = QTreeWidget(self)
        self.results.setColumnCount(2)
        self.results.setWordWrap(True)
        self.results.setItemDelegateForColumn(1, SnippetDelegate(self.results))
        self.results.itemActivated.connect(self._on_results_item_activated)
        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)  # a sentence saying why a search cannot be read
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.results)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.search_box.setPlaceholderText(ui_text('Search every book: words, "phrases", prefix*'))
        self.search_box.setAccessibleName(ui_text("Search the library"))
        fit_placeholder(self.search_box)
        self.results.setHeaderLabels([ui_text("Book / page"), ui_text("Text")])
        self.results.setAccessibleName(ui_text("Search results"))
        if self._last_results is not None:  # "p. 3" and the summary in the new language
            self._show(self._last_results)
        self._fit_first_column()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_search_box_return_pressed(self) -> None:
        self.run_search(self.search_box.text())

    def run_search(self, query: str) -> None:
        """Search the library in the background and show the results grouped by book."""
        if not query.strip():
            return
        self.summary.setText(ui_text("Searching…"))
        session = self._session
        opened = self._index_opened

        def work() -> SearchResults:
            opened.wait(INDEX_OPEN_WAIT_S)
            return search(session, query, limit=RESULTS_SHOWN)

        self._queries.submit(work, self._on_search_done, self._on_search_failed)

    def _fit_first_column(self) -> None:
        """Widen the book / page column to its title when the title needs more."""
        header = self.results.header()
        needed = header.sectionSizeFromContents(0).width()
        if header.sectionSize(0) < needed:
            header.resizeSection(0, needed)

    def _on_search_done(self, results: SearchResults) -> None:
        self._last_results = results
        self._show(results)
        self.search_finished.emit(results)

    def _show(self, results: SearchResults) -> None:
        """Show ``results``, grouped by book, in the interface language."""
        self.results.clear()
        notes: dict[str, list[NoteHit]] = {}
        for note in results.notes:
            notes.setdefault(note.book.id, []).append(note)
        for group in results.groups:
            book_item = QTreeWidgetItem([group.book.title, ", ".join(group.book.authors)])
            book_item.setData(0, Qt.ItemDataRole.UserRole, group.book.id)
            for match in group.pages:
                page_item = QTreeWidgetItem([ui_text("p. {n}").format(n=match.page + 1)])
                _show_snippet(page_item, match.snippet)
                spans = match.snippet.spans
                word = match.snippet.text[spans[0][0] : spans[0][1]] if spans else ""
                page_item.setData(0, Qt.ItemDataRole.UserRole, (group.book.id, match.page, word))
                book_item.addChild(page_item)
            for note in notes.pop(group.book.id, []):
                book_item.addChild(_note_item(note))
            self.results.addTopLevelItem(book_item)
            book_item.setExpanded(True)
        for book_notes in notes.values():  # books found by their notes only
            book = book_notes[0].book
            book_item = QTreeWidgetItem([book.title, ", ".join(book.authors)])
            book_item.setData(0, Qt.ItemDataRole.UserRole, book.id)
            for note in book_notes:
                book_item.addChild(_note_item(note))
            self.results.addTopLevelItem(book_item)
            book_item.setExpanded(True)
        self.summary.setText(_summary(results))

    def _on_search_failed(self, error: BaseException) -> None:
        self._last_results = None
        if isinstance(error, QuerySyntaxError):  # said where, the place selected in the box
            self.summary.setText(_syntax_error(error))
            if self.search_box.text() == error.query:  # ready to be mended
                self.search_box.setFocus(Qt.FocusReason.OtherFocusReason)
                self.search_box.setSelection(error.position - 1, len(error.token))
        elif isinstance(error, MutolaaError):  # e.g. a search with nothing to look for
            self.summary.setText(str(error))
        else:
            sentence = ui_text("The search failed: {reason}").format(reason=reason(error))
            self.summary.setText(sentence)
            self.search_failed.emit(sentence, error)
        self.search_finished.emit(None)

    def _on_results_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(target, tuple):
            self.hit_chosen.emit(target[0], target[1], target[2])
            annotation_id = item.data(0, ANNOTATION_ROLE)
            if isinstance(annotation_id, str):
                self.note_chosen.emit(target[0], annotation_id)
        elif isinstance(target, str):
            self.hit_chosen.emit(target, None, "")


def _note_item(note: NoteHit) -> QTreeWidgetItem:
    """A note hit: marked as a note (its kind before the page), its colour as a swatch."""
    page = note.page + 1
    if note.kind is AnnotationKind.HIGHLIGHT:
        label = ui_text("Highlight, p. {n}").format(n=page)
    elif note.kind is AnnotationKind.BOOKMARK:
        label = ui_text("Bookmark, p. {n}").format(n=page)
    else:
        label = ui_text("Note, p. {n}").format(n=page)
    item = QTreeWidgetItem([label])
    _show_snippet(item, note.snippet)
    item.setData(0, Qt.ItemDataRole.UserRole, (note.book.id, note.page, note.page_word))
    item.setData(0, ANNOTATION_ROLE, note.annotation_id)
    color = QColor(note.color) if note.color else QColor()
    if color.isValid():  # the highlight colours are named like Qt's (yellow, green, …)
        item.setData(0, Qt.ItemDataRole.DecorationRole, color)
    return item


def _show_snippet(item: QTreeWidgetItem, snippet: Snippet) -> None:
    """The snippet in the text column, its matches in «», shown around the first one."""
    marked = snippet.marked("«", "»")
    item.setText(1, marked)
    item.setToolTip(1, marked)
    if snippet.spans:  # in the marked text: the first match with its « and »
        start, end = snippet.spans[0]
        item.setData(1, MATCH_ROLE, (start, end + 2))


def _syntax_error(error: QuerySyntaxError) -> str:
    """Where a search cannot be read, and why, in the interface language."""
    n, token = error.position, error.token
    if error.problem == "unclosed":
        text = ui_text("The search cannot be read: the “(” at character {n} is never closed.")
    elif error.problem == "nothing_before":
        text = ui_text(
            "The search cannot be read: “{token}” at character {n} has nothing before it."
        )
    elif error.problem == "empty":
        text = ui_text("The search cannot be read: the brackets at character {n} hold nothing.")
    else:
        text = ui_text(
            "The search cannot be read: “{token}” at character {n} has nothing after it."
        )
    return text.format(n=n, token=token)


def _summary(results: SearchResults) -> str:
    """How many pages (and notes) a search found, in the interface language."""
    about = "" if results.total_exact else ui_text("about ")
    if results.total_notes:
        return ui_text("{about}{n} matching page(s), {k} matching note(s)").format(
            about=about, n=results.total_pages, k=results.total_notes
        )
    return ui_text("{about}{n} matching page(s)").format(about=about, n=results.total_pages)
