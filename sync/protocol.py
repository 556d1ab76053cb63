"""The sync protocol's wire format, for client and server: version, endpoints, messages, checks.

docs/sync-protocol.md describes it. Every message is a frozen dataclass with ``to_json`` (a
JSON-ready dict, the exact shape on the wire) and a ``from_json`` classmethod. The client
(`sync.engine`) writes requests and reads answers; the server (`sync.server.api`) reads requests
and writes answers; nothing else writes or reads these messages.

The two directions read differently on purpose. A request is checked strictly, field by field,
and a `MessageError` says what is wrong and where in one line (``changes[3].base_version: not an
integer (a string)``): the server stores what it accepts. An answer is read leniently (a field
that may be absent takes its default, values are converted), so that a client still understands
a newer server that adds to its answers.

Server policy is not here: how many changes a push may carry and how large a pull page may be
(`sync.server.changes`), the storage, the conflict rules (`sync.conflicts`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from sync.conflicts import KINDS
from sync.errors import SyncError

PROTOCOL: Final = 1
"""The version of docs/sync-protocol.md that this module writes."""
SERVER: Final = "mutolaa"
"""The name a library server gives in its probe answer."""

API_ROOT: Final = "/api/v1"
PROBE_PATH: Final = API_ROOT + "/probe"
"""GET, no authentication: a `ProbeAnswer`."""
LOGIN_PATH: Final = API_ROOT + "/login"
"""POST a `LoginRequest`: a `LoginAnswer`."""
LOGOUT_PATH: Final = API_ROOT + "/logout"
"""POST (bearer token, any body or none): a `LogoutAnswer`; the token is revoked."""
PUSH_PATH: Final = API_ROOT + "/sync/push"
"""POST a `PushRequest` (bearer token): a `PushAnswer`."""
PULL_PATH: Final = API_ROOT + "/sync/pull"
"""GET with a `PullRequest`'s query (bearer token): a `PullPage`."""

DEFAULT_PULL_LIMIT: Final = 200
"""The page size of a pull whose query names none."""
MAX_ID: Final = 256
"""The longest object id or user name a request may carry."""
MAX_OP_ID: Final = 128
"""The longest op_id a change may carry."""
MAX_DEVICE: Final = 200
"""The longest device id a request may carry."""
MAX_PASSWORD: Final = 4096
"""The longest password a login may carry."""
MAX_VERSION: Final = 2**63 - 1
"""The largest version a change may name (SQLite's largest integer; the server counts from 1)."""


class MessageError(SyncError):
    """A message that does not follow the protocol; the text says what and where, in one line."""


class TooManyChanges(MessageError):
    """A push request with more changes than the reader of it accepts."""


@dataclass(frozen=True)
class ProbeAnswer:
    """The answer to the probe: who is serving, in which version of the protocol."""

    server: str = SERVER
    protocol: int = PROTOCOL

    def to_json(self) -> dict[str, Any]:
        """The answer as sent."""
        return {"server": self.server, "protocol": self.protocol}

    @classmethod
    def from_json(cls, document: Any) -> ProbeAnswer:
        """Read a probe answer.

        Raises:
            MessageError: not an object, or ``server`` is not a string or ``protocol`` not an
                integer (then it is no Mutolaa server).
        """
        data = _object(document, "the probe answer")
        server, protocol = data.get("server"), data.get("protocol")
        if not isinstance(server, str) or not isinstance(protocol, int):
            raise MessageError("the probe answer does not name a server and a protocol")
        return cls(server, protocol)

    @property
    def compatible(self) -> bool:
        """True when a Mutolaa library server speaking this version answered."""
        return self.server == SERVER and self.protocol == PROTOCOL


@dataclass(frozen=True)
class LoginRequest:
    """A sign-in: the user, their password and the device that asks."""

    user: str
    password: str = field(repr=False)
    device: str

    def to_json(self) -> dict[str, Any]:
        """The request body as sent."""
        return {"user": self.user, "password": self.password, "device": self.device}

    @classmethod
    def from_json(cls, document: Any) -> LoginRequest:
        """Check a login body.

        Raises:
            MessageError: a field is missing, not a string, empty or too long.
        """
        body = _object(document, "the request body")
        user = _string(body, "user", "", MAX_ID)
        password = _string(body, "password", "", MAX_PASSWORD)
        device = _string(body, "device", "", MAX_DEVICE)
        return cls(user, password, device)


