"""Shelves between a person's devices through the real library server on 127.0.0.1.

Each device is a real library holding the same two books, signed in as the same student; a
second person of the first PC signs in as another user. Shelves made, filled, renamed and
removed on one device show on the other after a sync; nobody sees another person's shelves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.paths import resolve_paths
from app.core.settings import Settings
from app.library.shelves import ShelfStore
from app.library.sync_state import SyncState
from app.services.session import Library, Session
from app.services.sync.server_sync import login, sync_now
from tests.support.library_server import LibraryServer, serving
from tests.support.records import make_book
from tests.support.sessions import PROFILE

A, B = "a" * 64, "b" * 64
ENTRY = "urn:kitob:tarix"
USER, PASSWORD = "talaba", "kutubxona-parol-2026"
OTHER, OTHER_PASSWORD = "dilnoza", "boshqa-parol-2026"
SECOND = 2  # the second person of the first PC


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LibraryServer]:
    with serving(tmp_path / "server") as running:
        running.add_user(USER, PASSWORD)
        running.add_user(OTHER, OTHER_PASSWORD)
        yield running


class Device:
    """One of the student's PCs: a library with both books, signed in as `user`."""

    def __init__(self, folder: Path, url: str) -> None:
        self.library = Library(resolve_paths(folder))
        self.library.store.add_book(make_book(A), None)
        self.library.store.set_origin(A, "https://kutubxona.example/opds", ENTRY)
        self.library.store.add_book(make_book(B), None)
        self.url = url

    def session(self, profile_id: int = PROFILE) -> Session:
        return Session(self.library, profile_id, Settings())

    def sign_in(self, user: str, password: str, profile_id: int = PROFILE) -> None:
        login(self.session(profile_id), self.url, user, password)

    def sync(self, profile_id: int = PROFILE) -> None:
        report = sync_now(self.session(profile_id))
        assert not report.offline

    def shelves(self, profile_id: int = PROFILE) -> ShelfStore:
        return ShelfStore(self.library.store, profile_id)

    def seen(self, profile_id: int = PROFILE) -> dict[str, list[str]]:
        """Shelf name → the ids of its books (those with books, and every named shelf)."""
        shelves = self.shelves(profile_id)
        return {
            s.name: sorted(shelves.book_ids(s))
            for s in shelves.shelves()
            if s.count or not s.built_in
        }


@pytest.fixture
def devices(server: LibraryServer, tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    pair = (Device(tmp_path / "pc-1", server.url), Device(tmp_path / "pc-2", server.url))
    for device in pair:
        device.sign_in(USER, PASSWORD)
    yield pair
    for device in pair:
        device.library.close()


def test_a_shelf_made_on_one_device_shows_on_the_other_renamed_and_removed(
    devices: tuple[Device, Device],
) -> None:
    one, two = devices
    tarix = one.shelves().add("Tarix")
    one.shelves().put(tarix, A)
    one.shelves().put(tarix, B)
    one.library.store.set_progress(B, "page=1", 0.4, PROFILE)  # B goes on "Reading now"
    one.sync()
    two.sync()
    assert two.seen() == {"Reading now": [B], "Tarix": [A, B]}

    two.shelves().rename("Tarix", "O'zbekiston tarixi")
    two.shelves().take(two.shelves().find("O'zbekiston tarixi"), B)
    two.shelves().put(two.shelves().find("Finished"), B)
    two.sync()
    one.sync()
    assert one.seen() == {"Finished": [B], "O'zbekiston tarixi": [A]}

    one.shelves().remove("O'zbekiston tarixi")
    one.sync()
    two.sync()
    assert two.seen() == {"Finished": [B]}
    gone = two.shelves().get(tarix.id)
    assert gone is not None
    assert gone.deleted_at is not None


def test_books_shelved_on_both_devices_before_a_sync_are_all_kept(
    devices: tuple[Device, Device],
) -> None:
    one, two = devices
    one.library.store.set_progress(A, "page=1", 0.2, PROFILE)
    two.library.store.set_progress(B, "page=1", 0.2, PROFILE)
    one.sync()
    two.sync()  # its "Reading now" goes over the one pushed first: the server merges the books
    one.sync()
    assert one.seen() == two.seen() == {"Reading now": [A, B]}


def test_two_people_of_one_library_never_see_each_others_shelves(
    devices: tuple[Device, Device],
) -> None:
    one, two = devices
    with one.library.store.transaction() as db:
        db.execute("INSERT INTO profiles(id, name, created_at) VALUES (?, 'Dilnoza', 0)", (SECOND,))
    one.sign_in(OTHER, OTHER_PASSWORD, SECOND)
    one.shelves().put(one.shelves().add("Fizika"), A)
    one.shelves(SECOND).put(one.shelves(SECOND).add("Kimyo"), B)
    one.sync()
    one.sync(SECOND)
    two.sync()
    assert one.seen() == two.seen() == {"Fizika": [A]}
    assert one.seen(SECOND) == {"Kimyo": [B]}


def test_the_holdings_sent_carry_the_persons_shelves(devices: tuple[Device, Device]) -> None:
    one, two = devices
    one.shelves().put(one.shelves().add("Tarix"), A)
    one.sync()
    two.sync()
    held = SyncState(two.library.store, profile_id=PROFILE).holdings()
    theirs = {
        data["book"]["sha256"]: data.get("shelves")
        for _device, data, _deleted in held.values()
        if data["device"] != SyncState(two.library.store, PROFILE).require_account().device_id
    }
    assert theirs == {A: ["Tarix"], B: None}
