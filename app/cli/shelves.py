"""`mutolaa shelves …` and `mutolaa library hide|unhide|hidden`: a person's shelves and view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from app.cli.base import EXIT_OK, Cli, Commands, Handler, add_command
from app.cli.library import book_dict
from app.core.models import Book
from app.library.shelves import Shelf, ShelfStore
from app.services.session import Session


def add_shelf_commands(commands: Commands) -> None:
    """`shelves list|add|rename|remove|put|take|show` and `library hide|unhide|hidden`."""
    group = commands.add_parser(
        "shelves",
        help="your shelves: Reading now, Finished and those you name",
        description="Your shelves: Reading now, Finished and those you name (synced).",
    )
    actions = group.add_subparsers(dest="shelves_command", metavar="ACTION", required=True)
    add_command(actions, "list", "list your shelves and how many books each holds", _on(_list))
    sub = add_command(actions, "add", "make a shelf", _on(_add))
    sub.add_argument("name", metavar="NAME")
    sub = add_command(actions, "rename", "give a shelf another name", _on(_rename))
    sub.add_argument("old", metavar="OLD")
    sub.add_argument("new", metavar="NEW")
    sub = add_command(actions, "remove", "remove a shelf (its books stay)", _on(_remove))
    sub.add_argument("name", metavar="NAME")
    sub = add_command(actions, "put", "put a book on a shelf", _on(_put))
    sub.add_argument("shelf", metavar="SHELF")
    sub.add_argument("book", metavar="BOOK", help="the book's ID (its first characters do)")
    sub = add_command(actions, "take", "take a book off a shelf", _on(_take))
    sub.add_argument("shelf", metavar="SHELF")
    sub.add_argument("book", metavar="BOOK", help="the book's ID (its first characters do)")
    sub = add_command(actions, "show", "list the books on a shelf", _on(_show))
    sub.add_argument("shelf", metavar="SHELF")

    group = commands.add_parser(
        "library",
        help="your view of the shared library: hide a book from it, or show it again",
        description="Your view of the shared library: a book you hide stays for everyone else.",
    )
    actions = group.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    sub = add_command(actions, "hide", "leave a shared book out of your view", _on(_hide))
    sub.add_argument("book", metavar="BOOK", help="the book's ID (its first characters do)")
    sub = add_command(actions, "unhide", "show a book you hid again", _on(_unhide))
    sub.add_argument("book", metavar="BOOK", help="the book's ID (its first characters do)")
    add_command(actions, "hidden", "list the books you hid", _on(_hidden))


#: An action of these groups: it runs with the acting person's shelves.
ShelfAction: TypeAlias = Callable[[Cli, Session, ShelfStore], int]


def _on(action: ShelfAction) -> Handler:
    """The handler of an action, given the acting person's shelves."""

    def run(cli: Cli, session: Session) -> int:
        return action(cli, session, ShelfStore(session.library.store, session.profile_id))

    return run


def shelf_dict(shelf: Shelf) -> dict[str, Any]:
    """A shelf as JSON-ready data."""
    return {
        "id": shelf.id,
        "name": shelf.name,
        "kind": shelf.kind,
        "books": shelf.count,
        "created_at": shelf.created_at,
        "updated_at": shelf.updated_at,
    }


def _book_line(book: Book) -> str:
    return f"{book.short_id}  {book.title} — {', '.join(book.authors) or 'unknown author'}"


def _list(cli: Cli, _session: Session, shelves: ShelfStore) -> int:
    found = shelves.shelves()
    if cli.json:
        cli.emit([shelf_dict(s) for s in found])
    for shelf in found:
        cli.say(f"{shelf.count:>5}  {shelf.name}")
    return EXIT_OK


def _add(cli: Cli, _session: Session, shelves: ShelfStore) -> int:
    shelf = shelves.add(cli.args.name)
    if cli.json:
        cli.emit(shelf_dict(shelf))
    cli.say(f"made the shelf {shelf.name}")
    return EXIT_OK


def _rename(cli: Cli, _session: Session, shelves: ShelfStore) -> int:
    old = shelves.find(cli.args.old)
    shelf = shelves.rename(cli.args.old, cli.args.new)
    if cli.json:
        cli.emit(shelf_dict(shelf))
    cli.say(f"renamed the shelf {old.name} to {shelf.name}")
    return EXIT_OK


def _remove(cli: Cli, _session: Session, shelves: ShelfStore) -> int:
    shelf = shelves.remove(cli.args.name)
    if cli.json:
        cli.emit({"removed": shelf_dict(shelf)})
    cli.say(f"removed the shelf {shelf.name} (its books stay in the library)")
    return EXIT_OK


def _put(cli: Cli, session: Session, shelves: ShelfStore) -> int:
    shelf = shelves.find(cli.args.shelf)
    book = session.library.store.resolve(cli.args.book)
    changed = shelves.put(shelf, book.id)
    if cli.json:
        cli.emit({"shelf": shelf.name, "book": book.id, "changed": changed})
    cli.say(f"{_book_line(book)}: {'put on' if changed else 'already on'} {shelf.name}")
    return EXIT_OK


def _take(cli: Cli, session: Session, shelves: ShelfStore) -> int:
    shelf = shelves.find(cli.args.shelf)
    book = session.library.store.resolve(cli.args.book)
    changed = shelves.take(shelf, book.id)
    if cli.json:
        cli.emit({"shelf": shelf.name, "book": book.id, "changed": changed})
    cli.say(f"{_book_line(book)}: {'taken off' if changed else 'not on'} {shelf.name}")
    return EXIT_OK


def _show(cli: Cli, session: Session, shelves: ShelfStore) -> int:
    shelf = shelves.find(cli.args.shelf)
    ids = shelves.book_ids(shelf)
    found = session.library.store.books_by_ids(ids)
    books = [found[i] for i in ids if i in found]
    if cli.json:
        cli.emit(shelf_dict(shelf) | {"books": [book_dict(b) for b in books]})
        return EXIT_OK
    if not books:
        cli.say(f"{shelf.name}: no books (put one with `mutolaa shelves put SHELF BOOK`)")
    for book in books:
        cli.say(_book_line(book))
    return EXIT_OK


def _hide(cli: Cli, session: Session, shelves: ShelfStore) -> int:
    book = session.library.store.resolve(cli.args.book)
    changed = shelves.hide(book.id)
    if cli.json:
        cli.emit({"book": book.id, "hidden": True, "changed": changed})
    cli.say(
        f"{_book_line(book)}: hidden from your view (it stays in the library for everyone else)"
        if changed
        else f"{_book_line(book)}: hidden already"
    )
    return EXIT_OK


def _unhide(cli: Cli, session: Session, shelves: ShelfStore) -> int:
    book = session.library.store.resolve(cli.args.book)
    changed = shelves.unhide(book.id)
    if cli.json:
        cli.emit({"book": book.id, "hidden": False, "changed": changed})
    cli.say(f"{_book_line(book)}: {'shown again' if changed else 'not hidden'}")
    return EXIT_OK


def _hidden(cli: Cli, session: Session, shelves: ShelfStore) -> int:
    ids = shelves.hidden()
    found = session.library.store.books_by_ids(ids)
    books = [found[i] for i in ids if i in found]
    if cli.json:
        cli.emit([book_dict(b) for b in books])
        return EXIT_OK
    if not books:
        cli.say("you hid no books")
    for book in books:
        cli.say(_book_line(book))
    return EXIT_OK