@dataclass(frozen=True)
class LoginAnswer:
    """A granted sign-in: the bearer token, the user's name and when the token expires."""

    token: str = field(repr=False)
    user: str
    expires: str  # ISO 8601, UTC (`iso_utc`)

    def to_json(self) -> dict[str, Any]:
        """The answer as sent."""
        return {"token": self.token, "user": self.user, "expires": self.expires}

    @classmethod
    def from_json(cls, document: Any) -> LoginAnswer:
        """Read a login answer.

        Raises:
            MessageError: not an object, or no token in it.
        """
        data = _object(document, "the login answer")
        token = data.get("token")
        if not isinstance(token, str) or not token:
            raise MessageError("the login answer has no token")
        return cls(token, str(data.get("user", "")), str(data.get("expires", "")))


@dataclass(frozen=True)
class LogoutAnswer:
    """The answer to a logout: whether the token was still valid (False: unknown, expired or
    already revoked; the logout succeeded all the same)."""

    revoked: bool

    def to_json(self) -> dict[str, Any]:
        """The answer as sent."""
        return {"revoked": self.revoked}

    @classmethod
    def from_json(cls, document: Any) -> LogoutAnswer:
        """Read a logout answer.

        Raises:
            MessageError: not an object.
        """
        return cls(bool(_object(document, "the logout answer").get("revoked")))


@dataclass(frozen=True)
class Change:
    """A change to push: the latest state of one object, based on `base_version` (0: never seen).

    `op_id` is made by the client (its change log entry's UUID): the server answers a repeated
    one with the result it gave the first time.
    """

    op_id: str
    kind: str
    id: str
    base_version: int
    deleted: bool
    data: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The change as sent."""
        return {
            "op_id": self.op_id,
            "kind": self.kind,
            "id": self.id,
            "base_version": self.base_version,
            "deleted": self.deleted,
            "data": dict(self.data),
        }

    @classmethod
    def from_json(cls, item: Any, where: str) -> Change:
        """Check a pushed change; `where` names it in messages (``changes[3]``).

        Raises:
            MessageError: a field is missing or wrong, an unknown kind, a number out of range
                (``base_version`` above `MAX_VERSION`, an infinite number such as ``1e400`` in
                ``data``), or a progress (not a delete) without a ``fraction`` from 0 to 1.
        """
        change = _object(item, where)
        kind = _string(change, "kind", where, 32)
        if kind not in KINDS:
            raise MessageError(f"{where}.kind: {kind!r} is not one of {', '.join(KINDS)}")
        base_version = _base_version(change, where)
        deleted = _boolean(change, "deleted", where)
        if "data" not in change:
            raise MessageError(f"{where}.data: missing")
        data = _object(change["data"], f"{where}.data")
        _check_numbers(data, f"{where}.data")
        if kind == "progress" and not deleted:
            _check_fraction(data, f"{where}.data")
        return cls(
            op_id=_string(change, "op_id", where, MAX_OP_ID),
            kind=kind,
            id=_string(change, "id", where, MAX_ID),
            base_version=base_version,
            deleted=deleted,
            data=data,
        )


@dataclass(frozen=True)
class PushRequest:
    """A push: the device that sends it, its changes, and whether mass deletions may go on."""

    device: str
    changes: tuple[Change, ...]
    allow_deletions: bool = False

    def to_json(self) -> dict[str, Any]:
        """The request body as sent."""
        return {
            "device": self.device,
            "changes": [change.to_json() for change in self.changes],
            "allow_deletions": self.allow_deletions,
        }

    @classmethod
    def from_json(cls, document: Any, *, max_changes: int) -> PushRequest:
        """Check a push body.

        Raises:
            TooManyChanges: more than `max_changes` changes (before any change is checked).
            MessageError: anything else wrong; the first problem found.
        """
        body = _object(document, "the request body")
        device = _string(body, "device", "", MAX_DEVICE)
        if "changes" not in body:
            raise MessageError("changes: missing")
        changes = body["changes"]
        if not isinstance(changes, list):
            raise MessageError(f"changes: not a list ({_type(changes)})")
        if len(changes) > max_changes:
            raise TooManyChanges(
                f"changes: {len(changes)} changes, at most {max_changes} in one push"
            )
        allow = body.get("allow_deletions", False)
        if not isinstance(allow, bool):
            raise MessageError(f"allow_deletions: not true or false ({_type(allow)})")
        return cls(
            device=device,
            changes=tuple(
                Change.from_json(item, f"changes[{i}]") for i, item in enumerate(changes)
            ),
            allow_deletions=allow,
        )


@dataclass(frozen=True)
class PushResult:
    """The server's answer for one pushed change, or a conflict copy it made.

    `status` is ``applied``, ``merged``, ``kept``, ``duplicate`` or ``created`` (a copy); the
    object (`kind`, `id`, `deleted`, `data`) is the server's copy at `version`.
    """

    op_id: str
    status: str
    kind: str
    id: str
    version: int
    deleted: bool
    data: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The result as sent (and as the server remembers it for a repeated op_id)."""
        return {
            "op_id": self.op_id,
            "status": self.status,
            "version": self.version,
            "object": {
                "kind": self.kind,
                "id": self.id,
                "deleted": self.deleted,
                "data": dict(self.data),
            },
        }

    @classmethod
    def from_json(cls, item: Any, where: str) -> PushResult:
        """Read one result; `where` names it in messages (``push result 3``).

        Raises:
            MessageError: not an object, or a field missing or unreadable.
        """
        data = _object(item, where)
        obj = _object(data.get("object") or {}, where + ".object")
        try:
            return cls(
                op_id=str(data["op_id"]),
                status=str(data["status"]),
                kind=str(obj.get("kind", data.get("kind", ""))),
                id=str(obj.get("id", data.get("id", ""))),
                version=int(data["version"]),
                deleted=bool(obj.get("deleted", False)),
                data=_object(obj.get("data", {}), where + ".object.data"),
            )
        except (KeyError, TypeError, ValueError, OverflowError) as exc:  # Overflow: 1e400
            raise MessageError(f"{where}: missing or bad field ({exc})") from exc


