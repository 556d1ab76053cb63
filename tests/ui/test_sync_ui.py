"""The desktop side of sync against the real library server (sync/server) on 127.0.0.1:0:
the runner's states and status line, the status-bar widget, the account page, and the
conflicts dialog, with two libraries as two devices.
"""

from __future__ import annotations

import itertools
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from werkzeug.serving import BaseWSGIServer, make_server

from app.core.models import Anchor, AnnotationKind
from app.core.paths import resolve_paths
from app.library.annotations import AnnotationStore
from app.library.sync_state import SyncState
from app.services.session import Library
from app.services.sync.accounts import SignIn, SignInResult
from app.services.sync.server_sync import login, sync_now
from app.ui.common.tasks import TaskRunner
from app.ui.settings.account_page import AccountPage
from app.ui.sync.conflicts import SyncConflictsDialog
from app.ui.sync.runner import SyncRunner, SyncRunState
from app.ui.sync.status import SyncStatus
from sync.engine import SyncReport
from sync.server.app import create_app
from tests.support.qt_checks import assert_one_line, unnamed
from tests.support.records import make_book
from tests.support.sessions import PROFILE, session_of

SHA = "5" * 64
USER = "talaba"
PASSWORD = "kitob-oqish-yaxshi"


@dataclass
class Server:
    """The library server in a thread; `stop()` ends it (the address then refuses)."""

    url: str
    http: BaseWSGIServer
    thread: threading.Thread

    def stop(self) -> None:
        if self.thread.is_alive():
            self.http.shutdown()
            self.thread.join(timeout=10)
            self.http.server_close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A real server with one user (added by `mutolaa-server users add`, password on stdin)."""
    data = tmp_path / "server-data"
    added = subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "users", "add", USER, "--data", str(data)],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    http = make_server("127.0.0.1", 0, create_app(data, catalog=False), threaded=True)
    thread = threading.Thread(target=http.serve_forever, name="sync-ui-server", daemon=True)
    thread.start()
    running = Server(f"http://127.0.0.1:{http.server_port}/", http, thread)
    yield running
    running.stop()


@pytest.fixture
def stalled() -> Iterator[str]:
    """An address that accepts connections and never answers (nothing reads or writes)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    listener.close()


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[Callable[..., Library]]:
    """Libraries standing for devices, each holding the book SHA; closed after the test."""
    opened: list[Library] = []

    def make(entry: str = "") -> Library:
        library = Library(resolve_paths(tmp_path / f"device-{len(opened)}"))
        library.store.add_book(make_book(SHA), None)
        if entry:
            library.store.set_origin(SHA, "https://kutubxona.example/opds", entry)
        opened.append(library)
        return library

    yield make
    for library in opened:
        library.close()


@pytest.fixture
def runners(qtbot: QtBot) -> Iterator[Callable[..., SyncRunner]]:
    """Sync runners (short waits); stopped and drained before the libraries close."""
    made: list[SyncRunner] = []

    def make(library: Library, **options: float) -> SyncRunner:
        options.setdefault("settle", 0.05)
        runner = SyncRunner(session_of(library), **options)  # type: ignore[arg-type]
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.finish(0)
        assert runner.wait(30_000)


@pytest.fixture
def store_runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.wait()


def _signed_in(library: Library, server: Server) -> Library:
    login(session_of(library), server.url, USER, PASSWORD)
    return library


def _synced(qtbot: QtBot, runner: SyncRunner) -> SyncReport:
    """Sync now and wait for the report."""
    with qtbot.waitSignal(runner.synced, timeout=30_000) as blocker:
        runner.sync_now()
    report = blocker.args[0]
    assert isinstance(report, SyncReport)
    return report


# --- signed out ----------------------------------------------------------------------------


