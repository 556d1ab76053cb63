"""The library server's books: a folder scanned for documents, their metadata and covers, cached.

`BookIndex(books_dir, data_dir)` walks `books_dir` for .epub .pdf .fb2 .fb2.zip .fbz .mobi .cbz
and .txt files. Each new or changed file is hashed (SHA-256) and read in a child process (spawned
once per scan, restarted after a crash, with a time limit per file): title, authors, language,
summary, publication date and a cover and a thumbnail (PNG, at most 400 and 160 px high). MuPDF
can crash or hang on a hostile file, so a bad file costs itself only: it is skipped with one log
line, remembered as failed until it changes, and the scan goes on.

What was read is kept in ``data_dir/catalog/index.json`` (covers in ``data_dir/catalog/covers``),
keyed by (relative path, size, mtime): a restart reads no book again. The folder is walked again
(cheap: names, sizes and times) on request at most every `rescan_interval` seconds, and at once
after `request_refresh()` (safe from a signal handler, e.g. SIGHUP) or `refresh()`.

This is the only module of the server that imports pymupdf, and only in the child process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import posixpath
import re
import threading
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_tree

log = logging.getLogger(__name__)

#: Bumped when what is read from a book changes, so an older index.json is read again.
INDEX_VERSION = 1
COVER_HEIGHT = 400
THUMBNAIL_HEIGHT = 160
#: Seconds one file may take in the child process before it is given up (and the child killed).
FILE_TIMEOUT = 60.0
#: Seconds between two walks of the folder triggered by requests.
RESCAN_INTERVAL = 60.0
#: During a scan, what was read so far is shown after every this many books.
PUBLISH_EVERY = 25
#: The most bytes read from one member of an EPUB or zipped FB2 (a zip bomb stops here).
MAX_MEMBER = 64 * 1024 * 1024
MAX_TITLE = 500
MAX_SUMMARY = 4000

#: File name endings served, and their media types (the double ending first).
MEDIA_TYPES: dict[str, str] = {
    ".fb2.zip": "application/fb2+zip",
    ".fbz": "application/fb2+zip",
    ".epub": "application/epub+zip",
    ".pdf": "application/pdf",
    ".fb2": "application/x-fictionbook+xml",
    ".mobi": "application/x-mobipocket-ebook",
    ".cbz": "application/vnd.comicbook+zip",
    ".txt": "text/plain",
}
FORMAT_NAMES: dict[str, str] = {
    ".fb2.zip": "FB2 (zip)",
    ".fbz": "FB2 (zip)",
    ".epub": "EPUB",
    ".pdf": "PDF",
    ".fb2": "FB2",
    ".mobi": "MOBI",
    ".cbz": "CBZ",
    ".txt": "TXT",
}

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ISSUED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_FB2 = "{http://www.gribuser.ru/xml/fictionbook/2.0}"


@dataclass(frozen=True)
class Book:
    """One book of the folder as the catalogue shows it.

    Attributes:
        sha256: the SHA-256 of the file (hex): the book's key and its strong ETag.
        path: the path relative to the books folder, with ``/`` separators.
        size: the size in bytes.
        mtime: the modification time (seconds since the epoch).
        title: the title (the file name without its ending when the book has none).
        authors: the author names, in order.
        language: a BCP 47 tag ("uz", "uz-Cyrl", "ru"), "" when unknown.
        summary: a plain-text description, "" when none.
        issued: the publication date as "YYYY", "YYYY-MM" or "YYYY-MM-DD", "" when unknown.
        media_type: the media type served.
        cover: the cover's (width, height) in pixels, (0, 0) when there is none.
        thumbnail: the thumbnail's (width, height), (0, 0) when there is none.
    """

    sha256: str
    path: str
    size: int
    mtime: float
    title: str
    authors: tuple[str, ...] = ()
    language: str = ""
    summary: str = ""
    issued: str = ""
    media_type: str = "application/octet-stream"
    cover: tuple[int, int] = (0, 0)
    thumbnail: tuple[int, int] = (0, 0)

    @property
    def file_name(self) -> str:
        """The file's own name (the last part of its path)."""
        return PurePosixPath(self.path).name

    @property
    def format_name(self) -> str:
        """A short name of the format for people ("EPUB", "FB2 (zip)")."""
        ending = book_ending(self.file_name)
        return FORMAT_NAMES.get(ending, ending.lstrip(".").upper())

    @property
    def updated(self) -> datetime:
        """The file's modification time in UTC."""
        return datetime.fromtimestamp(self.mtime, tz=UTC)


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


