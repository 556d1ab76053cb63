"""KOReader's progress sync over real HTTP, with the headers KOReader sends."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.server.conftest import PASSWORD, RunningServer

ACCEPT = "application/vnd.koreader.v1+json"
DOCUMENT = "0b229176d4e8db7f6d2b5a4952368d7a"
KOREADER_PASSWORD = "reading on the kobo"
API = Path(__file__).resolve().parents[3] / "shared/fixtures/kosync/koreader-kosync-plugin/api.json"


def _headers(user: str, password: str) -> dict[str, str]:
    key = hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()
    return {"Accept": ACCEPT, "x-auth-user": user, "x-auth-key": key}


def _enabled(server: RunningServer) -> dict[str, str]:
    server.add_user("alice")
    server.accounts.set_koreader("alice", KOREADER_PASSWORD)
    return _headers("alice", KOREADER_PASSWORD)


def test_healthcheck(server: RunningServer) -> None:
    answer = requests.get(f"{server.url}/healthcheck", headers={"Accept": ACCEPT}, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json() == {"state": "OK"}


def test_auth_with_the_md5_key(server: RunningServer) -> None:
    headers = _enabled(server)
    answer = requests.get(f"{server.url}/users/auth", headers=headers, timeout=10)
    assert answer.status_code == 200
    assert answer.json() == {"authorized": "OK"}
    wrong = requests.get(
        f"{server.url}/users/auth", headers=_headers("alice", "other password"), timeout=10
    )
    assert wrong.status_code == 401
    assert wrong.json()["code"] == 2001


def test_a_user_without_a_koreader_key_is_refused(server: RunningServer) -> None:
    server.add_user("bob")
    for password in (PASSWORD, ""):
        answer = requests.get(
            f"{server.url}/users/auth", headers=_headers("bob", password), timeout=10
        )
        assert answer.status_code == 401
    answer = requests.get(f"{server.url}/users/auth", headers={"Accept": ACCEPT}, timeout=10)
    assert answer.status_code == 401
    assert answer.json() == {"code": 2001, "message": "Unauthorized", "error": "Unauthorized"}


def test_koreader_off_again_refuses(server: RunningServer) -> None:
    headers = _enabled(server)
    server.accounts.set_koreader("alice", None)
    answer = requests.get(f"{server.url}/users/auth", headers=headers, timeout=10)
    assert answer.status_code == 401


def test_put_then_get_progress(server: RunningServer) -> None:
    headers = _enabled(server)
    empty = requests.get(f"{server.url}/syncs/progress/{DOCUMENT}", headers=headers, timeout=10)
    assert (empty.status_code, empty.json()) == (200, {})
    body = {
        "document": DOCUMENT,
        "progress": "/body/DocFragment[12]/body/p[3]/text().0",
        "percentage": 0.4213,
        "device": "Kobo Clara",
        "device_id": "5A1B",
    }
    put = requests.put(f"{server.url}/syncs/progress", json=body, headers=headers, timeout=10)
    assert put.status_code == 200
    assert put.headers["Content-Type"] == "application/json"
    assert put.json() == {"document": DOCUMENT, "timestamp": 1_800_000_000}
    server.clock.advance(30)
    got = requests.get(f"{server.url}/syncs/progress/{DOCUMENT}", headers=headers, timeout=10)
    assert got.status_code == 200
    assert got.headers["Content-Type"] == "application/json"
    assert got.json() == {**body, "timestamp": 1_800_000_000}


def test_progress_is_per_user(server: RunningServer) -> None:
    headers = _enabled(server)
    server.add_user("bob")
    server.accounts.set_koreader("bob", "bob's kindle pass")
    body = {"document": DOCUMENT, "progress": "12", "percentage": 0.1, "device": "x"}
    requests.put(f"{server.url}/syncs/progress", json=body, headers=headers, timeout=10)
    bob = requests.get(
        f"{server.url}/syncs/progress/{DOCUMENT}",
        headers=_headers("bob", "bob's kindle pass"),
        timeout=10,
    )
    assert bob.json() == {}


def test_bad_progress_bodies_are_403_with_the_reference_servers_codes(
    server: RunningServer,
) -> None:
    headers = _enabled(server)
    good = {"document": DOCUMENT, "progress": "12", "percentage": 0.5, "device": "x"}
    for body, code, message in (
        ({**good, "percentage": "half"}, 2003, "percentage: missing or not a number"),
        ({**good, "percentage": 2}, 2003, "percentage: 2 is not between 0 and 1"),
        ({**good, "percentage": "nan"}, 2003, "percentage: missing or not a number"),
        ({**good, "device": 3}, 2003, "device: missing or not a string"),
        ({**good, "document": ""}, 2004, "document: missing or not a string"),
        (
            {**good, "document": "../etc"},
            2004,
            "document: up to 128 letters, digits and _ expected (KOReader's partial MD5)",
        ),
    ):
        answer = requests.put(
            f"{server.url}/syncs/progress", json=body, headers=headers, timeout=10
        )
        assert answer.status_code == 403, body
        assert (answer.json()["code"], answer.json()["message"]) == (code, message)


def test_a_percentage_sent_as_a_numeric_string_is_taken(server: RunningServer) -> None:
    headers = _enabled(server)
    body = {"document": DOCUMENT, "progress": "12", "percentage": " 0.25 ", "device": "x"}
    put = requests.put(f"{server.url}/syncs/progress", json=body, headers=headers, timeout=10)
    assert put.status_code == 200
    got = requests.get(f"{server.url}/syncs/progress/{DOCUMENT}", headers=headers, timeout=10)
    assert got.json()["percentage"] == 0.25


def test_registration_is_refused(server: RunningServer) -> None:
    answer = requests.post(
        f"{server.url}/users/create",
        json={"username": "mallory", "password": "x"},
        headers={"Accept": ACCEPT},
        timeout=10,
    )
    assert answer.status_code == 402  # what KOReader's plugin expects (201 or 402)
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json()["code"] == 2005
    assert answer.json()["message"].startswith("User registration is disabled")
    assert "\n" not in answer.json()["message"]
    assert server.accounts.storage.find_user("mallory") is None


def test_wrong_koreader_keys_count_towards_the_login_limit(server: RunningServer) -> None:
    _enabled(server)
    for _ in range(3):  # then each attempt from this address waits (docs/server.md)
        answer = requests.get(
            f"{server.url}/users/auth", headers=_headers("alice", "guess"), timeout=10
        )
        assert answer.status_code == 401
    answer = requests.get(
        f"{server.url}/users/auth", headers=_headers("alice", KOREADER_PASSWORD), timeout=10
    )
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "1"


def _api() -> dict[str, Any]:
    """KOReader's plugin's description of the sync API (its JSON has trailing commas)."""
    if not API.is_file():
        pytest.skip(f"KOReader's api.json not found at {API} (../shared/fixtures)")
    return dict(json.loads(re.sub(r",(\s*[}\]])", r"\1", API.read_text("utf-8")))["methods"])


def test_every_answer_is_one_koreaders_plugin_expects(server: RunningServer) -> None:
    """Drive the server as api.json describes; every status must be in its expected list."""
    methods = _api()
    headers = _enabled(server)
    wrong = _headers("alice", "not the password")
    progress = {
        "document": DOCUMENT,
        "progress": "/body/DocFragment[3]/body/p[1]/text().0",
        "percentage": 0.3,
        "device": "Kobo Clara",
        "device_id": "5A1B",
    }
    calls: list[tuple[str, dict[str, str], dict[str, Any] | None, str]] = [
        ("register", {"Accept": ACCEPT}, {"username": "mallory", "password": "x"}, ""),
        ("register", {"Accept": ACCEPT}, {"username": "", "password": ""}, ""),
        ("authorize", headers, None, ""),
        ("authorize", wrong, None, ""),
        ("update_progress", headers, progress, ""),
        ("update_progress", wrong, progress, ""),
        ("get_progress", headers, None, DOCUMENT),
        ("get_progress", wrong, None, DOCUMENT),
    ]
    seen: set[tuple[str, int]] = set()
    for name, sent_headers, payload, document in calls:
        method = methods[name]
        path = method["path"].replace(":document", document)
        answer = requests.request(
            method["method"], server.url + path, json=payload, headers=sent_headers, timeout=10
        )
        assert answer.status_code in method["expected_status"], (name, answer.text)
        assert answer.headers["Content-Type"] == "application/json"
        seen.add((name, answer.status_code))
    assert seen == {
        ("register", 402),
        ("authorize", 200),
        ("authorize", 401),
        ("update_progress", 200),
        ("update_progress", 401),
        ("get_progress", 200),
        ("get_progress", 401),
    }


def test_numbers_out_of_range_in_a_progress_are_refused_not_500(server: RunningServer) -> None:
    headers = {**_enabled(server), "Content-Type": "application/json"}
    head = f'{{"document": "{DOCUMENT}", "progress": "12", "device": "x", "percentage": '
    for tail in ("1e400}", '"1e400"}', "-1e400}", f"{2**64}}}"):
        answer = requests.put(
            f"{server.url}/syncs/progress", data=head + tail, headers=headers, timeout=10
        )
        assert answer.status_code == 403, tail  # KOReader's server answers a bad field 403
        assert answer.json()["code"] == 2003, tail
        assert answer.json()["message"].startswith("percentage: "), tail
