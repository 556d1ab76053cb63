"""What both command lines share: stopping quietly when the reader of their output went away."""

from __future__ import annotations

import contextlib
import os
import sys

#: The exit status when the output's reader went away (128 + SIGPIPE, as the shell's tools).
EXIT_PIPE_CLOSED = 141


def reader_gone() -> int:
    """The output was piped into a program that stopped reading (`mutolaa list | head -1`):
    point standard output at the null device, so what is still buffered does not fail again at
    exit, and return `EXIT_PIPE_CLOSED`. Call it from an ``except BrokenPipeError``."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_PIPE_CLOSED
