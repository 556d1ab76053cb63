"""SASLprep (RFC 4013) of typed passwords, as PDF 2.0 requires for AES-256 (R6) files."""

from __future__ import annotations

import contextlib
import stringprep
import unicodedata

from app.core.errors import UserError

_PROHIBITED = (
    stringprep.in_table_c12,
    stringprep.in_table_c21_c22,
    stringprep.in_table_c3,
    stringprep.in_table_c4,
    stringprep.in_table_c5,
    stringprep.in_table_c6,
    stringprep.in_table_c7,
    stringprep.in_table_c8,
    stringprep.in_table_c9,
)


def saslprep(password: str) -> str:
    """Normalise a password as RFC 4013 says (``SªSL\\u00adprep`` becomes ``SaSLprep``).

    Raises:
        UserError: the password holds characters SASLprep forbids.
    """
    mapped = "".join(
        " " if stringprep.in_table_c12(ch) else ch
        for ch in password
        if not stringprep.in_table_b1(ch)
    )
    normal = unicodedata.normalize("NFKC", mapped)
    if not normal:
        return normal
    for ch in normal:
        if any(check(ch) for check in _PROHIBITED[1:]):
            raise UserError("the password holds a character that is not allowed in passwords")
    rtl = [stringprep.in_table_d1(ch) for ch in normal]
    mixed = any(stringprep.in_table_d2(ch) for ch in normal) or not (rtl[0] and rtl[-1])
    if any(rtl) and mixed:
        raise UserError("the password mixes right-to-left and left-to-right text")
    return normal


def password_candidates(password: str) -> list[str]:
    """The forms of a typed password worth trying: SASLprep first, then as typed."""
    candidates = []
    with contextlib.suppress(UserError):
        candidates.append(saslprep(password))
    if password not in candidates:
        candidates.append(password)
    return candidates
