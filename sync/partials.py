"""A partial download on disk: `<name>.part` and its JSON sidecar `<name>.part.json`.

The sidecar holds what a resume must know to append safely: the URL (without credentials), the
final name, the part's name, the validator (a strong ETag, else Last-Modified) and the size the
server announced. It is written atomically (temporary file, fsync, rename). An earlier partial
download of a URL is found by its sidecar, so a download resumes across calls, a cancel or a
restart of the program; a cancel deletes both files.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sync.http import redact_url
from sync.naming import sanitize_filename

log = logging.getLogger(__name__)

SIDECAR_VERSION = 1


@dataclass
class Sidecar:
    """What a partial download must remember to resume safely."""

    url: str
    name: str
    part: str
    etag: str | None = None
    last_modified: str | None = None
    size: int | None = None
    version: int = SIDECAR_VERSION

    @property
    def validator(self) -> str | None:
        """The If-Range value: the strong ETag, else Last-Modified, else None (no safe resume)."""
        return self.etag or self.last_modified


def sidecar_of(part: Path) -> Path:
    """The sidecar file of a partial file."""
    return part.with_name(part.name + ".json")


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (where the platform can open a directory)."""
    with contextlib.suppress(OSError):  # not every platform can open a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def private_opener(path: str, flags: int) -> int:
    """``open(..., opener=private_opener)``: a file it creates is 0600, only its owner reads it
    (the umask can only narrow that; a download tells what a person reads)."""
    return os.open(path, flags, 0o600)


def write_json_atomic(path: Path, data: Mapping[str, object]) -> None:
    """Write `data` as JSON to `path`: a crash leaves the old file or the new one."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", opener=private_opener) as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def find_partial(folder: Path, url: str) -> tuple[Sidecar, Path] | None:
    """The sidecar and partial file of an earlier download of `url` into `folder`, if any."""
    wanted = redact_url(url)
    for sidecar_path in sorted(folder.glob("*.part.json")):
        try:
            data = json.loads(sidecar_path.read_text(encoding="utf-8"))
            sidecar = Sidecar(**data)
        except (OSError, ValueError, TypeError):
            log.warning("ignoring an unreadable download sidecar: %s", sidecar_path)
            continue
        if sidecar.url == wanted and sidecar.version == SIDECAR_VERSION:
            part = folder / sanitize_filename(sidecar.part)
            return sidecar, part
    return None


def partials_size(folder: Path, urls: Iterable[str]) -> int:
    """The bytes of the partial files of downloads of ``urls`` in ``folder`` (0 for those with
    none, or gone meanwhile)."""
    total = 0
    for url in urls:
        found = find_partial(folder, url)
        if found is not None:
            with contextlib.suppress(OSError):  # finished or cancelled meanwhile
                total += found[1].stat().st_size
    return total


def discard_partial(folder: Path | str, url: str) -> bool:
    """Delete the partial file and sidecar of a download of `url` in `folder` (a cancel).

    Returns True when there was one.
    """
    found = find_partial(Path(folder), url)
    if found is None:
        return False
    _sidecar, part = found
    part.unlink(missing_ok=True)
    sidecar_of(part).unlink(missing_ok=True)
    return True
