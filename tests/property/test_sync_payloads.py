"""Property: whatever a client sends the library server (sync bodies and queries, KOReader
progress) and whatever a server answers a client (sync answers, KOReader progress), the reader
gives a message or one line — never another exception, never a 500 (issue 13, tests)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import example, given
from hypothesis import strategies as st

from sync.engine import SyncFailed, _json
from sync.koreader import RemoteProgress, _progress
from sync.protocol import (
    LoginAnswer,
    LoginRequest,
    LogoutAnswer,
    MessageError,
    ProbeAnswer,
    PullPage,
    PullRequest,
    PushAnswer,
    PushRequest,
)
from sync.server.accounts import Accounts
from sync.server.app import create_app
from sync.server.changes import RequestError, parse_json, parse_login, parse_pull, parse_push
from sync.server.storage import Storage
from tests.property.strategies import (
    assert_one_line,
    encoded_json,
    json_objects,
    json_values,
    numbers,
    outcome,
    random_bytes,
    scalars,
    strings,
)

SYNC_KEYS = [
    "device",
    "changes",
    "allow_deletions",
    "op_id",
    "kind",
    "id",
    "base_version",
    "deleted",
    "data",
    "fraction",
    "position",
    "book",
    "sha256",
    "user",
    "password",
    "token",
    "expires",
    "server",
    "protocol",
    "results",
    "status",
    "version",
    "object",
    "next",
    "more",
    "revoked",
]
kinds = st.sampled_from(["annotation", "progress", "holding", "shelf", ""]) | strings
changes = json_objects(
    SYNC_KEYS,
    {
        "op_id": strings,
        "kind": kinds,
        "id": strings,
        "base_version": numbers,
        "deleted": st.booleans() | strings,
        "data": json_objects(SYNC_KEYS, {"fraction": numbers}),
    },
)
push_bodies = json_objects(SYNC_KEYS, {"device": strings, "changes": st.lists(changes, max_size=4)})
login_bodies = json_objects(SYNC_KEYS, {"user": strings, "password": strings, "device": strings})
any_sync_json = json_values(SYNC_KEYS)


# -- the server's readers of request bodies and queries ---------------------------------------


@given(st.one_of(random_bytes, encoded_json(push_bodies), encoded_json(any_sync_json)))
@example(b"[" * 100_000)
def test_server_reads_a_push_body(body: bytes) -> None:
    got = outcome(lambda: parse_push(parse_json(body)), RequestError)
    if isinstance(got, RequestError):
        assert_one_line(got)
        return
    assert isinstance(got, PushRequest)


@given(st.one_of(random_bytes, encoded_json(login_bodies), encoded_json(any_sync_json)))
def test_server_reads_a_login_body(body: bytes) -> None:
    got = outcome(lambda: parse_login(parse_json(body)), RequestError)
    if isinstance(got, RequestError):
        assert_one_line(got)
        return
    assert isinstance(got, LoginRequest)


@given(st.dictionaries(st.sampled_from(["since", "limit", "x"]) | strings, numbers.map(str)))
def test_server_reads_a_pull_query(args: dict[str, str]) -> None:
    got = outcome(lambda: parse_pull(args), RequestError)
    if isinstance(got, RequestError):
        assert_one_line(got)
        return
    assert isinstance(got, PullRequest)


# -- the client's readers of the server's answers ---------------------------------------------

results = json_objects(
    SYNC_KEYS,
    {
        "op_id": strings,
        "status": strings,
        "version": numbers,
        "object": json_objects(SYNC_KEYS, {"data": json_objects(SYNC_KEYS)}),
    },
)
pulled = json_objects(
    SYNC_KEYS,
    {"version": numbers, "kind": kinds, "id": strings, "data": json_objects(SYNC_KEYS)},
)
#: Each reader with answers of its own shape (and anything at all, now and then).
answers = st.one_of(
    st.tuples(
        st.just(PushAnswer.from_json),
        json_objects(SYNC_KEYS, {"results": st.lists(results, min_size=1, max_size=3)}),
    ),
    st.tuples(
        st.just(PullPage.from_json),
        json_objects(
            SYNC_KEYS,
            {"changes": st.lists(pulled, min_size=1, max_size=3), "next": numbers, "more": numbers},
        ),
    ),
    st.tuples(
        st.just(LoginAnswer.from_json),
        json_objects(SYNC_KEYS, {"token": strings, "user": strings, "expires": strings}),
    ),
    st.tuples(
        st.just(ProbeAnswer.from_json),
        json_objects(SYNC_KEYS, {"server": strings, "protocol": numbers}),
    ),
    st.tuples(st.just(LogoutAnswer.from_json), json_objects(SYNC_KEYS, {"revoked": scalars})),
    st.tuples(
        st.sampled_from(
            [
                PushAnswer.from_json,
                PullPage.from_json,
                LoginAnswer.from_json,
                ProbeAnswer.from_json,
                LogoutAnswer.from_json,
            ]
        ),
        any_sync_json,
    ),
).flatmap(lambda pair: st.tuples(st.just(pair[0]), encoded_json(st.just(pair[1])) | random_bytes))


@given(answers)
@example(
    (PullPage.from_json, b'{"changes": [{"version": 1e400, "kind": "a", "id": "x"}], "next": 1}')
)
@example((PushAnswer.from_json, b'{"results": [{"op_id": "o", "status": "s", "version": 1e400}]}'))
def test_client_reads_an_answer(answer: tuple[Any, bytes]) -> None:
    """As `SyncServer` reads an answer: the JSON object, then the message (whose
    MessageError it turns into SyncFailed)."""
    read, content = answer
    got = outcome(
        lambda: read(_json(content, "pull", "http://127.0.0.1:1/")), (SyncFailed, MessageError)
    )
    if isinstance(got, SyncFailed | MessageError):
        assert_one_line(got)
        return
    assert isinstance(got, PushAnswer | PullPage | LoginAnswer | ProbeAnswer | LogoutAnswer)


# -- KOReader progress: what KOReader sends our server, what a server answers our client ------

DOCUMENT = "0b229176d4e8db7f6d2b5a4952368d7a"
KOREADER_KEYS = ["document", "progress", "percentage", "device", "device_id", "timestamp"]
progress_documents = json_objects(
    KOREADER_KEYS,
    {
        "document": st.just(DOCUMENT) | strings,
        "progress": strings | numbers,
        "percentage": numbers,
        "device": strings,
        "timestamp": numbers,
    },
)


@pytest.fixture(scope="module")
def koreader_server(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """The server's app with one KOReader-enabled user, through Flask's test client: the
    property is about the server's reading of bodies, and a real HTTP round trip for each of
    hundreds of examples would cost minutes (tests/server covers the real HTTP)."""
    data = Path(tmp_path_factory.mktemp("koreader-server"))
    app = create_app(data, catalog=False)
    accounts = Accounts(Storage(data))
    accounts.add("talaba", "kutubxona-parol")
    accounts.set_koreader("talaba", "kobo pass")
    return app.test_client()


KEY = hashlib.md5(b"kobo pass", usedforsecurity=False).hexdigest()


@given(body=st.one_of(random_bytes, encoded_json(progress_documents)))
@example(body=b"[" * 100_000)
def test_server_reads_a_koreader_progress(koreader_server: FlaskClient, body: bytes) -> None:
    answer = koreader_server.put(
        "/syncs/progress",
        data=body,
        headers={"x-auth-user": "talaba", "x-auth-key": KEY, "Content-Type": "application/json"},
    )
    assert answer.status_code in (200, 403), answer.status_code
    document = answer.get_json()
    assert isinstance(document, dict)
    if answer.status_code == 403:
        assert document["code"] in (2003, 2004)
        assert len(document["message"].splitlines()) == 1


@given(encoded_json(progress_documents | json_values(KOREADER_KEYS)).map(json.loads))
@example({"percentage": 0.5, "progress": "3", "timestamp": float("inf")})
def test_client_reads_a_koreader_progress(answer: Any) -> None:
    """`KoreaderClient.get_progress` turns exactly these errors into its one line."""
    if not isinstance(answer, dict) or answer.get("percentage") is None:
        return
    got = outcome(lambda: _progress(answer, DOCUMENT), (KeyError, TypeError, ValueError))
    if isinstance(got, RemoteProgress):
        assert got.document == DOCUMENT
    else:
        assert len(str(got).splitlines()) <= 1
