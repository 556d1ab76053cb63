"""The client of KOReader's progress sync ("kosync"): a KOReader sync server's HTTP API.

KOReader identifies a book by `partial_md5` of its file and a user by ``x-auth-user`` and
``x-auth-key`` (the MD5 of the password in hex: KOReader's protocol, not a protection), sent with
every request together with ``Accept: application/vnd.koreader.v1+json``. A progress is
``{"document", "progress", "percentage", "device", "device_id"}`` (the server adds
``timestamp``); ``progress`` is a page number (as a string, 1-based) for a fixed-layout book and
a CREngine XPointer for a reflowable one.

Requests go through `HttpClient` with its policy: a connect and a read timeout on every request,
bounded retries with backoff and jitter for no connection, 429 and 5xx (honouring
``Retry-After``; a PUT of a progress is safe to repeat). Redirects are not followed, so the key
goes only to the server's own host. Every failure is one line naming the server.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, Final

from sync.engine import NotSignedIn, SyncFailed, Unreachable
from sync.errors import FetchError, TooLargeError
from sync.http import RETRY_STATUSES, HttpClient, check_url, redact_url
from sync.jsondoc import TooDeepError, loads

log = logging.getLogger(__name__)

ACCEPT: Final = "application/vnd.koreader.v1+json"
#: The most bytes read from one answer (a progress document is a few hundred).
ANSWER_LIMIT: Final = 64 * 1024
_SAMPLE: Final = 1024


class KoreaderError(SyncFailed):
    """The KOReader sync stopped: a refusal or an answer that is not KOReader's protocol."""


class KoreaderUnreachable(Unreachable, KoreaderError):
    """No answer from the KOReader sync server (no connection, a timeout, 5xx after retries)."""


class KoreaderRefused(NotSignedIn, KoreaderError):
    """The server refused the user name or the key (401), or the account (403)."""


def partial_md5(path: Path) -> str:
    """KOReader's document id of a file: MD5 over 1024-byte samples at offsets
    ``1024 << (2 * i)`` for ``i = -1 … 10`` (``i = -1`` is offset 0), stopping at the first
    offset at or past the end of the file (KOReader's ``util.partialMD5``).

    Raises:
        OSError: the file cannot be read.
    """
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as file:
        for i in range(-1, 11):
            file.seek(0 if i < 0 else _SAMPLE << (2 * i))
            sample = file.read(_SAMPLE)
            if not sample:
                break
            digest.update(sample)
    return digest.hexdigest()


