"""Two and three devices of one student against the real library server on 127.0.0.1.

Each device is a real library (its own folder and database) holding the same book; each signs in
with `app.services.sync.server_sync.login` and syncs with `sync_now`, over real HTTP. A
fault-injecting proxy in front of the server cuts a push and a pull in half.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.models import Anchor, AnnotationKind
from app.core.paths import resolve_paths
from app.library import annotations as annotation_module
from app.library.annotations import AnnotationStore
from app.library.sync_state import SyncState
from app.services.session import Library
from app.services.sync.server_sync import login, sync_now
from sync.engine import MassDeletion
from sync.http import HttpClient, HttpPolicy
from tests.support.fault_proxy import FaultProxy, ProxyFault
from tests.support.library_server import LibraryServer, serving
from tests.support.records import make_book
from tests.support.sessions import PROFILE, session_of

SHA = "d" * 64
ENTRY = "urn:kitob:oq-kema"
USER = "talaba"
PASSWORD = "kutubxona-parol-2026"
FAST = HttpPolicy(max_retries=1, backoff_base=0.01, backoff_max=0.05)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LibraryServer]:
    with serving(tmp_path / "server") as running:
        running.add_user(USER, PASSWORD)
        yield running


class Device:
    """One of the student's PCs: a library with the book, signed in to the server."""

    def __init__(self, folder: Path, url: str) -> None:
        self.library = Library(resolve_paths(folder))
        self.library.store.add_book(make_book(SHA), None)
        self.library.store.set_origin(SHA, "https://kutubxona.example/opds", ENTRY)
        self.notes = AnnotationStore(self.library.store)
        login(session_of(self.library), url, USER, PASSWORD)

    def sync(self, **options: Any) -> Any:
        return sync_now(session_of(self.library), **options)

    def state(self) -> dict[str, tuple[Any, ...]]:
        """Every annotation this device holds: id → (deleted, kind, body, colour, origin)."""
        rows = self.library.store.query(
            "SELECT id, deleted_at IS NOT NULL, kind, body, color, origin FROM annotations"
        )
        return {str(r[0]): tuple(r[1:]) for r in rows}

    def live_bodies(self) -> set[str]:
        return {body for deleted, _k, body, _c, _o in self.state().values() if not deleted and body}


@pytest.fixture
def devices(server: LibraryServer, tmp_path: Path) -> Iterator[list[Device]]:
    made = [Device(tmp_path / f"pc-{n}", server.url) for n in range(3)]
    yield made
    for device in made:
        device.library.close()


def _converged(*devices: Device) -> None:
    states = [d.state() for d in devices]
    assert all(s == states[0] for s in states[1:]), states


def test_two_devices_exchange_everything(devices: list[Device]) -> None:
    a, b, _ = devices
    mark = a.notes.create(
        SHA, AnnotationKind.HIGHLIGHT, Anchor(page=3), quote="qo'lyozma", profile_id=PROFILE
    )
    a.notes.create(
        SHA,
        AnnotationKind.NOTE,
        Anchor(page=3),
        body="Muhim joy",
        parent_id=mark.id,
        profile_id=PROFILE,
    )
    a.notes.create(SHA, AnnotationKind.BOOKMARK, Anchor(page=7), body="7-bet", profile_id=PROFILE)
    a.library.store.set_progress(SHA, "page=7", 0.35, profile_id=PROFILE)
    report = a.sync()
    # and "Reading now" (docs/shelves.md), and this PC's holding
    assert (report.pushed, report.offline) == (4 + 1 + 1, False)
    b.sync()
    assert b.state() == a.state()
    assert b.library.store.progress(SHA, profile_id=PROFILE) == ("page=7", 0.35)
    b.notes.update(mark.id, color="green")
    b.sync()
    a.sync()
    assert a.notes.get(mark.id).color == "green"  # type: ignore[union-attr]
    _converged(a, b)
    # the other PC's holding is known
    holdings = SyncState(a.library.store, profile_id=PROFILE).holdings()
    assert {data["device"] for _dev, data, _del in holdings.values()} == {
        SyncState(a.library.store, profile_id=PROFILE).account().device_id,  # type: ignore[union-attr]
        SyncState(b.library.store, profile_id=PROFILE).account().device_id,  # type: ignore[union-attr]
    }
    assert AnnotationStore(a.library.store).problems() == []
    assert AnnotationStore(b.library.store).problems() == []


