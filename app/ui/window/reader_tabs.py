"""The main window's reader tabs: books opened in tabs, their positions saved, tabs closed.

A book opens at the page asked for or where this profile stopped reading it (an encrypted book
after its password, a locked one unlocked and read on the way), each reader made with the
window's settings; its position is saved as it moves.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QStatusBar, QTabWidget, QWidget

from app.core.models import Book, BookState
from app.core.positions import format_position
from app.core.settings import Settings
from app.documents.worker import DocumentWorker
from app.services.library.importer import Importer
from app.services.session import Session
from app.ui.annotations.editor import AnnotationEditor
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.library.panel import LibraryPanel
from app.ui.reader.view import ReaderView


class WindowReaders(QObject):
    """Opens books in the window's tabs (the first two are the library and the catalogues).

    Args:
        library: the window's library.
        tabs: the window's tabs.
        queries: the window's queries runner (the book and its position read, positions saved).
        imports: the window's imports runner (a locked book unlocked, a password checked).
        drawing: the window's drawing runner.
        render_worker: the MuPDF worker the readers draw with.
        editor: the window's annotation editor.
        settings: the window's settings now (zoom, theme, reading mode and font size).
        library_panel: read again after a book is unlocked; its list shows reading progress.
        status_bar: where "no longer in the library" goes.
        failed: shows that work failed (a sentence holding ``{reason}``, and the error).
        window: the window (the dialogs' parent).

    Signals:
        book_opened(object): a book was opened in a new tab (its `ReaderView`).
    """

    book_opened = Signal(object)  # ReaderView

    def __init__(
        self,
        session: Session,
        tabs: QTabWidget,
        *,
        queries: TaskRunner,
        imports: TaskRunner,
        drawing: TaskRunner,
        render_worker: DocumentWorker,
        editor: AnnotationEditor,
        settings: Callable[[], Settings],
        library_panel: LibraryPanel,
        status_bar: QStatusBar,
        failed: Callable[[str, BaseException], None],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.session = session
        self.library = session.library
        self.tabs = tabs
        self._queries = queries
        self._imports = imports
        self._drawing = drawing
        self._render_worker = render_worker
        self._editor = editor
        self._settings = settings
        self.library_panel = library_panel
        self.model = library_panel.model
        self._status_bar = status_bar
        self._failed = failed
        self._window = window
        self._find_on_open = ""
        # asks for an encrypted book's password; replaced in tests
        self.password_prompt: Callable[[Book], str | None] = self._ask_password

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
                    reader.layouts.show_library_page(page)
                if find:
                    reader.finder.find_text(find)
                return
        store, profile = self.library.store, self.session.profile_id

        def work() -> tuple[Book | None, Path | None, str]:
            book = store.get(book_id)
            if book is None:
                return None, None, ""
            if page is not None:  # a page as the library numbers it (a search hit)
                return book, store.file_path(book), format_position(page)
            saved = store.progress(book_id, profile)
            return book, store.file_path(book), saved[0] if saved else ""

        self._queries.submit(work, self._on_book_loaded, self._on_book_load_failed)

    def _on_book_loaded(self, loaded: tuple[Book | None, Path | None, str]) -> None:
        book, path, start = loaded
        if book is None or path is None:
            self._status_bar.showMessage(ui_text("That book is no longer in the library"))
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
        library, profile = self.library, self.session.profile_id

        def work() -> Book:
            if book.state is BookState.LOCKED:  # reads and indexes it too
                with Importer(library, profile_id=profile) as importer:
                    return importer.unlock(book, password)
            with DocumentWorker() as checker:  # not the drawing worker: another thread uses it
                checker.describe(path, password)
            return book

        def failed(error: BaseException) -> None:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                ui_text("Cannot open the book"),
                str(error),
                parent=self._window,
            )
            box.open()

        def unlocked(opened: Book) -> None:
            if book.state is BookState.LOCKED:
                self.library_panel.refresh()  # its title, pages and cover are known now
            self._add_reader(opened, path, start, password)

        self._imports.submit(work, unlocked, failed)

    def _ask_password(self, book: Book) -> str | None:
        text, ok = QInputDialog.getText(
            self._window,
            ui_text("Password"),
            ui_text("“{title}” is encrypted. Its password:").format(title=book.title),
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None

    def _add_reader(self, book: Book, path: Path, start: str, password: str | None) -> None:
        """Open ``book`` in a new tab at the saved position ``start`` (``page=N[;font=F]``)."""
        settings = self._settings()
        reader = ReaderView(
            book,
            path,
            self._drawing,
            self._render_worker,
            start_position=start,
            password=password,
            zoom=settings.zoom,
            theme=settings.theme,
            mode=settings.reading_mode,
            font_size=settings.font_size,
            page_texts=lambda: self.library.store.pages(book.id),
            annotations=self._editor,
        )
        reader.page_shown.connect(lambda _shown: self._remember_position(book, reader))
        if self._find_on_open:
            reader.finder.find_text(self._find_on_open)
        index = self.tabs.addTab(reader, book.title[:32])
        self.tabs.setTabToolTip(index, book.title)
        self.tabs.setCurrentIndex(index)
        self.book_opened.emit(reader)

    def _remember_position(self, book: Book, reader: ReaderView) -> None:
        store, position, profile = self.library.store, reader.position, self.session.profile_id
        fraction = (reader.page + 1) / max(1, reader.page_count)
        self._queries.submit(
            lambda: store.set_progress(book.id, position, fraction, profile), _saved
        )
        self.model.note_progress(book.id, fraction)

    def open_book_ids(self) -> frozenset[str]:
        """The books open in reader tabs."""
        readers = (self.tabs.widget(index) for index in range(1, self.tabs.count()))
        return frozenset(r.book.id for r in readers if isinstance(r, ReaderView))

    def close_tab(self, index: int) -> None:
        """Close a reader's tab (the library's and the catalogues' stay)."""
        widget = self.tabs.widget(index)
        if isinstance(widget, ReaderView):  # the library and the catalogues stay
            self.tabs.removeTab(index)
            widget.deleteLater()


def _saved(_result: object) -> None:
    """A position saved (the store announces it to the sync and the library list)."""
