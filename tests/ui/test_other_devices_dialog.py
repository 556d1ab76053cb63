"""The window's list of books kept on the student's other devices, against the real library
server on 127.0.0.1 (its catalogue and its sync): one PC downloads a book from the catalogue
(`mutolaa` subprocesses), the other lists it and queues it from the dialog."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.paths import resolve_paths
from app.library.catalogs import CatalogStore
from app.library.downloads import DownloadQueue
from app.library.profiles import ProfileStore
from app.services.session import Library
from app.services.sync.server_sync import device_name, login, sync_now
from app.ui.common.tasks import TaskRunner
from app.ui.sync.other_devices import OtherDevicesDialog
from tests.support.cli import mutolaa
from tests.support.docgen import make_pdf
from tests.support.library_server import LibraryServer, serving
from tests.support.qt_checks import unnamed
from tests.support.records import make_book
from tests.support.sessions import PROFILE, session_of

USER, PASSWORD = "talaba", "kutubxona-parol-2026"
FROM_FILE = "7" * 64


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LibraryServer]:
    books = tmp_path / "books"
    make_pdf(books / "kecha.pdf", ["Kecha va kunduz"], title="Kecha va kunduz")
    with serving(tmp_path / "server", books, catalog="public") as running:
        running.add_user(USER, PASSWORD)
        yield running


@pytest.fixture
def this_pc(tmp_path: Path, server: LibraryServer) -> Iterator[Library]:
    """The other PC downloaded a book from the catalogue and holds one from a file; this PC
    saved the same catalogue and synced."""
    other = tmp_path / "pc-other"
    mutolaa(other, "catalog", "add", f"{server.url}/opds", "--name", "Kutubxona")
    mutolaa(other, "catalog", "browse", "Kutubxona", "/opds/new")
    mutolaa(other, "download", "Kecha va kunduz")
    with Library(resolve_paths(other)) as library:
        library.store.add_book(dataclasses.replace(make_book(FROM_FILE), title="Alpomish"), None)
        login(session_of(library), server.url, USER, PASSWORD)
        sync_now(session_of(library))
    library = Library(resolve_paths(tmp_path / "pc-this"))
    CatalogStore(library.store, profile_id=PROFILE).add("Kutubxona", f"{server.url}/opds")
    login(session_of(library), server.url, USER, PASSWORD)
    sync_now(session_of(library))
    yield library
    library.close()


def test_a_book_from_the_catalogue_is_queued_and_one_from_a_file_says_why_not(
    qtbot: QtBot, this_pc: Library, runner: TaskRunner
) -> None:
    dialog = OtherDevicesDialog(session_of(this_pc), runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=30_000):
        pass
    rows = [
        [dialog.table.topLevelItem(n).text(c) for c in range(4)]  # type: ignore[union-attr]
        for n in range(dialog.table.topLevelItemCount())
    ]
    person = ProfileStore(this_pc.store).get(this_pc.store.first_profile_id()).name
    name = device_name(resolve_paths(this_pc.paths.data.parent / "pc-other"), person)
    assert rows == [
        ["Alpomish", "Muallif", name, "(from a file)"],
        ["Kecha va kunduz", "", name, "Kutubxona"],
    ]
    assert unnamed(dialog) == []

    dialog.table.setCurrentItem(dialog.table.topLevelItem(0))
    assert not dialog.download_button.isEnabled()
    assert (
        dialog.status.text()
        == "“Alpomish” was added from a file there: copy it from that computer."
    )

    dialog.table.setCurrentItem(dialog.table.topLevelItem(1))
    assert dialog.download_button.isEnabled()
    with qtbot.waitSignal(dialog.queued, timeout=30_000) as queued:
        dialog.download_button.click()
    item = DownloadQueue(this_pc.store).get(queued.args[0])
    assert (item.title, item.state) == ("Kecha va kunduz", "queued")
    assert item.entry_id.startswith("urn:mutolaa:sha256:")
    assert item.catalog_id == CatalogStore(this_pc.store, profile_id=PROFILE).list()[0].id
    assert (
        dialog.status.text()
        == "“Kecha va kunduz” is in the download queue (Catalogues › Downloads)."
    )
    assert not dialog.download_button.isEnabled()  # queued once


def test_with_nothing_elsewhere_the_dialog_says_so(
    qtbot: QtBot, tmp_path: Path, runner: TaskRunner
) -> None:
    with Library(resolve_paths(tmp_path / "alone")) as library:
        dialog = OtherDevicesDialog(session_of(library), runner)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.loaded, timeout=30_000):
            pass
        assert dialog.table.topLevelItemCount() == 0
        assert dialog.status.text() == "Your other devices keep no book that is not here."
        assert not dialog.download_button.isEnabled()
        runner.wait()
