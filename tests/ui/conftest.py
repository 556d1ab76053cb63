"""Qt fixtures: a library with real imported books, and the task runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from app.core.models import ImportReport
from app.core.paths import resolve_paths
from app.services.library.importer import Importer
from app.services.session import Library
from app.ui.common.i18n import interface_language, use_language
from app.ui.common.tasks import TaskRunner
from app.ui.window.main_window import MainWindow
from tests.support.samples import Samples
from tests.support.sessions import session_of


@pytest.fixture(scope="module")
def shelf_library(tmp_path_factory: pytest.TempPathFactory, samples: Samples) -> Iterator[Library]:
    """A library holding the generated samples (PDF, EPUB, FB2, TXT)."""
    library = Library(resolve_paths(tmp_path_factory.mktemp("ui-library")))
    with Importer(library) as importer:
        assert importer.run([samples.multilingual, samples.epub, samples.fb2, samples.txt]).ok
    yield library
    library.close()


@pytest.fixture
def runner(qtbot: object) -> Iterator[TaskRunner]:
    """A task runner, drained before the test ends."""
    tasks = TaskRunner()
    yield tasks
    tasks.wait()


@pytest.fixture
def make_library(tmp_path: Path) -> Iterator[Callable[..., tuple[Library, ImportReport]]]:
    """Make a new library holding the given documents; closed after the test."""
    opened: list[Library] = []

    def make(*documents: Path) -> tuple[Library, ImportReport]:
        library = Library(resolve_paths(tmp_path / f"library-{len(opened)}"))
        opened.append(library)
        with Importer(library) as importer:
            report = importer.run(documents)
        return library, report

    yield make
    for library in opened:
        library.close()


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[Callable[[Library], MainWindow]]:
    """Show a main window on a library; closed after the test (before its library)."""
    windows: list[MainWindow] = []

    def show(library: Library) -> MainWindow:
        window = MainWindow(session_of(library))
        qtbot.addWidget(window)
        window.resize(1000, 700)
        window.show()
        windows.append(window)
        return window

    yield show
    for window in windows:
        window.close()


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A test that switched the interface language leaves it English for the next one."""
    yield
    app = QCoreApplication.instance()
    if app is not None and interface_language() != "en":
        use_language(app, "en")
