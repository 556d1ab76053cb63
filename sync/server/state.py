"""What the endpoints share (storage, accounts, clock) and how they answer an error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from flask import Response, current_app, jsonify

from sync.server.accounts import Accounts, Clock
from sync.server.storage import Storage

EXTENSION: Final = "mutolaa"
"""The key of the `ServerState` in ``app.extensions``."""


@dataclass(frozen=True)
class ServerState:
    """The storage, the accounts over it, the clock of one application, and the quota of every
    account in bytes (None: no quota)."""

    storage: Storage
    accounts: Accounts
    clock: Clock
    quota: int | None = None


def state() -> ServerState:
    """The state of the application handling the current request."""
    found: ServerState = current_app.extensions[EXTENSION]
    return found


def error(status: int, message: str, **extra: object) -> Response:
    """A JSON error answer: ``{"error": message, **extra}`` with `status`."""
    response = jsonify({"error": message, **extra})
    response.status_code = status
    return response
