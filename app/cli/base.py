"""What every command shares: its arguments, JSON or lines for people, a progress bar.

Everything a command prints goes through `Cli.out` and `Cli.err`, which remove what a terminal
would obey rather than show (`sync.terminal.printable`): titles, names and servers' messages come
from outside, and a feed title holding ``ESC [2J`` must not clear the screen.
"""

from __future__ import annotations

import argparse
import getpass
import json
import math
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO, TypeAlias

from app.core.errors import UserError
from app.core.tasks import Progress, ProgressFn, no_progress
from app.services.session import Library, Session
from sync.terminal import PrintableStream, json_printable, printable

EXIT_OK, EXIT_FAILED = 0, 1


def counted(count: int, noun: str, nouns: str = "") -> str:
    """A count with its noun in the right number: ``1 page``, ``2 pages`` (``nouns``, else
    ``noun`` + "s", for more than one or none)."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def moment(when: float) -> str:
    """A time for people: ``2026-12-07 13:35`` in the local time zone."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(when))


class ProgressBar:
    """A one-line progress bar on a terminal's stderr."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._last = -math.inf  # never: monotonic time counts from boot
        self._shown = False

    def __call__(self, event: Progress) -> None:
        now = time.monotonic()
        if now - self._last < 0.1 and event.done < event.total:
            return
        self._last = now
        width = 30
        share = event.done / event.total if event.total else 0.0
        bar = "#" * int(share * width)
        label = printable(event.label)[:40]
        self.stream.write(
            f"\r{event.stage:<9} [{bar:<{width}}] {event.done}/{event.total} {label:<40}"
        )
        self.stream.flush()
        self._shown = True

    def finish(self) -> None:
        """Clear the bar's line."""
        if self._shown:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()


class Cli:
    """One run of the command line: its arguments and how it prints."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json = bool(getattr(args, "json", False))
        self.out = PrintableStream(sys.stdout)
        self.err = PrintableStream(sys.stderr)
        self._bar: ProgressBar | None = None

    def progress(self) -> ProgressFn:
        """A progress bar when stderr is a terminal and output is not JSON."""
        if self.json or not self.err.isatty():
            return no_progress
        self._bar = ProgressBar(self.err.raw)  # its own "\r"; its label is made printable
        return self._bar

    def done_progress(self) -> None:
        """Remove the progress bar."""
        if self._bar is not None:
            self._bar.finish()

    def emit(self, data: Any) -> None:
        """Print JSON output (what a terminal would obey is escaped, the data stays whole)."""
        self.out.raw.write(json_printable(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")

    def say(self, line: str, *, styled: bool = False) -> None:
        """Print a line for people (not in JSON mode).

        Args:
            line: the line; what a terminal would obey is removed from it.
            styled: the line holds the program's own colours around parts the caller made
                `printable` itself; it is printed as it is.
        """
        if not self.json:
            print(line, file=self.out.raw if styled else self.out)

    def warn(self, line: str) -> None:
        """Print a line to stderr as ``mutolaa: LINE`` (in JSON mode too)."""
        print(f"mutolaa: {line}", file=self.err)


#: A command: it runs with the command line's run and the open session; returns the exit status.
Handler: TypeAlias = Callable[[Cli, Session], int]
#: A command about the library itself, not acting for a person (`mutolaa profiles …`).
LibraryHandler: TypeAlias = Callable[[Cli, Library], int]
#: Where a command group adds its commands (``parser.add_subparsers()``).
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_command(
    commands: Commands,
    name: str,
    help_text: str,
    handler: Handler,
    *,
    description: str | None = None,
    json_option: bool = True,
) -> argparse.ArgumentParser:
    """Add a command and the handler that runs it.

    Args:
        commands: where the command goes (the program's commands, or a command's actions).
        name: the command's name on the command line.
        help_text: one line for the list of commands (and the description when none is given).
        handler: the function that runs the command.
        description: the text at the top of the command's own ``--help``.
        json_option: add ``--json`` first; without it the caller adds it where it belongs.

    Returns:
        The command's parser, for its arguments.
    """
    parser = commands.add_parser(name, help=help_text, description=description or help_text)
    if json_option:
        add_json_option(parser)
    parser.set_defaults(handler=handler)
    return parser


def add_library_command(
    commands: Commands, name: str, help_text: str, handler: LibraryHandler
) -> argparse.ArgumentParser:
    """Add a command that runs on the open library without choosing a person (`add_command`
    otherwise; its ``--json`` is added first)."""
    parser = commands.add_parser(name, help=help_text, description=help_text)
    add_json_option(parser)
    parser.set_defaults(library_handler=handler)
    return parser


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """The ``--json`` option every command has."""
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def read_password(prompt: str) -> str:
    """A password from a prompt on a terminal, else one line of standard input."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def read_new_pin(prompt: str) -> str:
    """A new PIN: asked twice on a terminal (a typo is not kept), else one line of stdin.

    Raises:
        UserError: the two differ.
    """
    pin = read_password(prompt)
    if pin and sys.stdin.isatty() and getpass.getpass("the same PIN again: ") != pin:
        raise UserError("the two PINs differ; nothing was changed")
    return pin
