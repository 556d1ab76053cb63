"""Folders and files only their owner can read: 0700 and 0600, whatever the umask (POSIX).

Mutolaa's folders hold a person's notes, reading and the key to their secrets; other users of
the machine must not read them. The modes are set explicitly (never left to the umask), on
creation; `make_private` repairs an existing tree (the doctor). On Windows (``os.name ==
"nt"``) everything here does nothing: the user's profile folder's ACLs already keep other users
out, and POSIX modes mean little there (docs/storage.md).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
#: Modes are left alone where they mean nothing (Windows: the profile's ACLs protect).
POSIX = os.name != "nt"


def private_folder(path: Path) -> None:
    """Create ``path`` and the parents it lacks as 0700 folders; an existing one keeps its mode.

    Raises:
        OSError: a folder cannot be created.
    """
    if path.is_dir():
        return
    missing = [path, *(p for p in path.parents if not p.exists())]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by another thread or process: its mode is its own
        if POSIX:
            os.chmod(folder, FOLDER_MODE)  # mkdir's mode is masked by the umask


def private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 when it does not exist (so that whatever opens it next,
    SQLite or a log handler, finds it private); an existing file is left as it is.

    Raises:
        OSError: the file cannot be created.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    try:
        if POSIX:
            os.fchmod(fd, FILE_MODE)  # os.open's mode is masked by the umask
    finally:
        os.close(fd)


def make_file_private(path: Path) -> None:
    """Set a file Mutolaa has just created to 0600 (a no-op on Windows)."""
    if POSIX:
        os.chmod(path, FILE_MODE)


@dataclass
class Repaired:
    """What `make_private` changed: folders set to 0700, files set to 0600."""

    folders: int = 0
    files: int = 0


def make_private(root: Path) -> Repaired:
    """Set ``root`` and every folder below it to 0700 and every file to 0600.

    Symbolic links are neither followed nor changed (``chmod`` would change their target,
    which may be any file of the person's); what cannot be changed (another owner's file) is
    left as it is. Nothing happens on Windows.

    Returns:
        How many folders and files had another mode.
    """
    repaired = Repaired()
    if not POSIX or not root.is_dir() or root.is_symlink():
        return repaired
    repaired.folders += _set_mode(root, FOLDER_MODE)
    for folder, folders, files in os.walk(root):
        for name in folders:
            path = Path(folder, name)
            if not path.is_symlink():
                repaired.folders += _set_mode(path, FOLDER_MODE)
        for name in files:
            path = Path(folder, name)
            if not path.is_symlink():
                repaired.files += _set_mode(path, FILE_MODE)
    return repaired


def _set_mode(path: Path, mode: int) -> int:
    """1 when ``path``'s permission bits were changed to ``mode``, else 0."""
    try:
        if stat.S_IMODE(path.lstat().st_mode) == mode:
            return 0
        os.chmod(path, mode)
    except OSError:
        return 0  # not ours, or gone meanwhile
    return 1
