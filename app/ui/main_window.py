"""The main window: the library, import and indexing in the background, search across books."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabBar,
    QTabWidget,
)

from app.core.models import Annotation, Book, BookState, ImportReport
from app.core.positions import format_position
from app.core.settings import Settings, save_settings
from app.core.tasks import CancelToken
from app.documents.worker import DocumentWorker
from app.services.exports.exporting import ExportResult, export_annotations
from app.services.importer import Importer, iter_failures
from app.services.indexing import Indexer
from app.services.library import Library
from app.ui.annotation_editor import AnnotationEditor
from app.ui.annotation_export import ask_export
from app.ui.annotations_view import AnnotationsDialog
from app.ui.catalogs_page import CatalogsPage
from app.ui.i18n import chosen_language, read_translations, ui_text, use_language
from app.ui.library_panel import LibraryPanel
from app.ui.reader import ReaderView
from app.ui.search_panel import SearchPanel
from app.ui.settings_dialog import SettingsDialog
from app.ui.tasks import TaskRunner
from app.ui.window_sync import SyncTiming, WindowSync
from app.ui.work_status import WorkStatus, reason


class MainWindow(QMainWindow):
    """The library, an import queue and the search panel of one library folder.

    ``sync_timing`` says when the library syncs with its library server (`WindowSync`).
    """

    import_finished = Signal(object)  # ImportReport
    book_opened = Signal(object)  # ReaderView
    settings_saved = Signal(object)  # Settings
    book_removed = Signal(str)
    search_finished = Signal(object)  # SearchResults
    annotations_exported = Signal(object)  # ExportResult
    index_caught_up = Signal(int)  # pages the start-up catch-up added to the index
    _progress_reported = Signal(object)  # Progress, from a background thread

    def __init__(
        self,
        library: Library,
        settings: Settings | None = None,
        *,
        sync_timing: SyncTiming | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or Settings()
        self.resize(1100, 700)
        self._queries = TaskRunner(self)  # store and index reads, in order
        self._imports = TaskRunner(self)  # imports and indexing, beside the queries
        self._drawing = TaskRunner(self)  # page rendering, through one MuPDF worker process
        self._render_worker = DocumentWorker(timeout=20.0)
        # started now, so the first book opened does not wait for MuPDF to load
        self._drawing.submit(self._render_worker.start, _ignore)
        # cleared while the start-up catch-up opens the index, so that no search opens it too
        self._index_opened = threading.Event()
        self._index_opened.set()
        self._caught_up = False
        self._find_on_open = ""
        # bookmarks, highlights and notes: saved on the query runner, one undo stack
        self.annotation_editor = AnnotationEditor(library, self._queries, parent=self)
        self.annotation_editor.failed.connect(self._on_annotation_editor_failed)
        self.annotations_dialog: AnnotationsDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        # asks before a book is removed; replaced in tests
        self.confirm: Callable[[str], bool] = self._ask_confirm
        # asks for an encrypted book's password; replaced in tests
        self.password_prompt: Callable[[Book], str | None] = self._ask_password
        # asks which files to import; replaced in tests
        self.choose_files: Callable[[], list[Path]] = self._ask_files
        # asks where and how to export a book's annotations; replaced in tests
        self.choose_export: Callable[[Book], tuple[str, Path] | None] = lambda book: ask_export(
            self, book
        )

        self.library_panel = panel = LibraryPanel(
            library, self._queries, self.settings.library_view, self
        )
        self.model = panel.model
        self.filter_box = panel.filter_box
        self.format_filter = panel.format_filter
        self.language_filter = panel.language_filter
        self.table = panel.table
        self.grid = panel.grid
        self.empty_page = panel.empty_page
        panel.book_activated.connect(self.open_book)
        panel.remove_requested.connect(self.remove_book)
        panel.view_chosen.connect(self._on_library_panel_view_chosen)
        self.model.query_failed.connect(self._on_model_query_failed)
        self.search_panel = search = SearchPanel(library, self._queries, self._index_opened, self)
        self.search_box = search.search_box
        self.results = search.results
        self.search_summary = search.summary
        search.search_finished.connect(self.search_finished)
        search.hit_chosen.connect(self._on_search_panel_hit_chosen)
        search.note_chosen.connect(self._show_annotation_when_open)
        self.work = WorkStatus(self.statusBar())
        self.progress = self.work.progress
        self.cancel_button = self.work.cancel_button
        self.details_button = self.work.details_button
        self._progress_reported.connect(self.work.report)
        search.search_failed.connect(self.work.show_error)
        # sync with the library server: its own thread, a line in the status bar
        self.sync = WindowSync(
            library,
            self._queries,
            self.annotation_editor,
            self.model,
            self.statusBar(),
            open_books=self._open_book_ids,
            timing=sync_timing,
            parent=self,
        )
        self._build_menus()

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(panel)
        splitter.addWidget(search)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.tabs = QTabWidget(self)
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(splitter, "")
        self.tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.RightSide, None)
        limit = self.settings.download_rate_limit
        self.catalogs_page = CatalogsPage(
            library, self._queries, float(limit * 1024) if limit else None, self
        )
        self.catalogs_page.read_requested.connect(self.open_book)
        self.catalogs_page.book_arrived.connect(self._on_catalogs_page_book_arrived)
        self.catalogs_page.rate_limit_changed.connect(self._on_catalogs_page_rate_limit_changed)
        self.tabs.addTab(self.catalogs_page, "")
        self.sync.download_queued.connect(self.catalogs_page.download_queued)
        self.tabs.tabBar().setTabButton(1, QTabBar.ButtonPosition.RightSide, None)
        self.tabs.tabCloseRequested.connect(self._on_tabs_tab_close_requested)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.setCentralWidget(self.tabs)
        self.setAcceptDrops(True)
        self.retranslate()
        self.model.refresh()

    # --- building --------------------------------------------------------------------------

    def _build_menus(self) -> None:
        self.import_files_action = QAction(self)
        self.import_files_action.setShortcuts(_keys(QKeySequence.StandardKey.Open, "Ctrl+O"))
        self.import_files_action.triggered.connect(self._on_import_files_action_triggered)
        self.import_folder_action = QAction(self)
        self.import_folder_action.triggered.connect(self._on_import_folder_action_triggered)
        self.quit_action = QAction(self)
        self.quit_action.setShortcuts(_keys(QKeySequence.StandardKey.Quit, "Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.file_menu = self.menuBar().addMenu("")
        self.file_menu.addAction(self.import_files_action)
        self.file_menu.addAction(self.import_folder_action)
        self.export_annotations_action = QAction(self)
        self.export_annotations_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_annotations_action.triggered.connect(self.export_annotations)
        self.export_annotations_action.setEnabled(False)  # while a book's tab is current
        self.file_menu.addAction(self.export_annotations_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.sync.sync_now_action)
        self.file_menu.addAction(self.sync.resolve_action)
        self.file_menu.addAction(self.sync.other_devices_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.full_screen_action = QAction(self)
        self.full_screen_action.setShortcuts(_keys(QKeySequence.StandardKey.FullScreen, "F11"))
        self.full_screen_action.setCheckable(True)
        self.full_screen_action.toggled.connect(self._on_full_screen_action_toggled)
        self.settings_action = QAction(self)
        self.settings_action.setShortcuts(_keys(QKeySequence.StandardKey.Preferences, "Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.edit_settings)
        self.view_menu = self.menuBar().addMenu("")
        self.view_menu.addAction(self.library_panel.list_action)
        self.view_menu.addAction(self.library_panel.grid_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.full_screen_action)
        self.view_menu.addAction(self.settings_action)

        # Ctrl+F finds in the open book, or searches the library from the library tab;
        # Ctrl+Shift+F always searches the library
        self.find_action = QAction(self)
        self.find_action.setShortcuts(_keys(QKeySequence.StandardKey.Find, "Ctrl+F"))
        self.find_action.triggered.connect(self._on_find_action_triggered)
        self.search_library_action = QAction(self)
        self.search_library_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.search_library_action.triggered.connect(self._on_search_library_action_triggered)
        self.edit_menu = self.menuBar().addMenu("")
        self._build_undo_actions()
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addAction(self.search_library_action)
        self.annotations_action = QAction(self)
        self.annotations_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.annotations_action.triggered.connect(self.show_annotations)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.annotations_action)
        self.catalogs_action = QAction(self)
        self.catalogs_action.setShortcut(QKeySequence("Ctrl+L"))
        self.catalogs_action.triggered.connect(self._on_catalogs_action_triggered)
        self.view_menu.addAction(self.catalogs_action)

    def _build_undo_actions(self) -> None:
        """Undo and Redo of annotation edits, named after the step they undo or redo."""
        stack = self.annotation_editor.stack
        self.undo_action = QAction(self)
        self.undo_action.setShortcuts(_keys(QKeySequence.StandardKey.Undo, "Ctrl+Z"))
        self.undo_action.triggered.connect(stack.undo)
        self.redo_action = QAction(self)
        redo_keys = _keys(QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z")
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.triggered.connect(stack.redo)
        stack.indexChanged.connect(self._update_undo_actions)
        stack.cleanChanged.connect(self._update_undo_actions)

    def _update_undo_actions(self) -> None:
        stack = self.annotation_editor.stack
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        undo, redo = stack.undoText(), stack.redoText()
        self.undo_action.setText(
            ui_text("&Undo {action}").format(action=undo) if undo else ui_text("&Undo")
        )
        self.redo_action.setText(
            ui_text("&Redo {action}").format(action=redo) if redo else ui_text("&Redo")
        )

    def retranslate(self) -> None:
        """Set every text of the window in the current interface language.

        Qt sends ``LanguageChange`` to every widget when the translators change; the
        library panel, the status bar work and the reader tabs re-read their own texts.
        """
        self.setWindowTitle("Mutolaa")
        menus: tuple[tuple[QMenu, str], ...] = (
            (self.file_menu, ui_text("&File")),
            (self.view_menu, ui_text("&View")),
            (self.edit_menu, ui_text("&Edit")),
        )
        for menu, title in menus:
            menu.setTitle(title)
        self.import_files_action.setText(ui_text("&Import files…"))
        self.import_folder_action.setText(ui_text("Import a &folder…"))
        self.quit_action.setText(ui_text("&Quit"))
        self.full_screen_action.setText(ui_text("&Full screen"))
        self.settings_action.setText(ui_text("&Settings…"))
        self.find_action.setText(ui_text("&Find…"))
        self.search_library_action.setText(ui_text("&Search the library"))
        self.annotations_action.setText(ui_text("&Annotations…"))
        self.export_annotations_action.setText(ui_text("&Export annotations…"))
        self._update_undo_actions()
        self.sync.retranslate()
        self.catalogs_action.setText(ui_text("&Catalogues and downloads"))
        self.tabs.setTabText(0, ui_text("Library"))
        self.tabs.setTabText(1, ui_text("Catalogues"))
        self.tabs.tabBar().setAccessibleName(ui_text("Library and open books"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._caught_up:  # the first time the window is shown
            self._caught_up = True
            self._catch_up_index()
            self.catalogs_page.start()  # downloads left queued by the last session go on
            self.sync.start_soon()  # after a delay: the window is usable first

    # --- settings --------------------------------------------------------------------------

    def edit_settings(self) -> SettingsDialog:
        """Open the settings dialog; OK applies the settings and saves them in the background."""
        dialog = SettingsDialog(
            self.settings,
            self,
            library=self.library,
            runner=self._queries,
            sync_runner=self.sync.runner,
        )
        self.settings_dialog = dialog
        dialog.accepted.connect(lambda: self._apply_settings(dialog.result_settings()))
        dialog.finished.connect(self.catalogs_page.browser.reload_catalogs)  # servers changed
        dialog.open()
        return dialog

    def _apply_settings(self, settings: Settings) -> None:
        language_changed = settings.language != self.settings.language
        self.settings = replace(
            settings,
            library_view=self.library_panel.view,
            download_rate_limit=self.settings.download_rate_limit,
        )
        if language_changed:
            self._switch_language(settings.language or chosen_language())
        self._save_settings(announce=True)

    def _switch_language(self, language: str) -> None:
        """Read the translation files in the background, then install them."""

        def install(files: list[bytes]) -> None:
            app = QApplication.instance()
            if app is not None:
                use_language(app, language, files)  # every widget gets LanguageChange

        self._queries.submit(lambda: read_translations(language), install)

    def _on_catalogs_action_triggered(self) -> None:
        self.tabs.setCurrentWidget(self.catalogs_page)

    def _on_catalogs_page_book_arrived(self, _book_id: str) -> None:
        self.model.refresh()
        self.sync.changed_locally()  # a new holding

    def _on_catalogs_page_rate_limit_changed(self, limit: float | None) -> None:
        kilobytes = round(limit / 1024) if limit else 0
        if kilobytes != self.settings.download_rate_limit:
            self.settings = replace(self.settings, download_rate_limit=kilobytes)
            self._save_settings(announce=False)

    def _on_library_panel_view_chosen(self, view: str) -> None:
        self.settings = replace(self.settings, library_view=view)
        self._save_settings(announce=False)

    def _save_settings(self, *, announce: bool) -> None:
        settings = self.settings
        path = self.library.paths.settings

        def saved(_result: object) -> None:
            if announce:
                self.statusBar().showMessage(ui_text("Settings saved"))
            self.settings_saved.emit(settings)

        self._queries.submit(
            lambda: save_settings(path, settings), saved, self._on_settings_save_failed
        )

    def _on_settings_save_failed(self, error: BaseException) -> None:
        sentence = ui_text("The settings could not be saved: {reason}")
        self._failed(sentence, error)

    def _on_tabs_current_changed(self, _index: int) -> None:
        in_a_book = isinstance(self.tabs.currentWidget(), ReaderView)
        self.export_annotations_action.setEnabled(in_a_book)

    def export_annotations(self) -> None:
        """Export the open book's annotations (Markdown, W3C JSON-LD or an annotated PDF)."""
        reader = self.tabs.currentWidget()
        if not isinstance(reader, ReaderView):
            return
        chosen = self.choose_export(reader.book)
        if chosen is None:
            return
        fmt, target = chosen
        library, book = self.library, reader.book

        def work() -> ExportResult:
            with DocumentWorker() as worker:  # not the drawing worker: another thread uses it
                return export_annotations(library, worker, book, fmt, target)

        def done(result: ExportResult) -> None:
            self.statusBar().showMessage(
                ui_text("{n} annotation(s) exported to {path}").format(
                    n=result.annotations, path=result.path
                )
            )
            self.annotations_exported.emit(result)

        failed_sentence = ui_text("The annotations could not be exported: {reason}")
        self._imports.submit(work, done, lambda error: self._failed(failed_sentence, error))

    def _failed(self, sentence: str, error: BaseException) -> None:
        """Show that work failed: ``sentence`` holds ``{reason}``; the traceback on request."""
        self.work.show_error(sentence.format(reason=reason(error)), error)

    def _on_full_screen_action_toggled(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def _on_find_action_triggered(self) -> None:
        reader = self.tabs.currentWidget()
        if isinstance(reader, ReaderView):
            reader.focus_find()
            return
        self._on_search_library_action_triggered()

    def _on_search_library_action_triggered(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # --- annotations -----------------------------------------------------------------------

    def show_annotations(self) -> AnnotationsDialog:
        """Show every annotation of the library (a window beside this one)."""
        if self.annotations_dialog is None:
            self.annotations_dialog = AnnotationsDialog(
                self.annotation_editor, self.open_annotation, self
            )
        else:
            self.annotations_dialog.reload()
        self.annotations_dialog.show()
        self.annotations_dialog.raise_()
        return self.annotations_dialog

    def open_annotation(self, annotation: Annotation) -> None:
        """Open the book of an annotation at its place."""
        for index in range(1, self.tabs.count()):
            reader = self.tabs.widget(index)
            if isinstance(reader, ReaderView) and reader.book.id == annotation.book_id:
                self.tabs.setCurrentIndex(index)  # open: no need to go to the page first
                break
        else:
            self.open_book(annotation.book_id, page=annotation.anchor.page)
        self._show_annotation_when_open(annotation.book_id, annotation.id)
        self.activateWindow()

    def _show_annotation_when_open(self, book_id: str, annotation_id: str) -> None:
        """Go to an annotation in its book's tab, now or once ``open_book`` has opened it."""

        def arrived(reader: ReaderView) -> None:
            self.book_opened.disconnect(arrived)
            if reader.book.id == book_id and reader.annotations is not None:
                reader.annotations.show_id(annotation_id)

        current = self.tabs.currentWidget()
        if isinstance(current, ReaderView) and current.book.id == book_id:
            if current.annotations is not None:
                current.annotations.show_id(annotation_id)
        else:
            self.book_opened.connect(arrived)

    def _on_annotation_editor_failed(self, error: BaseException) -> None:
        sentence = ui_text("The annotation could not be saved: {reason}")
        self._failed(sentence, error)

    # --- library ---------------------------------------------------------------------------

    def _on_model_query_failed(self, error: BaseException) -> None:
        sentence = ui_text("The library could not be read: {reason}")
        self._failed(sentence, error)

    def _ask_confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, ui_text("Remove the book?"), question)
        return answer == QMessageBox.StandardButton.Yes

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

        self._imports.submit(work, self._on_book_removed, self._on_remove_failed)

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
        self.grid.covers.forget({book_id})
        self.model.refresh()
        self.sync.changed_locally()  # a holding less
        self.book_removed.emit(book_id)

    def _on_remove_failed(self, error: BaseException) -> None:
        sentence = ui_text("The book could not be removed: {reason}")
        self._failed(sentence, error)
        self.library_panel.refresh()

    # --- import and indexing ---------------------------------------------------------------

    def _on_import_files_action_triggered(self) -> None:
        files = self.choose_files()
        if files:
            self.import_paths(files)

    def _ask_files(self) -> list[Path]:
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            ui_text("Import books"),
            str(Path.home()),
            ui_text("Books (*.pdf *.epub *.fb2 *.mobi *.xps *.cbz *.txt);;All files (*)"),
        )
        return [Path(f) for f in files]

    def _on_import_folder_action_triggered(self) -> None:
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
        self.work.begin(token)
        emit = self._progress_reported.emit
        library = self.library

        def work() -> ImportReport:
            with Importer(library) as importer:
                importer.resume(emit, token)
                return importer.run(paths, progress=emit, cancel=token)

        self._imports.submit(
            work,
            lambda report: self._on_import_done(token, report),
            lambda error: self._on_import_failed(token, error),
        )

    def _on_import_done(self, token: CancelToken, report: ImportReport) -> None:
        self.work.end(token)
        self.library_panel.refresh()
        if report.added:
            self.sync.changed_locally()  # new holdings
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

    def _on_import_failed(self, token: CancelToken, error: BaseException) -> None:
        self.work.end(token)
        self.library_panel.refresh()
        self.sync.changed_locally()  # books imported before it stopped are holdings
        sentence = ui_text("The import stopped: {reason}")
        self._failed(sentence, error)

    def _catch_up_index(self) -> None:
        """Index the saved pages the index lacks (after a kill, or when it was rebuilt).

        Runs with the imports (the one index writer of the window); the status bar shows
        it only when there is something to index. The index is opened here first, before
        any search may open it from the query thread.
        """
        token = CancelToken()
        self.work.begin(token, shown=False)
        emit = self._progress_reported.emit
        library = self.library
        opened = self._index_opened
        opened.clear()

        def work() -> int:
            try:
                library.index()
            finally:
                opened.set()
            indexer = Indexer(library)
            try:
                return indexer.catch_up(emit, token)
            finally:
                indexer.close()

        self._imports.submit(
            work,
            lambda pages: self._on_catch_up_done(token, pages),
            lambda error: self._on_catch_up_failed(token, error),
        )

    def _on_catch_up_done(self, token: CancelToken, pages: int) -> None:
        self.work.end(token)
        if pages:
            message = ui_text("{n} page(s) added to the search index").format(n=pages)
            self.statusBar().showMessage(message)
        self.index_caught_up.emit(pages)

    def _on_catch_up_failed(self, token: CancelToken, error: BaseException) -> None:
        self.work.end(token)
        sentence = ui_text("The search index could not be brought up to date: {reason}")
        self._failed(sentence, error)

    # --- search ----------------------------------------------------------------------------

    def run_search(self, query: str) -> None:
        """Search the library in the background and show the results grouped by book."""
        self.search_panel.run_search(query)

    def _on_search_panel_hit_chosen(self, book_id: str, page: int | None, word: str) -> None:
        self.open_book(book_id, page=page, find=word)

    # --- reading ---------------------------------------------------------------------------

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
                    reader.show_library_page(page)
                if find:
                    reader.find_text(find)
                return
        store = self.library.store

        def work() -> tuple[Book | None, Path | None, str]:
            book = store.get(book_id)
            if book is None:
                return None, None, ""
            if page is not None:  # a page as the library numbers it (a search hit)
                return book, store.file_path(book), format_position(page)
            saved = store.progress(book_id)
            return book, store.file_path(book), saved[0] if saved else ""

        self._queries.submit(work, self._on_book_loaded, self._on_book_load_failed)

    def _on_book_loaded(self, loaded: tuple[Book | None, Path | None, str]) -> None:
        book, path, start = loaded
        if book is None or path is None:
            self.statusBar().showMessage(ui_text("That book is no longer in the library"))
            return
        if book.encrypted:
            self._open_encrypted(book, path, start)
            return
        self._add_reader(book, path, start, None)

    def _on_book_load_failed(self, error: BaseException) -> None:
        sentence = ui_text("The book could not be opened: {reason}")
        self._failed(sentence, error)

    def _open_encrypted(self, book: Book, path: Path, start: str) -> None:
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

        def unlocked(opened: Book) -> None:
            if book.state is BookState.LOCKED:
                self.library_panel.refresh()  # its title, pages and cover are known now
            self._add_reader(opened, path, start, password)

        self._imports.submit(work, unlocked, failed)

    def _ask_password(self, book: Book) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            ui_text("Password"),
            ui_text("“{title}” is encrypted. Its password:").format(title=book.title),
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None

    def _add_reader(self, book: Book, path: Path, start: str, password: str | None) -> None:
        """Open ``book`` in a new tab at the saved position ``start`` (``page=N[;font=F]``)."""
        reader = ReaderView(
            book,
            path,
            self._drawing,
            self._render_worker,
            start_position=start,
            password=password,
            zoom=self.settings.zoom,
            theme=self.settings.theme,
            mode=self.settings.reading_mode,
            font_size=self.settings.font_size,
            page_texts=lambda: self.library.store.pages(book.id),
            annotations=self.annotation_editor,
        )
        reader.page_shown.connect(lambda _shown: self._remember_position(book, reader))
        if self._find_on_open:
            reader.find_text(self._find_on_open)
        index = self.tabs.addTab(reader, book.title[:32])
        self.tabs.setTabToolTip(index, book.title)
        self.tabs.setCurrentIndex(index)
        self.book_opened.emit(reader)

    def _remember_position(self, book: Book, reader: ReaderView) -> None:
        store, position = self.library.store, reader.position
        fraction = (reader.page + 1) / max(1, reader.page_count)
        self._queries.submit(
            lambda: store.set_progress(book.id, position, fraction), self.sync.changed_locally
        )
        self.model.note_progress(book.id, fraction)

    def _open_book_ids(self) -> frozenset[str]:
        """The books open in reader tabs."""
        readers = (self.tabs.widget(index) for index in range(1, self.tabs.count()))
        return frozenset(r.book.id for r in readers if isinstance(r, ReaderView))

    def _on_tabs_tab_close_requested(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(widget, ReaderView):  # the library and the catalogues stay
            self.tabs.removeTab(index)
            widget.deleteLater()

    # --- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: Any) -> None:
        self.work.cancel_all()
        self.catalogs_page.stop()  # partial downloads are kept and resume next time
        if self._queries.busy:  # an edit may be on its way to the store: the exit sync sends it
            self.sync.changed_locally()
        if self.settings_dialog is not None:  # a sign-in or a server test may be running
            self.settings_dialog.finish_work(round(self.sync.timing.exit_bound * 1000))
        for runner in (self._imports, self._queries):  # store writes end before the exit sync
            runner.close()
        self.sync.finish()  # bounded: a sync still running then goes on at the next start
        self._drawing.close()
        self._render_worker.close()
        super().closeEvent(event)


def _keys(standard: QKeySequence.StandardKey, usual: str) -> list[QKeySequence]:
    """The platform's keys for a standard action, and ``usual`` if the platform lacks it.

    Some platforms bind nothing to Quit or Preferences; the usual key works everywhere.
    """
    keys = list(QKeySequence.keyBindings(standard))
    if QKeySequence(usual) not in keys:
        keys.insert(0, QKeySequence(usual))
    return keys


def _ignore(_result: object) -> None:
    """A task whose result nobody waits for."""
