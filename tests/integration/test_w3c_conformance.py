"""W3C JSON-LD exports meet every MUST of the W3C Web Annotation test suite (issue 12 item 12).

Before: the embedded ``AnnotationPage`` had no ``id`` (5.2) and a reflowable book's place was
only a ``mutolaa:ChapterPositionSelector``, which is not one of the model's selector types
(4.2). Now an EPUB book's place is an EPUB CFI ``FragmentSelector`` refined by our own chapter
position (a ``FragmentSelector`` too), other reflowable books carry our position alone, and
our own import reads back exactly what was written.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.models import Anchor, AnnotationKind, Book
from app.core.paths import resolve_paths
from app.documents.worker import DocumentWorker
from app.services.annotations.exports.exporting import export_annotations
from app.services.annotations.exports.w3c_import import import_w3c
from app.services.session import Library
from tests.integration.test_annotation_exports import (
    add_book,
    annotate_pdf,
    make_book_epub,
    make_book_pdf,
)
from tests.support import docgen
from tests.support.epub_cfi_check import text_at
from tests.support.sessions import PROFILE, session_of
from tests.support.w3c_suite import ANNOTATION_MUSTS, COLLECTION_MUSTS, PAGE_MUSTS, load_suite

HIGHLIGHT, NOTE, BOOKMARK = AnnotationKind.HIGHLIGHT, AnnotationKind.NOTE, AnnotationKind.BOOKMARK
CFI = "http://www.idpf.org/epub/linking/cfi/epub-cfi.html"
POSITION = "urn:mutolaa:ns:ChapterPosition"


@pytest.fixture
def worker() -> Iterator[DocumentWorker]:
    with DocumentWorker() as started:
        yield started


def annotate_reflowable(library: Library, book: Book, chapter: int = 1, start: int = 11) -> None:
    """A highlight with an attached note, a note on a page, a bookmark: as the reader makes
    them in a reflowable book (chapter, non-space characters; the quote's context). The
    quote "Birinchi kutubxonalar" starts ``start`` characters into ``chapter``."""
    notes = library.annotations
    page = min(1, book.page_count - 1)  # the page of the import's layout: a hint
    mark = notes.create(
        book.id,
        HIGHLIGHT,
        Anchor(page=page, chapter=chapter, start=start, end=start + 20, suffix="Samarqandda"),
        quote="Birinchi kutubxonalar",
        color="orange",
        profile_id=PROFILE,
    )
    notes.create(
        book.id,
        NOTE,
        mark.anchor,
        body="Qaysi yili?",
        parent_id=mark.id,
        quote=mark.quote,
        profile_id=PROFILE,
    )
    notes.create(
        book.id, NOTE, Anchor(page=0, chapter=0, start=11, end=11), body="Boshi", profile_id=PROFILE
    )
    notes.create(
        book.id, BOOKMARK, Anchor(page=0, chapter=0, start=0, end=0), body="1", profile_id=PROFILE
    )


def export_w3c(library: Library, worker: DocumentWorker, book: Book, folder: Path) -> Any:
    output = folder / f"{book.short_id}.jsonld"
    export_annotations(session_of(library), worker, book, "w3c", output)
    return json.loads(output.read_text(encoding="utf-8"))


def assert_meets_the_musts(document: dict[str, Any]) -> None:
    suite = load_suite()
    assert suite.failures(document, COLLECTION_MUSTS) == []
    assert suite.failures(document, PAGE_MUSTS) == []
    for item in document["first"]["items"]:
        assert suite.failures(item, ANNOTATION_MUSTS) == [], item


def test_exports_of_pdf_epub_and_fb2_books_meet_every_must_of_the_w3c_suite(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    load_suite()  # skips when the suite is absent
    pdf = make_book_pdf(tmp_path)
    epub = make_book_epub(tmp_path)
    fb2 = docgen.make_fb2(
        tmp_path / "hikoya.fb2",
        [
            ("Birinchi bob", "Bu kitob kutubxona haqida."),
            ("Ikkinchi bob", "Birinchi kutubxonalar Samarqandda ochilgan."),
        ],
        title="Hikoya",
        author="Abdulla Qahhor",
        lang="uz",
    )
    pdf_book = add_book(library, worker, pdf)
    annotate_pdf(library, pdf_book, pdf)
    reflowable = [add_book(library, worker, path) for path in (epub, fb2)]
    annotate_reflowable(library, reflowable[0])  # chapter 2: "Ikkinchi bob Birinchi …"
    # one chapter: "Hikoya Birinchi bob Bu kitob kutubxona haqida. Ikkinchi bob Birinchi …"
    annotate_reflowable(library, reflowable[1], chapter=0, start=51)

    documents = {}
    for book in (pdf_book, *reflowable):
        document = export_w3c(library, worker, book, tmp_path)
        assert_meets_the_musts(document)
        motivations = {item["motivation"] for item in document["first"]["items"]}
        assert motivations == {"highlighting", "commenting", "bookmarking"}
        page_id = document["first"]["id"]
        assert page_id.startswith("urn:uuid:")
        assert page_id != document["id"]
        documents[book.format] = document

    # the same book and person give the same page id (exporting twice gives the same file)
    again = export_w3c(library, worker, pdf_book, tmp_path / "..")
    assert again["first"]["id"] == documents["pdf"]["first"]["id"]

    epub_items = documents["epub"]["first"]["items"]
    mark = next(i for i in epub_items if i["motivation"] == "highlighting")
    quote, place = mark["target"]["selector"]
    assert quote["exact"] == "Birinchi kutubxonalar"
    assert place["conformsTo"] == CFI
    assert place["value"] == "epubcfi(/6/4!/4/4,/1:0,/1:21)"
    assert text_at(epub, place["value"]) == "Birinchi kutubxonalar"
    assert place["refinedBy"] == {
        "type": "FragmentSelector",
        "conformsTo": POSITION,
        "value": "chapter=1&start=11&end=31&page=2",
    }
    bookmark = next(i for i in epub_items if i["motivation"] == "bookmarking")
    (place,) = bookmark["target"]["selector"]
    assert place["value"] == "epubcfi(/6/2!/4/2/1:0)"  # a point: the chapter's first letter
    assert text_at(epub, place["value"]) == "Birinchi bob"
    # an FB2 book has no CFI: our own position is the standard selector
    fb2_mark = next(i for i in documents["fb2"]["first"]["items"] if "styleClass" in i["target"])
    assert reflowable[1].page_count == 1
    assert fb2_mark["target"]["selector"][1] == {
        "type": "FragmentSelector",
        "conformsTo": POSITION,
        "value": "chapter=0&start=51&end=71&page=1",
    }

    # our own import reads back exactly what was written, times included
    other = Library(resolve_paths(tmp_path / "other"))
    try:
        for path in (pdf, epub, fb2):
            add_book(other, worker, path)
        for book in (pdf_book, *reflowable):
            file = tmp_path / f"{book.short_id}.jsonld"
            result = import_w3c(session_of(other), file)
            assert result.ok, result.problems
            before = library.annotations.of_book(book.id, profile_id=PROFILE)
            after = other.annotations.of_book(book.id, profile_id=PROFILE)
            assert after == before
    finally:
        other.close()


def test_a_quote_marks_the_cfi_where_mupdfs_count_and_the_xhtml_differ(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    epub = make_book_epub(tmp_path)
    book = add_book(library, worker, epub)
    # a place a few characters off (list numbers or generated text MuPDF counts and the
    # XHTML has not): the quote near it decides
    library.annotations.create(
        book.id,
        HIGHLIGHT,
        Anchor(page=1, chapter=1, start=14, end=34),
        quote="Samarqandda ochilgan.",
        color="yellow",
        profile_id=PROFILE,
    )
    (item,) = export_w3c(library, worker, book, tmp_path)["first"]["items"]
    place = item["target"]["selector"][1]
    assert text_at(epub, place["value"]) == "Samarqandda ochilgan."
    assert place["refinedBy"]["value"] == "chapter=1&start=14&end=34&page=2"  # kept as it is


def test_an_epub_whose_package_cannot_be_read_still_exports_our_positions(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    book = add_book(library, worker, make_book_epub(tmp_path))
    annotate_reflowable(library, book)
    stored = library.store.file_path(book)
    broken = dataclasses.replace(book, file_name=book.file_name + ".missing")
    assert stored.exists()
    assert not library.store.file_path(broken).exists()
    document = export_w3c(library, worker, broken, tmp_path)
    assert_meets_the_musts(document)
    for item in document["first"]["items"]:
        (*_quote, place) = item["target"]["selector"]
        assert place["conformsTo"] == POSITION
