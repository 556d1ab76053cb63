"""What a person's profile must be: a name, a PIN kept as a scrypt hash, the wait after wrong PINs.

Pure rules, no storage: `app/library/profiles.py` keeps the results, the schema 9 migration
uses `person_name` to name the first person after the OS user.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re

from app.core.errors import UserError
from sync.terminal import printable

#: The longest name a person may have (a chooser tile and a line of `profiles list`).
NAME_LIMIT = 40
#: A PIN: 4 to 8 digits (ASCII only: a PIN typed on another keyboard layout must still match).
PIN_PATTERN = re.compile(r"[0-9]{4,8}")
#: scrypt's cost (RFC 7914): 16 MiB and about 50 ms on this machine's cores per check.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_SALT_BYTES = 16
_HASH_BYTES = 32
#: Wrong PINs allowed before the first wait; each later one doubles it, up to `MAX_WAIT`.
FREE_TRIES = 3
FIRST_WAIT = 30.0
MAX_WAIT = 15 * 60.0


class WrongPinError(UserError):
    """A PIN was given that is not the person's."""


class PinWaitError(UserError):
    """Too many wrong PINs: no PIN of this person is checked until the wait is over.

    Attributes:
        seconds: how long is left to wait.
    """

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


def person_name(text: str) -> str:
    """A person's name as kept: without what a terminal would obey, spaces folded, trimmed.

    Raises:
        UserError: it is empty, or longer than `NAME_LIMIT` characters.
    """
    name = " ".join(printable(text).split())
    if not name:
        raise UserError("a person's name cannot be empty")
    if len(name) > NAME_LIMIT:
        raise UserError(f"{name[:20]}…: a person's name has at most {NAME_LIMIT} characters")
    return name


def same_name(first: str, second: str) -> bool:
    """Whether two names are the same person's (case ignored in every script: Ali, ALI, али…)."""
    return first.casefold() == second.casefold()


def check_pin_form(pin: str) -> str:
    """``pin`` when it is 4 to 8 digits.

    Raises:
        UserError: it is not (the PIN itself is never in the message).
    """
    if not PIN_PATTERN.fullmatch(pin):
        raise UserError("a PIN is 4 to 8 digits (0-9)")
    return pin


def hash_pin(pin: str) -> str:
    """The PIN's scrypt hash with its salt and cost: ``scrypt$n$r$p$salt$hash`` (hex).

    Raises:
        UserError: the PIN is not 4 to 8 digits.
    """
    salt = os.urandom(_SALT_BYTES)
    digest = _scrypt(check_pin_form(pin), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, kept: str) -> bool:
    """Whether ``pin`` is the one hashed into ``kept`` (compared in constant time).

    A hash this version cannot read (another algorithm, damaged) matches nothing.
    """
    try:
        algorithm, n, r, p, salt, digest = kept.split("$")
        if algorithm != "scrypt":
            return False
        expected = bytes.fromhex(digest)
        found = _scrypt(pin, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(found, expected)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # maxmem: OpenSSL's default (32 MiB) refuses n = 2**14 with r = 8 on some builds
    return hashlib.scrypt(
        pin.encode("ascii"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024**2, dklen=_HASH_BYTES
    )


def wait_after(failures: int) -> float:
    """Seconds to wait after ``failures`` wrong PINs in a row: none for the first `FREE_TRIES`
    - 1, then `FIRST_WAIT`, doubling with each further one, at most `MAX_WAIT`."""
    if failures < FREE_TRIES:
        return 0.0
    return min(FIRST_WAIT * 2.0 ** min(failures - FREE_TRIES, 20), MAX_WAIT)


def duration(seconds: float) -> str:
    """A wait for people: ``30 s``, ``2 min``, ``15 min`` (rounded up)."""
    whole = max(1, int(-(-seconds // 1)))
    if whole < 60:
        return f"{whole} s"
    return f"{-(-whole // 60)} min"
