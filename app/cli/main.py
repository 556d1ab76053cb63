"""The `mutolaa` program: the parser made of the command groups, logging, and `main()`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app import __version__
from app.cli.account import add_account_commands
from app.cli.annotations import add_annotation_commands
from app.cli.base import EXIT_FAILED, Cli, Commands, Handler, read_password
from app.cli.catalogs import add_catalog_commands
from app.cli.downloads import add_download_commands
from app.cli.holdings import add_holdings_command
from app.cli.library import add_book_commands, add_upkeep_commands
from app.cli.profiles import add_profile_commands
from app.cli.search import add_search_command
from app.cli.shelves import add_shelf_commands
from app.cli.sync import add_sync_command
from app.core.errors import MutolaaError, reason
from app.core.paths import Paths, resolve_paths
from app.core.private import private_file, private_folder
from app.library.profiles import ProfileStore
from app.services.profiles import PROFILE_ENV, choose_person
from app.services.session import Library, Session
from sync.terminal import PrintableStream, reader_gone

#: The command groups, in the order `mutolaa --help` lists their commands. A new group is a module
#: beside this one (its `cmd_*` functions and its `add_*_commands`) and one line here.
GROUPS: tuple[Callable[[Commands], None], ...] = (
    add_book_commands,  # import, list, show
    add_shelf_commands,  # shelves …, library hide|unhide|hidden
    add_search_command,
    add_upkeep_commands,  # remove, reindex, unlock, doctor
    add_annotation_commands,
    add_download_commands,
    add_catalog_commands,
    add_sync_command,
    add_account_commands,
    add_holdings_command,
    add_profile_commands,  # profiles list|add|rename|remove|pin|reset-pin
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: global options first, then a command and its options."""
    parser = argparse.ArgumentParser(
        prog="mutolaa",
        description="Mutolaa: an offline-first e-library reader (command line).",
    )
    parser.add_argument(
        "--library",
        metavar="DIR",
        help="library folder (default: $MUTOLAA_HOME or the user data folder)",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help=f"the person acting (default: ${PROFILE_ENV}, or the library's only person); "
        "a PIN is read from a prompt or one line of standard input",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more to stderr")
    parser.add_argument("--version", action="version", version=f"mutolaa {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add_group in GROUPS:
        add_group(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line, or open the window when no command is given.

    Args:
        argv: the arguments after the program's name (default: ``sys.argv[1:]``).

    Returns:
        The exit status.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)  # --help prints, and may meet a closed pipe too
        paths = resolve_paths(args.library)
        if args.command is None:
            return _open_window(parser, paths)
        _setup_logging(args.verbose, paths.logs)
        status = _run_command(args, paths)
        sys.stdout.flush()  # here, so that a reader gone away is seen now, not at exit
        return status
    except BrokenPipeError:
        return reader_gone()
    finally:
        _remove_logging()


def _run_command(args: argparse.Namespace, paths: Paths) -> int:
    """Open the session and run the command's handler; a failure is one line on stderr."""
    cli = Cli(args)
    try:
        library_handler = getattr(args, "library_handler", None)
        if library_handler is not None:  # about the library's people: nobody is chosen
            with Library(paths) as library:
                return int(library_handler(cli, library))
        handler: Handler = args.handler
        with Session.open(paths, lambda library: _person(library, args.profile)) as session:
            return handler(cli, session)
    except BrokenPipeError:
        raise  # the reader of the output went away: main() stops quietly
    except (MutolaaError, OSError) as exc:  # ours, or the system's (a full disk, a permission)
        cli.done_progress()
        cli.warn(reason(exc))  # a server's words may be in it: printed as printable text
        return EXIT_FAILED
    except KeyboardInterrupt:
        cli.done_progress()
        cli.warn("interrupted; the next run finishes what was started")
        return 130


def _person(library: Library, name: str | None) -> int:
    """The acting person: ``--profile``, else ``$MUTOLAA_PROFILE``, else the only one; their
    PIN is asked when they have one."""
    chosen = name if name is not None else os.environ.get(PROFILE_ENV)
    return choose_person(ProfileStore(library.store), chosen, read_password).id


def _open_window(parser: argparse.ArgumentParser, paths: Paths) -> int:
    """``mutolaa`` with no command opens the desktop window, where there is a display."""
    from app.ui.app import has_display, run_window  # noqa: PLC0415 - Qt only when needed

    if not has_display():
        parser.print_help()
        print(
            "\nmutolaa: no display found, so the window cannot open; use the commands above",
            file=sys.stderr,
        )
        return EXIT_FAILED
    _setup_logging(False, paths.logs)
    return run_window(paths)


_handlers: list[logging.Handler] = []


def _setup_logging(verbose: bool, log_dir: Path) -> None:
    """Warnings (everything with ``verbose``) to stderr; the log file in ``log_dir``."""
    _remove_logging()
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    stderr = logging.StreamHandler(PrintableStream(sys.stderr))  # log lines quote servers too
    stderr.setLevel(logging.DEBUG if verbose else logging.WARNING)
    stderr.setFormatter(logging.Formatter("mutolaa: %(message)s"))
    root.addHandler(stderr)
    _handlers.append(stderr)
    try:
        private_folder(log_dir)
        private_file(log_dir / "mutolaa.log")
        handler = logging.FileHandler(log_dir / "mutolaa.log", encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    _handlers.append(handler)


def _remove_logging() -> None:
    """Take our handlers off the root logger (main() may run again in the same process)."""
    root = logging.getLogger()
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()
