"""The library model: ids first, rows fetched in the background, sorted and filtered."""

from __future__ import annotations

import time

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.paths import resolve_paths
from app.services.library import Library
from app.ui.library_model import BOOK_ID_ROLE, CHUNK, LOADING, LibraryModel
from app.ui.tasks import TaskRunner


def _loaded(qtbot: QtBot, model: LibraryModel, **query: object) -> int:
    with qtbot.waitSignal(model.shelf_loaded, timeout=10_000) as blocker:
        model.refresh(**query)
    return int(blocker.args[0])


def _wait_rows(qtbot: QtBot, model: LibraryModel) -> None:
    for row in range(model.rowCount()):
        model.data(model.index(row, 0))
    qtbot.waitUntil(lambda: all(model.book(r) is not None for r in range(model.rowCount())))


def test_model_passes_qt_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, shelf_library: Library, runner: TaskRunner
) -> None:
    model = LibraryModel(shelf_library, runner)
    assert _loaded(qtbot, model) == 4
    qtmodeltester.check(model)
    _wait_rows(qtbot, model)
    qtmodeltester.check(model)


def test_sort_and_filter_like_search(
    qtbot: QtBot, shelf_library: Library, runner: TaskRunner
) -> None:
    model = LibraryModel(shelf_library, runner)
    _loaded(qtbot, model, order="title", descending=False)
    _wait_rows(qtbot, model)
    titles = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert titles == sorted(titles, key=str.lower)
    # the filter folds case, script and apostrophes as search does
    assert _loaded(qtbot, model, text="TOʻPLAMI") == 1
    _wait_rows(qtbot, model)
    assert model.data(model.index(0, 0)) == "Hikoyalar toʻplami"
    assert _loaded(qtbot, model, text="toplami") == 0  # no apostrophe is another word
    assert _loaded(qtbot, model, text="to'plami") == 1
    assert _loaded(qtbot, model, text="городской") == 1
    assert _loaded(qtbot, model, text="", fmt="pdf") == 1
    assert _loaded(qtbot, model, fmt=None, lang="ru") >= 1
    book_id = model.data(model.index(0, 0), BOOK_ID_ROLE)
    assert shelf_library.store.get(book_id) is not None


@pytest.mark.slow
def test_ten_thousand_books_load_lazily(qtbot: QtBot, tmp_path: object, runner: TaskRunner) -> None:
    library = Library(resolve_paths(str(tmp_path)))
    with library.store.transaction() as db:
        db.executemany(
            "INSERT INTO books(id, title, authors, languages, format, page_count, size, "
            "file_name, original_name, state, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    f"{n:064x}",
                    f"Kitob {n}",
                    '["Muallif"]',
                    '["uz"]',
                    "pdf",
                    10,
                    1,
                    "x",
                    "x",
                    "ready",
                    float(n),
                )
                for n in range(10_000)
            ],
        )
    model = LibraryModel(library, runner)
    started = time.perf_counter()
    assert _loaded(qtbot, model) == 10_000
    assert time.perf_counter() - started < 2.0
    # rows not yet fetched show a placeholder and are fetched a chunk at a time
    assert model.data(model.index(9_999, 0)) == LOADING
    qtbot.waitUntil(lambda: model.book(9_999) is not None)
    assert model.data(model.index(9_999, 0)) == "Kitob 0"  # newest first
    fetched = sum(1 for r in range(10_000) if model.book(r) is not None)
    assert fetched <= CHUNK
    library.close()
