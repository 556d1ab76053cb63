"""What the library server reads from one book file: its metadata and its cover.

`extract_book(path, ending)` reads an EPUB's package document, a FictionBook's title-info
(plain or zipped) and the metadata PyMuPDF gives any document, and draws a cover and a
thumbnail (PNG, at most 400 and 160 px high). It runs in the child process of
`sync.server.book_reader`, since MuPDF can crash or hang on a hostile file; `clean_text` and the
other helpers shape what the feeds carry.

This is the only module of the server that imports pymupdf, and only in the child process.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_tree

COVER_HEIGHT = 400
THUMBNAIL_HEIGHT = 160
#: The most bytes read from one member of an EPUB or zipped FB2 (a zip bomb stops here).
MAX_MEMBER = 64 * 1024 * 1024
MAX_TITLE = 500
MAX_SUMMARY = 4000

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ISSUED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_FB2 = "{http://www.gribuser.ru/xml/fictionbook/2.0}"


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


class BadBook(Exception):
    """A file that cannot be served as a book; the message says why in a few words."""


Extractor = Callable[[Path, str], Extracted]


def clean_text(text: str, limit: int = MAX_TITLE, *, lines: bool = False) -> str:
    """Text a feed can carry: NFC, no characters XML forbids, white space collapsed (one line
    unless `lines`), at most `limit` characters."""
    text = _XML_INVALID.sub("", unicodedata.normalize("NFC", text))
    if not lines:
        text = " ".join(text.split())
    kept = [" ".join(line.split()) for line in text.splitlines()]
    joined = "\n".join(line for line in kept if line)
    return joined if len(joined) <= limit else joined[: limit - 1].rstrip() + "…"


def language_tag(value: str) -> str:
    """A BCP 47 tag with the usual casing ("UZ-cyrl" → "uz-Cyrl"), "" when it is not one."""
    parts = [part for part in value.strip().replace("_", "-").split("-") if part]
    if not parts or not parts[0].isalpha() or not 2 <= len(parts[0]) <= 8:
        return ""
    shaped = [parts[0].lower()]
    for part in parts[1:]:
        if not part.isalnum() or len(part) > 8:
            break
        if len(part) == 4 and part.isalpha():
            shaped.append(part.title())
        elif len(part) == 2 and part.isalpha():
            shaped.append(part.upper())
        else:
            shaped.append(part.lower())
    return "-".join(shaped)


def issued_date(value: str) -> str:
    """The "YYYY", "YYYY-MM" or "YYYY-MM-DD" at the start of a date, "" when there is none."""
    match = _ISSUED.match(value.strip())
    if not match:
        return ""
    text = match.group(0)
    try:  # a month 13 or a day 32 would make readers drop the whole entry
        parts = [int(p) for p in text.split("-")]
        datetime(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return ""
    return text


def split_authors(text: str) -> tuple[str, ...]:
    """Author names from one metadata field ("A; B", "A & B", "A and B")."""
    for separator in (";", "&", " and "):
        if separator in text:
            return tuple(n for part in text.split(separator) if (n := clean_text(part)))
    name = clean_text(text)
    return (name,) if name else ()


# -- reading one file (in the child process) -------------------------------------------------


def _read_member(archive: zipfile.ZipFile, name: str, limit: int = MAX_MEMBER) -> bytes:
    with archive.open(name) as source:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise BadBook(f"{name} inside the archive is larger than {limit // (1024 * 1024)} MB")
    return data


def _xml(data: bytes, what: str) -> Element:
    try:
        root: Element = safe_tree.fromstring(data, forbid_dtd=False, forbid_entities=True)
    except Exception as exc:  # defusedxml and ElementTree raise several kinds
        raise BadBook(f"{what} is not readable XML ({type(exc).__name__})") from None
    return root


def _texts(root: Element, path: str) -> list[str]:
    return [clean_text("".join(e.itertext())) for e in root.iterfind(path)]


def _epub_facts(path: Path) -> tuple[dict[str, Any], bytes]:
    """The OPF metadata of an EPUB (title, creators, language, description, date) and its
    cover image's bytes (b"" when it declares none)."""
    with zipfile.ZipFile(path) as archive:
        container = _xml(_read_member(archive, "META-INF/container.xml", 1 << 20), "container")
        rootfile = container.find(f".//{_CONTAINER}rootfile")
        if rootfile is None or not rootfile.get("full-path"):
            raise BadBook("the EPUB has no package document")
        opf_name = str(rootfile.get("full-path"))
        opf = _xml(_read_member(archive, opf_name, 8 << 20), "the package document")
        metadata = opf.find(f"{_OPF}metadata")
        facts: dict[str, Any] = {}
        if metadata is not None:
            facts = {
                "title": next(iter(_texts(metadata, f"{_DC}title")), ""),
                "authors": tuple(n for n in _texts(metadata, f"{_DC}creator") if n),
                "language": next(iter(_texts(metadata, f"{_DC}language")), ""),
                "summary": next(
                    (
                        clean_text("".join(e.itertext()), MAX_SUMMARY, lines=True)
                        for e in metadata.iterfind(f"{_DC}description")
                    ),
                    "",
                ),
                "issued": next(iter(_texts(metadata, f"{_DC}date")), ""),
            }
        cover = b""
        href = _epub_cover_href(opf)
        if href:
            member = posixpath.normpath(posixpath.join(posixpath.dirname(opf_name), unquote(href)))
            if member in archive.namelist():
                cover = _read_member(archive, member, 16 << 20)
    return facts, cover


