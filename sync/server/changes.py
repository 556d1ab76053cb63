"""The sync API's work without HTTP: reading request bodies, applying a push, reading a pull.

Every bad input is a `RequestError` whose message says what is wrong and where, in one line
(``changes[3].base_version: not an integer``). A push runs in one transaction of the storage:
repeated op_ids answer their stored results as ``duplicate``; the other changes go through the
conflict rules (`sync.conflicts.resolve`) and get the account's next versions; a push that
would delete too much is refused before anything is written (`MassDeletionError`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from sync.conflicts import KINDS, Incoming, Stored, mass_deletion, resolve
from sync.server.storage import ObjectRecord, Storage

MAX_BODY: Final = 4 * 1024 * 1024
"""The largest request body (4 MiB); a larger one is answered 413."""
MAX_CHANGES: Final = 200
"""The most changes a push may carry; more are answered 413."""
MAX_PULL: Final = 500
DEFAULT_PULL: Final = 200
MAX_ID: Final = 256
MAX_OP_ID: Final = 128
MAX_DEVICE: Final = 200


class RequestError(Exception):
    """A request the server refuses; `status` is its HTTP status (400 unless said)."""

    status = 400


class TooLargeError(RequestError):
    """Too many changes in one push, or too large a body."""

    status = 413


class MassDeletionError(RequestError):
    """A push whose deletes would remove more than half of a kind (and more than 10)."""

    status = 409

    def __init__(self, message: str, kind: str, live: int, deleting: int) -> None:
        super().__init__(message)
        self.kind = kind
        self.live = live
        self.deleting = deleting


@dataclass(frozen=True)
class Change:
    """One pushed change, checked."""

    op_id: str
    kind: str
    id: str
    base_version: int
    deleted: bool
    data: dict[str, Any]


@dataclass(frozen=True)
class PushRequest:
    """A checked push: the device, its changes and whether mass deletions are allowed."""

    device: str
    changes: tuple[Change, ...]
    allow_deletions: bool


def parse_json(body: bytes) -> Any:
    """The JSON document of a request body, or RequestError saying why it is not one."""
    if not body:
        raise RequestError("the request body is empty: a JSON object was expected")
    try:
        document = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:
        raise RequestError("the request body is nested too deeply") from None
    except UnicodeDecodeError:
        raise RequestError("the request body is not UTF-8 text") from None
    except ValueError as exc:
        raise RequestError(f"the request body is not valid JSON: {exc}") from None
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise RequestError("the request body holds a lone surrogate (\\ud800-\\udfff)") from None
    return document


def parse_login(document: Any) -> tuple[str, str, str]:
    """(user, password, device) of a login body."""
    body = _object(document, "the request body")
    user = _string(body, "user", "", MAX_ID)
    password = _string(body, "password", "", 4096)
    device = _string(body, "device", "", MAX_DEVICE)
    return user, password, device


def parse_push(document: Any) -> PushRequest:
    """The checked push of a push body (413 for more than `MAX_CHANGES` changes)."""
    body = _object(document, "the request body")
    device = _string(body, "device", "", MAX_DEVICE)
    if "changes" not in body:
        raise RequestError("changes: missing")
    changes = body["changes"]
    if not isinstance(changes, list):
        raise RequestError(f"changes: not a list ({_type(changes)})")
    if len(changes) > MAX_CHANGES:
        raise TooLargeError(f"changes: {len(changes)} changes, at most {MAX_CHANGES} in one push")
    allow = body.get("allow_deletions", False)
    if not isinstance(allow, bool):
        raise RequestError(f"allow_deletions: not true or false ({_type(allow)})")
    return PushRequest(
        device=device,
        changes=tuple(_change(item, f"changes[{i}]") for i, item in enumerate(changes)),
        allow_deletions=allow,
    )


def parse_pull(args: Mapping[str, str]) -> tuple[int, int]:
    """(since, limit) of a pull's query: since ≥ 0 (default 0), 1 ≤ limit ≤ 500 (default 200)."""
    since = _query_int(args, "since", 0)
    limit = _query_int(args, "limit", DEFAULT_PULL)
    if limit < 1 or limit > MAX_PULL:
        raise RequestError(f"limit: {limit} is not between 1 and {MAX_PULL}")
    return since, limit


