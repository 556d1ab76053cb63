"""Looking inside a library's search index in tests: how many pages of each book it holds."""

from __future__ import annotations

from whoosh import query as wq
from whoosh import sorting

from app.index.engine import IndexEngine


def page_counts(engine: IndexEngine) -> dict[str, int]:
    """Indexed (non-empty) page documents per book id."""
    with engine.ix.searcher() as searcher:
        found = searcher.search(
            wq.Term("kind", "page"),
            limit=1,
            groupedby=sorting.FieldFacet("book", maptype=sorting.Count),
        )
        return {str(k): int(v) for k, v in found.groups("book").items()}
