"""Finding a quote in a book's text: folded, spaces ignored, the words around it deciding.

Used where a place is known by its quote only: an imported annotation another tool wrote
(in the book's saved page texts, then its page's words or its chapter), and an EPUB CFI
(in the chapter's XHTML). Places are counted in non-space characters, as annotation anchors
count them. Text and quote
are folded one character at a time (``app.core.textfold.fold``: case, Uzbek Cyrillic to Latin,
apostrophe forms), so a quote written by another tool is found whatever its case or spacing.
The reader's re-anchoring (``app/ui/reader/anchoring.py``) scores occurrences the same way.
"""

from __future__ import annotations

import bisect
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


class BookText:
    """A book's saved page texts, folded once, to find quotes in (``LibraryStore.pages``).

    Args:
        pages: (page number, text) of every page, in order.
    """

    def __init__(self, pages: Sequence[tuple[int, str]]) -> None:
        self._pages = [number for number, _text in pages]
        self._starts: list[int] = []  # non-space characters of the book before each page
        seen = 0
        for _number, text in pages:
            self._starts.append(seen)
            seen += sum(1 for c in text if not c.isspace())
        self._haystack, self._origin = folded("\n".join(text for _number, text in pages))

    def find(self, quote: str, prefix: str = "", suffix: str = "") -> tuple[int, int, int] | None:
        """(page, start, end) of the quote, in non-space characters of that page; None when
        the book does not hold it."""
        span = locate_in(self._haystack, self._origin, quote, prefix=prefix, suffix=suffix)
        if span is None:
            return None
        index = bisect.bisect_right(self._starts, span[0]) - 1
        return self._pages[index], span[0] - self._starts[index], span[1] - self._starts[index]


Box = tuple[float, float, float, float]


def quote_boxes(
    words: Sequence[tuple[float, float, float, float, str]],
    quote: str,
    prefix: str = "",
    suffix: str = "",
) -> tuple[Box, ...]:
    """The boxes of ``quote`` on a fixed page (its words, one box per line), as the reader
    marks a selection; none when the page's words do not hold it."""
    span = locate(" ".join(w[4] for w in words), quote, prefix=prefix, suffix=suffix)
    if span is None:
        return ()
    start, end = span
    boxes: list[Box] = []
    seen = 0
    previous: tuple[float, float, float, float, str] | None = None
    for word in words:
        first, seen = seen, seen + sum(1 for c in word[4] if not c.isspace())
        if not (first < end and seen > start):
            continue
        same_line = (
            previous is not None
            and boxes
            and word[1] < previous[1] + (previous[3] - previous[1]) * 0.6
            and word[0] >= previous[0]
        )
        if same_line:
            x0, y0, x1, y1 = boxes[-1]
            boxes[-1] = (min(x0, word[0]), min(y0, word[1]), max(x1, word[2]), max(y1, word[3]))
        else:
            boxes.append((word[0], word[1], word[2], word[3]))
        previous = word
    return tuple(boxes)