def test_signed_out_the_runner_says_so_and_does_not_sync(
    qtbot: QtBot, devices: Callable[..., Library], runners: Callable[..., SyncRunner]
) -> None:
    library = devices()
    runner = runners(library, interval=0.05)
    status = SyncStatus(runner, session_of(library), TaskRunner())
    qtbot.addWidget(status)
    runner.start()
    qtbot.waitUntil(lambda: runner.state is SyncRunState.SIGNED_OUT and not runner.running)
    assert runner.status_text() == "Not signed in"
    assert status.label.text() == "Not signed in"
    assert not status.sync_button.isEnabled()
    assert not status.resolve_button.isVisibleTo(status)
    # no periodic syncing while signed out, and a local change starts nothing
    AnnotationStore(library.store).create(
        SHA, AnnotationKind.BOOKMARK, Anchor(page=1), profile_id=PROFILE
    )
    qtbot.wait(200)
    assert not runner.running
    assert runner.state is SyncRunState.SIGNED_OUT


# --- the account page ----------------------------------------------------------------------


def test_signing_in_on_the_account_page_then_sync_now_sends_a_highlight_to_another_device(
    qtbot: QtBot,
    server: Server,
    devices: Callable[..., Library],
    runners: Callable[..., SyncRunner],
    store_runner: TaskRunner,
) -> None:
    first = devices()
    runner = runners(first)
    page = AccountPage(session_of(first), store_runner, sync_runner=runner)
    qtbot.addWidget(page)
    status = SyncStatus(runner, session_of(first), store_runner)
    qtbot.addWidget(status)
    qtbot.waitUntil(lambda: page.who.text() == "Not signed in.")
    assert not page.sign_out_button.isEnabled()
    assert page.password.echoMode() is QLineEdit.EchoMode.Password

    # a wrong password: one line, nothing kept
    page.url.setText(server.url)
    page.user.setText(USER)
    page.password.setText("not-the-password")
    with qtbot.waitSignal(page.sign_in_failed, timeout=30_000) as failed:
        page.sign_in_button.click()
    result = failed.args[0]
    assert isinstance(result, SignInResult)
    assert result.outcome is SignIn.REFUSED
    assert page.message.text() == "The server refused the user name and password."
    assert SyncState(first.store, profile_id=PROFILE).account() is None

    # the right one: signed in, the runner learns it and syncs
    page.password.setText(PASSWORD)
    with qtbot.waitSignal(runner.synced, timeout=30_000):
        page.sign_in_button.click()
    assert page.message.text() == f"Signed in as {USER} at {server.url}."
    assert page.who.text() == f"Signed in as {USER} at {server.url}."
    assert page.password.text() == ""
    assert page.sign_out_button.isEnabled()
    assert runner.state is SyncRunState.IDLE

    # a highlight made here goes out on "Sync now"
    notes = AnnotationStore(first.store)
    mark = notes.create(
        SHA, AnnotationKind.HIGHLIGHT, Anchor(page=1), quote="so'z", color="red", profile_id=PROFILE
    )
    with qtbot.waitSignal(runner.synced, timeout=30_000) as synced:
        status.sync_button.click()
    assert synced.args[0].pushed >= 1
    assert_one_line(status.label.text())
    assert status.label.text().startswith("Synced at ")
    assert status.label.text() == runner.status_text()
    qtbot.waitUntil(lambda: page.last_sync.text().startswith("Last sync: "))

    # another device signs in, syncs and has it
    second = devices()
    other = runners(_signed_in(second, server))
    report = _synced(qtbot, other)
    assert report.pulled >= 1
    pulled = AnnotationStore(second.store).get(mark.id)
    assert pulled is not None
    assert (pulled.quote, pulled.color, pulled.deleted) == ("so'z", "red", False)

    # signing out: the runner stops syncing
    page.sign_out_button.click()
    qtbot.waitUntil(lambda: runner.state is SyncRunState.SIGNED_OUT, timeout=10_000)
    assert page.who.text().startswith("Signed out")
    assert status.label.text() == "Not signed in"