def book_ending(name: str) -> str:
    """The served ending of a file name (".fb2.zip", ".epub"...), "" when it is not a book."""
    lower = name.lower()
    for ending in MEDIA_TYPES:
        if lower.endswith(ending) and len(lower) > len(ending):
            return ending
    return ""


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

    try:
        doc = pymupdf.open(stream=fb2_data, filetype="fb2") if fb2_data else pymupdf.open(path)
    except Exception as exc:  # MuPDF raises EmptyFileError, FileDataError, RuntimeError...
        raise BadBook(f"not a readable document ({' '.join(str(exc).split())[:120]})") from None
    try:
        try:
            pages = int(doc.page_count)
        except Exception as exc:
            raise BadBook(f"damaged document ({' '.join(str(exc).split())[:120]})") from None
        if pages < 1:
            raise BadBook("the document has no pages")
        meta = doc.metadata or {}
        if str(meta.get("format", "")).startswith("Image"):
            raise BadBook("an image, not a book")
        language = facts.get("language", "")
        if not language and doc.is_pdf:
            kind, value = doc.xref_get_key(doc.pdf_catalog(), "Lang")
            language = value.strip("()") if kind == "string" else ""
        title = facts.get("title") or clean_text(str(meta.get("title") or ""))
        authors = facts.get("authors") or split_authors(str(meta.get("author") or ""))
        summary = facts.get("summary") or (
            clean_text(str(meta.get("subject") or ""), MAX_SUMMARY, lines=True)
            if doc.is_pdf
            else ""
        )
        cover, cover_size, thumb, thumb_size = b"", (0, 0), b"", (0, 0)
        if not doc.needs_pass:
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
    finally:
        doc.close()
    return Extracted(
        title=clean_text(title),
        authors=tuple(clean_text(a) for a in authors if clean_text(a)),
        language=language_tag(str(language)),
        summary=clean_text(str(summary), MAX_SUMMARY, lines=True),
        issued=issued_date(str(facts.get("issued", ""))),
        cover_png=cover,
        cover_size=cover_size,
        thumbnail_png=thumb,
        thumbnail_size=thumb_size,
    )


def _child(conn: multiprocessing.connection.Connection, extractor: Extractor) -> None:
    """The child process's loop: read each (path, ending) sent, answer ("ok", Extracted) or
    ("bad", reason), until the pipe closes."""
    try:
        import pymupdf as mupdf_module  # noqa: PLC0415

        pymupdf: Any = mupdf_module
        pymupdf.TOOLS.mupdf_display_errors(False)
        pymupdf.TOOLS.mupdf_display_warnings(False)
    except ImportError:  # the extractor may not need it
        pass
    while True:
        try:
            path, ending = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", extractor(Path(path), ending)))
        except BadBook as exc:
            conn.send(("bad", str(exc)))
        except Exception as exc:  # a library's own error on a hostile file
            conn.send(("bad", f"{type(exc).__name__}: {' '.join(str(exc).split())[:120]}"))


