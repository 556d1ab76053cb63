"""Repairs of extracted page text: Cyrillic read as Latin-1 (mojibake), pages without text."""

from __future__ import annotations

import re

# cp1251 puts Cyrillic letters at 0xC0-0xFF (А-я) and Ё/ё at 0xA8/0xB8; a PDF whose font has
# no Unicode map hands those bytes back as Latin-1, e.g. "Íå î÷åíü" for "Не очень".
_MOJIBAKE_RUN = re.compile(
    r"[A-Za-z\xa8\xb8\xc0-\xff]*[\xa8\xb8\xc0-\xff][A-Za-z\xa8\xb8\xc0-\xff]*"
)
_HIGH = re.compile(r"[\xc0-\xff]")
_LETTER = re.compile(r"[^\W\d_]")
_MIN_LETTERS = 12
_MIN_HIGH_SHARE = 0.6
# In real Russian about 40 % of letters are vowels; Latin-1 text decoded as cp1251 is not.
_RU_VOWELS = frozenset("аеёиоуыэюяАЕЁИОУЫЭЮЯ")


def looks_like_mojibake(text: str) -> bool:
    """True when most letters of a page are Latin-1 accented letters that decode to Russian.

    French or German pages have accented letters too, but far below half of their letters,
    and their cp1251 decoding does not have the vowel share of a Slavic language.
    """
    head = text[:4000]
    if not _HIGH.search(head):  # the common case, decided in C: no Latin-1 letter at all
        return False
    letters = _LETTER.findall(head)
    if len(letters) < _MIN_LETTERS:
        return False
    high = sum(1 for ch in letters if "\xc0" <= ch <= "\xff")
    if high / len(letters) < _MIN_HIGH_SHARE:
        return False
    accented = "".join(ch for ch in letters if "\xc0" <= ch <= "\xff" or ch in "\xa8\xb8")
    decoded = accented.encode("latin-1").decode("cp1251")
    vowels = sum(1 for ch in decoded if ch in _RU_VOWELS)
    return 0.25 <= vowels / max(1, len(decoded)) <= 0.6


def repair_mojibake(text: str) -> str:
    """Re-decode every Latin-1 run of a mojibake page as cp1251; ASCII is left alone."""

    def _fix(match: re.Match[str]) -> str:
        run = match.group(0)
        if not _HIGH.search(run):
            return run
        try:
            return run.encode("latin-1").decode("cp1251")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run

    return _MOJIBAKE_RUN.sub(_fix, text)


def needs_ocr(text: str, has_images: bool) -> bool:
    """True for a page that shows something but has (almost) no text layer: a scan."""
    return has_images and len(text.strip()) < 16