def test_the_account_page_says_in_one_line_what_is_wrong_with_a_server(
    qtbot: QtBot, server: Server, stalled: str, devices: Callable[..., Library]
) -> None:
    library = devices()
    page = AccountPage(session_of(library))
    qtbot.addWidget(page)
    page.user.setText(USER)
    page.password.setText(PASSWORD)

    page.url.setText("kutubxona")  # not a URL: said at once, nothing asked
    page.sign_in_button.click()
    assert page.message.text() == (
        "The address must be an http:// or https:// URL with a server name."
    )

    # nothing listens there
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    page.url.setText(closed)
    with qtbot.waitSignal(page.sign_in_failed, timeout=30_000):
        page.sign_in_button.click()
    assert page.message.text() == (
        "The server cannot be reached: check the address and the connection."
    )

    # an HTTP server, but not a Mutolaa library server (its API is not at this path)
    page.url.setText(server.url + "elsewhere/")
    with qtbot.waitSignal(page.sign_in_failed, timeout=30_000):
        page.sign_in_button.click()
    assert page.message.text() == "This address answers, but not as a Mutolaa library server."

    page.user.clear()
    page.url.setText(server.url)
    page.sign_in_button.click()
    assert page.message.text() == "Type your user name on this server."
    for text in (page.message.text(), page.who.text()):
        assert_one_line(text)
    assert SyncState(library.store, profile_id=PROFILE).account() is None


# --- offline, stalled, exit ----------------------------------------------------------------


def test_offline_the_status_says_so_and_the_window_keeps_running(
    qtbot: QtBot,
    server: Server,
    devices: Callable[..., Library],
    runners: Callable[..., SyncRunner],
) -> None:
    library = _signed_in(devices(), server)
    runner = runners(library, interval=3600, first_retry=0.05)
    runner.start()
    qtbot.waitUntil(lambda: runner.state is SyncRunState.IDLE, timeout=30_000)
    server.stop()

    states: list[SyncRunState] = []
    runner.state_changed.connect(lambda: states.append(runner.state))
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    runner.sync_now()
    qtbot.waitUntil(lambda: runner.state is SyncRunState.OFFLINE, timeout=30_000)
    timer.stop()
    assert SyncRunState.SYNCING in states
    assert ticks  # the event loop ran while the sync did
    assert runner.status_text() == "Offline: will sync when the server answers"
    # offline keeps quiet: no retry timer, no failure, the next try is at the interval
    assert not runner.retry_pending
    assert runner.detail == ""
    qtbot.wait(200)
    assert not runner.running


def test_a_stalled_server_never_freezes_the_window_and_finish_keeps_its_bound(
    qtbot: QtBot,
    stalled: str,
    devices: Callable[..., Library],
    runners: Callable[..., SyncRunner],
) -> None:
    library = devices()
    SyncState(library.store, profile_id=PROFILE).sign_in(
        stalled, USER, "a-token"
    )  # as a login would keep it
    runner = runners(library)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    started = time.monotonic()
    runner.start()
    qtbot.waitUntil(lambda: runner.state is SyncRunState.SYNCING)
    qtbot.waitUntil(lambda: runner.state is SyncRunState.OFFLINE, timeout=30_000)
    timer.stop()
    waited = time.monotonic() - started
    assert waited > 1.0  # the probe waited for the silent server …
    gaps = [b - a for a, b in zip([started, *ticks], ticks, strict=False)]
    assert len(ticks) > waited / 0.02 / 4  # … and the event loop kept running meanwhile
    assert max(gaps) < 0.5

    # exit: a local change is there to send, the server stalls; finish keeps to its bound
    AnnotationStore(library.store).create(
        SHA, AnnotationKind.BOOKMARK, Anchor(page=2), profile_id=PROFILE
    )  # the store tells the runner: nobody calls it by hand
    before = time.monotonic()
    runner.finish(1500)
    assert time.monotonic() - before < 1.5 + 0.3
    assert runner.wait(30_000)


