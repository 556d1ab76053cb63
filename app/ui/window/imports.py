"""The main window's imports: files and folders chosen or dropped, and the index catch-up.

Files and folders chosen (or dropped on the window) run through the `Importer` on the window's
imports runner, with progress and Cancel in the status bar, a summary line and the list of the
files that failed; the index catch-up at first show runs on the same runner (through the
library's one index writer).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QStatusBar, QWidget

from app.core.models import ImportReport
from app.core.tasks import CancelToken
from app.services.library.importer import Importer, iter_failures
from app.services.session import Session
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import WorkStatus
from app.ui.library.panel import LibraryPanel


class WindowImports(QObject):
    """Runs the window's imports and its index catch-up.

    Args:
        library: the window's library.
        runner: the window's imports runner.
        work: the status bar's progress, Cancel and errors.
        status_bar: where the summaries go.
        library_panel: read again after an import.
        index_opened: cleared while the catch-up opens the index (searches wait for it).
        failed: shows that work failed (a sentence holding ``{reason}``, and the error).
        window: the window (the dialogs' parent).

    Signals:
        import_finished(object): an import ended (its `ImportReport`).
        index_caught_up(int): the catch-up ended (the pages it added to the index).
        progress_reported(object): a `Progress`, from a background thread.
    """

    import_finished = Signal(object)  # ImportReport
    index_caught_up = Signal(int)  # pages the start-up catch-up added to the index
    progress_reported = Signal(object)  # Progress, from a background thread

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        *,
        work: WorkStatus,
        status_bar: QStatusBar,
        library_panel: LibraryPanel,
        index_opened: threading.Event,
        failed: Callable[[str, BaseException], None],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.session = session
        self.library = session.library
        self._imports = runner
        self.work = work
        self._status_bar = status_bar
        self.library_panel = library_panel
        self._index_opened = index_opened
        self._failed = failed
        self._window = window
        # asks which files to import; replaced in tests
        self.choose_files: Callable[[], list[Path]] = self._ask_files
        self.progress_reported.connect(work.report)

    def import_chosen_files(self) -> None:
        """Ask which files to import, then import them."""
        files = self.choose_files()
        if files:
            self.import_paths(files)

    def _ask_files(self) -> list[Path]:
        files, _filter = QFileDialog.getOpenFileNames(
            self._window,
            ui_text("Import books"),
            str(Path.home()),
            ui_text("Books (*.pdf *.epub *.fb2 *.mobi *.xps *.cbz *.txt);;All files (*)"),
        )
        return [Path(f) for f in files]

    def import_chosen_folder(self) -> None:
        """Ask which folder to import, then import it."""
        folder = QFileDialog.getExistingDirectory(
            self._window, ui_text("Import a folder"), str(Path.home())
        )
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        """Import files and folders in the background, with progress and a cancel button."""
        token = CancelToken()
        self.work.begin(token)
        emit = self.progress_reported.emit
        library, profile = self.library, self.session.profile_id

        def work() -> ImportReport:  # a PDF's own annotations become the importer's
            with Importer(library, profile_id=profile) as importer:
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
        summary = ui_text("{added} added, {dupes} already there, {locked} locked, {failed} failed")
        said = summary.format(
            added=len(report.added),
            dupes=len(report.duplicates),
            locked=len(report.locked),
            failed=len(report.failures),
        )
        if report.skipped:  # a folder's files that are not books are counted, not hidden
            said += "; " + ui_text("{n} skipped (not books)").format(n=len(report.skipped))
        self._status_bar.showMessage(said)
        if report.failures:
            box = QMessageBox(self._window)
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
        sentence = ui_text("The import stopped: {reason}")
        self._failed(sentence, error)

    def catch_up_index(self) -> None:
        """Index the saved pages the index lacks (after a kill, or when it was rebuilt).

        Runs with the imports (the one index writer of the window); the status bar shows
        it only when there is something to index. The index is opened here first, before
        any search may open it from the query thread.
        """
        token = CancelToken()
        self.work.begin(token, shown=False)
        emit = self.progress_reported.emit
        library = self.library
        opened = self._index_opened
        opened.clear()

        def work() -> int:
            try:
                library.index()
            finally:
                opened.set()
            with library.indexing() as indexer:
                return indexer.catch_up(emit, token)

        self._imports.submit(
            work,
            lambda pages: self._on_catch_up_done(token, pages),
            lambda error: self._on_catch_up_failed(token, error),
        )

    def _on_catch_up_done(self, token: CancelToken, pages: int) -> None:
        self.work.end(token)
        if pages:
            message = ui_text("{n} page(s) added to the search index").format(n=pages)
            self._status_bar.showMessage(message)
        self.index_caught_up.emit(pages)

    def _on_catch_up_failed(self, token: CancelToken, error: BaseException) -> None:
        self.work.end(token)
        sentence = ui_text("The search index could not be brought up to date: {reason}")
        self._failed(sentence, error)
