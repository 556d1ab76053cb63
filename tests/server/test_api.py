"""The sync API over real HTTP: probe, login, tokens, request checking (the login limit:
test_login_limit.py)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from sync.server.accounts import FREE_FAILURES, TOKEN_LIFETIME, Accounts
from sync.server.app import create_app
from sync.server.storage import Storage
from tests.server.conftest import PASSWORD, RunningServer, change


def test_probe_answers_without_authentication(server: RunningServer) -> None:
    answer = requests.get(f"{server.url}/api/v1/probe", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json() == {"server": "mutolaa", "protocol": 1}


def test_login_gives_a_token_that_works(server: RunningServer) -> None:
    server.add_user("Alice")
    answer = server.session.post(
        f"{server.url}/api/v1/login",
        json={"user": "alice", "password": PASSWORD, "device": "pc-1"},
        timeout=10,
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["user"] == "Alice"
    assert body["expires"] == "2027-04-15T08:00:00Z"  # the injected clock + 90 days
    assert len(body["token"]) >= 43
    assert server.pull(body["token"]).status_code == 200


def test_wrong_password_and_unknown_user_are_401(server: RunningServer) -> None:
    server.add_user("alice")
    for user, password in (("alice", "not the password"), ("nobody", PASSWORD)):
        answer = server.session.post(
            f"{server.url}/api/v1/login",
            json={"user": user, "password": password, "device": "pc-1"},
            timeout=10,
        )
        assert answer.status_code == 401
        assert answer.json() == {"error": "wrong user name or password"}


def test_a_disabled_user_cannot_log_in_and_its_tokens_stop(server: RunningServer) -> None:
    server.add_user("alice")
    token = server.login("alice")
    server.accounts.set_disabled("alice", True)
    refused = server.pull(token)
    assert refused.status_code == 403
    assert refused.json() == {"error": "the account 'alice' is disabled"}
    answer = server.session.post(
        f"{server.url}/api/v1/login",
        json={"user": "alice", "password": PASSWORD, "device": "pc-1"},
        timeout=10,
    )
    assert answer.status_code == 403
    assert "disabled" in answer.json()["error"]
    server.accounts.set_disabled("alice", False)
    assert server.pull(token).status_code == 200


def test_a_token_expires_after_90_days(server: RunningServer) -> None:
    server.add_user("alice")
    token = server.login("alice")
    server.clock.advance(TOKEN_LIFETIME - 1)
    assert server.pull(token).status_code == 200
    server.clock.advance(1)
    answer = server.pull(token)
    assert answer.status_code == 401
    assert answer.json() == {"error": "the token is unknown or has expired: log in again"}
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_no_token_or_a_made_up_one_is_401(server: RunningServer) -> None:
    answer = requests.get(f"{server.url}/api/v1/sync/pull", timeout=10)
    assert answer.status_code == 401
    assert answer.json()["error"].startswith("no token")
    assert server.pull("made-up").status_code == 401
    assert server.push("made-up", []).status_code == 401


def _post_raw(server: RunningServer, path: str, body: bytes, token: str = "") -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return server.session.post(f"{server.url}{path}", data=body, headers=headers, timeout=30)


def test_bad_bodies_are_400_with_what_and_where(server: RunningServer) -> None:
    server.add_user("alice")
    token = server.login("alice")
    good = change("annotation", "a1", {"kind": "bookmark"})
    cases = {
        b"": "the request body is empty: a JSON object was expected",
        b"{not json": "the request body is not valid JSON: Expecting property name enclosed in "
        "double quotes: line 1 column 2 (char 1)",
        b"[]": "the request body: not a JSON object (a list)",
        b'{"changes": []}': "device: missing",
        b'{"device": 5, "changes": []}': "device: not a string (a number)",
        b'{"device": "pc", "changes": {}}': "changes: not a list (an object)",
        b'{"device": "pc", "changes": [], "allow_deletions": "yes"}': (
            "allow_deletions: not true or false (a string)"
        ),
        b'{"device": "pc", "changes": [1]}': "changes[0]: not a JSON object (a number)",
        b'{"device": "pc", "changes": [{"x": 1, "n": NaN}]}': (
            "the request body is not valid JSON: NaN is not a JSON number"
        ),
        b'{"device": "pc", "changes": ["\\ud800"]}': (
            "the request body holds a lone surrogate (\\ud800-\\udfff)"
        ),
    }
    for body, message in cases.items():
        answer = _post_raw(server, "/api/v1/sync/push", body, token)
        assert answer.status_code == 400, body
        assert answer.json() == {"error": message}, body
    wrong_fields = [
        ({**good, "base_version": "3"}, "changes[1].base_version: not an integer (a string)"),
        ({**good, "base_version": -1}, "changes[1].base_version: -1 is negative"),
        ({**good, "deleted": 0}, "changes[1].deleted: not true or false (a number)"),
        (
            {**good, "kind": "bookcase"},
            "changes[1].kind: 'bookcase' is not one of annotation, progress, holding, shelf",
        ),
        ({**good, "data": []}, "changes[1].data: not a JSON object (a list)"),
        ({**good, "id": ""}, "changes[1].id: empty"),
        ({k: v for k, v in good.items() if k != "op_id"}, "changes[1].op_id: missing"),
        (
            change("progress", "sha256:ab", {"fraction": 1.5}),
            "changes[1].data.fraction: 1.5 is not between 0 and 1",
        ),
        (
            change("progress", "sha256:ab", {}),
            "changes[1].data.fraction: missing (a progress needs one)",
        ),
    ]
    for wrong, message in wrong_fields:
        answer = server.push(token, [good, wrong])
        assert answer.status_code == 400, wrong
        assert answer.json() == {"error": message}
    # nothing of a refused push was stored
    assert server.pull(token).json()["changes"] == []


def test_bad_pull_queries_are_400(server: RunningServer) -> None:
    server.add_user("alice")
    token = server.login("alice")
    headers = {"Authorization": f"Bearer {token}"}
    for query, message in (
        ("since=-1", "since: '-1' is not a whole number of 0 or more"),
        ("since=abc", "since: 'abc' is not a whole number of 0 or more"),
        ("limit=501", "limit: 501 is not between 1 and 500"),
        ("limit=0", "limit: 0 is not between 1 and 500"),
    ):
        answer = server.session.get(
            f"{server.url}/api/v1/sync/pull?{query}", headers=headers, timeout=10
        )
        assert answer.status_code == 400
        assert answer.json() == {"error": message}


def test_bad_login_bodies_are_400(server: RunningServer) -> None:
    answer = _post_raw(server, "/api/v1/login", b'{"user": "a", "password": 1, "device": "d"}')
    assert answer.status_code == 400
    assert answer.json() == {"error": "password: not a string (a number)"}


def test_more_than_200_changes_or_4_mib_are_413(server: RunningServer) -> None:
    server.add_user("alice")
    token = server.login("alice")
    many = [change("annotation", f"a{i}", {"kind": "bookmark"}) for i in range(201)]
    answer = server.push(token, many)
    assert answer.status_code == 413
    assert answer.json() == {"error": "changes: 201 changes, at most 200 in one push"}
    body = json.dumps(
        {"device": "pc", "changes": [change("annotation", "a", {"body": "x" * (4 * 2**20)})]}
    ).encode()
    answer = _post_raw(server, "/api/v1/sync/push", body, token)
    assert answer.status_code == 413
    assert answer.json() == {"error": "the request body is larger than 4 MiB"}
    assert server.push(token, many[:200]).status_code == 200


def test_unknown_paths_and_methods_answer_json(server: RunningServer) -> None:
    answer = requests.get(f"{server.url}/api/v1/nothing", timeout=10)
    assert answer.status_code == 404
    assert answer.json() == {"error": "no such endpoint: GET /api/v1/nothing"}
    answer = requests.post(f"{server.url}/api/v1/probe", timeout=10)
    assert answer.status_code == 405
    assert answer.json() == {"error": "POST is not allowed for /api/v1/probe"}
    assert "GET" in answer.headers["Allow"]


def test_an_unexpected_error_is_500_without_a_traceback(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    server.add_user("alice")
    token = server.login("alice")

    def broken(*args: object) -> object:
        raise RuntimeError("disk on fire at /srv/secret/path")

    monkeypatch.setattr(Storage, "changes_since", broken)  # the fault injected
    answer = server.pull(token)
    assert answer.status_code == 500
    assert answer.json() == {"error": "internal server error (the server's log says more)"}
    assert "fire" not in answer.text
    assert "disk on fire" in caplog.text  # the server's log has it
    assert token not in caplog.text


def test_behind_a_proxy_the_limit_counts_the_forwarded_address(tmp_path: Path) -> None:
    app = create_app(tmp_path / "data", catalog=False, behind_proxy=True)
    Accounts(Storage(tmp_path / "data")).add("alice", PASSWORD)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{http.server_port}/api/v1/login"

        def login(name: str, password: str, address: str) -> int:
            answer = requests.post(
                url,
                json={"user": name, "password": password, "device": "pc"},
                headers={"X-Forwarded-For": address},
                timeout=10,
            )
            return answer.status_code

        for _ in range(FREE_FAILURES):
            assert login("alice", "wrong password", "10.0.0.66") == 401
        assert login("alice", PASSWORD, "10.0.0.66") == 429
        assert login("alice", PASSWORD, "10.0.0.7") == 200  # alice elsewhere, behind the proxy
    finally:
        http.shutdown()
        thread.join(timeout=10)
        http.server_close()


def test_numbers_out_of_range_are_400_not_500(server: RunningServer) -> None:
    server.add_user("alice")
    token = server.login("alice")
    head = '{"device": "pc", "changes": [{"op_id": "o1", "kind": "annotation", "id": "a",'
    cases = {
        '"deleted": false, "base_version": 0, "data": {"x": 1e400}}]}': (
            "changes[0].data.x: a number out of range (inf)"
        ),
        '"deleted": false, "base_version": 0, "data": {"x": [1, {"y": -1e999}]}}]}': (
            "changes[0].data.x[1].y: a number out of range (-inf)"
        ),
        f'"deleted": false, "base_version": {2**63}, "data": {{}}}}]}}': (
            f"changes[0].base_version: {2**63} is larger than {2**63 - 1}"
        ),
        '"deleted": true, "base_version": 1e400, "data": {}}]}': (
            "changes[0].base_version: not an integer (a number)"
        ),
    }
    for tail, message in cases.items():
        answer = _post_raw(server, "/api/v1/sync/push", (head + tail).encode(), token)
        assert answer.status_code == 400, tail
        assert answer.json() == {"error": message}, tail
    # the largest version is a number like any other: no such version, so the change is stale
    largest = change("annotation", "a", {"x": 1}, base_version=2**63 - 1)
    assert server.push(token, [largest]).status_code == 200
