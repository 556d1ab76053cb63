"""Importing a W3C Web Annotation file into a profile's annotations.

The file is untrusted: every item is checked (shape, book, page, attached-to annotation)
before anything is stored, a bad item costs one line saying what and where, and the rest
is imported. An annotation whose id is already in the library (live or deleted) is skipped,
so importing the same file twice adds nothing and never undoes a later edit or deletion.

Annotations other tools wrote often give their place by a quote only (``TextQuoteSelector``):
the quote (with its prefix and suffix) is looked for in the book's saved page texts; given a
MuPDF worker, the words' boxes (fixed pages) or the chapter position (reflowable books) are
found too. A quote the book does not hold is kept detached, at the first page; an annotation
with no place at all (of the whole book) stands at the first page.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import BadDocumentError, UserError
from app.core.models import Anchor, Annotation, Book
from app.core.quotes import locate
from app.documents.formats import REFLOWABLE_FORMATS
from app.documents.worker import DocumentWorker
from app.services.annotations.exports.w3c import (
    ItemError,
    ParsedAnnotation,
    items_of,
    parse_annotation,
)
from app.services.annotations.quotes import BookText, quote_boxes
from app.services.session import Library, Session
from sync.jsondoc import TooDeepError, loads

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass
class ImportResult:
    """What an import did: annotations added, ids already there, one line per bad item."""

    imported: list[Annotation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no item failed."""
        return not self.problems


