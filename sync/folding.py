"""A small text folding for searching cached catalogue entries offline.

Case is folded (``casefold``), the text is NFKC-normalised, and the apostrophe forms that Uzbek
Latin is written with (ʻ ʼ ‘ ’ ` ´ and the ASCII ') all become one ASCII apostrophe, so that
"Oʻtkan kunlar", "O‘tkan kunlar" and "o'tkan KUNLAR" match. Cyrillic and Latin Uzbek are not
folded into each other here: that belongs to the library's analyser (`app.core.textfold.fold`),
which sync may not import, so the application hands it to `CatalogClient(fold=...)` and
`matches(..., fold=...)` uses it ("Ўтган кунлар" then matches "o'tgan kunlar").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

_APOSTROPHES = str.maketrans(dict.fromkeys("\u02bb\u02bc\u2018\u2019\u0060\u00b4\u02b9\u2032", "'"))


def fold(text: str) -> str:
    """`text` with case, compatibility forms and apostrophe forms folded, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    return " ".join(folded.split())


def matches(terms: str, *fields: str, fold: Callable[[str], str] = fold) -> bool:
    """True when every word of `terms` occurs (folded by `fold`) in one of `fields` or across
    them."""
    words = fold(terms).split()
    if not words:
        return False
    haystack = "\n".join(fold(field) for field in fields)
    return all(word in haystack for word in words)
