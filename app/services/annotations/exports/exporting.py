"""One entry point for exporting a book's annotations to a file, in any of the formats."""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import BadDocumentError, UserError
from app.core.models import Annotation, Book
from app.documents.worker import DocumentWorker
from app.services.annotations.exports.epub_cfi import CfiError, EpubCfi
from app.services.annotations.exports.markdown import export_markdown
from app.services.annotations.exports.output import check_output, write_atomically
from app.services.annotations.exports.pdf_copy import write_annotated_pdf
from app.services.annotations.exports.w3c import CfiOf, to_w3c
from app.services.session import Library, Session

log = logging.getLogger(__name__)
FORMATS = ("md", "w3c", "pdf")


@dataclass(frozen=True)
class ExportResult:
    """A written export: where, in which format, how many annotations it holds."""

    path: Path
    format: str
    annotations: int
    skipped: int = 0  # annotations that had no place in it (a highlight without boxes)


def export_annotations(
    session: Session,
    worker: DocumentWorker,
    book: Book,
    fmt: str,
    output: Path,
    *,
    accessed: datetime.date | None = None,
) -> ExportResult:
    """Write one profile's annotations of ``book`` to ``output`` as ``fmt`` (md, w3c, pdf).

    The file appears whole or not at all (written beside it, then renamed).

    Raises:
        UserError: unknown format, a bad output path, or a format the book cannot have.
        BadDocumentError: MuPDF cannot read the book or write the copy (pdf).
    """
    library, profile_id = session.library, session.profile_id
    if fmt not in FORMATS:
        raise UserError(f"{fmt!r}: not an export format (one of {', '.join(FORMATS)})")
    if fmt == "pdf":
        copy = write_annotated_pdf(session, worker, book, output)
        return ExportResult(copy.path, fmt, copy.written + copy.changed, copy.skipped)
    target = check_output(library, book, output)
    annotations = library.annotations.of_book(book.id, profile_id)
    if fmt == "md":
        labels = _labels(library, worker, book, sorted({a.anchor.page for a in annotations}))
        text = export_markdown(book, annotations, accessed or datetime.date.today(), labels)
        data = text.encode("utf-8")
    else:
        with contextlib.ExitStack() as stack:
            cfi = _cfi_of(library, book, stack)
            document = to_w3c(book, annotations, profile_id, cfi)
        data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    write_atomically(target, data)
    return ExportResult(target, fmt, len(annotations))


def _cfi_of(library: Library, book: Book, stack: contextlib.ExitStack) -> CfiOf | None:
    """The EPUB CFI of each annotation of an EPUB book (none for other books, or when the
    file's package cannot be read: the export then holds our own chapter positions only)."""
    if book.format != "epub" or book.encrypted:
        return None
    try:
        epub = stack.enter_context(EpubCfi.open(library.store.file_path(book)))
    except CfiError as exc:
        log.info("%s: no EPUB CFIs in the export (%s)", book.short_id, exc)
        return None

    def cfi(annotation: Annotation) -> str | None:
        anchor = annotation.anchor
        return epub.cfi(
            anchor.chapter,
            anchor.start,
            anchor.end,
            quote=annotation.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
        )

    return cfi


def _labels(
    library: Library, worker: DocumentWorker, book: Book, pages: list[int]
) -> dict[int, str]:
    """The PDF's page labels of ``pages``, or none (they are a nicety, never a failure)."""
    if book.format != "pdf" or book.encrypted or not pages:
        return {}
    try:
        return worker.page_labels(library.store.file_path(book), pages)
    except (BadDocumentError, UserError) as exc:
        log.info("%s: no page labels (%s)", book.short_id, exc)
        return {}