def apply_push(storage: Storage, user_id: int, request: PushRequest) -> list[dict[str, Any]]:
    """Apply a push in one transaction; the results: one per change in order, then copies.

    Raises:
        MassDeletionError: the deletes would remove too much and `allow_deletions` is false.
        RequestError: the conflict rules refused a change (nothing is written).
    """
    results: list[dict[str, Any]] = []
    created: list[dict[str, Any]] = []
    with storage.account(user_id) as account:
        deleting: dict[str, set[str]] = {}
        for change in request.changes:
            if not change.deleted or account.operation(change.op_id) is not None:
                continue
            current = account.current(change.kind, change.id)
            if current is not None and not current.deleted:
                deleting.setdefault(change.kind, set()).add(change.id)
        for kind, ids in deleting.items():
            live = account.live_count(kind)
            if not request.allow_deletions and mass_deletion(live, len(ids)):
                raise MassDeletionError(
                    f"this push would delete {len(ids)} of the account's {live} {kind} objects;"
                    ' send "allow_deletions": true to go on',
                    kind,
                    live,
                    len(ids),
                )
        for index, change in enumerate(request.changes):
            earlier = account.operation(change.op_id)
            if earlier is not None:
                main, *copies = earlier
                results.append({**main, "status": "duplicate"})
                created.extend(copies)
                continue
            current = account.current(change.kind, change.id)
            base = (
                account.data_at(change.kind, change.id, change.base_version)
                if change.base_version > 0
                else None
            )
            try:
                resolution = resolve(
                    _stored(current) if current is not None else None,
                    Incoming(
                        change.op_id,
                        change.kind,
                        change.id,
                        change.base_version,
                        change.deleted,
                        change.data,
                    ),
                    base,
                )
            except ValueError as exc:
                raise RequestError(f"changes[{index}]: {exc}") from None
            if resolution.status == "kept" and current is not None:
                version, deleted, data = current.version, current.deleted, current.data
            else:
                deleted, data = resolution.deleted, dict(resolution.data)
                version = account.write(
                    change.kind,
                    change.id,
                    deleted=deleted,
                    data=data,
                    device=request.device,
                    op_id=change.op_id,
                )
            main = _result(
                change.op_id,
                resolution.status,
                version,
                kind=change.kind,
                object_id=change.id,
                deleted=deleted,
                data=data,
            )
            copies = []
            for copy in resolution.copies:
                copy_version = account.write(
                    change.kind,
                    copy.id,
                    deleted=False,
                    data=copy.data,
                    device=request.device,
                    op_id=change.op_id,
                )
                copies.append(
                    _result(
                        change.op_id,
                        "created",
                        copy_version,
                        kind=change.kind,
                        object_id=copy.id,
                        deleted=False,
                        data=dict(copy.data),
                    )
                )
            account.save_operation(change.op_id, [main, *copies])
            results.append(main)
            created.extend(copies)
    return results + created


def pull(storage: Storage, user_id: int, since: int, limit: int) -> dict[str, Any]:
    """A page of the account's objects changed after `since`: ``changes``, ``next``, ``more``."""
    rows = storage.changes_since(user_id, since, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "changes": [
            {
                "version": row.version,
                "kind": row.kind,
                "id": row.id,
                "deleted": row.deleted,
                "data": row.data,
                "device": row.device,
            }
            for row in rows
        ],
        "next": rows[-1].version if rows else since,
        "more": more,
    }


def _stored(record: ObjectRecord) -> Stored:
    return Stored(record.kind, record.id, record.version, record.deleted, record.data)


def _result(
    op_id: str,
    status: str,
    version: int,
    *,
    kind: str,
    object_id: str,
    deleted: bool,
    data: dict[str, Any],
) -> dict[str, Any]:
    return {
        "op_id": op_id,
        "status": status,
        "version": version,
        "object": {"kind": kind, "id": object_id, "deleted": deleted, "data": data},
    }


def _change(item: Any, where: str) -> Change:
    change = _object(item, where)
    kind = _string(change, "kind", where, 32)
    if kind not in KINDS:
        raise RequestError(f"{where}.kind: {kind!r} is not one of {', '.join(KINDS)}")
    base_version = change.get("base_version")
    if "base_version" not in change:
        raise RequestError(f"{where}.base_version: missing")
    if isinstance(base_version, bool) or not isinstance(base_version, int):
        raise RequestError(f"{where}.base_version: not an integer ({_type(base_version)})")
    if base_version < 0:
        raise RequestError(f"{where}.base_version: {base_version} is negative")
    if "deleted" not in change:
        raise RequestError(f"{where}.deleted: missing")
    deleted = change["deleted"]
    if not isinstance(deleted, bool):
        raise RequestError(f"{where}.deleted: not true or false ({_type(deleted)})")
    if "data" not in change:
        raise RequestError(f"{where}.data: missing")
    data = _object(change["data"], f"{where}.data")
    if kind == "progress" and not deleted:
        fraction = data.get("fraction")
        if "fraction" not in data:
            raise RequestError(f"{where}.data.fraction: missing (a progress needs one)")
        if isinstance(fraction, bool) or not isinstance(fraction, int | float):
            raise RequestError(f"{where}.data.fraction: not a number ({_type(fraction)})")
        if not math.isfinite(fraction) or not 0 <= fraction <= 1:
            raise RequestError(f"{where}.data.fraction: {fraction} is not between 0 and 1")
    return Change(
        op_id=_string(change, "op_id", where, MAX_OP_ID),
        kind=kind,
        id=_string(change, "id", where, MAX_ID),
        base_version=base_version,
        deleted=deleted,
        data=data,
    )


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RequestError(f"{where}: not a JSON object ({_type(value)})")
    return value


def _string(body: Mapping[str, Any], key: str, where: str, max_length: int) -> str:
    name = f"{where}.{key}" if where else key
    if key not in body:
        raise RequestError(f"{name}: missing")
    value = body[key]
    if not isinstance(value, str):
        raise RequestError(f"{name}: not a string ({_type(value)})")
    if not value:
        raise RequestError(f"{name}: empty")
    if len(value) > max_length:
        raise RequestError(f"{name}: longer than {max_length} characters")
    return value


def _query_int(args: Mapping[str, str], key: str, default: int) -> int:
    text = args.get(key)
    if text is None:
        return default
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise RequestError(f"{key}: {text!r} is not a whole number of 0 or more")
    return int(text)


def _type(value: Any) -> str:
    """How a message names the JSON type of a value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
