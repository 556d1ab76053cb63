"""The index writer: commits in steps keep the number of segments small and lose nothing."""

from __future__ import annotations

from pathlib import Path

from app.core.models import Book, BookState, PageText
from app.index.engine import IndexEngine
from app.index.writer import TIER_FANOUT, IndexSession
from tests.support.index_checks import page_counts


def test_many_commits_are_merged_in_tiers(tmp_path: Path) -> None:
    engine = IndexEngine(tmp_path / "index")
    engine.open()
    book = Book(
        "c" * 64, "Kitob", (), (), "pdf", 0, 1, "x", "x.pdf", "", 0.0, BookState.READY, False
    )
    commits = 40
    for n in range(commits):
        session = IndexSession(engine)
        pages = [PageText(n * 10 + i, f"kitob sahifa {n} {i} kutubxona", "uz") for i in range(10)]
        session.add_pages(book, pages)
        session.close()
    segments = engine.ix._segments()
    assert len(segments) < 2 * TIER_FANOUT, len(segments)
    assert sum(s.doc_count() for s in segments) == commits * 10
    assert page_counts(engine) == {book.id: commits * 10}
    engine.close()
