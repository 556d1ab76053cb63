"""Which books a person's library view shows: sorted, filtered (shelf too), none they hid."""

from __future__ import annotations

import json

from app.core.textfold import fold
from app.library.shelves import Shelf, ShelfStore
from app.services.session import Session


def shelf_ids(
    session: Session,
    *,
    text: str = "",
    order: str = "added",
    descending: bool = True,
    fmt: str | None = None,
    lang: str | None = None,
    shelf_id: str | None = None,
) -> list[str]:
    """Ids of the books to show, in order; never those the person hid.

    ``text`` matches titles and authors the way search does: case, Uzbek script and
    apostrophe forms do not matter (``kutub`` finds *Кутубхона тарихи*). ``shelf_id`` keeps
    the books on that shelf of the person (`app.library.shelves.Shelf.id`).
    """
    library = session.library
    ids = library.store.book_ids(
        order=order,
        descending=descending,
        fmt=fmt,
        lang=lang,
        shelf_id=shelf_id,
        without_hidden=True,
        profile_id=session.profile_id,
    )
    needle = fold(text.strip())
    if not needle:
        return ids
    matching = {
        book_id
        for book_id, title, authors in library.store.name_keys()
        if needle in fold(f"{title} {' '.join(json.loads(authors))}")
    }
    return [book_id for book_id in ids if book_id in matching]


def shelves_of(session: Session) -> list[Shelf]:
    """The acting person's shelves, with how many books each holds ("Reading now" and
    "Finished" first)."""
    return ShelfStore(session.library.store, session.profile_id).shelves()
