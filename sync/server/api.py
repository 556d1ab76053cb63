"""The sync API (`/api/v1`): probe, login, logout, push and pull, as docs/sync-protocol.md says.

Errors are ``{"error": "<one line>"}``: 400 a bad request (the line says what and where), 401 no
or bad token, 403 a disabled account, 409 a mass deletion (with ``"mass_deletion": true``), 413
too many changes, too large a body or an account over its quota, 429 too many failed logins
(with Retry-After).
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, request

from sync.protocol import (
    LOGIN_PATH,
    LOGOUT_PATH,
    PROBE_PATH,
    PULL_PATH,
    PUSH_PATH,
    LoginAnswer,
    LogoutAnswer,
    ProbeAnswer,
    PushAnswer,
    iso_utc,
)
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

# the routes are `sync.protocol`'s paths, whole (they start with its API_ROOT)
blueprint = Blueprint("api", __name__)


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


@blueprint.get(PROBE_PATH)
def probe() -> Response:
    """``{"server": "mutolaa", "protocol": 1}``, without authentication."""
    return jsonify(ProbeAnswer().to_json())


@blueprint.post(LOGIN_PATH)
def login() -> Response:
    """``{"user", "password", "device"}`` → ``{"token", "user", "expires"}`` (ISO 8601, UTC)."""
    asked = parse_login(_body())
    session = state().accounts.login(asked.user, asked.password, asked.device, _address())
    answer = LoginAnswer(session.token, session.user, iso_utc(session.expires_at))
    return jsonify(answer.to_json())


@blueprint.post(LOGOUT_PATH)
def logout() -> Response:
    """Revoke the request's bearer token → ``{"revoked": bool}`` (idempotent: a token that is
    unknown, expired or already revoked answers 200 with false, so a client that could not
    tell whether its first try arrived may try again)."""
    revoked = state().accounts.revoke(_token())
    log.info("logout: a token %s", "revoked" if revoked else "that was no longer valid")
    return jsonify(LogoutAnswer(revoked).to_json())


@blueprint.post(PUSH_PATH)
def push() -> Response:
    """``{"device", "changes", "allow_deletions"?}`` → ``{"results": [...]}``."""
    user = _user()
    request_ = parse_push(_body())
    results = apply_push(state().storage, user.id, request_, quota=state().quota)
    log.info(
        "push: %s from %r, %d changes, %d results",
        user.name,
        request_.device,
        len(request_.changes),
        len(results),
    )
    return jsonify(PushAnswer(tuple(results)).to_json())


@blueprint.get(PULL_PATH)
def pull_changes() -> Response:
    """``?since=V&limit=N`` → ``{"changes": [...], "next": V2, "more": bool}``."""
    user = _user()
    wanted = parse_pull(request.args)
    return jsonify(pull(state().storage, user.id, wanted).to_json())


def _user() -> UserRecord:
    """The account of the request's bearer token (401 or 403 otherwise)."""
    return state().accounts.authenticate(_token())


def _token() -> str:
    """The request's bearer token (401 when it has none)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        response = error(401, "no token: log in first and send Authorization: Bearer TOKEN")
        response.headers["WWW-Authenticate"] = 'Bearer realm="mutolaa"'
        raise _Refused(response)
    return token


def _body() -> object:
    return parse_json(request.get_data(cache=False))


def _address() -> str:
    return request.remote_addr or "unknown"
