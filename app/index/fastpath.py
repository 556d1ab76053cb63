"""Fast evaluation of searches over whole posting blocks, for the cases Whoosh runs slowly.

Whoosh intersects and unions posting lists one posting at a time in Python; for words that
stand on thousands of pages (an AND of two common words, a prefix that expands to dozens of
terms) that costs hundreds of milliseconds. Here each term's postings are read a block at a
time into a ``{docnum: weight}`` dict, so unions, intersections and differences run as
dict/set operations in C, and only the final ranking is done in Python.

Phrases are evaluated as the AND of their words, then the best candidates are verified with
the word positions stored in the postings (decoded only for the candidates looked at); a
phrase under NOT is applied by that verification too.

This reads Whoosh 2.7's posting blocks (``W3LeafMatcher``); if a matcher does not have
that shape, the posting-at-a-time path of its public API is used instead.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from typing import Any

from whoosh.matching.wrappers import FilterMatcher

from app.index.analysis import prefix_term, query_term, query_terms
from app.index.query import All, Any_, Node, Not, Phrase, Word
from app.index.ranking import K1

Scores = dict[int, float]


class _Context:
    def __init__(self, searcher: Any, fields: dict[str, str]) -> None:
        self.searcher = searcher
        self.fields = fields
        self.has_phrase = False
        self.memo: dict[int, Scores] = {}  # id(node) -> its matching pages, for verification
        self.phrases: dict[int, list[tuple[str, list[str]]]] = {}  # id(node) -> (field, terms)
        self.values: dict[tuple[str, str], dict[int, bytes]] = {}  # phrase terms' positions

    def postings(self, fieldname: str, text: str, *, positions: bool = False) -> Scores:
        """docnum -> idf x saturated term frequency, over every segment.

        With ``positions``, the encoded word positions are kept too (for phrases).
        """
        idf = float(self.searcher.idf(fieldname, text))
        weights: dict[int, float] = {}
        values: dict[int, bytes] | None = {} if positions else None
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            if (fieldname, text) not in reader:
                continue
            _read_postings(reader.postings(fieldname, text), offset, weights, values)
        if values is not None:
            self.values[(fieldname, text)] = values
        # term frequencies are few distinct small numbers: score each once
        score_of = {w: idf * (w * (K1 + 1.0) / (w + K1)) for w in set(weights.values())}
        return {doc: score_of[w] for doc, w in weights.items()}

    def expand(self, fieldname: str, prefix: str) -> list[str]:
        terms = self.searcher.reader().expand_prefix(fieldname, prefix)
        return [t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in terms]


def _read_postings(
    matcher: Any, offset: int, out: dict[int, float], values: dict[int, bytes] | None
) -> None:
    deleted: Any = ()
    if isinstance(matcher, FilterMatcher):
        deleted = matcher._ids  # the segment's deleted documents
        matcher = matcher.child
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids = [i + offset for i in matcher._ids]
            out.update(zip(ids, matcher._weights, strict=True))
            if values is not None:
                matcher._read_values()
                values.update(zip(ids, matcher._values, strict=True))
            matcher._next_block()
        for doc in deleted:
            out.pop(doc + offset, None)
        return
    while matcher.is_active():  # another codec: the public, slower way
        doc = matcher.id()
        if doc not in deleted:
            out[doc + offset] = matcher.weight()
            if values is not None:
                values[doc + offset] = matcher.value()
        matcher.next()


def _union(parts: Iterable[Scores]) -> Scores:
    result: Scores = {}
    for part in parts:
        if not result:
            result = dict(part)
            continue
        for doc, score in part.items():
            result[doc] = result.get(doc, 0.0) + score
    return result


def _intersect(parts: list[Scores]) -> Scores:
    parts = sorted(parts, key=len)
    if len(parts) == 1:
        return dict(parts[0])  # a copy: the caller may delete from it
    if len(parts) == 2:
        first, second = parts
        return {doc: score + second[doc] for doc, score in first.items() if doc in second}
    common = parts[0].keys() & parts[1].keys()
    for part in parts[2:]:
        common &= part.keys()
    return {doc: sum(p[doc] for p in parts) for doc in common}


def _evaluate(node: Node, ctx: _Context) -> Scores | None:
    result = _evaluate_node(node, ctx)
    if result is not None:
        ctx.memo[id(node)] = result
    return result


def _evaluate_node(node: Node, ctx: _Context) -> Scores | None:
    if isinstance(node, Word):
        return _evaluate_word(node, ctx)
    if isinstance(node, Phrase):
        return _evaluate_phrase(node, ctx)
    if isinstance(node, Any_):
        children = [_evaluate(c, ctx) for c in node.children]
        if any(c is None for c in children):
            return None
        return _union(c for c in children if c is not None)
    if isinstance(node, All):
        return _evaluate_all(node, ctx)
    return None  # a bare NOT at the top: Whoosh refuses it too


def _evaluate_word(node: Word, ctx: _Context) -> Scores:
    """The pages of a word (or of every term its prefix expands to), in every language."""
    parts = []
    for lang, fieldname in ctx.fields.items():
        if node.prefix:
            stem = prefix_term(lang, node.text)
            if len(stem) >= 2:
                parts += [ctx.postings(fieldname, t) for t in ctx.expand(fieldname, stem)]
        elif term := query_term(lang, node.text):
            parts.append(ctx.postings(fieldname, term))
    return _union(parts)


def _evaluate_phrase(node: Phrase, ctx: _Context) -> Scores:
    """The pages with all of a phrase's words; its terms are noted for the verification."""
    ctx.has_phrase = True
    per_field = []
    ctx.phrases[id(node)] = []
    for lang, fieldname in ctx.fields.items():
        terms = query_terms(lang, " ".join(node.words))
        if terms:
            postings = [ctx.postings(fieldname, t, positions=True) for t in terms]
            per_field.append(_intersect(postings))
            ctx.phrases[id(node)].append((fieldname, terms))
    return _union(per_field)


