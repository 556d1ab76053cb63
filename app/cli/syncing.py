"""`mutolaa sync` and `mutolaa account …`: the profile's account on its library server."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from app.cli.base import EXIT_FAILED, EXIT_OK, CommandBase, read_password
from app.core.errors import UserError
from app.library.catalogs import split_credentials
from app.library.sync_state import SyncState
from app.services.library import Library
from app.services.syncing import login, sync_now
from sync.errors import SyncError
from sync.http import redact_url


class SyncCommands(CommandBase):
    """The `sync` and `account` commands."""

    def cmd_sync(self, library: Library) -> int:
        try:
            report = sync_now(library, allow_deletions=self.args.allow_deletions)
        except SyncError as exc:
            raise UserError(f"sync stopped: {exc}") from None
        if self.json:
            self.emit(asdict(report))
        for note in report.notes:
            print(f"mutolaa: {note}", file=self.err)
        if report.offline:
            return EXIT_FAILED
        self.say(
            f"synced: {report.pushed} sent, {report.pulled} received"
            + (f", {report.merged} merged" if report.merged else "")
            + (f", {report.kept} kept as the server had them" if report.kept else "")
            + (
                f", {report.conflicts} notes edited on two devices (both kept)"
                if report.conflicts
                else ""
            )
            + ("; more to do: run it again" if report.more else "")
        )
        questions = SyncState(library.store).questions()
        for question in questions:
            where = question.data.get("position", "")
            self.say(f"  question: another device was further back in a book ({where}); not moved")
        return EXIT_OK

    def cmd_account(self, library: Library) -> int:
        action = self.args.account_command
        state = SyncState(library.store)
        if action == "login":
            url, url_user, url_password = split_credentials(self.args.url)
            user = self.args.user or url_user
            if not user:
                raise UserError(
                    "account login: give the user name (mutolaa account login URL USER)"
                )
            password = url_password or read_password(f"Password for {user} at {url}: ")
            try:
                signed = login(library, url, user, password)
            except SyncError as exc:
                raise UserError(f"login failed: {exc}") from None
            if self.json:
                self.emit(_account_dict(signed))
            self.say(f"signed in  {signed.username} at {signed.server_url}")
            return EXIT_OK
        if action == "logout":
            state.sign_out()
            self.say("signed out (this device's notes stay here)")
            return EXIT_OK
        account = state.account()
        if self.json:
            self.emit(_account_dict(account) if account is not None else None)
        elif account is None:
            self.say("Not signed in. Run `mutolaa account login URL USER`.")
        else:
            when = account.last_sync_at
            self.say(
                f"{account.username} at {redact_url(account.server_url)}"
                + ("" if account.token else "  (signed out)")
                + (f"  last sync {when:.0f}" if when else "  never synced")
                + (f"  last error: {account.last_error}" if account.last_error else "")
            )
        return EXIT_OK


def _account_dict(account: Any) -> dict[str, Any]:
    """An account as JSON-ready data, without its token."""
    data = asdict(account)
    data.pop("token", None)
    data["signed_in"] = bool(account.token)
    return data


def add_sync_commands(commands: Any) -> None:
    """`mutolaa sync` and `mutolaa account login|logout|status`."""
    sub: argparse.ArgumentParser = commands.add_parser(
        "sync",
        help="sync bookmarks, highlights, notes, reading progress and holdings with the server",
        description="Sync with the library server of `mutolaa account login`.",
    )
    sub.add_argument("--json", action="store_true", help="machine-readable output")
    sub.add_argument(
        "--allow-deletions",
        action="store_true",
        help="let a sync delete most of your annotations (it stops and asks otherwise)",
    )
    account = commands.add_parser(
        "account",
        help="your account on the library server: login, logout, status",
        description="Your account on the library server (for `mutolaa sync`).",
    )
    actions = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    login_parser = actions.add_parser(
        "login", help="sign in (the password is read from a prompt or standard input)"
    )
    login_parser.add_argument(
        "url", metavar="URL", help="the library server, e.g. https://kutubxona.uz/"
    )
    login_parser.add_argument("user", nargs="?", metavar="USER")
    for name, text in (("logout", "forget the token"), ("status", "who is signed in, last sync")):
        actions.add_parser(name, help=text)
    for parser in (login_parser, *(actions.choices[n] for n in ("logout", "status"))):
        parser.add_argument("--json", action="store_true", help="machine-readable output")
