"""A PDF's own annotations become the importing person's at import (issue 12 item 11).

Before, they were adopted only when a profile opened the book in the window, so
`mutolaa annotations ID`, the exports and the library search saw nothing after
`mutolaa import`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from app.core.paths import resolve_paths
from app.documents.worker import DocumentWorker
from app.services.annotations.pdf_annotations import adopt_pdf_annotations, adopted_meta_key
from app.services.library.importer import Importer
from app.services.session import Library, Session
from tests.integration.test_annotation_exports import make_annotated_pdf
from tests.support.cli import mutolaa
from tests.support.sessions import PROFILE, session_of

ADOPTED = 5  # a highlight, its own text and a reply as notes, a sticky note, an ink drawing


@pytest.fixture
def worker() -> Iterator[DocumentWorker]:
    with DocumentWorker() as started:
        yield started


def _add_profile(library: Library, profile_id: int, name: str) -> None:
    with library.store.transaction() as db:
        db.execute(
            "INSERT INTO profiles(id, name, created_at) VALUES (?, ?, 0)", (profile_id, name)
        )


def test_mutolaa_import_shows_a_pdfs_own_annotations_at_once(
    library_dir: Path, tmp_path: Path
) -> None:
    path = make_annotated_pdf(tmp_path)
    imported = json.loads(mutolaa(library_dir, "import", str(path), "--json").stdout)
    book_id = imported["added"][0]["id"]

    records = json.loads(mutolaa(library_dir, "annotations", book_id[:8], "--json").stdout)
    assert len(records) == ADOPTED
    assert {r["origin"] for r in records} == {"pdf"}
    assert {r["profile_id"] for r in records} == {PROFILE}
    mark = next(r for r in records if r["kind"] == "highlight" and r["anchor"]["page"] == 1)
    assert (mark["quote"], mark["color"]) == ("Kutubxona bilim", "green")

    exported = tmp_path / "out.jsonld"
    mutolaa(
        library_dir, "export-annotations", book_id[:8], "--format", "w3c", "--output", str(exported)
    )
    assert json.loads(exported.read_text(encoding="utf-8"))["total"] == ADOPTED

    found = json.loads(mutolaa(library_dir, "search", "Sahifa haqida", "--json").stdout)
    assert [n["annotation"] for n in found["notes"]] == [
        next(r["id"] for r in records if r["body"] == "Sahifa haqida")
    ]

    # importing the same file again adds nothing (adopted once)
    again = json.loads(mutolaa(library_dir, "import", str(path), "--json").stdout)
    assert [b["id"] for b in again["duplicates"]] == [book_id]
    records = json.loads(mutolaa(library_dir, "annotations", book_id[:8], "--json").stdout)
    assert len(records) == ADOPTED


def test_adoption_at_import_is_the_importers_and_the_others_adopt_when_they_open_it(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    _add_profile(library, 2, "Nodira")
    _add_profile(library, 3, "Jasur")
    path = make_annotated_pdf(tmp_path)
    with Importer(library, worker, profile_id=2) as importer:
        report = importer.run([path])
    assert report.ok, report.failures
    book = report.added[0]
    assert len(library.annotations.of_book(book.id, 2)) == ADOPTED
    assert library.store.meta(adopted_meta_key(book.id, 2)) == "4"  # objects found in the PDF
    assert library.annotations.of_book(book.id, PROFILE) == []  # books are shared, notes not
    # the window's first opening: nothing twice for the importer, everything for another
    assert adopt_pdf_annotations(Session(library, 2), worker, book) == 0
    assert adopt_pdf_annotations(session_of(library), worker, book) == ADOPTED

    # another person importing the same file is told "already in" and gets their own copy
    with Importer(library, worker, profile_id=3) as importer:
        report = importer.run([path])
    assert [b.id for b in report.duplicates] == [book.id]
    mine = library.annotations.of_book(book.id, 3)
    assert len(mine) == ADOPTED
    assert not {a.id for a in mine} & {a.id for a in library.annotations.of_book(book.id, 2)}


def test_an_import_without_a_person_leaves_adoption_to_the_window(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    path = make_annotated_pdf(tmp_path)
    with Importer(library, worker) as importer:
        book = importer.run([path]).added[0]
    assert library.annotations.of_book(book.id, PROFILE) == []
    assert library.store.meta(adopted_meta_key(book.id, PROFILE)) is None


def test_an_encrypted_pdfs_annotations_are_adopted_when_it_is_unlocked(
    library_dir: Path, tmp_path: Path
) -> None:
    plain = make_annotated_pdf(tmp_path)
    locked = tmp_path / "locked.pdf"
    doc = pymupdf.open(plain)
    try:
        doc.save(
            locked,
            encryption=pymupdf.PDF_ENCRYPT_AES_256,
            user_pw="kalit",
            owner_pw="kalit",
        )
    finally:
        doc.close()
    imported = json.loads(mutolaa(library_dir, "import", str(locked), "--json").stdout)
    book_id = imported["locked"][0]["id"]
    assert json.loads(mutolaa(library_dir, "annotations", book_id[:8], "--json").stdout) == []
    mutolaa(library_dir, "unlock", book_id[:8], stdin="kalit\n")
    records = json.loads(mutolaa(library_dir, "annotations", book_id[:8], "--json").stdout)
    assert len(records) == ADOPTED
    with Library(resolve_paths(library_dir)) as library:
        assert library.store.meta(adopted_meta_key(book_id, PROFILE)) == "4"
