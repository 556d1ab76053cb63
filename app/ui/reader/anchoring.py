"""Where annotations stand on pages, and finding their text again (no Qt, no I/O).

A reflowable book's annotation is anchored by a *place*: its chapter and the non-space
characters before it in that chapter (the worker's ``page_places`` gives the place where a
page starts). A page's words carry their own characters, so the place of each word is the
page's place plus the non-space characters of the words before it on the page. A quote is
compared and searched for in folded text (``app.core.textfold.fold``, one character at a
time, spaces ignored), so case and apostrophe forms do not matter.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.quotes import folded
from app.ui.reader.page_geometry import Box, Word

CONTEXT_WORDS = 5  # words kept before and after a quote, to find it again


def characters(text: str) -> int:
    """The non-space characters of ``text``."""
    return sum(1 for c in text if not c.isspace())


def word_offsets(words: Sequence[Word]) -> list[int]:
    """The non-space characters on the page before each word."""
    offsets, seen = [], 0
    for word in words:
        offsets.append(seen)
        seen += characters(word[4])
    return offsets


def span_of(words: Sequence[Word], first: int, last: int, before: int) -> tuple[int, int]:
    """(start, end) in the chapter of words ``first``..``last`` of a page starting at
    ``before`` characters into its chapter."""
    offsets = word_offsets(words)
    start = before + offsets[first]
    end = before + offsets[last] + characters(words[last][4])
    return start, end


def words_in(words: Sequence[Word], before: int, start: int, end: int) -> list[int]:
    """The indices of a page's words that overlap characters ``start``..``end`` of the
    chapter (the page starts at ``before``)."""
    found = []
    for index, offset in enumerate(word_offsets(words)):
        first = before + offset
        if first < end and first + characters(words[index][4]) > start:
            found.append(index)
    return found


def line_boxes(words: Sequence[Word]) -> list[Box]:
    """One box per line of ``words`` (in reading order): what a highlight covers."""
    boxes: list[Box] = []
    previous: Word | None = None
    for word in words:
        same_line = (
            previous is not None
            and word[1] < previous[1] + (previous[3] - previous[1]) * 0.6
            and word[0] >= previous[0]
        )
        if same_line and boxes:
            x0, y0, x1, y1 = boxes[-1]
            boxes[-1] = (min(x0, word[0]), min(y0, word[1]), max(x1, word[2]), max(y1, word[3]))
        else:
            boxes.append(word[:4])
        previous = word
    return boxes


def quote_of(words: Sequence[Word]) -> str:
    """Words as one line of text (a quote)."""
    return " ".join(w[4] for w in words)


def context(words: Sequence[Word], first: int, last: int) -> tuple[str, str]:
    """A few words before and after words ``first``..``last`` (prefix, suffix)."""
    prefix = quote_of(words[max(0, first - CONTEXT_WORDS) : first])
    suffix = quote_of(words[last + 1 : last + 1 + CONTEXT_WORDS])
    return prefix, suffix


def text_at(chapter_text: str, start: int, end: int) -> str:
    """The non-space characters ``start``..``end`` of a chapter's text."""
    squeezed = "".join(chapter_text.split())
    return squeezed[max(0, start) : max(0, end)]


def quote_matches(chapter_text: str, start: int, end: int, quote: str) -> bool:
    """True when the chapter still holds ``quote`` at ``start``..``end`` (folded)."""
    return bool(quote.strip()) and folded(text_at(chapter_text, start, end))[0] == folded(quote)[0]
