"""Zipped FictionBook files (``.fb2.zip``, ``.fbz``, served as ``application/fb2+zip``).

MuPDF opens such a zip as an empty FictionBook (no text, one blank page), so the FB2 inside is
taken out before the book is imported. The archive is untrusted: only a member whose name ends
in ``.fb2`` is read, its name is never used as a path, and its size is bounded (a zip bomb stops
at the bound, whatever the archive's directory claims).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from app.core.errors import BadDocumentError

#: The largest FB2 taken out of an archive (FB2 books with images are rarely above 50 MB).
MAX_UNPACKED = 256 * 1024 * 1024
_CHUNK = 1024 * 1024


def is_zipped_fb2(path: Path) -> bool:
    """True when `path` is a zip archive holding an ``.fb2`` member."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.lower().endswith(".fb2") for name in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def unpack_fb2(path: Path, target: Path) -> Path:
    """Write the first ``.fb2`` member of the zip at `path` to `target` and return `target`.

    Raises:
        BadDocumentError: not a zip, no FB2 inside, damaged, or larger than MAX_UNPACKED.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".fb2")]
            if not names:
                raise BadDocumentError(f"{path.name}: the zip archive holds no .fb2 book")
            written = 0
            with archive.open(names[0]) as source, target.open("wb") as out:
                while block := source.read(_CHUNK):
                    written += len(block)
                    if written > MAX_UNPACKED:
                        raise BadDocumentError(
                            f"{path.name}: the FB2 inside is larger than {_size(MAX_UNPACKED)}"
                        )
                    out.write(block)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        target.unlink(missing_ok=True)
        raise BadDocumentError(f"{path.name}: cannot unpack the zip archive ({exc})") from exc
    except BadDocumentError:
        target.unlink(missing_ok=True)
        raise
    return target


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.0f} MB" if count >= 1024 * 1024 else f"{count} bytes"
