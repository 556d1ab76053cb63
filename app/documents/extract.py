"""What the worker process does with PyMuPDF: open, describe, read pages, draw covers.

Runs only inside the worker process (see ``worker.py``), so a crash or hang in MuPDF on a
hostile file costs that file alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf

from app.core.errors import BadDocumentError, UserError
from app.core.models import DocumentInfo, PageText, TocEntry
from app.core.textfold import detect_language
from app.documents.declared import declared
from app.documents.formats import check_content, format_name
from app.documents.password import password_candidates
from app.documents.textrepair import looks_like_mojibake, needs_ocr, repair_mojibake

log = logging.getLogger(__name__)
COVER_WIDTH = 240
#: MuPDF cannot set ruby readings above their text: it inlines them into the sentence
#: ("山路やまみちを…"), on screen and in the extracted text alike. Leaving them out keeps the
#: text readable and searchable, and the same in every process (import and reader lay the
#: pages out alike).
READING_CSS = "rt, rp { display: none }"
#: MuPDF lays a TXT book out as one ``<pre>`` in its monospace font, hard to read for a book:
#: a TXT book is set in the reading font, its lines and spaces kept (long ones wrap).
TXT_CSS = READING_CSS + " pre { font-family: serif; white-space: pre-wrap }"


def _reading_css(path: Path) -> None:
    """Give MuPDF the stylesheet for the book about to be opened. It is one for the whole
    process, but MuPDF reads it when a document is opened (a layout again keeps it), so the TXT
    rule changes TXT books alone: an EPUB's own ``<pre>`` (program code) stays monospace."""
    pymupdf.mupdf.fz_set_user_css(TXT_CSS if path.suffix.lower() == ".txt" else READING_CSS)


def quiet_mupdf() -> None:
    """Send MuPDF's messages to logging instead of stdout (they would corrupt --json)."""
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    pymupdf.set_messages(pylogging=True, pylogging_level=logging.DEBUG)


def open_document(path: Path, password: str | None = None) -> tuple[Any, bool]:
    """Open a document, authenticating it when it is encrypted and a password is given.

    Returns the document and whether it is still locked.

    Raises:
        BadDocumentError: the file cannot be read as a book.
        UserError: the password is wrong.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise BadDocumentError(f"cannot read the file ({exc.strerror})") from exc
    check_content(path, head)
    _reading_css(path)
    try:
        doc = pymupdf.open(path)
    except pymupdf.EmptyFileError as exc:
        raise BadDocumentError("the file is empty") from exc
    except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
        raise BadDocumentError(f"not a readable document ({_reason(exc)})") from exc
    # needs_pass must be read once, before authenticate(): reading it afterwards breaks
    # decryption in MuPDF 1.28 (pages extract empty).
    locked = bool(doc.needs_pass)
    if locked and password is not None:
        if not any(doc.authenticate(c) for c in password_candidates(password)):
            doc.close()
            raise UserError("wrong password")
        locked = False
    return doc, locked


def describe(path: Path, password: str | None = None) -> DocumentInfo:
    """Read format, page count, metadata and table of contents.

    Raises:
        BadDocumentError: damaged, empty, unsupported, or without pages.
    """
    doc, locked = open_document(path, password)
    try:
        kind = format_name(str((doc.metadata or {}).get("format") or ""), path)
        if locked:
            return DocumentInfo(format=kind, page_count=0, title="", authors=(), encrypted=True)
        try:
            count = int(doc.page_count)
        except RuntimeError as exc:
            raise BadDocumentError(f"damaged document ({_reason(exc)})") from exc
        if count <= 0:
            raise BadDocumentError("the document has no pages (damaged file?)")
        own = declared(doc, path, kind)  # the caller falls back to the file's name
        return DocumentInfo(
            format=kind,
            page_count=count,
            title=own.title,
            authors=own.authors,
            encrypted=bool(doc.is_encrypted) or password is not None,
            toc=_toc(doc, count),
            language=own.language,
        )
    finally:
        doc.close()


def cover_png(path: Path, password: str | None = None) -> bytes | None:
    """A PNG thumbnail of the first page, or None when there is nothing to draw."""
    doc, locked = open_document(path, password)
    try:
        if locked or doc.page_count < 1:
            return None
        page = doc[0]
        width = max(1.0, float(page.rect.width))
        zoom = min(4.0, COVER_WIDTH / width)
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        return bytes(pix.tobytes("png"))
    finally:
        doc.close()


def page_texts(path: Path, start: int, password: str | None = None) -> Iterator[PageText]:
    """Yield the repaired, language-labelled text of every page from ``start`` on.

    A page MuPDF cannot read is yielded with ``failed=True`` and the rest goes on.
    """
    doc, locked = open_document(path, password)
    try:
        if locked:
            raise UserError("the document is encrypted; unlock it first")
        for number in range(start, doc.page_count):
            yield read_page(doc, number)
    finally:
        doc.close()


def read_page(doc: Any, number: int) -> PageText:
    """Extract and clean one page of an open document."""
    try:
        page = doc[number]
        text = page.get_text(sort=False)
    except (RuntimeError, ValueError) as exc:
        log.info("page %d unreadable: %s", number + 1, _reason(exc))
        return PageText(page=number, text="", failed=True)
    repaired = False
    if looks_like_mojibake(text):
        text = repair_mojibake(text)
        repaired = True
    if len(text.strip()) < 16:
        try:
            has_images = bool(page.get_images(full=False)) or bool(page.get_drawings()[:1])
        except (RuntimeError, ValueError):
            has_images = False
        if needs_ocr(text, has_images):
            return PageText(page=number, text=text, needs_ocr=True)
    return PageText(page=number, text=text, lang=detect_language(text), repaired=repaired)


def _toc(doc: Any, page_count: int) -> tuple[TocEntry, ...]:
    try:
        raw = doc.get_toc(simple=True)
    except (RuntimeError, ValueError) as exc:
        log.info("table of contents unreadable: %s", _reason(exc))
        return ()
    entries = []
    for level, title, page in raw[:5000]:
        if isinstance(level, int) and isinstance(page, int):
            clean = " ".join(str(title).split())
            entries.append(TocEntry(level, clean, page if 0 < page <= page_count else -1))
    return tuple(entries)


_OPEN_FAILED = re.compile(r"Failed to open file .* as type (\w+)\.?")


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = _OPEN_FAILED.sub(lambda m: f"MuPDF cannot open it as {m.group(1).upper()}", text)
    return text[:160] if text else type(exc).__name__