def user_key(password: str) -> str:
    """What KOReader sends as ``x-auth-key``: the MD5 of the password (UTF-8) in hex."""
    return hashlib.md5(password.encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class RemoteProgress:
    """A progress document as the server holds it.

    Attributes:
        document: the partial MD5 of the book's file.
        progress: a 1-based page number (fixed layout) or a CREngine XPointer (reflowable).
        percentage: how far through the book, 0 to 1.
        device: the device's name ("Kobo Clara", "Mutolaa").
        device_id: the device's id.
        timestamp: when the server stored it (seconds since the epoch; 0 when not given).
    """

    document: str
    progress: str
    percentage: float
    device: str
    device_id: str
    timestamp: int = 0


class KoreaderClient:
    """One KOReader sync server, one user.

    Args:
        server_url: the server's address (``https://sync.koreader.rocks`` or ours).
        username: the user name.
        key: the MD5 of the password in hex (`user_key`); never the password.
        http: the HTTP client whose session, policy and waits are used.
    """

    def __init__(self, server_url: str, username: str, key: str, http: HttpClient) -> None:
        self.base_url = check_url(server_url).rstrip("/")
        self.username = username
        self._key = key
        self.http = http
        self.shown = redact_url(self.base_url)

    def __repr__(self) -> str:
        return f"KoreaderClient({self.shown!r}, {self.username!r})"

    def authorize(self) -> None:
        """Check the user name and key (``GET /users/auth``).

        Raises:
            KoreaderRefused: the server refused them.
            KoreaderUnreachable, KoreaderError: as for every request.
        """
        answer = self._request("GET", "/users/auth", "GET /users/auth")
        if not isinstance(answer, dict) or answer.get("authorized") != "OK":
            raise self._unexpected("GET /users/auth", 'no "authorized": "OK"')

    def get_progress(self, document: str) -> RemoteProgress | None:
        """The progress stored for ``document``, or None when there is none (``{}``)."""
        what = "GET /syncs/progress"
        answer = self._request("GET", f"/syncs/progress/{_document(document)}", what)
        if not isinstance(answer, dict):
            raise self._unexpected(what, "not a JSON object")
        if not answer or answer.get("percentage") is None:
            return None  # KOReader reads a missing percentage as "no progress"
        try:
            return _progress(answer, document)
        except (KeyError, TypeError, ValueError) as exc:
            raise self._unexpected(what, str(exc)) from None

    def put_progress(
        self, document: str, progress: str, percentage: float, device: str, device_id: str
    ) -> int:
        """Store a progress (``PUT /syncs/progress``); returns the server's timestamp (0 when
        it gives none)."""
        if not 0.0 <= percentage <= 1.0:
            raise ValueError(f"percentage {percentage} is not between 0 and 1")
        body = {
            "document": _document(document),
            "progress": progress,
            "percentage": round(percentage, 4),  # KOReader rounds to 4 digits as well
            "device": device,
            "device_id": device_id,
        }
        answer = self._request("PUT", "/syncs/progress", "PUT /syncs/progress", body)
        if not isinstance(answer, dict):
            raise self._unexpected("PUT /syncs/progress", "not a JSON object")
        stamp = answer.get("timestamp", 0)
        return stamp if isinstance(stamp, int) and not isinstance(stamp, bool) else 0

    # -- requests ------------------------------------------------------------------------------

    def _request(
        self, method: str, path: str, what: str, body: Mapping[str, Any] | None = None
    ) -> Any:
        """One request through `HttpClient` (its timeouts, retries and waits; redirects not
        followed); the answer's JSON. ``what`` names it in errors (without the document id)."""
        headers = {"Accept": ACCEPT, "x-auth-user": self.username, "x-auth-key": self._key}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            fetched = self.http.fetch(
                self.base_url + path,
                limit=ANSWER_LIMIT,
                headers=headers,
                body=data,
                method=method,
                follow_redirects=False,
            )
        except TooLargeError:
            raise self._unexpected(what, f"more than {ANSWER_LIMIT} bytes") from None
        except FetchError as exc:
            raise self._failure(exc, what) from exc
        if 300 <= fetched.status < 400:
            where = redact_url(fetched.headers.get("Location", "") or "?")
            raise KoreaderError(
                f"KOReader sync at {self.shown}: {what} was redirected to {where} "
                "(not followed; give that address as the server)"
            )
        try:
            return loads(fetched.content.decode("utf-8"))
        except TooDeepError as exc:
            raise self._unexpected(what, f"JSON {exc}") from None
        except (UnicodeDecodeError, ValueError) as exc:
            raise self._unexpected(what, f"not JSON ({_one_line(str(exc))})") from None

    def _failure(self, exc: FetchError, what: str) -> KoreaderError:
        """A failed request as KOReader's sync says it."""
        status = exc.status
        if status == 401:
            return KoreaderRefused(
                f"KOReader sync at {self.shown} refused the user name or password "
                f"({self.username!r})"
            )
        if status == 403:
            message = _message(exc.content)
            return KoreaderRefused(
                f"KOReader sync at {self.shown} refused the account"
                + (f": {message}" if message else f" ({self.username!r})")
            )
        reason = str(exc).removeprefix(f"{exc.url}: ")
        broke = status is not None and status < 400  # the connection broke in the answer
        if exc.no_answer or status in RETRY_STATUSES or broke:
            return KoreaderUnreachable(f"KOReader sync at {self.shown}: {reason}")
        if status is not None and status >= 400:
            message = _message(exc.content)
            return KoreaderError(
                f"KOReader sync at {self.shown}: {what} answered {_status_line(status)}"
                + (f": {message}" if message else "")
            )
        return KoreaderError(f"KOReader sync at {self.shown}: {reason}")

    def _unexpected(self, what: str, detail: str) -> KoreaderError:
        return KoreaderError(
            f"KOReader sync at {self.shown}: the answer to {what} is not KOReader's protocol "
            f"({_one_line(detail)})"
        )


def _document(document: str) -> str:
    if not document or not all(c.isascii() and (c.isalnum() or c == "_") for c in document):
        raise ValueError(f"{document[:40]!r} is not a KOReader document id (a partial MD5)")
    return document


def _progress(answer: Mapping[str, Any], document: str) -> RemoteProgress:
    percentage = answer["percentage"]
    if isinstance(percentage, bool) or not isinstance(percentage, int | float):
        raise TypeError(f"percentage: {type(percentage).__name__}, not a number")
    if not 0 <= percentage <= 1:
        raise ValueError(f"percentage: {percentage} is not between 0 and 1")
    progress = answer.get("progress")
    if isinstance(progress, int | float) and not isinstance(progress, bool):
        if not math.isfinite(progress):  # 1e400 in JSON is read as infinity
            raise ValueError(f"progress: {progress} is not a page number")
        progress = str(int(progress))  # a page number sent as a number
    if not isinstance(progress, str):
        raise TypeError(f"progress: {type(progress).__name__}, not a string")
    timestamp = answer.get("timestamp", 0)
    if isinstance(timestamp, bool) or not isinstance(timestamp, int | float | type(None)):
        raise TypeError(f"timestamp: {type(timestamp).__name__}, not a number")
    if isinstance(timestamp, float) and not math.isfinite(timestamp):
        raise ValueError(f"timestamp: {timestamp} is not a time")
    found = answer.get("document", document)
    if found != document:
        raise ValueError(f"document: {str(found)[:40]!r} is not the one asked for")
    return RemoteProgress(
        document=document,
        progress=progress,
        percentage=float(percentage),
        device=str(answer.get("device") or ""),
        device_id=str(answer.get("device_id") or ""),
        timestamp=int(timestamp or 0),
    )


def _status_line(status: int) -> str:
    """``400 Bad Request`` (the number alone for a status without a standard phrase)."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _message(content: bytes | None) -> str:
    """The ``message`` (or ``error``) of an error answer, one line, at most 200 characters."""
    try:
        data = loads((content or b"").decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(data, dict):
        return ""
    text = data.get("message") or data.get("error") or ""
    return _one_line(str(text))[:200]


def _one_line(text: str) -> str:
    return " ".join(text.split())
