"""The downloads panel and its runner, against a real HTTP server on 127.0.0.1 and real books:
downloads imported and ready to read, progress with speed and time left, pause and resume
sending only the rest, cancel, priorities, a failed checksum, a server that cannot be reached
then comes back, and another process holding the queue."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from app.library.downloads import DownloadQueue, QueuedDownload
from app.library.locks import LibraryLocks
from app.services.catalogs.queue_runner import downloads_folder, queue_lock
from app.services.session import Library
from app.ui.catalogs.download_runner import DownloadRunner, RunnerState
from app.ui.catalogs.downloads_panel import (
    LEFT_COLUMN,
    PROBLEM_COLUMN,
    SPEED_COLUMN,
    STATE_COLUMN,
    DownloadsPanel,
)
from app.ui.common.i18n import use_language
from app.ui.common.tasks import TaskRunner
from sync.http import HttpPolicy
from sync.partials import find_partial
from tests.support.docgen import make_epub, make_pdf
from tests.support.range_server import Fault, RangeServer, running
from tests.support.sessions import PROFILE, session_of

#: No retries inside the HTTP client and short timeouts: the runner's own retries are tested.
FAST = HttpPolicy(
    connect_timeout=2.0, read_timeout=5.0, max_retries=0, backoff_base=0.01, backoff_max=0.05
)
#: Bytes per second for a download that must last a few seconds.
SLOW = 120 * 1024
#: About 7 s for the PDF: a pause or a cancel is seen before the end on a busy machine too.
SLOWER = 50 * 1024

PanelMaker = Callable[..., tuple[DownloadsPanel, DownloadRunner]]


@pytest.fixture(scope="module")
def pdf_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real PDF of about 350 kB (scanned pages after the first)."""
    pages = [f"Sahifa {i}. yuklab olingan kitob. " + "matn " * 50 for i in range(8)]
    path = make_pdf(
        tmp_path_factory.mktemp("served") / "vohasi.pdf",
        pages,
        title="Vohasi",
        author="Aziz Karimov",
        image_only_pages=range(1, 8),
    )
    return path.read_bytes()