def test_finish_while_a_sync_waits_for_a_stalled_server_returns_in_time(
    qtbot: QtBot,
    stalled: str,
    devices: Callable[..., Library],
    runners: Callable[..., SyncRunner],
) -> None:
    library = devices()
    SyncState(library.store, profile_id=PROFILE).sign_in(stalled, USER, "a-token")
    runner = runners(library)
    runner.start()
    qtbot.waitUntil(lambda: runner.state is SyncRunState.SYNCING)
    before = time.monotonic()
    assert not runner.finish(800)  # the running sync did not end in time …
    assert time.monotonic() - before < 0.8 + 0.3  # … and finish did not wait longer
    runner.sync_now()  # stopped: nothing more starts
    assert runner.wait(30_000)


# --- conflicts and questions ---------------------------------------------------------------


def test_a_note_edited_on_two_devices_is_resolved_in_the_dialog_and_the_choice_is_synced(
    qtbot: QtBot,
    server: Server,
    devices: Callable[..., Library],
    runners: Callable[..., SyncRunner],
    store_runner: TaskRunner,
) -> None:
    first, second = _signed_in(devices(), server), _signed_in(devices(), server)
    one, two = runners(first), runners(second)
    notes_one, notes_two = AnnotationStore(first.store), AnnotationStore(second.store)
    note = notes_one.create(
        SHA, AnnotationKind.NOTE, Anchor(page=4), body="boshlanishi", profile_id=PROFILE
    )
    _synced(qtbot, one)
    _synced(qtbot, two)
    assert notes_two.get(note.id) is not None
    # each edit right before its own device's sync: an edit starts its runner's settle timer,
    # and a timer left running while the other device syncs would start a sync of its own
    notes_one.update(note.id, body="birinchi qurilmada")
    _synced(qtbot, one)
    notes_two.update(note.id, body="ikkinchi qurilmada")  # two has not pulled the first edit
    report = _synced(qtbot, two)
    assert report.conflicts == 1
    assert two.conflicts == 1
    assert two.status_text() == "Notes edited on two devices, to resolve: 1"

    status = SyncStatus(two, session_of(second), store_runner)
    qtbot.addWidget(status)
    assert status.label.text() == "Notes edited on two devices, to resolve: 1"
    assert status.resolve_button.isVisibleTo(status)
    with qtbot.waitSignal(status.conflicts_opened) as opened:
        status.resolve_button.click()
    dialog = opened.args[0]
    assert isinstance(dialog, SyncConflictsDialog)
    qtbot.waitUntil(lambda: len(dialog.pending.conflicts) == 1)
    assert dialog.status.text() == ""  # not "Nothing to resolve." from before the lists were read
    assert dialog.this_text.toPlainText() == "birinchi qurilmada"
    assert dialog.other_text.toPlainText() == "ikkinchi qurilmada"
    assert unnamed(dialog) == []
    copy = dialog.pending.conflicts[0].copy
    assert copy.origin == f"conflict:{note.id}"

    # "Keep this one" under the other text deletes the note the server kept; a sync follows
    with qtbot.waitSignal(two.synced, timeout=30_000):
        dialog.keep_other_button.click()
    assert dialog.pending.conflicts == ()
    assert dialog.status.text() == "The other text was deleted."
    deleted = notes_two.get(note.id)
    assert deleted is not None
    assert deleted.deleted
    assert two.conflicts == 0
    qtbot.waitUntil(lambda: not status.resolve_button.isVisibleTo(status))

    # the first device learns it
    _synced(qtbot, one)
    gone = notes_one.get(note.id)
    kept = notes_one.get(copy.id)
    assert gone is not None
    assert gone.deleted
    assert kept is not None
    assert not kept.deleted
    assert kept.body == "ikkinchi qurilmada"
    assert one.conflicts == 0
    dialog.close()


