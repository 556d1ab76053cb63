"""Push and pull over real HTTP: versions, retries, conflicts, pages, mass deletions, isolation."""

from __future__ import annotations

import uuid
from typing import Any

from sync.conflicts import conflict_copy_id
from tests.server.conftest import RunningServer, change

BOOK = {"sha256": "ab" * 32}


def _note(body: str) -> dict[str, Any]:
    return {"book": BOOK, "kind": "note", "anchor": "page=3", "body": body, "color": "yellow"}


def _token(server: RunningServer, name: str = "alice") -> str:
    server.add_user(name)
    return server.login(name)


def test_push_then_pull_round_trip(server: RunningServer) -> None:
    token = _token(server)
    note = change("annotation", "n1", _note("first thought"))
    progress = change(
        "progress", "sha256:" + "ab" * 32, {"book": BOOK, "fraction": 0.25, "position": "page=12"}
    )
    answer = server.push(token, [note, progress])
    assert answer.status_code == 200
    assert answer.json() == {
        "results": [
            {
                "op_id": note["op_id"],
                "status": "applied",
                "version": 1,
                "object": {
                    "kind": "annotation",
                    "id": "n1",
                    "deleted": False,
                    "data": note["data"],
                },
            },
            {
                "op_id": progress["op_id"],
                "status": "applied",
                "version": 2,
                "object": {
                    "kind": "progress",
                    "id": progress["id"],
                    "deleted": False,
                    "data": progress["data"],
                },
            },
        ]
    }
    page = server.pull(token, since=0).json()
    assert page == {
        "changes": [
            {
                "version": 1,
                "kind": "annotation",
                "id": "n1",
                "deleted": False,
                "data": note["data"],
                "device": "pc-1",
            },
            {
                "version": 2,
                "kind": "progress",
                "id": progress["id"],
                "deleted": False,
                "data": progress["data"],
                "device": "pc-1",
            },
        ],
        "next": 2,
        "more": False,
    }
    assert server.pull(token, since=2).json() == {"changes": [], "next": 2, "more": False}


def test_a_retried_push_is_answered_duplicate_and_changes_nothing(
    server: RunningServer,
) -> None:
    token = _token(server)
    changes = [
        change("annotation", f"b{i}", {"kind": "bookmark", "title": str(i)}) for i in range(3)
    ]
    first = server.push(token, changes).json()["results"]
    again = server.push(token, changes).json()["results"]
    assert [r["status"] for r in again] == ["duplicate"] * 3
    assert [r["version"] for r in again] == [r["version"] for r in first] == [1, 2, 3]
    assert [r["object"] for r in again] == [r["object"] for r in first]
    page = server.pull(token).json()
    assert [c["version"] for c in page["changes"]] == [1, 2, 3]
    # a repeated op_id inside one batch is a duplicate too
    fresh = change("annotation", "b9", {"kind": "bookmark"})
    results = server.push(token, [fresh, fresh]).json()["results"]
    assert [(r["status"], r["version"]) for r in results] == [("applied", 4), ("duplicate", 4)]


def test_a_stale_progress_behind_the_server_is_kept_and_a_further_one_merged(
    server: RunningServer,
) -> None:
    token = _token(server)
    key = "sha256:" + "ab" * 32
    server.push(token, [change("progress", key, {"fraction": 0.5, "device": "pc-1"})])
    server.push(
        token,
        [change("progress", key, {"fraction": 0.6, "device": "pc-2"}, base_version=1)],
        device="pc-2",
    )
    behind = server.push(token, [change("progress", key, {"fraction": 0.55}, base_version=1)])
    (result,) = behind.json()["results"]
    assert result["status"] == "kept"
    assert result["version"] == 2
    assert result["object"]["data"] == {"fraction": 0.6, "device": "pc-2"}
    further = server.push(token, [change("progress", key, {"fraction": 0.9}, base_version=1)])
    (result,) = further.json()["results"]
    assert (result["status"], result["version"]) == ("merged", 3)
    assert result["object"]["data"] == {"fraction": 0.9}


def test_a_stale_delete_is_kept_and_an_edit_of_a_deleted_object_comes_back(
    server: RunningServer,
) -> None:
    token = _token(server)
    server.push(token, [change("annotation", "h1", {"kind": "highlight", "color": "yellow"})])
    server.push(
        token,
        [change("annotation", "h1", {"kind": "highlight", "color": "green"}, base_version=1)],
        device="pc-2",
    )
    (kept,) = server.push(
        token, [change("annotation", "h1", {"kind": "highlight"}, base_version=1, deleted=True)]
    ).json()["results"]
    assert kept["status"] == "kept"
    assert kept["object"]["deleted"] is False
    assert kept["object"]["data"]["color"] == "green"
    (gone,) = server.push(
        token, [change("annotation", "h1", {"kind": "highlight"}, base_version=2, deleted=True)]
    ).json()["results"]
    assert (gone["status"], gone["version"], gone["object"]["deleted"]) == ("applied", 3, True)
    (back,) = server.push(
        token, [change("annotation", "h1", {"kind": "highlight", "color": "blue"}, base_version=2)]
    ).json()["results"]
    assert (back["status"], back["object"]["deleted"]) == ("merged", False)


