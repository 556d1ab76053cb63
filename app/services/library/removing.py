"""Removing a book from the shared shelf: its row, its file, every profile's state, its index."""

from __future__ import annotations

from app.core.models import Book
from app.services.session import Library


def remove_book(library: Library, book_id: str) -> Book:
    """Remove a book, its file and its index entries; returns the book as it was.

    Raises:
        UserError: no such book.
    """
    book = library.store.remove(book_id)
    with library.indexing() as indexer:
        indexer.remove_book(book_id)
    return book
