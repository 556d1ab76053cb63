"""`mutolaa holdings`: the books kept on your other devices (learnt by `mutolaa sync`)."""

from __future__ import annotations

from dataclasses import asdict

from app.cli.base import EXIT_OK, Cli, Commands, add_command, add_json_option
from app.library.sync_state import SyncState
from app.services.session import Session
from app.services.sync.other_devices import HeldElsewhere, books_elsewhere


def add_holdings_command(commands: Commands) -> None:
    """`holdings [--all] [--json]`."""
    sub = add_command(
        commands,
        "holdings",
        "the books kept on your other devices (as of the last sync)",
        cmd_holdings,
        description="The books your other devices keep that this library does not have, and "
        "how to download them from their catalogue.",
        json_option=False,
    )
    sub.add_argument("--all", action="store_true", help="also the books this library has")
    add_json_option(sub)


def cmd_holdings(cli: Cli, session: Session) -> int:
    """`mutolaa holdings [--all]`: each book of the other devices and how to get it here."""
    if SyncState(session.library.store, session.profile_id).account() is None:
        cli.say("Not signed in: run `mutolaa account login URL USER`, then `mutolaa sync`.")
        if cli.json:
            cli.emit([])
        return EXIT_OK
    books = books_elsewhere(session, include_here=cli.args.all)
    if cli.json:
        cli.emit([asdict(book) for book in books])
        return EXIT_OK
    if not books:
        cli.say(
            "Your other devices keep no book that is not here (as of the last sync)."
            if not cli.args.all
            else "Your other devices keep no books (as of the last sync)."
        )
        return EXIT_OK
    for book in books:
        cli.say(_line(book))
        if not book.here:
            cli.say(f"    get it: {_download_hint(book)}")
    return EXIT_OK


def _line(book: HeldElsewhere) -> str:
    authors = f" — {', '.join(book.authors)}" if book.authors else ""
    where = ", ".join(book.devices)
    here = " (here too)" if book.here else ""
    return f"{book.title}{authors}  [on {where}]{here}"


def _download_hint(book: HeldElsewhere) -> str:
    if book.href:
        return f'mutolaa download "{book.href}" --title "{book.title}"'
    if book.entry and book.catalog_name:
        return f'mutolaa download "{book.entry}" --catalog "{book.catalog_name}"'
    if book.catalog_url:
        return f"add its catalogue first: mutolaa catalog add {book.catalog_url}"
    return f"copy the file from {', '.join(book.devices)} (it was not downloaded there)"
