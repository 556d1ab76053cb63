"""The main window syncing with the real library server (sync/server) on 127.0.0.1: the status
line, a sync at start and on "Sync now", local edits sent after the settle time, the bounded
sync on exit, offline, and the Account page of the settings dialog. Another library stands for
the student's other device.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from app.core.models import Anchor, Annotation, AnnotationKind, Book, ImportReport
from app.core.paths import resolve_paths
from app.library.annotations import AnnotationStore
from app.library.catalogs import CatalogStore
from app.library.sync_state import SyncState
from app.services.session import Library
from app.services.sync.server_sync import login, sync_now
from app.ui.reader.view import ReaderView
from app.ui.sync.conflicts import SyncConflictsDialog
from app.ui.sync.other_devices import OtherDevicesDialog
from app.ui.sync.runner import SyncRunState
from app.ui.window.main_window import MainWindow
from app.ui.window.sync_wiring import SyncTiming
from sync.engine import SyncReport
from tests.support.cli import mutolaa
from tests.support.docgen import make_pdf
from tests.support.library_server import LibraryServer, serving
from tests.support.samples import Samples
from tests.support.sessions import PROFILE, session_of

USER = "talaba"
PASSWORD = "kitob-oqish-yaxshi"
#: Syncs start at once and follow a local change after 50 ms (the window's own are seconds).
QUICK = SyncTiming(start_delay=0.0, settle=0.05, interval=3600.0, exit_bound=3.0)

MakeLibrary = Callable[..., tuple[Library, ImportReport]]


@dataclass
class Here:
    """This PC: a library holding the sample PDF."""

    library: Library
    book: Book


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LibraryServer]:
    with serving(tmp_path / "server") as running:
        running.add_user(USER, PASSWORD)
        yield running


@pytest.fixture
def here(make_library: MakeLibrary, samples: Samples) -> Here:
    library, report = make_library(samples.multilingual)
    assert report.ok
    return Here(library, report.added[0])


@pytest.fixture
def other_device(tmp_path: Path, here: Here) -> Iterator[Callable[[str], Library]]:
    """The student's other PC: a library holding the same book (its record), signed in."""
    opened: list[Library] = []

    def make(url: str) -> Library:
        library = Library(resolve_paths(tmp_path / f"other-{len(opened)}"))
        opened.append(library)
        library.store.add_book(here.book, None)
        login(session_of(library), url, USER, PASSWORD)
        return library

    yield make
    for library in opened:
        library.close()


@pytest.fixture
def sync_window(qtbot: QtBot, here: Here) -> Iterator[Callable[..., MainWindow]]:
    """Show a main window on this PC's library with quick sync timings; closed after the test."""
    windows: list[MainWindow] = []

    def show(timing: SyncTiming = QUICK) -> MainWindow:
        window = MainWindow(session_of(here.library), sync_timing=timing)
        qtbot.addWidget(window)
        window.resize(1000, 700)
        window.show()
        windows.append(window)
        return window

    yield show
    for window in windows:
        window.close()


def _synced(qtbot: QtBot, window: MainWindow, *, pulled: bool = False) -> SyncReport:
    """Wait for the window's next sync (one that pulled something, with ``pulled``)."""

    def wanted(report: SyncReport) -> bool:
        return report.pulled > 0 if pulled else True

    with qtbot.waitSignal(window.sync.runner.synced, timeout=30_000, check_params_cb=wanted) as got:
        pass
    report = got.args[0]
    assert isinstance(report, SyncReport)
    return report


def _highlight(library: Library, book_id: str, quote: str) -> Annotation:
    return AnnotationStore(library.store).create(
        book_id,
        AnnotationKind.HIGHLIGHT,
        Anchor(page=0),
        quote=quote,
        color="green",
        profile_id=PROFILE,
    )


def _live(library: Library, annotation_id: str) -> Annotation | None:
    found = AnnotationStore(library.store).get(annotation_id)
    return found if found is not None and not found.deleted else None


