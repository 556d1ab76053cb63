"""Looking inside the index: which books it holds (for the doctor)."""

from __future__ import annotations

from app.index.engine import IndexEngine


def books_present(engine: IndexEngine) -> set[str]:
    """Ids of every book that has any document (page or title) in the index."""
    with engine.ix.searcher() as searcher:
        return {text.decode("utf-8") for text in searcher.lexicon("book")}