def test_keep_both_makes_the_copy_an_ordinary_note_on_every_device(
    qtbot: QtBot,
    server: Server,
    devices: Callable[..., Library],
    runners: Callable[..., SyncRunner],
    store_runner: TaskRunner,
) -> None:
    first, second = _signed_in(devices(), server), _signed_in(devices(), server)
    one, two = runners(first), runners(second)
    notes_one, notes_two = AnnotationStore(first.store), AnnotationStore(second.store)
    note = notes_one.create(
        SHA, AnnotationKind.NOTE, Anchor(page=2), body="boshi", profile_id=PROFILE
    )
    _synced(qtbot, one)
    _synced(qtbot, two)
    notes_one.update(note.id, body="birinchisi")
    _synced(qtbot, one)
    notes_two.update(note.id, body="ikkinchisi")  # after the other's sync: see the test above
    assert _synced(qtbot, two).conflicts == 1
    _synced(qtbot, one)
    assert one.conflicts == 1

    status = SyncStatus(two, session_of(second), store_runner)
    qtbot.addWidget(status)
    with qtbot.waitSignal(status.conflicts_opened) as opened:
        status.resolve_button.click()
    dialog = opened.args[0]
    assert isinstance(dialog, SyncConflictsDialog)
    qtbot.waitUntil(lambda: len(dialog.pending.conflicts) == 1)
    copy = dialog.pending.conflicts[0].copy
    with qtbot.waitSignal(two.synced, timeout=30_000):
        dialog.keep_both_button.click()
    assert dialog.pending.conflicts == ()
    assert dialog.status.text() == "Both texts stay as notes."
    assert two.conflicts == 0
    _synced(qtbot, one)
    assert one.conflicts == 0  # the first device stops listing the pair too
    for notes in (notes_one, notes_two):
        kept = notes.get(copy.id)
        assert kept is not None
        assert (kept.origin, kept.deleted) == ("mutolaa", False)
        assert {a.body for a in notes.search(1)} >= {"birinchisi", "ikkinchisi"}


def test_a_reading_position_behind_this_one_is_asked_and_go_there_moves_the_progress(
    qtbot: QtBot,
    server: Server,
    devices: Callable[..., Library],
    runners: Callable[..., SyncRunner],
    store_runner: TaskRunner,
) -> None:
    # the same book, from a file here and from a catalogue there: two progress objects
    here = _signed_in(devices(), server)
    there = _signed_in(devices(entry="urn:kitob:1"), server)
    here.store.set_progress(SHA, "page=80", 0.8, profile_id=PROFILE)
    sync_now(session_of(here))
    there.store.set_progress(SHA, "page=30", 0.3, profile_id=PROFILE)
    sync_now(session_of(there))
    runner = runners(here)
    _synced(qtbot, runner)
    assert runner.questions == 1
    assert runner.status_text() == "Reading positions from other devices, to answer: 1"
    assert here.store.progress(SHA, profile_id=PROFILE) == (
        "page=80",
        0.8,
    )  # never moved back by itself

    dialog = SyncConflictsDialog(session_of(here), store_runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: len(dialog.pending.questions) == 1)
    assert dialog.positions.item(0).text() == (
        "Kitob: On another device you were at page=30 (30 %)."
    )
    assert not dialog.keep_this_button.isEnabled()
    with qtbot.waitSignal(dialog.resolved):
        dialog.go_button.click()
    assert here.store.progress(SHA, profile_id=PROFILE) == ("page=30", 0.3)
    assert SyncState(here.store, profile_id=PROFILE).questions() == []
    assert dialog.pending.questions == ()
    assert dialog.status.text() == "“Kitob” opens at the other device's position now."


def test_stay_here_forgets_the_question_and_keeps_the_position(
    qtbot: QtBot,
    server: Server,
    devices: Callable[..., Library],
    store_runner: TaskRunner,
) -> None:
    here = _signed_in(devices(), server)
    there = _signed_in(devices(entry="urn:kitob:1"), server)
    here.store.set_progress(SHA, "page=80", 0.8, profile_id=PROFILE)
    sync_now(session_of(here))
    there.store.set_progress(SHA, "page=30", 0.3, profile_id=PROFILE)
    sync_now(session_of(there))
    sync_now(session_of(here))
    dialog = SyncConflictsDialog(session_of(here), store_runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(dialog.pending.questions) == 1)
    with qtbot.waitSignal(dialog.resolved):
        dialog.stay_button.click()
    assert here.store.progress(SHA, profile_id=PROFILE) == ("page=80", 0.8)
    assert SyncState(here.store, profile_id=PROFILE).questions() == []


