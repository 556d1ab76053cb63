"""Annotation exports on real books: Markdown, W3C JSON-LD (and back), annotated PDF copies,
and the annotations a PDF already holds, adopted once."""

from __future__ import annotations

import dataclasses
import datetime
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from app.core.errors import UserError
from app.core.models import Anchor, Annotation, AnnotationKind, Book
from app.core.paths import resolve_paths
from app.documents.annotation_records import HIGHLIGHT_RGB
from app.documents.worker import DocumentWorker
from app.services.annotations.exports.exporting import export_annotations
from app.services.annotations.exports.w3c_import import import_w3c
from app.services.annotations.pdf_annotations import adopt_pdf_annotations, adopted_meta_key
from app.services.library.importer import Importer
from app.services.session import Library, Session
from tests.support import docgen
from tests.support.sessions import PROFILE, session_of

PAGES = [
    "Muqaddima. Bu kitob kutubxona haqida.",
    "Kutubxona bilim manbai hisoblanadi. Talabalar kitob oʻqiydilar.",
    "Tarix boʻlimi. Qadimgi qoʻlyozmalar saqlanadi.",
    "Birinchi kutubxonalar Samarqandda ochilgan.",
    "Xulosa. Kitob oʻqish foydali.",
]
TOC = [(1, "Kirish", 2), (1, "Asosiy qism", 3), (2, "Tarix", 4)]
ACCESSED = datetime.date(2025, 3, 1)
HIGHLIGHT, NOTE, BOOKMARK = AnnotationKind.HIGHLIGHT, AnnotationKind.NOTE, AnnotationKind.BOOKMARK


@pytest.fixture
def worker() -> Iterator[DocumentWorker]:
    with DocumentWorker() as started:
        yield started


def make_book_pdf(folder: Path, name: str = "tarix.pdf") -> Path:
    return docgen.make_pdf(
        folder / name,
        PAGES,
        title="Kutubxonalar tarixi",
        author="Aziz Karimov; Dilnoza Yoʻldosheva",
        toc=TOC,
        page_labels=True,
    )


def make_book_epub(folder: Path) -> Path:
    return docgen.make_epub(
        folder / "hikoya.epub",
        [("Birinchi bob", PAGES[1] * 3), ("Ikkinchi bob", PAGES[3] * 3)],
        title="Hikoya",
        author="Abdulla Qahhor",
        lang="uz",
    )


def add_book(library: Library, worker: DocumentWorker, path: Path) -> Book:
    with Importer(library, worker) as importer:
        report = importer.run([path])
    assert report.ok, report.failures
    return (report.added or report.duplicates)[0]


def boxes_of(path: Path, page: int, quote: str) -> tuple[tuple[float, float, float, float], ...]:
    """The word boxes of ``quote`` on a page (0-based), as the reader would select them."""
    doc = pymupdf.open(path)
    try:
        words = doc[page].get_text("words", sort=True)
    finally:
        doc.close()
    wanted = quote.split()
    texts = [w[4] for w in words]
    for start in range(len(texts) - len(wanted) + 1):
        if texts[start : start + len(wanted)] == wanted:
            chosen = words[start : start + len(wanted)]
            return tuple((w[0], w[1], w[2], w[3]) for w in chosen)
    raise AssertionError(f"{quote!r} not on page {page + 1}")


