"""Annotations a PDF holds itself, adopted once into a profile's annotations.

A PDF's highlights, text markups (underline, strike-out, squiggly) and ink drawings become
highlights (ink: over its bounding box, with the words under it as the quote); its text
notes become notes on their page, or notes attached to the highlight they answer
(``/IRT``); the text inside a highlight becomes a note attached to it. All have
``origin="pdf"``. Their ids are derived from the profile, the book, the page and the PDF
object number (book files never change), so adopting twice adds nothing, and an adopted
annotation the person deleted stays deleted (its tombstone keeps the id).

The import adopts them for the person importing (``Importer(..., profile_id=...)``), so the
command line, the exports, the search and the sync see them at once; the window adopts them
for every other profile when it first opens the book.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from app.core.models import Anchor, Annotation, AnnotationKind, Book
from app.documents.annotation_records import (
    MARKUP_TYPES,
    NOTE_TYPES,
    FoundAnnotation,
    nearest_color,
)
from app.documents.worker import DocumentWorker
from app.services.session import Library, Session

ORIGIN = "pdf"
_IDS = uuid.UUID("6b1d8f62-2f4e-5d0e-8a57-3f1c2b9e7d40")  # uuid5 namespace of adopted ids


def adopted_meta_key(book_id: str, profile_id: int) -> str:
    """The library fact recording that a profile has adopted a book's PDF annotations."""
    return f"pdf_annotations_adopted:{profile_id}:{book_id}"


def adopted_id(book_id: str, profile_id: int, page: int, xref: int, part: str = "") -> str:
    """The id of the annotation adopted from the PDF object ``xref`` on ``page``.

    ``part`` is ``"note"`` for the note made from a highlight's own text.
    """
    return uuid.uuid5(_IDS, f"{profile_id}:{book_id}:{page}:{xref}:{part}").hex


def plan_adoption(book_id: str, profile_id: int, found: list[FoundAnnotation]) -> list[Annotation]:
    """The annotations ``found`` in a PDF become (not stored; parents before their notes)."""
    now = time.time()
    markups = {f.xref: f for f in found if f.type in MARKUP_TYPES}
    planned: list[Annotation] = []
    notes: list[Annotation] = []

    def make(
        item: FoundAnnotation,
        kind: AnnotationKind,
        part: str = "",
        *,
        anchor: Anchor | None = None,
        quote: str = "",
        color: str = "",
        body: str = "",
        parent_id: str | None = None,
    ) -> Annotation:
        created = item.created if item.created is not None else item.modified
        return Annotation(
            id=adopted_id(book_id, profile_id, item.page, item.xref, part),
            profile_id=profile_id,
            book_id=book_id,
            kind=kind,
            anchor=anchor or Anchor(page=item.page, quads=item.quads),
            quote=quote,
            color=color,
            body=body,
            parent_id=parent_id,
            created_at=created if created is not None else now,
            updated_at=now,
            origin=ORIGIN,
        )

    for item in found:
        if item.type in MARKUP_TYPES:
            mark = make(
                item, AnnotationKind.HIGHLIGHT, quote=item.quote, color=nearest_color(item.color)
            )
            planned.append(mark)
            if item.content.strip():
                notes.append(
                    make(item, AnnotationKind.NOTE, "note", body=item.content, parent_id=mark.id)
                )
        elif item.type in NOTE_TYPES:
            parent = markups.get(item.in_reply_to)
            if parent is not None:
                notes.append(
                    make(
                        item,
                        AnnotationKind.NOTE,
                        anchor=Anchor(page=parent.page, quads=parent.quads),
                        body=item.content,
                        parent_id=adopted_id(book_id, profile_id, parent.page, parent.xref),
                    )
                )
            else:
                planned.append(make(item, AnnotationKind.NOTE, body=item.content))
    return planned + notes


def adopt_pdf_annotations(
    session: Session,
    worker: DocumentWorker,
    book: Book,
    password: str | None = None,
) -> int:
    """Adopt the annotations inside a PDF into the acting person's annotations, once.

    The window calls it when a book is opened (on a worker thread), for the profiles that
    did not import the book; after the first run for a profile and book it only reads one
    library fact. Returns how many annotations were added.

    Raises:
        BadDocumentError: MuPDF cannot read the file (nothing is recorded; a later call
            tries again).
    """
    return adopt_for_profile(session.library, session.profile_id, worker, book, password)


def adopt_for_profile(
    library: Library,
    profile_id: int,
    worker: DocumentWorker,
    book: Book,
    password: str | None = None,
) -> int:
    """Adopt a PDF's own annotations into ``profile_id``'s annotations, once (the import
    calls it for the person importing). Returns how many annotations were added.

    Raises:
        BadDocumentError: MuPDF cannot read the file (nothing is recorded; a later call
            tries again).
    """
    if book.format != "pdf" or (book.encrypted and password is None):
        return 0
    key = adopted_meta_key(book.id, profile_id)
    if library.store.meta(key) is not None:
        return 0
    found = worker.read_annotations(Path(library.store.file_path(book)), password)
    added = 0
    for annotation in plan_adoption(book.id, profile_id, found):
        if library.annotations.get(annotation.id) is not None:
            continue  # adopted before (maybe since deleted): never twice
        library.annotations.create(
            book.id,
            annotation.kind,
            annotation.anchor,
            quote=annotation.quote,
            color=annotation.color,
            body=annotation.body,
            parent_id=annotation.parent_id,
            origin=ORIGIN,
            profile_id=profile_id,
            annotation_id=annotation.id,
            created_at=annotation.created_at,
        )
        added += 1
    library.store.set_meta(key, str(len(found)))
    return added
