"""The wire format's round trips, and what each side does with a message that breaks it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sync.protocol import (
    LOGIN_PATH,
    PROBE_PATH,
    PROTOCOL,
    PULL_PATH,
    PUSH_PATH,
    Change,
    LoginAnswer,
    LoginRequest,
    MessageError,
    ProbeAnswer,
    Pulled,
    PullPage,
    PullRequest,
    PushAnswer,
    PushRequest,
    PushResult,
    TooManyChanges,
    iso_utc,
)

CHANGE = Change("op-1", "annotation", "a1", 0, False, {"kind": "bookmark"})
RESULT = PushResult("op-1", "applied", "annotation", "a1", 3, False, {"kind": "bookmark"})


def _wire(message: Any) -> Any:
    """What the other side reads: the message written as JSON text and read back."""
    return json.loads(json.dumps(message.to_json()))


def test_the_paths_and_the_probe_answer_are_the_documented_ones() -> None:
    assert (PROBE_PATH, LOGIN_PATH, PUSH_PATH, PULL_PATH) == (
        "/api/v1/probe",
        "/api/v1/login",
        "/api/v1/sync/push",
        "/api/v1/sync/pull",
    )
    assert ProbeAnswer().to_json() == {"server": "mutolaa", "protocol": PROTOCOL}
    assert ProbeAnswer.from_json(_wire(ProbeAnswer())).compatible
    assert not ProbeAnswer("mutolaa", PROTOCOL + 1).compatible
    assert not ProbeAnswer("calibre", PROTOCOL).compatible
    with pytest.raises(MessageError):
        ProbeAnswer.from_json({"server": "mutolaa", "protocol": "1"})


def test_every_message_comes_back_from_the_wire_the_same() -> None:
    login = LoginRequest("alice", "secret", "pc-1")
    assert LoginRequest.from_json(_wire(login)) == login
    answer = LoginAnswer("token", "alice", iso_utc(1_800_000_000))
    assert answer.expires == "2027-01-15T08:00:00Z"
    assert LoginAnswer.from_json(_wire(answer)) == answer
    push = PushRequest("pc-1", (CHANGE,), allow_deletions=True)
    assert PushRequest.from_json(_wire(push), max_changes=200) == push
    results = PushAnswer((RESULT, PushResult("op-1", "created", "annotation", "c", 4, False, {})))
    assert PushAnswer.from_json(_wire(results)) == results
    page = PullPage((Pulled(3, "annotation", "a1", False, {"kind": "bookmark"}, "pc-1"),), 3, True)
    assert PullPage.from_json(_wire(page)) == page
    assert PullRequest(5, 50).query() == "since=5&limit=50"
    assert PullRequest.from_query({"since": "5", "limit": "50"}) == PullRequest(5, 50)
    assert PullRequest.from_query({}) == PullRequest(0, 200)


def test_the_change_and_the_result_have_their_documented_shape() -> None:
    assert CHANGE.to_json() == {
        "op_id": "op-1",
        "kind": "annotation",
        "id": "a1",
        "base_version": 0,
        "deleted": False,
        "data": {"kind": "bookmark"},
    }
    assert RESULT.to_json() == {
        "op_id": "op-1",
        "status": "applied",
        "version": 3,
        "object": {
            "kind": "annotation",
            "id": "a1",
            "deleted": False,
            "data": {"kind": "bookmark"},
        },
    }


def test_secrets_stay_out_of_the_messages_reprs() -> None:
    assert "secret" not in repr(LoginRequest("alice", "secret", "pc-1"))
    assert "tok3n" not in repr(LoginAnswer("tok3n", "alice", ""))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "the request body: not a JSON object (a list)"),
        ({"changes": []}, "device: missing"),
        ({"device": "pc", "changes": {}}, "changes: not a list (an object)"),
        ({"device": "pc", "changes": [1]}, "changes[0]: not a JSON object (a number)"),
        (
            {"device": "pc", "changes": [{**CHANGE.to_json(), "base_version": True}]},
            "changes[0].base_version: not an integer (a boolean)",
        ),
        (
            {"device": "pc", "changes": [{**CHANGE.to_json(), "op_id": "x" * 129}]},
            "changes[0].op_id: longer than 128 characters",
        ),
        (
            {
                "device": "pc",
                "changes": [{**CHANGE.to_json(), "kind": "progress", "data": {"fraction": "1"}}],
            },
            "changes[0].data.fraction: not a number (a string)",
        ),
    ],
)
def test_a_request_that_breaks_the_protocol_says_what_and_where(body: Any, message: str) -> None:
    with pytest.raises(MessageError) as caught:
        PushRequest.from_json(body, max_changes=200)
    assert str(caught.value) == message


def test_too_many_changes_are_refused_before_any_is_read() -> None:
    with pytest.raises(TooManyChanges, match="3 changes, at most 2"):
        PushRequest.from_json({"device": "pc", "changes": [1, 2, 3]}, max_changes=2)


def test_answers_are_read_leniently_but_not_blindly() -> None:
    # a newer server may add fields; an absent optional field takes its default
    page = PullPage.from_json(
        {"changes": [{"version": 2, "kind": "holding", "id": "h", "extra": 1}], "next": 2}
    )
    assert page == PullPage((Pulled(2, "holding", "h", False, {}),), 2, False)
    for answer, reader, message in (
        ({"changes": []}, PullPage.from_json, "the pull answer is not a page"),
        ({}, PushAnswer.from_json, "the push answer has no results"),
        ({"token": ""}, LoginAnswer.from_json, "the login answer has no token"),
        ({"results": [{"op_id": "o"}]}, PushAnswer.from_json, "push result 0: missing or bad"),
    ):
        with pytest.raises(MessageError, match=message):
            reader(answer)


def test_a_version_of_1e400_in_an_answer_is_a_message_error_not_an_overflow() -> None:
    """Found by tests/property/test_sync_payloads.py: JSON's 1e400 is read as infinity, which
    int() cannot take (OverflowError escaped the sync)."""
    pulled = json.loads('{"changes": [{"version": 1e400, "kind": "a", "id": "x"}], "next": 1}')
    with pytest.raises(MessageError, match=r"^pulled change 0: missing or bad field \(cannot"):
        PullPage.from_json(pulled)
    results = json.loads('{"results": [{"op_id": "o", "status": "s", "version": 1e400}]}')
    with pytest.raises(MessageError, match=r"^push result 0: missing or bad field \(cannot"):
        PushAnswer.from_json(results)
