"""Finding a quote in a text: folded, spaces ignored, the words around it deciding.

Places are counted in non-space characters, as annotation anchors count them. Text and quote are
folded one character at a time (``app.core.textfold.fold``: case, Uzbek Cyrillic to Latin,
apostrophe forms), so a quote is found whatever its case or spacing. The reader re-anchors an
annotation with it (``app/ui/reader/anchoring.py``), the import of another tool's annotations
places one with it (``app/services/annotations/quotes.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from app.core.textfold import fold


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return "".join(fold(char).split())


def folded(text: str) -> tuple[str, list[int]]:
    """``text`` folded without spaces, and for each folded character the index of the
    non-space character of ``text`` it came from."""
    parts: list[str] = []
    origin: list[int] = []
    index = 0
    for char in text:
        if char.isspace():
            continue
        piece = _fold_char(char)
        parts.append(piece)
        origin.extend([index] * len(piece))
        index += 1
    return "".join(parts), origin


def locate_in(
    haystack: str,
    origin: Sequence[int],
    quote: str,
    *,
    prefix: str = "",
    suffix: str = "",
    near: int = 0,
) -> tuple[int, int] | None:
    """Where ``quote`` stands in a folded text (``folded``'s two results): (start, end) in
    the non-space characters of the text.

    Among several occurrences the one whose surroundings agree best with ``prefix`` and
    ``suffix`` wins, then the one nearest ``near``. None when the quote is not there.
    """
    needle = folded(quote)[0]
    if not needle:
        return None
    before, after = folded(prefix)[0], folded(suffix)[0]
    best: tuple[tuple[int, int], tuple[int, int]] | None = None
    at = haystack.find(needle)
    while at >= 0:
        stop = at + len(needle)
        agree = _common_suffix(haystack[max(0, at - len(before)) : at], before)
        agree += _common_prefix(haystack[stop : stop + len(after)], after)
        span = (origin[at], origin[stop - 1] + 1)
        score = (agree, -abs(span[0] - near))
        if best is None or score > best[0]:
            best = (score, span)
        at = haystack.find(needle, at + 1)
    return None if best is None else best[1]


def locate(
    text: str, quote: str, *, prefix: str = "", suffix: str = "", near: int = 0
) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text``: (start, end) in its non-space characters."""
    haystack, origin = folded(text)
    return locate_in(haystack, origin, quote, prefix=prefix, suffix=suffix, near=near)


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