def test_a_note_edited_on_two_devices_keeps_both_texts(devices: list[Device]) -> None:
    a, b, _ = devices
    note = a.notes.create(
        SHA, AnnotationKind.NOTE, Anchor(page=1), body="birinchi", profile_id=PROFILE
    )
    a.sync()
    b.sync()
    a.notes.update(note.id, body="A qurilmadagi matn")
    b.notes.update(note.id, body="B qurilmadagi matn")
    a.sync()
    report = b.sync()
    assert report.conflicts == 1
    a.sync()
    for device in (a, b):
        assert {"A qurilmadagi matn", "B qurilmadagi matn"} <= device.live_bodies()
        copies = [row for row in device.state().values() if str(row[4]).startswith("conflict:")]
        assert len(copies) == 1
    _converged(a, b)


def test_keeping_both_texts_on_one_device_ends_the_conflict_on_the_others(
    devices: list[Device],
) -> None:
    a, b, _ = devices
    note = a.notes.create(
        SHA, AnnotationKind.NOTE, Anchor(page=1), body="birinchi", profile_id=PROFILE
    )
    a.sync()
    b.sync()
    a.notes.update(note.id, body="A matni")
    b.notes.update(note.id, body="B matni")
    a.sync()
    b.sync()
    a.sync()
    copy_id = next(i for i, row in a.state().items() if str(row[4]).startswith("conflict:"))
    b.notes.update(copy_id, origin="mutolaa")  # "Keep both" on B
    b.sync()
    a.sync()
    for device in (a, b):
        assert device.state()[copy_id][4] == "mutolaa"
        assert {"A matni", "B matni"} <= device.live_bodies()
    _converged(a, b)


@pytest.mark.parametrize("order", ["edit-first", "delete-first"])
def test_an_edit_beats_a_delete_and_two_deletes_are_one(devices: list[Device], order: str) -> None:
    a, b, _ = devices
    note = a.notes.create(SHA, AnnotationKind.NOTE, Anchor(page=2), body="eski", profile_id=PROFILE)
    gone = a.notes.create(SHA, AnnotationKind.BOOKMARK, Anchor(page=4), profile_id=PROFILE)
    a.sync()
    b.sync()
    a.notes.delete(note.id)
    b.notes.update(note.id, body="yangi")
    a.notes.delete(gone.id)
    b.notes.delete(gone.id)
    first, second = (b, a) if order == "edit-first" else (a, b)
    first.sync()
    second.sync()
    first.sync()
    for device in (a, b):
        kept = device.notes.get(note.id)
        assert kept is not None
        assert not kept.deleted
        assert kept.body == "yangi"
        assert device.notes.get(gone.id).deleted  # type: ignore[union-attr]
    _converged(a, b)


def test_offline_for_days_then_back_with_more_than_a_batch(devices: list[Device]) -> None:
    a, b, _ = devices
    for n in range(260):  # more than one push batch (200) and one pull page (200)
        a.notes.create(
            SHA, AnnotationKind.BOOKMARK, Anchor(page=n), body=f"bet {n}", profile_id=PROFILE
        )
    a.sync()
    b.sync()
    assert len(b.state()) == 260
    _converged(a, b)


