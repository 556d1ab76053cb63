"""Text folding for searching catalogues: case, compatibility forms, diacritics, apostrophes.

Case is folded (``casefold``), the text is NFKC-normalised, Latin letters lose their diacritics
("Brontë" → "bronte"), and the apostrophe forms that Uzbek Latin is written with (ʻ ʼ ‘ ’ ` ´ and
the ASCII ') all become one ASCII apostrophe, so that "Oʻtkan kunlar", "O‘tkan kunlar" and
"o'tkan KUNLAR" match. Cyrillic and Latin Uzbek are not folded into each other here: that
belongs to the library's analyser (`app.core.textfold.fold`), which sync may not import, so the
application hands it to `CatalogClient(fold=...)` and `matches(..., fold=...)` uses it ("Ўтган
кунлар" then matches "o'tgan kunlar"); the library server adds its own transliteration.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

_APOSTROPHES = str.maketrans(dict.fromkeys("\u02bb\u02bc\u2018\u2019\u0060\u00b4\u02b9\u2032", "'"))


# Latin letters with diacritics (é ë ö ü ñ ç å ł ø …) and their bare letters, so that "bezier"
# finds "Bézier" and "bronte" "Brontë". Only the Latin blocks: the Uzbek apostrophe letters are
# ASCII letters plus a modifier (oʻ, gʻ), and Cyrillic й and ё keep their own rules.
_LATIN_ACCENTED = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")
_BARE_LETTERS = {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ħ": "h", "ı": "i"}


@lru_cache(maxsize=4096)
def _bare(char: str) -> str:
    if char in _BARE_LETTERS:
        return _BARE_LETTERS[char]
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
    )
    return stripped or char


def strip_latin_diacritics(text: str) -> str:
    """Latin letters without their diacritics (é → e, ë → e, ø → o, ł → l); every other
    character as it is. The library's analyser (`app.core.textfold`) uses it too."""
    if text.isascii() or _LATIN_ACCENTED.search(text) is None:
        return text
    return _LATIN_ACCENTED.sub(lambda match: _bare(match.group()), text)


def fold(text: str) -> str:
    """`text` with case, compatibility forms, Latin diacritics and apostrophe forms folded,
    spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    return " ".join(strip_latin_diacritics(folded).split())


def matches(terms: str, *fields: str, fold: Callable[[str], str] = fold) -> bool:
    """True when every word of `terms` occurs (folded by `fold`) in one of `fields` or across
    them."""
    words = fold(terms).split()
    if not words:
        return False
    haystack = "\n".join(fold(field) for field in fields)
    return all(word in haystack for word in words)
