"""Notes in the library search: a profile's annotations whose quote or note text matches.

The store is read at each search (no index of its own, so a hit is never out of date) and
matched in Python: a profile's live annotations number in the thousands at most. The query
is parsed like the index search (words, "phrases", prefix*, AND / OR / NOT); a word of the
annotation matches a word of the query when, folded like search (case, Uzbek script and
apostrophes ignored), it starts with it or has the same stem in one of the index's languages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.core.models import Annotation, AnnotationKind, Book
from app.core.textfold import APOSTROPHES, fold
from app.index.analysis import LANGUAGES, query_term
from app.index.query import All, Any_, Node, Not, Phrase, Word, parse
from app.index.snippets import DEFAULT_WIDTH, Snippet
from app.services.session import Session

_APOSTROPHES = "".join(sorted(APOSTROPHES))
# A word as written (any apostrophe form inside it), with its place in the text.
_WORD = re.compile(rf"[^\W_]+(?:[{re.escape(_APOSTROPHES)}][^\W_]+)*")
_QUOTE_OPEN, _QUOTE_CLOSE, _BETWEEN = "“", "”", " — "


@dataclass(frozen=True)
class NoteHit:
    """An annotation of the searching profile whose quote or note matches the search.

    Attributes:
        book: the annotated book.
        page: the page as the library numbers it (0-based; ``Anchor.page``).
        annotation_id: the annotation.
        kind: highlight, note or bookmark.
        color: a highlight's colour name (empty for the others).
        snippet: ``“quote” — note`` (either part alone when the other is empty), cut
            around the matching words, which are marked like a page snippet's.
        updated_at: when the annotation was last changed.
        page_word: the first matching word of the quote (the text on the page), to mark
            on the page when it is opened; empty when only the note matched.
    """

    book: Book
    page: int
    annotation_id: str
    kind: AnnotationKind
    color: str
    snippet: Snippet
    updated_at: float
    page_word: str = ""


@dataclass(frozen=True)
class _Token:
    field: int  # 0: the quote, 1: the note
    start: int  # in the display text
    end: int
    text: str


def find_notes(
    session: Session,
    query: str | Node,
    *,
    book: str | None = None,
    fmt: str | None = None,
) -> list[NoteHit]:
    """The profile's live annotations matching ``query``, most recently changed first.

    Annotations of books no longer in the library are left out (they cannot be opened).

    Raises:
        UserError: the query cannot be understood.
    """
    library, profile_id = session.library, session.profile_id
    node = parse(query) if isinstance(query, str) else query
    candidates = library.annotations.search(profile_id, book_id=book)
    matched: list[tuple[Annotation, NoteMatch]] = []
    for annotation in candidates:
        match = match_annotation(annotation, node)
        if match is not None:
            matched.append((annotation, match))
    books = library.store.books_by_ids(sorted({a.book_id for a, _ in matched}))
    hits = [
        NoteHit(
            book=books[a.book_id],
            page=a.anchor.page,
            annotation_id=a.id,
            kind=a.kind,
            color=a.color,
            snippet=match.snippet,
            updated_at=a.updated_at,
            page_word=match.page_word,
        )
        for a, match in matched
        if a.book_id in books and (fmt is None or books[a.book_id].format == fmt)
    ]
    hits.sort(key=lambda h: (-h.updated_at, h.annotation_id))
    return hits


@dataclass(frozen=True)
class NoteMatch:
    """How an annotation matched: its snippet and the first matching word of its quote."""

    snippet: Snippet
    page_word: str


def match_annotation(annotation: Annotation, node: Node) -> NoteMatch | None:
    """The annotation's snippet with the matching words marked, or None when it does not match."""
    text, tokens = _display(annotation.quote, annotation.body)
    if not tokens:
        return None
    matched, marked = _evaluate(node, tokens)
    if not matched:
        return None
    spans = sorted({(tokens[i].start, tokens[i].end) for i in marked})
    in_quote = [tokens[i] for i in sorted(marked) if tokens[i].field == 0]
    return NoteMatch(_cut(text, spans), in_quote[0].text if in_quote else "")


