"""Snippets: a window of a page's text centred on its best match, every matching word marked."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from app.index.analysis import prefix_term, query_terms

_WORD = re.compile(r"[^\W_]+(?:['ʻ‘’`ʼ´][^\W_]+)*")
_SPACE = re.compile(r"\s+")
DEFAULT_WIDTH = 220


@dataclass(frozen=True)
class Snippet:
    """A piece of page text; ``spans`` are (start, end) offsets of the marked words in it."""

    text: str
    spans: tuple[tuple[int, int], ...] = field(default=())

    def marked(self, before: str = "[", after: str = "]", clean: Callable[[str], str] = str) -> str:
        """The text with each marked word wrapped in ``before`` and ``after``; ``clean`` is
        applied to the text's pieces, not to the marks (a terminal's colours stay)."""
        text = self.text
        out, last = [], 0
        for start, end in self.spans:
            out += [clean(text[last:start]), before, clean(text[start:end]), after]
            last = end
        out.append(clean(text[last:]))
        return "".join(out)


@lru_cache(maxsize=65536)
def _terms(lang: str, word: str) -> frozenset[str]:
    return frozenset(query_terms(lang, word))  # a CJK clause is several pairs


@lru_cache(maxsize=65536)
def _prefix_form(lang: str, word: str) -> str:
    return prefix_term(lang, word)


def make_snippet(
    text: str,
    lang: str,
    terms: frozenset[str],
    prefixes: tuple[str, ...] = (),
    width: int = DEFAULT_WIDTH,
) -> Snippet:
    """Cut the window of about ``width`` characters centred on the densest run of matches.

    The run is the one holding the most matching words within half a window of its first;
    the window is centred on that first match, so the text before it is shown as well as the
    text after it (a view narrower than the snippet can then show the match with its context).

    Args:
        text: the page text as extracted.
        lang: the language whose analysis the page was indexed with.
        terms: indexed terms the search matched (already folded and stemmed).
        prefixes: folded prefixes of ``word*`` searches.
        width: the snippet's length in characters, before ellipses.
    """
    matches = [
        (m.start(), m.end())
        for m in _WORD.finditer(text)
        if not _terms(lang, m.group()).isdisjoint(terms)
        or (prefixes and _prefix_form(lang, m.group()).startswith(prefixes))
    ]
    if not matches:
        return Snippet(_collapse(text[:width]) + ("…" if len(text) > width else ""))
    half = width // 2
    best, best_count, k = 0, 0, 0
    for i, (start, _end) in enumerate(matches):
        while k < len(matches) and matches[k][1] <= start + half:
            k += 1
        if k - i > best_count:
            best, best_count = i, k - i
    start, end = matches[best]
    hi = min(len(text), max(0, (start + end) // 2 - half) + width)
    lo = max(0, hi - width)  # near the end of the page: the whole width before it
    lo = _word_boundary(text, lo, backwards=True)
    hi = _word_boundary(text, hi, backwards=False)
    return _build(text, lo, hi, [m for m in matches if m[0] >= lo and m[1] <= hi])


def _word_boundary(text: str, pos: int, *, backwards: bool) -> int:
    limit = 20
    while 0 < pos < len(text) and limit and not text[pos].isspace():
        pos += -1 if backwards else 1
        limit -= 1
    return pos


def _collapse(piece: str) -> str:
    return _SPACE.sub(" ", piece)


def _build(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> Snippet:
    out: list[str] = []
    length = 0
    new_spans = []
    prefix = "…" if lo > 0 else ""
    out.append(prefix)
    length += len(prefix)
    cursor = lo
    for start, end in spans:
        gap = _collapse(text[cursor:start])
        if cursor == lo:
            gap = gap.lstrip()
        out.append(gap)
        length += len(gap)
        word = text[start:end]
        new_spans.append((length, length + len(word)))
        out.append(word)
        length += len(word)
        cursor = end
    tail = _collapse(text[cursor:hi]).rstrip()
    if cursor == lo:
        tail = tail.lstrip()
    out.append(tail)
    if hi < len(text):
        out.append("…")
    return Snippet("".join(out), tuple(new_spans))
