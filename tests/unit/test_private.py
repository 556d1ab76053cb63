"""Folders and files only their owner can read, whatever the umask; links left alone."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import private
from app.core.private import make_private, private_file, private_folder

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX modes; Windows has the ACLs")


@pytest.fixture(autouse=True)
def loose_umask() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_new_folders_and_files_are_private_and_existing_ones_keep_their_mode(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    private_folder(home / "a" / "b")
    assert (_mode(home / "a"), _mode(home / "a" / "b")) == (0o700, 0o700)
    assert _mode(home) == 0o755  # it existed: not ours to change
    private_file(home / "a" / "f")
    assert _mode(home / "a" / "f") == 0o600
    (home / "a" / "f").chmod(0o640)
    private_file(home / "a" / "f")
    assert _mode(home / "a" / "f") == 0o640


def test_make_private_counts_what_it_changed_and_never_follows_a_link(tmp_path: Path) -> None:
    root, outside = tmp_path / "library", tmp_path / "outside"
    (root / "books" / "ab").mkdir(parents=True)
    outside.mkdir()
    (outside / "diary.txt").write_text("mine")
    (root / "books" / "ab" / "book.pdf").write_bytes(b"%PDF")
    (root / "library.sqlite3").write_bytes(b"")
    (root / "library.sqlite3").chmod(0o600)  # already right: not counted
    (root / "diary.txt").symlink_to(outside / "diary.txt")
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)
    outside_modes = (_mode(outside), _mode(outside / "diary.txt"))

    done = make_private(root)
    assert (done.folders, done.files) == (3, 1)  # library, books, ab; book.pdf
    assert [_mode(p) for p in (root, root / "books", root / "books" / "ab")] == [0o700] * 3
    assert _mode(root / "books" / "ab" / "book.pdf") == 0o600
    assert (_mode(outside), _mode(outside / "diary.txt")) == outside_modes
    assert make_private(root) == private.Repaired(0, 0)


def test_nothing_is_changed_where_modes_mean_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(private, "POSIX", False)  # as on Windows
    (tmp_path / "f").write_text("x")
    before = _mode(tmp_path / "f")
    assert make_private(tmp_path) == private.Repaired(0, 0)
    assert _mode(tmp_path / "f") == before
