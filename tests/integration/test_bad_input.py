"""Every broken, hostile or unsupported file gets one clear line; nothing stored is touched."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from subprocess import PIPE

import pytest

from app.core.models import Book
from app.core.paths import resolve_paths
from app.library.store import LibraryStore
from app.services.library.importer import Importer
from app.services.session import Library
from tests.support.cli import mutolaa
from tests.support.records import make_book
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


def test_a_book_that_cannot_be_read_is_rolled_back_whole_and_never_blames_later_imports(
    library_dir: Path, documents: Path, samples: Samples
) -> None:
    broken = documents / "pdf" / "pdfjs" / "Pages-tree-refs.pdf"  # "cycle in page tree"
    first = mutolaa(library_dir, "import", str(broken), ok=False)
    assert first.returncode == 1
    assert f"{broken}: " in first.stderr
    assert "1 failed" in first.stdout
    assert json.loads(mutolaa(library_dir, "list", "--json").stdout) == []  # nothing left
    later = mutolaa(library_dir, "import", str(samples.epub), ok=False)
    assert later.returncode == 0, later.stderr  # the earlier failure is not this run's
    assert later.stderr == ""
    assert "1 added" in later.stdout
    assert mutolaa(library_dir, "doctor", ok=False).returncode == 0


def test_a_broken_book_an_older_import_left_half_read_is_removed_once(
    library_dir: Path, documents: Path, samples: Samples
) -> None:
    broken = documents / "pdf" / "pdfjs" / "Pages-tree-refs.pdf"
    with Library(resolve_paths(library_dir)) as library:  # as an older Mutolaa left it
        staged = library.store.files.stage(broken)
        name = library.store.files.keep(staged, "pdf")
        stuck = replace(
            make_book(staged.sha256), title="Pages-tree-refs", file_name=name, page_count=2
        )
        library.store.add_book(stuck, None)
    healed = mutolaa(library_dir, "import", str(samples.epub), ok=False)
    assert healed.returncode == 0, healed.stderr
    assert "removed    Pages-tree-refs — left by an earlier import, it cannot be read" in (
        healed.stdout
    )
    books = json.loads(mutolaa(library_dir, "list", "--json").stdout)
    assert [b["format"] for b in books] == ["epub"]
    assert mutolaa(library_dir, "import", str(samples.epub), ok=False).returncode == 0
    assert mutolaa(library_dir, "doctor", ok=False).returncode == 0


def test_a_book_another_import_adds_meanwhile_is_already_in_and_the_batch_goes_on(
    library: Library, samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two imports of the same files at once: the other one inserts the book between this
    # one's "is it here?" and its insert (it crashed on books.id's UNIQUE constraint)
    other = LibraryStore(library.paths.database, library.paths.books)  # another process
    add_book = library.store.add_book

    def racing(book: Book, cover: bytes | None) -> bool:
        if book.format == "epub":
            other.add_book(book, cover)
        return add_book(book, cover)

    monkeypatch.setattr(library.store, "add_book", racing)
    try:
        with Importer(library) as importer:
            report = importer.run([samples.epub, samples.fb2])
    finally:
        other.close()
    assert report.failures == []
    assert [b.format for b in report.duplicates] == ["epub"]
    assert [b.format for b in report.added] == ["fb2"]


def test_two_imports_of_one_folder_at_once_both_end_well(
    library_dir: Path, samples: Samples, tmp_path: Path
) -> None:
    folder = tmp_path / "books"
    folder.mkdir()
    for source in (samples.epub, samples.fb2, samples.txt, samples.multilingual):
        shutil.copy(source, folder / source.name)
    command = [sys.executable, "-m", "app", "--library", str(library_dir), "import", str(folder)]
    runs = [subprocess.Popen(command, stdout=PIPE, stderr=PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert "Traceback" not in err, err
        assert run.returncode == 0, (out, err)
    books = json.loads(mutolaa(library_dir, "list", "--json").stdout)
    assert len(books) == 4


def test_a_folder_import_accounts_for_every_file(
    library_dir: Path, samples: Samples, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(samples.epub, folder / "kitob.epub")
    with (folder / "qollanma.pdf.gz").open("wb") as packed:  # imported when named on its own too
        packed.write(gzip.compress(samples.multilingual.read_bytes()))
    (folder / "eslatma.docx").write_bytes(b"PK\x03\x04 not a book")
    (folder / "rasm.jpg").write_bytes(b"\xff\xd8\xff\xe0 a photo")
    (folder / ".DS_Store").write_bytes(b"\x00")
    shown = mutolaa(library_dir, "import", str(folder), ok=False)
    assert shown.returncode == 0, shown.stderr
    assert "2 added, 0 already there, 0 locked, 0 failed, 2 skipped (not books)" in shown.stdout
    assert "2 skipped (not books): " in shown.stderr
    other = tmp_path / "again"
    report = json.loads(mutolaa(other, "import", str(folder), "--json", ok=False).stdout)
    assert sorted(Path(p).name for p in report["skipped"]) == ["eslatma.docx", "rasm.jpg"]
    assert len(report["added"]) == 2
