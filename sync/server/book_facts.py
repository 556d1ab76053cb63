"""What the library server reads from one book file: its metadata and its cover.

`extract_book(path, ending)` reads an EPUB's package document, a FictionBook's title-info
(plain or zipped) and the metadata PyMuPDF gives any document, and draws a cover and a
thumbnail (PNG, at most 400 and 160 px high). It runs in the child process of
`sync.server.book_reader`, since MuPDF can crash or hang on a hostile file; `clean_text` and the
other helpers shape what the feeds carry.

This is the only module of the server that imports pymupdf, and only in the child process.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.book_metadata import (
    MAX_SUMMARY,
    BadBook,
    clean_text,
    epub_facts,
    fb2_facts,
    fb2_from_zip,
    issued_date,
    language_tag,
    split_authors,
)

COVER_HEIGHT = 400
THUMBNAIL_HEIGHT = 160


@dataclass(frozen=True)
class Extracted:
    """What the child process read from one file (no hash, no file facts)."""

    title: str = ""
    authors: tuple[str, ...] = ()
    language: str = ""
    summary: str = ""
    issued: str = ""
    cover_png: bytes = b""
    cover_size: tuple[int, int] = (0, 0)
    thumbnail_png: bytes = b""
    thumbnail_size: tuple[int, int] = (0, 0)


Extractor = Callable[[Path, str], Extracted]


# -- reading one file (in the child process) -------------------------------------------------


def _render(pymupdf: Any, doc: Any, height: int) -> tuple[bytes, tuple[int, int]]:
    page = doc[0]
    zoom = min(4.0, height / max(1.0, float(page.rect.height)))
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
    return bytes(pix.tobytes("png")), (int(pix.width), int(pix.height))


def extract_book(path: Path, ending: str) -> Extracted:
    """Read a book's metadata and draw its cover with PyMuPDF (run in the child process).

    Raises:
        BadBook: the file is empty, damaged or not a document.
    """
    import pymupdf as mupdf_module  # noqa: PLC0415 - only the child process loads MuPDF

    pymupdf: Any = mupdf_module  # PyMuPDF's annotations are partial
    if path.stat().st_size == 0:
        raise BadBook("the file is empty")
    facts, cover_image, fb2_data = _format_facts(path, ending)
    try:
        doc = pymupdf.open(stream=fb2_data, filetype="fb2") if fb2_data else pymupdf.open(path)
    except Exception as exc:  # MuPDF raises EmptyFileError, FileDataError, RuntimeError...
        raise BadBook(f"not a readable document ({' '.join(str(exc).split())[:120]})") from None
    try:
        meta = _check_document(doc)
        title, authors, language, summary = _metadata(doc, meta, facts)
        cover, cover_size, thumb, thumb_size = b"", (0, 0), b"", (0, 0)
        if not doc.needs_pass:
            cover, cover_size, thumb, thumb_size = _covers(pymupdf, doc, cover_image)
    finally:
        doc.close()
    return Extracted(
        title=clean_text(title),
        authors=tuple(clean_text(a) for a in authors if clean_text(a)),
        language=language_tag(language),
        summary=clean_text(summary, MAX_SUMMARY, lines=True),
        issued=issued_date(str(facts.get("issued", ""))),
        cover_png=cover,
        cover_size=cover_size,
        thumbnail_png=thumb,
        thumbnail_size=thumb_size,
    )


def _format_facts(path: Path, ending: str) -> tuple[dict[str, Any], bytes, bytes]:
    """What the book's own format says (EPUB, FB2), its cover image, and a zipped FB2's text.

    Raises:
        BadBook: a damaged archive.
    """
    facts: dict[str, Any] = {}
    cover_image = b""
    fb2_data = b""
    try:
        if ending == ".epub":
            facts, cover_image = epub_facts(path)
        elif ending in (".fb2.zip", ".fbz"):
            fb2_data = fb2_from_zip(path)
            facts = fb2_facts(fb2_data[: 4 << 20] if len(fb2_data) > 4 << 20 else fb2_data)
        elif ending == ".fb2":
            facts = fb2_facts(path.read_bytes())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError) as exc:
        raise BadBook(f"damaged archive ({type(exc).__name__})") from None
    return facts, cover_image, fb2_data


def _check_document(doc: Any) -> dict[str, Any]:
    """The metadata of an opened document that is a book (pages, not an image).

    Raises:
        BadBook: no pages, unreadable pages, or an image.
    """
    try:
        pages = int(doc.page_count)
    except Exception as exc:
        raise BadBook(f"damaged document ({' '.join(str(exc).split())[:120]})") from None
    if pages < 1:
        raise BadBook("the document has no pages")
    meta: dict[str, Any] = doc.metadata or {}
    if str(meta.get("format", "")).startswith("Image"):
        raise BadBook("an image, not a book")
    return meta


def _metadata(doc: Any, meta: dict[str, Any], facts: dict[str, Any]) -> tuple[str, Any, Any, Any]:
    """Title, authors, language and summary: the format's own facts first, then MuPDF's."""
    language = facts.get("language", "")
    if not language and doc.is_pdf:
        kind, value = doc.xref_get_key(doc.pdf_catalog(), "Lang")
        language = value.strip("()") if kind == "string" else ""
    title = facts.get("title") or clean_text(str(meta.get("title") or ""))
    authors = facts.get("authors") or split_authors(str(meta.get("author") or ""))
    summary = facts.get("summary") or (
        clean_text(str(meta.get("subject") or ""), MAX_SUMMARY, lines=True) if doc.is_pdf else ""
    )
    return str(title), tuple(authors), str(language), str(summary)


def _covers(
    pymupdf: Any, doc: Any, cover_image: bytes
) -> tuple[bytes, tuple[int, int], bytes, tuple[int, int]]:
    """The cover and the thumbnail (PNG, sizes), from the book's cover image or first page."""
    source = doc
    if cover_image:
        try:
            source = pymupdf.open(stream=cover_image)
        except Exception:  # a bad cover image: the first page will do
            source = doc
    cover, cover_size = _render(pymupdf, source, COVER_HEIGHT)
    thumb, thumb_size = _render(pymupdf, source, THUMBNAIL_HEIGHT)
    if source is not doc:
        source.close()
    return cover, cover_size, thumb, thumb_size


def quiet_mupdf() -> None:
    """Keep MuPDF's error and warning lines off the child process's standard output.

    Raises:
        ImportError: PyMuPDF is not installed.
    """
    import pymupdf as mupdf_module  # noqa: PLC0415 - only the child process loads MuPDF

    pymupdf: Any = mupdf_module
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
