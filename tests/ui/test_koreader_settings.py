"""The KOReader progress sync group of the Account page against the real library server
(sync/server, its KOReader sync API) on 127.0.0.1: turning on keeps only the MD5 of the password
and the window's sync runner syncs KOReader; a wrong password, a dead address, a stalled one,
an untrusted certificate and an address that is not a KOReader sync server are one line each;
turning off forgets the key; a question KOReader's position left is listed in the conflicts
dialog in its own words.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from app.core.paths import resolve_paths
from app.library.koreader_state import KoreaderState
from app.library.sync_state import SyncState
from app.services.session import Library
from app.services.sync.koreader import check_and_turn_on, sync_progress
from app.ui.common.i18n import use_language
from app.ui.common.tasks import TaskRunner
from app.ui.settings.account_page import AccountPage
from app.ui.settings.koreader_group import KoreaderGroup
from app.ui.sync.conflicts import SyncConflictsDialog
from app.ui.sync.runner import SyncRunner, SyncRunState
from sync.http import HttpClient, HttpPolicy
from sync.koreader import partial_md5, user_key
from tests.support.library_server import LibraryServer, serving
from tests.support.qt_checks import assert_one_line, unnamed
from tests.support.records import make_book
from tests.support.sessions import PROFILE, session_of
from tests.support.tls_library_server import serving_https

USER = "talaba"
PASSWORD = "kutubxona-parol-2026"
KOREADER_PASSWORD = "kobo-da-oqiyman-2026"
ACCEPT = "application/vnd.koreader.v1+json"
FAST = HttpPolicy(max_retries=1, backoff_base=0.01, backoff_max=0.02, read_timeout=10)
PDF = "1" * 64

UNREACHABLE = "The KOReader sync server cannot be reached: check the address and the connection."
REFUSED = "The server refused this user name and password for KOReader sync."
NOT_KOREADER = "This address answers, but not as a KOReader sync server."


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LibraryServer]:
    """The library server, its user's KOReader credential enabled (as the librarian does with
    `mutolaa-server users koreader NAME`)."""
    with serving(tmp_path / "server") as running:
        running.add_user(USER, PASSWORD)
        running.accounts.set_koreader(USER, KOREADER_PASSWORD)
        yield running


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Library]:
    """A library holding one 100-page PDF with a real file (KOReader's id is its partial MD5)."""
    library = Library(resolve_paths(tmp_path / "desktop"))
    book = dataclasses.replace(
        make_book(PDF), page_count=100, file_name=f"{PDF[:2]}/{PDF}.pdf", added_at=time.time()
    )
    library.store.add_book(book, None)
    path = library.store.file_path(book)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(10_000)))
    yield library
    library.close()


@pytest.fixture
def store_runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.wait()


@pytest.fixture
def runner(qtbot: QtBot, desktop: Library) -> Iterator[SyncRunner]:
    """The window's sync runner (short waits); stopped and drained before the library closes."""
    made = SyncRunner(session_of(desktop), settle=0.05, policy=FAST)
    yield made
    made.finish(0)
    assert made.wait(30_000)


@pytest.fixture
def page(
    qtbot: QtBot, desktop: Library, store_runner: TaskRunner, runner: SyncRunner
) -> Iterator[AccountPage]:
    """The Account page; its background work ends before the library closes."""
    made = AccountPage(session_of(desktop), store_runner, sync_runner=runner)
    qtbot.addWidget(made)
    qtbot.waitUntil(lambda: made.koreader.status.text() == "KOReader progress sync is off.")
    yield made
    assert made.finish_work(30_000)
    store_runner.wait()


