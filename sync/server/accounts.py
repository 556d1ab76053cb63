"""Accounts of the library server: passwords, tokens, the login limit, the KOReader credential.

Passwords are stored as scrypt hashes (`hashlib.scrypt`, n=2^14, r=8, p=1, a 16-byte random
salt) and compared in constant time. A login gives a token of 32 random bytes (URL-safe text)
that is stored only as its SHA-256 and is valid 90 days.

The login limit (docs/server.md, "The login limit"): per (account, address), 3 failures and then
a wait that doubles after each further failure, up to 15 minutes; per account, a bucket that
drains 50 failures an hour and, while full, refuses devices that never logged in to the account.
An attempt is checked and counted in one transaction before scrypt runs, so parallel guesses
cannot slip past the check. A refused attempt is `RateLimitedError` (HTTP 429 with Retry-After).

KOReader sends the MD5 of the password (`x-auth-key`), a weak credential; it works only for
accounts the librarian enabled it for (`mutolaa-server users koreader NAME`), and the server
keeps an scrypt hash of that MD5, never the MD5 itself (docs/server.md). A verified key is
remembered for `KOREADER_MEMORY` seconds (KOReader sends it with every request), keyed by a hash
that changes with the stored credential.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import math
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Final

from sync.server.storage import LoginRecord, Storage, UserRecord

log = logging.getLogger(__name__)

Clock = Callable[[], float]
"""Seconds since the epoch (time.time); tests pass their own."""

SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
SALT_BYTES: Final = 16
HASH_BYTES: Final = 32
TOKEN_BYTES: Final = 32
TOKEN_LIFETIME: Final = 90 * 24 * 3600.0
FREE_FAILURES: Final = 3
"""Failures for one account from one address before each attempt there has to wait."""
MAX_DELAY: Final = 15 * 60.0
"""The longest wait between attempts for one account from one address."""
PAIR_MEMORY: Final = 24 * 3600.0
"""How long failures are remembered after the last one."""
ACCOUNT_LIMIT: Final = 50
"""Failures of an account (from every address) an hour; while its bucket holds this many, devices
that never logged in to it are refused."""
ACCOUNT_DRAIN: Final = ACCOUNT_LIMIT / 3600.0
"""How fast the account's bucket empties, in failures a second."""
KOREADER_MEMORY: Final = 5 * 60.0
"""How long a verified KOReader key is taken without running scrypt again."""
_KOREADER_ENTRIES: Final = 10_000
MIN_PASSWORD: Final = 8
MAX_PASSWORD: Final = 1024
MAX_NAME: Final = 64
_NAME: Final = re.compile(r"[^\W][\w.@-]*")


class AccountError(Exception):
    """A refused account operation; `status` is the HTTP status that says it."""

    status = 400


class InvalidInputError(AccountError):
    """A name or password that cannot be used (the message says why)."""


class UnknownUserError(AccountError):
    """No account has this name."""

    status = 404


class BadCredentialsError(AccountError):
    """Wrong name or password, or a token that is unknown or has expired."""

    status = 401


class DisabledError(AccountError):
    """The account is disabled: it cannot log in and its tokens stopped working."""

    status = 403