def _epub_cover_href(opf: Element) -> str:
    manifest = opf.find(f"{_OPF}manifest")
    if manifest is None:
        return ""
    items = list(manifest.iterfind(f"{_OPF}item"))
    for item in items:  # EPUB 3
        if "cover-image" in (item.get("properties") or "").split():
            return str(item.get("href") or "")
    cover_id = ""
    for meta in opf.iterfind(f"{_OPF}metadata/{_OPF}meta"):  # EPUB 2
        if meta.get("name") == "cover":
            cover_id = str(meta.get("content") or "")
    for item in items:
        if cover_id and item.get("id") == cover_id:
            return str(item.get("href") or "")
    return ""


def _fb2_facts(data: bytes) -> dict[str, Any]:
    """Language, annotation, date and authors of a FictionBook's title-info."""
    root = _xml(data, "the FictionBook")
    info = root.find(f"{_FB2}description/{_FB2}title-info")
    if info is None:
        return {}
    authors = []
    for author in info.iterfind(f"{_FB2}author"):
        parts = [
            "".join(author.findtext(f"{_FB2}{part}") or "")
            for part in ("first-name", "middle-name", "last-name")
        ]
        name = clean_text(" ".join(p for p in parts if p.strip()))
        name = name or clean_text(author.findtext(f"{_FB2}nickname") or "")
        if name:
            authors.append(name)
    date = info.find(f"{_FB2}date")
    issued = ""
    if date is not None:
        issued = str(date.get("value") or "") or "".join(date.itertext())
    annotation = info.find(f"{_FB2}annotation")
    return {
        "title": clean_text(info.findtext(f"{_FB2}book-title") or ""),
        "authors": tuple(authors),
        "language": info.findtext(f"{_FB2}lang") or "",
        "summary": clean_text("\n".join(annotation.itertext()), MAX_SUMMARY, lines=True)
        if annotation is not None
        else "",
        "issued": issued,
    }


def _fb2_from_zip(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".fb2")]
        if not names:
            raise BadBook("the zip archive holds no .fb2 book")
        return _read_member(archive, names[0])


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
            facts, cover_image = _epub_facts(path)
        elif ending in (".fb2.zip", ".fbz"):
            fb2_data = _fb2_from_zip(path)
            facts = _fb2_facts(fb2_data[: 4 << 20] if len(fb2_data) > 4 << 20 else fb2_data)
        elif ending == ".fb2":
            facts = _fb2_facts(path.read_bytes())
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
