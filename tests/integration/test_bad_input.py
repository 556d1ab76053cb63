"""Every broken, hostile or unsupported file gets one clear line; nothing stored is touched."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app.services.library.importer import Importer
from app.services.session import Library
from tests.support.samples import Samples


def _snapshot(library: Library) -> dict[str, object]:
    books = {b.id: (b.title, b.page_count, b.indexed_pages) for b in library.store.books()}
    files = {b.id: library.store.file_path(b).read_bytes() for b in library.store.books()}
    return {"books": books, "files": files}


def test_whole_fixture_folder_imports_with_one_line_per_bad_file(
    library: Library, documents: Path, samples: Samples
) -> None:
    with Importer(library) as importer:
        assert importer.run([samples.epub]).ok
    before = _snapshot(library)

    with Importer(library) as importer:
        report = importer.run([documents])

    failed = dict(report.failures)
    # each failure names the file and says what is wrong, on one line
    for path, reason in report.failures:
        assert Path(path).exists(), path
        assert reason
        assert "\n" not in reason
    expected = {
        "djvu/boy.djvu": "DjVu",
        "epub/epubcheck/ocf-zip-unreadable-empty-fatal.epub": "empty",
        "epub/epubcheck/ocf-zip-unreadable-image-with-epub-extension-fatal.epub": "JPEG image",
        "epub/epubcheck/ocf-zip-unreadable-no-end-header-fatal.epub": "not a readable document",
        "pdf/pdfjs/GHOSTSCRIPT-698804-1-fuzzed.pdf": "no pages",
        "pdf/pdfjs/poppler-67295-0.pdf": "damaged",
        "pdf/pdfjs/poppler-85140-0.pdf": "not a readable document",
    }
    for relative, words in expected.items():
        assert words in failed[str(documents / relative)], (
            relative,
            failed.get(str(documents / relative)),
        )
    # the rest of the batch went on: good books from the same folders are in
    titles = {b.title for b in library.store.books()}
    assert "Free Culture" in titles
    assert "The Andersons" in titles
    assert any(b.format == "fb2" for b in library.store.books())
    assert any(b.title == "saslprep-r6" for b in report.locked)
    # the book stored before is untouched
    after = _snapshot(library)
    for book_id, row in before["books"].items():  # type: ignore[attr-defined]
        assert after["books"][book_id] == row  # type: ignore[index]
        assert after["files"][book_id] == before["files"][book_id]  # type: ignore[index]
    assert library.store.integrity_problems() == []


def test_unreadable_folder_is_reported_and_the_rest_goes_on(
    library: Library, samples: Samples, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "books"
    locked = root / "locked"
    locked.mkdir(parents=True)
    shutil.copy(samples.fb2, locked / "roman.fb2")
    shutil.copy(samples.epub, root / "hikoyalar.epub")
    locked.chmod(0)
    if os.geteuid() == 0:
        # root reads every folder whatever its mode: inject the refusal a user would get
        real_scandir = os.scandir

        def scandir(path: object = ".") -> object:
            if Path(str(path)) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        with Importer(library) as importer:
            report = importer.run([root, tmp_path / "missing.pdf"])
    finally:
        locked.chmod(0o755)
    failed = dict(report.failures)
    assert "permission denied" in failed[str(locked)]
    assert failed[str(tmp_path / "missing.pdf")] == "no such file or folder"
    assert [b.title for b in report.added] == ["Hikoyalar toʻplami"]


def test_truncated_copy_of_a_good_pdf(library: Library, samples: Samples, tmp_path: Path) -> None:
    data = samples.big.read_bytes()
    broken = tmp_path / "truncated.pdf"
    broken.write_bytes(data[: len(data) // 3])
    with Importer(library) as importer:
        report = importer.run([broken])
    # MuPDF may repair a truncated PDF and read what is left, or refuse it: either way it is
    # one clear outcome and no crash
    if report.failures:
        assert report.failures[0][0] == str(broken)
    else:
        assert report.added[0].page_count >= 1
