"""Plain records for store tests (no file behind them)."""

from __future__ import annotations

from app.core.models import Book, BookState


def make_book(book_id: str = "a" * 64) -> Book:
    """A book row of three pages, still being extracted."""
    return Book(
        book_id,
        "Kitob",
        ("Muallif",),
        (),
        "pdf",
        3,
        10,
        f"{book_id[:2]}/{book_id}.pdf",
        "k.pdf",
        "",
        1.0,
        BookState.EXTRACTING,
        False,
    )
