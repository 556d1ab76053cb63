"""Writing an export file: checked, atomic (temporary file, then rename), never over a book."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from app.core.errors import UserError
from app.core.models import Book
from app.library.files import fsync_dir
from app.services.session import Library


def check_output(library: Library, book: Book | None, output: Path) -> Path:
    """The absolute output path, after refusing places an export must not write.

    Raises:
        UserError: the path is a folder, its folder does not exist, or it lies inside the
            library's book files (which would damage the book itself).
    """
    target = output.expanduser().absolute()
    if target.is_dir():
        raise UserError(f"{output}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise UserError(f"{output}: the folder {target.parent} does not exist")
    books_root = library.paths.books.resolve()
    resolved = target.resolve()
    if resolved.is_relative_to(books_root):
        raise UserError(f"{output}: is inside the library's book files; choose another place")
    if book is not None:
        stored = library.store.file_path(book)
        with contextlib.suppress(OSError):
            if target.exists() and stored.exists() and os.path.samefile(target, stored):
                raise UserError(f"{output}: is the book's own file; choose another place")
    return target


@contextlib.contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; after the block, it replaces ``target`` at once.

    The file is flushed to disk before the rename, so ``target`` is either the old file or
    the whole new one, never a part. When the block raises, the temporary file is removed.
    """
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.part")
    # created like any new file (0666 less the umask), not 0600 as mkstemp would
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield temp
        with temp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(target.parent)


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically.

    Raises:
        UserError: the file cannot be written (no permission, disk full…).
    """
    _guarded(target, lambda temp: temp.write_bytes(data))


def _guarded(target: Path, write: Callable[[Path], object]) -> None:
    try:
        with atomic_target(target) as temp:
            write(temp)
    except OSError as exc:
        raise UserError(f"{target}: cannot write ({exc.strerror or exc})") from exc
