"""The library model: ids first, rows fetched in the background, sorted and filtered."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice, QSize, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.paths import resolve_paths
from app.services.library.importer import Importer
from app.services.session import Library
from app.ui.common.tasks import TaskRunner
from app.ui.library.cover_grid import COVER_HEIGHT, COVER_WIDTH, CoverGrid
from app.ui.library.model import BOOK_ID_ROLE, CHUNK, COLUMNS, LOADING, LibraryModel
from tests.support.samples import Samples
from tests.support.sessions import PROFILE, session_of


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
    model = LibraryModel(session_of(shelf_library), runner)
    assert _loaded(qtbot, model) == 4
    qtmodeltester.check(model)
    _wait_rows(qtbot, model)
    qtmodeltester.check(model)


def test_sort_and_filter_like_search(
    qtbot: QtBot, shelf_library: Library, runner: TaskRunner
) -> None:
    model = LibraryModel(session_of(shelf_library), runner)
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


def _png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 120, 40))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def _ten_thousand_books(folder: Path, cover: bytes | None = None) -> Library:
    """A library of 10,000 book rows (no files); every other book has ``cover``."""
    library = Library(resolve_paths(str(folder)))
    with library.store.transaction() as db:
        db.executemany(
            "INSERT INTO books(id, title, authors, languages, format, page_count, size, "
            "file_name, original_name, state, added_at, cover) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
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
                    cover if n % 2 == 0 else None,
                )
                for n in range(10_000)
            ],
        )
    return library


def test_grid_model_passes_qt_model_tester_and_draws_in_qt_alone(
    qtbot: QtBot, qtmodeltester: ModelTester, shelf_library: Library, runner: TaskRunner
) -> None:
    model = LibraryModel(session_of(shelf_library), runner)
    assert _loaded(qtbot, model) == 4
    grid = CoverGrid(model, runner, shelf_library.store.cover)
    qtbot.addWidget(grid)
    grid.resize(700, 300)
    grid.show()
    qtbot.waitExposed(grid)
    qtmodeltester.check(grid.model())
    ids = [model.book_id(row) for row in range(4)]
    qtbot.waitUntil(lambda: all(i in grid.covers for i in ids), timeout=10_000)
    assert all(grid.covers.pixmap(i) is not None for i in ids)
    qtmodeltester.check(grid.model())

    # repainting the grid loses no references to None (PySide6 6.12.0 on Python 3.11 lost
    # one per Qt call returning nothing, five a cell; see docs/dependencies.md)
    grid.viewport().repaint()
    before = sys.getrefcount(None)
    for _ in range(20):
        grid.viewport().repaint()
    assert before - sys.getrefcount(None) <= 25
    grid.close()
    runner.wait()


def test_headers_are_read_again_when_the_language_changes(
    qtbot: QtBot, shelf_library: Library, runner: TaskRunner
) -> None:
    model = LibraryModel(session_of(shelf_library), runner)
    with qtbot.waitSignal(model.headerDataChanged) as changed:
        model.retranslate()
    assert changed.args == [Qt.Orientation.Horizontal, 0, model.columnCount() - 1]


@pytest.mark.slow
def test_ten_thousand_books_load_lazily(qtbot: QtBot, tmp_path: Path, runner: TaskRunner) -> None:
    library = _ten_thousand_books(tmp_path)
    model = LibraryModel(session_of(library), runner)
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


def _rows_on_screen(grid: CoverGrid) -> set[int]:
    area = grid.viewport().rect()
    model = grid.model()
    return {
        row
        for row in range(model.rowCount())
        if grid.visualRect(model.index(row, 0)).intersects(area)
    }


@pytest.mark.slow
def test_grid_of_ten_thousand_books_reads_only_the_covers_on_screen(
    qtbot: QtBot, tmp_path: Path, runner: TaskRunner
) -> None:
    library = _ten_thousand_books(tmp_path, cover=_png(300, 420))
    reads: list[str] = []

    def read_cover(book_id: str) -> bytes | None:
        reads.append(book_id)
        return library.store.cover(book_id)

    model = LibraryModel(session_of(library), runner)
    assert _loaded(qtbot, model) == 10_000
    grid = CoverGrid(model, runner, read_cover)
    qtbot.addWidget(grid)
    grid.resize(800, 600)
    started = time.perf_counter()
    grid.show()
    qtbot.waitExposed(grid)
    assert time.perf_counter() - started < 2.0  # laying out 10,000 cells asks one for its size

    def ids(rows: set[int]) -> set[str]:
        return {model.book_id(row) for row in rows}

    top = _rows_on_screen(grid)
    assert 0 < len(top) < 60
    qtbot.waitUntil(lambda: all(i in grid.covers for i in ids(top)), timeout=10_000)
    assert sorted(reads) == sorted(ids(top))  # each cover on screen read once, no other
    newest = model.book_id(0)  # Kitob 9999: no cover, drawn as a placeholder
    second = model.book_id(1)  # Kitob 9998: a cover, scaled down to a thumbnail
    assert grid.covers.pixmap(newest) is None
    thumbnail = grid.covers.pixmap(second)
    assert thumbnail is not None
    assert thumbnail.width() <= COVER_WIDTH
    assert thumbnail.height() <= COVER_HEIGHT

    # jumping to the end reads the covers shown there, none of the thousands passed over
    grid.scrollToBottom()
    qtbot.waitUntil(lambda: model.book(9_999) is not None)
    bottom = _rows_on_screen(grid)
    assert 9_999 in bottom
    qtbot.waitUntil(lambda: all(i in grid.covers for i in ids(bottom)), timeout=10_000)
    assert sorted(reads) == sorted(ids(top) | ids(bottom))
    grid.close()
    runner.wait()
    library.close()


def test_the_read_column_shows_and_sorts_by_how_far_each_book_was_read(
    qtbot: QtBot, tmp_path: Path, samples: Samples, runner: TaskRunner
) -> None:
    library = Library(resolve_paths(tmp_path / "read"))
    try:
        with Importer(library) as importer:
            added = importer.run([samples.multilingual, samples.epub, samples.txt]).added
        first, second, unread = (book.id for book in added)
        library.store.set_progress(first, "page=3", 0.25, profile_id=PROFILE)
        library.store.set_progress(second, "page=9", 0.9, profile_id=PROFILE)
        with library.store.transaction() as db:  # another person on this PC
            db.execute("INSERT INTO profiles(id, name, created_at) VALUES (2, 'dilnoza', 0)")
        library.store.set_progress(unread, "page=0", 0.5, profile_id=2)  # theirs, not ours
        model = LibraryModel(session_of(library), runner)
        column = [key for key, _title in COLUMNS].index("progress")
        assert model.headerData(column, Qt.Orientation.Horizontal) == "Read"
        _loaded(qtbot, model, order="progress", descending=True)
        _wait_rows(qtbot, model)
        assert [model.book_id(r) for r in range(3)] == [second, first, unread]
        cells = [model.data(model.index(r, column)) for r in range(3)]
        assert cells == ["90 %", "25 %", ""]
        model.note_progress(first, 1.0)  # the reader moved on: shown without a query
        assert model.data(model.index(1, column)) == "100 %"
    finally:
        library.close()


def test_covers_of_any_shape_keep_the_titles_on_one_line(qtbot: QtBot) -> None:
    # issue 12, item 24: the titles under covers stood at different heights (a wide cover's
    # title higher than a tall one's)
    from app.ui.library.cover_grid import decode_covers  # noqa: PLC0415

    covers = {"wide": _png(400, 200), "tall": _png(200, 400), "square": _png(300, 300)}
    thumbnails = decode_covers(covers.get, list(covers), 1.0)
    sizes = {book: image.size() for book, image in thumbnails.items() if image is not None}
    assert set(sizes.values()) == {QSize(COVER_WIDTH, COVER_HEIGHT)}  # the placeholder.s size
    wide = thumbnails["wide"]
    assert wide is not None
    assert wide.pixelColor(COVER_WIDTH // 2, 2).alpha() == 0  # room above a wide cover
    assert wide.pixelColor(COVER_WIDTH // 2, COVER_HEIGHT - 3) == QColor(200, 120, 40)  # its foot