# --- failures ------------------------------------------------------------------------------


def test_a_refused_token_stops_syncing_with_a_one_line_cause(
    qtbot: QtBot,
    server: Server,
    devices: Callable[..., Library],
    runners: Callable[..., SyncRunner],
) -> None:
    library = devices()
    SyncState(library.store, profile_id=PROFILE).sign_in(server.url, USER, "not-a-token")
    runner = runners(library, first_retry=0.05)
    causes: list[str] = []
    runner.failed.connect(causes.append)
    runner.start()
    qtbot.waitUntil(lambda: runner.state is SyncRunState.FAILED, timeout=30_000)
    assert len(causes) == 1
    assert_one_line(causes[0])
    assert runner.status_text() == f"Sync stopped: {causes[0]}"
    assert not runner.retry_pending  # only signing in again helps
    qtbot.wait(200)
    assert len(causes) == 1


def test_a_failing_server_is_tried_again_with_growing_waits(
    qtbot: QtBot,
    devices: Callable[..., Library],
    runners: Callable[..., SyncRunner],
) -> None:
    """A server that answers the probe and fails every push (a 500 of its own)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: PLC0415

    class Failing(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the probe answers
            body = b'{"server": "mutolaa", "protocol": 1}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = b'{"error": "the disk is full"}'
            self.send_response(400)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    failing = ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=failing.serve_forever, daemon=True)
    thread.start()
    try:
        library = devices()
        SyncState(library.store, profile_id=PROFILE).sign_in(
            f"http://127.0.0.1:{failing.server_port}/", USER, "a-token"
        )
        AnnotationStore(library.store).create(
            SHA, AnnotationKind.BOOKMARK, Anchor(page=0), profile_id=PROFILE
        )
        runner = runners(library, first_retry=0.1, longest_retry=0.2)
        failures: list[float] = []
        runner.failed.connect(lambda _cause: failures.append(time.monotonic()))
        runner.start()
        qtbot.waitUntil(lambda: len(failures) >= 4, timeout=30_000)
        assert runner.state is SyncRunState.FAILED
        assert "the disk is full" in runner.status_text()
        assert_one_line(runner.status_text())
        # the waits grow from 0.1 s and stop at 0.2 s: neither a busy loop nor a long wait
        gaps = [b - a for a, b in itertools.pairwise(failures)]
        assert min(gaps) >= 0.09
        assert runner.retry_pending
    finally:
        runner.finish(0)
        runner.wait()
        failing.shutdown()
        failing.server_close()


# --- names and languages -------------------------------------------------------------------


def test_every_control_has_a_name_and_texts_come_back_on_a_language_change(
    qtbot: QtBot,
    devices: Callable[..., Library],
    runners: Callable[..., SyncRunner],
    store_runner: TaskRunner,
) -> None:
    library = devices()
    runner = runners(library)
    page = AccountPage(session_of(library), store_runner, sync_runner=runner)
    status = SyncStatus(runner, session_of(library), store_runner)
    dialog = SyncConflictsDialog(session_of(library), store_runner)
    for widget in (page, status, dialog):
        qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: dialog.status.text() == "Nothing to resolve.")
    for widget in (page, status, dialog):
        assert unnamed(widget) == [], type(widget).__name__
    page.sign_in_button.setText("x")
    status.sync_button.setText("x")
    dialog.go_button.setText("x")
    for widget in (page, status, dialog):
        QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
    assert page.sign_in_button.text() == "Sign in"
    assert status.sync_button.text() == "Sync now"
    assert dialog.go_button.text() == "Go there"
