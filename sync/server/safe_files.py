"""What the server trusts of a file in the books folder: inside it, a regular file, a fair name.

A books folder is the librarian's, but what lies in it may not be: a link to ``/etc/passwd``, a
FIFO named ``pipe.pdf`` (opening it waits for a writer forever), a name that is not UTF-8 (it
cannot be written to index.json, nor put in a feed) or one with a newline (it cannot go into a
header as it is). The scan and the download both ask here, so one rule holds for both.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path
from urllib.parse import quote


def real_folder(folder: Path) -> Path:
    """The folder's absolute path with every link resolved (the root the rules compare to)."""
    return Path(os.path.realpath(folder))


def outside(path: Path, root: Path) -> bool:
    """True when `path`'s real path (links resolved) is not under the real folder `root`."""
    real = os.path.realpath(path)
    try:
        return os.path.commonpath([real, str(root)]) != str(root)
    except ValueError:  # Windows: on another drive
        return True


def name_problem(name: str) -> str:
    """Why a (relative) file name cannot be served, "" when it can.

    A name that is not valid UTF-8 reaches Python with lone surrogates (PEP 383): it could be
    neither written to index.json nor put into a feed, so such a file is skipped, with the
    reason in the log (renaming it fixes it).
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not valid UTF-8 (rename it)"
    return ""


def shown(name: str) -> str:
    """A name fit for a log line: undecodable bytes as ``\\xff``, control characters escaped."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class NotRegular(OSError):
    """The path is not a regular file (a FIFO, a socket, a device, a folder)."""


def open_regular(path: Path) -> int:
    """Open a regular file for reading without ever waiting on a FIFO; returns the descriptor.

    O_NONBLOCK makes opening a FIFO return at once; the descriptor's own type is then checked
    (not the name's, which may have changed since it was walked), and O_NONBLOCK is dropped.

    Raises:
        NotRegular: the path is not a regular file.
        OSError: it cannot be opened.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(f"{shown(str(path))}: not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def content_disposition(name: str) -> str:
    """``attachment`` with the file name as RFC 6266 wants it: an ASCII fallback and UTF-8.

    The fallback (``filename=``) keeps printable ASCII (accents dropped: "é" is "e"); every run
    of other characters, quotes, backslashes and percent signs is one ``_``.
    ``filename*=UTF-8''…`` (RFC 8187) carries the name itself, percent-encoded, whenever the
    fallback differs from it. A newline or any control character never reaches the header.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(
        c if " " <= c <= "~" and c not in '"\\%' else "_"
        for c in decomposed
        if not unicodedata.combining(c)
    )
    fallback = re.sub("_{2,}", "_", kept).strip() or "book"
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='!#$&+-.^_`|~')}"
    return header