class RateLimitedError(AccountError):
    """Too many failed logins; `retry_after` is the number of seconds to wait."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Session:
    """A successful login: the token (shown once, never stored) and when it expires."""

    token: str
    user: str
    expires_at: float


def hash_password(password: str) -> str:
    """The stored form of a password: ``scrypt$n$r$p$salt$hash`` (base64 parts)."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest)
        actual = _scrypt(password, base64.urlsafe_b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def token_hash(token: str) -> str:
    """How a token is stored and looked up: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def koreader_key(password: str) -> str:
    """What KOReader sends as ``x-auth-key``: the MD5 of the password in hex (not a security
    measure: KOReader's protocol)."""
    return hashlib.md5(password.encode("utf-8"), usedforsecurity=False).hexdigest()


def check_name(name: str) -> str:
    """The name if it can name an account, else InvalidInputError saying why."""
    if not name:
        raise InvalidInputError("the user name is empty")
    if len(name) > MAX_NAME:
        raise InvalidInputError(f"the user name is longer than {MAX_NAME} characters")
    if not _NAME.fullmatch(name):
        raise InvalidInputError(
            f"the user name {name!r} may hold only letters, digits and . _ - @,"
            " and starts with a letter or digit"
        )
    return name


def check_password(password: str) -> str:
    """The password if it is long enough (and not absurdly long), else InvalidInputError."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInputError(f"the password is shorter than {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InvalidInputError(f"the password is longer than {MAX_PASSWORD} characters")
    return password


class Accounts:
    """The account operations of the server and of `mutolaa-server users`, over one Storage."""

    def __init__(self, storage: Storage, clock: Clock = time.time) -> None:
        self.storage = storage
        self.clock = clock
        self._verified: dict[str, float] = {}  # KOReader: hash of (account, credential, key)
        self._verified_lock = threading.Lock()

    # -- the librarian's commands ----------------------------------------------------------

    def add(self, name: str, password: str) -> UserRecord:
        """Create an account (UserExistsError from storage when the name is taken)."""
        check_name(name)
        check_password(password)
        return self.storage.add_user(name, hash_password(password), self.clock())

    def users(self) -> list[UserRecord]:
        """Every account, by name."""
        return self.storage.list_users()

    def find(self, name: str) -> UserRecord:
        """The account with this name, or UnknownUserError."""
        user = self.storage.find_user(name)
        if user is None:
            raise UnknownUserError(f"no user named {name!r}")
        return user

    def set_disabled(self, name: str, disabled: bool) -> UserRecord:
        """Disable an account (its tokens stop working) or enable it again."""
        user = self.find(name)
        self.storage.set_disabled(user.id, disabled)
        return user

    def reset(self, name: str, password: str) -> UserRecord:
        """Give an account a new password; signs it out everywhere, turns KOReader off and
        forgets its known devices and failed logins."""
        check_password(password)
        user = self.find(name)
        self.storage.set_password(user.id, hash_password(password))
        self.storage.clear_failures(user.name)
        return user

    def set_koreader(self, name: str, password: str | None) -> UserRecord:
        """Let KOReader sync with this password (its MD5), or with None stop it."""
        user = self.find(name)
        if password is None:
            self.storage.set_koreader_hash(user.id, None)
        else:
            check_password(password)
            self.storage.set_koreader_hash(user.id, hash_password(koreader_key(password)))
        return user

    # -- the server's checks ---------------------------------------------------------------

    def login(self, name: str, password: str, device: str, address: str) -> Session:
        """Check a name and password and give a new token.

        Raises:
            RateLimitedError: too many failures for this name from this address, or for this
                name from everywhere and `device` never logged in to it.
            BadCredentialsError: unknown name or wrong password (recorded as a failure).
            DisabledError: right password, disabled account.
        """
        user = self._checked(
            name, address, _device_hash("device", device), lambda u: u.password_hash, password
        )
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = self.clock()
        expires_at = now + TOKEN_LIFETIME
        self.storage.add_token(token_hash(token), user.id, device, now, expires_at)
        log.info("login: %s on %r from %s", user.name, device, address)
        return Session(token=token, user=user.name, expires_at=expires_at)

    def authenticate(self, token: str) -> UserRecord:
        """The account of a bearer token; BadCredentialsError or DisabledError."""
        user = self.storage.token_user(token_hash(token), self.clock())
        if user is None:
            raise BadCredentialsError("the token is unknown or has expired: log in again")
        if user.disabled:
            raise DisabledError(f"the account {user.name!r} is disabled")
        return user

    def revoke(self, token: str) -> bool:
        """Revoke a bearer token (a logout): it is refused from now on. True when it was
        valid; an unknown, expired or already revoked token is no error (a logout repeated)."""
        now = self.clock()
        valid = self.storage.token_user(token_hash(token), now) is not None
        removed = self.storage.remove_token(token_hash(token))
        return valid and removed

    def check_login(self, name: str, password: str, address: str) -> UserRecord:
        """The account of a name and password, without a token (HTTP Basic for the catalogue).

        Raises the same errors as `login`, and counts a failure the same way.
        """
        device = _device_hash("basic", address)  # Basic clients send no device id either
        return self._checked(name, address, device, lambda u: u.password_hash, password)

    def refuse_if_limited(self, name: str, address: str) -> None:
        """Raise `RateLimitedError` when a Basic check of `name` from `address` would be refused
        now: asked before a pair verified lately is taken on trust, so that memory answers no
        guess the limit would refuse (as for KOReader's keys)."""
        device = _device_hash("basic", address)
        self._refuse_if_limited(self.storage.login_record(name, address, device), name, address)

    def koreader_authenticate(self, name: str, key: str, address: str) -> UserRecord:
        """The account for KOReader's ``x-auth-user`` and ``x-auth-key`` (the password's MD5).

        Raises the same errors as `login`; an account without KOReader enabled is refused like a
        wrong key (and counts as a failure). KOReader sends no device id: its address is the
        device. A key verified in the last `KOREADER_MEMORY` seconds runs no scrypt, but the
        limits are checked first, so that the memory answers no guess the limit would refuse.
        """
        key = key.lower()
        device = _device_hash("koreader", address)
        self._refuse_if_limited(self.storage.login_record(name, address, device), name, address)
        user = self.storage.find_user(name) if name else None
        remembered = _remembered(user, key) if user is not None else None
        if user is not None and remembered is not None and self._recalls(remembered):
            if user.disabled:
                raise DisabledError(f"the account {user.name!r} is disabled")
            return user
        user = self._checked(name, address, device, lambda u: u.koreader_hash, key)
        remembered = _remembered(user, key)
        if remembered is not None:
            self._remember(remembered)
        return user

    def _checked(
        self,
        name: str,
        address: str,
        device: str,
        stored: Callable[[UserRecord], str | None],
        secret: str,
    ) -> UserRecord:
        """The account when `secret` matches its `stored` hash; limits and counts failures."""
        now = self.clock()
        with self.storage.login_attempt(name, address, device) as (record, ledger):
            self._refuse_if_limited(record, name, address)
            # counted as a failure before scrypt runs, in the transaction that checked the
            # limit: parallel attempts see each other's counts (a success takes it back)
            ledger.count_failure(
                record.failures + 1, _drained(record, now) + 1, now, now - PAIR_MEMORY
            )
        user = self.storage.find_user(name) if name else None
        expected = stored(user) if user is not None else None
        # the same scrypt work whether or not the account exists, so timing tells nothing
        matches = verify_password(secret, expected if expected else _dummy_hash())
        if user is None or not expected or not matches:
            log.warning("failed login for %r from %s", name, address)
            raise BadCredentialsError("wrong user name or password")
        self.storage.login_succeeded(name, address, user.id, device, self.clock())
        if user.disabled:
            raise DisabledError(f"the account {user.name!r} is disabled")
        return user

    def _refuse_if_limited(self, record: LoginRecord, name: str, address: str) -> None:
        """Raise RateLimitedError when the limit refuses an attempt now (docs/server.md)."""
        now = self.clock()
        wait = 0.0
        if record.failures >= FREE_FAILURES:
            delay = min(2.0 ** (record.failures - FREE_FAILURES), MAX_DELAY)
            wait = record.last_failure + delay - now
        pressure = _drained(record, now)
        if pressure > ACCOUNT_LIMIT - 1 and not record.known:
            wait = max(wait, (pressure - (ACCOUNT_LIMIT - 1)) / ACCOUNT_DRAIN)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            log.warning("login limit reached for %r from %s", name, address)
            raise RateLimitedError(
                f"too many failed logins: try again in {retry_after} seconds", retry_after
            )

    def _recalls(self, remembered: str) -> bool:
        """True when this KOReader key was verified less than `KOREADER_MEMORY` seconds ago."""
        with self._verified_lock:
            until = self._verified.get(remembered)
        return until is not None and self.clock() < until

    def _remember(self, remembered: str) -> None:
        now = self.clock()
        with self._verified_lock:
            if len(self._verified) >= _KOREADER_ENTRIES:  # bounded: drop what has expired
                self._verified = {k: t for k, t in self._verified.items() if t > now}
                if len(self._verified) >= _KOREADER_ENTRIES:
                    self._verified.clear()
            self._verified[remembered] = now + KOREADER_MEMORY


def _drained(record: LoginRecord, now: float) -> float:
    """The account's failure bucket at `now`: what was written, less what drained since."""
    return max(0.0, record.pressure - max(0.0, now - record.pressure_at) * ACCOUNT_DRAIN)


def _device_hash(kind: str, device: str) -> str:
    """How a device is known to the login limit: the SHA-256 of its id (``device``) or, for
    KOReader, of its address (``koreader``); the kind keeps one from passing for the other."""
    return hashlib.sha256(f"{kind}\0{device}".encode()).hexdigest()


def _remembered(user: UserRecord, key: str) -> str | None:
    """The memory's entry for this account's KOReader key: it changes with the stored hash (a
    new KOReader password, `--off`, a reset), so a changed credential is never recalled."""
    if not user.koreader_hash:
        return None
    text = f"{user.id}\0{user.koreader_hash}\0{key}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=64 * 1024 * 1024,
        dklen=HASH_BYTES,
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


@cache
def _dummy_hash() -> str:
    """A hash no password matches, compared against when the account does not exist."""
    return hash_password(secrets.token_urlsafe(16))
