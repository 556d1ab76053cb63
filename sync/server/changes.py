"""The sync API's work without HTTP: request bodies, the server's limits, a push, a pull.

The messages themselves are `sync.protocol`'s; this module adds the server's policy: the most
changes in one push, the largest pull page and the account's quota (the bytes of its objects'
data as stored, latest versions; 413 when a push would go over it). Every bad input is a
`RequestError` whose message says what is wrong and where, in one line
(``changes[3].base_version: not an integer``). A push runs in one transaction of the storage:
repeated op_ids answer their stored results as ``duplicate``; the other changes go through the
conflict rules (`sync.conflicts.resolve`) and get the account's next versions; a push that would
delete too much is refused before anything is written (`MassDeletionError`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, Final, TypeVar

from sync.conflicts import Copy, Incoming, Resolution, Stored, mass_deletion, resolve
from sync.jsondoc import MAX_DEPTH, TooDeepError, loads
from sync.protocol import (
    Change,
    LoginRequest,
    MessageError,
    Pulled,
    PullPage,
    PullRequest,
    PushRequest,
    PushResult,
    TooManyChanges,
)
from sync.server.storage import AccountWriter, ObjectRecord, Storage

MAX_BODY: Final = 4 * 1024 * 1024
"""The largest request body (4 MiB); a larger one is answered 413."""
MAX_BODY_DEPTH: Final = MAX_DEPTH - 20
"""The deepest nesting of a request body (80): below what clients read (`MAX_DEPTH`), because
what a push stores comes back a level deeper in the push's answer and in pull pages."""
MAX_CHANGES: Final = 200
"""The most changes a push may carry; more are answered 413."""
MAX_PULL: Final = 500
"""The largest pull page a client may ask for."""
DEFAULT_QUOTA: Final = 100 * 1_000_000
"""The most bytes of notes an account may store unless `mutolaa-server serve --quota` says."""

_In = TypeVar("_In")
_Message = TypeVar("_Message")


class RequestError(Exception):
    """A request the server refuses; `status` is its HTTP status (400 unless said)."""

    status = 400


class TooLargeError(RequestError):
    """Too many changes in one push, or too large a body."""

    status = 413


class QuotaError(RequestError):
    """A push that would take the account's stored notes over its quota."""

    status = 413


class MassDeletionError(RequestError):
    """A push whose deletes would remove more than half of a kind (and more than 10)."""

    status = 409

    def __init__(self, message: str, kind: str, live: int, deleting: int) -> None:
        super().__init__(message)
        self.kind = kind
        self.live = live
        self.deleting = deleting


def parse_json(body: bytes) -> Any:
    """The JSON document of a request body, or RequestError saying why it is not one."""
    if not body:
        raise RequestError("the request body is empty: a JSON object was expected")
    try:
        document = loads(body, max_depth=MAX_BODY_DEPTH, parse_constant=_refuse_constant)
    except TooDeepError as exc:
        raise RequestError(f"the request body is {exc}") from None
    except UnicodeDecodeError:
        raise RequestError("the request body is not UTF-8 text") from None
    except ValueError as exc:
        raise RequestError(f"the request body is not valid JSON: {exc}") from None
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise RequestError("the request body holds a lone surrogate (\\ud800-\\udfff)") from None
    return document


def parse_login(document: Any) -> LoginRequest:
    """The checked login of a login body."""
    return _checked(LoginRequest.from_json, document)


def parse_push(document: Any) -> PushRequest:
    """The checked push of a push body (413 for more than `MAX_CHANGES` changes)."""
    return _checked(partial(PushRequest.from_json, max_changes=MAX_CHANGES), document)


def parse_pull(args: Mapping[str, str]) -> PullRequest:
    """The checked query of a pull: since ≥ 0 (default 0), 1 ≤ limit ≤ `MAX_PULL` (default 200)."""
    wanted = _checked(PullRequest.from_query, args)
    if wanted.limit < 1 or wanted.limit > MAX_PULL:
        raise RequestError(f"limit: {wanted.limit} is not between 1 and {MAX_PULL}")
    return wanted


def apply_push(
    storage: Storage, user_id: int, request: PushRequest, *, quota: int | None = None
) -> list[PushResult]:
    """Apply a push in one transaction; the results: one per change in order, then copies.

    Args:
        storage: the server's storage.
        user_id: the pushing account.
        request: the checked push.
        quota: the most bytes of data the account may store (None: no limit); a push that
            leaves it over the quota and larger than before is refused, so a push that frees
            space always goes through.

    Raises:
        MassDeletionError: the deletes would remove too much and `allow_deletions` is false.
        QuotaError: the push would take the account over its quota (nothing is written).
        RequestError: the conflict rules refused a change (nothing is written).
    """
    results: list[PushResult] = []
    created: list[PushResult] = []
    with storage.account(user_id) as account:
        if not request.allow_deletions:
            _refuse_mass_deletion(account, request.changes)
        before = account.stored_bytes()
        for index, change in enumerate(request.changes):
            main, copies = _apply(account, request.device, change, f"changes[{index}]")
            results.append(main)
            created.extend(copies)
        after = account.stored_bytes()
        if quota is not None and after > quota and after > before:
            raise QuotaError(f"the account's notes are over its quota of {megabytes(quota)}")
    return results + created


