"""Qt fixtures: a library with real imported books, and the task runner."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from app.core.models import ImportReport
from app.core.paths import resolve_paths
from app.services.importer import Importer
from app.services.library import Library
from app.ui.i18n import interface_language, use_language
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner
from tests.support.samples import Samples


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
        window = MainWindow(library)
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


@pytest.fixture(scope="session", autouse=True)
def _constants_outlive_pyside() -> None:
    """Keep this test process from aborting at exit under PySide6 6.12.0 on Python 3.11.

    PySide6 6.12.0 drops a reference to ``None`` on every Qt call that returns nothing or
    an empty value, and one to ``True`` on every ``emit()`` of a connected signal; the
    whole UI suite makes enough of them that Python deallocates ``True`` while finalizing
    ("bool_dealloc", exit 134), though every test passes. As the benchmarks do
    (``tests/benchmarks/common.py``, ``keep_constants_alive``), raise the three reference
    counts once. Python 3.12 made these objects immortal; nothing is done there.
    """
    if sys.version_info >= (3, 12):
        return
    for constant in (None, True, False):
        ctypes.c_ssize_t.from_address(id(constant)).value += 1 << 40