def _evaluate_all(node: All, ctx: _Context) -> Scores | None:
    """The pages of every positive child, without those of the NOT children."""
    positive, negative = [], []
    for child in node.children:
        if isinstance(child, Not):
            excluded = _evaluate(child.child, ctx)
            if excluded is None:
                return None
            if not _contains_phrase(child):
                negative.append(excluded)
            # else: a phrase approximated by its words would exclude too much; the
            # verification of the best candidates applies it exactly
        else:
            result = _evaluate(child, ctx)
            if result is None:
                return None
            positive.append(result)
    if not positive:
        return None
    scores = _intersect(positive)
    for excluded in negative:
        for doc in excluded.keys() & scores.keys():
            del scores[doc]
    return scores


def _contains_phrase(node: Node) -> bool:
    if isinstance(node, Phrase):
        return True
    if isinstance(node, Not):
        return _contains_phrase(node.child)
    if isinstance(node, (All, Any_)):
        return any(_contains_phrase(c) for c in node.children)
    return False


def fast_search(
    searcher: Any,
    node: Node,
    fields: dict[str, str],
    restrict: list[tuple[str, str]],
    wanted: int,
) -> tuple[list[tuple[int, float]], int, bool] | None:
    """Rank pages for ``node``; returns (top (docnum, score) pairs, total, total is exact).

    Returns None when Whoosh does better: a single word, whose top hits Whoosh finds by
    skipping posting blocks that cannot reach them.

    Args:
        searcher: an open Whoosh searcher.
        node: the parsed search.
        fields: {language: text field}.
        restrict: (field, value) pairs every page must have (book, lang, format).
        wanted: how many top hits are needed.
    """
    if isinstance(node, Word) and not node.prefix:
        return None
    ctx = _Context(searcher, fields)
    scores = _evaluate(node, ctx)
    if scores is None:
        return None
    for fieldname, value in restrict:
        allowed = ctx.postings(fieldname, value).keys()
        scores = {doc: s for doc, s in scores.items() if doc in allowed}
    if not ctx.has_phrase:
        top = heapq.nsmallest(wanted, scores.items(), key=lambda item: (-item[1], item[0]))
        return top, len(scores), True
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return _verified(ctx, node, ranked, wanted), len(ranked), False


def _verified(
    ctx: _Context, node: Node, ranked: list[tuple[int, float]], wanted: int
) -> list[tuple[int, float]]:
    """Keep candidates whose phrases really stand in order, best first, until enough.

    Positions are decoded only for the candidates looked at, from the posting values read
    with the postings, so a phrase whose words are common but never adjacent costs one
    decode per candidate and word, not a Whoosh phrase scan.
    """
    decode = ctx.searcher.schema["text_uz"].format.decode_positions
    cache: dict[tuple[int, int], bool] = {}

    def phrase_at(node_id: int, doc: int) -> bool:
        key = (node_id, doc)
        if key not in cache:
            cache[key] = any(
                _adjacent([ctx.values[(f, t)].get(doc) for t in terms], decode)
                for f, terms in ctx.phrases[node_id]
            )
        return cache[key]

    confirmed = []
    for item in ranked:
        if _holds(node, item[0], ctx, phrase_at):
            confirmed.append(item)
            if len(confirmed) >= wanted:
                break
    return confirmed


def _adjacent(encoded: list[bytes | None], decode: Callable[[bytes], list[int]]) -> bool:
    """True when the words' positions follow each other somewhere."""
    if any(value is None for value in encoded):
        return False
    starts = set(decode(encoded[0]))  # type: ignore[arg-type]
    for offset, value in enumerate(encoded[1:], start=1):
        starts &= {p - offset for p in decode(value)}  # type: ignore[arg-type]
        if not starts:
            return False
    return True


def _holds(node: Node, doc: int, ctx: _Context, phrase_at: Callable[[int, int], bool]) -> bool:
    if isinstance(node, Phrase):
        return doc in ctx.memo.get(id(node), {}) and phrase_at(id(node), doc)
    if isinstance(node, Word):
        return doc in ctx.memo.get(id(node), {})
    if isinstance(node, Not):
        return not _holds(node.child, doc, ctx, phrase_at)
    if isinstance(node, All):
        return all(_holds(c, doc, ctx, phrase_at) for c in node.children)
    return any(_holds(c, doc, ctx, phrase_at) for c in node.children)