def annotate_pdf(library: Library, book: Book, path: Path) -> dict[str, Annotation]:
    """The annotations of the Markdown golden test, made as the reader makes them."""
    notes = library.annotations
    made = {
        "bookmark": notes.create(
            book.id, BOOKMARK, Anchor(page=0), body="Boshlanish", profile_id=PROFILE
        ),
        "mark": notes.create(
            book.id,
            HIGHLIGHT,
            Anchor(page=1, quads=boxes_of(path, 1, "Kutubxona bilim manbai"), suffix="hisob"),
            quote="Kutubxona bilim manbai",
            color="yellow",
            profile_id=PROFILE,
        ),
        "page_note": notes.create(
            book.id,
            NOTE,
            Anchor(page=3),
            body="Samarqand haqida *koʻproq* oʻqish",
            profile_id=PROFILE,
        ),
        "green": notes.create(
            book.id,
            HIGHLIGHT,
            Anchor(page=4, quads=boxes_of(path, 4, "Kitob oʻqish foydali."), prefix="Xulosa."),
            quote="Kitob oʻqish foydali.",
            color="green",
            profile_id=PROFILE,
        ),
        "lost": notes.create(
            book.id,
            HIGHLIGHT,
            Anchor(page=2, quads=boxes_of(path, 2, "Qadimgi qoʻlyozmalar")),
            quote="Qadimgi qoʻlyozmalar",
            color="pink",
            profile_id=PROFILE,
        ),
    }
    made["attached"] = notes.create(
        book.id,
        NOTE,
        made["mark"].anchor,
        body="Imtihon uchun muhim",
        parent_id=made["mark"].id,
        profile_id=PROFILE,
    )
    made["lost"] = notes.update(made["lost"].id, detached=True)
    return made


GOLDEN_MARKDOWN = """\
# Kutubxonalar tarixi

Aziz Karimov, Dilnoza Yoʻldosheva

Citation: Aziz Karimov; Dilnoza Yoʻldosheva, *Kutubxonalar tarixi* (PDF). \
Accessed via Mutolaa, 2025-03-01.

3 highlight(s), 2 note(s), 1 bookmark(s).

## Kutubxonalar tarixi

**p. i (1)** · Bookmark: Boshlanish

## Kirish

**p. ii (2)** · Highlight (yellow)

> Kutubxona bilim manbai

*Note:* Imtihon uchun muhim

## Asosiy qism › Tarix

**p. iv (4)** · Note

Samarqand haqida \\*koʻproq\\* oʻqish

**p. 1 (5)** · Highlight (green)

> Kitob oʻqish foydali.

## Detached annotations

Their text could not be found in the book any more; each is shown at the page where it \
last stood.

**p. iii (3)** · Highlight (pink)

> Qadimgi qoʻlyozmalar
"""


