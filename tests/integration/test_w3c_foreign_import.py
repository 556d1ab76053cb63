"""Annotations other tools write are imported (issue 12 item 13).

Before, an annotation placed by a ``TextQuoteSelector`` only, one without ``motivation`` or
one whose body is a plain string got "no selector gives the place". Now the quote is found in
the book's page texts (with its prefix and suffix), a body given as a string or a resource is
kept as the note's text, the file's ``modified`` is kept, every correct sample of the W3C
test suite imports onto a real book, and every incorrect one is one line naming it.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import UserError
from app.core.models import AnnotationKind, Book
from app.documents.worker import DocumentWorker
from app.services.annotations.exports.exporting import export_annotations
from app.services.annotations.exports.timestamps import parse_iso_time
from app.services.annotations.exports.w3c_import import import_w3c
from app.services.session import Library
from tests.integration.test_annotation_exports import add_book, boxes_of, make_book_epub
from tests.support import docgen
from tests.support.cli import mutolaa
from tests.support.sessions import PROFILE, session_of
from tests.support.w3c_suite import SAMPLES, load_suite

HIGHLIGHT, NOTE, BOOKMARK = AnnotationKind.HIGHLIGHT, AnnotationKind.NOTE, AnnotationKind.BOOKMARK
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# pages holding the quotes of the suite's samples (anno26, anno32)
SAMPLE_PAGES = [
    "Samples of the W3C Web Annotation test suite.",
    "Here this is an anotation that has some words in it.",
    "The text before the Selected Text and text after it ends here.",
    "Selected Text again, with other words around it.",
]
COMPOSITES = {"Choice", "List", "Composite", "Independents"}


@pytest.fixture
def worker() -> Iterator[DocumentWorker]:
    with DocumentWorker() as started:
        yield started


def urn(book: Book) -> str:
    return f"urn:sha256:{book.id}"


def line_box(boxes: tuple[tuple[float, float, float, float], ...]) -> tuple[float, ...]:
    """The box of words on one line, as a highlight covers them."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def write(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- other tools


