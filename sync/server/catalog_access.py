"""Who may read the OPDS catalogue: anyone (``public``) or the server's accounts (``accounts``).

With ``accounts`` every catalogue request (feeds, search, covers, book files) needs either the
bearer token of a Mutolaa login (``Authorization: Bearer``) or HTTP Basic with an account's
name and password (what OPDS readers such as KOReader and Thorium send; over TLS only, as
docs/server.md says). Without them the answer is 401 with ``WWW-Authenticate: Basic`` and an
Authentication for OPDS 1.0 document, from which a reader makes its login dialog; a wrong pair
counts as a failed login (the login limit), a disabled account is 403, too many failures 429.
"""

from __future__ import annotations

import json
import logging
from typing import Final

from flask import Blueprint, Response, current_app, request

from sync.server.accounts import AccountError, RateLimitedError
from sync.server.basic_auth import BasicVerifier, basic_pair
from sync.server.opds_http import DEFAULT_TITLE, plain_error
from sync.server.state import state

log = logging.getLogger(__name__)

PUBLIC: Final = "public"
ACCOUNTS: Final = "accounts"
ACCESS: Final = (ACCOUNTS, PUBLIC)
"""The values of ``mutolaa-server serve --catalog`` (the first is the default)."""
AUTH_DOCUMENT_TYPE: Final = "application/opds-authentication+json"
BASIC_AUTH_TYPE: Final = "http://opds-spec.org/auth/basic"


def require_accounts(blueprint: Blueprint, verifier: BasicVerifier) -> None:
    """Let only the server's accounts use `blueprint` (before it is registered)."""

    def check() -> Response | None:
        return _refusal(verifier)

    blueprint.before_request(check)


def _refusal(verifier: BasicVerifier) -> Response | None:
    """None when the request is signed in; else the answer that refuses it."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    try:
        if scheme.lower() == "bearer" and value.strip():
            state().accounts.authenticate(value.strip())
            return None
        pair = basic_pair(header)
        if pair is not None:
            verifier.check(*pair, request.remote_addr or "unknown")
            return None
    except AccountError as exc:
        log.info("catalogue refused %s (%d): %s", request.path, exc.status, exc)
        if exc.status != 401:
            response = plain_error(exc.status, str(exc))
            if isinstance(exc, RateLimitedError):
                response.headers["Retry-After"] = str(exc.retry_after)
            return response
        return _challenge(f"{exc}")
    return _challenge("this catalogue is for the library's members: sign in")


def _challenge(message: str) -> Response:
    """401 with a Basic challenge and the Authentication for OPDS document."""
    title = str(current_app.config.get("OPDS_TITLE", DEFAULT_TITLE))
    document = {
        "id": "urn:mutolaa:opds:authentication",
        "title": title,
        "description": f"{message[:1].upper()}{message[1:]}.",
        "authentication": [
            {
                "type": BASIC_AUTH_TYPE,
                "labels": {"login": "User name", "password": "Password"},
            }
        ],
    }
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    response = Response(body, status=401, content_type=AUTH_DOCUMENT_TYPE)
    response.headers["WWW-Authenticate"] = f'Basic realm="{_realm(title)}", charset="UTF-8"'
    return response


def _realm(title: str) -> str:
    """The title as a quoted-string a header can carry (ASCII, no quotes), else the default."""
    if title.isascii() and title.isprintable() and not set('"\\') & set(title):
        return title
    return DEFAULT_TITLE
