"""The library list: an item model that holds book ids and loads rows in the background."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.core.models import Book
from app.library.changes import StoreChange
from app.services.library.shelf import shelf_ids
from app.services.session import Session
from app.ui.common.i18n import ui_text
from app.ui.common.store_events import StoreEvents
from app.ui.common.tasks import TaskRunner

# Rows are fetched in chunks of this many books when a view first asks for them.
CHUNK = 200
# (sort key, English header) of each column; headers are shown through column_title().
COLUMNS = (
    ("title", "Title"),
    ("authors", "Authors"),
    ("language", "Language"),
    ("format", "Format"),
    ("pages", "Pages"),
    ("progress", "Read"),
    ("added", "Added"),
)
FORMAT_COLUMN = [key for key, _title in COLUMNS].index("format")
BOOK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
LOADING = "…"

Index = QModelIndex | QPersistentModelIndex


class LibraryModel(QAbstractTableModel):
    """Books of the library as a table; only ids are held, rows arrive as they are needed.

    Every query (sort, filter) runs on the task runner; ``shelf_loaded`` is emitted when the
    new list of ids is in place, ``query_failed`` with the error when a query could not run.
    """

    shelf_loaded = Signal(int)  # number of books shown
    query_failed = Signal(object)  # BaseException
    shelves_changed = Signal()  # the person's shelves or hidden books changed (here or by a sync)

    def __init__(self, session: Session, runner: TaskRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self._ids: list[str] = []
        self._rows: dict[str, Book] = {}
        self._read: dict[str, float] = {}  # how far the profile has read each book
        self._loading: set[int] = set()
        self._generation = 0
        self._query: dict[str, Any] = {"text": "", "order": "added", "descending": True}
        # reading progress saved here or pulled by a sync: the column follows the store
        self._events = StoreEvents(session.library.store, self)
        self._events.changed.connect(self._on_events_changed)

    def stop(self) -> None:
        """Stop following the store (the window closes before its library)."""
        self._events.stop()

    def _on_events_changed(self, changes: tuple[StoreChange, ...]) -> None:
        mine = self._session.profile_id
        if any(c.kind in ("shelf", "hidden") and c.profile_id == mine for c in changes):
            self.shelves_changed.emit()
        ids = sorted(
            {c.object_id for c in changes if c.kind == "progress" and c.profile_id == mine}
            & set(self._rows)
        )
        if not ids:
            return
        store = self._session.library.store
        self._runner.submit(
            lambda: store.reading_fractions(ids, mine),
            self._on_fractions_read,
            self.query_failed.emit,
        )

    def _on_fractions_read(self, fractions: dict[str, float]) -> None:
        for book_id, fraction in fractions.items():
            if book_id in self._ids:
                self.note_progress(book_id, fraction)

    # --- the query -------------------------------------------------------------------------

    def refresh(self, **changes: Any) -> None:
        """Run the shelf query again with ``changes`` (text, order, descending, fmt, lang,
        shelf_id)."""
        self._query.update(changes)
        query = dict(self._query)
        self._generation += 1
        generation = self._generation
        session = self._session
        self._runner.submit(
            lambda: shelf_ids(session, **query),
            lambda ids: self._on_ids_loaded(generation, ids),
            self.query_failed.emit,
        )

    def _on_ids_loaded(self, generation: int, ids: list[str]) -> None:
        if generation != self._generation:
            return  # a newer query is on its way
        self.beginResetModel()
        self._ids = ids
        self._rows = {i: self._rows[i] for i in ids if i in self._rows}
        self._loading.clear()
        self.endResetModel()
        self.shelf_loaded.emit(len(ids))

    def forget(self, book_ids: set[str] | None = None) -> None:
        """Drop cached rows (of these books, or all) so they are read again."""
        if book_ids is None:
            self._rows.clear()
            self._read.clear()
        else:
            for book_id in book_ids:
                self._rows.pop(book_id, None)
                self._read.pop(book_id, None)

    def note_progress(self, book_id: str, fraction: float) -> None:
        """Show how far a book has been read (the reader saved it) without reading it back."""
        self._read[book_id] = fraction
        if book_id in self._rows:
            row = self._ids.index(book_id)
            column = [key for key, _title in COLUMNS].index("progress")
            self.dataChanged.emit(self.index(row, column), self.index(row, column))

    def retranslate(self) -> None:
        """Have the views read the column headers again (the interface language changed)."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    # --- rows ------------------------------------------------------------------------------

    def book_id(self, row: int) -> str:
        """The id of the book shown in ``row``."""
        return self._ids[row]

    def book(self, row: int) -> Book | None:
        """The book in ``row`` if its data has arrived."""
        return self._rows.get(self._ids[row])

    def _request(self, row: int) -> None:
        chunk = row // CHUNK
        if chunk in self._loading:
            return
        self._loading.add(chunk)
        ids = self._ids[chunk * CHUNK : (chunk + 1) * CHUNK]
        generation = self._generation
        store, profile = self._session.library.store, self._session.profile_id
        self._runner.submit(
            lambda: (store.books_by_ids(ids), store.reading_fractions(ids, profile)),
            lambda loaded: self._on_rows_loaded(generation, chunk, *loaded),
            self.query_failed.emit,  # the chunk stays marked: no retry on every repaint
        )

    def _on_rows_loaded(
        self, generation: int, chunk: int, books: dict[str, Book], read: dict[str, float]
    ) -> None:
        if generation != self._generation:
            return
        self._rows.update(books)
        self._read.update(read)
        self._loading.discard(chunk)
        first = chunk * CHUNK
        last = min(len(self._ids), first + CHUNK) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    # --- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == BOOK_ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        book = self._rows.get(self._ids[index.row()])
        if book is None:
            self._request(index.row())
            return LOADING if index.column() == 0 else ""
        key = COLUMNS[index.column()][0]
        if key == "progress":
            fraction = self._read.get(book.id)
            return "" if fraction is None else f"{round(fraction * 100)} %"
        return _cell(book, key)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return column_title(COLUMNS[section][0])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self.refresh(order=COLUMNS[column][0], descending=order == Qt.SortOrder.DescendingOrder)


def column_title(key: str) -> str:
    """The translated header of a column."""
    titles = {
        "title": ui_text("Title"),
        "authors": ui_text("Authors"),
        "language": ui_text("Language"),
        "format": ui_text("Format"),
        "pages": ui_text("Pages"),
        "progress": ui_text("Read"),
        "added": ui_text("Added"),
    }
    return titles[key]


def _cell(book: Book, key: str) -> str:
    if key == "title":
        return book.title
    if key == "authors":
        return ", ".join(book.authors)
    if key == "language":
        return ", ".join(book.languages)
    if key == "format":
        return book.format.upper()
    if key == "pages":
        return str(book.page_count)
    return time.strftime("%Y-%m-%d", time.localtime(book.added_at))