def test_device_clocks_hours_off_change_nothing(
    devices: list[Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcomes = []
    for offset in (-6 * 3600, 0, 6 * 3600):
        a, b, _ = devices
        mark = a.notes.create(
            SHA, AnnotationKind.HIGHLIGHT, Anchor(page=1), color="yellow", profile_id=PROFILE
        )
        a.sync()
        b.sync()
        b.notes.update(mark.id, color="blue")
        b.sync()

        monkeypatch.setattr(annotation_module, "time", _Skewed(offset))
        a.notes.update(mark.id, color="red")  # later on the server, whatever A's clock says
        monkeypatch.undo()
        a.sync()
        b.sync()
        outcomes.append((a.notes.get(mark.id).color, b.notes.get(mark.id).color))  # type: ignore[union-attr]
    assert outcomes == [("red", "red")] * 3


class _Skewed:
    """A `time` module whose clock is hours off."""

    def __init__(self, offset: float) -> None:
        self.offset = offset

    def time(self) -> float:
        return time.time() + self.offset


def test_three_devices_converge_after_random_work(devices: list[Device]) -> None:
    rng = random.Random(20261126)
    for device in devices:
        device.sync()
    for _round in range(4):
        for device in devices:
            live = [
                a for a in device.notes.search(profile_id=PROFILE) if a.kind is AnnotationKind.NOTE
            ]
            for _ in range(rng.randint(2, 6)):
                roll = rng.random()
                if roll < 0.5 or not live:
                    device.notes.create(
                        SHA,
                        AnnotationKind.NOTE,
                        Anchor(page=rng.randint(0, 9)),
                        body=f"n{rng.random():.6f}",
                        profile_id=PROFILE,
                    )
                elif roll < 0.8:
                    device.notes.update(rng.choice(live).id, body=f"e{rng.random():.6f}")
                else:
                    device.notes.delete(rng.choice(live).id)
        for device in rng.sample(devices, 3):
            device.sync()
    for _ in range(2):  # everything everyone sent reaches everyone
        for device in devices:
            device.sync()
    _converged(*devices)


def test_a_mass_deletion_stops_on_both_sides_until_allowed(devices: list[Device]) -> None:
    a, b, _ = devices
    made = [
        a.notes.create(SHA, AnnotationKind.BOOKMARK, Anchor(page=n), profile_id=PROFILE)
        for n in range(14)
    ]
    a.sync()
    b.sync()
    for annotation in made[:12]:
        a.notes.delete(annotation.id)
    with pytest.raises(MassDeletion):
        a.sync()
    a.sync(allow_deletions=True)
    with pytest.raises(MassDeletion):
        b.sync()
    assert b.notes.live_count(profile_id=PROFILE) == 14  # nothing deleted before the person agreed
    b.sync(allow_deletions=True)
    assert b.notes.live_count(profile_id=PROFILE) == 2
    _converged(a, b)


def test_a_push_and_a_pull_cut_in_half_lose_and_duplicate_nothing(
    server: LibraryServer, tmp_path: Path
) -> None:
    with FaultProxy(server.url) as proxy:
        a = Device(tmp_path / "cut-a", proxy.url(""))
        b = Device(tmp_path / "cut-b", proxy.url(""))
        for n in range(30):
            a.notes.create(
                SHA, AnnotationKind.NOTE, Anchor(page=n), body=f"matn {n}", profile_id=PROFILE
            )
        # the server applies the push, its answer is cut: the sync stops, the next sends the
        # same changes again and the server answers them as duplicates
        proxy.fault("/api/v1/sync/push", ProxyFault("drop", after=100))
        with pytest.raises(Exception, match="push"):
            a.sync(http=HttpClient(FAST))
        again = a.sync(http=HttpClient(FAST))
        assert again.pushed == 31  # the 30 notes and the holding, sent again
        assert a.sync(http=HttpClient(FAST)).pushed == 0  # acknowledged: nothing left to send
        # the pull's answer is cut half way: the next sync starts again from the cursor
        proxy.fault("/api/v1/sync/pull", ProxyFault("drop", after=2000))
        with pytest.raises(Exception, match="pull"):
            b.sync(http=HttpClient(FAST))
        b.sync(http=HttpClient(FAST))
        assert len(b.state()) == 30
        _converged(a, b)
        for device in (a, b):
            device.library.close()
