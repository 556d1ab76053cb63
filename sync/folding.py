"""A small text folding for searching cached catalogue entries offline.

Case is folded (``casefold``), the text is NFKC-normalised, and the apostrophe forms that Uzbek
Latin is written with (ʻ ʼ ‘ ’ ` ´ and the ASCII ') all become one ASCII apostrophe, so that
"Oʻtkan kunlar", "O‘tkan kunlar" and "o'tkan KUNLAR" match. Cyrillic and Latin Uzbek are not
folded into each other (that belongs to the library's analyser, which sync may not import).
"""

from __future__ import annotations

import unicodedata

_APOSTROPHES = str.maketrans(dict.fromkeys("\u02bb\u02bc\u2018\u2019\u0060\u00b4\u02b9\u2032", "'"))


def fold(text: str) -> str:
    """`text` with case, compatibility forms and apostrophe forms folded, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    return " ".join(folded.split())


def matches(terms: str, *fields: str) -> bool:
    """True when every word of `terms` occurs (folded) in one of `fields` or across them."""
    words = fold(terms).split()
    if not words:
        return False
    haystack = "\n".join(fold(field) for field in fields)
    return all(word in haystack for word in words)
