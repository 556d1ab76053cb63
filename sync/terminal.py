"""What both command lines share: text from outside made safe to print, and a reader gone away."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from typing import TextIO

#: The exit status when the output's reader went away (128 + SIGPIPE, as the shell's tools).
EXIT_PIPE_CLOSED = 141

# What a terminal would obey instead of showing: the C0 controls but tab and newline (ESC starts
# colours, cursor moves, screen clears and OSC title or clipboard writes; BEL ends an OSC; a lone
# CR lets a line overwrite itself), DEL, and the C1 controls (0x9b is a one-byte CSI, 0x9d an OSC
# on terminals that take 8-bit controls). The bidirectional embeddings, overrides and isolates
# (U+202A–202E, U+2066–2069) go too: they reorder what follows them on terminals that do bidi,
# so a printed name or URL could read differently from its bytes ("Trojan Source",
# CVE-2021-42574), and none of our catalogues' scripts (Uzbek Latin and Cyrillic, Russian,
# English) needs them; Arabic or Hebrew text still shows, ordered by the implicit algorithm, and
# the zero-width marks LRM, RLM and ALM are kept, since they only place neutral characters.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with nothing a terminal would obey rather than show: the C0 controls but tab and
    newline, DEL, the C1 controls and the bidirectional overrides are removed.

    Everything that came from outside (a feed's or a book's title, a server's message, a file
    name) passes through here before it is printed, and before it is stored as a name a person
    sees (a catalogue saved under its feed's title). The import cleans book metadata with it too
    (`sync.book_metadata.clean_text`).
    """
    return _UNPRINTABLE.sub("", text)


def json_printable(text: str) -> str:
    """JSON text with the characters `printable` removes written as ``\\uXXXX`` escapes instead.

    The data stays whole for a program reading it, and the output is safe in a terminal. JSON
    already escapes C0 inside strings; DEL, C1 and the bidi controls are only ever inside strings
    too, so escaping them keeps the JSON valid.
    """
    return _UNPRINTABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


class PrintableStream:
    """A text stream that writes everything through `printable`, for a command's output.

    Attributes:
        raw: the stream itself, for the program's own control sequences only (a progress bar's
            carriage return, a search's highlight colours) around text already made printable.
    """

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        """Write ``text`` without what a terminal would obey; returns the characters given."""
        self.raw.write(printable(text))
        return len(text)

    def flush(self) -> None:
        """Flush the stream."""
        self.raw.flush()

    def isatty(self) -> bool:
        """True when the stream is a terminal."""
        return self.raw.isatty()


def reader_gone() -> int:
    """The output was piped into a program that stopped reading (`mutolaa list | head -1`):
    point standard output at the null device, so what is still buffered does not fail again at
    exit, and return `EXIT_PIPE_CLOSED`. Call it from an ``except BrokenPipeError``."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_PIPE_CLOSED
