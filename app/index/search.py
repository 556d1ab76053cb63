"""Running a search: the parsed query compiled per language field, ranked page hits per book."""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from app.index.analysis import prefix_term, query_terms
from app.index.engine import IndexEngine
from app.index.fastpath import fast_search
from app.index.query import All, Any_, Node, Not, Phrase, Word, parse
from app.index.schema import TEXT_FIELDS, field_language

MIN_PREFIX = 2
NAME_FIELDS = ("title", "authors")


@dataclass(frozen=True)
class PageHit:
    """One matching page; ``lang`` is the language of the text field it was indexed in."""

    book: str
    page: int
    score: float
    lang: str


@dataclass
class IndexResults:
    """What the index found: a window of ranked page hits and counts over all of them."""

    hits: list[PageHit] = field(default_factory=list)
    total_pages: int = 0
    total_exact: bool = True
    title_matches: list[str] = field(default_factory=list)
    highlight: dict[str, tuple[frozenset[str], tuple[str, ...]]] = field(default_factory=dict)


def _leaf(word: Word, fields: dict[str, str]) -> wq.Query:
    parts: list[wq.Query] = []
    for lang, fieldname in fields.items():
        if word.prefix:
            stem = prefix_term(lang, word.text)
            if len(stem) >= MIN_PREFIX:
                parts.append(wq.Prefix(fieldname, stem))
        else:
            terms = query_terms(lang, word.text)  # a CJK word is several pairs: a phrase
            if len(terms) > 1:
                parts.append(wq.Phrase(fieldname, terms))
            elif terms:
                parts.append(wq.Term(fieldname, terms[0]))
    return wq.Or(parts) if parts else wq.NullQuery


def _phrase(phrase: Phrase, fields: dict[str, str]) -> wq.Query:
    parts: list[wq.Query] = []
    for lang, fieldname in fields.items():
        terms = query_terms(lang, " ".join(phrase.words))
        if len(terms) > 1:
            parts.append(wq.Phrase(fieldname, terms))
        elif terms:
            parts.append(wq.Term(fieldname, terms[0]))
    return wq.Or(parts) if parts else wq.NullQuery


def compile_query(node: Node, fields: dict[str, str]) -> wq.Query:
    """Turn the parsed search into a Whoosh query over ``fields`` ({lang: fieldname})."""
    if isinstance(node, Word):
        return _leaf(node, fields)
    if isinstance(node, Phrase):
        return _phrase(node, fields)
    if isinstance(node, Not):
        return wq.Not(compile_query(node.child, fields))
    children = [compile_query(c, fields) for c in node.children]
    return wq.And(children) if isinstance(node, All) else wq.Or(children)


def _name_query(node: Node) -> wq.Query:
    """Titles and authors match by word prefix ("kitob" finds "Kitoblar olami")."""
    if isinstance(node, Word):
        text = prefix_term("name", node.text)
        if len(text) < MIN_PREFIX:
            return wq.NullQuery
        return wq.Or([wq.Prefix(f, text) for f in NAME_FIELDS])
    if isinstance(node, Phrase):
        terms = query_terms("name", " ".join(node.words))
        if not terms:
            return wq.NullQuery
        return wq.Or(
            [wq.Phrase(f, terms) if len(terms) > 1 else wq.Term(f, terms[0]) for f in NAME_FIELDS]
        )
    if isinstance(node, Not):
        return wq.Not(_name_query(node.child))
    children = [_name_query(c) for c in node.children]
    return wq.And(children) if isinstance(node, All) else wq.Or(children)


def highlight_terms(node: Node, lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The indexed terms and prefixes a page in ``lang`` was matched on (for snippets)."""
    terms: set[str] = set()
    prefixes: list[str] = []

    def walk(n: Node) -> None:
        if isinstance(n, Word):
            if n.prefix:
                prefixes.append(prefix_term(lang, n.text))
            else:
                terms.update(query_terms(lang, n.text))
        elif isinstance(n, Phrase):
            terms.update(query_terms(lang, " ".join(n.words)))
        elif isinstance(n, (All, Any_)):
            for child in n.children:
                walk(child)

    walk(node)
    return frozenset(terms), tuple(p for p in prefixes if p)


def search(
    engine: IndexEngine,
    text: str,
    *,
    book: str | None = None,
    lang: str | None = None,
    fmt: str | None = None,
    limit: int = 10,
    offset: int = 0,
) -> IndexResults:
    """Find pages (and book titles/authors) matching a search.

    Raises:
        UserError: the search cannot be understood.
    """
    node = parse(text)
    pairs = [(f, v) for f, v in (("book", book), ("lang", lang), ("format", fmt)) if v]
    # Filters join the query as zero-score clauses: an intersection lets Whoosh skip through
    # postings, where a `filter=` set would first collect every page of the filter.
    restrict = [wq.ConstantScoreQuery(wq.Term(f, v), 0.0) for f, v in pairs]
    page_query = compile_query(node, TEXT_FIELDS)
    if restrict:
        page_query = wq.And([page_query, *restrict])
    results = IndexResults()
    with engine.searcher() as searcher:
        fast = fast_search(searcher, node, TEXT_FIELDS, pairs, offset + limit)
        if fast is not None:
            top, results.total_pages, results.total_exact = fast
            ranked = [(doc, score, searcher.stored_fields(doc)) for doc, score in top[offset:]]
        else:
            found = searcher.search(page_query, limit=offset + limit)
            # an upper bound unless Whoosh counted every match
            results.total_pages = found.estimated_length()
            results.total_exact = found.has_exact_length()
            ranked = [(h.docnum, float(h.score), h.fields()) for h in found[offset:]]
        for _doc, score, stored in ranked[:limit]:
            results.hits.append(
                PageHit(
                    str(stored["book"]),
                    int(stored["page"]),
                    score,
                    field_language(str(stored["lang"])),
                )
            )
        if offset == 0 and not lang:
            name_query = wq.And(
                [
                    _name_query(node),
                    wq.ConstantScoreQuery(wq.Term("kind", "book"), 0.0),
                    *restrict,
                ]
            )
            titles = searcher.search(name_query, limit=limit)
            results.title_matches = [str(h["book"]) for h in titles]
    for language in {h.lang for h in results.hits}:
        results.highlight[language] = highlight_terms(node, language)
    return results
