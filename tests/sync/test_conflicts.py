"""The conflict rules of sync/conflicts.py (docs/sync-protocol.md, "Conflict rules").

The matrix covers every kind × {no current copy, fresh base, stale base} × {edit, delete} ×
{current live, current deleted}; then the note and colour merges, edit against delete in both
orders, delete against delete, progress, device clocks shifted by hours, the conflict-copy ids,
the mass-deletion threshold, the client's pulled progress, bad inputs, and a seeded simulation of
three devices pushing in every order to a server made of `resolve` calls.
"""

from __future__ import annotations

import copy
import itertools
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sync.conflicts import (
    KINDS,
    Copy,
    Incoming,
    Resolution,
    Stored,
    conflict_copy_id,
    mass_deletion,
    pull_progress,
    resolve,
)

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
HOURS_6 = timedelta(hours=6)
BOOK = {"sha256": "ab" * 32, "entry": "urn:uuid:5b0e9c1f"}
CLOCK_FIELDS = ("created_at", "updated_at")


def at(minutes: int) -> str:
    """An ISO time `minutes` after T0."""
    return (T0 + timedelta(minutes=minutes)).isoformat()


def shifted(data: Mapping[str, Any], delta: timedelta) -> dict[str, Any]:
    """`data` with its clock fields moved by `delta` (a device whose clock is wrong)."""
    out = dict(data)
    for name in CLOCK_FIELDS:
        if name in out:
            out[name] = (datetime.fromisoformat(out[name]) + delta).isoformat()
    return out


