"""Fast evaluation of searches over whole posting blocks, for the cases Whoosh runs slowly.

Whoosh intersects and unions posting lists one posting at a time in Python; for words that
stand on thousands of pages (an AND of two common words, a prefix that expands to dozens of
terms) that costs hundreds of milliseconds. Here each term's postings are read a block at a
time into a ``{docnum: weight}`` dict, so unions, intersections and differences run as
dict/set operations in C, and only the final ranking is done in Python.

Phrases are evaluated as the AND of their words, then the best candidates are verified with
Whoosh's own phrase query (few pages need checking). A phrase under NOT cannot be
approximated this way; such searches return None and run through Whoosh.

This reads Whoosh 2.7's posting blocks (``W3LeafMatcher``); if a matcher does not have
that shape, the posting-at-a-time path of its public API is used instead.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import Any

from whoosh.matching.wrappers import FilterMatcher

from app.index.analysis import prefix_term, query_term, query_terms
from app.index.query import All, Any_, Node, Not, Phrase, Word
from app.index.ranking import K1

Scores = dict[int, float]
VERIFY_BATCH = 64


class _Context:
    def __init__(self, searcher: Any, fields: dict[str, str]) -> None:
        self.searcher = searcher
        self.fields = fields
        self.has_phrase = False
        self.memo: dict[int, Scores] = {}  # id(node) -> its matching pages, for verification
        self.phrases: dict[int, list[tuple[str, list[str]]]] = {}  # id(node) -> (field, terms)

    def postings(self, fieldname: str, text: str) -> Scores:
        """docnum -> idf x saturated term frequency, over every segment."""
        idf = float(self.searcher.idf(fieldname, text))
        weights: dict[int, float] = {}
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            if (fieldname, text) not in reader:
                continue
            _read_postings(reader.postings(fieldname, text), offset, weights)
        # term frequencies are few distinct small numbers: score each once
        score_of = {w: idf * (w * (K1 + 1.0) / (w + K1)) for w in set(weights.values())}
        return {doc: score_of[w] for doc, w in weights.items()}

    def expand(self, fieldname: str, prefix: str) -> list[str]:
        terms = self.searcher.reader().expand_prefix(fieldname, prefix)
        return [t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in terms]


def _read_postings(matcher: Any, offset: int, out: dict[int, float]) -> None:
    deleted: Any = ()
    if isinstance(matcher, FilterMatcher):
        deleted = matcher._ids  # the segment's deleted documents
        matcher = matcher.child
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids = matcher._ids
            out.update(zip((i + offset for i in ids), matcher._weights, strict=True))
            matcher._next_block()
        for doc in deleted:
            out.pop(doc + offset, None)
        return
    while matcher.is_active():  # another codec: the public, slower way
        doc = matcher.id()
        if doc not in deleted:
            out[doc + offset] = matcher.weight()
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
        return parts[0]
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
        parts = []
        for lang, fieldname in ctx.fields.items():
            if node.prefix:
                stem = prefix_term(lang, node.text)
                if len(stem) >= 2:
                    parts += [ctx.postings(fieldname, t) for t in ctx.expand(fieldname, stem)]
            elif term := query_term(lang, node.text):
                parts.append(ctx.postings(fieldname, term))
        return _union(parts)
    if isinstance(node, Phrase):
        ctx.has_phrase = True
        per_field = []
        ctx.phrases[id(node)] = []
        for lang, fieldname in ctx.fields.items():
            terms = query_terms(lang, " ".join(node.words))
            if terms:
                per_field.append(_intersect([ctx.postings(fieldname, t) for t in terms]))
                ctx.phrases[id(node)].append((fieldname, terms))
        return _union(per_field)
    if isinstance(node, Any_):
        children = [_evaluate(c, ctx) for c in node.children]
        if any(c is None for c in children):
            return None
        return _union(c for c in children if c is not None)
    if isinstance(node, All):
        positive, negative = [], []
        for child in node.children:
            if isinstance(child, Not):
                if _contains_phrase(child):
                    return None
                excluded = _evaluate(child.child, ctx)
                if excluded is None:
                    return None
                negative.append(excluded)
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
    return None  # a bare NOT at the top: Whoosh refuses it too


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
    skipping posting blocks that cannot reach them, or a phrase under NOT.

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
    """Keep candidates whose phrases really stand in order, best first, until enough."""
    confirmed: list[tuple[int, float]] = []
    for start in range(0, len(ranked), VERIFY_BATCH):
        batch = ranked[start : start + VERIFY_BATCH]
        docs = sorted(doc for doc, _ in batch)
        adjacent = _phrase_pages(ctx, docs)
        confirmed += [item for item in batch if _holds(node, item[0], ctx, adjacent)]
        if len(confirmed) >= wanted:
            break
    return confirmed[:wanted]


def _phrase_pages(ctx: _Context, docs: list[int]) -> dict[int, set[int]]:
    """For each phrase node, which of ``docs`` hold its words next to each other."""
    result: dict[int, set[int]] = {}
    for node_id, variants in ctx.phrases.items():
        holding: set[int] = set()
        candidates = [d for d in docs if d in ctx.memo.get(node_id, {})]
        for fieldname, terms in variants:
            positions = [_positions(ctx.searcher, fieldname, t, candidates) for t in terms]
            for doc in candidates:
                if all(doc in p for p in positions):
                    starts = set(positions[0][doc])
                    for offset, term_positions in enumerate(positions[1:], start=1):
                        starts &= {p - offset for p in term_positions[doc]}
                    if starts:
                        holding.add(doc)
        result[node_id] = holding
    return result


def _positions(searcher: Any, fieldname: str, term: str, docs: list[int]) -> dict[int, Any]:
    """Positions of ``term`` in each of ``docs`` (ascending) that holds it."""
    found: dict[int, Any] = {}
    try:
        matcher = searcher.postings(fieldname, term)
    except Exception:  # TermNotFound and friends: no page holds it
        return found
    for doc in docs:
        if not matcher.is_active():
            break
        if matcher.id() < doc:
            matcher.skip_to(doc)
        if matcher.is_active() and matcher.id() == doc:
            found[doc] = matcher.value_as("positions")
    return found


def _holds(node: Node, doc: int, ctx: _Context, adjacent: dict[int, set[int]]) -> bool:
    if isinstance(node, Phrase):
        return doc in adjacent.get(id(node), set())
    if isinstance(node, Word):
        return doc in ctx.memo.get(id(node), {})
    if isinstance(node, Not):
        return not _holds(node.child, doc, ctx, adjacent)
    if isinstance(node, All):
        return all(_holds(c, doc, ctx, adjacent) for c in node.children)
    return any(_holds(c, doc, ctx, adjacent) for c in node.children)
