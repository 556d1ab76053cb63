"""The account quota over real HTTP: a push that would go over it is refused with one line,
deletions free space, the client shows the line; a schema 1 database is brought to schema 2."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from sync.engine import Outgoing, SyncFailed, SyncServer
from sync.http import HttpClient, HttpPolicy
from sync.server.accounts import Accounts, BadCredentialsError
from sync.server.app import create_app
from sync.server.storage import DATABASE_NAME, SCHEMA_VERSION, Storage
from tests.server.conftest import PASSWORD, Clock, RunningServer, change

QUOTA = 2_000  # bytes
OVER = {"error": "the account's notes are over its quota of 0.002 MB"}


@pytest.fixture
def small(tmp_path: Path) -> Iterator[RunningServer]:
    """A server whose accounts may store 2,000 bytes of notes."""
    clock = Clock()
    data_dir = tmp_path / "server-data"
    http = make_server(
        "127.0.0.1", 0, create_app(data_dir, catalog=False, clock=clock, quota=QUOTA), threaded=True
    )
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    running = RunningServer(
        f"http://127.0.0.1:{http.server_port}", data_dir, clock, Accounts(Storage(data_dir), clock)
    )
    try:
        yield running
    finally:
        running.session.close()
        http.shutdown()
        thread.join(timeout=10)
        http.server_close()


def _note(object_id: str, size: int, **options: object) -> dict[str, object]:
    return change("annotation", object_id, {"body": "n" * size}, **options)  # type: ignore[arg-type]


def test_a_push_over_the_quota_is_413_and_stores_nothing(small: RunningServer) -> None:
    small.add_user("alice")
    token = small.login("alice")
    first = small.push(token, [_note("a", 1200)])
    assert first.status_code == 200
    refused = small.push(token, [_note("b", 500), _note("c", 500)])
    assert refused.status_code == 413
    assert refused.json() == OVER
    assert [c["id"] for c in small.pull(token).json()["changes"]] == ["a"]
    # another account has its own quota
    small.add_user("bob")
    assert small.push(small.login("bob"), [_note("b", 1500)]).status_code == 200


def test_smaller_edits_and_deletions_free_space(small: RunningServer) -> None:
    small.add_user("alice")
    token = small.login("alice")
    version = small.push(token, [_note("a", 1800)]).json()["results"][0]["version"]
    assert small.push(token, [_note("b", 600)]).status_code == 413
    shrunk = small.push(token, [_note("a", 900, base_version=version)])
    assert shrunk.status_code == 200
    assert small.push(token, [_note("b", 600)]).status_code == 200
    assert small.push(token, [_note("c", 600)]).status_code == 413
    version = shrunk.json()["results"][0]["version"]
    deleted = change("annotation", "a", {}, base_version=version, deleted=True)
    assert small.push(token, [deleted]).status_code == 200
    assert small.push(token, [_note("c", 600)]).status_code == 200


def test_a_push_that_frees_space_passes_even_over_the_quota(small: RunningServer) -> None:
    small.add_user("alice")
    token = small.login("alice")
    user = small.accounts.find("alice")
    with small.accounts.storage.account(user.id) as account:  # over it already (it was lowered)
        account.write(
            "annotation", "a", deleted=False, data={"body": "n" * 5000}, device="d", op_id="o"
        )
        assert account.stored_bytes() == len('{"body":""}') + 5000
    assert small.push(token, [_note("a", 3000, base_version=1)]).status_code == 200
    assert small.push(token, [_note("b", 10)]).json() == OVER  # still over: nothing more


def test_a_schema_1_database_is_brought_to_schema_2(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DATABASE_NAME) as db:
        db.executescript((Path(__file__).parent / "schema_1.sql").read_text(encoding="utf-8"))
        db.execute(
            "INSERT INTO users (id, name, name_key, password_hash, created_at, last_version)"
            " VALUES (1, 'alice', 'alice', 'x', 0, 2), (2, 'bob', 'bob', 'x', 0, 0)"
        )
        db.executemany(
            "INSERT INTO objects VALUES (1, 'annotation', ?, ?, 0, ?, 'pc')",
            [("a", 1, '{"body":"qalam"}'), ("b", 2, '{"body":"kitob oʻqish"}')],
        )
    db.close()
    storage = Storage(tmp_path)
    with sqlite3.connect(tmp_path / DATABASE_NAME) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        totals = dict(db.execute("SELECT name, stored_bytes FROM users").fetchall())
    db.close()
    assert totals == {
        "alice": len('{"body":"qalam"}') + len('{"body":"kitob oʻqish"}'.encode()),
        "bob": 0,
    }
    with storage.account(1) as account:  # and the totals go on from there
        account.write("annotation", "a", deleted=True, data={}, device="pc", op_id="d")
        assert account.stored_bytes() == totals["alice"] - len('{"body":"qalam"}') + 2
    # the login limit's new tables are there (the old failures were dropped)
    with pytest.raises(BadCredentialsError):
        Accounts(storage).login("alice", "not her password", "pc", "10.0.0.1")


def test_the_client_shows_the_quota_line(small: RunningServer) -> None:
    small.add_user("alice")
    with HttpClient(HttpPolicy(max_retries=0)) as http:
        server = SyncServer(small.url, http)
        server.login("alice", PASSWORD, "pc-1")
        note = Outgoing("o1", "annotation", "a", 0, False, {"body": "n" * 3000}, seq=1)
        with pytest.raises(SyncFailed) as caught:
            server.push("pc-1", [note])
    assert str(caught.value) == f"{small.url}/: push: {OVER['error']}"