def megabytes(size: int) -> str:
    """A size in bytes as people read a quota: ``100 MB`` (1 MB = 1,000,000 bytes)."""
    return f"{size / 1_000_000:g} MB"


def pull(storage: Storage, user_id: int, wanted: PullRequest) -> PullPage:
    """A page of the account's objects changed after ``wanted.since``."""
    rows = storage.changes_since(user_id, wanted.since, wanted.limit + 1)
    more = len(rows) > wanted.limit
    rows = rows[: wanted.limit]
    return PullPage(
        tuple(Pulled(r.version, r.kind, r.id, r.deleted, r.data, r.device) for r in rows),
        rows[-1].version if rows else wanted.since,
        more,
    )


def _checked(read: Callable[[_In], _Message], document: _In) -> _Message:
    """`read` a request's message; what breaks the protocol is refused (400, or 413)."""
    try:
        return read(document)
    except TooManyChanges as exc:
        raise TooLargeError(str(exc)) from None
    except MessageError as exc:
        raise RequestError(str(exc)) from None


def _refuse_mass_deletion(account: AccountWriter, changes: Sequence[Change]) -> None:
    """Raise `MassDeletionError` when the new deletes of a kind would remove too much."""
    deleting: dict[str, set[str]] = {}
    for change in changes:
        if not change.deleted or account.operation(change.op_id) is not None:
            continue  # a repeated op_id deletes nothing more
        current = account.current(change.kind, change.id)
        if current is not None and not current.deleted:
            deleting.setdefault(change.kind, set()).add(change.id)
    for kind, ids in deleting.items():
        live = account.live_count(kind)
        if mass_deletion(live, len(ids)):
            raise MassDeletionError(
                f"this push would delete {len(ids)} of the account's {live} {kind} objects;"
                ' send "allow_deletions": true to go on',
                kind,
                live,
                len(ids),
            )


def _apply(
    account: AccountWriter, device: str, change: Change, where: str
) -> tuple[PushResult, list[PushResult]]:
    """One change: its result and the conflict copies it made (a repeated op_id's as before)."""
    earlier = account.operation(change.op_id)
    if earlier is not None:
        main, *copies = (PushResult.from_json(item, f"{where} (stored)") for item in earlier)
        return dataclasses.replace(main, status="duplicate"), copies
    current = account.current(change.kind, change.id)
    resolution = _resolve(account, change, current, where)
    main = _store(account, device, change, resolution, current)
    copies = [_store_copy(account, device, change, copy) for copy in resolution.copies]
    account.save_operation(change.op_id, [result.to_json() for result in (main, *copies)])
    return main, copies


def _store(
    account: AccountWriter,
    device: str,
    change: Change,
    resolution: Resolution,
    current: ObjectRecord | None,
) -> PushResult:
    """Write what the rules decided (nothing when the server's copy was kept); its result."""
    if resolution.status == "kept" and current is not None:
        version, deleted, data = current.version, current.deleted, current.data
    else:
        deleted, data = resolution.deleted, dict(resolution.data)
        version = account.write(
            change.kind, change.id, deleted=deleted, data=data, device=device, op_id=change.op_id
        )
    return PushResult(
        change.op_id, resolution.status, change.kind, change.id, version, deleted, data
    )


def _store_copy(account: AccountWriter, device: str, change: Change, copy: Copy) -> PushResult:
    """Write a conflict copy the rules made; its result (``created``)."""
    version = account.write(
        change.kind, copy.id, deleted=False, data=copy.data, device=device, op_id=change.op_id
    )
    return PushResult(
        change.op_id, "created", change.kind, copy.id, version, False, dict(copy.data)
    )


def _resolve(
    account: AccountWriter, change: Change, current: ObjectRecord | None, where: str
) -> Resolution:
    """The conflict rules' answer for `change` over the account's `current` copy."""
    base = (
        account.data_at(change.kind, change.id, change.base_version)
        if change.base_version > 0
        else None
    )
    stored = (
        Stored(current.kind, current.id, current.version, current.deleted, current.data)
        if current is not None
        else None
    )
    incoming = Incoming(
        change.op_id, change.kind, change.id, change.base_version, change.deleted, change.data
    )
    try:
        return resolve(stored, incoming, base)
    except ValueError as exc:
        raise RequestError(f"{where}: {exc}") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
