"""Which files Mutolaa can read, recognised by content first and by name second."""

from __future__ import annotations

import zipfile
from pathlib import Path

from app.core.errors import BadDocumentError

#: File extensions offered to PyMuPDF when walking folders.
BOOK_EXTENSIONS = frozenset(
    {".pdf", ".epub", ".fb2", ".fbz", ".mobi", ".xps", ".oxps", ".cbz", ".txt"}
)
#: Our format names of books MuPDF lays out again for a font size (the others have fixed pages).
REFLOWABLE_FORMATS = frozenset({"epub", "fb2", "mobi", "txt"})
#: Formats that are recognised but not readable yet; the value names them for the user.
REFUSED_EXTENSIONS = {".djvu": "DjVu", ".djv": "DjVu"}

_MAGIC_REFUSED = ((b"AT&TFORM", "DjVu"),)
_IMAGE_MAGIC = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
)

#: PyMuPDF's ``metadata['format']`` prefixes and what we call the format.
_MUPDF_FORMATS = (
    ("PDF", "pdf"),
    ("EPUB", "epub"),
    ("FictionBook2", "fb2"),
    ("MOBI", "mobi"),
    ("XPS", "xps"),
    ("OpenXPS", "xps"),
    ("zip", "cbz"),
    ("CBZ", "cbz"),
    ("Text", "txt"),
)


def is_candidate(path: Path) -> bool:
    """True when a file found in a folder walk looks like a book worth trying: a book's ending,
    a zipped FictionBook, or a book compressed with gzip (``.pdf.gz``: MuPDF reads it, as it
    does when the file is named on its own)."""
    name = path.name.lower()
    if name.endswith(".fb2.zip"):  # a zipped FictionBook (the importer unpacks it)
        return True
    if name.endswith(".gz"):
        name = name[: -len(".gz")]
    suffix = Path(name).suffix
    return suffix in BOOK_EXTENSIONS or suffix in REFUSED_EXTENSIONS


def check_content(path: Path, head: bytes) -> None:
    """Refuse formats we recognise but cannot read, before MuPDF sees them.

    Raises:
        BadDocumentError: the file is empty, DjVu, or an image posing as a book.
    """
    if not head:
        raise BadDocumentError("the file is empty (0 bytes)")
    for magic, name in _MAGIC_REFUSED:
        if head.startswith(magic):
            raise BadDocumentError(f"{name} books are not supported yet (scanned-book format)")
    suffix = path.suffix.lower()
    if suffix in REFUSED_EXTENSIONS:
        raise BadDocumentError(f"{REFUSED_EXTENSIONS[suffix]} books are not supported yet")
    for magic, name in _IMAGE_MAGIC:
        if head.startswith(magic):
            raise BadDocumentError(f"this is a {name} image, not a book (wrong file extension?)")


def format_name(mupdf_format: str, path: Path) -> str:
    """Our short name of a document's format (``pdf``, ``epub``, …).

    Raises:
        BadDocumentError: MuPDF opened it as something that is not a book (an image).
    """
    for prefix, name in _MUPDF_FORMATS:
        if mupdf_format.startswith(prefix):
            return name
    if mupdf_format == "Image":
        raise BadDocumentError("this is an image, not a book (wrong file extension?)")
    suffix = path.suffix.lower().lstrip(".")
    if f".{suffix}" in BOOK_EXTENSIONS:
        return suffix
    raise BadDocumentError(f"unsupported document format {mupdf_format or 'unknown'!r}")


def suffix_by_content(path: Path) -> str | None:
    """The file ending a book's bytes call for, None when they do not say.

    A server may name a file wrongly (calibre-web sends plain FictionBook XML as
    ``application/fb2+zip``); what was received decides how it is read.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if head.startswith(b"%PDF"):
        return ".pdf"
    if head[60:68] == b"BOOKMOBI":
        return ".mobi"
    if head.startswith(b"AT&TFORM"):
        return ".djvu"
    if head.startswith(b"PK\x03\x04"):
        return _zip_suffix(path)
    if b"<FictionBook" in head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048]:
        return ".fb2"
    return None


def _zip_suffix(path: Path) -> str | None:
    """What a zip archive holds: an EPUB, a zipped FictionBook, or a comic of pictures."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names and archive.read("mimetype")[:64].strip() == (
                b"application/epub+zip"
            ):
                return ".epub"
    except (OSError, zipfile.BadZipFile, KeyError):
        return None
    lowered = [n.lower() for n in names]
    if any(n.endswith(".fb2") for n in lowered):
        return ".fb2.zip"
    pictures = (".jpg", ".jpeg", ".png", ".gif", ".webp")
    if lowered and all(n.endswith(pictures) or n.endswith("/") for n in lowered):
        return ".cbz"
    return None
