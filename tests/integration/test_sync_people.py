"""Two people of one library, each signed in to their own account on the real library server
on 127.0.0.1: they sync independently, and each one's other devices name this library
``computer — person``."""

from __future__ import annotations

import platform
from pathlib import Path

from app.core.models import Anchor, AnnotationKind
from app.core.paths import resolve_paths
from app.core.settings import Settings
from app.library.annotations import AnnotationStore
from app.library.profiles import ProfileStore
from app.services.session import Library, Session
from app.services.sync.other_devices import books_elsewhere
from app.services.sync.server_sync import device_name, login, sync_now
from tests.support.library_server import serving
from tests.support.records import make_book

BOOK = "a" * 64
ACCOUNTS = {"Ali": ("ali", "ali-parol-2026"), "Vali": ("vali", "vali-parol-2026")}


def _people(library: Library) -> dict[str, int]:
    """Ali (the library's first person, renamed) and Vali, by name."""
    profiles = ProfileStore(library.store)
    ali = profiles.rename(library.store.first_profile_id(), "Ali")
    return {"Ali": ali.id, "Vali": profiles.add("Vali").id}


def _notes(library: Library, profile_id: int) -> list[str]:
    return [a.body for a in AnnotationStore(library.store).of_book(BOOK, profile_id)]


def test_two_people_on_one_pc_sync_their_own_accounts_as_two_named_devices(
    tmp_path: Path,
) -> None:
    with (
        serving(tmp_path / "server") as server,
        Library(resolve_paths(tmp_path / "pc-a")) as here,
        Library(resolve_paths(tmp_path / "pc-b")) as there,
    ):
        for user, password in ACCOUNTS.values():
            server.add_user(user, password)
        people_here, people_there = _people(here), _people(there)
        for library, people in ((here, people_here), (there, people_there)):
            library.store.add_book(make_book(BOOK), None)
            for name, profile in people.items():
                login(Session(library, profile, Settings()), server.url, *ACCOUNTS[name])
        here.store.add_book(make_book("b" * 64), None)  # a book only pc-a holds
        for name, profile in people_here.items():
            AnnotationStore(here.store).create(
                BOOK,
                AnnotationKind.NOTE,
                Anchor(page=1),
                body=f"{name}ning izohi",
                profile_id=profile,
            )
        for library, people in ((here, people_here), (there, people_there)):
            for profile in people.values():
                assert not sync_now(Session(library, profile, Settings())).offline

        for name, profile in people_there.items():
            assert _notes(there, profile) == [f"{name}ning izohi"]  # their own, nobody else's
            elsewhere = books_elsewhere(Session(there, profile, Settings()))
            assert [b.devices for b in elsewhere] == [
                [device_name(here.paths, name)]  # pc-a, as this person's device only
            ]
        for name, profile in people_here.items():
            assert _notes(here, profile) == [f"{name}ning izohi"]
    computer = platform.node()[:40] or "this computer"
    assert device_name(here.paths, "Ali").startswith(f"{computer} — Ali (")
    assert device_name(resolve_paths(None), "Vali") == f"{computer} — Vali"
