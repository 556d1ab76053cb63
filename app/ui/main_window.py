"""The main window: the library list, import in the background, and search across books."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import MutolaaError
from app.core.models import Book, BookState, ImportReport
from app.core.settings import Settings, save_settings
from app.core.tasks import CancelToken, Progress
from app.documents.worker import DocumentWorker
from app.services.importer import Importer, iter_failures
from app.services.library import Library
from app.services.searching import SearchResults, search
from app.ui.i18n import ui_text
from app.ui.library_model import COLUMNS, LibraryModel
from app.ui.reader import ReaderView
from app.ui.settings_dialog import SettingsDialog
from app.ui.tasks import TaskRunner

FILTER_DELAY_MS = 150


class MainWindow(QMainWindow):
    """The library, an import queue and the search panel of one library folder."""

    import_finished = Signal(object)  # ImportReport
    book_opened = Signal(object)  # ReaderView
    settings_saved = Signal(object)  # Settings
    book_removed = Signal(str)
    search_finished = Signal(object)  # SearchResults
    _progress_reported = Signal(object)  # Progress, from the import thread

    def __init__(self, library: Library, settings: Settings | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or Settings()
        self.setWindowTitle("Mutolaa")
        self.resize(1100, 700)
        self._queries = TaskRunner(self)  # store and index reads, in order
        self._imports = TaskRunner(self)  # long imports, beside the queries
        self._drawing = TaskRunner(self)  # page rendering, through one MuPDF worker process
        self._render_worker = DocumentWorker(timeout=20.0)
        self._cancel: CancelToken | None = None
        self._find_on_open = ""
        # asks before a book is removed; replaced in tests
        self.confirm: Callable[[str], bool] = self._ask_confirm
        # asks for an encrypted book's password; replaced in tests
        self.password_prompt: Callable[[Book], str | None] = self._ask_password

        self.model = LibraryModel(library, self._queries, self)
        self.model.shelf_loaded.connect(self._on_model_shelf_loaded)
        self._build_library_view()
        self._build_search_panel()
        self._build_status_bar()
        self._build_menus()

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._library_stack)
        splitter.addWidget(self._search_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.tabs = QTabWidget(self)
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(splitter, ui_text("Library"))
        self.tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.RightSide, None)
        self.tabs.tabCloseRequested.connect(self._on_tabs_tab_close_requested)
        self.setCentralWidget(self.tabs)
        self._progress_reported.connect(self._on_import_progress)
        self.model.refresh()

    # --- building --------------------------------------------------------------------------

    def _build_library_view(self) -> None:
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText(ui_text("Filter by title or author"))
        self.filter_box.setAccessibleName(ui_text("Filter the library"))
        self.filter_box.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._on_filter_timer_timeout)
        self.filter_box.textChanged.connect(lambda _text: self._filter_timer.start())

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(ui_text("Books in the library"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # newest first, as the model starts; set before sorting is enabled, which sorts
        self.table.horizontalHeader().setSortIndicator(
            len(COLUMNS) - 1, Qt.SortOrder.DescendingOrder
        )
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        details = QAction(ui_text("Book &details…"), self.table)
        details.triggered.connect(self._on_details_triggered)
        remove = QAction(ui_text("&Remove from the library"), self.table)
        remove.setShortcut(QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self._on_remove_triggered)
        self.table.addAction(details)
        self.table.addAction(remove)
        self.table.activated.connect(lambda index: self.open_book(self.model.book_id(index.row())))

        self._library_page = library_page = QWidget(self)
        layout = QVBoxLayout(library_page)
        self.format_filter = QComboBox(self)
        self.format_filter.setAccessibleName(ui_text("Only books of this format"))
        self.format_filter.addItem(ui_text("All formats"), None)
        for fmt in ("pdf", "epub", "fb2", "mobi", "xps", "cbz", "txt"):
            self.format_filter.addItem(fmt.upper(), fmt)
        self.language_filter = QComboBox(self)
        self.language_filter.setAccessibleName(ui_text("Only books in this language"))
        self.language_filter.addItem(ui_text("All languages"), None)
        for code, name in (("uz", "Oʻzbekcha"), ("ru", "Русский"), ("en", "English")):
            self.language_filter.addItem(name, code)
        for combo in (self.format_filter, self.language_filter):
            combo.currentIndexChanged.connect(lambda _index: self._filter_timer.start())
        filters = QHBoxLayout()
        filters.addWidget(self.filter_box, 1)
        filters.addWidget(self.format_filter)
        filters.addWidget(self.language_filter)
        layout.addLayout(filters)
        layout.addWidget(self.table)

        self.empty_page = QLabel(
            ui_text(
                "<h2>Your library is empty</h2>"
                "<p>Add books with <b>File → Import files…</b> (Ctrl+O) or "
                "<b>File → Import a folder…</b>, or drag files and folders here.</p>"
                "<p>Mutolaa reads PDF, EPUB, FB2, MOBI, XPS, CBZ and TXT, and searches "
                "Uzbek in both scripts, Russian and English.</p>"
            ),
            self,
        )
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_page.setWordWrap(True)
        self._library_stack = QStackedWidget(self)
        self._library_stack.addWidget(library_page)
        self._library_stack.addWidget(self.empty_page)
        self.setAcceptDrops(True)

    def _build_search_panel(self) -> None:
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText(ui_text('Search every book: words, "phrases", prefix*'))
        self.search_box.setAccessibleName(ui_text("Search the library"))
        self.search_box.returnPressed.connect(self._on_search_box_return_pressed)
        self.results = QTreeWidget(self)
        self.results.setHeaderLabels([ui_text("Book / page"), ui_text("Text")])
        self.results.setAccessibleName(ui_text("Search results"))
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._on_results_item_activated)
        self.search_summary = QLabel("", self)
        self._search_panel = QWidget(self)
        layout = QVBoxLayout(self._search_panel)
        layout.addWidget(self.search_box)
        layout.addWidget(self.search_summary)
        layout.addWidget(self.results)

    def _build_status_bar(self) -> None:
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(240)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(ui_text("Cancel"), self)
        self.cancel_button.setAccessibleName(ui_text("Cancel the import"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(ui_text("&File"))
        import_files = QAction(ui_text("&Import files…"), self)
        import_files.setShortcut(QKeySequence.StandardKey.Open)
        import_files.triggered.connect(self._on_import_files_triggered)
        import_folder = QAction(ui_text("Import a &folder…"), self)
        import_folder.triggered.connect(self._on_import_folder_triggered)
        quit_action = QAction(ui_text("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (import_files, import_folder):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.full_screen_action = QAction(ui_text("&Full screen"), self)
        self.full_screen_action.setShortcut(QKeySequence.StandardKey.FullScreen)
        self.full_screen_action.setCheckable(True)
        self.full_screen_action.toggled.connect(self._on_full_screen_action_toggled)
        view_menu = self.menuBar().addMenu(ui_text("&View"))
        view_menu.addAction(self.full_screen_action)
        settings_action = QAction(ui_text("&Settings…"), self)
        settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        settings_action.triggered.connect(self.edit_settings)
        view_menu.addAction(settings_action)
        find = QAction(ui_text("&Search the library"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.search_box.setFocus)
        self.menuBar().addMenu(ui_text("&Edit")).addAction(find)

    def edit_settings(self) -> SettingsDialog:
        """Open the settings dialog; OK saves the settings in the background."""
        dialog = SettingsDialog(self.settings, self)
        dialog.accepted.connect(lambda: self._apply_settings(dialog.result_settings()))
        dialog.open()
        return dialog

    def _apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        path = self.library.paths.settings
        self._queries.submit(lambda: save_settings(path, settings), self._on_settings_saved)

    def _on_settings_saved(self, _result: object) -> None:
        self.statusBar().showMessage(ui_text("Settings saved"))
        self.settings_saved.emit(self.settings)

    def _on_full_screen_action_toggled(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    # --- library ---------------------------------------------------------------------------

    def _on_filter_timer_timeout(self) -> None:
        self.model.refresh(
            text=self.filter_box.text(),
            fmt=self.format_filter.currentData(),
            lang=self.language_filter.currentData(),
        )

    def _on_model_shelf_loaded(self, count: int) -> None:
        # with no filter set, no books shown means no books at all
        filtered = (
            self.filter_box.text()
            or self.format_filter.currentData()
            or self.language_filter.currentData()
        )
        empty = count == 0 and not filtered
        self._library_stack.setCurrentWidget(self.empty_page if empty else self._library_page)

    def _selected_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def _on_details_triggered(self) -> None:
        row = self._selected_row()
        book = self.model.book(row) if row is not None else None
        if book is None:
            return
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

    def _ask_confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, ui_text("Remove the book?"), question)
        return answer == QMessageBox.StandardButton.Yes

    def _on_remove_triggered(self) -> None:
        row = self._selected_row()
        if row is not None:
            self.remove_book(self.model.book_id(row))

    def remove_book(self, book_id: str) -> None:
        """Remove a book, its file and its index entries, after asking."""
        row = self.model_row(book_id)
        book = self.model.book(row) if row >= 0 else None
        title = book.title if book is not None else book_id[:10]
        question = ui_text("Remove “{title}” and its file from the library?").format(title=title)
        if not self.confirm(question):
            return
        library = self.library

        def work() -> str:
            library.store.remove(book_id)
            with Importer(library) as importer:
                importer.indexer.remove_book(book_id)
            return book_id

        self._imports.submit(work, self._on_book_removed, self._on_import_failed)

    def model_row(self, book_id: str) -> int:
        """The row of a book in the library list (-1 when not shown)."""
        for row in range(self.model.rowCount()):
            if self.model.book_id(row) == book_id:
                return row
        return -1

    def _on_book_removed(self, book_id: str) -> None:
        for index in reversed(range(1, self.tabs.count())):
            reader = self.tabs.widget(index)
            if isinstance(reader, ReaderView) and reader.book.id == book_id:
                self._on_tabs_tab_close_requested(index)
        self.model.forget({book_id})
        self.model.refresh()
        self.book_removed.emit(book_id)

    # --- import ----------------------------------------------------------------------------

    def _on_import_files_triggered(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            ui_text("Import books"),
            str(Path.home()),
            ui_text("Books (*.pdf *.epub *.fb2 *.mobi *.xps *.cbz *.txt);;All files (*)"),
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def _on_import_folder_triggered(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, ui_text("Import a folder"), str(Path.home())
        )
        if folder:
            self.import_paths([Path(folder)])

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[Path]) -> None:
        """Import files and folders in the background, with progress and a cancel button."""
        token = CancelToken()
        self._cancel = token
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        emit = self._progress_reported.emit

        def work() -> ImportReport:
            with Importer(self.library) as importer:
                importer.resume(emit, token)
                return importer.run(paths, progress=emit, cancel=token)

        self._imports.submit(work, self._on_import_done, self._on_import_failed)

    def _on_import_progress(self, event: Progress) -> None:
        if event.total:
            self.progress.setRange(0, event.total)
            self.progress.setValue(event.done)
        stages = {
            "importing": ui_text("Importing"),
            "reading": ui_text("Reading"),
            "indexing": ui_text("Indexing"),
        }
        stage = stages.get(event.stage, event.stage)
        self.statusBar().showMessage(f"{stage}: {event.label}")

    def _on_cancel_button_clicked(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()

    def _finish_import(self) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self._cancel = None
        self.model.forget()
        self.model.refresh()

    def _on_import_done(self, report: ImportReport) -> None:
        self._finish_import()
        summary = ui_text("{added} added, {dupes} already there, {locked} locked, {failed} failed")
        self.statusBar().showMessage(
            summary.format(
                added=len(report.added),
                dupes=len(report.duplicates),
                locked=len(report.locked),
                failed=len(report.failures),
            )
        )
        if report.failures:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(ui_text("Some files could not be imported"))
            box.setText(
                ui_text("{n} file(s) could not be imported.").format(n=len(report.failures))
            )
            box.setDetailedText("\n".join(iter_failures(report)))
            box.open()
        self.import_finished.emit(report)

    def _on_import_failed(self, error: BaseException) -> None:
        self._finish_import()
        QMessageBox.warning(self, ui_text("Import stopped"), str(error))

    # --- search ----------------------------------------------------------------------------

    def _on_search_box_return_pressed(self) -> None:
        self.run_search(self.search_box.text())

    def run_search(self, query: str) -> None:
        """Search the library in the background and show the results grouped by book."""
        if not query.strip():
            return
        self.search_summary.setText(ui_text("Searching…"))

        def work() -> SearchResults:
            return search(self.library, query, limit=50)

        self._queries.submit(work, self._on_search_done, self._on_search_failed)

    def _on_search_done(self, results: SearchResults) -> None:
        self.results.clear()
        for group in results.groups:
            book_item = QTreeWidgetItem([group.book.title, ", ".join(group.book.authors)])
            book_item.setData(0, Qt.ItemDataRole.UserRole, group.book.id)
            for match in group.pages:
                page_item = QTreeWidgetItem(
                    [ui_text("p. {n}").format(n=match.page + 1), match.snippet.marked("«", "»")]
                )
                spans = match.snippet.spans
                word = match.snippet.text[spans[0][0] : spans[0][1]] if spans else ""
                page_item.setData(0, Qt.ItemDataRole.UserRole, (group.book.id, match.page, word))
                page_item.setToolTip(1, match.snippet.marked("«", "»"))
                book_item.addChild(page_item)
            self.results.addTopLevelItem(book_item)
            book_item.setExpanded(True)
        about = "" if results.total_exact else ui_text("about ")
        self.search_summary.setText(
            ui_text("{about}{n} matching page(s)").format(about=about, n=results.total_pages)
        )
        self.search_finished.emit(results)

    def _on_search_failed(self, error: BaseException) -> None:
        message = str(error) if isinstance(error, MutolaaError) else repr(error)
        self.search_summary.setText(message)
        self.search_finished.emit(None)

    # --- reading ---------------------------------------------------------------------------

    def _on_results_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(target, tuple):
            self.open_book(target[0], page=target[1], find=target[2])
        elif isinstance(target, str):
            self.open_book(target)

    def open_book(self, book_id: str, page: int | None = None, find: str = "") -> None:
        """Open a book in a tab at ``page``, or where this profile stopped reading it.

        With ``find``, that word is marked on the page (as when a search hit is chosen).
        """
        self._find_on_open = find
        for index in range(1, self.tabs.count()):
            reader = self.tabs.widget(index)
            if isinstance(reader, ReaderView) and reader.book.id == book_id:
                self.tabs.setCurrentIndex(index)
                if page is not None:
                    reader.go_to(page)
                if find:
                    reader.find_text(find)
                return
        store = self.library.store

        def work() -> tuple[Book | None, Path | None, int]:
            book = store.get(book_id)
            if book is None:
                return None, None, 0
            saved = store.progress(book_id)
            start = page if page is not None else _saved_page(saved)
            return book, store.file_path(book), start

        self._queries.submit(work, self._on_book_loaded)

    def _on_book_loaded(self, loaded: tuple[Book | None, Path | None, int]) -> None:
        book, path, start = loaded
        if book is None or path is None:
            self.statusBar().showMessage(ui_text("That book is no longer in the library"))
            return
        if book.encrypted:
            self._open_encrypted(book, path, start)
            return
        self._add_reader(book, path, start, None)

    def _open_encrypted(self, book: Book, path: Path, start: int) -> None:
        """Ask for the password, check it (unlocking a locked book), then open the book."""
        password = self.password_prompt(book)
        if password is None:
            return
        library = self.library

        def work() -> Book:
            if book.state is BookState.LOCKED:
                with Importer(library) as importer:  # reads and indexes it too
                    return importer.unlock(book, password)
            with DocumentWorker() as checker:  # not the drawing worker: another thread uses it
                checker.describe(path, password)
            return book

        def failed(error: BaseException) -> None:
            box = QMessageBox(
                QMessageBox.Icon.Warning, ui_text("Cannot open the book"), str(error), parent=self
            )
            box.open()

        self._imports.submit(
            work, lambda opened: self._add_reader(opened, path, start, password), failed
        )

    def _ask_password(self, book: Book) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            ui_text("Password"),
            ui_text("“{title}” is encrypted. Its password:").format(title=book.title),
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None

    def _add_reader(self, book: Book, path: Path, start: int, password: str | None) -> None:
        reader = ReaderView(
            book,
            path,
            self._drawing,
            self._render_worker,
            start_page=start,
            password=password,
            zoom=self.settings.zoom,
            theme=self.settings.theme,
            page_texts=lambda: self.library.store.pages(book.id),
        )
        reader.page_shown.connect(lambda shown: self._remember_page(book, shown))
        if self._find_on_open:
            reader.find_text(self._find_on_open)
        index = self.tabs.addTab(reader, book.title[:32])
        self.tabs.setTabToolTip(index, book.title)
        self.tabs.setCurrentIndex(index)
        self.book_opened.emit(reader)

    def _remember_page(self, book: Book, page: int) -> None:
        store = self.library.store
        fraction = (page + 1) / max(1, book.page_count)
        self._queries.submit(lambda: store.set_progress(book.id, f"page={page}", fraction), _ignore)

    def _on_tabs_tab_close_requested(self, index: int) -> None:
        if index > 0:
            widget = self.tabs.widget(index)
            self.tabs.removeTab(index)
            if widget is not None:
                widget.deleteLater()

    # --- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: Any) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
        for runner in (self._imports, self._queries, self._drawing):
            runner.close()
        self._render_worker.close()
        super().closeEvent(event)


def _saved_page(saved: tuple[str, float] | None) -> int:
    """The page of a saved position (``page=N``), or the first page."""
    if saved is None or not saved[0].startswith("page="):
        return 0
    try:
        return max(0, int(saved[0].removeprefix("page=")))
    except ValueError:
        return 0


def _ignore(_result: object) -> None:
    """A task whose result nobody waits for."""
