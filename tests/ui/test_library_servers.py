"""The "Library servers" page of the settings, against real catalogue servers on 127.0.0.1.

Every answer (a test, a save, a removal) arrives in the background: the tests wait for it with
``qtbot.waitUntil`` after checking that the click returned at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from app.core.settings import Settings
from app.library.catalogs import Catalog, CatalogStore
from app.library.secrets import CATALOG_PASSWORD
from app.services.session import Library
from app.ui.common.tasks import TaskRunner
from app.ui.settings.dialog import SettingsDialog
from app.ui.settings.library_servers_page import LibraryServersPage, ServerForm
from tests.support.catalog_server import CatalogServer
from tests.support.hostile_text import FEED_NAME, write_hostile_catalog
from tests.support.sessions import PROFILE, session_of
from tests.ui.test_main_window import _focusable, _name, _reached_by_tab
from tests.unit.test_library_servers_service import (
    AUTH_DOCUMENT,
    PASSWORD,
    TITLE,
    closed_port,
    write_catalog,
)

CONNECTED = f"Connected: the catalogue “{TITLE}” answered."
CHECKING = "Checking the server…"
REFUSED = "The server refused the user name and password."

MakePage = Callable[[], LibraryServersPage]


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[CatalogServer]:
    """The small catalogue behind HTTP Basic, with an authentication document."""
    server = CatalogServer(
        write_catalog(tmp_path / "locked"),
        auth="basic",
        password=PASSWORD,
        auth_document=AUTH_DOCUMENT,
    )
    yield server.start()
    server.stop()


@pytest.fixture
def open_server(tmp_path: Path) -> Iterator[CatalogServer]:
    """The small catalogue, open to all, beside an HTML page."""
    server = CatalogServer(write_catalog(tmp_path / "open")).start()
    yield server
    server.stop()


@pytest.fixture
def make_page(qtbot: QtBot, library: Library, runner: TaskRunner) -> Iterator[MakePage]:
    """Show the page on the test's library; its work ends before the library closes."""
    pages: list[LibraryServersPage] = []

    def make() -> LibraryServersPage:
        page = LibraryServersPage(session_of(library), runner)
        qtbot.addWidget(page)
        page.resize(700, 400)
        page.show()
        pages.append(page)
        return page

    yield make
    for page in pages:
        if page.form is not None:
            page.form.reject()
        assert page.finish_work()
    runner.wait()


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record, at DEBUG, to look for the password in."""
    caplog.set_level(logging.DEBUG)
    return caplog


def _open_form(qtbot: QtBot, page: LibraryServersPage, button: QAbstractButton) -> ServerForm:
    button.click()
    form = page.form
    assert form is not None
    qtbot.waitUntil(form.isVisible)
    return form


def _rows(page: LibraryServersPage) -> list[list[str]]:
    """The text of every cell of the list, row by row."""
    return [
        [item.text(column) for column in range(page.list.columnCount())] for item in _items(page)
    ]


def _items(page: LibraryServersPage) -> list[QTreeWidgetItem]:
    items = [page.list.topLevelItem(i) for i in range(page.list.topLevelItemCount())]
    return [item for item in items if item is not None]


def _saved(library: Library) -> list[tuple[str, str, str, str]]:
    """Each catalogue as kept: its row, and its password (kept apart, encrypted)."""
    store = library.store
    rows = store.query("SELECT id, name, url, username, password FROM catalogs ORDER BY name")
    return [
        (name, url, user, store.secret(PROFILE, CATALOG_PASSWORD, str(row_id)) or password)
        for row_id, name, url, user, password in rows
    ]


def _no_password_anywhere(page: LibraryServersPage, logs: pytest.LogCaptureFixture) -> None:
    shown = [cell for row in _rows(page) for cell in row]
    shown += [item.toolTip(c) for item in _items(page) for c in range(page.list.columnCount())]
    shown += [page.status.text(), page.note.text()]
    shown += [record.getMessage() for record in logs.records]
    shown += [record.exc_text or "" for record in logs.records]
    for text in shown:
        assert PASSWORD not in text
        assert quote(PASSWORD, safe="") not in text


def _select(page: LibraryServersPage, name: str) -> Catalog:
    items = page.list.findItems(name, Qt.MatchFlag.MatchExactly, 0)
    assert len(items) == 1, name
    page.list.setCurrentItem(items[0])
    chosen = page.chosen()
    assert chosen is not None
    return chosen


def test_add_by_url_with_credentials_then_test_it(
    qtbot: QtBot,
    make_page: MakePage,
    library: Library,
    locked: CatalogServer,
    logs: pytest.LogCaptureFixture,
) -> None:
    page = make_page()
    qtbot.waitUntil(lambda: "No library servers yet" in page.note.text())
    assert not page.edit_button.isEnabled()
    assert not page.remove_button.isEnabled()
    form = _open_form(qtbot, page, page.add_button)
    assert form.windowTitle() == "Add a library server"
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    form.url.setFocus()
    qtbot.keyClicks(form.url, f"http://reader:{quote(PASSWORD, safe='')}@127.0.0.1:{locked.port}")
    qtbot.keyClicks(form.url, "/opds/root.xml")
    qtbot.keyClick(form.url, Qt.Key.Key_Tab)  # leaving the field moves the credentials out
    clean = f"{locked.base}/opds/root.xml"
    assert form.url.text() == clean
    assert (form.user.text(), form.password.text()) == ("reader", PASSWORD)
    assert form.password.echoMode() is QLineEdit.EchoMode.Password

    form.test_button.click()
    assert form.message.text() == CHECKING  # the click returned before the answer
    assert not form.save_button.isEnabled()
    qtbot.waitUntil(lambda: form.message.text() == CONNECTED)
    assert form.save_button.isEnabled()

    form.save_button.click()  # no name: the catalogue's title becomes it
    assert form.message.text() == CHECKING
    qtbot.waitUntil(lambda: page.form is None)
    assert _rows(page) == [[TITLE, clean, "reader"]]
    assert page.status.text() == f"Saved “{TITLE}”."
    assert page.note.text().startswith("Library servers are saved as soon as")
    assert _saved(library) == [(TITLE, clean, "reader", PASSWORD)]

    assert page.chosen() is not None  # the new server is the chosen one
    page.test_button.click()
    assert page.status.text() == f"Checking “{TITLE}”…"
    with qtbot.waitSignal(page.check_finished, timeout=20_000) as finished:
        pass
    assert finished.args[0].ok
    assert page.status.text() == f"{TITLE}: {CONNECTED}"
    _no_password_anywhere(page, logs)


def test_a_feed_title_with_escape_sequences_is_saved_as_a_clean_name(
    qtbot: QtBot, make_page: MakePage, library: Library, tmp_path: Path
) -> None:
    # Qt shows ESC as nothing, but the name is stored, and `mutolaa catalog list` prints it
    server = CatalogServer(write_hostile_catalog(tmp_path / "hostile")).start()
    try:
        page = make_page()
        form = _open_form(qtbot, page, page.add_button)
        url = f"{server.base}/opds/root.json"
        form.url.setText(url)
        form.save_button.click()  # no name: the catalogue's title becomes it
        qtbot.waitUntil(lambda: page.form is None, timeout=20_000)
    finally:
        server.stop()
    assert _rows(page) == [[FEED_NAME, url, ""]]
    assert _saved(library) == [(FEED_NAME, url, "", "")]


def test_a_wrong_password_is_refused_and_none_asks_for_sign_in(
    qtbot: QtBot,
    make_page: MakePage,
    library: Library,
    locked: CatalogServer,
    logs: pytest.LogCaptureFixture,
) -> None:
    page = make_page()
    form = _open_form(qtbot, page, page.add_button)
    form.name.setText("School")
    form.url.setText(f"{locked.base}/opds/root.xml")
    form.user.setText("reader")
    form.password.setText(PASSWORD + "!")
    form.test_button.click()
    qtbot.waitUntil(lambda: form.message.text() == REFUSED)

    form.save_button.click()  # refused credentials are not saved
    qtbot.waitUntil(lambda: form.message.text() == REFUSED)
    assert form.isVisible()
    assert form.save_button.isEnabled()
    assert _saved(library) == []

    form.user.clear()
    form.password.clear()
    form.test_button.click()
    qtbot.waitUntil(
        lambda: form.message.text() == "“Public Library” asks for a user name and password."
    )
    form.save_button.click()
    qtbot.waitUntil(lambda: form.message.text().endswith("asks for a user name and password."))
    assert form.isVisible()
    assert _rows(page) == []
    assert _saved(library) == []
    _no_password_anywhere(page, logs)


def test_an_unreachable_server_is_saved_with_a_note(
    qtbot: QtBot, make_page: MakePage, library: Library, logs: pytest.LogCaptureFixture
) -> None:
    page = make_page()
    form = _open_form(qtbot, page, page.add_button)
    port = closed_port()
    form.url.setText(f"http://reader:{quote(PASSWORD, safe='')}@127.0.0.1:{port}/opds")
    form.test_button.click()
    assert form.url.text() == f"http://127.0.0.1:{port}/opds"  # moved out before the test
    assert form.message.text() == CHECKING
    unreachable = "The server cannot be reached: check the address and the connection."
    qtbot.waitUntil(lambda: form.message.text() == unreachable, timeout=20_000)

    form.save_button.click()  # offline: saved under its host name, with a note
    qtbot.waitUntil(lambda: page.form is None, timeout=20_000)
    assert page.status.text() == (
        "Saved “127.0.0.1”, though its server did not answer now; test it again later."
    )
    assert _rows(page) == [["127.0.0.1", f"http://127.0.0.1:{port}/opds", "reader"]]
    assert _saved(library) == [("127.0.0.1", f"http://127.0.0.1:{port}/opds", "reader", PASSWORD)]

    _select(page, "127.0.0.1")
    page.test_button.click()
    qtbot.waitUntil(lambda: page.status.text() == f"127.0.0.1: {unreachable}", timeout=20_000)
    _no_password_anywhere(page, logs)


def test_not_a_feed_and_not_an_address_are_said_and_not_saved(
    qtbot: QtBot, make_page: MakePage, library: Library, open_server: CatalogServer
) -> None:
    page = make_page()
    form = _open_form(qtbot, page, page.add_button)
    form.name.setText("Web page")
    form.url.setText(f"{open_server.base}/page.html")
    form.save_button.click()
    qtbot.waitUntil(
        lambda: form.message.text() == "This address answers, but not with an OPDS catalogue."
    )
    assert form.isVisible()

    form.url.setText(f"{open_server.base}/missing.xml")
    form.test_button.click()
    qtbot.waitUntil(
        lambda: form.message.text() == "The server has nothing at this address (not found)."
    )

    form.url.setText("ftp://example.org/books")
    form.test_button.click()  # said at once: nothing to ask a server
    bad = "The address must be an http:// or https:// URL with a server name."
    assert form.message.text() == bad
    form.save_button.click()
    assert form.message.text() == bad
    assert form.isVisible()

    form.url.setText(f"{open_server.base}/opds/root.xml")
    form.save_button.click()
    form.reject()  # closed while the server is asked: the answer is dropped, nothing saved
    qtbot.waitUntil(lambda: page.form is None)
    assert page.finish_work()
    QCoreApplication.processEvents()  # the answer arrives for a form that is gone
    assert page.status.text() == ""
    assert _saved(library) == []


def test_edit_rename_clash_and_remove(
    qtbot: QtBot,
    make_page: MakePage,
    library: Library,
    open_server: CatalogServer,
    logs: pytest.LogCaptureFixture,
) -> None:
    catalogs = CatalogStore(library.store, profile_id=PROFILE)
    offline_url = f"http://127.0.0.1:{closed_port()}/opds"
    catalogs.add("Home", offline_url, "ana", PASSWORD)
    catalogs.add(TITLE, f"{open_server.base}/opds/root.xml")
    page = make_page()
    qtbot.waitUntil(lambda: len(_rows(page)) == 2)
    assert _rows(page) == [
        ["Home", offline_url, "ana"],
        [TITLE, f"{open_server.base}/opds/root.xml", ""],
    ]

    home = _select(page, "Home")
    form = _open_form(qtbot, page, page.edit_button)
    assert form.windowTitle() == "Change the library server"
    assert (form.name.text(), form.url.text(), form.user.text()) == ("Home", offline_url, "ana")
    assert form.password.text() == PASSWORD
    assert form.password.echoMode() is QLineEdit.EchoMode.Password

    form.name.setText(TITLE)  # the other one's name
    form.save_button.click()
    taken = f"A library server named “{TITLE}” already exists; choose another name."
    assert form.message.text() == taken
    assert form.isVisible()

    form.name.setText("Uy kutubxonasi")  # a new name only: saved without asking the server
    form.save_button.click()
    assert form.message.text() == "Saving…"
    qtbot.waitUntil(lambda: page.form is None)
    assert page.status.text() == "Saved “Uy kutubxonasi”."
    assert _saved(library)[1] == ("Uy kutubxonasi", offline_url, "ana", PASSWORD)
    assert page.chosen() == Catalog(
        home.id, "Uy kutubxonasi", offline_url, "ana", PASSWORD, home.added_at
    )

    # a new address is asked first; with no name the catalogue's title is taken, which clashes
    form = _open_form(qtbot, page, page.edit_button)
    form.name.clear()
    form.url.setText(f"{open_server.base}/opds/root.xml")
    form.user.clear()
    form.password.clear()
    form.save_button.click()
    qtbot.waitUntil(lambda: form.message.text() == taken)
    assert form.isVisible()
    form.name.setText("Ochiq kutubxona")
    form.save_button.click()
    qtbot.waitUntil(lambda: page.form is None)
    assert _rows(page) == [  # by name
        [TITLE, f"{open_server.base}/opds/root.xml", ""],
        ["Ochiq kutubxona", f"{open_server.base}/opds/root.xml", ""],
    ]
    assert page.status.text() == "Saved “Ochiq kutubxona”."

    asked: list[str] = []

    def say_no(question: str) -> bool:
        asked.append(question)
        return False

    page.confirm = say_no
    _select(page, TITLE)
    page.remove_button.click()
    assert asked == [f"Remove “{TITLE}” and the user name and password saved for it?"]
    page.confirm = lambda question: True
    page.remove_button.click()
    qtbot.waitUntil(lambda: len(_rows(page)) == 1)
    assert page.status.text() == f"Removed “{TITLE}”."
    assert [row[0] for row in _saved(library)] == ["Ochiq kutubxona"]
    assert not page.remove_button.isEnabled()  # nothing chosen now
    _no_password_anywhere(page, logs)


def test_the_settings_dialog_holds_the_page_and_every_control_is_named(
    qtbot: QtBot, library: Library, runner: TaskRunner
) -> None:
    CatalogStore(library.store, profile_id=PROFILE).add(
        "Home", "http://127.0.0.1:1/opds", "ana", PASSWORD
    )
    plain = SettingsDialog(Settings())
    qtbot.addWidget(plain)
    assert (plain.library_servers, plain.pages) == (None, None)

    dialog = SettingsDialog(Settings(), session=session_of(library), runner=runner)
    qtbot.addWidget(dialog)
    assert dialog.pages is not None
    assert dialog.library_servers is not None
    assert [dialog.pages.tabText(i) for i in range(dialog.pages.count())] == [
        "General",
        "Library servers",
    ]
    dialog.show()
    dialog.pages.setCurrentWidget(dialog.library_servers)
    page = dialog.library_servers
    qtbot.waitUntil(lambda: page.list.topLevelItemCount() == 1)
    _select(page, "Home")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    controls = _focusable(dialog)
    assert {page.list, page.add_button, page.edit_button, page.test_button} <= set(controls)
    assert [c for c in controls if not _name(c)] == []
    reached = _reached_by_tab(qtbot, dialog, page.list, len(controls) + 3)
    assert set(controls) <= reached, [_name(c) for c in set(controls) - reached]

    form = _open_form(qtbot, page, page.edit_button)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    fields = _focusable(form)
    assert {form.name, form.url, form.user, form.password, form.test_button} <= set(fields)
    assert [c for c in fields if not _name(c)] == []
    reached = _reached_by_tab(qtbot, form, form.name, len(fields) + 3)
    assert set(fields) <= reached, [_name(c) for c in set(fields) - reached]
    form.reject()
    qtbot.waitUntil(lambda: page.form is None)
    assert dialog.result_settings() == Settings().cleaned()
    assert page.finish_work()