def test_a_signed_in_window_syncs_at_start_and_shows_what_another_device_made(
    qtbot: QtBot,
    server: LibraryServer,
    here: Here,
    other_device: Callable[[str], Library],
    sync_window: Callable[..., MainWindow],
) -> None:
    login(session_of(here.library), server.url, USER, PASSWORD)
    other = other_device(server.url)
    first = _highlight(other, here.book.id, "birinchi belgi")
    assert sync_now(session_of(other)).pushed >= 1

    window = sync_window()
    status = window.sync.status
    assert status.parent() is window.statusBar()
    report = _synced(qtbot, window, pulled=True)  # at start, nobody asked
    assert report.pulled >= 1
    assert _live(here.library, first.id) is not None
    assert status.label.text().startswith("Synced at ")
    assert status.sync_button.isEnabled()

    # an open book and the library-wide view follow a later sync without being reopened
    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        window.open_book(here.book.id)
    reader = opened.args[0]
    assert isinstance(reader, ReaderView)
    marks = reader.annotations
    assert marks is not None
    qtbot.waitUntil(lambda: first.id in {a.id for a in marks.items}, timeout=10_000)
    page_before = reader.page
    everything = window.show_annotations()
    qtbot.waitUntil(lambda: len(everything.panel.model.rows()) >= 1, timeout=10_000)

    second = _highlight(other, here.book.id, "ikkinchi belgi")
    assert sync_now(session_of(other)).pushed >= 1
    action = window.sync.sync_now_action
    assert action in window.menus.file_menu.actions()
    assert action.shortcut().toString() == "F9"
    assert action.text() == "S&ync now"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.sync.runner.synced, timeout=30_000) as synced:
        qtbot.keyClick(window.library_panel.filter_box, Qt.Key.Key_F9)
    assert synced.args[0].pulled >= 1  # the store announced what it pulled to the views
    qtbot.waitUntil(lambda: second.id in {a.id for a in marks.items}, timeout=10_000)
    qtbot.waitUntil(
        lambda: second.id in {row.id for row in everything.panel.model.rows()}, timeout=10_000
    )
    assert reader.page == page_before  # the open book stayed where it was
    everything.close()

    # "Resolve sync conflicts…" opens the conflicts dialog
    with qtbot.waitSignal(status.conflicts_opened) as conflicts:
        window.sync.resolve_action.trigger()
    dialog = conflicts.args[0]
    assert isinstance(dialog, SyncConflictsDialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000) as loaded:
        pass
    assert loaded.args[0].conflicts == ()
    assert dialog.status.text() == "Nothing to resolve."
    dialog.close()


def test_a_highlight_and_the_reading_position_made_in_the_window_reach_the_server(
    qtbot: QtBot,
    server: LibraryServer,
    here: Here,
    other_device: Callable[[str], Library],
    sync_window: Callable[..., MainWindow],
) -> None:
    login(session_of(here.library), server.url, USER, PASSWORD)
    window = sync_window()
    _synced(qtbot, window)
    editor = window.annotation_editor
    mark = editor.new(
        here.book.id, AnnotationKind.HIGHLIGHT, Anchor(page=1), quote="kutubxona", color="blue"
    )
    # the reader saves a highlight this way; nobody presses "Sync now"
    with qtbot.waitSignal(window.sync.runner.synced, timeout=30_000) as synced:
        editor.create([mark], "Highlight")
    assert synced.args[0].pushed >= 1
    assert window.sync.runner.state is SyncRunState.IDLE

    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        window.open_book(here.book.id, page=1)
    reader = opened.args[0]
    assert isinstance(reader, ReaderView)
    # the reader saves where it is: that is sent too
    qtbot.waitUntil(
        lambda: here.library.store.progress(here.book.id, profile_id=PROFILE) is not None,
        timeout=10_000,
    )
    _synced(qtbot, window)

    other = other_device(server.url)
    assert sync_now(session_of(other)).pulled >= 2
    pulled = _live(other, mark.id)
    assert pulled is not None
    assert (pulled.quote, pulled.color, pulled.kind) == ("kutubxona", "blue", mark.kind)
    position = other.store.progress(here.book.id, profile_id=PROFILE)
    assert position is not None
    assert position[0] == "page=1"

    # deleting it in the window deletes it there too
    with qtbot.waitSignal(window.sync.runner.synced, timeout=30_000) as synced:
        editor.delete(mark)
    assert synced.args[0].pushed >= 1
    sync_now(session_of(other))
    assert _live(other, mark.id) is None