def unclocked(data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` without its clock fields."""
    return {key: value for key, value in data.items() if key not in CLOCK_FIELDS}


def note(body: str | None = "first text", **fields: Any) -> dict[str, Any]:
    """An annotation's data: a note with `body` unless fields say otherwise."""
    data: dict[str, Any] = {
        "book": BOOK,
        "kind": "note",
        "anchor": {"page": 3},
        "quote": "",
        "color": "yellow",
        "body": body,
        "parent_id": None,
        "created_at": at(0),
        "updated_at": at(0),
        "detached": False,
        "origin": "mutolaa",
    }
    data.update(fields)
    return data


def highlight(color: str = "yellow", body: str | None = None, **fields: Any) -> dict[str, Any]:
    """An annotation's data: a highlight, without a body unless given one."""
    return note(body, kind="highlight", quote="the marked words", color=color, **fields)


def progress(fraction: float, **fields: Any) -> dict[str, Any]:
    """A reading progress at `fraction` of the book."""
    data: dict[str, Any] = {
        "book": BOOK,
        "position": f"page={round(fraction * 200)}",
        "fraction": fraction,
        "device": "pc-1",
        "updated_at": at(0),
    }
    data.update(fields)
    return data


def holding(**fields: Any) -> dict[str, Any]:
    """A holding of the book on device pc-1."""
    data: dict[str, Any] = {
        "book": BOOK,
        "title": "O'tkan kunlar",
        "authors": ["Abdulla Qodiriy"],
        "catalog": "https://books.example/opds",
        "device": "pc-1",
        "device_name": "PC-1",
        "updated_at": at(0),
    }
    data.update(fields)
    return data


def shelf(*books: str, **fields: Any) -> dict[str, Any]:
    """A shelf holding books by their content hashes."""
    data: dict[str, Any] = {
        "name": "Tarix",
        "kind": "named",
        "books": [{"sha256": b} for b in books],
        "updated_at": at(0),
    }
    data.update(fields)
    return data


OBJECT_IDS = {
    "annotation": "a1b2c3",
    "progress": "sha256:" + "ab" * 32,
    "holding": "pc-1:entry:9",
    "shelf": "5e1f",
}


def stored(kind: str, data: Mapping[str, Any], version: int = 5, deleted: bool = False) -> Stored:
    """The server's copy of the kind's test object."""
    return Stored(kind, OBJECT_IDS[kind], version, deleted, data)


def push(
    kind: str,
    data: Mapping[str, Any],
    base_version: int = 5,
    deleted: bool = False,
    op_id: str = "op-1",
) -> Incoming:
    """A pushed change of the kind's test object."""
    return Incoming(op_id, kind, OBJECT_IDS[kind], base_version, deleted, data)


# --- The matrix ------------------------------------------------------------------------------

# Per kind: the data at the client's base, the server's copy changed since (for a stale base),
# the pushed edit, and what a stale edit over the live copy makes of them.
SCENES: dict[str, dict[str, dict[str, Any]]] = {
    "annotation": {
        "base": highlight("yellow", body="seen"),
        "current": highlight("green", body="seen", updated_at=at(30)),
        "incoming": highlight("yellow", body="seen, and more", updated_at=at(20)),
        # colour changed on the server only, body and time by the push only
        "merged": highlight("green", body="seen, and more", updated_at=at(20)),
    },
    "progress": {
        "base": progress(0.2),
        "current": progress(0.4, device="pc-2", updated_at=at(30)),
        "incoming": progress(0.6, updated_at=at(20)),
        "merged": progress(0.6, updated_at=at(20)),
    },
    "holding": {
        "base": holding(),
        "current": holding(title="O'tkan kunlar (2-nashr)", updated_at=at(30)),
        "incoming": holding(device_name="PC-1 (office)", updated_at=at(20)),
        "merged": holding(device_name="PC-1 (office)", updated_at=at(20)),
    },
    "shelf": {
        "base": shelf("a"),
        "current": shelf("a", "b", updated_at=at(30)),
        "incoming": shelf("a", "c", name="Tarix fanlari", updated_at=at(20)),
        # the pushed name; the books put on each side since the base, both
        "merged": shelf("a", "c", "b", name="Tarix fanlari", updated_at=at(20)),
    },
}

# (situation, operation, current state) → (status, deleted, where the data comes from)
EXPECTED: dict[tuple[str, str, str], tuple[str, bool, str]] = {
    ("no current", "edit", "-"): ("applied", False, "incoming"),
    ("no current", "delete", "-"): ("applied", True, "incoming"),
    ("fresh base", "edit", "live"): ("applied", False, "incoming"),
    ("fresh base", "edit", "deleted"): ("applied", False, "incoming"),
    ("fresh base", "delete", "live"): ("applied", True, "incoming"),
    ("fresh base", "delete", "deleted"): ("applied", True, "incoming"),
    ("stale base", "edit", "live"): ("merged", False, "merged"),
    ("stale base", "edit", "deleted"): ("merged", False, "incoming"),
    ("stale base", "delete", "live"): ("kept", False, "current"),
    ("stale base", "delete", "deleted"): ("kept", True, "current"),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("situation", "operation", "state"), list(EXPECTED))
def test_matrix(kind: str, situation: str, operation: str, state: str) -> None:
    scene = SCENES[kind]
    deleting = operation == "delete"
    if situation == "no current":
        current = None
        incoming = push(kind, scene["incoming"], base_version=0, deleted=deleting)
    elif situation == "fresh base":
        current = stored(kind, scene["base"], version=5, deleted=state == "deleted")
        incoming = push(kind, scene["incoming"], base_version=5, deleted=deleting)
    else:
        current = stored(kind, scene["current"], version=8, deleted=state == "deleted")
        incoming = push(kind, scene["incoming"], base_version=5, deleted=deleting)

    result = resolve(current, incoming, scene["base"])

    status, deleted, source = EXPECTED[(situation, operation, state)]
    assert result == Resolution(status, deleted, scene[source])  # type: ignore[arg-type]


def test_an_unknown_object_pushed_with_a_base_is_still_applied() -> None:
    # the server lost it (a restored backup): storing the push loses nothing
    result = resolve(None, push("annotation", note("kept text"), base_version=12))
    assert result == Resolution("applied", False, note("kept text"))


def test_a_base_newer_than_the_servers_copy_counts_as_stale() -> None:
    current = stored("annotation", note("server text"), version=4)
    result = resolve(current, push("annotation", note("pushed text"), base_version=9))
    assert result.status == "merged"
    assert result.data["body"] == "server text"
    assert [c.data["body"] for c in result.copies] == ["pushed text"]


# --- Notes edited on two devices ---------------------------------------------------------------


def test_note_body_changed_only_by_the_push_takes_the_push() -> None:
    base = note("first text")
    current = stored("annotation", note("first text", color="green", updated_at=at(9)), 8)
    result = resolve(current, push("annotation", note("first text, more", updated_at=at(5))), base)
    assert result == Resolution(
        "merged", False, note("first text, more", color="green", updated_at=at(5))
    )


def test_note_body_changed_only_on_the_server_keeps_the_servers() -> None:
    base = note("first text")
    current = stored("annotation", note("server text", updated_at=at(9)), 8)
    result = resolve(
        current, push("annotation", note("first text", color="blue", updated_at=at(5))), base
    )
    assert result == Resolution(
        "merged", False, note("server text", color="blue", updated_at=at(5))
    )


def test_note_body_changed_on_both_sides_makes_a_conflict_copy_with_the_pushed_text() -> None:
    base = note("first text")
    current = stored("annotation", note("server text", updated_at=at(9)), 8)
    incoming = push(
        "annotation", note("pushed text", color="blue", updated_at=at(5)), op_id="op-77"
    )

    result = resolve(current, incoming, base)

    merged = note("server text", color="blue", updated_at=at(5))
    copy_data = {**merged, "body": "pushed text", "conflict_of": OBJECT_IDS["annotation"]}
    assert result == Resolution(
        "merged", False, merged, (Copy(conflict_copy_id("op-77"), copy_data),)
    )


def test_note_with_the_same_new_text_on_both_sides_makes_no_copy() -> None:
    base = note("first text")
    current = stored("annotation", note("same new text", updated_at=at(9)), 8)
    result = resolve(current, push("annotation", note("same new text", updated_at=at(5))), base)
    assert result == Resolution("merged", False, note("same new text", updated_at=at(5)))


def test_note_with_an_unknown_base_treats_every_difference_as_changed_on_both_sides() -> None:
    current = stored("annotation", note("server text", color="green", updated_at=at(9)), 8)
    incoming = push("annotation", note("pushed text", color="blue", updated_at=at(5)))

    result = resolve(current, incoming, None)

    merged = note("server text", color="blue", updated_at=at(5))
    assert result.data == merged
    assert result.copies == (
        Copy(
            conflict_copy_id("op-1"),
            {**merged, "body": "pushed text", "conflict_of": OBJECT_IDS["annotation"]},
        ),
    )


def test_note_with_an_unknown_base_and_the_same_text_makes_no_copy() -> None:
    current = stored("annotation", note("one text", color="green"), 8)
    result = resolve(current, push("annotation", note("one text", color="blue")), None)
    assert result == Resolution("merged", False, note("one text", color="blue"))


def test_a_field_removed_by_the_push_only_is_removed() -> None:
    base = note("text", label="old label")
    current = stored("annotation", note("text", label="old label", color="green"), 8)
    result = resolve(current, push("annotation", note("text")), base)
    assert result.data == note("text", color="green")


def test_a_field_added_on_the_server_only_stays() -> None:
    current = stored("annotation", note("text", detached=True, page_label="iv"), 8)
    result = resolve(current, push("annotation", note("text", color="red")), note("text"))
    assert result.data == note("text", color="red", detached=True, page_label="iv")


def test_a_highlight_with_texts_on_both_sides_makes_a_copy_too() -> None:
    base = highlight(body="why")
    current = stored("annotation", highlight(body="because of A"), 8)
    result = resolve(current, push("annotation", highlight(body="because of B")), base)
    assert result.data["body"] == "because of A"
    assert [(c.data["kind"], c.data["body"]) for c in result.copies] == [
        ("highlight", "because of B")
    ]


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_a_text_beats_a_body_emptied_on_the_other_side(empty: str | None) -> None:
    base = note("first text")
    # the push emptied the body, the server wrote a new text: the text stays, no empty copy
    result = resolve(
        stored("annotation", note("server text"), 8), push("annotation", note(empty)), base
    )
    assert (result.data["body"], result.copies) == ("server text", ())
    # the server emptied it, the push wrote a new text: the push's text goes in, no copy
    result = resolve(
        stored("annotation", note(empty), 8), push("annotation", note("pushed text")), base
    )
    assert (result.data["body"], result.copies) == ("pushed text", ())


def test_a_body_missing_from_the_push_with_an_unknown_base_keeps_the_servers_text() -> None:
    pushed = {key: value for key, value in note().items() if key != "body"}
    result = resolve(stored("annotation", note("server text"), 8), push("annotation", pushed))
    assert (result.data["body"], result.copies) == ("server text", ())


def test_a_conflict_copy_of_a_conflict_copy_points_at_the_copy() -> None:
    copy_id = conflict_copy_id("op-1")
    base = note("copy text", conflict_of="a1b2c3")
    current = Stored("annotation", copy_id, 8, False, note("copy text, A", conflict_of="a1b2c3"))
    incoming = Incoming(
        "op-2", "annotation", copy_id, 5, False, note("copy text, B", conflict_of="a1b2c3")
    )
    (made,) = resolve(current, incoming, base).copies
    assert made == Copy(conflict_copy_id("op-2"), note("copy text, B", conflict_of=copy_id))


# --- Colours, edits against deletes, deletes against deletes -----------------------------------


@pytest.mark.parametrize(
    "pushed_clock", [-600, 600], ids=["push-clock-earlier", "push-clock-later"]
)
def test_colour_changed_on_both_sides_takes_the_pushed_one(pushed_clock: int) -> None:
    base = highlight("yellow")
    current = stored("annotation", highlight("green", updated_at=at(0)), 8)
    incoming = push("annotation", highlight("blue", updated_at=at(pushed_clock)))
    result = resolve(current, incoming, base)
    assert result == Resolution("merged", False, highlight("blue", updated_at=at(pushed_clock)))


@dataclass
class Server:
    """A server made of `resolve` calls: objects, their history, versions, accepted op_ids."""

    keep_history: bool = True
    objects: dict[str, Stored] = field(default_factory=dict)
    history: dict[tuple[str, int], Mapping[str, Any]] = field(default_factory=dict)
    version: int = 0
    accepted: dict[str, tuple[Resolution, list[Stored]]] = field(default_factory=dict)

    def push(self, change: Incoming) -> tuple[Resolution, list[Stored]]:
        """Accept one change: the resolution and the objects to answer (the object, then copies)."""
        if change.op_id in self.accepted:
            return self.accepted[change.op_id]
        current = self.objects.get(change.id)
        base = self.history.get((change.id, change.base_version)) if self.keep_history else None
        result = resolve(current, change, base)
        answer = [current] if result.status == "kept" and current else []
        if result.status != "kept":
            answer.append(self._store(change.kind, change.id, result.deleted, result.data))
        for made in result.copies:
            answer.append(self._store(change.kind, made.id, False, made.data))
        self.accepted[change.op_id] = (result, answer)
        return result, answer

    def _store(self, kind: str, object_id: str, deleted: bool, data: Mapping[str, Any]) -> Stored:
        self.version += 1
        self.objects[object_id] = Stored(kind, object_id, self.version, deleted, data)
        self.history[(object_id, self.version)] = data
        return self.objects[object_id]


def test_edit_and_delete_of_one_note_end_edited_in_both_orders() -> None:
    finals = []
    for order in (["edit", "delete"], ["delete", "edit"]):
        server = Server()
        server.push(push("annotation", note("text"), base_version=0, op_id="create"))
        version = server.objects[OBJECT_IDS["annotation"]].version
        changes = {
            "edit": push("annotation", note("text, edited"), version, op_id="edit"),
            "delete": push("annotation", note("text"), version, deleted=True, op_id="delete"),
        }
        statuses = [server.push(changes[name])[0].status for name in order]
        final = server.objects[OBJECT_IDS["annotation"]]
        finals.append((final.deleted, final.data))
        # the first is applied; an edit after the delete brings the note back, a delete after
        # the edit is kept
        assert statuses == ["applied", "merged" if order[1] == "edit" else "kept"]
    assert finals == [(False, note("text, edited"))] * 2


def test_delete_and_delete_leave_one_tombstone_in_both_orders_and_again() -> None:
    for first, second in (("delete-a", "delete-b"), ("delete-b", "delete-a")):
        server = Server()
        server.push(push("annotation", note("text"), base_version=0, op_id="create"))
        version = server.version
        changes = {
            name: push("annotation", note("text"), version, deleted=True, op_id=name)
            for name in ("delete-a", "delete-b")
        }
        assert server.push(changes[first])[0].status == "applied"
        tombstone = server.objects[OBJECT_IDS["annotation"]]
        result = server.push(changes[second])[0]
        assert result == Resolution("kept", True, note("text"))
        assert server.objects[OBJECT_IDS["annotation"]] == tombstone  # nothing new stored
        # resolving the second delete again over the same tombstone gives the same answer
        assert resolve(tombstone, changes[second], note("text")) == result


def test_a_stale_delete_of_a_holding_edited_since_is_kept() -> None:
    current = stored("holding", holding(title="New title"), 8)
    result = resolve(current, push("holding", holding(), deleted=True), holding())
    assert result == Resolution("kept", False, holding(title="New title"))


# --- Progress -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pushed", "expected"),
    [(0.7, "merged"), (0.3, "kept"), (0.5, "kept")],
    ids=["further", "behind", "equal"],
)
def test_progress_with_a_stale_base_keeps_the_furthest(pushed: float, expected: str) -> None:
    current = stored("progress", progress(0.5, device="pc-2", updated_at=at(0)), 8)
    incoming = push("progress", progress(pushed, updated_at=at(90)))  # a later clock
    result = resolve(current, incoming, progress(0.1))
    winner = incoming.data if expected == "merged" else current.data
    assert result == Resolution(expected, False, winner)  # type: ignore[arg-type]


def test_progress_with_a_fresh_base_is_applied_even_backwards() -> None:
    # the device saw the server's position and moved back itself: the person did it
    current = stored("progress", progress(0.8), 5)
    result = resolve(current, push("progress", progress(0.2), base_version=5))
    assert result == Resolution("applied", False, progress(0.2))


def test_a_stale_progress_delete_is_kept() -> None:
    current = stored("progress", progress(0.4), 8)
    assert resolve(current, push("progress", progress(0.9), deleted=True)).status == "kept"


@pytest.mark.parametrize(
    ("local", "remote", "expected"),
    [
        (None, progress(0.1), "apply"),
        (progress(0.2), progress(0.6), "apply"),
        (progress(0.6), progress(0.2), "ask"),
        (progress(0.4, device="pc-1"), progress(0.4, device="pc-2"), "same"),
        (progress(0.0), progress(1.0), "apply"),
    ],
    ids=["no-local", "further", "behind", "equal", "start-to-end"],
)
def test_pull_progress(local: dict[str, Any] | None, remote: dict[str, Any], expected: str) -> None:
    assert pull_progress(local, remote) == expected


def test_pull_progress_ignores_the_clocks() -> None:
    # the remote position is behind, written "later" by a clock six hours ahead: still a question
    local = progress(0.6, updated_at=at(0))
    remote = shifted(progress(0.2, updated_at=at(0)), HOURS_6)
    assert pull_progress(local, remote) == "ask"
    assert pull_progress(shifted(local, HOURS_6), shifted(remote, -HOURS_6)) == "ask"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"position": "page=3"}, "has no 'fraction'"),
        ({"fraction": "0.5"}, "not a number: '0.5'"),
        ({"fraction": True}, "not a number: True"),
        ({"fraction": 1.5}, "outside 0–1: 1.5"),
        ({"fraction": -0.1}, "outside 0–1: -0.1"),
        ({"fraction": float("nan")}, "outside 0–1: nan"),
    ],
)
def test_a_progress_without_a_valid_fraction_is_refused(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="^the pulled progress .*" + message):
        pull_progress(progress(0.5), bad)
    with pytest.raises(ValueError, match="^the local progress .*" + message):
        pull_progress(bad, progress(0.5))
    for current in (
        None,
        stored("progress", progress(0.2), 5),
        stored("progress", progress(0.2), 8),
    ):
        with pytest.raises(ValueError, match=r"^change 'op-1' \(progress .*the pushed progress"):
            resolve(current, push("progress", bad))


def test_a_stored_progress_without_a_valid_fraction_loses_to_a_valid_push() -> None:
    current = stored("progress", {"position": "page=3", "fraction": "junk"}, 8)
    result = resolve(current, push("progress", progress(0.1)))
    assert result == Resolution("merged", False, progress(0.1))


def test_a_progress_delete_needs_no_fraction() -> None:
    gone = {"book": BOOK}
    assert resolve(None, push("progress", gone, 0, deleted=True)) == Resolution(
        "applied", True, gone
    )
    current = stored("progress", progress(0.4), 8)
    result = resolve(current, push("progress", gone, deleted=True))
    assert result == Resolution("kept", False, progress(0.4))


# --- Clocks ---------------------------------------------------------------------------------

# (name, current, incoming, base): one of every branch of the rules
CLOCK_SCENES: list[tuple[str, Stored | None, Incoming, Mapping[str, Any] | None]] = [
    ("new note", None, push("annotation", note("new"), 0), None),
    (
        "fast-forward",
        stored("annotation", note("a"), 5),
        push("annotation", note("a b")),
        note("a"),
    ),
    (
        "note both changed",
        stored("annotation", note("server", updated_at=at(10)), 8),
        push("annotation", note("pushed", updated_at=at(5))),
        note("a"),
    ),
    (
        "note, base unknown",
        stored("annotation", note("server", color="red", updated_at=at(10)), 8),
        push("annotation", note("pushed", updated_at=at(5))),
        None,
    ),
    (
        "colours",
        stored("annotation", highlight("green", updated_at=at(10)), 8),
        push("annotation", highlight("blue", updated_at=at(5))),
        highlight("yellow"),
    ),
    (
        "colour and body apart",
        stored("annotation", note("a", color="green", updated_at=at(10)), 8),
        push("annotation", note("a b", updated_at=at(5))),
        note("a"),
    ),
    (
        "delete over edit",
        stored("annotation", note("edited", updated_at=at(10)), 8),
        push("annotation", note("a", updated_at=at(5)), deleted=True),
        note("a"),
    ),
    (
        "edit over delete",
        stored("annotation", note("a", updated_at=at(10)), 8, deleted=True),
        push("annotation", note("a b", updated_at=at(5))),
        note("a"),
    ),
    (
        "progress further",
        stored("progress", progress(0.4, updated_at=at(10)), 8),
        push("progress", progress(0.5, updated_at=at(5))),
        progress(0.1),
    ),
    (
        "progress behind",
        stored("progress", progress(0.4, updated_at=at(5)), 8),
        push("progress", progress(0.3, updated_at=at(10))),
        progress(0.1),
    ),
    (
        "holding",
        stored("holding", holding(title="T2", updated_at=at(10)), 8),
        push("holding", holding(device_name="D2", updated_at=at(5))),
        holding(),
    ),
]

SHIFTS = [
    (server, pushed)
    for server in (-HOURS_6, timedelta(0), HOURS_6)
    for pushed in (-HOURS_6, timedelta(0), HOURS_6)
    if server or pushed
]


def without_clocks(result: Resolution) -> tuple[object, ...]:
    """A resolution with the clock fields left out of its data and copies."""
    copies = tuple((made.id, unclocked(made.data)) for made in result.copies)
    return (result.status, result.deleted, unclocked(result.data), copies)


@pytest.mark.parametrize(("server_shift", "push_shift"), SHIFTS)
@pytest.mark.parametrize("scene", CLOCK_SCENES, ids=[scene[0] for scene in CLOCK_SCENES])
def test_clocks_hours_apart_change_no_outcome(
    scene: tuple[str, Stored | None, Incoming, Mapping[str, Any] | None],
    server_shift: timedelta,
    push_shift: timedelta,
) -> None:
    _, current, incoming, base = scene
    expected = resolve(current, incoming, base)
    moved_current = current and replace(current, data=shifted(current.data, server_shift))
    moved_incoming = replace(incoming, data=shifted(incoming.data, push_shift))
    moved_base = base and shifted(base, server_shift)

    result = resolve(moved_current, moved_incoming, moved_base)

    assert without_clocks(result) == without_clocks(expected)
    # the time that comes out is the one of the side the rules chose, moved with its clock
    if "updated_at" in expected.data:
        sides = {
            "pushed": (incoming.data.get("updated_at"), moved_incoming.data["updated_at"]),
            "server": (
                current.data.get("updated_at") if current else None,
                moved_current.data["updated_at"] if moved_current else None,
            ),
        }
        chosen = [
            side for side, (before, _) in sides.items() if before == expected.data["updated_at"]
        ]
        assert result.data["updated_at"] in {sides[side][1] for side in chosen}


# --- Conflict-copy ids, mass deletions, bad inputs, determinism -------------------------------


def test_conflict_copy_id_is_a_stable_uuid5_of_the_op_id() -> None:
    assert conflict_copy_id("op-1") == "d1045bf6-c03e-569b-9f1e-70903e2178e7"
    assert conflict_copy_id("op-1") == conflict_copy_id("op-1")
    assert uuid.UUID(conflict_copy_id("op-1")).version == 5
    ids = {conflict_copy_id(f"op-{n}") for n in range(1000)}
    assert len(ids) == 1000
    assert conflict_copy_id("op-1") != "op-1"


def test_conflict_copy_id_refuses_an_empty_op_id() -> None:
    with pytest.raises(ValueError, match=r"^conflict_copy_id: the op_id is empty$"):
        conflict_copy_id("")


@pytest.mark.parametrize(
    ("live", "deleting", "expected"),
    [
        (10, 10, False),  # all of them, but only 10
        (11, 11, True),  # all of them, 11
        (20, 10, False),
        (20, 11, True),
        (22, 11, False),  # exactly half
        (21, 11, True),  # just more than half
        (100, 50, False),  # exactly half
        (100, 51, True),
        (1000, 499, False),
        (0, 0, False),
        (5, 12, True),  # more than there are (a stale count): still stops
    ],
)
def test_mass_deletion_threshold(live: int, deleting: int, expected: bool) -> None:
    assert mass_deletion(live, deleting) is expected


def test_mass_deletion_refuses_negative_counts() -> None:
    with pytest.raises(ValueError, match=r"^mass_deletion: .*\(live=-1, deleting=3\)$"):
        mass_deletion(-1, 3)


def test_an_unknown_kind_is_refused_in_one_line() -> None:
    change = Incoming("op-9", "bookshelf", "x1", 0, False, {})
    with pytest.raises(ValueError, match="unknown kind") as caught:
        resolve(None, change)
    message = str(caught.value)
    assert "\n" not in message
    assert message == (
        "change 'op-9' (bookshelf 'x1'): unknown kind 'bookshelf' "
        "(known: annotation, progress, holding, shelf)"
    )


def test_a_current_copy_of_another_object_is_refused() -> None:
    with pytest.raises(ValueError, match=r"the current copy is of another object \(holding"):
        resolve(
            Stored("holding", OBJECT_IDS["annotation"], 3, False, {}), push("annotation", note())
        )
    with pytest.raises(ValueError, match=r"another object \(annotation 'other'\)"):
        resolve(Stored("annotation", "other", 3, False, {}), push("annotation", note()))


def test_a_negative_base_version_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"^change 'op-1' \(annotation 'a1b2c3'\): base_version -1"
    ):
        resolve(None, push("annotation", note(), base_version=-1))


def test_the_same_inputs_give_the_same_resolution_and_are_not_changed() -> None:
    for _, current, incoming, base in CLOCK_SCENES:
        before = copy.deepcopy((current, incoming, base))
        first = resolve(current, incoming, base)
        assert resolve(current, incoming, base) == first
        assert (current, incoming, base) == before
        first.data.clear()  # type: ignore[attr-defined]  # the result's data is its own
        assert (current, incoming, base) == before


def test_a_retried_conflicting_push_makes_the_same_copy() -> None:
    current = stored("annotation", note("server text"), 8)
    incoming = push("annotation", note("pushed text"), op_id="0b6f2c1e-0000-4000-8000-000000000001")
    first = resolve(current, incoming, note("first text"))
    # the server stored the merge; the answer was lost and the client pushes the same op again
    after = replace(current, version=9, data=first.data)
    again = resolve(after, incoming, note("first text"))
    assert (
        [c.id for c in again.copies]
        == [c.id for c in first.copies]
        == ["9f28f976-bc1f-5639-84e9-dfa5c8df3a64"]
    )


# --- Three devices, every order -------------------------------------------------------------


@dataclass
class Device:
    """A device that edits notes offline, pushes its coalesced changes and pulls."""

    name: str
    clock: timedelta
    rng: random.Random
    known: dict[str, Stored] = field(default_factory=dict)
    local: dict[str, tuple[bool, dict[str, Any]]] = field(default_factory=dict)
    outbox: dict[str, Incoming] = field(default_factory=dict)
    count: int = 0

    def now(self) -> str:
        """This device's clock: the step count in minutes after T0, shifted by its error."""
        return (T0 + timedelta(minutes=self.count) + self.clock).isoformat()

    def work(self, edits: int) -> None:
        """Make `edits` random local changes: append to a body, recolour, delete, or create."""
        for _ in range(edits):
            self.count += 1
            live = sorted(key for key, (deleted, _) in self.local.items() if not deleted)
            action = self.rng.choices(["append", "colour", "delete", "create"], [6, 2, 1, 1])[0]
            if action == "create" or not live:
                object_id = f"{self.name}-note-{self.count}"
                data = note(
                    f"[{self.name}-{self.count}]", created_at=self.now(), updated_at=self.now()
                )
                self._change(object_id, False, data)
                continue
            object_id = self.rng.choice(live)
            data = dict(self.local[object_id][1])
            if action == "append":
                data["body"] = f"{data.get('body') or ''} [{self.name}-{self.count}]"
            elif action == "colour":
                data["color"] = self.rng.choice(["yellow", "green", "blue", "red"])
            data["updated_at"] = self.now()
            self._change(object_id, action == "delete", data)

    def _change(self, object_id: str, deleted: bool, data: dict[str, Any]) -> None:
        self.local[object_id] = (deleted, data)
        known = self.known.get(object_id)
        base_version = known.version if known else 0
        op_id = f"{self.name}-op-{self.count}"
        self.outbox[object_id] = Incoming(
            op_id, "annotation", object_id, base_version, deleted, data
        )

    def push(self, server: Server, log: list[tuple[str, Incoming, Resolution]]) -> None:
        """Push the outbox; take every answered object as the truth."""
        for change in self.outbox.values():
            result, answer = server.push(change)
            log.append((self.name, change, result))
            for obj in answer:
                self.known[obj.id] = obj
                self.local[obj.id] = (obj.deleted, dict(obj.data))
        self.outbox.clear()

    def pull(self, server: Server) -> None:
        """Take the server's objects (the outbox is empty when a device pulls)."""
        assert not self.outbox
        for obj in server.objects.values():
            self.known[obj.id] = obj
            self.local[obj.id] = (obj.deleted, dict(obj.data))


def simulate(
    seed: int,
    orders: tuple[tuple[int, ...], ...],
    clocks: tuple[timedelta, ...],
    keep_history: bool,
) -> tuple[Server, list[tuple[str, Incoming, Resolution]]]:
    """Three devices share three notes, then work offline and push in `orders`, round by round."""
    server = Server(keep_history=keep_history)
    for n in range(3):
        server.push(Incoming(f"seed-{n}", "annotation", f"note-{n}", 0, False, note(f"<note {n}>")))
    devices = [
        Device(f"d{index}", clock, random.Random(seed * 100 + index))
        for index, clock in enumerate(clocks)
    ]
    for device in devices:
        device.pull(server)
    log: list[tuple[str, Incoming, Resolution]] = []
    for order in orders:
        for device in devices:
            device.work(device.rng.randint(1, 4))
        for index in order:
            devices[index].push(server, log)
        for device in devices:
            if device.rng.random() < 0.7:
                device.pull(server)
    return server, log


ROUNDS = 2
ORDER_PLANS = list(itertools.product(itertools.permutations(range(3)), repeat=ROUNDS))
CLOCK_PLANS = [
    (timedelta(0), timedelta(0), timedelta(0)),
    (HOURS_6, -HOURS_6, timedelta(0)),
    (-HOURS_6, timedelta(0), HOURS_6),
]


def final_state(server: Server) -> dict[str, tuple[int, bool, dict[str, Any]]]:
    """The server's objects without their clock fields."""
    return {
        key: (obj.version, obj.deleted, unclocked(obj.data)) for key, obj in server.objects.items()
    }


@pytest.mark.parametrize("keep_history", [True, False], ids=["base-known", "base-forgotten"])
@pytest.mark.parametrize("seed", range(6))
def test_three_devices_in_every_order_lose_no_text_and_ignore_clocks(
    seed: int, keep_history: bool
) -> None:
    conflicts = 0
    for orders in ORDER_PLANS:
        runs = [simulate(seed, orders, clocks, keep_history) for clocks in CLOCK_PLANS]
        server, log = runs[0]

        # the final state does not depend on the devices' clocks
        for other, other_log in runs[1:]:
            assert final_state(other) == final_state(server)
            assert [r.status for _, _, r in other_log] == [r.status for _, _, r in log]

        # every text ever pushed is in a live note or copy, unless a device that saw it deleted it
        live_bodies = [
            obj.data.get("body") or "" for obj in server.objects.values() if not obj.deleted
        ]
        deleted_knowingly = [
            change.data.get("body") or ""
            for _, change, result in log
            if change.deleted and result.status == "applied"
        ]
        for _, change, _ in log:
            text = change.data.get("body")
            if change.deleted or not text:
                continue
            assert any(text in body for body in live_bodies) or any(
                text in body for body in deleted_knowingly
            ), f"seed {seed}, orders {orders}: lost {text!r}"
        conflicts += sum(len(result.copies) for _, _, result in log)
    assert conflicts > 0  # the plans did make notes conflict


# --- Shelves -----------------------------------------------------------------------------------


def test_a_book_taken_off_a_shelf_on_one_device_stays_off_after_a_stale_push() -> None:
    current = stored("shelf", shelf("a", "b", "d", updated_at=at(30)), 8)
    result = resolve(current, push("shelf", shelf("a", updated_at=at(20))), shelf("a", "b"))
    # "b" was taken off by the push; "d" was put on by the server's copy since
    assert result == Resolution("merged", False, shelf("a", "d", updated_at=at(20)))


def test_a_shelf_pushed_without_a_known_base_keeps_the_union() -> None:
    current = stored("shelf", shelf("b"), 8)
    result = resolve(current, push("shelf", shelf("a"), base_version=0))
    assert result == Resolution("merged", False, shelf("a", "b"))
