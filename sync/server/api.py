"""The sync API (`/api/v1`): probe, login, push and pull, as docs/sync-protocol.md says.

Errors are ``{"error": "<one line>"}``: 400 a bad request (the line says what and where), 401 no
or bad token, 403 a disabled account, 409 a mass deletion (with ``"mass_deletion": true``), 413
too many changes or too large a body, 429 too many failed logins (with Retry-After).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Final

from flask import Blueprint, Response, jsonify, request

from sync.server.accounts import AccountError, RateLimitedError
from sync.server.changes import (
    MassDeletionError,
    RequestError,
    apply_push,
    parse_json,
    parse_login,
    parse_pull,
    parse_push,
    pull,
)
from sync.server.state import error, state
from sync.server.storage import UserRecord

log = logging.getLogger(__name__)

PROTOCOL: Final = 1
"""The version of docs/sync-protocol.md this server speaks."""

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


class _Refused(Exception):
    """Answer the request with this error response (raised where a check fails)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


@blueprint.errorhandler(_Refused)
def _refused(exc: _Refused) -> Response:
    return exc.response


@blueprint.errorhandler(RequestError)
def _bad_request(exc: RequestError) -> Response:
    log.info("refused %s %s (%d): %s", request.method, request.path, exc.status, exc)
    if isinstance(exc, MassDeletionError):
        return error(
            exc.status,
            str(exc),
            mass_deletion=True,
            kind=exc.kind,
            live=exc.live,
            deleting=exc.deleting,
        )
    return error(exc.status, str(exc))


@blueprint.errorhandler(AccountError)
def _account_refused(exc: AccountError) -> Response:
    log.info("refused %s %s (%d): %s", request.method, request.path, exc.status, exc)
    response = error(exc.status, str(exc))
    if isinstance(exc, RateLimitedError):
        response.headers["Retry-After"] = str(exc.retry_after)
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="mutolaa"'
    return response


@blueprint.get("/probe")
def probe() -> Response:
    """``{"server": "mutolaa", "protocol": 1}``, without authentication."""
    return jsonify({"server": "mutolaa", "protocol": PROTOCOL})


@blueprint.post("/login")
def login() -> Response:
    """``{"user", "password", "device"}`` → ``{"token", "user", "expires"}`` (ISO 8601, UTC)."""
    user, password, device = parse_login(_body())
    session = state().accounts.login(user, password, device, _address())
    return jsonify(
        {"token": session.token, "user": session.user, "expires": _iso(session.expires_at)}
    )


@blueprint.post("/sync/push")
def push() -> Response:
    """``{"device", "changes", "allow_deletions"?}`` → ``{"results": [...]}``."""
    user = _user()
    request_ = parse_push(_body())
    results = apply_push(state().storage, user.id, request_)
    log.info(
        "push: %s from %r, %d changes, %d results",
        user.name,
        request_.device,
        len(request_.changes),
        len(results),
    )
    return jsonify({"results": results})


@blueprint.get("/sync/pull")
def pull_changes() -> Response:
    """``?since=V&limit=N`` → ``{"changes": [...], "next": V2, "more": bool}``."""
    user = _user()
    since, limit = parse_pull(request.args)
    return jsonify(pull(state().storage, user.id, since, limit))


def _user() -> UserRecord:
    """The account of the request's bearer token (401 or 403 otherwise)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        response = error(401, "no token: log in first and send Authorization: Bearer TOKEN")
        response.headers["WWW-Authenticate"] = 'Bearer realm="mutolaa"'
        raise _Refused(response)
    return state().accounts.authenticate(token)


def _body() -> object:
    return parse_json(request.get_data(cache=False))


def _address() -> str:
    return request.remote_addr or "unknown"


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
