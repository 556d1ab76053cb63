"""Content-addressed book files: one file per SHA-256, written atomically."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import StoreError
from app.core.private import private_folder

CHUNK = 1 << 20
TEMP_PREFIX = ".incoming-"


def sha256_of(path: Path) -> str:
    """Hash a file in chunks (books can be hundreds of megabytes)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class StagedFile:
    """A copy of an incoming file inside the store, hashed while it was copied."""

    path: Path
    sha256: str
    size: int


class BookFiles:
    """The folder of book files, shared by every profile on the machine."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def relative_name(self, sha256: str, extension: str) -> str:
        """Where a file with this hash lives, relative to the root (``ab/abcdef….pdf``)."""
        ext = extension.lower().lstrip(".")
        return f"{sha256[:2]}/{sha256}.{ext}" if ext else f"{sha256[:2]}/{sha256}"

    def path(self, relative: str) -> Path:
        """The absolute path of a stored file."""
        return self.root / relative

    def stage(self, source: Path) -> StagedFile:
        """Copy ``source`` into the store under a temporary name, hashing it on the way.

        Everything after this (reading the document, naming the stored file) works on this
        copy, so the stored file is exactly the one that was hashed and read, even if the
        original changes meanwhile (a download still being written, a USB stick pulled).
        The temporary name keeps the original extension, which MuPDF uses for some formats.
        """
        private_folder(self.root)
        fd, temp_name = tempfile.mkstemp(  # 0600, kept by the rename
            prefix=TEMP_PREFIX, suffix=source.suffix.lower(), dir=self.root
        )
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as inp:
                while chunk := inp.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise
        return StagedFile(Path(temp_name), digest.hexdigest(), size)

    def keep(self, staged: StagedFile, extension: str) -> str:
        """Move a staged file to its content-addressed name; returns the relative name."""
        relative = self.relative_name(staged.sha256, extension)
        target = self.path(relative)
        private_folder(target.parent)
        if target.exists() and target.stat().st_size == staged.size:
            self.discard(staged)  # an identical file is already stored
            return relative
        try:
            os.replace(staged.path, target)
        except OSError as exc:
            raise StoreError(f"{target}: cannot store the book file ({exc.strerror})") from exc
        fsync_dir(target.parent)
        return relative

    def discard(self, staged: StagedFile) -> None:
        """Delete a staged copy that is not kept (a no-op once it was kept)."""
        with contextlib.suppress(FileNotFoundError):
            staged.path.unlink()

    def remove(self, relative: str) -> None:
        """Delete a stored file; a missing file is not an error."""
        with contextlib.suppress(FileNotFoundError):
            self.path(relative).unlink()

    def stored_names(self) -> set[str]:
        """Every stored file, as relative names (temporary files excluded)."""
        if not self.root.exists():
            return set()
        return {
            p.relative_to(self.root).as_posix()
            for p in self.root.glob("*/*")
            if p.is_file() and not p.name.startswith(TEMP_PREFIX)
        }

    def remove_stale_temporaries(self, older_than: float = 3600.0) -> list[Path]:
        """Delete temporary files an interrupted copy left behind; returns what went."""
        removed = []
        cutoff = time.time() - older_than
        temps = [*self.root.glob(f"{TEMP_PREFIX}*"), *self.root.glob(f"*/{TEMP_PREFIX}*")]
        for temp in temps:
            with contextlib.suppress(OSError):
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()
                    removed.append(temp)
        return removed


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