@pytest.fixture(scope="module")
def epub_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A small real EPUB."""
    path = make_epub(
        tmp_path_factory.mktemp("served") / "bogi.epub",
        [("Birinchi bob", "Bogʻda daraxtlar bor."), ("Ikkinchi bob", "Daryo oqadi.")],
        title="Bogʻ",
        author="Nodira Rahimova",
        lang="uz",
    )
    return path.read_bytes()


@dataclass(frozen=True)
class Books:
    """The bytes of the real books the server serves."""

    pdf: bytes
    epub: bytes


@pytest.fixture(scope="module")
def books(pdf_bytes: bytes, epub_bytes: bytes) -> Books:
    return Books(pdf_bytes, epub_bytes)


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with running() as srv:
        yield srv


@pytest.fixture
def make_panel(qtbot: QtBot, library: Library) -> Iterator[PanelMaker]:
    """A shown panel over a runner of its own; the runner is stopped before the library closes."""
    made: list[tuple[DownloadRunner, TaskRunner]] = []

    def make(**options: object) -> tuple[DownloadsPanel, DownloadRunner]:
        settings: dict[str, object] = {"policy": FAST, "first_retry": 0.2}
        settings.update(options)
        runner = DownloadRunner(session_of(library), **settings)  # type: ignore[arg-type]
        store = TaskRunner()
        panel = DownloadsPanel(session_of(library), runner, store)
        qtbot.addWidget(panel)
        panel.resize(900, 400)
        panel.show()
        made.append((runner, store))
        return panel, runner

    yield make
    for runner, store in made:
        assert runner.stop(10_000)
        store.wait()


def _row(panel: DownloadsPanel, download_id: str) -> QueuedDownload | None:
    return next((d for d in panel.downloads() if d.id == download_id), None)


def _state(panel: DownloadsPanel, download_id: str) -> str:
    row = _row(panel, download_id)
    return row.state if row is not None else ""


def _wait_state(qtbot: QtBot, panel: DownloadsPanel, download_id: str, state: str) -> None:
    qtbot.waitUntil(lambda: _state(panel, download_id) == state, timeout=15_000)


def _cell(panel: DownloadsPanel, download_id: str, column: int) -> str:
    texts = panel.row_texts(download_id)
    return texts[column] if texts else ""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_two_queued_downloads_are_imported_and_can_be_read(
    qtbot: QtBot,
    library: Library,
    server: RangeServer,
    make_panel: PanelMaker,
    books: Books,
) -> None:
    server.put("/vohasi.pdf", books.pdf, content_type="application/pdf")
    server.put("/bogi.epub", books.epub)
    queue = DownloadQueue(library.store)
    first = queue.enqueue(server.url("/vohasi.pdf"), title="Vohasi", profile_id=PROFILE)
    second = queue.enqueue(server.url("/bogi.epub"), title="Bogʻ", profile_id=PROFILE)
    panel, runner = make_panel()
    finished: list[tuple[str, str]] = []
    runner.finished.connect(lambda download_id, book_id: finished.append((download_id, book_id)))
    qtbot.waitUntil(lambda: len(panel.downloads()) == 2)
    assert {_state(panel, first), _state(panel, second)} == {"queued"}

    runner.kick()
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=30_000)
    _wait_state(qtbot, panel, first, "done")
    _wait_state(qtbot, panel, second, "done")
    qtbot.waitUntil(lambda: not runner.running)
    assert [f[0] for f in finished] == [first, second]  # oldest first at equal priority
    book_ids = {d.id: d.book_id for d in panel.downloads()}
    assert [(download_id, book_ids[download_id]) for download_id, _ in finished] == finished
    titles = {library.store.get(book_id).title for _, book_id in finished}  # type: ignore[union-attr]
    assert titles == {"Vohasi", "Bogʻ"}
    assert panel.row_texts(first)[STATE_COLUMN] == "Done"
    assert panel.progress_bar(first).value() == 1000  # type: ignore[union-attr]
    assert runner.state is RunnerState.IDLE
    assert not runner.retry_pending

    panel.choose(second)
    assert panel.actions_by_name["read"].isEnabled()
    assert panel.actions_by_name["remove"].isEnabled()
    assert not panel.actions_by_name["pause"].isEnabled()
    with qtbot.waitSignal(panel.read_requested) as asked:
        panel.buttons["read"].click()
    assert asked.args == [book_ids[second]]
    panel.perform("remove")
    qtbot.waitUntil(lambda: [d.id for d in panel.downloads()] == [first])


def test_a_slow_download_shows_speed_and_time_left_and_a_cancel_deletes_its_part(
    qtbot: QtBot,
    library: Library,
    server: RangeServer,
    make_panel: PanelMaker,
    books: Books,
) -> None:
    server.put("/vohasi.pdf", books.pdf, content_type="application/pdf")
    url = server.url("/vohasi.pdf")
    download_id = DownloadQueue(library.store).enqueue(url, title="Vohasi", profile_id=PROFILE)
    panel, runner = make_panel(rate_limit=SLOWER)
    assert panel.limit.value() == SLOWER // 1024
    reports: list[tuple[object, ...]] = []
    runner.progress.connect(lambda *args: reports.append(args))
    runner.kick()
    _wait_state(qtbot, panel, download_id, "running")
    qtbot.waitUntil(lambda: _cell(panel, download_id, SPEED_COLUMN) != "")
    qtbot.waitUntil(lambda: _cell(panel, download_id, LEFT_COLUMN) != "")
    texts = panel.row_texts(download_id)
    assert texts[STATE_COLUMN] == "Downloading"
    assert texts[SPEED_COLUMN].endswith("KB/s"), texts
    assert texts[LEFT_COLUMN].endswith("s left"), texts
    assert f"of {len(books.pdf) / 1024:.1f} KB" in texts[2], texts
    assert 0 < panel.progress_bar(download_id).value() < 1000  # type: ignore[union-attr]
    assert reports
    assert reports[-1][0] == download_id
    assert reports[-1][2] == len(books.pdf)

    panel.choose(download_id)
    assert panel.actions_by_name["cancel"].isEnabled()
    panel.buttons["cancel"].click()
    _wait_state(qtbot, panel, download_id, "cancelled")
    qtbot.waitUntil(lambda: not runner.running)
    assert find_partial(downloads_folder(library), url) is None
    assert not list(downloads_folder(library).glob("*.part"))
    assert server.sent("/vohasi.pdf") < len(books.pdf) + 256 * 1024  # it did stop
    qtbot.waitUntil(lambda: _cell(panel, download_id, SPEED_COLUMN) == "")


def test_pause_keeps_the_part_and_resume_fetches_only_the_rest(
    qtbot: QtBot,
    library: Library,
    server: RangeServer,
    make_panel: PanelMaker,
    books: Books,
) -> None:
    server.put("/vohasi.pdf", books.pdf, content_type="application/pdf")
    url = server.url("/vohasi.pdf")
    download_id = DownloadQueue(library.store).enqueue(url, title="Vohasi", profile_id=PROFILE)
    panel, runner = make_panel(rate_limit=SLOWER)
    runner.kick()
    qtbot.waitUntil(lambda: _cell(panel, download_id, SPEED_COLUMN) != "", timeout=10_000)
    panel.choose(download_id)
    assert panel.actions_by_name["pause"].isEnabled()
    panel.buttons["pause"].click()
    _wait_state(qtbot, panel, download_id, "paused")
    qtbot.waitUntil(lambda: not runner.running, timeout=5_000)  # seen at its next save
    found = find_partial(downloads_folder(library), url)
    assert found is not None
    kept = found[1].stat().st_size
    assert 0 < kept < len(books.pdf)
    assert panel.actions_by_name["resume"].isEnabled()
    assert not panel.actions_by_name["pause"].isEnabled()

    runner.set_rate_limit(None)
    panel.buttons["resume"].click()
    _wait_state(qtbot, panel, download_id, "done")
    hits = server.hits("/vohasi.pdf")
    assert len(hits) == 2
    assert hits[1].headers.get("range") == f"bytes={kept}-"
    assert hits[1].status == 206
    assert hits[1].sent == len(books.pdf) - kept  # the rest and nothing more
    book_id = _row(panel, download_id).book_id  # type: ignore[union-attr]
    assert book_id is not None
    book = library.store.get(book_id)
    assert book is not None
    assert book.id == hashlib.sha256(books.pdf).hexdigest()


def test_stopping_the_runner_puts_the_running_download_back_in_the_queue(
    qtbot: QtBot,
    library: Library,
    server: RangeServer,
    make_panel: PanelMaker,
    books: Books,
) -> None:
    server.put("/vohasi.pdf", books.pdf, content_type="application/pdf")
    queue = DownloadQueue(library.store)
    download_id = queue.enqueue(server.url("/vohasi.pdf"), profile_id=PROFILE)
    panel, runner = make_panel(rate_limit=SLOW)
    runner.kick()
    qtbot.waitUntil(lambda: _cell(panel, download_id, SPEED_COLUMN) != "", timeout=10_000)
    assert runner.stop(5_000)
    assert queue.get(download_id).state == "queued"
    assert find_partial(downloads_folder(library), server.url("/vohasi.pdf")) is not None
    runner.kick()  # stopped for good
    assert not runner.running


def test_a_download_a_crash_left_running_is_run_again(
    qtbot: QtBot,
    library: Library,
    server: RangeServer,
    make_panel: PanelMaker,
    books: Books,
) -> None:
    server.put("/bogi.epub", books.epub)
    queue = DownloadQueue(library.store)
    download_id = queue.enqueue(server.url("/bogi.epub"), title="Bogʻ", profile_id=PROFILE)
    queue.mark_running(download_id)  # as a killed window leaves it
    panel, runner = make_panel()
    runner.kick()
    _wait_state(qtbot, panel, download_id, "done")
    assert len(server.hits("/bogi.epub")) == 1


def test_move_up_and_down_change_the_order(
    qtbot: QtBot, library: Library, make_panel: PanelMaker
) -> None:
    queue = DownloadQueue(library.store)
    ids = [
        queue.enqueue(f"http://127.0.0.1:9/{name}.epub", title=name, profile_id=PROFILE)
        for name in "abc"
    ]
    panel, _runner = make_panel()  # never kicked: everything stays queued

    def titles() -> list[str]:
        return [d.title for d in panel.downloads()]

    qtbot.waitUntil(lambda: titles() == ["a", "b", "c"])
    panel.choose(ids[0])
    assert not panel.actions_by_name["up"].isEnabled()
    assert panel.actions_by_name["down"].isEnabled()
    panel.choose(ids[2])
    assert panel.actions_by_name["up"].isEnabled()
    assert not panel.actions_by_name["down"].isEnabled()
    panel.buttons["up"].click()
    qtbot.waitUntil(lambda: titles() == ["a", "c", "b"])
    chosen = panel.chosen()
    assert chosen is not None
    assert chosen.id == ids[2]
    panel.buttons["up"].click()
    qtbot.waitUntil(lambda: titles() == ["c", "a", "b"])
    panel.choose(ids[0])
    panel.buttons["down"].click()
    qtbot.waitUntil(lambda: titles() == ["c", "b", "a"])
    assert [d.title for d in queue.list(profile_id=PROFILE)] == ["c", "b", "a"]
    menu = panel.context_menu()
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "Pause",
        "Resume",
        "Retry",
        "Cancel",
        "Remove from list",
        "Move up",
        "Move down",
        "&Read",
    ]
    assert [a.text() for a in menu.actions() if a.isEnabled() and not a.isSeparator()] == [
        "Pause",
        "Cancel",
        "Move up",
    ]


def test_a_wrong_checksum_fails_with_its_one_line_reason(
    qtbot: QtBot,
    library: Library,
    server: RangeServer,
    make_panel: PanelMaker,
    books: Books,
) -> None:
    server.put("/bogi.epub", books.epub)
    download_id = DownloadQueue(library.store).enqueue(
        server.url("/bogi.epub"),
        title="Bogʻ",
        checksums={"sha256": "0" * 64},
        profile_id=PROFILE,
    )
    panel, runner = make_panel()
    runner.kick()
    _wait_state(qtbot, panel, download_id, "failed")
    texts = panel.row_texts(download_id)
    assert texts[STATE_COLUMN] == "Failed"
    assert "sha256 is" in texts[PROBLEM_COLUMN]
    assert "the catalogue says 000" in texts[PROBLEM_COLUMN]
    assert "\n" not in texts[PROBLEM_COLUMN]
    panel.choose(download_id)
    enabled = {name for name, action in panel.actions_by_name.items() if action.isEnabled()}
    assert enabled == {"retry", "cancel", "remove"}
    qtbot.waitUntil(lambda: not runner.running)
    assert runner.state is RunnerState.IDLE  # no point retrying
    assert not runner.retry_pending
    assert library.store.count() == 0


def test_a_body_longer_than_declared_fails_with_its_one_line_reason(
    qtbot: QtBot,
    library: Library,
    server: RangeServer,
    make_panel: PanelMaker,
    books: Books,
) -> None:
    # issue 13 item 4: an entry declaring 1000 bytes whose server streams on with no length
    server.put("/bogi.epub", books.epub)
    server.fault("/bogi.epub", Fault("endless", after=1024**3))
    download_id = DownloadQueue(library.store).enqueue(
        server.url("/bogi.epub"), title="Bogʻ", expected_size=1000, profile_id=PROFILE
    )
    panel, runner = make_panel()
    runner.kick()
    _wait_state(qtbot, panel, download_id, "failed")
    texts = panel.row_texts(download_id)
    assert texts[STATE_COLUMN] == "Failed"
    assert (
        "the server sent more than 66536 bytes (the catalogue declares 1000)"
        in (texts[PROBLEM_COLUMN])
    )
    assert "\n" not in texts[PROBLEM_COLUMN]
    qtbot.waitUntil(lambda: not runner.running)
    assert not runner.retry_pending  # final: trying again would not help
    assert not list(downloads_folder(library).glob("*.part*"))


def test_an_unreachable_server_leaves_the_download_queued_and_tries_again_later(
    qtbot: QtBot, library: Library, make_panel: PanelMaker
) -> None:
    download_id = DownloadQueue(library.store).enqueue(
        f"http://127.0.0.1:{_closed_port()}/vohasi.pdf",
        title="Vohasi",
        profile_id=PROFILE,
    )
    panel, runner = make_panel(first_retry=0.1, longest_retry=0.4)
    waits: list[float] = []
    runner.status_changed.connect(
        lambda: waits.append(runner.retry_in) if runner.state is RunnerState.WAITING else None
    )
    runner.kick()
    qtbot.waitUntil(lambda: len(waits) >= 5, timeout=10_000)
    assert waits[:5] == [0.1, 0.2, 0.4, 0.4, 0.4]  # doubling, capped
    qtbot.waitUntil(lambda: bool(_row(panel, download_id) and _row(panel, download_id).error))  # type: ignore[union-attr]
    row = _row(panel, download_id)
    assert row is not None
    assert row.state == "queued"
    assert "no connection" in row.error
    texts = panel.row_texts(download_id)
    assert texts[STATE_COLUMN] == "Waiting to try again"
    assert "no connection" in texts[PROBLEM_COLUMN]
    qtbot.waitUntil(lambda: "waiting for the server" in panel.status.text())
    panel.choose(download_id)
    assert panel.actions_by_name["retry"].isEnabled()

    # a kick (Retry) starts the waits again from the shortest
    waits.clear()
    panel.buttons["retry"].click()
    qtbot.waitUntil(lambda: len(waits) >= 1, timeout=5_000)
    assert waits[0] == 0.1


def test_queued_downloads_start_when_the_server_answers_again(
    qtbot: QtBot,
    library: Library,
    server: RangeServer,
    make_panel: PanelMaker,
    books: Books,
) -> None:
    server.put("/bogi.epub", books.epub)
    server.fault("/bogi.epub", Fault("status", status=503, times=2))
    download_id = DownloadQueue(library.store).enqueue(
        server.url("/bogi.epub"), title="Bogʻ", profile_id=PROFILE
    )
    panel, runner = make_panel(first_retry=0.2)
    seen: list[tuple[str, str]] = []
    panel.downloads_loaded.connect(
        lambda rows: seen.extend((d.state, d.error) for d in rows if d.id == download_id)
    )
    with qtbot.waitSignal(runner.finished, timeout=20_000) as finished:
        runner.kick()
    assert finished.args[0] == download_id
    assert [h.status for h in server.hits("/bogi.epub")] == [503, 503, 200]
    assert any(state == "queued" and "503" in error for state, error in seen), seen
    _wait_state(qtbot, panel, download_id, "done")
    qtbot.waitUntil(lambda: runner.state is RunnerState.IDLE)
    assert not runner.retry_pending


def test_another_process_holding_the_queue_is_said_and_waited_for(
    qtbot: QtBot,
    library: Library,
    server: RangeServer,
    make_panel: PanelMaker,
    books: Books,
) -> None:
    server.put("/bogi.epub", books.epub)
    download_id = DownloadQueue(library.store).enqueue(
        server.url("/bogi.epub"), title="Bogʻ", profile_id=PROFILE
    )
    panel, runner = make_panel(first_retry=0.2)
    with queue_lock(library) as held:  # as `mutolaa downloads --resume` would
        assert held
        runner.kick()
        qtbot.waitUntil(lambda: runner.state is RunnerState.BUSY)
        assert runner.retry_pending
        assert panel.status.text() == (
            "Another Mutolaa is running these downloads; trying again in 1 s."
        )
        qtbot.waitUntil(lambda: _state(panel, download_id) == "queued")
        assert server.hits() == []
    _wait_state(qtbot, panel, download_id, "done")
    assert panel.status.text() == ""


def test_controls_are_named_and_follow_the_language(
    qtbot: QtBot, library: Library, make_panel: PanelMaker
) -> None:
    queue = DownloadQueue(library.store)
    download_id = queue.enqueue("http://127.0.0.1:9/a.epub", title="a", profile_id=PROFILE)
    panel, _runner = make_panel()
    qtbot.waitUntil(lambda: len(panel.downloads()) == 1)
    panel.choose(download_id)
    controls = [
        w
        for w in panel.findChildren(QWidget)
        if w.isVisible()
        and w.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
        and w.focusProxy() is None  # a spin box's line edit speaks through the spin box
    ]
    assert panel.list in controls
    assert panel.limit in controls
    assert all(b in controls for b in panel.buttons.values())
    unnamed = [
        c
        for c in controls
        if not c.accessibleName() and not (isinstance(c, QAbstractButton) and c.text())
    ]
    assert unnamed == []
    assert panel.progress_bar(download_id).accessibleName() == "Progress of “a”"  # type: ignore[union-attr]

    app = QCoreApplication.instance()
    assert app is not None
    assert use_language(app, "ru") == "ru"
    qtbot.waitUntil(lambda: panel.actions_by_name["cancel"].text() != "Cancel")
    use_language(app, "en")
    qtbot.waitUntil(lambda: panel.actions_by_name["cancel"].text() == "Cancel")


def test_the_speed_limit_reaches_the_runner(qtbot: QtBot, make_panel: PanelMaker) -> None:
    panel, runner = make_panel()
    assert panel.limit.value() == 0
    assert panel.limit.text() == "No limit"
    assert runner.rate_limit is None
    with qtbot.waitSignal(panel.rate_limit_changed) as changed:
        panel.limit.setValue(256)
    assert changed.args == [256 * 1024.0]
    assert runner.rate_limit == 256 * 1024
    panel.limit.setValue(0)
    assert runner.rate_limit is None


def test_downloads_the_administrator_turned_off_wait_and_say_why(
    qtbot: QtBot,
    library: Library,
    server: RangeServer,
    make_panel: PanelMaker,
    books: Books,
) -> None:
    server.put("/bogi.epub", books.epub)
    download_id = DownloadQueue(library.store).enqueue(
        server.url("/bogi.epub"), title="Bogʻ", profile_id=PROFILE
    )
    LibraryLocks(library.store).set_downloads_allowed(False)  # as `profiles lock downloads off`
    panel, runner = make_panel(first_retry=0.2)
    runner.kick()
    qtbot.waitUntil(lambda: runner.state is RunnerState.FAILED, timeout=10_000)
    assert panel.status.text().startswith(
        "The downloads stopped: the administrator has turned downloads off for this library; "
    )
    assert _state(panel, download_id) == "queued"
    assert server.hits() == []
    LibraryLocks(library.store).set_downloads_allowed(True)
    _wait_state(qtbot, panel, download_id, "done")
