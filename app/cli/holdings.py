"""`mutolaa holdings`: the books kept on your other devices (learnt by `mutolaa sync`)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from app.cli.base import EXIT_OK, CommandBase
from app.library.sync_state import SyncState
from app.services.session import Session
from app.services.sync.other_devices import HeldElsewhere, books_elsewhere


class HoldingsCommands(CommandBase):
    """The `holdings` command."""

    def cmd_holdings(self, session: Session) -> int:
        library = session.library
        if SyncState(library.store, session.profile_id).account() is None:
            self.say("Not signed in: run `mutolaa account login URL USER`, then `mutolaa sync`.")
            if self.json:
                self.emit([])
            return EXIT_OK
        books = books_elsewhere(session, include_here=self.args.all)
        if self.json:
            self.emit([asdict(book) for book in books])
            return EXIT_OK
        if not books:
            self.say(
                "Your other devices keep no book that is not here (as of the last sync)."
                if not self.args.all
                else "Your other devices keep no books (as of the last sync)."
            )
            return EXIT_OK
        for book in books:
            self.say(_line(book))
            if not book.here:
                self.say(f"    get it: {_download_hint(book)}")
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


def add_holdings_command(commands: Any) -> None:
    """`mutolaa holdings [--all] [--json]`."""
    sub: argparse.ArgumentParser = commands.add_parser(
        "holdings",
        help="the books kept on your other devices (as of the last sync)",
        description="The books your other devices keep that this library does not have, and "
        "how to download them from their catalogue.",
    )
    sub.add_argument("--all", action="store_true", help="also the books this library has")
    sub.add_argument("--json", action="store_true", help="machine-readable output")
