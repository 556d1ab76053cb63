"""`mutolaa account login|logout|status|koreader`: the profile's sync accounts."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from app.cli.base import EXIT_OK, Cli, Commands, Handler, add_json_option, moment, read_password
from app.core.errors import UserError, reason
from app.library.catalogs import split_credentials
from app.library.koreader_state import KoreaderAccount, KoreaderState
from app.library.sync_state import SyncAccount, SyncState
from app.services.session import Session
from app.services.sync.accounts import login_failure
from app.services.sync.koreader import check_and_turn_on
from app.services.sync.logout import sign_out
from app.services.sync.server_sync import login
from sync.cleartext import password_in_clear
from sync.engine import SyncFailed
from sync.errors import SyncError
from sync.http import redact_url


def add_account_commands(commands: Commands) -> None:
    """`account login URL [USER]`, `account logout`, `account status`, `account koreader`."""
    account = commands.add_parser(
        "account",
        help="your account on the library server: login, logout, status, koreader",
        description="Your account on the library server (for `mutolaa sync`).",
    )
    actions = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    sub = _add_action(
        actions,
        "login",
        account_login,
        help_text="sign in (the password is read from a prompt or standard input)",
    )
    sub.add_argument("url", metavar="URL", help="the library server, e.g. https://kutubxona.uz/")
    sub.add_argument("user", nargs="?", metavar="USER")
    add_json_option(sub)
    add_json_option(
        _add_action(
            actions,
            "logout",
            account_logout,
            help_text="forget the token here and revoke it at the server (at the next sync "
            "when the server does not answer now)",
        )
    )
    add_json_option(
        _add_action(actions, "status", account_status, help_text="who is signed in, last sync")
    )
    sub = _add_action(
        actions,
        "koreader",
        account_koreader,
        help_text="sync reading progress with a KOReader sync server (password from a prompt or "
        "standard input; only its MD5, KOReader's key, is kept), or --off",
        description="Sync reading progress with a KOReader sync server, so an e-ink reader "
        "running KOReader and this library agree on the page.",
    )
    sub.add_argument(
        "url",
        nargs="?",
        metavar="URL",
        help="the KOReader sync server, e.g. https://sync.example.uz",
    )
    sub.add_argument("user", nargs="?", metavar="USER")
    sub.add_argument("--off", action="store_true", help="stop it and forget the key")
    add_json_option(sub)


def _add_action(
    actions: Commands, name: str, handler: Handler, help_text: str, description: str | None = None
) -> argparse.ArgumentParser:
    """An `account` action (its ``--json`` comes after its arguments)."""
    sub = actions.add_parser(name, help=help_text, description=description)
    sub.set_defaults(handler=handler)
    return sub


def account_login(cli: Cli, session: Session) -> int:
    """`mutolaa account login URL [USER]`: sign in; only the server's token is kept."""
    url, url_user, url_password = split_credentials(cli.args.url)
    user = cli.args.user or url_user
    if not user:
        raise UserError("account login: give the user name (mutolaa account login URL USER)")
    _warn_if_in_clear(cli, url)
    password = url_password or read_password(f"Password for {user} at {url}: ")
    if not password:
        raise UserError("account login: the password is empty")
    try:
        signed = login(session, url, user, password)
    except SyncFailed as exc:  # refused, or no answer: one sentence, the server's own words
        raise UserError(f"cannot sign in to {url} as {user}: {login_failure(exc)}") from None
    except SyncError as exc:
        raise UserError(f"cannot sign in to {url} as {user}: {reason(exc)}") from None
    if cli.json:
        cli.emit(_account_dict(signed))
    cli.say(f"signed in  {signed.username} at {signed.server_url}")
    return EXIT_OK


def _warn_if_in_clear(cli: Cli, url: str) -> None:
    """One line on stderr before a password is asked for an address that would carry it in
    clear (`sync.cleartext`)."""
    if password_in_clear(url):
        cli.warn(
            f"warning: {redact_url(url)} is not encrypted (http://): the password crosses the "
            "network in clear; use https:// unless the server is on this computer or network"
        )