@dataclass(frozen=True)
class PushAnswer:
    """The answer to a push: one result per change in order, then the conflict copies made."""

    results: tuple[PushResult, ...]

    def to_json(self) -> dict[str, Any]:
        """The answer as sent."""
        return {"results": [result.to_json() for result in self.results]}

    @classmethod
    def from_json(cls, document: Any) -> PushAnswer:
        """Read a push answer.

        Raises:
            MessageError: no list of results, or a result that cannot be read.
        """
        data = _object(document, "the push answer")
        results = data.get("results")
        if not isinstance(results, list):
            raise MessageError("the push answer has no results")
        return cls(
            tuple(PushResult.from_json(item, f"push result {n}") for n, item in enumerate(results))
        )


@dataclass(frozen=True)
class PullRequest:
    """A pull: the account's objects changed after version `since`, at most `limit` of them."""

    since: int = 0
    limit: int = DEFAULT_PULL_LIMIT

    def query(self) -> str:
        """The URL query as sent (``since=V&limit=N``)."""
        return f"since={self.since}&limit={self.limit}"

    @classmethod
    def from_query(cls, args: Mapping[str, str]) -> PullRequest:
        """Read a pull's query arguments (absent ones take their defaults).

        Raises:
            MessageError: a value that is not a whole number of 0 or more.
        """
        return cls(
            _query_int(args, "since", 0),
            _query_int(args, "limit", DEFAULT_PULL_LIMIT),
        )


@dataclass(frozen=True)
class Pulled:
    """An object as the server holds it, at its latest version (and the device that wrote it)."""

    version: int
    kind: str
    id: str
    deleted: bool
    data: Mapping[str, Any]
    device: str = ""

    def to_json(self) -> dict[str, Any]:
        """The object as sent in a pull page."""
        return {
            "version": self.version,
            "kind": self.kind,
            "id": self.id,
            "deleted": self.deleted,
            "data": dict(self.data),
            "device": self.device,
        }

    @classmethod
    def from_json(cls, item: Any, where: str) -> Pulled:
        """Read one pulled object; `where` names it in messages (``pulled change 3``).

        Raises:
            MessageError: not an object, or a field missing or unreadable.
        """
        data = _object(item, where)
        try:
            return cls(
                version=int(data["version"]),
                kind=str(data["kind"]),
                id=str(data["id"]),
                deleted=bool(data.get("deleted", False)),
                data=_object(data.get("data", {}), where + ".data"),
                device=str(data.get("device", "")),
            )
        except (KeyError, TypeError, ValueError, OverflowError) as exc:  # Overflow: 1e400
            raise MessageError(f"{where}: missing or bad field ({exc})") from exc