def test_a_note_edited_on_two_devices_keeps_both_texts(server: RunningServer) -> None:
    token = _token(server)
    server.push(token, [change("annotation", "n1", _note("draft"))])
    server.push(
        token, [change("annotation", "n1", _note("text from pc-2"), base_version=1)], device="pc-2"
    )
    mine = change("annotation", "n1", _note("text from pc-1"), base_version=1)
    results = server.push(token, [mine]).json()["results"]
    assert [(r["status"], r["version"]) for r in results] == [("merged", 3), ("created", 4)]
    merged, created = results
    assert merged["object"]["data"]["body"] == "text from pc-2"
    assert created["op_id"] == mine["op_id"]
    assert created["object"]["id"] == conflict_copy_id(mine["op_id"])
    assert created["object"]["data"]["body"] == "text from pc-1"
    assert created["object"]["data"]["conflict_of"] == "n1"
    # a retry makes no second copy: the same results, the copy again as created
    again = server.push(token, [mine]).json()["results"]
    assert [(r["status"], r["version"]) for r in again] == [("duplicate", 3), ("created", 4)]
    bodies = {c["id"]: c["data"]["body"] for c in server.pull(token).json()["changes"]}
    assert bodies == {"n1": "text from pc-2", created["object"]["id"]: "text from pc-1"}


def test_pull_pages_with_limit_and_cursor(server: RunningServer) -> None:
    token = _token(server)
    server.push(token, [change("annotation", f"b{i:02}", {"kind": "bookmark"}) for i in range(25)])
    seen: list[int] = []
    since, pages = 0, 0
    while True:
        page = server.pull(token, since=since, limit=10).json()
        pages += 1
        seen.extend(c["version"] for c in page["changes"])
        since = page["next"]
        if not page["more"]:
            break
    assert pages == 3
    assert seen == list(range(1, 26))
    assert since == 25
    default = server.pull(token).json()
    assert len(default["changes"]) == 25


def test_default_and_largest_page_sizes(server: RunningServer) -> None:
    token = _token(server)
    for batch in range(3):
        server.push(
            token, [change("annotation", f"b{batch}-{i}", {"kind": "bookmark"}) for i in range(200)]
        )
    default = server.pull(token).json()
    assert (len(default["changes"]), default["next"], default["more"]) == (200, 200, True)
    largest = server.pull(token, limit=500).json()
    assert (len(largest["changes"]), largest["next"], largest["more"]) == (500, 500, True)


def test_an_object_changed_many_times_comes_once_at_its_latest_version(
    server: RunningServer,
) -> None:
    token = _token(server)
    server.push(token, [change("annotation", "other", {"kind": "bookmark"})])
    version = 0
    for step in range(12):
        (result,) = server.push(
            token, [change("annotation", "h1", {"color": f"c{step}"}, base_version=version)]
        ).json()["results"]
        version = result["version"]
    server.push(token, [change("annotation", "last", {"kind": "bookmark"})])
    page = server.pull(token, since=1).json()
    assert [(c["id"], c["version"]) for c in page["changes"]] == [("h1", 13), ("last", 14)]
    assert page["changes"][0]["data"] == {"color": "c11"}


def test_a_mass_deletion_is_refused_unless_allowed(server: RunningServer) -> None:
    token = _token(server)
    server.push(token, [change("annotation", f"b{i}", {"kind": "bookmark"}) for i in range(20)])
    deletes = [
        change("annotation", f"b{i}", {"kind": "bookmark"}, base_version=i + 1, deleted=True)
        for i in range(11)
    ]
    answer = server.push(token, deletes)
    assert answer.status_code == 409
    body = answer.json()
    assert body["mass_deletion"] is True
    assert body["error"] == (
        "this push would delete 11 of the account's 20 annotation objects;"
        ' send "allow_deletions": true to go on'
    )
    assert server.pull(token, since=20).json()["changes"] == []  # nothing was deleted
    assert server.push(token, deletes[:10]).status_code == 200  # ten is never "mass"
    allowed = server.push(
        token,
        [
            change("annotation", f"b{i}", {}, base_version=i + 1, deleted=True)
            for i in range(10, 20)
        ],
        allow_deletions=True,
    )
    assert allowed.status_code == 200
    assert {r["status"] for r in allowed.json()["results"]} == {"applied"}


def test_one_user_never_sees_another_users_data(server: RunningServer) -> None:
    alice = _token(server, "alice")
    bob = _token(server, "bob")
    server.push(alice, [change("annotation", "shared-id", _note("alice's"))])
    server.push(bob, [change("annotation", "shared-id", _note("bob's"))], device="phone")
    server.push(bob, [change("annotation", "bob-2", _note("bob again"))], device="phone")
    alice_page = server.pull(alice).json()
    bob_page = server.pull(bob).json()
    assert [(c["id"], c["version"], c["data"]["body"]) for c in alice_page["changes"]] == [
        ("shared-id", 1, "alice's")
    ]
    assert [(c["id"], c["version"], c["data"]["body"]) for c in bob_page["changes"]] == [
        ("shared-id", 1, "bob's"),
        ("bob-2", 2, "bob again"),
    ]
    # alice's token writes only alice's account, whatever the body says
    op = change("annotation", "bob-2", _note("written with alice's token"), base_version=2)
    server.push(alice, [{**op, "user": "bob"}])
    assert server.pull(bob).json() == bob_page
    # an op_id is per account: bob's retry of alice's op_id is a new change for bob
    (result,) = server.push(bob, [op]).json()["results"]
    assert result["status"] == "applied"
    assert str(uuid.UUID(op["op_id"])) == op["op_id"]