def account_logout(cli: Cli, session: Session) -> int:
    """`mutolaa account logout`: forget the token here and revoke it at the server (or at the
    next sync when the server does not answer); the notes stay."""
    done = sign_out(session)
    for note in done.revoked.notes:
        cli.warn(note)
    if cli.json:
        cli.emit(
            {
                "signed_out": done.forgotten,
                "revoked": done.revoked.revoked,
                "waiting": done.revoked.waiting,
            }
        )
    if not done.forgotten:
        cli.say("not signed in")
    elif done.revoked.waiting:
        cli.say(
            "signed out here; the server does not answer, so its token is revoked at the next "
            "sync (this device's notes stay here)"
        )
    else:
        cli.say("signed out; the server no longer accepts this device's token (notes stay here)")
    return EXIT_OK


def account_status(cli: Cli, session: Session) -> int:
    """`mutolaa account status`: who is signed in where, the last sync and its error."""
    store, profile = session.library.store, session.profile_id
    account = SyncState(store, profile).account()
    koreader = KoreaderState(store, profile).account()
    if cli.json:
        shown = _account_dict(account) if account is not None else None
        if koreader is not None:
            shown = {**(shown or {}), "koreader": _koreader_dict(koreader)}
        cli.emit(shown)
        return EXIT_OK
    if account is None:
        cli.say("Not signed in. Run `mutolaa account login URL USER`.")
    else:
        cli.say(
            f"{account.username} at {redact_url(account.server_url)}"
            + ("" if account.token else "  (signed out)")
            + _last_sync(account.last_sync_at, account.last_error)
        )
    if koreader is not None:
        cli.say(
            f"KOReader: {koreader.username} at {redact_url(koreader.server_url)}"
            + ("" if koreader.active else "  (off)")
            + _last_sync(koreader.last_sync_at, koreader.last_error)
        )
    return EXIT_OK


def _last_sync(when: float | None, error: str) -> str:
    return (f"  last sync {moment(when)}" if when else "  never synced") + (
        f"  last error: {error}" if error else ""
    )


def account_koreader(cli: Cli, session: Session) -> int:
    """`mutolaa account koreader URL USER` (checks and turns it on) or `--off`."""
    if cli.args.off:
        return _koreader_off(cli, session)
    if not cli.args.url:
        raise UserError(
            "account koreader: give the KOReader sync server and the user name "
            "(mutolaa account koreader URL USER), or --off"
        )
    url, url_user, url_password = split_credentials(cli.args.url)
    user = cli.args.user or url_user
    if not user:
        raise UserError("account koreader: give the user name (mutolaa account koreader URL USER)")
    _warn_if_in_clear(cli, url)
    password = url_password or read_password(f"KOReader sync password for {user} at {url}: ")
    if not password:
        raise UserError("account koreader: the password is empty")
    try:
        turned = check_and_turn_on(session, url, user, password)
    except SyncError as exc:
        raise UserError(f"KOReader sync not turned on: {reason(exc)}") from None
    if cli.json:
        cli.emit(_koreader_dict(turned))
    cli.say(f"KOReader progress sync on: {turned.username} at {redact_url(turned.server_url)}")
    return EXIT_OK


def _koreader_off(cli: Cli, session: Session) -> int:
    """`mutolaa account koreader --off`: stop it and forget the key."""
    if cli.args.url or cli.args.user:
        raise UserError("account koreader --off: give no URL or user with --off")
    state = KoreaderState(session.library.store, session.profile_id)
    was = state.turn_off()
    if cli.json:
        cli.emit({"koreader": None if not was else _koreader_dict(state.account())})
    cli.say(
        "KOReader progress sync off (the key is forgotten)"
        if was
        else "KOReader progress sync was not set up"
    )
    return EXIT_OK


def _account_dict(account: SyncAccount) -> dict[str, Any]:
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
