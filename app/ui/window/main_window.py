"""The main window: the library, search across books, the settings, the Catalogues tab, closing.

Its parts are public attributes, each in its own module: the menus (``menus``,
`app/ui/window/menus.py`), imports and the index catch-up (``imports``, `imports.py`), the reader
tabs (``readers``, `reader_tabs.py`) and the sync (``sync``, `sync_wiring.py`), beside the library
panel (``library_panel``), the search panel (``search_panel``), the status bar work (``work``)
and the Catalogues tab (``catalogs_page``). Tests and the benchmark driver reach a widget through
the part that owns it (``window.library_panel.table``, ``window.menus.undo_action``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabBar,
    QTabWidget,
)

from app.core.models import Annotation, Book
from app.core.settings import Settings
from app.documents.worker import DocumentWorker
from app.services.annotations.exports.exporting import ExportResult, export_annotations
from app.services.library.removing import remove_book_for
from app.services.person_settings import save_person_settings
from app.services.session import Session
from app.ui.annotations.editor import AnnotationEditor
from app.ui.annotations.export_dialog import ask_export
from app.ui.annotations.library_view import AnnotationsDialog
from app.ui.catalogs.page import CatalogsPage
from app.ui.common.i18n import chosen_language, read_translations, ui_text, use_language
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import WorkStatus, reason
from app.ui.library.panel import LibraryPanel
from app.ui.library.search_panel import SearchPanel
from app.ui.reader.view import ReaderView
from app.ui.settings.dialog import SettingsDialog
from app.ui.window.about import about_box
from app.ui.window.imports import WindowImports
from app.ui.window.menus import WindowMenus
from app.ui.window.reader_tabs import WindowReaders
from app.ui.window.sync_wiring import SyncTiming, WindowSync

#: How long a passing note ("Settings saved") stays in the status bar, in milliseconds.
NOTE_MS = 5000


class MainWindow(QMainWindow):
    """The library, an import queue and the search panel of one library folder.

    ``sync_timing`` says when the library syncs with its library server (`WindowSync`).
    ``leaving``, a runner that outlives the window, ends its MuPDF worker process once it
    closes, so that the next person's window does not wait for that process to exit; without
    it `closeEvent` waits.
    """

    import_finished = Signal(object)  # ImportReport
    book_opened = Signal(object)  # ReaderView
    settings_saved = Signal(object)  # Settings
    book_removed = Signal(str)
    search_finished = Signal(object)  # SearchResults
    annotations_exported = Signal(object)  # ExportResult
    index_caught_up = Signal(int)  # pages the start-up catch-up added to the index
    # File › Switch person…: whoever opened the window closes it and asks who reads next
    person_switch_requested = Signal()

    def __init__(
        self,
        session: Session,
        *,
        sync_timing: SyncTiming | None = None,
        leaving: TaskRunner | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self._leaving = leaving
        self.library = session.library
        self.resize(1100, 700)
        self._start_runners()
        # bookmarks, highlights and notes: saved on the query runner, one undo stack
        self.annotation_editor = AnnotationEditor(session, self._queries, parent=self)
        self.annotation_editor.failed.connect(self._on_annotation_editor_failed)
        self.annotations_dialog: AnnotationsDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        # asks before a book is removed; replaced in tests
        self.confirm: Callable[[str], bool] = self._ask_confirm
        # asks where and how to export a book's annotations; replaced in tests
        self.choose_export: Callable[[Book], tuple[str, Path] | None] = lambda book: ask_export(
            self, book
        )
        self.library_panel = self._build_library_panel()
        self.search_panel = self._build_search_panel()
        self.work = WorkStatus(self.statusBar())
        self.search_panel.search_failed.connect(self.work.show_error)
        self._build_sync_and_imports(sync_timing)
        self._build_menus()
        self.tabs = self._build_tabs()
        self.setCentralWidget(self.tabs)
        self.setAcceptDrops(True)
        self.retranslate()
        self.library_panel.model.refresh()

    @property
    def settings(self) -> Settings:
        """The person's settings (the session's)."""
        return self.session.settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        self.session.settings = settings

    # --- building --------------------------------------------------------------------------

    def _start_runners(self) -> None:
        """The background runners and the MuPDF worker process the window's work goes to."""
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

    def _build_library_panel(self) -> LibraryPanel:
        """The list of books (a table or a grid of covers), its filters and its empty page."""
        panel = LibraryPanel(self.session, self._queries, self.settings.library_view, self)
        panel.book_activated.connect(self.open_book)
        panel.remove_requested.connect(self.remove_book)
        panel.view_chosen.connect(self._on_library_panel_view_chosen)
        panel.model.query_failed.connect(self._on_model_query_failed)
        return panel

    def _build_search_panel(self) -> SearchPanel:
        """Search across the books, beside the library list."""
        search = SearchPanel(self.session, self._queries, self._index_opened, self)
        search.search_finished.connect(self.search_finished)
        search.hit_chosen.connect(self._on_search_panel_hit_chosen)
        search.note_chosen.connect(self._show_annotation_when_open)
        return search

    def _build_sync_and_imports(self, sync_timing: SyncTiming | None) -> None:
        """The sync with the library server, and the imports with the index catch-up."""
        # sync with the library server: its own thread, a line in the status bar
        self.sync = WindowSync(
            self.session, self._queries, self.statusBar(), timing=sync_timing, parent=self
        )
        # imports and the index catch-up: on the imports runner, progress in the status bar
        self.imports = WindowImports(
            self.session,
            self._imports,
            work=self.work,
            status_bar=self.statusBar(),
            library_panel=self.library_panel,
            index_opened=self._index_opened,
            failed=self._failed,
            window=self,
        )
        self.imports.import_finished.connect(self.import_finished)
        self.imports.index_caught_up.connect(self.index_caught_up)
        self.sync.sign_in_wanted.connect(self.edit_account)

    def _build_tabs(self) -> QTabWidget:
        """The tabs: the library and its search, the catalogues, then a tab per open book."""
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.library_panel)
        splitter.addWidget(self.search_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        tabs = QTabWidget(self)
        tabs.setTabsClosable(True)
        tabs.setDocumentMode(True)
        tabs.addTab(splitter, "")
        tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.RightSide, None)
        # books open in tabs beside the library and the catalogues
        self.readers = WindowReaders(
            self.session,
            tabs,
            queries=self._queries,
            imports=self._imports,
            drawing=self._drawing,
            render_worker=self._render_worker,
            editor=self.annotation_editor,
            settings=lambda: self.settings,
            library_panel=self.library_panel,
            status_bar=self.statusBar(),
            failed=self._failed,
            window=self,
        )
        self.readers.book_opened.connect(self.book_opened)
        self.catalogs_page = self._build_catalogs_page()
        tabs.addTab(self.catalogs_page, "")
        tabs.tabBar().setTabButton(1, QTabBar.ButtonPosition.RightSide, None)
        tabs.tabCloseRequested.connect(self.readers.close_tab)
        tabs.currentChanged.connect(self._on_tabs_current_changed)
        return tabs

    def _build_catalogs_page(self) -> CatalogsPage:
        """The Catalogues tab: the catalogue browser and the downloads."""
        limit = self.settings.download_rate_limit
        page = CatalogsPage(
            self.session, self._queries, float(limit * 1024) if limit else None, self
        )
        page.read_requested.connect(self.open_book)
        page.book_arrived.connect(self._on_catalogs_page_book_arrived)
        page.rate_limit_changed.connect(self._on_catalogs_page_rate_limit_changed)
        self.sync.download_queued.connect(page.download_queued)
        return page

    def _build_menus(self) -> None:
        """The menus (`WindowMenus`), their actions joined to what they do."""
        self.menus = menus = WindowMenus(
            self.menuBar(),
            self.annotation_editor.stack,
            view_actions=(self.library_panel.list_action, self.library_panel.grid_action),
            sync_actions=(
                self.sync.sync_now_action,
                self.sync.resolve_action,
                self.sync.other_devices_action,
            ),
            parent=self,
        )
        # the window, not the menus, hears the stack: deleted with the window, the stack clears
        # itself and says so; by then the window's connections are gone, the menus' are not
        self.annotation_editor.stack.indexChanged.connect(self._on_stack_changed)
        self.annotation_editor.stack.cleanChanged.connect(self._on_stack_changed)
        menus.import_files_action.triggered.connect(self.imports.import_chosen_files)
        menus.import_folder_action.triggered.connect(self.imports.import_chosen_folder)
        menus.quit_action.triggered.connect(self.close)
        menus.export_annotations_action.triggered.connect(self.export_annotations)
        menus.switch_person_action.triggered.connect(self.person_switch_requested)
        menus.full_screen_action.toggled.connect(self._on_full_screen_action_toggled)
        menus.settings_action.triggered.connect(self.edit_settings)
        menus.about_action.triggered.connect(self.show_about)
        menus.find_action.triggered.connect(self._on_find_action_triggered)
        menus.search_library_action.triggered.connect(self._on_search_library_action_triggered)
        menus.annotations_action.triggered.connect(self.show_annotations)
        menus.catalogs_action.triggered.connect(self._on_catalogs_action_triggered)

    def _on_stack_changed(self) -> None:
        self.menus.update_undo_actions()

    def retranslate(self) -> None:
        """Set every text of the window in the current interface language.

        Qt sends ``LanguageChange`` to every widget when the translators change; the
        library panel, the status bar work and the reader tabs re-read their own texts.
        """
        self.setWindowTitle("Mutolaa")
        self.menus.retranslate()
        self.sync.retranslate()
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
            self.imports.catch_up_index()
            self.catalogs_page.start()  # downloads left queued by the last session go on
            self.sync.start_soon()  # after a delay: the window is usable first

    # --- settings --------------------------------------------------------------------------

    def edit_settings(self) -> SettingsDialog:
        """Open the settings dialog; OK applies the settings and saves them in the background."""
        dialog = SettingsDialog(
            self.settings,
            self,
            session=self.session,
            runner=self._queries,
            sync_runner=self.sync.runner,
        )
        self.settings_dialog = dialog
        dialog.accepted.connect(lambda: self._apply_settings(dialog.result_settings()))
        dialog.finished.connect(self.catalogs_page.browser.reload_catalogs)  # servers changed
        dialog.open()
        return dialog

    def show_about(self) -> QMessageBox:
        """Help › About: the version, the licence, the library and log folders (not blocking)."""
        box = about_box(self, self.library.paths)
        box.finished.connect(box.deleteLater)
        box.open()
        return box

    def edit_account(self) -> SettingsDialog:
        """Open the settings dialog on its Account page (where a person signs in to sync)."""
        dialog = self.edit_settings()
        if dialog.pages is not None and dialog.account is not None:
            dialog.pages.setCurrentWidget(dialog.account)
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
        self.library_panel.model.refresh()

    def _on_catalogs_page_rate_limit_changed(self, limit: float | None) -> None:
        kilobytes = round(limit / 1024) if limit else 0
        if kilobytes != self.settings.download_rate_limit:
            self.settings = replace(self.settings, download_rate_limit=kilobytes)
            self._save_settings(announce=False)

    def _on_library_panel_view_chosen(self, view: str) -> None:
        self.settings = replace(self.settings, library_view=view)
        self._save_settings(announce=False)

    def _save_settings(self, *, announce: bool) -> None:
        """Keep the settings in the background: the person's own keys in their profile, the
        machine's in the settings file (`save_person_settings`)."""
        settings = self.settings
        store, path = self.library.store, self.library.paths.settings
        person = self.session.profile_id

        def saved(_result: object) -> None:
            if announce:
                self.statusBar().showMessage(ui_text("Settings saved"), NOTE_MS)
            self.settings_saved.emit(settings)

        self._queries.submit(
            lambda: save_person_settings(store, path, person, settings),
            saved,
            self._on_settings_save_failed,
        )

    def _on_settings_save_failed(self, error: BaseException) -> None:
        sentence = ui_text("The settings could not be saved: {reason}")
        self._failed(sentence, error)

    def _on_tabs_current_changed(self, _index: int) -> None:
        in_a_book = isinstance(self.tabs.currentWidget(), ReaderView)
        self.menus.export_annotations_action.setEnabled(in_a_book)

    def export_annotations(self) -> None:
        """Export the open book's annotations (Markdown, W3C JSON-LD or an annotated PDF)."""
        reader = self.tabs.currentWidget()
        if not isinstance(reader, ReaderView):
            return
        chosen = self.choose_export(reader.book)
        if chosen is None:
            return
        fmt, target = chosen
        session, book = self.session, reader.book

        def work() -> ExportResult:
            with DocumentWorker() as worker:  # not the drawing worker: another thread uses it
                return export_annotations(session, worker, book, fmt, target)

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
            reader.finder.focus_find()
            return
        self._on_search_library_action_triggered()

    def _on_search_library_action_triggered(self) -> None:
        self.tabs.setCurrentIndex(0)
        search_box = self.search_panel.search_box
        search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        search_box.selectAll()

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
        book = self.library_panel.model.book(row) if row >= 0 else None
        title = book.title if book is not None else book_id[:10]
        question = ui_text("Remove “{title}” and its file from the library?").format(title=title)
        if not self.confirm(question):
            return
        session = self.session

        def work() -> str:
            remove_book_for(session, book_id)  # refused for others while there is an admin
            return book_id

        self._imports.submit(work, self._on_book_removed, self._on_remove_failed)

    def model_row(self, book_id: str) -> int:
        """The row of a book in the library list (-1 when not shown)."""
        model = self.library_panel.model
        for row in range(model.rowCount()):
            if model.book_id(row) == book_id:
                return row
        return -1

    def _on_book_removed(self, book_id: str) -> None:
        for index in reversed(range(1, self.tabs.count())):
            reader = self.tabs.widget(index)
            if isinstance(reader, ReaderView) and reader.book.id == book_id:
                self.readers.close_tab(index)
        panel = self.library_panel
        panel.model.forget({book_id})
        panel.grid.covers.forget({book_id})
        panel.model.refresh()
        self.book_removed.emit(book_id)

    def _on_remove_failed(self, error: BaseException) -> None:
        sentence = ui_text("The book could not be removed: {reason}")
        self._failed(sentence, error)
        self.library_panel.refresh()

    # --- import and indexing ---------------------------------------------------------------

    @property
    def choose_files(self) -> Callable[[], list[Path]]:
        """Asks which files to import; replaced in tests."""
        return self.imports.choose_files

    @choose_files.setter
    def choose_files(self, choose: Callable[[], list[Path]]) -> None:
        self.imports.choose_files = choose

    def import_paths(self, paths: list[Path]) -> None:
        """Import files and folders in the background, with progress and a cancel button."""
        self.imports.import_paths(paths)

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.import_paths(paths)

    # --- search ----------------------------------------------------------------------------

    def run_search(self, query: str) -> None:
        """Search the library in the background and show the results grouped by book."""
        self.search_panel.run_search(query)

    def _on_search_panel_hit_chosen(self, book_id: str, page: int | None, word: str) -> None:
        self.open_book(book_id, page=page, find=word)

    # --- reading ---------------------------------------------------------------------------

    @property
    def password_prompt(self) -> Callable[[Book], str | None]:
        """Asks for an encrypted book's password; replaced in tests."""
        return self.readers.password_prompt

    @password_prompt.setter
    def password_prompt(self, prompt: Callable[[Book], str | None]) -> None:
        self.readers.password_prompt = prompt

    def open_book(self, book_id: str, page: int | None = None, find: str = "") -> None:
        """Open a book in a tab at ``page``, or where this profile stopped reading it.

        With ``find``, that word is marked on the page (as when a search hit is chosen).
        """
        self.readers.open_book(book_id, page, find)

    # --- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: Any) -> None:
        self.work.cancel_all()
        self.catalogs_page.stop()  # partial downloads are kept and resume next time
        if self.settings_dialog is not None:  # a sign-in or a server test may be running
            self.settings_dialog.finish_work(round(self.sync.timing.exit_bound * 1000))
        for runner in (self._imports, self._queries):  # store writes end before the exit sync
            runner.close()
        self.sync.finish()  # bounded: a sync still running then goes on at the next start
        self.annotation_editor.stop()  # the views stop following the store
        self.library_panel.model.stop()
        self._drawing.close()  # no render uses the worker any more
        if self._leaving is not None:  # its exit takes tens of ms, the next window goes on
            self._leaving.submit(self._render_worker.close, _ignore)
        else:
            self._render_worker.close()
        super().closeEvent(event)


def _ignore(_result: object) -> None:
    """A task whose result nobody waits for."""
