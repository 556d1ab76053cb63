"""`mutolaa annotations`, `export-annotations` and `import-annotations` in real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from app.core.models import Anchor, AnnotationKind
from app.core.paths import resolve_paths
from app.services.session import Library
from tests.integration.test_annotation_exports import (
    annotate_pdf,
    make_book_epub,
    make_book_pdf,
)
from tests.support.sessions import PROFILE

ROOT = Path(__file__).resolve().parents[2]


def run(library_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--library", str(library_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def books(library_dir: Path, tmp_path: Path) -> dict[str, str]:
    """A PDF and an EPUB imported through the command line; the PDF annotated."""
    pdf = make_book_pdf(tmp_path)
    epub = make_book_epub(tmp_path)
    imported = json.loads(run(library_dir, "import", str(pdf), str(epub), "--json").stdout)
    ids = {b["format"]: b["id"] for b in imported["added"]}
    with Library(resolve_paths(library_dir)) as library:
        book = library.store.get(ids["pdf"])
        assert book is not None
        annotate_pdf(library, book, pdf)
    return ids | {"pdf_path": str(pdf), "epub_path": str(epub)}


def test_annotations_are_listed_for_people_and_as_json(
    library_dir: Path, books: dict[str, str]
) -> None:
    shown = run(library_dir, "annotations", books["pdf"][:8])
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert "Kutubxonalar tarixi: 6 annotation(s)" in lines[0]
    mark = next(line for line in lines if "“Kutubxona bilim manbai”" in line)
    assert "p. 2" in mark
    assert "highlight" in mark
    assert "yellow" in mark
    assert any("bookmark" in line and "Boshlanish" in line for line in lines)
    assert any("note: Imtihon uchun muhim" in line for line in lines)
    assert any("(detached)" in line for line in lines)

    records = json.loads(run(library_dir, "annotations", books["pdf"][:8], "--json").stdout)
    assert len(records) == 6
    highlight = next(r for r in records if r["quote"] == "Kutubxona bilim manbai")
    assert highlight["kind"] == "highlight"
    assert highlight["anchor"]["page"] == 1
    assert len(highlight["anchor"]["quads"]) == 3
    assert highlight["book_id"] == books["pdf"]

    empty = run(library_dir, "annotations", books["epub"][:8])
    assert "no annotations" in empty.stdout
    assert json.loads(run(library_dir, "annotations", books["epub"][:8], "--json").stdout) == []


def test_exports_in_every_format_and_an_import_into_another_library(
    library_dir: Path, books: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    md = run(
        library_dir,
        "export-annotations",
        books["pdf"][:8],
        "--format",
        "md",
        "--output",
        str(out / "notes.md"),
    )
    assert md.returncode == 0, md.stderr
    assert "wrote" in md.stdout
    text = (out / "notes.md").read_text(encoding="utf-8")
    assert text.startswith("# Kutubxonalar tarixi\n")
    assert "Accessed via Mutolaa" in text

    w3c = run(
        library_dir,
        "export-annotations",
        books["pdf"],
        "--format",
        "w3c",
        "--output",
        str(out / "notes.jsonld"),
        "--json",
    )
    assert w3c.returncode == 0, w3c.stderr
    report = json.loads(w3c.stdout)
    assert (report["format"], report["annotations"]) == ("w3c", 6)
    assert json.loads((out / "notes.jsonld").read_text(encoding="utf-8"))["total"] == 6

    pdf = run(
        library_dir,
        "export-annotations",
        books["pdf"][:8],
        "--format",
        "pdf",
        "--output",
        str(out / "annotated.pdf"),
    )
    assert pdf.returncode == 0, pdf.stderr
    doc = pymupdf.open(out / "annotated.pdf")
    try:
        page = doc[1]
        assert [a.type[1] for a in page.annots()] == ["Highlight"]
    finally:
        doc.close()
    assert sorted(p.name for p in out.iterdir()) == ["annotated.pdf", "notes.jsonld", "notes.md"]

    other = tmp_path / "other-library"
    assert run(other, "import", books["pdf_path"]).returncode == 0
    imported = run(other, "import-annotations", str(out / "notes.jsonld"), "--json")
    assert imported.returncode == 0, imported.stderr
    data = json.loads(imported.stdout)
    assert (len(data["imported"]), data["skipped"], data["problems"]) == (6, [], [])
    again = run(other, "import-annotations", str(out / "notes.jsonld"))
    assert again.returncode == 0
    assert "0 imported, 6 already there, 0 failed" in again.stdout
    listed = json.loads(run(other, "annotations", books["pdf"][:8], "--json").stdout)
    original = json.loads(run(library_dir, "annotations", books["pdf"][:8], "--json").stdout)
    for record in listed + original:
        record.pop("updated_at")
    assert listed == original
    assert run(other, "doctor").returncode == 0


def test_export_errors_are_one_line(
    library_dir: Path, books: dict[str, str], tmp_path: Path
) -> None:
    stored = Library(resolve_paths(library_dir))
    try:
        book = stored.store.get(books["pdf"])
        assert book is not None
        own_file = stored.store.file_path(book)
    finally:
        stored.close()
    before = own_file.read_bytes()
    for args, words in [
        (
            (books["epub"][:8], "--format", "pdf", "--output", str(tmp_path / "x.pdf")),
            "an annotated copy can only be made of a PDF",
        ),
        (
            (books["pdf"][:8], "--format", "pdf", "--output", str(own_file)),
            "inside the library's book files",
        ),
        (
            (books["pdf"][:8], "--format", "md", "--output", str(tmp_path / "no" / "x.md")),
            "does not exist",
        ),
        ((books["pdf"][:8], "--format", "md", "--output", str(tmp_path)), "is a folder"),
        (("zzz", "--format", "md", "--output", str(tmp_path / "x.md")), "hexadecimal"),
    ]:
        result = run(library_dir, "export-annotations", *args)
        assert result.returncode == 1, result.stderr
        assert words in one_line(result)
    assert own_file.read_bytes() == before
    assert not (tmp_path / "x.pdf").exists()
    usage = run(library_dir, "export-annotations", books["pdf"][:8], "--output", "x.md")
    assert usage.returncode == 2
    assert "--format" in usage.stderr


def test_import_errors_name_the_file_and_the_item(
    library_dir: Path, books: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.jsonld"
    broken.write_text('{"type": ', encoding="utf-8")
    result = run(library_dir, "import-annotations", str(broken))
    assert result.returncode == 1
    assert one_line(result) == f"mutolaa: {broken}: not JSON (line 1, column 10: Expecting value)"
    missing = run(library_dir, "import-annotations", str(tmp_path / "missing.jsonld"))
    assert missing.returncode == 1
    assert "cannot read" in one_line(missing)

    with Library(resolve_paths(library_dir)) as library:
        mark = library.annotations.create(
            books["epub"],
            AnnotationKind.HIGHLIGHT,
            Anchor(page=0, chapter=0, start=1, end=9),
            quote="Kutubxona",
            color="green",
            profile_id=PROFILE,
        )
    out = tmp_path / "epub.jsonld"
    assert (
        run(
            library_dir,
            "export-annotations",
            books["epub"][:8],
            "--format",
            "w3c",
            "--output",
            str(out),
        ).returncode
        == 0
    )
    document = json.loads(out.read_text(encoding="utf-8"))
    good = document["first"]["items"][0]
    bad = json.loads(json.dumps(good))
    bad["id"] = "urn:uuid:" + "2" * 32
    bad["motivation"] = "editing"
    document["first"]["items"] = [bad, good]
    out.write_text(json.dumps(document), encoding="utf-8")
    result = run(library_dir, "import-annotations", str(out), "--json")
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith(f"{out}: item 1 (urn:uuid:2222")
    assert "motivation 'editing'" in line
    data = json.loads(result.stdout)
    assert data["skipped"] == [mark.id]
    assert data["imported"] == []


def test_help_lists_the_annotation_commands(library_dir: Path) -> None:
    result = run(library_dir, "--help")
    for command in ("annotations", "export-annotations", "import-annotations"):
        assert command in result.stdout