def _display(quote: str, body: str) -> tuple[str, list[_Token]]:
    """The text shown for an annotation and its words, each with the field it is in."""
    parts: list[tuple[int, str]] = []
    quote, body = " ".join(quote.split()), " ".join(body.split())
    text = ""
    if quote:
        text = f"{_QUOTE_OPEN}{quote}{_QUOTE_CLOSE}"
        parts.append((0, quote))
    if body:
        text += _BETWEEN if text else ""
        parts.append((1, body))
        text += body
    tokens = []
    offset = len(_QUOTE_OPEN) if quote else 0
    for field, part in parts:
        if field == 1:
            offset = len(text) - len(part)
        tokens += [
            _Token(field, offset + m.start(), offset + m.end(), m.group())
            for m in _WORD.finditer(part)
        ]
    return text, tokens


def _evaluate(node: Node, tokens: Sequence[_Token]) -> tuple[bool, set[int]]:
    """Whether the words match the query, and which of them to mark."""
    if isinstance(node, Word):
        wanted = query_words(node.text)
        if len(wanted) > 1:  # "o'quv-zal": its words next to each other
            return _phrase(wanted, tokens, prefix_last=node.prefix)
        if not wanted:
            return False, set()
        found = {i for i, t in enumerate(tokens) if _word_matches(t.text, wanted[0], node.prefix)}
        return bool(found), found
    if isinstance(node, Phrase):
        wanted = [w for word in node.words for w in query_words(word)]
        return _phrase(wanted, tokens, prefix_last=False)
    if isinstance(node, Not):
        matched, _marked = _evaluate(node.child, tokens)
        return not matched, set()
    results = [_evaluate(child, tokens) for child in node.children]
    marked = {i for ok, found in results if ok for i in found}
    if isinstance(node, All):
        return all(ok for ok, _ in results), marked
    assert isinstance(node, Any_)
    return any(ok for ok, _ in results), marked


def _phrase(
    wanted: Sequence[str], tokens: Sequence[_Token], *, prefix_last: bool
) -> tuple[bool, set[int]]:
    found: set[int] = set()
    size = len(wanted)
    for start in range(len(tokens) - size + 1):
        run = tokens[start : start + size]
        if len({t.field for t in run}) == 1 and all(
            _word_matches(t.text, w, prefix_last and i == size - 1)
            for i, (t, w) in enumerate(zip(run, wanted, strict=True))
        ):
            found.update(range(start, start + size))
    return bool(found), found


def query_words(text: str) -> list[str]:
    """The words of a query word as typed (``o'quv-zal`` is two), unfolded."""
    return [w for w in _WORD.findall(text) if _folded(w)]


def _word_matches(written: str, wanted: str, prefix: bool) -> bool:
    """Does a word of the annotation match a word of the query (both as written)?

    Folded (case, script, apostrophes), the annotation's word starts with the query's; or,
    for a whole word, the two have the same stem in one of the index's languages.
    """
    if _folded(written).startswith(_folded(wanted)):
        return True
    return not prefix and bool(_stems(written) & _stems(wanted))


@lru_cache(maxsize=1 << 16)
def _folded(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=1 << 16)
def _stems(word: str) -> frozenset[tuple[str, str]]:
    """(language, indexed term) of a word in each of the index's languages."""
    return frozenset((lang, term) for lang in LANGUAGES if (term := query_term(lang, word)))


def _cut(text: str, spans: list[tuple[int, int]], width: int = DEFAULT_WIDTH) -> Snippet:
    """About ``width`` characters of ``text`` around its first marked word."""
    if len(text) <= width:
        return Snippet(text, tuple(spans))
    first = spans[0][0] if spans else 0
    lo = max(0, first - width // 4)
    while 0 < lo < len(text) and not text[lo - 1].isspace() and first - lo < width // 2:
        lo -= 1
    hi = min(len(text), lo + width)
    while hi < len(text) and not text[hi].isspace() and hi - lo < width + 20:
        hi += 1
    prefix = "…" if lo > 0 else ""
    shift = len(prefix) - lo
    kept = tuple((s + shift, e + shift) for s, e in spans if s >= lo and e <= hi)
    return Snippet(prefix + text[lo:hi] + ("…" if hi < len(text) else ""), kept)
