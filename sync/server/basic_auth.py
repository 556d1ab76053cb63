"""HTTP Basic for the catalogue: the header read, and name/password pairs verified lately kept.

A Basic client (KOReader, Thorium…) sends the name and password with every request, and each
check is an scrypt (tens of milliseconds of a core): a catalogue page with 50 covers would
cost seconds. A pair that passed `Accounts.check_login` is kept for `LIFETIME` seconds, in
memory only and keyed by an HMAC of the password under a key made at start (never the password
itself); a kept pair still needs the account's current password hash to be the one it was
checked against and the account to be enabled (both one indexed read), so a new password or a
disabled account takes effect at once. A pair that fails goes through the full check every
time, so every wrong password counts for the login limit.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from typing import Final

from sync.server.accounts import Accounts
from sync.server.storage import UserRecord

LIFETIME: Final = 300.0
"""How long a verified pair is taken on trust (seconds)."""
MAX_KEPT: Final = 1000
"""The most pairs kept; the oldest go first."""


def basic_pair(header: str) -> tuple[str, str] | None:
    """The (name, password) of an ``Authorization: Basic …`` header, or None when it is not
    one (UTF-8, as RFC 7617's ``charset="UTF-8"`` asks; Latin-1 when it is not UTF-8)."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    name, colon, password = text.partition(":")
    return (name, password) if colon else None


class BasicVerifier:
    """Checks Basic name/password pairs against the accounts, keeping verified ones a while.

    Args:
        accounts: the server's accounts (their check counts failures for the login limit).
        clock: a monotonic clock in seconds (tests pass their own).
    """

    def __init__(self, accounts: Accounts, clock: Callable[[], float] = time.monotonic) -> None:
        self.accounts = accounts
        self.clock = clock
        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        # (name, HMAC of the password) → (the password hash it was checked against, until)
        self._kept: dict[tuple[str, bytes], tuple[str, float]] = {}

    def check(self, name: str, password: str, address: str) -> UserRecord:
        """The account of `name` and `password`.

        Raises:
            AccountError: as `Accounts.check_login` (wrong pair, disabled, too many failures).
        """
        key = (name, hmac.digest(self._key, password.encode("utf-8"), hashlib.sha256))
        now = self.clock()
        self.accounts.refuse_if_limited(name, address)
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and kept[1] > now:
            user = self.accounts.storage.find_user(name)
            if user is not None and not user.disabled and user.password_hash == kept[0]:
                return user
        user = self.accounts.check_login(name, password, address)
        with self._lock:
            self._kept.pop(key, None)
            self._kept[key] = (user.password_hash, now + LIFETIME)
            while len(self._kept) > MAX_KEPT:
                del self._kept[next(iter(self._kept))]
        return user
