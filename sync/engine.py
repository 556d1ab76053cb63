"""The client side of the sync protocol (docs/sync-protocol.md): the server's API and one sync.

`SyncServer` speaks the protocol (its messages: `sync.protocol`) over `HttpClient` (its rules:
bounded retries with backoff and jitter, `Retry-After`, timeouts, credentials only to the
server's host). `run_sync` does one sync of a `Replica` — the local side, which the application
implements over its store:

1. probe the server when there is something to push (a short timeout: offline costs a few
   seconds at most, never a freeze); with nothing to push the first pull is the probe, so a
   sync with nothing new is one round trip;
2. push the replica's outbox in batches; each acknowledged batch is applied by the replica
   (the server's results: new versions, merged objects, conflict copies) and only then does the
   replica move its push position, so a push cut in half is sent again and the server answers
   the repeated op_ids as duplicates;
3. pull pages since the replica's cursor; the replica applies a page and moves its cursor in one
   transaction, so a pull cut in half starts again from the last page applied.

Loops are bounded (`max_batches`, `max_pages`): a sync that has more to do says so and the next
one goes on.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sync.errors import FetchError, SyncError
from sync.http import HttpClient, HttpPolicy, redact_url
from sync.jsondoc import TooDeepError, loads
from sync.protocol import (
    LOGIN_PATH,
    LOGOUT_PATH,
    PROBE_PATH,
    PULL_PATH,
    PUSH_PATH,
    Change,
    LoginAnswer,
    LoginRequest,
    LogoutAnswer,
    MessageError,
    ProbeAnswer,
    PullPage,
    PullRequest,
    PushAnswer,
    PushRequest,
    PushResult,
)

# PROTOCOL, PullPage, Pulled and PushResult are `sync.protocol`'s, named here too because the
# application imports them from this module (the client's side of the protocol).
__all__ = [
    "PROBE_TIMEOUT",
    "PULL_PAGE",
    "PUSH_BATCH",
    "MassDeletion",
    "NotSignedIn",
    "Outgoing",
    "Replica",
    "SyncFailed",
    "SyncReport",
    "SyncServer",
    "Unreachable",
    "run_sync",
]

log = logging.getLogger(__name__)

_Message = TypeVar("_Message")

#: The most changes in one push (the server refuses more: docs/sync-protocol.md).
PUSH_BATCH = 200
#: The page size asked for when pulling.
PULL_PAGE = 200
#: How long the probe waits for an answer.
PROBE_TIMEOUT = 4.0


class SyncFailed(SyncError):
    """The sync stopped: no server, a refusal, a bad answer. The message is one line."""


class Unreachable(SyncFailed):
    """No answer from the server (no connection, a timeout): the device is offline for it."""


class NotSignedIn(SyncFailed):
    """The server refused the token (expired, revoked, or the user was disabled)."""


class MassDeletion(SyncFailed):
    """A push or pull would delete more than half of the objects: it waits for the person."""


@dataclass(frozen=True)
class Outgoing(Change):
    """A change to push and the change log position it comes from (`seq`, never sent)."""

    seq: int


@dataclass
class SyncReport:
    """What one sync did."""

    pushed: int = 0
    pulled: int = 0
    merged: int = 0
    kept: int = 0
    conflicts: int = 0
    more: bool = False  # a bound was reached: the next sync goes on
    offline: bool = False  # the probe got no answer: nothing was tried
    notes: list[str] = field(default_factory=list)


class Replica(Protocol):
    """The local side of a sync (the application's store)."""

    @property
    def device(self) -> str:
        """This device's id."""

    @property
    def cursor(self) -> int:
        """The last server version applied."""

    def outbox(self, limit: int) -> list[Outgoing]:
        """The next changes to push (one per object, its latest state), oldest first."""

    def acknowledge(self, sent: Sequence[Outgoing], results: Sequence[PushResult]) -> None:
        """Apply the server's results for `sent` and move the push position past them."""

    def apply(self, page: PullPage, *, allow_deletions: bool) -> int:
        """Apply a pulled page and move the cursor to ``page.next``; returns how many objects
        changed here.

        Raises:
            MassDeletion: the page would delete more than half of the local objects.
        """


class SyncServer:
    """The library server's sync API at `base_url` (``https://host/``)."""

    def __init__(self, base_url: str, http: HttpClient, token: str = "") -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.http = http
        self.token = token

    def _url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def probe(self) -> bool:
        """True when the server answers as a Mutolaa library server, within a few seconds."""
        try:
            return self.probe_answer().compatible
        except SyncError:  # the answer of another server, or none
            return False

    def probe_answer(self) -> ProbeAnswer:
        """Ask who is serving, within a few seconds (no retry): for saying why a server is not
        one to sign in to.

        Raises:
            FetchError: no answer (``no_answer``), an untrusted certificate, an HTTP error.
            SyncError: an answer that is not a probe answer (another kind of server).
        """
        quick = _quick_client(self.http.policy)
        try:
            fetched = quick.fetch(self._url(PROBE_PATH), limit=64 * 1024)
            return ProbeAnswer.from_json(_json(fetched.content, "probe", self.base_url))
        finally:
            quick.close()

    def login(self, user: str, password: str, device: str) -> str:
        """Sign in; returns the token (also kept for the next calls).

        Raises:
            SyncFailed: refused (wrong password, disabled user, too many attempts) or no server.
        """
        body = LoginRequest(user, password, device).to_json()
        data = self._post(LOGIN_PATH, body, what="login", token=False)
        self.token = self._read(LoginAnswer.from_json, data).token
        return self.token

    def logout(self) -> bool:
        """Revoke this token at the server, within a few seconds (no retry: a logout that gets
        no answer is tried again later by the caller). True when the token was still valid.

        Raises:
            Unreachable: no answer.
            SyncFailed: another failure (an older server without logout answers 404).
        """
        quick = _quick_client(self.http.policy)
        try:
            fetched = quick.post_json(self._url(LOGOUT_PATH), {}, headers=self._headers(True))
        except FetchError as exc:
            raise _failure(self.base_url, "logout", exc) from exc
        finally:
            quick.close()
        answer = _json(fetched.content, "logout", self.base_url)
        return self._read(LogoutAnswer.from_json, answer).revoked

    def push(
        self, device: str, changes: Sequence[Outgoing], *, allow_deletions: bool = False
    ) -> list[PushResult]:
        """Push a batch; the results in order (plus conflict copies the server made)."""
        body = PushRequest(device, tuple(changes), allow_deletions).to_json()
        data = self._post(PUSH_PATH, body, what="push")
        return list(self._read(PushAnswer.from_json, data).results)

    def pull(self, since: int, limit: int = PULL_PAGE, *, quick: bool = False) -> PullPage:
        """The account's objects changed after version `since`.

        ``quick``: short timeouts and no retry — the pull is also the probe (a sync with nothing
        to push is one round trip; offline it fails within seconds with `Unreachable`).
        """
        url = self._url(f"{PULL_PATH}?{PullRequest(since, limit).query()}")
        data = self._get(url, what="pull", quick=quick)
        return self._read(PullPage.from_json, data)

    def _read(self, read: Callable[[Any], _Message], data: Any) -> _Message:
        """`read` the message in an answer; one that does not follow the protocol fails."""
        try:
            return read(data)
        except MessageError as exc:
            raise SyncFailed(f"{redact_url(self.base_url)}: {exc}") from exc

    # -- HTTP ----------------------------------------------------------------------------------

    def _headers(self, token: bool) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if token and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _get(self, url: str, *, what: str, quick: bool = False) -> dict[str, Any]:
        client = _quick_client(self.http.policy) if quick else self.http
        try:
            fetched = client.fetch(url, headers=self._headers(True), limit=64 * 1024 * 1024)
        except FetchError as exc:
            raise _failure(self.base_url, what, exc) from exc
        finally:
            if quick:
                client.close()
        return _json(fetched.content, what, self.base_url)

    def _post(
        self, path: str, body: Mapping[str, Any], *, what: str, token: bool = True
    ) -> dict[str, Any]:
        try:
            fetched = self.http.post_json(self._url(path), body, headers=self._headers(token))
        except FetchError as exc:
            raise _failure(self.base_url, what, exc) from exc
        return _json(fetched.content, what, self.base_url)


def run_sync(
    server: SyncServer,
    replica: Replica,
    *,
    allow_deletions: bool = False,
    max_batches: int = 200,
    max_pages: int = 50,
) -> SyncReport:
    """One sync: probe, push the outbox, pull since the cursor (see the module's docstring).

    Raises:
        NotSignedIn: the token was refused.
        MassDeletion: a push or a pull would delete most objects (``allow_deletions`` lets it).
        SyncFailed: the server failed or answered something else than the protocol.
    """
    report = SyncReport()
    offline_note = f"{redact_url(server.base_url)}: the server does not answer"
    sent = replica.outbox(PUSH_BATCH)
    if sent and not server.probe():
        report.offline = True
        report.notes.append(offline_note)
        return report
    for _batch in range(max_batches):
        if not sent:
            break
        results = server.push(replica.device, sent, allow_deletions=allow_deletions)
        replica.acknowledge(sent, results)
        report.pushed += len(sent)
        for result in results:
            report.merged += result.status == "merged"
            report.kept += result.status == "kept"
            report.conflicts += result.status == "created"
        sent = replica.outbox(PUSH_BATCH)
    else:
        report.more = bool(sent)
    quick = not report.pushed  # nothing was pushed: the first pull is the probe too
    for _page in range(max_pages):
        try:
            page = server.pull(replica.cursor, quick=quick)
        except Unreachable:
            if not quick:
                raise
            report.offline = True
            report.notes.append(offline_note)
            return report
        quick = False
        report.pulled += replica.apply(page, allow_deletions=allow_deletions)
        if not page.more:
            break
    else:
        report.more = True
    return report


def _failure(base_url: str, what: str, exc: FetchError) -> SyncFailed:
    """One line for a failed call, from the server's own `{"error": …}` when it gave one."""
    shown = redact_url(base_url)
    reason = str(exc)
    try:
        data = _json(exc.content or b"", what, base_url)
        if isinstance(data.get("error"), str):
            reason = data["error"]
    except SyncFailed:
        pass
    if exc.no_answer:
        return Unreachable(f"{shown}: {what}: {reason}")
    if exc.status == 401:
        return NotSignedIn(f"{shown}: {what}: {reason} (sign in again: mutolaa account login)")
    if exc.status == 409 and "deletion" in reason:
        return MassDeletion(f"{shown}: {what}: {reason}")
    return SyncFailed(f"{shown}: {what}: {reason}")


def _quick_client(policy: HttpPolicy) -> HttpClient:
    """For the probe (or the pull that serves as one): `policy` (its trusted authorities, its
    user agent…) with no retry and timeouts of at most `PROBE_TIMEOUT` — shorter when `policy`
    has shorter ones (the sync on exit)."""
    return HttpClient(
        dataclasses.replace(
            policy,
            connect_timeout=min(PROBE_TIMEOUT, policy.connect_timeout),
            read_timeout=min(PROBE_TIMEOUT, policy.read_timeout),
            max_retries=0,
        )
    )


def _json(content: bytes, what: str, base_url: str) -> dict[str, Any]:
    """The JSON object of an answer; SyncFailed naming the server when it is not one."""
    shown = redact_url(base_url)
    try:
        data = loads(content.decode("utf-8"))
    except TooDeepError as exc:
        raise SyncFailed(f"{shown}: the {what} answer is {exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise SyncFailed(f"{shown}: the {what} answer is not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise SyncFailed(f"{shown}: the {what} answer is not a JSON object")
    return data