def _device_put(url: str, document: str, progress: str, percentage: float) -> None:
    """What KOReader's kosync plugin on an e-ink reader sends."""
    key = hashlib.md5(KOREADER_PASSWORD.encode(), usedforsecurity=False).hexdigest()
    answer = requests.put(
        f"{url}/syncs/progress",
        json={
            "document": document,
            "progress": progress,
            "percentage": percentage,
            "device": "Kobo Clara 2E",
            "device_id": "KOBO-5A1B",
        },
        headers={"Accept": ACCEPT, "x-auth-user": USER, "x-auth-key": key},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


def _document(library: Library) -> str:
    book = library.store.get(PDF)
    assert book is not None
    return partial_md5(library.store.file_path(book))


def _turn_on(qtbot: QtBot, group: KoreaderGroup, url: str, password: str) -> str:
    """Fill the fields, press Turn on, wait for the answer; the message."""
    group.url.setText(url)
    group.user.setText(USER)
    group.password.setText(password)
    group.turn_on_button.click()
    assert not group.turn_on_button.isEnabled()  # busy while the server is asked
    qtbot.waitUntil(group.turn_on_button.isEnabled, timeout=30_000)
    return group.message.text()


def _files(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


# --- turning on ------------------------------------------------------------------------------


def test_turning_on_keeps_only_the_md5_and_the_runner_syncs_koreader(
    qtbot: QtBot,
    caplog: pytest.LogCaptureFixture,
    server: LibraryServer,
    runner: SyncRunner,
    page: AccountPage,
) -> None:
    caplog.set_level(logging.DEBUG)
    desktop, group = page.library, page.koreader
    assert group.password.echoMode() is QLineEdit.EchoMode.Password
    assert not group.turn_off_button.isEnabled()
    _device_put(server.url, _document(desktop), "70", 0.7)  # the e-ink reader is further on

    # a wrong password: one line, nothing kept, the runner not told
    assert _turn_on(qtbot, group, server.url, "not-the-kobo-password") == REFUSED
    assert KoreaderState(desktop.store, profile_id=PROFILE).account() is None
    assert runner.state is SyncRunState.SIGNED_OUT
    assert group.status.text() == "KOReader progress sync is off."

    # the right one: on, the key is the MD5, the runner syncs KOReader
    with qtbot.waitSignal(runner.synced, timeout=30_000):
        message = _turn_on(qtbot, group, server.url, KOREADER_PASSWORD)
    assert message == f"KOReader progress sync is on for {USER} at {server.url}/."
    assert group.password.text() == ""
    assert group.turn_off_button.isEnabled()
    account = KoreaderState(desktop.store, profile_id=PROFILE).account()
    assert account is not None
    assert (account.server_url, account.username, account.enabled) == (
        f"{server.url}/",
        USER,
        True,
    )
    assert account.key == user_key(KOREADER_PASSWORD)
    assert (
        SyncState(desktop.store, profile_id=PROFILE).account() is None
    )  # no library server needed
    assert runner.koreader is not None
    assert runner.koreader_report is not None
    assert runner.koreader_report.received == 1
    assert desktop.store.progress(PDF, profile_id=PROFILE) == ("page=69", 0.7)
    qtbot.waitUntil(lambda: "; last sync " in group.status.text(), timeout=10_000)
    status = group.status.text()
    assert_one_line(status)
    assert status.startswith(f"On for {USER} at {server.url}/; last sync ")
    assert "Last error" not in status

    # the password is nowhere in the library's files, nor the key (kept encrypted)
    files = _files(desktop.paths.data)
    assert desktop.paths.database in files  # the right files were read
    kept = KoreaderState(desktop.store, profile_id=PROFILE).account()
    assert kept is not None
    assert kept.key == user_key(KOREADER_PASSWORD)
    for path, content in files.items():
        assert KOREADER_PASSWORD.encode() not in content, path
        assert kept.key.encode() not in content, path
    logged = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    assert logged  # the sync did log (without the password)
    assert not [line for line in logged if KOREADER_PASSWORD in line]
    assert not [line for line in logged if "not-the-kobo-password" in line]


def test_a_dead_a_stalled_and_a_foreign_address_are_one_line_each_and_nothing_is_kept(
    qtbot: QtBot, server: LibraryServer, desktop: Library, page: AccountPage
) -> None:
    group = page.koreader

    group.url.setText("kobo-sync")  # not a URL: said at once, nothing asked
    group.password.setText(KOREADER_PASSWORD)
    group.user.setText(USER)
    group.turn_on_button.click()
    assert group.message.text() == (
        "The address must be an http:// or https:// URL with a server name."
    )
    assert group.turn_on_button.isEnabled()

    # nothing listens there: one line within a few seconds
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    started = time.monotonic()
    assert _turn_on(qtbot, group, closed, KOREADER_PASSWORD) == UNREACHABLE
    assert time.monotonic() - started < 3.0

    # an address that accepts and never answers: the window goes on meanwhile
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        ticks: list[float] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start(20)
        group.url.setText(f"http://127.0.0.1:{listener.getsockname()[1]}/")
        group.password.setText(KOREADER_PASSWORD)
        started = time.monotonic()
        group.turn_on_button.click()
        assert group.message.text() == "Checking with the KOReader sync server…"
        qtbot.wait(600)
        timer.stop()
        assert not group.turn_on_button.isEnabled()  # still waiting for the server …
        assert not group.turn_off_button.isEnabled()
        gaps = [b - a for a, b in zip([started, *ticks], ticks, strict=False)]
        assert len(ticks) >= 10
        assert max(gaps) < 0.5  # … while the event loop ran
    finally:
        listener.close()  # the waiting connection is reset: the answer comes now
    qtbot.waitUntil(group.turn_on_button.isEnabled, timeout=30_000)
    assert group.message.text() == UNREACHABLE

    # an HTTP server, but KOReader's API is not at this address
    assert _turn_on(qtbot, group, server.url + "/elsewhere/", KOREADER_PASSWORD) == NOT_KOREADER

    # an empty user name and password are said before anything is asked
    group.url.setText(server.url)
    group.user.clear()
    group.turn_on_button.click()
    assert group.message.text() == "Type your user name on the KOReader sync server."
    group.user.setText(USER)
    group.password.clear()
    group.turn_on_button.click()
    assert group.message.text() == "Type your KOReader sync password."

    for text in (group.message.text(), group.status.text()):
        assert_one_line(text)
    assert KoreaderState(desktop.store, profile_id=PROFILE).account() is None
    assert group.status.text() == "KOReader progress sync is off."


def test_an_untrusted_certificate_is_said_as_the_sign_in_says_it(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    desktop: Library,
    page: AccountPage,
) -> None:
    monkeypatch.delenv("MUTOLAA_CA_FILE", raising=False)
    untrusted = "the server's certificate is not trusted (self-signed certificate)"
    with serving_https(tmp_path / "tls-server") as server:  # a real KOReader sync server
        server.add_user(USER, PASSWORD)
        server.accounts.set_koreader(USER, KOREADER_PASSWORD)
        message = _turn_on(qtbot, page.koreader, server.url, KOREADER_PASSWORD)
        assert message == f"KOReader sync was not turned on: {server.url}/users/auth: {untrusted}"
        assert message != NOT_KOREADER

        # the sign-in above says the same of the same server
        page.url.setText(server.url)
        page.user.setText(USER)
        page.password.setText(PASSWORD)
        with qtbot.waitSignal(page.sign_in_failed, timeout=30_000):
            page.sign_in_button.click()
        assert page.message.text() == (
            f"The server could not sign you in: {server.url}/api/v1/probe: {untrusted}"
        )
    for text in (message, page.message.text()):
        assert_one_line(text)
    assert KoreaderState(desktop.store, profile_id=PROFILE).account() is None
    assert page.koreader.status.text() == "KOReader progress sync is off."


# --- turning off ------------------------------------------------------------------------------


def test_turning_off_forgets_the_key_and_the_runner_stops(
    qtbot: QtBot,
    server: LibraryServer,
    desktop: Library,
    store_runner: TaskRunner,
    runner: SyncRunner,
) -> None:
    with HttpClient(FAST) as http:
        check_and_turn_on(session_of(desktop), server.url, USER, KOREADER_PASSWORD, http=http)
    runner.start()
    qtbot.waitUntil(lambda: runner.state is SyncRunState.IDLE, timeout=30_000)
    page = AccountPage(session_of(desktop), store_runner, sync_runner=runner)
    qtbot.addWidget(page)
    group = page.koreader
    qtbot.waitUntil(lambda: group.status.text().startswith(f"On for {USER} at {server.url}/; "))
    assert group.url.text() == f"{server.url}/"  # the fields show who it is
    assert group.user.text() == USER
    assert group.password.text() == ""
    assert group.turn_off_button.isEnabled()

    group.turn_off_button.click()
    qtbot.waitUntil(lambda: runner.state is SyncRunState.SIGNED_OUT, timeout=10_000)
    assert group.message.text() == "KOReader progress sync is off; the key was forgotten."
    assert group.status.text() == (
        f"KOReader progress sync is off (last used as {USER} at {server.url}/)."
    )
    assert not group.turn_off_button.isEnabled()
    account = KoreaderState(desktop.store, profile_id=PROFILE).account()
    assert account is not None
    assert (account.enabled, account.key) == (False, "")
    assert page.finish_work(30_000)


# --- the conflicts dialog ----------------------------------------------------------------------


def test_a_koreader_position_behind_this_one_is_asked_in_koreaders_words(
    qtbot: QtBot, server: LibraryServer, desktop: Library, store_runner: TaskRunner
) -> None:
    with HttpClient(FAST) as http:
        check_and_turn_on(session_of(desktop), server.url, USER, KOREADER_PASSWORD, http=http)
        desktop.store.set_progress(PDF, "page=79", 0.8, profile_id=PROFILE)
        sync_progress(session_of(desktop), http=http)
        _device_put(server.url, _document(desktop), "31", 0.31)  # behind this computer
        assert sync_progress(session_of(desktop), http=http).asked == 1
    assert desktop.store.progress(PDF, profile_id=PROFILE) == (
        "page=79",
        0.8,
    )  # never moved back by itself
    # a KOReader question without a device name (another server may leave it out)
    other = "2" * 64
    desktop.store.add_book(dataclasses.replace(make_book(other), title="Ikkinchi"), None)
    data: dict[str, Any] = {"position": "page=1", "fraction": 0.5, "device": ""}
    data["source"] = "koreader"
    state = SyncState(desktop.store, profile_id=PROFILE)
    with desktop.store.transaction() as db:
        state.ask(db, "progress", other, data)

    dialog = SyncConflictsDialog(session_of(desktop), store_runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(dialog.pending.questions) == 2)
    texts = [dialog.positions.item(row).text() for row in range(dialog.positions.count())]
    assert texts == [
        "Kitob: On KOReader (Kobo Clara 2E) you were at page=30 (31 %).",
        "Ikkinchi: On KOReader you were at page=1 (50 %).",
    ]
    dialog.positions.setCurrentRow(0)
    with qtbot.waitSignal(dialog.resolved):
        dialog.go_button.click()
    assert desktop.store.progress(PDF, profile_id=PROFILE) == ("page=30", 0.31)
    assert len(dialog.pending.questions) == 1


# --- names and languages --------------------------------------------------------------------


def test_every_control_is_named_and_texts_come_back_after_a_language_change(
    qtbot: QtBot, page: AccountPage
) -> None:
    group = page.koreader
    assert unnamed(page) == []
    assert group.box.title() == "KOReader progress sync"
    assert group.password.accessibleName() == "KOReader sync password"
    assert group.url.accessibleName() != page.url.accessibleName()  # told apart when heard
    about = group.about.text()
    assert "MD5" in about
    assert "password of its own" in about

    group.turn_on_button.setText("x")
    group.turn_off_button.setText("x")
    group.box.setTitle("x")
    group.status.setText("x")
    QCoreApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert group.turn_on_button.text() == "Turn on"
    assert group.turn_off_button.text() == "Turn off"
    assert group.box.title() == "KOReader progress sync"
    assert group.status.text() == "KOReader progress sync is off."
    assert group.about.text() == about

    # a real language: the field labels already translated follow it, and come back
    labels = {label.buddy(): label for label in group.findChildren(QLabel) if label.buddy()}
    app = QCoreApplication.instance()
    assert app is not None
    assert use_language(app, "ru") == "ru"
    qtbot.waitUntil(lambda: labels[group.password].text() == "Пароль")
    use_language(app, "en")
    qtbot.waitUntil(lambda: labels[group.password].text() == "Password")
    assert group.turn_on_button.text() == "Turn on"
    assert unnamed(page) == []
