"""KOReader's progress sync ("kosync"), for the server's own users (docs/server.md).

KOReader authenticates every request with ``x-auth-user`` and ``x-auth-key`` (the MD5 of the
password, in hex). That credential is weak, so it exists only for KOReader compatibility and is
off by default: it works for an account only after the librarian runs
``mutolaa-server users koreader NAME``, and the server keeps an scrypt hash of it. Accounts are
made by the librarian, so ``POST /users/create`` answers as KOReader's own server does when
registration is disabled.

Statuses, codes and shapes follow KOReader's sync server (koreader-sync-server, whose plugin
accepts only the statuses its api.json lists): 401/2001 for a refused user, 402/2005 for closed
registration, 403/2003 for a bad field, 403/2004 for a bad document id; errors are
``{"code", "message"}`` (plus our ``"error"`` with the same line); a progress document is
``{"document", "progress", "percentage", "device", "device_id", "timestamp"}``; a percentage may
come as a number or a numeric string, as Lua's ``tonumber`` reads it. One addition of ours: too
many wrong keys answer 429 with Retry-After (the login limit of every account).
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

from flask import Blueprint, Response, jsonify, request

from sync.server.accounts import AccountError, RateLimitedError
from sync.server.changes import RequestError, parse_json
from sync.server.state import state
from sync.server.storage import KoreaderProgress, UserRecord

ERROR_UNAUTHORIZED: Final = 2001
ERROR_INVALID_FIELDS: Final = 2003
ERROR_DOCUMENT_MISSING: Final = 2004
ERROR_REGISTRATION_DISABLED: Final = 2005
MAX_FIELD: Final = 4096
_DOCUMENT: Final = re.compile(r"[A-Za-z0-9_]{1,128}")

blueprint = Blueprint("koreader", __name__)


class _KoreaderError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@blueprint.errorhandler(_KoreaderError)
def _refused(exc: _KoreaderError) -> Response:
    return _error(exc.status, exc.code, exc.message)


@blueprint.errorhandler(RequestError)
def _bad_request(exc: RequestError) -> Response:
    return _error(403, ERROR_INVALID_FIELDS, str(exc))  # KOReader's server: 403 "Invalid request"


@blueprint.errorhandler(AccountError)
def _account_refused(exc: AccountError) -> Response:
    response = _error(exc.status, ERROR_UNAUTHORIZED, str(exc))
    if isinstance(exc, RateLimitedError):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


@blueprint.post("/users/create")
def create_user() -> Response:
    """Refused as KOReader's server refuses when registration is disabled: accounts are made by
    the librarian."""
    raise _KoreaderError(
        402,
        ERROR_REGISTRATION_DISABLED,
        "User registration is disabled: the librarian makes accounts (mutolaa-server users add)",
    )


@blueprint.get("/users/auth")
def auth() -> Response:
    """``{"authorized": "OK"}`` for a user whose KOReader key matches."""
    _user()
    return jsonify({"authorized": "OK"})


@blueprint.put("/syncs/progress")
def update_progress() -> Response:
    """Store a progress document; answers ``{"document", "timestamp"}``."""
    user = _user()
    body = parse_json(request.get_data(cache=False))
    if not isinstance(body, dict):
        raise RequestError("the request body is not a JSON object")
    document = body.get("document")
    if not isinstance(document, str) or not document:
        raise _KoreaderError(403, ERROR_DOCUMENT_MISSING, "document: missing or not a string")
    _check_document(document)
    percentage = _percentage(body.get("percentage"))
    timestamp = int(state().clock())
    progress = KoreaderProgress(
        document=document,
        progress=_field(body, "progress", required=True),
        percentage=percentage,
        device=_field(body, "device", required=True),
        device_id=_field(body, "device_id", required=False),
        timestamp=timestamp,
    )
    state().storage.save_koreader_progress(user.id, progress)
    return jsonify({"document": document, "timestamp": timestamp})


@blueprint.get("/syncs/progress/<document>")
def get_progress(document: str) -> Response:
    """The stored progress document, or ``{}`` when there is none."""
    user = _user()
    _check_document(document)
    found = state().storage.koreader_progress(user.id, document)
    if found is None:
        return jsonify({})
    return jsonify(
        {
            "document": found.document,
            "progress": found.progress,
            "percentage": found.percentage,
            "device": found.device,
            "device_id": found.device_id,
            "timestamp": found.timestamp,
        }
    )


@blueprint.get("/healthcheck")
def healthcheck() -> Response:
    """``{"state": "OK"}``."""
    return jsonify({"state": "OK"})


def _user() -> UserRecord:
    name = request.headers.get("x-auth-user", "")
    key = request.headers.get("x-auth-key", "")
    if not name or not key or len(name) > 64 or len(key) > 64:
        raise _KoreaderError(401, ERROR_UNAUTHORIZED, "Unauthorized")
    return state().accounts.koreader_authenticate(name, key, request.remote_addr or "unknown")


def _percentage(value: Any) -> float:
    """A percentage as KOReader sends it: a number, or a string Lua's ``tonumber`` reads."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise RequestError("percentage: missing or not a number") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RequestError("percentage: missing or not a number")
    if not 0 <= value <= 1:
        raise RequestError(f"percentage: {value} is not between 0 and 1")
    return float(value)


def _check_document(document: str) -> None:
    if not _DOCUMENT.fullmatch(document):
        raise _KoreaderError(
            403,
            ERROR_DOCUMENT_MISSING,
            "document: up to 128 letters, digits and _ expected (KOReader's partial MD5)",
        )


def _field(body: dict[str, Any], key: str, *, required: bool) -> str:
    value = body.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise RequestError(f"{key}: missing or not a string")
    if len(value) > MAX_FIELD:
        raise RequestError(f"{key}: longer than {MAX_FIELD} characters")
    return value


def _error(status: int, code: int, message: str) -> Response:
    response = jsonify({"code": code, "message": message, "error": message})
    response.status_code = status
    return response