@dataclass(frozen=True)
class PullPage:
    """One page of a pull: the objects in version order, the next cursor, and whether more wait."""

    changes: tuple[Pulled, ...]
    next: int
    more: bool

    def to_json(self) -> dict[str, Any]:
        """The answer as sent."""
        return {
            "changes": [change.to_json() for change in self.changes],
            "next": self.next,
            "more": self.more,
        }

    @classmethod
    def from_json(cls, document: Any) -> PullPage:
        """Read a pull answer.

        Raises:
            MessageError: not a page (no list of changes, no next version) or an unreadable
                object in it.
        """
        data = _object(document, "the pull answer")
        items = data.get("changes")
        if not isinstance(items, list) or not isinstance(data.get("next"), int):
            raise MessageError("the pull answer is not a page")
        return cls(
            tuple(Pulled.from_json(item, f"pulled change {n}") for n, item in enumerate(items)),
            int(data["next"]),
            bool(data.get("more")),
        )


def iso_utc(seconds: float) -> str:
    """How the protocol writes a time: ISO 8601 in UTC to the second (``2026-01-31T12:00:00Z``)."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _base_version(change: Mapping[str, Any], where: str) -> int:
    if "base_version" not in change:
        raise MessageError(f"{where}.base_version: missing")
    base_version = change["base_version"]
    if isinstance(base_version, bool) or not isinstance(base_version, int):
        raise MessageError(f"{where}.base_version: not an integer ({_type(base_version)})")
    if base_version < 0:
        raise MessageError(f"{where}.base_version: {base_version} is negative")
    if base_version > MAX_VERSION:
        raise MessageError(f"{where}.base_version: {base_version} is larger than {MAX_VERSION}")
    return base_version


def _check_numbers(data: Mapping[str, Any], where: str) -> None:
    """Refuse a number JSON can carry but no one can store: ``1e400`` is read as infinity, which
    JSON cannot write back. Walked without recursion, however deep the data is nested; the path
    of the number is worked out only when there is one to name."""
    pending: list[Any] = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise MessageError(_where_infinite(data, where))


def _where_infinite(data: Mapping[str, Any], where: str) -> str:
    """The message naming the first infinite number in `data` (`_check_numbers` found one)."""
    pending: list[tuple[Any, str]] = [(data, where)]
    while pending:
        value, path = pending.pop()
        if isinstance(value, dict):
            pending.extend((item, f"{path}.{key}") for key, item in value.items())
        elif isinstance(value, list):
            pending.extend((item, f"{path}[{index}]") for index, item in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            return f"{path}: a number out of range ({value})"
    return f"{where}: a number out of range"


def _boolean(body: Mapping[str, Any], key: str, where: str) -> bool:
    if key not in body:
        raise MessageError(f"{where}.{key}: missing")
    value = body[key]
    if not isinstance(value, bool):
        raise MessageError(f"{where}.{key}: not true or false ({_type(value)})")
    return value


def _check_fraction(data: Mapping[str, Any], where: str) -> None:
    """A progress's position must be a number from 0 to 1 (the conflict rules compare it)."""
    if "fraction" not in data:
        raise MessageError(f"{where}.fraction: missing (a progress needs one)")
    fraction = data["fraction"]
    if isinstance(fraction, bool) or not isinstance(fraction, int | float):
        raise MessageError(f"{where}.fraction: not a number ({_type(fraction)})")
    if not math.isfinite(fraction) or not 0 <= fraction <= 1:
        raise MessageError(f"{where}.fraction: {fraction} is not between 0 and 1")


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MessageError(f"{where}: not a JSON object ({_type(value)})")
    return value


def _string(body: Mapping[str, Any], key: str, where: str, max_length: int) -> str:
    name = f"{where}.{key}" if where else key
    if key not in body:
        raise MessageError(f"{name}: missing")
    value = body[key]
    if not isinstance(value, str):
        raise MessageError(f"{name}: not a string ({_type(value)})")
    if not value:
        raise MessageError(f"{name}: empty")
    if len(value) > max_length:
        raise MessageError(f"{name}: longer than {max_length} characters")
    return value


def _query_int(args: Mapping[str, str], key: str, default: int) -> int:
    text = args.get(key)
    if text is None:
        return default
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise MessageError(f"{key}: {text!r} is not a whole number of 0 or more")
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
