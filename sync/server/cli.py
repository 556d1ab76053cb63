"""The `mutolaa-server` command: ``serve`` runs the server (Waitress), ``users`` the accounts.

Passwords come from a prompt (asked twice) on a terminal, else from one line of standard input.
Every bad input is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import signal
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import NoReturn

from sync.server.accounts import AccountError
from sync.server.changes import DEFAULT_QUOTA, MAX_BODY
from sync.server.limits import MAX_THREADS, Limits
from sync.server.storage import Storage, StorageError
from sync.terminal import PrintableStream, reader_gone

EXIT_OK, EXIT_FAILED = 0, 1
PROG = "mutolaa-server"
CATALOG_ACCESS = ("accounts", "public")
"""`sync.server.catalog_access.ACCESS`, written out: importing it would load Flask for `users`."""


class UsageError(Exception):
    """A bad command line or input: printed as one line, exit 1."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 1 (not usage text and exit 2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    """The parser of `mutolaa-server`."""
    parser = _Parser(prog=PROG, description="Mutolaa's library server: sync, KOReader, OPDS.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    serve = commands.add_parser("serve", help="run the server (stop it with Ctrl+C or SIGTERM)")
    serve.add_argument("--books", metavar="DIR", type=Path, help="the books to offer over OPDS")
    serve.add_argument("--data", metavar="DIR", type=Path, required=True, help="the data folder")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port (8080; 0 picks a free one)")
    serve.add_argument(
        "--behind-proxy",
        action="store_true",
        help="trust one reverse proxy's X-Forwarded-For/-Proto/-Host (docs/server.md)",
    )
    limits = Limits()
    serve.add_argument(
        "--threads", type=int, default=limits.threads, help=f"worker threads ({limits.threads})"
    )
    serve.add_argument(
        "--max-connections",
        metavar="N",
        type=int,
        default=limits.connections,
        help=f"connections served at once ({limits.connections})",
    )
    serve.add_argument(
        "--idle-timeout",
        metavar="SECONDS",
        type=int,
        default=limits.idle_timeout,
        help=f"close a connection idle this long ({limits.idle_timeout})",
    )
    serve.add_argument(
        "--header-timeout",
        metavar="SECONDS",
        type=int,
        default=limits.header_timeout,
        help=f"close a request whose headers take longer ({limits.header_timeout})",
    )
    serve.add_argument(
        "--catalog",
        choices=CATALOG_ACCESS,
        default=CATALOG_ACCESS[0],
        help="who may read the OPDS catalogue, its covers and books: the server's accounts "
        "(a Mutolaa login, or Basic name and password over TLS) or anyone (accounts)",
    )
    serve.add_argument(
        "--quota",
        metavar="MB",
        type=int,
        default=DEFAULT_QUOTA // 1_000_000,
        help=f"the most MB of notes one account may store ({DEFAULT_QUOTA // 1_000_000}; 0: none)",
    )
    users = commands.add_parser("users", help="manage accounts")
    actions = users.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    for name, text in (
        ("add", "add an account (the password from a prompt or one line of stdin)"),
        ("list", "list the accounts"),
        ("disable", "disable an account (it cannot log in; its devices are refused)"),
        ("enable", "enable an account again"),
        ("reset", "give an account a new password (signed out, KOReader off)"),
        ("koreader", "let KOReader sync for an account (its KOReader password)"),
    ):
        action = actions.add_parser(name, help=text, description=text)
        if name != "list":
            action.add_argument("name", metavar="NAME")
        action.add_argument("--data", metavar="DIR", type=Path, required=True)
        if name == "koreader":
            action.add_argument("--off", action="store_true", help="stop KOReader sync")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        if args.command == "serve":
            return _serve(args)
        if args.command == "users" and args.action:
            status = _users(args)
            sys.stdout.flush()  # here, so that a reader gone away is seen now, not at exit
            return status
        raise UsageError("a command is needed: serve or users ACTION (see mutolaa-server --help)")
    except BrokenPipeError:  # `mutolaa-server users list | head -1`
        return reader_gone()
    except (UsageError, AccountError, StorageError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def _serve(args: argparse.Namespace) -> int:
    from sync.server import listener  # noqa: PLC0415 - only `serve` needs Waitress
    from sync.server.app import create_app  # noqa: PLC0415 - users commands need no Flask
    from sync.server.opds import CatalogBlueprint  # noqa: PLC0415

    if args.books is not None and not args.books.is_dir():
        raise UsageError(f"--books {args.books}: not a folder")
    # absolute from the start: Flask's send_file reads a relative path from its package folder
    books: Path | None = args.books.resolve() if args.books is not None else None
    data: Path = args.data.resolve()
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: not a port number (0-65535)")
    if not 1 <= args.threads <= MAX_THREADS:
        raise UsageError(f"--threads {args.threads}: from 1 to {MAX_THREADS}")
    for option, value in (
        ("--max-connections", args.max_connections),
        ("--idle-timeout", args.idle_timeout),
        ("--header-timeout", args.header_timeout),
    ):
        if value < 1:
            raise UsageError(f"{option} {value}: at least 1")
    if args.quota < 0:
        raise UsageError(f"--quota {args.quota}: 0 (no quota) or more MB")
    limits = Limits(
        connections=args.max_connections,
        idle_timeout=args.idle_timeout,
        header_timeout=args.header_timeout,
        threads=args.threads,
    )
    logging.basicConfig(  # names of books and what clients send reach the log: never escapes
        stream=PrintableStream(sys.stderr),
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = create_app(
        data,
        books,
        catalog_access=args.catalog,
        behind_proxy=args.behind_proxy,
        quota=args.quota * 1_000_000 or None,
    )
    try:
        server = listener.create_server(
            app,
            args.host,
            args.port,
            limits,
            ident=PROG,
            # Waitress buffers a whole body before Flask sees it: stop absurd ones early, and
            # leave bodies up to twice the limit to Flask's JSON 413
            max_request_body_size=2 * MAX_BODY,
        )
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    port = server.effective_port
    print(f"{PROG}: serving on http://{args.host}:{port}", flush=True)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)  # waitress's run() catches it and shuts its threads down

    signal.signal(signal.SIGTERM, stop)
    catalogue = app.blueprints.get("opds_catalog")
    if isinstance(catalogue, CatalogBlueprint) and hasattr(signal, "SIGHUP"):
        index = catalogue.index

        def rescan(signum: int, frame: FrameType | None) -> None:
            index.request_refresh()  # the next request walks the books folder

        signal.signal(signal.SIGHUP, rescan)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    print(f"{PROG}: stopped", flush=True)
    return EXIT_OK


def _users(args: argparse.Namespace) -> int:
    from sync.server.accounts import Accounts  # noqa: PLC0415 - keeps `--help` light

    storage = Storage(args.data, create=args.action == "add")
    accounts = Accounts(storage, time.time)
    if args.action == "list":
        users = accounts.users()
        if not users:
            print("no users yet (mutolaa-server users add NAME --data DIR)")
        for user in users:
            state = "disabled" if user.disabled else "enabled"
            koreader = "koreader on" if user.koreader_hash else "koreader off"
            created = datetime.fromtimestamp(user.created_at, UTC).strftime("%Y-%m-%d")
            print(f"{user.name}\t{state}\t{koreader}\tsince {created}")
        return EXIT_OK
    name: str = args.name
    if args.action == "add":
        user = accounts.add(name, _new_password(f"Password for {name}: "))
        print(f"added user {user.name}")
    elif args.action == "disable":
        user = accounts.set_disabled(name, True)
        print(f"disabled user {user.name}")
    elif args.action == "enable":
        user = accounts.set_disabled(name, False)
        print(f"enabled user {user.name}")
    elif args.action == "reset":
        accounts.find(name)
        user = accounts.reset(name, _new_password(f"New password for {name}: "))
        print(f"new password for {user.name}; signed out everywhere, KOReader sync off")
    elif args.action == "koreader":
        if args.off:
            user = accounts.set_koreader(name, None)
            print(f"KOReader sync off for {user.name}")
        else:
            accounts.find(name)
            user = accounts.set_koreader(name, _new_password(f"KOReader password for {name}: "))
            print(f"KOReader sync on for {user.name}")
    return EXIT_OK


def _new_password(prompt: str) -> str:
    """A password from the terminal (asked twice) or one line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Again: ") != first:
            raise UsageError("the two passwords differ")
        return first
    line = sys.stdin.readline()
    if not line:
        raise UsageError("no password on standard input (one line expected)")
    return line.rstrip("\r\n")


if __name__ == "__main__":
    sys.exit(main())