def test_markdown_groups_by_chapter_with_pages_quotes_notes_and_a_citation(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    path = make_book_pdf(tmp_path)
    book = add_book(library, worker, path)
    annotate_pdf(library, book, path)
    library.annotations.delete(
        library.annotations.create(
            book.id, NOTE, Anchor(page=4), body="gone", profile_id=PROFILE
        ).id
    )
    output = tmp_path / "out" / "tarix.md"
    output.parent.mkdir()
    result = export_annotations(session_of(library), worker, book, "md", output, accessed=ACCESSED)
    assert result.annotations == 6
    assert output.read_text(encoding="utf-8") == GOLDEN_MARKDOWN
    assert [p.name for p in output.parent.iterdir()] == ["tarix.md"]  # no temporary left


def test_markdown_of_a_reflowable_book_and_of_a_book_without_annotations(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    book = add_book(library, worker, make_book_epub(tmp_path))
    empty = tmp_path / "empty.md"
    export_annotations(session_of(library), worker, book, "md", empty, accessed=ACCESSED)
    assert "No annotations yet." in empty.read_text(encoding="utf-8")
    assert "Abdulla Qahhor, *Hikoya* (EPUB). Accessed via Mutolaa, 2025-03-01." in (
        empty.read_text(encoding="utf-8")
    )
    last = book.page_count - 1
    library.annotations.create(
        book.id,
        HIGHLIGHT,
        Anchor(page=last, chapter=1, start=5, end=25),
        quote="Birinchi kutubxonalar",
        color="blue",
        profile_id=PROFILE,
    )
    output = tmp_path / "hikoya.md"
    export_annotations(session_of(library), worker, book, "md", output, accessed=ACCESSED)
    text = output.read_text(encoding="utf-8")
    assert "## Ikkinchi bob" in text
    assert f"**p. {last + 1}** · Highlight (blue)\n\n> Birinchi kutubxonalar" in text


def _comparable(annotation: Annotation) -> Annotation:
    return dataclasses.replace(annotation, updated_at=0.0)


def test_w3c_round_trip_gives_the_same_annotations_and_a_second_import_adds_nothing(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    pdf = make_book_pdf(tmp_path)
    epub = make_book_epub(tmp_path)
    pdf_book = add_book(library, worker, pdf)
    epub_book = add_book(library, worker, epub)
    annotate_pdf(library, pdf_book, pdf)
    library.annotations.create(
        epub_book.id,
        HIGHLIGHT,
        Anchor(page=1, chapter=1, start=5, end=25, prefix="ochilgan.", suffix="Samarqandda"),
        quote="Birinchi kutubxonalar",
        color="orange",
        origin="pdf",
        profile_id=PROFILE,
    )
    library.annotations.create(
        epub_book.id, BOOKMARK, Anchor(page=0, chapter=0, start=0, end=0), profile_id=PROFILE
    )
    files = {}
    for book in (pdf_book, epub_book):
        files[book.id] = tmp_path / f"{book.short_id}.jsonld"
        export_annotations(session_of(library), worker, book, "w3c", files[book.id])

    document = json.loads(files[pdf_book.id].read_text(encoding="utf-8"))
    assert document["type"] == "AnnotationCollection"
    assert document["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert document["total"] == 6
    mark = next(i for i in document["first"]["items"] if i["target"].get("styleClass") == "yellow")
    assert mark["id"].startswith("urn:uuid:")
    assert mark["motivation"] == "highlighting"
    assert mark["target"]["source"] == f"urn:sha256:{pdf_book.id}"
    quote, fragment = mark["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "Kutubxona bilim manbai",
        "prefix": "",
        "suffix": "hisob",
    }
    assert fragment["value"] == "page=2"
    assert fragment["conformsTo"] == "http://tools.ietf.org/rfc/rfc3778"
    assert len(fragment["mutolaa:quads"]) == 3
    assert mark["created"].endswith("Z")

    other = Library(resolve_paths(tmp_path / "other"))
    try:
        for path in (pdf, epub):
            add_book(other, worker, path)
        for book in (pdf_book, epub_book):
            result = import_w3c(session_of(other), files[book.id])
            assert result.ok, result.problems
            assert not result.skipped
            before = library.annotations.of_book(book.id, profile_id=PROFILE)
            after = other.annotations.of_book(book.id, profile_id=PROFILE)
            assert [_comparable(a) for a in after] == [_comparable(a) for a in before]
        logged = other.annotations.changes()
        again = import_w3c(session_of(other), files[pdf_book.id])
        assert (again.imported, len(again.skipped), again.problems) == ([], 6, [])
        assert other.annotations.changes() == logged  # nothing written the second time
    finally:
        other.close()


def test_a_bad_w3c_item_costs_one_line_and_the_rest_is_imported(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    pdf = make_book_pdf(tmp_path)
    book = add_book(library, worker, pdf)
    source = tmp_path / "good.jsonld"
    mark = library.annotations.create(
        book.id,
        HIGHLIGHT,
        Anchor(page=1, quads=((1.0, 2.0, 3.0, 4.0),)),
        quote="x",
        color="blue",
        profile_id=PROFILE,
    )
    export_annotations(session_of(library), worker, book, "w3c", source)
    good = json.loads(source.read_text(encoding="utf-8"))["first"]["items"][0]
    library.annotations.delete(mark.id)

    def variant(**changes: object) -> dict[str, object]:
        item = json.loads(json.dumps(good))
        item["id"] = uuid.uuid4().urn
        item.update(changes)
        return item

    target = good["target"]
    items = [
        "not an object",
        variant(motivation="tagging"),
        variant(target={"source": "https://example.org/book"}),
        variant(target=target | {"source": "urn:sha256:" + "0" * 64}),
        variant(
            target=target
            | {
                "selector": [
                    {"type": "FragmentSelector", "conformsTo": fragment_rfc(), "value": "page=99"}
                ]
            }
        ),
        variant(
            target=target
            | {
                "selector": [
                    {
                        "type": "FragmentSelector",
                        "conformsTo": fragment_rfc(),
                        "value": "page=2",
                        "mutolaa:quads": [[1, 2, "x", 4]],
                    }
                ]
            }
        ),
        variant(created="yesterday"),
        variant(**{"mutolaa:parent": "urn:uuid:" + "9" * 32}),
        good,
    ]
    bad_file = tmp_path / "mixed.jsonld"
    bad_file.write_text(json.dumps(items), encoding="utf-8")
    logged = library.annotations.changes()
    result = import_w3c(session_of(library), bad_file)
    assert result.skipped == [mark.id]  # already there (deleted): never brought back
    assert result.imported == []
    assert library.annotations.changes() == logged  # no bad item changed anything
    messages = result.problems
    assert len(messages) == 8
    for number, words in enumerate(
        [
            "is a string, not an annotation object",
            "motivation 'tagging' is not highlighting, commenting or bookmarking",
            "no target with a source urn:sha256:",
            "is not in this library; import the book first",
            "page 99 is beyond the book's 5 pages",
            "every box of mutolaa:quads must be four numbers",
            "created: 'yesterday' is not an ISO 8601 date and time",
            "which is neither in the file nor in the library",
        ],
        1,
    ):
        line = messages[number - 1]
        assert line.startswith(f"{bad_file}: item {number}"), line
        assert words in line, line
        assert "\n" not in line

    fresh = dict(good, id="urn:uuid:" + "1" * 32)
    one = tmp_path / "one.jsonld"
    one.write_text(json.dumps({k: v for k, v in fresh.items() if k != "@context"}), "utf-8")
    with pytest.raises(UserError, match="no @context"):
        import_w3c(session_of(library), one)
    one.write_text(json.dumps(fresh), encoding="utf-8")  # one annotation alone
    assert [a.id for a in import_w3c(session_of(library), one).imported] == ["1" * 32]


def test_a_bad_items_line_stays_one_line_whatever_its_id_holds(
    library: Library, tmp_path: Path
) -> None:
    """Found by tests/property/test_w3c_import.py: the id, shown as a hint, broke the line."""
    path = tmp_path / "bad-id.jsonld"
    path.write_bytes(b'[{"type": "Annotation", "id": "a\\nb", "target": 5}]')
    result = import_w3c(session_of(library), path)
    assert len(result.problems) == 1
    assert result.problems[0].startswith(f"{path}: item 1 (a b): id 'a\\nb' is not an IRI")
    assert "\n" not in result.problems[0]


def fragment_rfc() -> str:
    return "http://tools.ietf.org/rfc/rfc3778"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"type": "AnnotationCollection",', "not JSON (line 1, column 33"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (
            b'{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",'
            b' "first": 7}',
            "no items list",
        ),
        (b"42", "neither an annotation nor a list"),
        (b"[" * 100_000, "JSON nested deeper than 100 levels"),  # issue 13 item 2
        (  # parseable by Python, but deeper than any annotation: refused as a whole
            b'{"type": "Annotation", "body": ' + b"[" * 300 + b"]" * 300 + b"}",
            "JSON nested deeper than 100 levels",
        ),
    ],
)
def test_an_unusable_w3c_file_is_one_clear_error(
    library: Library, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "bad.jsonld"
    path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        import_w3c(session_of(library), path)
    assert str(caught.value).startswith(f"{path}: ")
    assert words in str(caught.value)


def _annotations_of(path: Path) -> list[tuple[int, str, object, str, pymupdf.Rect, str]]:
    """(page, type, stroke colour, content, rect, NM) of every annotation in a PDF."""
    doc = pymupdf.open(path)
    found = []
    try:
        for number in range(doc.page_count):
            page = doc[number]  # kept alive while its annotations are read
            for annot in page.annots():
                found.append(
                    (
                        number,
                        annot.type[1],
                        tuple(round(c, 2) for c in annot.colors["stroke"]),
                        annot.info["content"],
                        annot.rect,
                        annot.info["id"],
                    )
                )
    finally:
        doc.close()
    return found


def _rgb(name: str) -> tuple[float, ...]:
    return tuple(round(c, 2) for c in HIGHLIGHT_RGB[name])


def test_an_annotated_pdf_copy_shows_highlights_notes_and_bookmarks_to_other_readers(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    path = make_book_pdf(tmp_path)
    book = add_book(library, worker, path)
    made = annotate_pdf(library, book, path)
    output = tmp_path / "annotated.pdf"
    result = export_annotations(session_of(library), worker, book, "pdf", output)
    assert result.annotations == 5  # two highlights + the detached one, a note, a bookmark
    found = _annotations_of(output)
    by_page = {(page, kind): rest for page, kind, *rest in found}
    color, content, rect, name = by_page[(1, "Highlight")]
    assert color == _rgb("yellow")
    assert content == "Imtihon uchun muhim"
    assert name == made["mark"].id
    quads = made["mark"].anchor.quads
    assert rect.contains(pymupdf.Rect(quads[0][0], quads[0][1], quads[-1][2], quads[-1][3]))
    assert by_page[(4, "Highlight")][0] == _rgb("green")
    assert by_page[(2, "Highlight")][0] == _rgb("pink")  # detached, still where it stood
    assert by_page[(3, "Text")][1] == "Samarqand haqida *koʻproq* oʻqish"
    assert len(found) == 4
    copy = pymupdf.open(output)
    try:
        toc = copy.get_toc()
        assert copy.page_count == len(PAGES)
        assert copy[1].get_text().startswith("Kutubxona bilim")  # the book itself is intact
    finally:
        copy.close()
    assert toc[: len(TOC)] == [list(entry) for entry in TOC]
    assert toc[len(TOC) :] == [[1, "Bookmarks (Mutolaa)", 1], [2, "Boshlanish", 1]]

    with pytest.raises(UserError, match=r"book's own file|inside the library"):
        export_annotations(session_of(library), worker, book, "pdf", library.store.file_path(book))
    epub_book = add_book(library, worker, make_book_epub(tmp_path))
    with pytest.raises(
        UserError, match=r"the book is EPUB, not PDF; an annotated copy can only be made"
    ):
        export_annotations(session_of(library), worker, epub_book, "pdf", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def make_annotated_pdf(folder: Path) -> Path:
    """A PDF that already holds a highlight with text, a sticky note, a reply and ink."""
    plain = make_book_pdf(folder, "plain.pdf")
    doc = pymupdf.open(plain)
    try:
        page = doc[1]
        boxes = boxes_of(plain, 1, "Kutubxona bilim")
        mark = page.add_highlight_annot(quads=[pymupdf.Rect(b).quad for b in boxes])
        mark.set_colors(stroke=(0.1, 0.9, 0.2))
        mark.set_info(
            content="Oʻqituvchi izohi", title="Teacher", creationDate="D:20240105103000+05'00'"
        )
        mark.update()
        sticky = page.add_text_annot((400, 300), "Sahifa haqida")
        sticky.update()
        reply = page.add_text_annot((420, 320), "Javob")
        reply.set_irt_xref(mark.xref)
        reply.update()
        box = boxes_of(plain, 3, "Samarqandda ochilgan.")
        ink = doc[3].add_ink_annot([[(box[0][0], box[0][3] + 2), (box[-1][2], box[-1][3] + 2)]])
        ink.set_colors(stroke=(0.0, 0.2, 1.0))
        ink.update()
        doc[0].insert_link(
            {"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(0, 0, 9, 9), "uri": "https://x.uz"}
        )
        out = folder / "izohli.pdf"
        doc.save(out)
    finally:
        doc.close()
    return out


def test_a_pdfs_own_annotations_are_adopted_once(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    path = make_annotated_pdf(tmp_path)
    book = add_book(library, worker, path)
    assert adopt_pdf_annotations(session_of(library), worker, book) == 5
    assert adopt_pdf_annotations(session_of(library), worker, book) == 0  # once
    with library.store.transaction() as db:  # even without the record, nothing twice
        db.execute("DELETE FROM meta WHERE key = ?", (adopted_meta_key(book.id, 1),))
    assert adopt_pdf_annotations(session_of(library), worker, book) == 0
    with library.store.transaction() as db:
        db.execute("INSERT INTO profiles(id, name, created_at) VALUES (2, 'Nodira', 0)")
    nodira = Session(library, 2)
    assert adopt_pdf_annotations(nodira, worker, book) == 5  # everyone's own

    adopted = library.annotations.of_book(book.id, profile_id=PROFILE)
    assert {a.origin for a in adopted} == {"pdf"}
    mark = next(a for a in adopted if a.kind == HIGHLIGHT and a.anchor.page == 1)
    assert (mark.quote, mark.color) == ("Kutubxona bilim", "green")
    assert mark.created_at == datetime.datetime(2024, 1, 5, 5, 30, tzinfo=datetime.UTC).timestamp()
    attached = sorted(a.body for a in adopted if a.parent_id == mark.id)
    assert attached == ["Javob", "Oʻqituvchi izohi"]
    sticky = next(a for a in adopted if a.kind == NOTE and a.parent_id is None)
    assert (sticky.body, sticky.anchor.page) == ("Sahifa haqida", 1)
    ink = next(a for a in adopted if a.anchor.page == 3)
    assert (ink.kind, ink.color, ink.quote) == (HIGHLIGHT, "blue", "Samarqandda ochilgan.")
    assert len(ink.anchor.quads) == 1

    library.annotations.delete(sticky.id)  # deleted stays deleted
    with library.store.transaction() as db:
        db.execute("DELETE FROM meta WHERE key = ?", (adopted_meta_key(book.id, 1),))
    assert adopt_pdf_annotations(session_of(library), worker, book) == 0
    assert library.annotations.get(sticky.id).deleted  # type: ignore[union-attr]

    # the annotated copy: the PDF's own objects stay, changed as the person changed them
    library.annotations.update(mark.id, color="pink")
    reply = next(a for a in adopted if a.body == "Javob")
    library.annotations.update(reply.id, body="Javob, tahrirlangan")
    library.annotations.create(
        book.id,
        HIGHLIGHT,
        Anchor(page=4, quads=boxes_of(path, 4, "Xulosa.")),
        color="blue",
        profile_id=PROFILE,
    )
    output = tmp_path / "copy.pdf"
    export_annotations(session_of(library), worker, book, "pdf", output)
    found = _annotations_of(output)
    kinds = sorted((page, kind) for page, kind, *_ in found)
    assert kinds == [(1, "Highlight"), (1, "Text"), (3, "Ink"), (4, "Highlight")]
    by_page = {(page, kind): rest for page, kind, *rest in found}
    assert by_page[(1, "Highlight")][0] == _rgb("pink")
    assert by_page[(1, "Highlight")][1] == "Oʻqituvchi izohi"
    assert by_page[(1, "Text")][1] == "Javob, tahrirlangan"
    assert by_page[(4, "Highlight")][0] == _rgb("blue")
    assert _annotations_of(path) != found  # the original is untouched: a copy was written


def test_books_without_pdf_annotations_adopt_nothing(
    library: Library, worker: DocumentWorker, tmp_path: Path
) -> None:
    epub = add_book(library, worker, make_book_epub(tmp_path))
    assert adopt_pdf_annotations(session_of(library), worker, epub) == 0
    plain = add_book(library, worker, make_book_pdf(tmp_path))
    assert adopt_pdf_annotations(session_of(library), worker, plain) == 0
    assert library.store.meta(adopted_meta_key(plain.id, 1)) == "0"