class _Worker:
    """One child process of a scan; restarted when it dies or hangs on a file."""

    def __init__(self, extractor: Extractor, timeout: float) -> None:
        self.extractor = extractor
        self.timeout = timeout
        self._process: Any = None
        self._conn: multiprocessing.connection.Connection | None = None

    def read(self, path: Path, ending: str) -> Extracted | str:
        """The file's facts, or a short reason why it cannot be read."""
        if self._conn is None:
            context = multiprocessing.get_context("spawn")
            parent, child = context.Pipe()
            self._process = context.Process(
                target=_child, args=(child, self.extractor), name="mutolaa-catalog", daemon=True
            )
            self._process.start()
            child.close()
            self._conn = parent
        try:
            self._conn.send((str(path), ending))
            if not self._conn.poll(self.timeout):
                self.stop()
                return f"gave up after {self.timeout:g} s (the reader hung)"
            status, value = self._conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self.stop()
            return "the document reader crashed on this file"
        if status == "ok" and isinstance(value, Extracted):
            return value
        return str(value)

    def stop(self) -> None:
        """End the child process (killed when it does not leave by itself)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            self._process.join(2)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(2)
            self._process = None


# -- the index --------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _walk(folder: Path) -> dict[str, tuple[int, float]]:
    """Relative path → (size, mtime) of every book file under `folder` (hidden ones skipped)."""
    found: dict[str, tuple[int, float]] = {}
    for root, dirs, files in os.walk(folder, onerror=lambda e: log.warning("catalog: %s", e)):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not book_ending(name):
                continue
            full = Path(root, name)
            try:
                stat = full.stat()
            except OSError as exc:
                log.warning("catalog: %s: cannot read (%s)", full, exc.strerror)
                continue
            rel = full.relative_to(folder).as_posix()
            found[rel] = (stat.st_size, stat.st_mtime)
    return found


@dataclass
class _State:
    books: dict[str, Book] = field(default_factory=dict)  # by relative path
    failed: dict[str, dict[str, Any]] = field(default_factory=dict)  # path → size, mtime, reason


class BookIndex:
    """The books of a folder, read once and kept in ``data_dir/catalog``.

    Args:
        books_dir: the folder of books (walked recursively; never written).
        data_dir: the server's data folder (``catalog/index.json`` and ``catalog/covers/``).
        extractor: what reads one file in the child process (tests inject faults here).
        timeout: seconds one file may take before it is given up.
    """

    def __init__(
        self,
        books_dir: Path,
        data_dir: Path,
        *,
        extractor: Extractor = extract_book,
        timeout: float = FILE_TIMEOUT,
    ) -> None:
        self.books_dir = Path(books_dir)
        self.folder = Path(data_dir) / "catalog"
        self.covers = self.folder / "covers"
        self.extractor = extractor
        self.timeout = timeout
        #: Files read by the child process since this index was made (a restart reads none).
        self.extracted = 0
        self._lock = threading.Lock()
        self._state: _State | None = None
        self._by_sha: dict[str, Book] = {}
        self._ordered: tuple[Book, ...] = ()
        self._checked = 0.0
        self._wanted = False

    # -- reading ---------------------------------------------------------------------------

    def books(self, rescan_interval: float = RESCAN_INTERVAL) -> tuple[Book, ...]:
        """Every book, one per content (the first path wins), in path order.

        The first call loads index.json. The folder is walked again when `rescan_interval`
        seconds have passed since the last walk or a refresh was requested; the request that
        finds it due does the walk, while the others are answered from what is known so far
        (a long first scan shows its books as they are read, every `PUBLISH_EVERY` files).
        """
        if self._state is None:
            with self._lock:
                if self._state is None:
                    self._state = self._load()
                    self._publish(self._state)
        due = self._wanted or time.monotonic() - self._checked >= rescan_interval
        if due and self._lock.acquire(blocking=False):
            try:
                self._scan_locked()
            finally:
                self._lock.release()
        return self._ordered

    def by_sha(self, sha256: str, rescan_interval: float = RESCAN_INTERVAL) -> Book | None:
        """The book with this content hash, or None."""
        self.books(rescan_interval)
        return self._by_sha.get(sha256)

    def path_of(self, book: Book) -> Path:
        """Where the book's file is."""
        return self.books_dir / PurePosixPath(book.path)

    def cover_path(self, book: Book, thumbnail: bool = False) -> Path | None:
        """The book's cover (or thumbnail) PNG, None when it has none."""
        if (book.thumbnail if thumbnail else book.cover) == (0, 0):
            return None
        return self.covers / f"{book.sha256}{'-thumb' if thumbnail else ''}.png"

    # -- refreshing ------------------------------------------------------------------------

    def request_refresh(self) -> None:
        """Walk the folder at the next request (safe to call from a signal handler)."""
        self._wanted = True

    def refresh(self) -> tuple[Book, ...]:
        """Walk the folder now and read what is new or changed; the books."""
        with self._lock:
            self._scan_locked()
        return self._ordered

    def _scan_locked(self) -> None:
        self._wanted = False
        state = self._state or self._load()
        found = _walk(self.books_dir)
        todo = [
            rel
            for rel, facts in found.items()
            if not (rel in state.books and _same(state.books[rel], facts))
            and not (rel in state.failed and _same_failed(state.failed[rel], facts))
        ]
        gone = (set(state.books) | set(state.failed)) - set(found)
        changed = bool(todo or gone) or not self._index_file().exists()
        self._state = state
        for rel in gone:
            state.books.pop(rel, None)
            state.failed.pop(rel, None)
        if todo:
            self._read_files(state, todo, found)
        self._publish(state)
        self._checked = time.monotonic()
        if changed:
            self._save(state)
            self._drop_orphan_covers(state)
            log.info(
                "catalog: %d books in %s (%d read, %d removed, %d skipped)",
                len(self._ordered),
                self.books_dir,
                len(todo),
                len(gone),
                len(state.failed),
            )

    def _read_files(self, state: _State, todo: list[str], found: dict[str, Any]) -> None:
        worker = _Worker(self.extractor, self.timeout)
        try:
            for rel in todo:
                size, mtime = found[rel]
                state.books.pop(rel, None)
                state.failed.pop(rel, None)
                full = self.books_dir / rel
                try:
                    sha = _sha256(full)
                except OSError as exc:
                    log.warning("catalog: %s skipped: cannot read it (%s)", rel, exc.strerror)
                    continue
                self.extracted += 1
                ending = book_ending(full.name)
                result = worker.read(full, ending)
                if isinstance(result, str):
                    log.warning("catalog: %s skipped: %s", rel, result)
                    state.failed[rel] = {"size": size, "mtime": mtime, "reason": result}
                    continue
                state.books[rel] = self._book(rel, (size, mtime), sha, result)
                if len(state.books) % PUBLISH_EVERY == 0:
                    self._publish(state)
        finally:
            worker.stop()

    def _book(self, rel: str, facts: tuple[int, float], sha: str, read: Extracted) -> Book:
        size, mtime = facts
        ending = book_ending(rel)
        cover, thumb = read.cover_size, read.thumbnail_size
        try:
            self.covers.mkdir(parents=True, exist_ok=True)
            if read.cover_png:
                _write_atomic(self.covers / f"{sha}.png", read.cover_png)
            if read.thumbnail_png:
                _write_atomic(self.covers / f"{sha}-thumb.png", read.thumbnail_png)
        except OSError as exc:
            log.warning("catalog: cannot keep the cover of %s (%s)", rel, exc.strerror)
            cover = thumb = (0, 0)
        stem = PurePosixPath(rel).name[: -len(ending)] if ending else PurePosixPath(rel).stem
        return Book(
            sha256=sha,
            path=rel,
            size=size,
            mtime=mtime,
            title=read.title or clean_text(stem.replace("_", " ")) or stem,
            authors=read.authors,
            language=read.language,
            summary=read.summary,
            issued=read.issued,
            media_type=MEDIA_TYPES.get(ending, "application/octet-stream"),
            cover=cover if read.cover_png else (0, 0),
            thumbnail=thumb if read.thumbnail_png else (0, 0),
        )

    def _publish(self, state: _State) -> None:
        by_sha: dict[str, Book] = {}
        for rel in sorted(state.books):
            book = state.books[rel]
            by_sha.setdefault(book.sha256, book)
        self._by_sha = by_sha
        self._ordered = tuple(by_sha.values())

    # -- index.json -------------------------------------------------------------------------

    def _index_file(self) -> Path:
        return self.folder / "index.json"

    def _load(self) -> _State:
        path = self._index_file()
        state = _State()
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return state
        except (OSError, ValueError) as exc:
            log.warning("catalog: %s unreadable (%s); reading every book again", path, exc)
            return state
        if not isinstance(document, dict) or document.get("version") != INDEX_VERSION:
            log.info("catalog: %s is of another version; reading every book again", path)
            return state
        for item in document.get("books", []):
            try:
                book = Book(
                    **{
                        **item,
                        "authors": tuple(item["authors"]),
                        "cover": tuple(item["cover"]),
                        "thumbnail": tuple(item["thumbnail"]),
                    }
                )
            except (TypeError, KeyError):
                continue
            state.books[book.path] = book
        failed = document.get("failed", {})
        if isinstance(failed, dict):
            state.failed = {k: v for k, v in failed.items() if isinstance(v, dict)}
        return state

    def _save(self, state: _State) -> None:
        document = {
            "version": INDEX_VERSION,
            "books": [asdict(state.books[rel]) for rel in sorted(state.books)],
            "failed": state.failed,
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(
                self._index_file(),
                json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"),
            )
        except OSError as exc:
            log.warning("catalog: cannot write %s (%s)", self._index_file(), exc.strerror)

    def _drop_orphan_covers(self, state: _State) -> None:
        keep = {book.sha256 for book in state.books.values()}
        try:
            names = list(self.covers.iterdir()) if self.covers.is_dir() else []
        except OSError:
            return
        for png in names:
            if png.name.split("-", 1)[0].removesuffix(".png") not in keep:
                png.unlink(missing_ok=True)


def _same(book: Book, facts: tuple[int, float]) -> bool:
    return (book.size, book.mtime) == facts


def _same_failed(failed: dict[str, Any], facts: tuple[int, float]) -> bool:
    return (failed.get("size"), failed.get("mtime")) == facts


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def sort_key(text: str) -> str:
    """A key that sorts titles and names as people expect (case and apostrophes folded,
    leading punctuation ignored)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded.lstrip(" \"'«»“”„‘’ʻʼ`([{-—–.…")


def authors_of(books: Iterable[Book]) -> dict[str, list[Book]]:
    """Books by author name (a book without authors is under "")."""
    found: dict[str, list[Book]] = {}
    for book in books:
        for name in book.authors or ("",):
            found.setdefault(name, []).append(book)
    return found
