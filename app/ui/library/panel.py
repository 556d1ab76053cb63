"""The library view: filters, the list and the grid of covers over one model, book actions."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.library.shelves import Shelf
from app.services.library.shelf import shelves_of
from app.services.session import Library, Session
from app.ui.common.fitting import fit_combo, fit_placeholder
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.library.cover_grid import CoverGrid
from app.ui.library.model import COLUMNS, LibraryModel, column_title

FILTER_DELAY_MS = 150
FORMATS = ("pdf", "epub", "fb2", "mobi", "xps", "cbz", "txt")
# Book languages by their own names, which need no translation.
BOOK_LANGUAGES = (("uz", "Oʻzbekcha"), ("ru", "Русский"), ("en", "English"))
ADDED_COLUMN = len(COLUMNS) - 1
# newest first and most read first; the other columns sort A to Z
DESCENDING_FIRST = {[key for key, _title in COLUMNS].index(k) for k in ("added", "progress")}


class LibraryPanel(QWidget):
    """The books of the library as a list or a grid of covers, filtered as the user types.

    Both views show the same rows (one sort, one set of filters) and the book chosen in one
    is chosen in the other when the view changes; opening (double-click or Return) and the
    context actions work in either.
    """

    book_activated = Signal(str)  # id of the book to open
    remove_requested = Signal(str)  # id of the book to remove
    view_chosen = Signal(str)  # "list" or "grid", chosen by the user

    def __init__(
        self,
        session: Session,
        queries: TaskRunner,
        view: str = "list",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        library = session.library
        self._session = session
        self._queries = queries
        self.model = LibraryModel(session, queries, self)
        self.model.shelf_loaded.connect(self._on_model_shelf_loaded)
        self.model.shelves_changed.connect(self._on_model_shelves_changed)
        self._build_filters()
        self._build_views(library, queries)
        self.empty_page = QLabel(self)
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_page.setWordWrap(True)

        self._library_page = QWidget(self)
        layout = QVBoxLayout(self._library_page)
        layout.setContentsMargins(9, 9, 0, 9)  # as the search panel beside it
        # the shelf first, on a row of its own: the filters' row has no room left for it in
        # Uzbek or Russian
        shelf_row = QHBoxLayout()
        shelf_row.addWidget(self.shelf_filter)
        shelf_row.addStretch(1)
        layout.addLayout(shelf_row)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_box, 1)
        for widget in (
            self.format_filter,
            self.language_filter,
            self.sort_box,
            self.list_button,
            self.grid_button,
        ):
            filters.addWidget(widget)
        layout.addLayout(filters)
        layout.addWidget(self.views)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._library_page)
        self._stack.addWidget(self.empty_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)
        self.retranslate()
        self.set_view(view)
        self.load_shelves()

    # --- building --------------------------------------------------------------------------

    def _build_filters(self) -> None:
        self.filter_box = QLineEdit(self)
        self.filter_box.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._on_filter_timer_timeout)
        self.filter_box.textChanged.connect(lambda _text: self._filter_timer.start())
        # the person's shelves: their ids as the items' data, filled by load_shelves()
        self.shelf_filter = QComboBox(self)
        self.shelf_filter.addItem("", None)
        self.shelf_filter.currentIndexChanged.connect(lambda _index: self._filter_timer.start())
        self.format_filter = QComboBox(self)
        self.format_filter.addItem("", None)
        for fmt in FORMATS:
            self.format_filter.addItem(fmt.upper(), fmt)
        self.language_filter = QComboBox(self)
        self.language_filter.addItem("", None)
        for code, name in BOOK_LANGUAGES:
            self.language_filter.addItem(name, code)
        for combo in (self.format_filter, self.language_filter):
            combo.currentIndexChanged.connect(lambda _index: self._filter_timer.start())
        # the list sorts by its headers; the grid has none, so it has this box
        self.sort_box = QComboBox(self)
        for column in range(len(COLUMNS)):
            self.sort_box.addItem("", column)
        self.sort_box.activated.connect(self._on_sort_box_activated)
        for combo in (self.shelf_filter, self.format_filter, self.language_filter, self.sort_box):
            fit_combo(combo)  # "All formats" grows to "Barcha formatlar" after a switch

        self.list_action = QAction(self)
        self.grid_action = QAction(self)
        group = QActionGroup(self)
        for action, kind in ((self.list_action, "list"), (self.grid_action, "grid")):
            action.setCheckable(True)
            action.setData(kind)
            group.addAction(action)
        group.triggered.connect(self._on_view_group_triggered)
        self.list_button = QToolButton(self)
        self.list_button.setDefaultAction(self.list_action)
        self.grid_button = QToolButton(self)
        self.grid_button.setDefaultAction(self.grid_action)

    def _build_views(self, library: Library, queries: TaskRunner) -> None:
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        header = self.table.horizontalHeader()
        # newest first, as the model starts; set before sorting is enabled, which sorts
        header.setSortIndicator(ADDED_COLUMN, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self._on_header_sort_indicator_changed(ADDED_COLUMN, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setVisible(False)

        store = library.store
        self.grid = CoverGrid(self.model, queries, store.cover, self)

        self.details_action = QAction(self)
        self.details_action.triggered.connect(self.show_details)
        self.remove_action = QAction(self)
        self.remove_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(self._on_remove_action_triggered)
        for view in (self.table, self.grid):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.addAction(self.details_action)
            view.addAction(self.remove_action)
            view.activated.connect(self._on_view_activated)
        self.views = QStackedWidget(self)
        self.views.addWidget(self.table)
        self.views.addWidget(self.grid)

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.filter_box.setPlaceholderText(ui_text("Filter by title or author"))
        fit_placeholder(self.filter_box)
        self.filter_box.setAccessibleName(ui_text("Filter the library"))
        self.shelf_filter.setItemText(0, ui_text("All shelves"))
        self.shelf_filter.setAccessibleName(ui_text("Only books on this shelf"))
        for item in range(1, self.shelf_filter.count()):
            built_in = _built_in_name(str(self.shelf_filter.itemData(item)))
            if built_in:
                self.shelf_filter.setItemText(item, built_in)
        self.format_filter.setItemText(0, ui_text("All formats"))
        self.format_filter.setAccessibleName(ui_text("Only books of this format"))
        self.language_filter.setItemText(0, ui_text("All languages"))
        self.language_filter.setAccessibleName(ui_text("Only books in this language"))
        for column, (key, _title) in enumerate(COLUMNS):
            self.sort_box.setItemText(column, column_title(key))
        self.sort_box.setAccessibleName(ui_text("Sort the books by"))
        self.sort_box.setToolTip(ui_text("Sort the books by"))
        self.list_action.setText(ui_text("&List"))
        self.list_action.setToolTip(ui_text("Show the books as a list"))
        self.list_button.setAccessibleName(ui_text("Show the books as a list"))
        self.grid_action.setText(ui_text("&Covers"))
        self.grid_action.setToolTip(ui_text("Show the books as a grid of covers"))
        self.grid_button.setAccessibleName(ui_text("Show the books as a grid of covers"))
        self.table.setAccessibleName(ui_text("Books in the library"))
        self.grid.setAccessibleName(ui_text("Covers of the books in the library"))
        self.details_action.setText(ui_text("Book &details…"))
        self.remove_action.setText(ui_text("&Remove from the library"))
        self.empty_page.setText(
            ui_text(
                "<h2>Your library is empty</h2>"
                "<p>Add books with <b>File → Import files…</b> (Ctrl+O) or "
                "<b>File → Import a folder…</b>, or drag files and folders here.</p>"
                "<p>Mutolaa reads PDF, EPUB, FB2, MOBI, XPS, CBZ and TXT, and searches "
                "Uzbek in both scripts, Russian and English.</p>"
            )
        )
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- the view --------------------------------------------------------------------------

    @property
    def view(self) -> str:
        """The view shown: "list" or "grid"."""
        return "grid" if self.views.currentWidget() is self.grid else "list"

    def current_view(self) -> QAbstractItemView:
        """The list or the grid, whichever is shown."""
        return self.grid if self.view == "grid" else self.table

    def set_view(self, kind: str) -> None:
        """Show the books as a "list" or a "grid" of covers (the choice is not saved here)."""
        grid = kind == "grid"
        old = self.current_view()
        had_focus = old.hasFocus()
        current = old.currentIndex()
        self.views.setCurrentWidget(self.grid if grid else self.table)
        (self.grid_action if grid else self.list_action).setChecked(True)
        self.sort_box.setVisible(grid)
        new = self.current_view()
        if new is not old and current.isValid():  # the same rows: carry the chosen book over
            index = new.model().index(current.row(), 0)
            new.setCurrentIndex(index)
            new.scrollTo(index)
        if had_focus:
            new.setFocus()

    def _on_view_group_triggered(self, action: QAction) -> None:
        kind = str(action.data())
        self.set_view(kind)
        self.view_chosen.emit(kind)

    def _on_header_sort_indicator_changed(self, column: int, _order: Qt.SortOrder) -> None:
        self.sort_box.setCurrentIndex(max(0, self.sort_box.findData(column)))

    def _on_sort_box_activated(self, _index: int) -> None:
        column = int(self.sort_box.currentData())
        # the date added sorts newest first, the rest from A (or the fewest pages)
        order = (
            Qt.SortOrder.DescendingOrder
            if column in DESCENDING_FIRST
            else Qt.SortOrder.AscendingOrder
        )
        self.table.sortByColumn(column, order)

    # --- filtering -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the books again with the filters as they are (after an import, a removal)."""
        self.model.forget()
        self.grid.covers.forget()
        self._on_filter_timer_timeout()

    def _on_filter_timer_timeout(self) -> None:
        self.model.refresh(
            text=self.filter_box.text(),
            fmt=self.format_filter.currentData(),
            lang=self.language_filter.currentData(),
            shelf_id=self.shelf_filter.currentData(),
        )

    def load_shelves(self) -> None:
        """Read the person's shelves again into the shelf filter (in the background)."""
        session = self._session
        self._queries.submit(
            lambda: shelves_of(session), self._on_shelves_loaded, self.model.query_failed.emit
        )

    def _on_shelves_loaded(self, shelves: list[Shelf]) -> None:
        chosen = self.shelf_filter.currentData()
        self.shelf_filter.blockSignals(True)
        while self.shelf_filter.count() > 1:
            self.shelf_filter.removeItem(1)
        for shelf in shelves:
            self.shelf_filter.addItem(_built_in_name(shelf.id) or shelf.name, shelf.id)
        found = self.shelf_filter.findData(chosen) if chosen is not None else 0
        self.shelf_filter.setCurrentIndex(max(0, found))
        self.shelf_filter.blockSignals(False)
        if chosen is not None and found < 0:  # the shelf shown was removed: show them all
            self._filter_timer.start()

    def _on_model_shelves_changed(self) -> None:
        # a book put on or taken off a shelf, or hidden: the names and the books shown follow
        self.load_shelves()
        self._filter_timer.start()

    def _on_model_shelf_loaded(self, count: int) -> None:
        # with no filter set, no books shown means no books at all
        filtered = (
            self.filter_box.text()
            or self.shelf_filter.currentData()
            or self.format_filter.currentData()
            or self.language_filter.currentData()
        )
        empty = count == 0 and not filtered
        self._stack.setCurrentWidget(self.empty_page if empty else self._library_page)

    # --- books -----------------------------------------------------------------------------

    def current_book_id(self) -> str | None:
        """The id of the book chosen in the list or the grid."""
        index = self.current_view().currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.book_id(index.row())

    def _on_view_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.book_activated.emit(self.model.book_id(index.row()))

    def _on_remove_action_triggered(self) -> None:
        book_id = self.current_book_id()
        if book_id is not None:
            self.remove_requested.emit(book_id)

    def show_details(self) -> QMessageBox | None:
        """Show the chosen book's details in a box (None when no book's data is here)."""
        index = self.current_view().currentIndex()
        book = self.model.book(index.row()) if index.isValid() else None
        if book is None:
            return None
        lines = [
            (ui_text("Title"), book.title),
            (ui_text("Authors"), ", ".join(book.authors) or "—"),
            (ui_text("Language"), ", ".join(book.languages) or "—"),
            (ui_text("Format"), book.format.upper()),
            (ui_text("Pages"), str(book.page_count)),
            (ui_text("Size"), f"{book.size:,} B"),
            (ui_text("Added"), time.strftime("%Y-%m-%d %H:%M", time.localtime(book.added_at))),
            (ui_text("Source"), book.source),
            ("ID", book.id),
        ]
        box = QMessageBox(QMessageBox.Icon.Information, book.title, "", parent=self)
        box.setText("\n".join(f"{name}: {value}" for name, value in lines))
        box.setObjectName("book-details")
        box.open()
        return box


def _built_in_name(shelf_id: str) -> str:
    """A built-in shelf's name in the interface language ("" for a shelf the person named)."""
    if shelf_id == "reading":
        return ui_text("Reading now")
    if shelf_id == "finished":
        return ui_text("Finished")
    return ""
