"""An annotated copy of a PDF: the book with a profile's annotations as real PDF annotations.

Highlights become PDF Highlight annotations in their colour, with the notes attached to
them as their text (shown in a popup by other readers); notes on a page become Text
annotations (a note icon with a popup); bookmarks become outline entries under "Bookmarks
(Mutolaa)". Annotations the PDF held itself and the profile adopted
(``app/services/annotations/pdf_annotations.py``) stay the PDF's own objects (an ink drawing stays a
drawing), changed where the person changed them and removed where they were deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import UserError
from app.core.models import Annotation, AnnotationKind, Book
from app.documents.annotation_records import (
    MARKUP_TYPES,
    ExistingEdit,
    FoundAnnotation,
    MarkToWrite,
    color_rgb,
    nearest_color,
)
from app.documents.worker import DocumentWorker
from app.services.annotations.exports.output import atomic_target, check_output
from app.services.annotations.exports.threads import threads
from app.services.annotations.pdf_annotations import adopted_id
from app.services.session import Session


@dataclass(frozen=True)
class PdfCopyPlan:
    """What to write into the copy: new annotations, and changes to the PDF's own."""

    marks: list[MarkToWrite]
    edits: list[ExistingEdit]
    skipped: list[str]  # ids of annotations that have no place on a page


@dataclass(frozen=True)
class PdfCopyResult:
    """What an annotated copy holds."""

    path: Path
    written: int
    changed: int
    removed: int
    skipped: int


def _joined(texts: Sequence[str]) -> str:
    return "\n\n".join(t.strip() for t in texts if t.strip())


def plan_pdf_copy(
    book_id: str,
    profile_id: int,
    live: Sequence[Annotation],
    adopted: dict[str, Annotation],
    found: Sequence[FoundAnnotation],
) -> PdfCopyPlan:
    """Decide the copy's annotations.

    Args:
        book_id: the book.
        profile_id: whose annotations.
        live: the profile's live annotations of the book, in book order.
        adopted: stored annotations (live or deleted) by id, for the ids derived from
            ``found`` (``adopted_id``).
        found: the annotations the PDF holds itself.
    """
    edits: list[ExistingEdit] = []
    kept: dict[str, FoundAnnotation] = {}  # annotation id -> the PDF's own annotation
    for item in found:
        main_id = adopted_id(book_id, profile_id, item.page, item.xref)
        main = adopted.get(main_id)
        if main is None:
            continue  # never adopted by this profile: the copy keeps it untouched
        moved = item.type in MARKUP_TYPES and item.type != "Ink" and main.anchor.quads != item.quads
        if main.deleted or moved:
            edits.append(ExistingEdit(item.xref, remove=True))
            continue
        kept[main_id] = item
    own_objects = {i for i, item in kept.items() if item.type not in MARKUP_TYPES}

    marks: list[MarkToWrite] = []
    skipped: list[str] = []
    for thread in threads(live):
        head = thread.head
        extra = [n for n in thread.notes if n.id not in own_objects]
        for note in thread.notes:
            if note.id in own_objects:
                item = kept[note.id]
                if note.body != item.content:
                    edits.append(ExistingEdit(item.xref, content=note.body))
        texts = (
            [head.body] + [n.body for n in extra] if head.kind != AnnotationKind.BOOKMARK else []
        )
        content = _joined(texts)
        if head.id in kept:
            item = kept[head.id]
            color = None
            if item.type in MARKUP_TYPES and head.color and head.color != nearest_color(item.color):
                color = color_rgb(head.color)
            if content != item.content.strip() or color is not None:
                edits.append(ExistingEdit(item.xref, color=color, content=content))
            continue
        mark = _mark(head, content)
        if mark is None:
            skipped.append(head.id)
        else:
            marks.append(mark)
    return PdfCopyPlan(marks, edits, skipped)


def _mark(head: Annotation, content: str) -> MarkToWrite | None:
    anchor = head.anchor
    if head.kind == AnnotationKind.HIGHLIGHT and not anchor.quads:
        return None
    kind = {AnnotationKind.HIGHLIGHT: "highlight", AnnotationKind.NOTE: "note"}
    return MarkToWrite(
        kind=kind.get(head.kind, "bookmark"),
        page=anchor.page,
        quads=anchor.quads,
        color=color_rgb(head.color) if head.kind == AnnotationKind.HIGHLIGHT else None,
        content=head.body.strip() if head.kind == AnnotationKind.BOOKMARK else content,
        name=head.id,
        created=head.created_at,
        modified=head.updated_at,
    )


def write_annotated_pdf(
    session: Session,
    worker: DocumentWorker,
    book: Book,
    output: Path,
) -> PdfCopyResult:
    """Write an annotated copy of a PDF book to ``output`` (atomically).

    Raises:
        UserError: the book is not a PDF, is encrypted, or ``output`` is not a place to write.
        BadDocumentError: MuPDF cannot read the book or write the copy.
    """
    library, profile_id = session.library, session.profile_id
    if book.format != "pdf":
        raise UserError(
            f"{book.short_id}: the book is {book.format.upper()}, not PDF; an annotated copy "
            "can only be made of a PDF (use --format md or w3c)"
        )
    if book.encrypted:
        raise UserError(f"{book.short_id}: is encrypted; an annotated copy cannot be made of it")
    target = check_output(library, book, output)
    source = library.store.file_path(book)
    found = worker.read_annotations(source)
    adopted: dict[str, Annotation] = {}
    for item in found:
        annotation = library.annotations.get(adopted_id(book.id, profile_id, item.page, item.xref))
        if annotation is not None:
            adopted[annotation.id] = annotation
    live = library.annotations.of_book(book.id, profile_id)
    plan = plan_pdf_copy(book.id, profile_id, live, adopted, found)
    try:
        with atomic_target(target) as temp:
            written = worker.write_annotated(source, temp, plan.marks, plan.edits)
    except OSError as exc:
        raise UserError(f"{output}: cannot write ({exc.strerror or exc})") from exc
    return PdfCopyResult(
        path=target,
        written=written,
        changed=sum(1 for e in plan.edits if not e.remove),
        removed=sum(1 for e in plan.edits if e.remove),
        skipped=len(plan.skipped),
    )
