"""What every command shares: its arguments, JSON or lines for people, a progress bar."""

from __future__ import annotations

import argparse
import getpass
import json
import math
import sys
import time
from typing import Any, TextIO

from app.core.tasks import Progress, ProgressFn, no_progress

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


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
        label = event.label[:40]
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


class CommandBase:
    """One run of the command line: its arguments and how it prints."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json = bool(getattr(args, "json", False))
        self.out = sys.stdout
        self.err = sys.stderr
        self._bar: ProgressBar | None = None

    def progress(self) -> ProgressFn:
        """A progress bar when stderr is a terminal and output is not JSON."""
        if self.json or not self.err.isatty():
            return no_progress
        self._bar = ProgressBar(self.err)
        return self._bar

    def done_progress(self) -> None:
        """Remove the progress bar."""
        if self._bar is not None:
            self._bar.finish()

    def emit(self, data: Any) -> None:
        """Print JSON output."""
        json.dump(data, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    def say(self, line: str) -> None:
        """Print a line for people (not in JSON mode)."""
        if not self.json:
            print(line, file=self.out)


def read_password(prompt: str) -> str:
    """A password from a prompt on a terminal, else one line of standard input."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")
