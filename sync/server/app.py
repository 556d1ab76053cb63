"""The Flask application of the library server: its state, blueprints and error answers.

`create_app` opens the storage in the data folder, mounts the sync API (`/api/v1`), KOReader's
progress sync and, when a books folder is given, the OPDS catalogue (`sync.server.opds`; open to
its accounts only unless ``catalog_access="public"``, `sync.server.catalog_access`). Every
error reaches the client as one line of JSON (``{"error": ...}``); an unexpected exception is
logged with its traceback on the server and answered 500 without it.
"""

from __future__ import annotations

import importlib
import logging
import time
from pathlib import Path

from flask import Blueprint, Flask, Response, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from sync.server import api, koreader
from sync.server.accounts import Accounts, Clock
from sync.server.basic_auth import BasicVerifier
from sync.server.catalog_access import ACCESS, ACCOUNTS, require_accounts
from sync.server.changes import DEFAULT_QUOTA, MAX_BODY
from sync.server.state import EXTENSION, ServerState, error
from sync.server.storage import Storage

log = logging.getLogger(__name__)


def create_app(
    data_dir: Path,
    books_dir: Path | None = None,
    *,
    catalog: bool = True,
    catalog_access: str = ACCOUNTS,
    clock: Clock = time.time,
    behind_proxy: bool = False,
    quota: int | None = DEFAULT_QUOTA,
) -> Flask:
    """The server's WSGI application.

    Args:
        data_dir: the server's data folder (its database; created when missing).
        books_dir: the folder of books the OPDS catalogue serves; None serves no catalogue.
        catalog: False leaves the catalogue out even with a books folder (tests).
        catalog_access: who may read the catalogue: ``accounts`` (a token or an account's name
            and password, `sync.server.catalog_access`) or ``public`` (anyone).
        clock: seconds since the epoch, for token expiry and the login limit (tests inject it).
        behind_proxy: trust one reverse proxy's X-Forwarded-For/-Proto/-Host (the login limit
            then counts the client's address, not the proxy's).
        quota: the most bytes of notes one account may store (None: no quota).
    """
    if catalog_access not in ACCESS:
        raise ValueError(f"catalog_access {catalog_access!r}: not one of {', '.join(ACCESS)}")
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    storage = Storage(data_dir)
    accounts = Accounts(storage, clock)
    app.extensions[EXTENSION] = ServerState(storage, accounts, clock, quota)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(koreader.blueprint)
    if catalog and books_dir is not None:
        # imported here: the catalogue is written beside this module, and tests run without it
        opds = importlib.import_module("sync.server.opds")
        catalogue: Blueprint = opds.catalog_blueprint(books_dir, data_dir)
        if catalog_access == ACCOUNTS:
            require_accounts(catalogue, BasicVerifier(accounts))
        app.register_blueprint(catalogue)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    if behind_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    return app


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    if status == 404:
        message = f"no such endpoint: {request.method} {request.path}"
    elif status == 405:
        message = f"{request.method} is not allowed for {request.path}"
    elif status == 413:
        message = f"the request body is larger than {MAX_BODY // (1024 * 1024)} MiB"
    else:
        message = " ".join((exc.description or exc.name).split())
    response = error(status, message)
    allowed = dict(exc.get_headers()).get("Allow")
    if allowed:
        response.headers["Allow"] = allowed
    return response


def _unexpected_error(exc: Exception) -> Response:
    log.exception("unexpected error in %s %s", request.method, request.path)
    return error(500, "internal server error (the server's log says more)")
