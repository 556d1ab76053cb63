"""`mutolaa sync` and `mutolaa account …`: the profile's account on its library server, and its
KOReader progress sync (`mutolaa account koreader`)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from app.cli.base import EXIT_FAILED, EXIT_OK, CommandBase, moment, read_password
from app.core.errors import UserError
from app.library.catalogs import split_credentials
from app.library.koreader_state import KoreaderAccount, KoreaderState
from app.library.sync_state import SyncState
from app.services.session import Session
from app.services.sync.koreader import KoreaderReport, check_and_turn_on, sync_progress
from app.services.sync.server_sync import login, sync_now
from sync.errors import SyncError
from sync.http import redact_url


class SyncCommands(CommandBase):
    """The `sync` and `account` commands."""

    def cmd_sync(self, session: Session) -> int:
        library = session.library
        account = SyncState(library.store, session.profile_id).account()
        koreader = KoreaderState(library.store, session.profile_id).active_account()
        if (account is None or not account.token) and koreader is None:
            raise UserError(
                "not signed in to a library server and KOReader sync is off; run "
                "`mutolaa account login URL USER` or `mutolaa account koreader URL USER`"
            )
        data: dict[str, Any] = {}
        status = EXIT_OK
        stopped: str | None = None
        if account is not None and account.token:
            try:
                status = self._sync_library(session, data)
            except SyncError as exc:  # the KOReader sync still runs, then this is said
                stopped = f"sync stopped: {exc}"
        if koreader is not None:
            status = max(status, self._sync_koreader(session, data))
        if self.json and data:
            self.emit(data)
        if stopped is not None:
            raise UserError(stopped)
        questions = SyncState(library.store, session.profile_id).questions()
        for question in questions:
            where = question.data.get("position", "")
            source = "KOReader" if question.data.get("source") == "koreader" else "another device"
            self.say(f"  question: {source} was further back in a book ({where}); not moved")
        return status

    def _sync_library(self, session: Session, data: dict[str, Any]) -> int:
        """The sync with the library server; its report goes into ``data`` (the JSON output)."""
        report = sync_now(session, allow_deletions=self.args.allow_deletions)
        data.update(asdict(report))
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
        return EXIT_OK

    def _sync_koreader(self, session: Session, data: dict[str, Any]) -> int:
        """The KOReader progress sync; its report is ``data["koreader"]``."""
        try:
            report = sync_progress(session)
        except SyncError as exc:
            data["koreader"] = {"error": str(exc)}
            print(f"mutolaa: KOReader sync stopped: {exc}", file=self.err)
            return EXIT_FAILED
        data["koreader"] = _koreader_report(report)
        if report.offline:
            print(f"mutolaa: {report.note}", file=self.err)
            return EXIT_FAILED
        self.say(
            f"KOReader progress: {report.sent} sent, {report.received} received"
            + (f", {report.asked} behind this device (asked)" if report.asked else "")
            + ("; more books to do: run it again" if report.more else "")
        )
        reasons: dict[str, int] = {}
        for _book, reason in report.skipped:
            reasons[reason] = reasons.get(reason, 0) + 1
        for reason, count in reasons.items():
            self.say(f"  skipped {count}: {reason}")
        return EXIT_OK

    def cmd_account(self, session: Session) -> int:
        library = session.library
        action = self.args.account_command
        state = SyncState(library.store, session.profile_id)
        if action == "login":
            url, url_user, url_password = split_credentials(self.args.url)
            user = self.args.user or url_user
            if not user:
                raise UserError(
                    "account login: give the user name (mutolaa account login URL USER)"
                )
            password = url_password or read_password(f"Password for {user} at {url}: ")
            try:
                signed = login(session, url, user, password)
            except SyncError as exc:
                raise UserError(f"login failed: {exc}") from None
            if self.json:
                self.emit(_account_dict(signed))
            self.say(f"signed in  {signed.username} at {signed.server_url}")
            return EXIT_OK
        if action == "koreader":
            return self._koreader(session)
        if action == "logout":
            state.sign_out()
            self.say("signed out (this device's notes stay here)")
            return EXIT_OK
        account = state.account()
        koreader = KoreaderState(library.store, session.profile_id).account()
        if self.json:
            shown = _account_dict(account) if account is not None else None
            if koreader is not None:
                shown = {**(shown or {}), "koreader": _koreader_dict(koreader)}
            self.emit(shown)
            return EXIT_OK
        if account is None:
            self.say("Not signed in. Run `mutolaa account login URL USER`.")
        else:
            when = account.last_sync_at
            self.say(
                f"{account.username} at {redact_url(account.server_url)}"
                + ("" if account.token else "  (signed out)")
                + (f"  last sync {moment(when)}" if when else "  never synced")
                + (f"  last error: {account.last_error}" if account.last_error else "")
            )
        if koreader is not None:
            when = koreader.last_sync_at
            self.say(
                f"KOReader: {koreader.username} at {redact_url(koreader.server_url)}"
                + ("" if koreader.active else "  (off)")
                + (f"  last sync {moment(when)}" if when else "  never synced")
                + (f"  last error: {koreader.last_error}" if koreader.last_error else "")
            )
        return EXIT_OK

    def _koreader(self, session: Session) -> int:
        """`mutolaa account koreader URL USER` (checks and turns it on) or `--off`."""
        library = session.library
        state = KoreaderState(library.store, session.profile_id)
        if self.args.off:
            if self.args.url or self.args.user:
                raise UserError("account koreader --off: give no URL or user with --off")
            was = state.turn_off()
            if self.json:
                self.emit({"koreader": None if not was else _koreader_dict(state.account())})
            self.say(
                "KOReader progress sync off (the key is forgotten)"
                if was
                else "KOReader progress sync was not set up"
            )
            return EXIT_OK
        if not self.args.url:
            raise UserError(
                "account koreader: give the KOReader sync server and the user name "
                "(mutolaa account koreader URL USER), or --off"
            )
        url, url_user, url_password = split_credentials(self.args.url)
        user = self.args.user or url_user
        if not user:
            raise UserError(
                "account koreader: give the user name (mutolaa account koreader URL USER)"
            )
        password = url_password or read_password(f"KOReader sync password for {user} at {url}: ")
        if not password:
            raise UserError("account koreader: the password is empty")
        try:
            turned = check_and_turn_on(session, url, user, password)
        except SyncError as exc:
            raise UserError(f"KOReader sync not turned on: {exc}") from None
        if self.json:
            self.emit(_koreader_dict(turned))
        self.say(f"KOReader progress sync on: {turned.username} at {redact_url(turned.server_url)}")
        return EXIT_OK


def _account_dict(account: Any) -> dict[str, Any]:
    """An account as JSON-ready data, without its token."""
    data = asdict(account)
    data.pop("token", None)
    data["signed_in"] = bool(account.token)
    return data


def _koreader_dict(account: KoreaderAccount | None) -> dict[str, Any] | None:
    """A KOReader account as JSON-ready data, without its key."""
    if account is None:
        return None
    data = asdict(account)
    data.pop("key", None)
    data["server_url"] = redact_url(account.server_url)
    data["active"] = account.active
    return data


def _koreader_report(report: KoreaderReport) -> dict[str, Any]:
    data = asdict(report)
    data["skipped"] = [{"book": book, "reason": reason} for book, reason in report.skipped]
    return data


def add_sync_commands(commands: Any) -> None:
    """`mutolaa sync` and `mutolaa account login|logout|status`."""
    sub: argparse.ArgumentParser = commands.add_parser(
        "sync",
        help="sync bookmarks, highlights, notes, reading progress and holdings with the server",
        description="Sync with the library server of `mutolaa account login`, and reading "
        "progress with the KOReader sync server of `mutolaa account koreader`.",
    )
    sub.add_argument("--json", action="store_true", help="machine-readable output")
    sub.add_argument(
        "--allow-deletions",
        action="store_true",
        help="let a sync delete most of your annotations (it stops and asks otherwise)",
    )
    account = commands.add_parser(
        "account",
        help="your account on the library server: login, logout, status, koreader",
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
    koreader = actions.add_parser(
        "koreader",
        help="sync reading progress with a KOReader sync server (password from a prompt or "
        "standard input; only its MD5, KOReader's key, is kept), or --off",
        description="Sync reading progress with a KOReader sync server, so an e-ink reader "
        "running KOReader and this library agree on the page.",
    )
    koreader.add_argument(
        "url",
        nargs="?",
        metavar="URL",
        help="the KOReader sync server, e.g. https://sync.example.uz",
    )
    koreader.add_argument("user", nargs="?", metavar="USER")
    koreader.add_argument("--off", action="store_true", help="stop it and forget the key")
    for parser in (login_parser, koreader, *(actions.choices[n] for n in ("logout", "status"))):
        parser.add_argument("--json", action="store_true", help="machine-readable output")