def read_w3c_file(path: Path) -> list[object]:
    """The annotation objects of a W3C JSON-LD file.

    Raises:
        UserError: the file cannot be read, is not JSON, or is not a W3C annotation document.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(f"{path}: too large ({size / 2**20:.0f} MB; at most 64 MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        document = loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    except TooDeepError as exc:
        raise UserError(f"{path}: JSON {exc}") from None
    try:
        return items_of(document)
    except ItemError as exc:
        raise UserError(f"{path}: {exc}") from exc


def import_w3c(session: Session, path: Path, worker: DocumentWorker | None = None) -> ImportResult:
    """Import the annotations of a W3C JSON-LD file into the acting person's annotations.

    Items are numbered from 1 in the messages, in the order the file holds them. An item
    attached to another (``mutolaa:parent``) is imported after it. ``worker`` (MuPDF) finds
    the boxes or chapter position of an annotation placed by its quote only; without it such
    an annotation has its page only (the reader finds a reflowable book's quote again when
    the book is opened).

    Raises:
        UserError: the file as a whole is unusable (unreadable, not JSON, not W3C).
    """
    library, profile_id = session.library, session.profile_id
    result = ImportResult()
    parsed: list[tuple[int, ParsedAnnotation]] = []
    books: dict[str, Book | None] = {}
    texts: dict[str, BookText] = {}
    for number, item in enumerate(read_w3c_file(path), 1):
        try:
            annotation = parse_annotation(item)
            book = _check_book(library, annotation, books)
            if not annotation.placed:
                annotation = _place(library, book, annotation, texts, worker)
        except ItemError as exc:
            result.problems.append(f"{path}: item {number}{_id_hint(item)}: {exc}")
            continue
        parsed.append((number, annotation))

    in_file = {a.id for _n, a in parsed}
    done: set[str] = set()
    failed: set[str] = set()
    pending = parsed
    while pending:
        waiting = []
        for number, annotation in pending:
            parent = annotation.parent_id
            if parent is not None and parent in in_file and parent not in done | failed:
                waiting.append((number, annotation))
                continue
            where = f"{path}: item {number} ({annotation.id})"
            if parent is not None and parent in failed:
                result.problems.append(
                    f"{where}: the annotation it is attached to was not imported"
                )
                failed.add(annotation.id)
                continue
            if library.annotations.get(annotation.id) is not None:
                result.skipped.append(annotation.id)
                done.add(annotation.id)
                continue
            if parent is not None and library.annotations.get(parent) is None:
                result.problems.append(
                    f"{where}: attached to {parent}, which is neither in the file nor in "
                    "the library"
                )
                failed.add(annotation.id)
                continue
            result.imported.append(_store(library, annotation, profile_id))
            done.add(annotation.id)
        if len(waiting) == len(pending):  # attached to each other in a circle
            for number, annotation in waiting:
                result.problems.append(
                    f"{path}: item {number} ({annotation.id}): attached in a circle"
                )
            break
        pending = waiting
    return result


def _id_hint(item: object) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f" ({' '.join(item['id'].split())[:80]})"  # one line, whatever the id holds
    return ""


def _check_book(
    library: Library, annotation: ParsedAnnotation, books: dict[str, Book | None]
) -> Book:
    if annotation.book_id not in books:
        books[annotation.book_id] = library.store.get(annotation.book_id)
    book = books[annotation.book_id]
    if book is None:
        raise ItemError(
            f"its book {annotation.book_id[:10]}… is not in this library; import the book first"
        )
    if book.page_count > 0 and annotation.anchor.page >= book.page_count:
        raise ItemError(
            f"page {annotation.anchor.page + 1} is beyond the book's {book.page_count} pages"
        )
    return book


def _place(
    library: Library,
    book: Book,
    annotation: ParsedAnnotation,
    texts: dict[str, BookText],
    worker: DocumentWorker | None,
) -> ParsedAnnotation:
    """Place an annotation no selector placed: by its quote in the book's text; at the first
    page when it has none (an annotation of the whole book) or the book does not hold it
    (then detached, as an annotation whose text is gone)."""
    anchor = annotation.anchor
    if not annotation.quote.strip():
        return annotation
    if book.id not in texts:
        texts[book.id] = BookText([(p.page, p.text) for p in library.store.pages(book.id)])
    found = texts[book.id].find(annotation.quote, anchor.prefix, anchor.suffix)
    if found is None:
        return dataclasses.replace(annotation, detached=True)
    page, start, _end = found
    placed = dataclasses.replace(anchor, page=page)
    if worker is not None and not book.encrypted:
        try:
            placed = _exact(library, book, annotation.quote, placed, start=start, worker=worker)
        except (BadDocumentError, UserError) as exc:  # the page is known: that will do
            log.info("%s: the quote's exact place was not found (%s)", book.short_id, exc)
    return dataclasses.replace(annotation, anchor=placed)


def _exact(
    library: Library,
    book: Book,
    quote: str,
    anchor: Anchor,
    *,
    start: int,
    worker: DocumentWorker,
) -> Anchor:
    """The quote's boxes on its page (fixed pages), or its chapter position (reflowable)."""
    path = library.store.file_path(book)
    if book.format not in REFLOWABLE_FORMATS:
        words = worker.words(path, anchor.page)
        return dataclasses.replace(
            anchor, quads=quote_boxes(words, quote, anchor.prefix, anchor.suffix)
        )
    chapter, before = worker.page_places(path, [anchor.page])[0]
    text = worker.chapter_text(path, chapter)
    span = locate(text, quote, prefix=anchor.prefix, suffix=anchor.suffix, near=before + start)
    if span is None:
        return anchor
    return dataclasses.replace(anchor, chapter=chapter, start=span[0], end=span[1])


def _store(library: Library, annotation: ParsedAnnotation, profile_id: int) -> Annotation:
    """Save an imported annotation as it was (detached ones too), in one logged change."""
    created = annotation.created_at if annotation.created_at is not None else time.time()
    # the file's modified is kept (it is data, like created; the sync orders by its log)
    return library.annotations.add(
        Annotation(
            id=annotation.id,
            profile_id=profile_id,
            book_id=annotation.book_id,
            kind=annotation.kind,
            anchor=annotation.anchor,
            quote=annotation.quote,
            color=annotation.color,
            body=annotation.body,
            parent_id=annotation.parent_id,
            created_at=created,
            detached=annotation.detached,
            origin=annotation.origin,
        ),
        updated_at=annotation.modified_at,
    )
