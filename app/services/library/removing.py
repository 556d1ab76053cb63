"""Removing a book from the shared shelf: its row, its file, every profile's state, its index.

While the library has an administrator only they remove books (docs/profiles.md); the others
hide a book from their own view (`ShelfStore.hide`), never delete it for everyone.
"""

from __future__ import annotations

from app.core.errors import UserError
from app.core.models import Book
from app.library.profiles import ProfileStore
from app.services.session import Library, Session


def check_may_remove(session: Session, book_id: str) -> None:
    """Refuse unless the session's person may remove books: anybody without an administrator,
    else only the administrator (whose PIN was asked when they were chosen).

    Raises:
        UserError: someone else acts while there is an administrator.
    """
    admin = ProfileStore(session.library.store).administrator()
    if admin is not None and admin.id != session.profile_id:
        raise UserError(
            f"only the administrator, {admin.name}, removes books from this library; hide it "
            f"from your own view instead: mutolaa library hide {book_id[:10]}"
        )


def remove_book_for(session: Session, book_id: str) -> Book:
    """Remove a book for everyone when the session's person may (`check_may_remove`).

    Raises:
        UserError: not allowed; no such book.
    """
    check_may_remove(session, book_id)
    return remove_book(session.library, book_id)


def remove_book(library: Library, book_id: str) -> Book:
    """Remove a book, its file and its index entries; returns the book as it was. Nobody's
    rights are checked: for a person's request use `remove_book_for`.

    Raises:
        UserError: no such book.
    """
    book = library.store.remove(book_id)
    with library.indexing() as indexer:
        indexer.remove_book(book_id)
    return book
