"""The child process that reads book files for the library server, with a time limit per file.

A `Worker` is made once per scan of the books folder: it spawns the child and sends it one file
at a time; the child runs the extractor (`sync.server.book_facts.extract_book`) and answers the
facts or a short reason. MuPDF can crash or hang on a hostile file, so a file that takes longer
than the time limit, or kills the child, costs itself only: the child is stopped and started
again for the next file.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
from pathlib import Path
from typing import Any

from sync.book_metadata import BadBook
from sync.server.book_facts import Extracted, Extractor, quiet_mupdf

#: Seconds one file may take in the child process before it is given up (and the child killed).
FILE_TIMEOUT = 60.0


def _child(conn: multiprocessing.connection.Connection, extractor: Extractor) -> None:
    """The child process's loop: read each (path, ending) sent, answer ("ok", Extracted) or
    ("bad", reason), until the pipe closes."""
    with contextlib.suppress(ImportError):  # the extractor may not need it
        quiet_mupdf()
    while True:
        try:
            path, ending = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", extractor(Path(path), ending)))
        except BadBook as exc:
            conn.send(("bad", str(exc)))
        except Exception as exc:  # a library's own error on a hostile file
            conn.send(("bad", f"{type(exc).__name__}: {' '.join(str(exc).split())[:120]}"))


class Worker:
    """One child process of a scan; restarted when it dies or hangs on a file."""

    def __init__(self, extractor: Extractor, timeout: float) -> None:
        self.extractor = extractor
        self.timeout = timeout
        self._process: Any = None
        self._conn: multiprocessing.connection.Connection | None = None

    def read(self, path: Path, ending: str) -> Extracted | str:
        """The file's facts, or a short reason why it cannot be read."""
        if self._conn is None:
            context = multiprocessing.get_context("spawn")
            parent, child = context.Pipe()
            self._process = context.Process(
                target=_child, args=(child, self.extractor), name="mutolaa-catalog", daemon=True
            )
            self._process.start()
            child.close()
            self._conn = parent
        try:
            self._conn.send((str(path), ending))
            if not self._conn.poll(self.timeout):
                self.stop()
                return f"gave up after {self.timeout:g} s (the reader hung)"
            status, value = self._conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self.stop()
            return "the document reader crashed on this file"
        if status == "ok" and isinstance(value, Extracted):
            return value
        return str(value)

    def stop(self) -> None:
        """End the child process (killed when it does not leave by itself)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            self._process.join(2)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(2)
            self._process = None
