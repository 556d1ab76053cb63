"""Deeply nested request bodies (issue 13, item 2) over real HTTP: one line, never a 500, nothing
stored; and what the server does take, every client can read back."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import requests

from sync.engine import SyncServer
from sync.http import HttpClient, HttpPolicy
from sync.jsondoc import MAX_DEPTH
from sync.server.changes import MAX_BODY_DEPTH
from tests.server.conftest import RunningServer, change

TOO_DEEP = f"the request body is nested deeper than {MAX_BODY_DEPTH} levels"


def nested(depth: int) -> Any:
    """A value of `depth` levels of arrays and objects, alternating (an object outermost)."""
    value: Any = "x"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def depth_of(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


def _push(server: RunningServer, token: str, body: bytes) -> requests.Response:
    return server.session.post(
        f"{server.url}/api/v1/sync/push",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        timeout=30,
    )


def test_a_deep_push_is_400_with_one_line_and_nothing_is_stored(server: RunningServer) -> None:
    server.add_user("alice")
    token = server.login("alice")
    deep_note = change("annotation", "n1", {"kind": "note", "body": nested(900)})
    for body in (b"[" * 100_000, json.dumps({"device": "pc-1", "changes": [deep_note]}).encode()):
        answer = _push(server, token, body)
        assert answer.status_code == 400
        assert answer.json() == {"error": TOO_DEEP}
    assert server.pull(token).json()["changes"] == []


def test_what_the_server_takes_at_its_deepest_every_client_reads_back(
    server: RunningServer,
) -> None:
    server.add_user("alice")
    token = server.login("alice")
    note = change("annotation", "n1", {"kind": "note", "body": nested(MAX_BODY_DEPTH - 4)})
    body = {"device": "pc-1", "changes": [note]}
    assert depth_of(body) == MAX_BODY_DEPTH
    answer = _push(server, token, json.dumps(body).encode())
    assert answer.status_code == 200, answer.text
    assert depth_of(answer.json()) <= MAX_DEPTH
    one_deeper = change("annotation", "n2", {"kind": "note", "body": nested(MAX_BODY_DEPTH - 3)})
    refused = _push(server, token, json.dumps({"device": "pc-1", "changes": [one_deeper]}).encode())
    assert refused.json() == {"error": TOO_DEEP}
    with HttpClient(HttpPolicy(max_retries=0)) as http:
        page = SyncServer(server.url, http, token).pull(0)  # the client's own depth check
    assert [pulled.data for pulled in page.changes] == [note["data"]]


def test_a_deep_koreader_body_is_refused_in_one_line(server: RunningServer) -> None:
    server.add_user("alice")
    server.accounts.set_koreader("alice", "kobo pass")
    key = hashlib.md5(b"kobo pass", usedforsecurity=False).hexdigest()
    headers = {"x-auth-user": "alice", "x-auth-key": key, "Content-Type": "application/json"}
    progress = {"document": "ab" * 16, "progress": nested(500), "percentage": 0.5, "device": "k"}
    for body in (b"[" * 100_000, json.dumps(progress).encode()):
        answer = requests.put(
            f"{server.url}/syncs/progress", data=body, headers=headers, timeout=10
        )
        # KOReader's plugin knows only its server's statuses: a bad request is its 403/2003
        assert answer.status_code == 403
        assert answer.json()["code"] == 2003
        assert answer.json()["message"] == TOO_DEEP
