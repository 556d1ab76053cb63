"""Reading progress synced with a KOReader sync server: a desktop library and a "KOReader
device" (raw HTTP calls with KOReader's headers) against our real server on 127.0.0.1.

The device is further on → the desktop moves there; behind → a question, never a silent move;
the desktop's position → the device sees it. The `mutolaa account koreader` and `mutolaa sync`
commands run as real subprocesses; the password is never stored, printed or logged (only its
MD5, KOReader's key, is kept).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from pytestqt.qtbot import QtBot

from app.core.errors import UserError
from app.core.paths import resolve_paths
from app.library.koreader_state import KoreaderState
from app.library.migrations import MIGRATIONS, SCHEMA_VERSION
from app.library.secrets import KOREADER_KEY
from app.library.store import LibraryStore
from app.library.sync_state import SyncState
from app.services.session import Library
from app.services.sync.koreader import (
    SKIP_REFLOWABLE,
    check_and_turn_on,
    sync_progress,
)
from app.services.sync.server_sync import login, sync_now
from app.ui.sync.runner import SyncRunner, SyncRunState
from sync.engine import SyncReport
from sync.http import HttpClient, HttpPolicy
from sync.koreader import KoreaderRefused, partial_md5, user_key
from tests.support.cli import mutolaa
from tests.support.library_server import LibraryServer, serving
from tests.support.records import make_book
from tests.support.sessions import PROFILE, session_of

USER = "talaba"
PASSWORD = "kutubxona-parol-2026"
KOREADER_PASSWORD = "kobo-da-oqiyman-2026"
ACCEPT = "application/vnd.koreader.v1+json"
FAST = HttpPolicy(max_retries=1, backoff_base=0.01, backoff_max=0.02, read_timeout=10)
PDF = "1" * 64
EPUB = "2" * 64


def _content(seed: int, size: int = 300_000) -> bytes:
    return b"".join(hashlib.sha256(f"{seed}:{i}".encode()).digest() for i in range(size // 32))


def _add_book(library: Library, book_id: str, fmt: str, pages: int, seed: int) -> Path:
    """A book row with a real file behind it (KOReader's id is the file's partial MD5)."""
    book = dataclasses.replace(
        make_book(book_id),
        format=fmt,
        page_count=pages,
        file_name=f"{book_id[:2]}/{book_id}.{fmt}",
        added_at=time.time(),
    )
    library.store.add_book(book, None)
    path = library.store.file_path(book)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_content(seed))
    return path


class KoreaderDevice:
    """An e-ink reader running KOReader: the calls its kosync plugin makes."""

    def __init__(self, url: str, user: str, password: str, device_id: str = "KOBO-5A1B") -> None:
        self.url = url
        self.device_id = device_id
        self.headers = {
            "Accept": ACCEPT,
            "x-auth-user": user,
            "x-auth-key": hashlib.md5(password.encode(), usedforsecurity=False).hexdigest(),
        }

    def put(self, document: str, progress: str, percentage: float) -> None:
        body = {
            "document": document,
            "progress": progress,
            "percentage": percentage,
            "device": "Kobo Clara 2E",
            "device_id": self.device_id,
        }
        answer = requests.put(
            f"{self.url}/syncs/progress", json=body, headers=self.headers, timeout=10
        )
        assert answer.status_code == 200, answer.text

    def get(self, document: str) -> dict[str, Any]:
        answer = requests.get(
            f"{self.url}/syncs/progress/{document}", headers=self.headers, timeout=10
        )
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LibraryServer]:
    with serving(tmp_path / "server") as running:
        running.add_user(USER, PASSWORD)
        running.accounts.set_koreader(USER, KOREADER_PASSWORD)
        yield running


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(FAST, sleep=lambda _s: None) as client:
        yield client


@pytest.fixture
def desktop(tmp_path: Path, server: LibraryServer, http: HttpClient) -> Iterator[Library]:
    library = Library(resolve_paths(tmp_path / "desktop"))
    try:
        _add_book(library, PDF, "pdf", 100, seed=1)
        _add_book(library, EPUB, "epub", 40, seed=2)
        check_and_turn_on(session_of(library), server.url, USER, KOREADER_PASSWORD, http=http)
        yield library
    finally:
        library.close()


@pytest.fixture
def device(server: LibraryServer) -> KoreaderDevice:
    return KoreaderDevice(server.url, USER, KOREADER_PASSWORD)


def _document(library: Library, book_id: str) -> str:
    book = library.store.get(book_id)
    assert book is not None
    return partial_md5(library.store.file_path(book))


def _remote_entries(library: Library, book_id: str) -> list[tuple[int, str]]:
    rows = library.store.query(
        "SELECT remote, data FROM change_log WHERE object_kind = 'progress' AND object_id = ? "
        "ORDER BY seq",
        (book_id,),
    )
    return [(int(r[0]), str(r[1])) for r in rows]


# -- the device further on, behind, and the desktop's own position ------------------------------


def test_a_device_further_on_moves_the_desktop_and_nothing_bounces_back(
    desktop: Library, device: KoreaderDevice, http: HttpClient
) -> None:
    desktop.store.set_progress(PDF, "page=9", 0.1, profile_id=PROFILE)
    first = sync_progress(session_of(desktop), http=http)  # the desktop's position goes out first
    assert (first.sent, first.received, first.asked) == (1, 0, 0)
    document = _document(desktop, PDF)
    device.put(document, "40", 0.4)  # page 40 of 100 on the e-ink reader
    report = sync_progress(session_of(desktop), http=http)
    assert (report.sent, report.received, report.asked) == (0, 1, 0)
    assert desktop.store.progress(PDF, profile_id=PROFILE) == ("page=39", 0.4)
    # written as a remote change: never pushed to the library server as an edit made here
    entries = _remote_entries(desktop, PDF)
    assert [remote for remote, _data in entries] == [0, 1]
    own = [
        c
        for c in SyncState(desktop.store, profile_id=PROFILE).local_changes(0, 50)
        if c.object_id == PDF
    ]
    assert len(own) == 1  # only the page turned here
    # and not sent back to KOReader: the device still holds its own position
    again = sync_progress(session_of(desktop), http=http)
    assert (again.sent, again.received, again.asked) == (0, 0, 0)
    held = device.get(document)
    assert (held["progress"], held["device_id"]) == ("40", device.device_id)


def test_a_device_behind_becomes_a_question_asked_once(
    desktop: Library, device: KoreaderDevice, http: HttpClient
) -> None:
    desktop.store.set_progress(PDF, "page=49", 0.5, profile_id=PROFILE)
    sync_progress(session_of(desktop), http=http)
    document = _document(desktop, PDF)
    device.put(document, "10", 0.1)
    report = sync_progress(session_of(desktop), http=http)
    assert (report.sent, report.received, report.asked) == (0, 0, 1)
    assert desktop.store.progress(PDF, profile_id=PROFILE) == (
        "page=49",
        0.5,
    )  # not moved backwards
    questions = SyncState(desktop.store, profile_id=PROFILE).questions()
    assert [(q.kind, q.object_id) for q in questions] == [("progress", PDF)]
    assert questions[0].data == {
        "position": "page=9",
        "fraction": 0.1,
        "device": "Kobo Clara 2E",
        "source": "koreader",
    }
    SyncState(desktop.store, profile_id=PROFILE).forget_question(questions[0].id)  # "Stay here"
    again = sync_progress(session_of(desktop), http=http)
    assert again.asked == 0  # the same remote position is not asked about twice
    assert SyncState(desktop.store, profile_id=PROFILE).questions() == []
    device.put(document, "12", 0.12)  # the device moved again, still behind: asked again
    assert sync_progress(session_of(desktop), http=http).asked == 1


def test_the_desktops_position_reaches_the_device(
    desktop: Library, device: KoreaderDevice, http: HttpClient
) -> None:
    account = KoreaderState(desktop.store, profile_id=PROFILE).account()
    assert account is not None
    document = _document(desktop, PDF)
    assert device.get(document) == {}
    desktop.store.set_progress(PDF, "page=19", 0.2, profile_id=PROFILE)
    assert sync_progress(session_of(desktop), http=http).sent == 1
    held = device.get(document)
    assert (held["progress"], held["percentage"], held["device"], held["device_id"]) == (
        "20",
        0.2,
        "Mutolaa",
        account.device_id,
    )
    assert sync_progress(session_of(desktop), http=http).sent == 0  # unchanged: nothing sent
    desktop.store.set_progress(PDF, "page=29", 0.3, profile_id=PROFILE)
    assert sync_progress(session_of(desktop), http=http).sent == 1
    assert device.get(document)["progress"] == "30"


def test_a_reflowable_book_is_received_by_percentage_and_never_sent_a_made_up_xpointer(
    desktop: Library, device: KoreaderDevice, http: HttpClient
) -> None:
    document = _document(desktop, EPUB)
    device.put(document, "/body/DocFragment[12]/body/p[3]/text().0", 0.5)
    report = sync_progress(session_of(desktop), http=http)
    assert report.received == 1
    assert desktop.store.progress(EPUB, profile_id=PROFILE) == (
        "page=19",
        0.5,
    )  # page 20 of 40, the import's layout
    desktop.store.set_progress(EPUB, "page=30;font=14", 0.8, profile_id=PROFILE)
    report = sync_progress(session_of(desktop), http=http)
    assert report.sent == 0
    assert report.skipped == [(EPUB, SKIP_REFLOWABLE)]
    assert device.get(document)["progress"] == "/body/DocFragment[12]/body/p[3]/text().0"
    assert sync_progress(session_of(desktop), http=http).skipped == []  # said once per change


def test_a_book_the_device_has_never_opened_and_no_progress_here_is_left_alone(
    desktop: Library, device: KoreaderDevice, http: HttpClient
) -> None:
    report = sync_progress(session_of(desktop), http=http)
    assert (report.sent, report.received, report.asked, report.skipped) == (0, 0, 0, [])
    assert device.get(_document(desktop, PDF)) == {}


def test_a_missing_book_file_is_skipped_with_its_reason(desktop: Library, http: HttpClient) -> None:
    book = desktop.store.get(PDF)
    assert book is not None
    desktop.store.file_path(book).unlink()
    report = sync_progress(session_of(desktop), http=http)
    assert report.skipped == [(PDF, "the book's file cannot be read")]


# -- refusals, offline, off ---------------------------------------------------------------------


def test_a_wrong_password_turns_nothing_on(
    tmp_path: Path, server: LibraryServer, http: HttpClient
) -> None:
    with Library(resolve_paths(tmp_path / "other")) as library:
        with pytest.raises(KoreaderRefused, match="refused the user name or password"):
            check_and_turn_on(session_of(library), server.url, USER, "not the password", http=http)
        assert KoreaderState(library.store, profile_id=PROFILE).account() is None


def test_a_key_the_server_no_longer_takes_stops_the_sync_with_one_line(
    desktop: Library, server: LibraryServer, http: HttpClient
) -> None:
    desktop.store.set_progress(PDF, "page=3", 0.04, profile_id=PROFILE)
    server.accounts.set_koreader(USER, "a new KOReader password")
    with pytest.raises(KoreaderRefused) as raised:
        sync_progress(session_of(desktop), http=http)
    assert str(raised.value) == (
        f"KOReader sync at {server.url} refused the user name or password ('{USER}')"
    )
    account = KoreaderState(desktop.store, profile_id=PROFILE).account()
    assert account is not None
    assert account.last_error == str(raised.value)


def test_offline_is_a_quiet_report(tmp_path: Path, http: HttpClient) -> None:
    with serving(tmp_path / "gone") as running:
        running.add_user(USER, PASSWORD)
        running.accounts.set_koreader(USER, KOREADER_PASSWORD)
        url = running.url
        library = Library(resolve_paths(tmp_path / "offline"))
        _add_book(library, PDF, "pdf", 100, seed=1)
        check_and_turn_on(session_of(library), url, USER, KOREADER_PASSWORD, http=http)
    try:
        library.store.set_progress(PDF, "page=3", 0.04, profile_id=PROFILE)
        report = sync_progress(session_of(library), http=http)
        assert report.offline
        assert report.note.startswith(f"KOReader sync at {url}: no connection")
        assert report.sent == 0
    finally:
        library.close()


def test_turned_off_forgets_the_key(desktop: Library, http: HttpClient) -> None:
    state = KoreaderState(desktop.store, profile_id=PROFILE)
    assert state.turn_off()
    account = state.account()
    assert account is not None
    assert (account.enabled, account.key, account.active) == (False, "", False)
    with pytest.raises(UserError, match="KOReader progress sync is off"):
        sync_progress(session_of(desktop), http=http)
    assert "key" not in repr(account).lower().replace("koreader", "")


# -- beside the Mutolaa sync ---------------------------------------------------------------------


def test_a_koreader_position_is_not_pushed_to_the_library_server_as_a_local_edit(
    desktop: Library, device: KoreaderDevice, server: LibraryServer, http: HttpClient
) -> None:
    login(session_of(desktop), server.url, USER, PASSWORD, http=http)
    desktop.store.set_progress(PDF, "page=4", 0.05, profile_id=PROFILE)
    assert sync_now(session_of(desktop), http=http).pushed >= 1
    device.put(_document(desktop, PDF), "60", 0.6)
    assert sync_progress(session_of(desktop), http=http).received == 1
    # nothing of this profile's own is waiting to be pushed: the KOReader position is remote
    account = SyncState(desktop.store, profile_id=PROFILE).require_account()
    waiting = SyncState(desktop.store, profile_id=PROFILE).local_changes(account.pushed_seq, 50)
    assert [c for c in waiting if c.object_kind == "progress"] == []


# -- the migration ---------------------------------------------------------------------------


def test_a_schema_4_library_gains_the_koreader_tables_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        for step in MIGRATIONS[:4]:
            step(db)
        db.execute("PRAGMA user_version = 4")
        db.execute("INSERT INTO meta(key, value) VALUES ('index_generation', 'g4')")
    store = LibraryStore(path, tmp_path / "books")
    try:
        assert store.query("PRAGMA user_version") == [(SCHEMA_VERSION,)]  # 5 and every later
        assert store.query("SELECT value FROM meta WHERE key = 'index_generation'") == [("g4",)]
        state = KoreaderState(store, profile_id=PROFILE)
        assert state.account() is None
        turned = state.turn_on("http://127.0.0.1:9/", USER, user_key(KOREADER_PASSWORD))
        assert turned.active
        assert turned.key == user_key(KOREADER_PASSWORD)
    finally:
        store.close()


# -- the command line, as a real subprocess ---------------------------------------------------


def _run(folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return mutolaa(folder, *args, stdin=stdin, ok=False)


def test_the_commands_and_the_password_stays_secret(
    tmp_path: Path, server: LibraryServer, device: KoreaderDevice
) -> None:
    folder = tmp_path / "cli"
    with Library(resolve_paths(folder)) as library:
        _add_book(library, PDF, "pdf", 100, seed=1)
        library.store.set_progress(PDF, "page=9", 0.1, profile_id=PROFILE)
        document = _document(library, PDF)

    nobody = _run(folder, "sync")
    assert nobody.returncode == 1
    assert "KOReader sync is off" in nobody.stderr

    wrong = _run(folder, "account", "koreader", server.url, USER, stdin="not it\n")
    assert wrong.returncode == 1
    assert wrong.stderr.strip().splitlines() == [
        f"mutolaa: KOReader sync not turned on: KOReader sync at {server.url} refused the user "
        f"name or password ('{USER}')"
    ]

    on = _run(folder, "account", "koreader", server.url, USER, stdin=KOREADER_PASSWORD + "\n")
    assert on.returncode == 0, on.stderr
    assert on.stdout.strip() == f"KOReader progress sync on: {USER} at {server.url}/"

    synced = _run(folder, "sync")  # a profile with only KOReader syncs
    assert synced.returncode == 0, synced.stderr
    assert "KOReader progress: 1 sent, 0 received" in synced.stdout
    assert device.get(document)["progress"] == "10"

    device.put(document, "5", 0.05)  # behind: a question
    asked = _run(folder, "sync", "--json")
    assert asked.returncode == 0, asked.stderr
    data = json.loads(asked.stdout)
    assert {k: data["koreader"][k] for k in ("sent", "received", "asked", "offline")} == {
        "sent": 0,
        "received": 0,
        "asked": 1,
        "offline": False,
    }
    shown = _run(folder, "sync")
    assert "question: KOReader was further back in a book (page=4); not moved" in shown.stdout

    status = _run(folder, "account", "status", "--json")
    koreader = json.loads(status.stdout)["koreader"]
    assert (koreader["username"], koreader["active"], "key" in koreader) == (USER, True, False)

    off = _run(folder, "account", "koreader", "--off")
    assert off.returncode == 0, off.stderr
    assert "KOReader progress sync off" in off.stdout
    after = _run(folder, "sync")
    assert after.returncode == 1

    outputs = "".join(
        r.stdout + r.stderr for r in (nobody, wrong, on, synced, asked, shown, status, off, after)
    )
    key = user_key(KOREADER_PASSWORD)
    assert KOREADER_PASSWORD not in outputs
    assert key not in outputs
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert KOREADER_PASSWORD.encode() not in content, path
            if path.suffix == ".log" or "logs" in path.parts:
                assert key.encode() not in content, path


def test_the_key_is_kept_in_the_library_as_the_md5_only(
    tmp_path: Path, server: LibraryServer
) -> None:
    folder = tmp_path / "kept"
    on = _run(folder, "account", "koreader", server.url, USER, stdin=KOREADER_PASSWORD + "\n")
    assert on.returncode == 0, on.stderr
    with Library(resolve_paths(folder)) as library:
        rows = library.store.query("SELECT userkey FROM koreader_accounts")
        key = library.store.secret(PROFILE, KOREADER_KEY)
    assert rows == [("",)]  # kept apart, encrypted (tests/unit/test_secrets.py)
    assert key == user_key(KOREADER_PASSWORD)


def test_account_koreader_needs_a_url_and_a_user(tmp_path: Path) -> None:
    missing = _run(tmp_path / "lib", "account", "koreader")
    assert missing.returncode == 1
    assert "give the KOReader sync server and the user name" in missing.stderr
    both = _run(tmp_path / "lib", "account", "koreader", "http://127.0.0.1:9", "--off")
    assert both.returncode == 1
    assert "give no URL or user with --off" in both.stderr


# -- the window's sync runner (Qt offscreen) --------------------------------------------------


@pytest.fixture
def runners(qtbot: QtBot) -> Iterator[Callable[..., SyncRunner]]:
    """Sync runners with short waits; stopped and drained before the libraries close."""
    made: list[SyncRunner] = []

    def make(library: Library) -> SyncRunner:
        runner = SyncRunner(session_of(library), settle=0.05, policy=FAST)
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.finish(0)
        assert runner.wait(30_000)


def _synced(qtbot: QtBot, runner: SyncRunner) -> SyncReport:
    with qtbot.waitSignal(runner.synced, timeout=30_000) as blocker:
        runner.sync_now()
    report = blocker.args[0]
    assert isinstance(report, SyncReport)
    return report


def test_the_runner_syncs_a_koreader_only_profile(
    qtbot: QtBot,
    desktop: Library,
    device: KoreaderDevice,
    runners: Callable[..., SyncRunner],
) -> None:
    runner = runners(desktop)
    runner.start()
    qtbot.waitUntil(
        lambda: not runner.running and runner.state is SyncRunState.IDLE, timeout=30_000
    )
    assert runner.koreader is not None  # signed in, though there is no library server
    assert runner.status_text().startswith("Synced at ")
    device.put(_document(desktop, PDF), "70", 0.7)
    _synced(qtbot, runner)
    assert desktop.store.progress(PDF, profile_id=PROFILE) == ("page=69", 0.7)
    assert runner.koreader_report is not None
    assert runner.koreader_report.received == 1
    # a position turned here goes out with the window's quick sync on exit
    desktop.store.set_progress(PDF, "page=79", 0.8, profile_id=PROFILE)  # the store tells it
    runner.finish(5000)
    assert runner.wait(30_000)
    assert device.get(_document(desktop, PDF))["progress"] == "80"


def test_a_refused_key_stops_a_koreader_only_runner_with_one_line(
    qtbot: QtBot, desktop: Library, server: LibraryServer, runners: Callable[..., SyncRunner]
) -> None:
    server.accounts.set_koreader(USER, "another KOReader password")
    runner = runners(desktop)
    with qtbot.waitSignal(runner.failed, timeout=30_000) as blocker:
        runner.start()
    cause = blocker.args[0]
    assert cause == f"KOReader sync at {server.url} refused the user name or password ('{USER}')"
    assert runner.state is SyncRunState.FAILED
    assert not runner.retry_pending  # only a new key helps
    assert runner.status_text() == f"Sync stopped: {cause}"


def test_beside_a_library_server_a_koreader_failure_follows_the_announced_sync(
    qtbot: QtBot,
    desktop: Library,
    server: LibraryServer,
    http: HttpClient,
    runners: Callable[..., SyncRunner],
) -> None:
    login(session_of(desktop), server.url, USER, PASSWORD, http=http)
    desktop.store.set_progress(PDF, "page=2", 0.03, profile_id=PROFILE)
    server.accounts.set_koreader(USER, "another KOReader password")
    runner = runners(desktop)
    with (
        qtbot.waitSignal(runner.synced, timeout=30_000) as synced,
        qtbot.waitSignal(runner.failed, timeout=30_000) as failed,
    ):
        runner.start()
    assert synced.args[0].pushed >= 1  # the library server's sync went through
    assert "refused the user name or password" in failed.args[0]
    assert runner.state is SyncRunState.FAILED
    assert runner.retry_pending  # tried again later, with the library server's sync