def test_closing_the_window_sends_an_unsynced_change_within_the_bound(
    qtbot: QtBot,
    server: LibraryServer,
    here: Here,
    other_device: Callable[[str], Library],
    sync_window: Callable[..., MainWindow],
) -> None:
    login(session_of(here.library), server.url, USER, PASSWORD)
    # a settle time longer than the test: only the sync on exit can send the change
    window = sync_window(SyncTiming(start_delay=0.0, settle=3600.0, interval=3600.0))
    _synced(qtbot, window)
    editor = window.annotation_editor
    mark = editor.new(here.book.id, AnnotationKind.BOOKMARK, Anchor(page=2), body="Bob 2")
    editor.create([mark], "Add bookmark")  # still on its way to the store
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < window.sync.timing.exit_bound + 1.0
    assert not window.sync.runner.running
    assert _live(here.library, mark.id) is not None

    other = other_device(server.url)
    sync_now(session_of(other))
    there = _live(other, mark.id)
    assert there is not None
    assert there.body == "Bob 2"


def test_offline_the_window_starts_stays_responsive_and_says_so(
    qtbot: QtBot, here: Here, sync_window: Callable[..., MainWindow]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    SyncState(here.library.store, profile_id=PROFILE).sign_in(nowhere, USER, "a-token")
    window = sync_window()  # its sync starts once the event loop runs
    runner = window.sync.runner
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    started = time.monotonic()
    qtbot.waitUntil(lambda: runner.state is SyncRunState.OFFLINE, timeout=30_000)
    qtbot.waitUntil(lambda: window.library_panel.model.rowCount() == 1, timeout=10_000)
    qtbot.wait(300)  # offline, nothing runs: the window goes on as ever
    timer.stop()
    gaps = [b - a for a, b in zip([started, *ticks], ticks, strict=False)]
    assert len(ticks) >= 5
    assert max(gaps) < 0.5  # the event loop never waited for the network
    assert window.sync.status.label.text() == "Offline: will sync when the server answers"
    assert not runner.retry_pending

    # a local change while offline: the window is still quick to close
    mark = window.annotation_editor.new(here.book.id, AnnotationKind.BOOKMARK, Anchor(page=0))
    with qtbot.waitSignal(window.annotation_editor.changed, timeout=10_000):
        window.annotation_editor.create([mark], "Add bookmark")
    before = time.monotonic()
    window.close()
    assert time.monotonic() - before < window.sync.timing.exit_bound + 1.0


def test_the_account_page_of_the_settings_signs_in_and_out_and_the_window_syncs(
    qtbot: QtBot, server: LibraryServer, here: Here, sync_window: Callable[..., MainWindow]
) -> None:
    window = sync_window()
    runner, status = window.sync.runner, window.sync.status
    qtbot.waitUntil(lambda: runner.state is SyncRunState.SIGNED_OUT and not runner.running)
    assert status.label.text() == "Not signed in"
    assert not status.sync_button.isEnabled()

    dialog = window.edit_settings()
    assert dialog.pages is not None
    page = dialog.account
    assert page is not None
    assert dialog.pages.tabText(dialog.pages.indexOf(page)) == "Account"
    assert dialog.pages.indexOf(page) == dialog.pages.indexOf(dialog.library_servers) + 1
    dialog.pages.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.who.text() == "Not signed in.", timeout=10_000)
    page.url.setText(server.url)
    page.user.setText(USER)
    page.password.setText(PASSWORD)
    with qtbot.waitSignal(runner.synced, timeout=30_000):
        page.sign_in_button.click()
    assert page.who.text() == f"Signed in as {USER} at {server.url}/."
    assert runner.state is SyncRunState.IDLE
    assert status.label.text().startswith("Synced at ")
    assert status.sync_button.isEnabled()
    account = SyncState(here.library.store, profile_id=PROFILE).account()
    assert account is not None
    assert account.token

    with qtbot.waitSignal(page.signed_out, timeout=10_000):
        page.sign_out_button.click()
    qtbot.waitUntil(lambda: runner.state is SyncRunState.SIGNED_OUT, timeout=10_000)
    assert status.label.text() == "Not signed in"
    dialog.reject()


