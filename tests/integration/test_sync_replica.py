"""The library's side of a sync over a real library: what it pushes, how it applies the server's
answers and pulled pages, and that the positions move only with what was applied.

The server's answers here are plain protocol data (docs/sync-protocol.md); the same replica runs
against the real server in tests/integration/test_sync_clients.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.models import Anchor, AnnotationKind
from app.core.paths import resolve_paths
from app.library.annotations import AnnotationStore
from app.library.shelves import ShelfStore
from app.library.sync_state import SyncState
from app.services.session import Library
from app.services.sync.server_sync import LibraryReplica, book_key
from sync.engine import MassDeletion
from sync.protocol import Pulled, PullPage, PushResult
from tests.support.records import make_book
from tests.support.sessions import PROFILE

SHA = "c" * 64


@pytest.fixture
def library(tmp_path: Path) -> Library:
    opened = Library(resolve_paths(tmp_path / "lib"))
    book = make_book(SHA)
    opened.store.add_book(book, None)
    opened.store.set_origin(SHA, "https://kutubxona.example/opds", "urn:kitob:1")
    return opened


def _replica(library: Library) -> LibraryReplica:
    state = SyncState(library.store, profile_id=PROFILE)
    account = state.account() or state.sign_in("http://127.0.0.1:9/", "talaba", "t0ken")
    return LibraryReplica(library, account)


def test_the_outbox_sends_each_object_once_in_its_latest_state(library: Library) -> None:
    notes = AnnotationStore(library.store)
    mark = notes.create(
        SHA,
        AnnotationKind.HIGHLIGHT,
        Anchor(page=2),
        quote="so'z",
        color="yellow",
        profile_id=PROFILE,
    )
    notes.update(mark.id, color="green")
    library.store.set_progress(SHA, "page=1", 0.2, profile_id=PROFILE)
    library.store.set_progress(SHA, "page=2", 0.6, profile_id=PROFILE)
    replica = _replica(library)
    sent = replica.outbox(200)
    kinds = [(o.kind, o.id) for o in sent]
    # the book read past its start went on "Reading now" (docs/shelves.md), logged before the
    # latest position
    assert kinds[:3] == [
        ("annotation", mark.id),
        ("shelf", "reading"),
        ("progress", "entry:urn:kitob:1"),
    ]
    annotation = sent[0]
    assert annotation.data["color"] == "green"
    assert annotation.data["book"] == {"sha256": SHA, "entry": "urn:kitob:1"}
    assert "profile_id" not in annotation.data
    assert sent[1].data["books"] == [{"sha256": SHA, "entry": "urn:kitob:1"}]
    assert sent[2].data["fraction"] == 0.6
    assert sent[3].kind == "holding"
    assert sent[3].id == f"{replica.device}:{book_key(SHA, 'urn:kitob:1')}"
    assert sent[3].data["shelves"] == ["Reading now"]
    assert replica.outbox(200) == sent  # nothing moves before the server acknowledged


def test_acknowledged_batches_move_the_push_position_and_keep_the_servers_copy(
    library: Library,
) -> None:
    notes = AnnotationStore(library.store)
    note = notes.create(
        SHA, AnnotationKind.NOTE, Anchor(page=1), body="mening matnim", profile_id=PROFILE
    )
    replica = _replica(library)
    sent = replica.outbox(200)
    results = [
        PushResult(o.op_id, "applied", o.kind, o.id, n + 1, o.deleted, o.data)
        for n, o in enumerate(sent)
    ]
    # the server merged the note: its copy comes back and replaces the local one
    merged = dict(sent[0].data, body="serverdagi matn")
    results[0] = PushResult(sent[0].op_id, "merged", "annotation", note.id, 7, False, merged)
    replica.acknowledge(sent, results)
    assert notes.get(note.id).body == "serverdagi matn"  # type: ignore[union-attr]
    assert replica.outbox(200) == []
    state = SyncState(library.store, profile_id=PROFILE)
    assert state.version("annotation", note.id) == 7
    assert state.account().pushed_seq > 0  # type: ignore[union-attr]
    # the write that applied the server's copy is logged, as remote, and never pushed back
    rows = library.store.query("SELECT remote FROM change_log WHERE object_id = ?", (note.id,))
    assert [r[0] for r in rows] == [0, 1]


def test_a_pulled_page_is_applied_with_its_cursor_and_local_edits_win_until_pushed(
    library: Library,
) -> None:
    notes = AnnotationStore(library.store)
    mine = notes.create(
        SHA, AnnotationKind.NOTE, Anchor(page=1), body="hali yuborilmagan", profile_id=PROFILE
    )
    replica = _replica(library)
    theirs = {
        "book": {"sha256": SHA, "entry": "urn:kitob:1"},
        "kind": "highlight",
        "anchor": {"page": 3},
        "quote": "boshqa qurilmadan",
        "color": "blue",
        "body": "",
        "created_at": 1.0,
        "updated_at": 1.0,
    }
    page = PullPage(
        (
            Pulled(3, "annotation", "remote-1", False, theirs, "device-2"),
            Pulled(4, "annotation", mine.id, False, dict(theirs, kind="note", body="eski")),
        ),
        next=4,
        more=False,
    )
    assert replica.apply(page, allow_deletions=False) == 1
    assert replica.cursor == 4
    assert SyncState(library.store, profile_id=PROFILE).account().pulled_version == 4  # type: ignore[union-attr]
    pulled = notes.get("remote-1")
    assert pulled is not None
    assert (pulled.quote, pulled.color, pulled.anchor.page) == ("boshqa qurilmadan", "blue", 3)
    assert notes.get(mine.id).body == "hali yuborilmagan"  # type: ignore[union-attr]
    assert [o.id for o in replica.outbox(200) if o.kind == "annotation"] == [mine.id]


def test_a_position_further_on_is_applied_one_behind_is_asked(library: Library) -> None:
    library.store.set_progress(SHA, "page=5", 0.5, profile_id=PROFILE)
    replica = _replica(library)
    replica.acknowledge(replica.outbox(200), [])  # as if pushed earlier
    book = {"sha256": SHA, "entry": "urn:kitob:1"}
    behind = {"book": book, "position": "page=2", "fraction": 0.2, "device": "d2"}
    replica.apply(
        PullPage((Pulled(5, "progress", "entry:urn:kitob:1", False, behind),), 5, False),
        allow_deletions=False,
    )
    assert library.store.progress(SHA, profile_id=PROFILE) == (
        "page=5",
        0.5,
    )  # never moved back by itself
    [question] = SyncState(library.store, profile_id=PROFILE).questions()
    assert question.data["position"] == "page=2"
    ahead = dict(behind, position="page=9", fraction=0.9)
    replica.apply(
        PullPage((Pulled(6, "progress", "entry:urn:kitob:1", False, ahead),), 6, False),
        allow_deletions=False,
    )
    assert library.store.progress(SHA, profile_id=PROFILE) == ("page=9", 0.9)


def test_a_page_that_would_delete_most_annotations_stops_before_changing_anything(
    library: Library,
) -> None:
    notes = AnnotationStore(library.store)
    made = [
        notes.create(SHA, AnnotationKind.BOOKMARK, Anchor(page=n), profile_id=PROFILE)
        for n in range(14)
    ]
    replica = _replica(library)
    replica.acknowledge(replica.outbox(500), [])
    gone = tuple(
        Pulled(10 + n, "annotation", a.id, True, {"book": {"sha256": SHA}, "kind": "bookmark"})
        for n, a in enumerate(made[:12])
    )
    with pytest.raises(MassDeletion, match="would delete 12 of your 14 annotations"):
        replica.apply(PullPage(gone, 30, False), allow_deletions=False)
    assert notes.live_count(profile_id=PROFILE) == 14
    assert replica.cursor == 0
    replica.apply(PullPage(gone, 30, False), allow_deletions=True)
    assert notes.live_count(profile_id=PROFILE) == 2


def test_the_change_log_stays_consistent_for_the_doctor(library: Library) -> None:
    replica = _replica(library)
    data = {"book": {"sha256": SHA}, "kind": "note", "anchor": {"page": 1}, "body": "a"}
    replica.apply(
        PullPage((Pulled(1, "annotation", "n1", False, data),), 1, False), allow_deletions=False
    )
    replica.apply(
        PullPage((Pulled(2, "annotation", "n1", True, data),), 2, False), allow_deletions=False
    )
    assert AnnotationStore(library.store).problems() == []
    rows = library.store.query("SELECT action, data FROM change_log WHERE object_id = 'n1'")
    assert [r[0] for r in rows] == ["create", "delete"]
    assert json.loads(rows[-1][1])["deleted_at"] is not None


def test_pulled_shelves_are_applied_bad_ones_skipped_and_local_edits_win_until_pushed(
    library: Library,
) -> None:
    shelves = ShelfStore(library.store, PROFILE)
    replica = _replica(library)
    here = {"sha256": SHA, "entry": "urn:kitob:1"}
    elsewhere = {"entry": "urn:kitob:2"}  # a book this device does not hold yet
    tarix = {"name": "Tarix", "kind": "named", "books": [here, elsewhere], "updated_at": 1.0}
    page = PullPage(
        (
            Pulled(1, "shelf", "s-1", False, tarix),
            Pulled(2, "shelf", "reading", False, dict(tarix, name="Reading now", kind="named")),
            Pulled(3, "shelf", "s-3", False, dict(tarix, books="not a list")),
            Pulled(4, "shelf", "finished", False, dict(tarix, name="Finished", kind="finished")),
        ),
        next=4,
        more=False,
    )
    assert replica.apply(page, allow_deletions=False) == 2
    assert [(s.name, s.count) for s in shelves.shelves()] == [
        ("Reading now", 0),
        ("Finished", 1),
        ("Tarix", 1),
    ]
    rows = library.store.query(
        "SELECT book_id FROM shelf_books WHERE shelf_id = 's-1' ORDER BY book_id"
    )
    assert [r[0] for r in rows] == [SHA, "entry:urn:kitob:2"]  # kept for when it arrives
    assert [o for o in replica.outbox(200) if o.kind == "shelf"] == []  # never pushed back

    shelves.rename("Tarix", "Jahon tarixi")  # changed here: a pulled copy waits for the push
    renamed_there = dict(tarix, name="Tarix (eski)")
    replica.apply(
        PullPage((Pulled(5, "shelf", "s-1", False, renamed_there),), 5, False),
        allow_deletions=False,
    )
    assert shelves.find("Jahon tarixi").id == "s-1"
    [outgoing] = [o for o in replica.outbox(200) if o.kind == "shelf"]
    assert outgoing.data["books"] == [here, {"entry": "urn:kitob:2"}]

    # the book arrives (downloaded from its catalogue entry): it shows on the shelf
    other = "e" * 64
    library.store.add_book(make_book(other), None)
    library.store.set_origin(other, "https://kutubxona.example/opds", "urn:kitob:2")
    assert sorted(shelves.book_ids(shelves.find("Jahon tarixi"))) == [SHA, other]
