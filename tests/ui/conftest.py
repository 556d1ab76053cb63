"""Qt fixtures: a library with real imported books, and the task runner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.core.paths import resolve_paths
from app.services.importer import Importer
from app.services.library import Library
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