def test_a_stalled_server_never_freezes_the_window_and_closing_keeps_the_bound(
    qtbot: QtBot, here: Here, sync_window: Callable[..., MainWindow]
) -> None:
    with socket.socket() as listener:  # accepts connections and never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        SyncState(here.library.store, profile_id=PROFILE).sign_in(
            f"http://127.0.0.1:{listener.getsockname()[1]}/", USER, "a-token"
        )
        window = sync_window()
        runner = window.sync.runner
        ticks: list[float] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start(20)
        started = time.monotonic()
        qtbot.waitUntil(lambda: runner.state is SyncRunState.SYNCING, timeout=10_000)
        assert window.sync.status.label.text() == "Syncing…"
        qtbot.waitUntil(lambda: window.library_panel.model.rowCount() == 1, timeout=10_000)
        qtbot.wait(500)
        timer.stop()
        assert runner.running  # still waiting for the server …
        gaps = [b - a for a, b in zip([started, *ticks], ticks, strict=False)]
        assert len(ticks) >= 10
        assert max(gaps) < 0.5  # … while the window went on
        before = time.monotonic()
        window.close()
        assert time.monotonic() - before < window.sync.timing.exit_bound + 1.0
    assert runner.wait(30_000)  # the cut sync ends once the address refuses


def test_a_book_of_another_device_is_downloaded_from_the_window(
    qtbot: QtBot, tmp_path: Path, here: Here, sync_window: Callable[..., MainWindow]
) -> None:
    books = tmp_path / "books"
    make_pdf(books / "kecha.pdf", ["Kecha va kunduz"], title="Kecha va kunduz")
    with serving(tmp_path / "catalogue-server", books, catalog="public") as server:
        server.add_user(USER, PASSWORD)
        other = tmp_path / "other-pc"  # downloads the book from the server's catalogue
        mutolaa(other, "catalog", "add", f"{server.url}/opds", "--name", "Kutubxona")
        mutolaa(other, "catalog", "browse", "Kutubxona", "/opds/new")
        mutolaa(other, "download", "Kecha va kunduz")
        mutolaa(other, "account", "login", server.url, USER, stdin=PASSWORD + "\n")
        mutolaa(other, "sync")
        CatalogStore(here.library.store, profile_id=PROFILE).add("Kutubxona", f"{server.url}/opds")
        login(session_of(here.library), server.url, USER, PASSWORD)

        window = sync_window()
        _synced(qtbot, window)
        window.sync.other_devices_action.trigger()
        dialog = window.sync.other_devices
        assert isinstance(dialog, OtherDevicesDialog)
        qtbot.waitUntil(lambda: [b.title for b in dialog.books] == ["Kecha va kunduz"])
        with qtbot.waitSignal(window.catalogs_page.book_arrived, timeout=60_000) as arrived:
            dialog.download_button.click()
        book = here.library.store.get(arrived.args[0])
        assert book is not None
        assert book.title == "Kecha va kunduz"
        dialog.reload()
        qtbot.waitUntil(lambda: dialog.books == [] and dialog.table.topLevelItemCount() == 0)
        dialog.close()
        qtbot.waitUntil(lambda: window.sync.other_devices is None)


def test_sync_now_while_signed_out_says_where_to_sign_in(
    qtbot: QtBot, sync_window: Callable[..., MainWindow]
) -> None:
    # issue 12, item 20: File › Sync now (F9) did nothing visible when nobody was signed in
    window = sync_window()
    runner = window.sync.runner
    qtbot.waitUntil(lambda: runner.state is SyncRunState.SIGNED_OUT and not runner.running)
    assert window.sync.sync_now_action.shortcut().toString() == "F9"
    with qtbot.waitSignal(window.sync.sign_in_hinted, timeout=10_000) as hinted:
        window.sync.sync_now_action.trigger()
    box = hinted.args[0]
    assert box.isVisible()
    assert "Account page of the settings" in box.informativeText()
    sign_in = next(b for b in box.buttons() if b.text() == "Sign in…")
    sign_in.click()  # the settings open on the Account page
    dialog = window.settings_dialog
    assert dialog is not None
    assert dialog.pages is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.pages.currentWidget() is dialog.account
    dialog.reject()
