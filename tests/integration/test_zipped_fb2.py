"""Zipped FictionBook files (.fb2.zip, .fbz): MuPDF reads them as empty books, so the importer
takes the FB2 out first; a damaged or oversized archive is one clear line and nothing stored."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from app.documents import fb2_zip
from app.services.library.importer import Importer
from app.services.library.searching import search
from app.services.session import Library
from tests.support.docgen import make_fb2
from tests.support.sessions import session_of


def _zipped(folder: Path, name: str, word: str) -> Path:
    fb2 = make_fb2(
        folder / "inner.fb2",
        [("Bob", f"Qadimiy {word} haqida hikoya. Bir bor ekan.")],
        title=f"Kitob {word}",
        author="Xalq ijodi",
        lang="uz",
    )
    target = folder / name
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype-not-here.txt", "x")
        archive.write(fb2, "kitob.fb2")
    fb2.unlink()
    return target


def test_zipped_fb2_found_in_a_folder_and_as_fbz_import_with_their_text(
    library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _zipped(folder, "birinchi.fb2.zip", "samarqandnoma")
    _zipped(folder, "ikkinchi.fbz", "buxoronoma")
    with Importer(library) as importer:
        report = importer.run([folder])
    assert report.failures == []
    assert sorted((b.format, b.original_name) for b in report.added) == [
        ("fb2", "birinchi.fb2.zip"),
        ("fb2", "ikkinchi.fbz"),
    ]
    for word, name in (("samarqandnoma", "birinchi.fb2.zip"), ("buxoronoma", "ikkinchi.fbz")):
        groups = search(session_of(library), word).groups
        assert [g.book.original_name for g in groups] == [name]


def test_a_damaged_or_oversized_archive_is_one_line_and_stores_nothing(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _zipped(tmp_path, "katta.fb2.zip", "kattakitob")
    damaged = tmp_path / "buzuq.fb2.zip"
    damaged.write_bytes(good.read_bytes()[:-200])  # the central directory cut off
    monkeypatch.setattr(fb2_zip, "MAX_UNPACKED", 300)  # far below the book's size
    with Importer(library) as importer:
        report = importer.run([good, damaged])
    reasons = dict(report.failures)
    assert reasons[str(good)] == "katta.fb2.zip: the FB2 inside is larger than 300 bytes"
    assert str(damaged) in reasons
    assert all("\n" not in r for r in reasons.values())
    assert library.store.count() == 0
    assert list(tmp_path.glob("**/book.fb2")) == []
