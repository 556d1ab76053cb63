"""Finding a quote in a book's text: folded, spaces ignored, the words around it deciding.

Used where a place is known by its quote only: an imported annotation another tool wrote
(in the book's saved page texts, then its page's words or its chapter), and an EPUB CFI
(in the chapter's XHTML). The matching itself is `app.core.quotes`, which the reader's
re-anchoring uses too.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from app.core.quotes import folded, locate, locate_in


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