def test_an_annotation_placed_by_its_quote_only_is_found_in_the_book(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    pdf = docgen.make_pdf(tmp_path / "samples.pdf", SAMPLE_PAGES, title="Samples")
    book = add_book(library, worker, pdf)
    items = [
        {  # as Hypothesis-like tools write it: no motivation, a quote, a TextualBody
            "id": "https://example.org/anno/1",
            "type": "Annotation",
            "created": "2024-05-01T08:00:00Z",
            "modified": "2024-05-02T09:30:00.25Z",
            "body": {"type": "TextualBody", "value": "Spelling!", "format": "text/plain"},
            "target": {
                "source": urn(book),
                "selector": {
                    "type": "TextQuoteSelector",
                    "exact": "anotation",
                    "prefix": "this is an ",
                    "suffix": " that has",
                },
            },
        },
        {  # a highlight without a body, the second "Selected Text" told by its prefix
            "id": "https://example.org/anno/2",
            "type": "Annotation",
            "motivation": "highlighting",
            "target": {
                "source": urn(book),
                "selector": [
                    {"type": "CssSelector", "value": "p"},
                    {"type": "TextQuoteSelector", "exact": "Selected Text", "suffix": "again"},
                ],
            },
        },
        {  # a plain string body, no motivation, the quote in a refinement
            "id": "https://example.org/anno/3",
            "type": "Annotation",
            "body": "Worth reading twice",
            "target": {
                "source": urn(book),
                "selector": {
                    "type": "FragmentSelector",
                    "value": "para5",
                    "refinedBy": {
                        "type": "TextQuoteSelector",
                        "exact": "SELECTED   text",  # case and spaces do not matter
                        "prefix": "text before the ",
                    },
                },
            },
        },
        {  # a quote the book does not hold: kept, detached, at the first page
            "id": "https://example.org/anno/4",
            "type": "Annotation",
            "motivation": "highlighting",
            "target": {
                "source": urn(book),
                "selector": {"type": "TextQuoteSelector", "exact": "nowhere in this book"},
            },
        },
    ]
    path = write(
        tmp_path, "foreign.jsonld", {"@context": CONTEXT, "type": "AnnotationPage", "items": items}
    )
    result = import_w3c(session_of(library), path, worker)
    assert result.ok, result.problems
    first, second, third, lost = result.imported
    assert (first.kind, first.body, first.quote, first.anchor.page) == (
        NOTE,
        "Spelling!",
        "anotation",
        1,
    )
    assert first.created_at == parse_iso_time("2024-05-01T08:00:00Z")
    assert first.updated_at == parse_iso_time("2024-05-02T09:30:00.25Z")  # the file's modified
    stored = library.annotations.get(first.id)
    assert stored is not None
    assert stored.updated_at == first.updated_at
    assert first.anchor.quads == boxes_of(pdf, 1, "anotation")
    assert (second.kind, second.anchor.page) == (HIGHLIGHT, 3)
    assert second.anchor.quads == (line_box(boxes_of(pdf, 3, "Selected Text")),)  # one line
    assert (third.kind, third.body, third.anchor.page) == (NOTE, "Worth reading twice", 2)
    assert (lost.detached, lost.anchor.page, lost.quote) == (True, 0, "nowhere in this book")
    assert not first.detached

    # imported again: the same ids, nothing added
    again = import_w3c(session_of(library), path, worker)
    assert (again.imported, len(again.skipped), again.problems) == ([], 4, [])


def test_a_quote_in_a_reflowable_book_gets_its_chapter_position(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    epub = make_book_epub(tmp_path)
    book = add_book(library, worker, epub)
    item = {
        "@context": CONTEXT,
        "id": "urn:uuid:5b0e6d0a-0000-4000-8000-000000000001",
        "type": "Annotation",
        "motivation": "oa:highlighting",
        "target": {
            "source": urn(book),
            "selector": {
                "type": "TextQuoteSelector",
                "exact": "Birinchi kutubxonalar",
                "prefix": "bob",
            },
        },
    }
    path = write(tmp_path, "one.jsonld", item)
    (mark,) = import_w3c(session_of(library), path, worker).imported
    # chapter 2: "Ikkinchi bob Birinchi kutubxonalar Samarqandda ochilgan.…"
    anchor = mark.anchor
    assert (anchor.page, anchor.chapter, anchor.start, anchor.end) == (1, 1, 11, 31)
    # exported again, it carries a CFI like any highlight made in the reader
    output = tmp_path / "out.jsonld"
    export_annotations(session_of(library), worker, book, "w3c", output)
    (exported,) = json.loads(output.read_text(encoding="utf-8"))["first"]["items"]
    assert exported["target"]["selector"][1]["value"] == "epubcfi(/6/4!/4/4,/1:0,/1:21)"

    # without a MuPDF worker the page is found; the reader finds the rest when it opens
    other = write(tmp_path, "two.jsonld", item | {"id": "urn:uuid:" + "2" * 32})
    (plain,) = import_w3c(session_of(library), other).imported
    assert (plain.anchor.page, plain.anchor.chapter) == (1, -1)


def test_mutolaa_import_annotations_places_a_quote_from_the_command_line(
    library_dir: Path, tmp_path: Path
) -> None:
    pdf = docgen.make_pdf(tmp_path / "samples.pdf", SAMPLE_PAGES, title="Samples")
    added = json.loads(mutolaa(library_dir, "import", str(pdf), "--json").stdout)["added"]
    book_id = added[0]["id"]
    item = {
        "@context": CONTEXT,
        "id": "http://example.org/anno26",
        "type": "Annotation",
        "body": "http://example.org/comment1",
        "target": {
            "source": f"urn:sha256:{book_id}",
            "selector": {"type": "TextQuoteSelector", "exact": "anotation"},
        },
    }
    path = write(tmp_path, "anno26.jsonld", item)
    done = json.loads(mutolaa(library_dir, "import-annotations", str(path), "--json").stdout)
    (record,) = done["imported"]
    assert (record["kind"], record["body"], record["anchor"]["page"]) == (
        "note",
        "http://example.org/comment1",
        1,
    )
    assert len(record["anchor"]["quads"]) == 1


# --------------------------------------------------------------------------- the W3C suite


def _retarget(target: Any, book: str) -> Any:
    """The same target, naming ``book`` wherever it named a web resource."""
    if isinstance(target, str):
        return book
    if isinstance(target, list):
        return [_retarget(t, book) for t in target]
    if not isinstance(target, dict):
        return target
    moved = dict(target)
    if moved.get("type") in COMPOSITES and isinstance(moved.get("items"), list):
        moved["items"] = [_retarget(t, book) for t in moved["items"]]
    elif isinstance(moved.get("source"), str):
        moved["source"] = book
    elif isinstance(moved.get("source"), dict):
        moved["source"] = dict(moved["source"], id=book)
    elif "id" in moved and "source" not in moved and moved.get("type") != "SpecificResource":
        moved["id"] = book
    return moved


def onto_book(document: Any, book: str) -> Any:
    """A sample of the suite moved onto our book: every annotation's target names it."""
    moved = copy.deepcopy(document)
    if not isinstance(moved, dict):
        return moved
    pages = [moved.get("first")] if moved.get("type") == "AnnotationCollection" else [moved]
    for page in pages:
        items = page.get("items") if isinstance(page, dict) else None
        for item in items if isinstance(items, list) else [page]:
            if isinstance(item, dict) and "target" in item:
                item["target"] = _retarget(item["target"], book)
    return moved


def _sample_book(library: Library, worker: DocumentWorker, folder: Path) -> Book:
    pdf = docgen.make_pdf(folder / "samples.pdf", SAMPLE_PAGES, title="Samples")
    return add_book(library, worker, pdf)


def test_every_correct_sample_of_the_w3c_suite_imports_onto_a_real_book(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    load_suite()
    book = _sample_book(library, worker, tmp_path)
    files = sorted((SAMPLES / "correct").glob("*.json"))
    assert len(files) == 45
    imported: dict[str, list[Any]] = {}
    for sample in files:
        document = onto_book(json.loads(sample.read_text(encoding="utf-8")), urn(book))
        path = write(tmp_path, sample.name, document)
        if sample.name == "example41.json":  # its pages are links, not in the file
            with pytest.raises(UserError, match="pages by link are not read") as caught:
                import_w3c(session_of(library), path, worker)
            assert str(caught.value).startswith(f"{path}: ")
            continue
        result = import_w3c(session_of(library), path, worker)
        assert result.ok, result.problems
        assert result.imported or result.skipped, sample.name
        imported[sample.name] = result.imported

    def one(name: str) -> Any:
        (annotation,) = imported[name]
        return annotation

    assert (one("anno1.json").kind, one("anno1.json").body) == (NOTE, "http://example.org/post1")
    assert (one("anno8.json").kind, one("anno8.json").anchor.page) == (BOOKMARK, 0)
    assert one("anno6.json").body == "Comment text"  # bodyValue
    assert one("anno5.json").body == "<p>j'adore !</p>"
    assert (one("anno12.json").kind, one("anno12.json").body) == (NOTE, "important")  # tagging
    assert (one("anno18.json").kind, one("anno18.json").body) == (
        BOOKMARK,
        "A good description of the topic that bears further investigation",
    )
    quoted = one("anno26.json")
    assert (quoted.quote, quoted.anchor.page, quoted.detached) == ("anotation", 1, False)
    assert len(quoted.anchor.quads) == 1
    refined = one("anno32.json")
    assert (refined.quote, refined.anchor.page) == ("Selected Text", 2)  # its prefix decides
    assert one("anno41-example44.json").body.startswith("I really love this particular bit")
    assert one("anno36.json").anchor.page == 0  # a FragmentSelector in a state places nothing
    # the collection's items are the same annotations: already there, skipped
    assert imported["collection1.json"] == []
    total = sum(len(found) for found in imported.values())
    assert len(library.annotations.of_book(book.id, PROFILE)) == total


#: What the line of each incorrect sample must say (its "label" names what is wrong; the
#: ones not listed are wrong in a way Mutolaa does not read, or only in their id).
INCORRECT = {
    "No context": "no @context",
    "Bad context": "no @context",
    "bad id": "is not an IRI",
    "multiple identifiers": "id must be one IRI, not a list of 2",
    "no type": "not 'Annotation'",
    "bad type": "not 'Annotation'",
    "bad target": "the target is a number",
    "bad body id": "a body's id 'this is not a uri either' is not an IRI",
    "bad created": ":",
    "no source for specific resource": "no target with a source urn:sha256:",
    "no value for Fragment Selector": "a FragmentSelector's value must be one text",
    "multiple values for Fragment Selector": "a FragmentSelector's value must be one text",
}


def test_every_incorrect_sample_of_the_w3c_suite_is_one_line_naming_it(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    load_suite()
    book = _sample_book(library, worker, tmp_path)
    files = sorted((SAMPLES / "incorrect").glob("*.json"))
    assert len(files) == 39
    logged = library.annotations.changes()
    for sample in files:
        path = tmp_path / sample.name
        try:
            document = json.loads(sample.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            shutil.copyfile(sample, path)  # not JSON: as it is
            document = None
        else:
            write(tmp_path, sample.name, onto_book(document, urn(book)))
        try:
            result = import_w3c(session_of(library), path, worker)
        except UserError as exc:
            lines = [str(exc)]
        else:
            assert result.imported == [], sample.name
            lines = result.problems
        assert len(lines) == 1, (sample.name, lines)
        (line,) = lines
        assert "\n" not in line
        assert line.startswith(f"{path}: "), line
        if document is None:
            assert "not JSON (line" in line, line
            continue
        label = document.get("label", "") if isinstance(document, dict) else ""
        assert INCORRECT.get(label, "") in line, (sample.name, label, line)
    assert library.annotations.changes() == logged  # nothing stored
