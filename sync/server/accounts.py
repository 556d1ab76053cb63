"""Accounts of the library server: passwords, tokens, the login limit, the KOReader credential.

Passwords are stored as scrypt hashes (`hashlib.scrypt`, n=2^14, r=8, p=1, a 16-byte random
salt) and compared in constant time. A login gives a token of 32 random bytes (URL-safe text)
that is stored only as its SHA-256 and is valid 90 days. Five failed logins for one name, or
from one address, within 15 minutes refuse further attempts (`RateLimitedError`, HTTP 429 with
Retry-After) until the oldest of them is 15 minutes old.

KOReader sends the MD5 of the password (`x-auth-key`), a weak credential; it works only for
accounts the librarian enabled it for (`mutolaa-server users koreader NAME`), and the server
keeps an scrypt hash of that MD5, never the MD5 itself (docs/server.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import math
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Final

from sync.server.storage import Storage, UserRecord

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
FAILURE_WINDOW: Final = 15 * 60.0
FAILURE_LIMIT: Final = 5
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
        """Give an account a new password; signs it out everywhere and turns KOReader off."""
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
            RateLimitedError: five failures for this name or from this address lately.
            BadCredentialsError: unknown name or wrong password (recorded as a failure).
            DisabledError: right password, disabled account.
        """
        user = self._checked(name, address, lambda u: u.password_hash, password)
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
        return self._checked(name, address, lambda u: u.password_hash, password)

    def koreader_authenticate(self, name: str, key: str, address: str) -> UserRecord:
        """The account for KOReader's ``x-auth-user`` and ``x-auth-key`` (the password's MD5).

        Raises the same errors as `login`; an account without KOReader enabled is refused like a
        wrong key (and counts as a failure).
        """
        return self._checked(name, address, lambda u: u.koreader_hash, key.lower())

    def _checked(
        self,
        name: str,
        address: str,
        stored: Callable[[UserRecord], str | None],
        secret: str,
    ) -> UserRecord:
        """The account when `secret` matches its `stored` hash; limits and records failures."""
        self._check_limit(name, address)
        user = self.storage.find_user(name) if name else None
        expected = stored(user) if user is not None else None
        # the same scrypt work whether or not the account exists, so timing tells nothing
        matches = verify_password(secret, expected if expected else _dummy_hash())
        if user is None or not expected or not matches:
            now = self.clock()
            self.storage.record_failure(name, address, now, now - FAILURE_WINDOW)
            log.warning("failed login for %r from %s", name, address)
            raise BadCredentialsError("wrong user name or password")
        if user.disabled:
            raise DisabledError(f"the account {user.name!r} is disabled")
        self.storage.clear_failures(user.name)
        return user

    def _check_limit(self, name: str, address: str) -> None:
        now = self.clock()
        by_name, by_address = self.storage.failures_since(name, address, now - FAILURE_WINDOW)
        waits = [
            times[FAILURE_LIMIT - 1] + FAILURE_WINDOW - now
            for times in (by_name, by_address)
            if len(times) >= FAILURE_LIMIT
        ]
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            log.warning("login limit reached for %r from %s", name, address)
            raise RateLimitedError(
                f"too many failed logins: try again in {retry_after} seconds", retry_after
            )


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
