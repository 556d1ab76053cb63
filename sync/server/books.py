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

Only regular files whose real path is inside the books folder and whose names are UTF-8 are
served (`sync.server.safe_files`); anything else is skipped with one log line, once, and never
opened, so a FIFO or a link to /etc/passwd costs nothing and stops nothing.

MuPDF is read in the child process of `sync.server.book_reader`; what is read from one file is
in `sync.server.book_facts`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import threading
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sync.book_metadata import clean_text
from sync.server.book_facts import Extracted, Extractor, extract_book
from sync.server.book_reader import FILE_TIMEOUT, Worker
from sync.server.safe_files import name_problem, open_regular, outside, real_folder, shown

log = logging.getLogger(__name__)

#: Bumped when what is read from a book changes, so an older index.json is read again.
INDEX_VERSION = 1
#: Seconds between two walks of the folder triggered by requests.
RESCAN_INTERVAL = 60.0
#: During a scan, what was read so far is shown after every this many books.
PUBLISH_EVERY = 25

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


def book_ending(name: str) -> str:
    """The served ending of a file name (".fb2.zip", ".epub"...), "" when it is not a book."""
    lower = name.lower()
    for ending in MEDIA_TYPES:
        if lower.endswith(ending) and len(lower) > len(ending):
            return ending
    return ""


# -- the index --------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    # never blocks on a FIFO put where a book was walked
    with os.fdopen(open_regular(path), "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _file_facts(path: Path, root: Path, *, whole_path: bool = False) -> os.stat_result | str:
    """The file's stat when it may be served, else why not: its real path is outside the real
    books folder `root`, or it is not a regular file (FIFO, socket, device, folder).

    The walk follows no link to a folder, so there only the file itself can be a link;
    `whole_path` resolves every part (a download: a folder may have been swapped since).
    """
    if (whole_path or path.is_symlink()) and outside(path, root):
        return f"its real path {shown(os.path.realpath(path))} is outside the books folder"
    try:
        facts = path.stat()
    except OSError as exc:
        return f"cannot read it ({exc.strerror})"
    return facts if stat.S_ISREG(facts.st_mode) else "not a regular file"


@dataclass
class _Walked:
    """What one walk of the folder found: the books and the files skipped (with why)."""

    found: dict[str, tuple[int, float]] = field(default_factory=dict)  # path → size, mtime
    skipped: dict[str, str] = field(default_factory=dict)  # path → reason


def _walk(folder: Path) -> _Walked:
    """Every book file under `folder` (hidden ones left out) and every file or folder skipped.

    Links to folders are not followed (os.walk's default), so nothing outside is walked; a
    link to a file is served when its real path is inside the folder.
    """
    root = real_folder(folder)
    walked = _Walked()
    for top, dirs, files in os.walk(folder, onerror=lambda e: log.warning("catalog: %s", e)):
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            rel = Path(top, name).relative_to(folder).as_posix()
            if problem := name_problem(rel):
                walked.skipped[rel + "/"] = problem
            elif Path(top, name).is_symlink():
                walked.skipped[rel + "/"] = "a link to a folder (links to folders are not followed)"
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith(".") or not book_ending(name):
                continue
            full = Path(top, name)
            rel = full.relative_to(folder).as_posix()
            facts = name_problem(rel) or _file_facts(full, root)
            if isinstance(facts, str):
                walked.skipped[rel] = facts
            else:
                walked.found[rel] = (facts.st_size, facts.st_mtime)
    return walked


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
        # absolute: Flask's send_file resolves a relative path against the package folder
        self.books_dir = Path(books_dir).resolve()
        self.folder = Path(data_dir).resolve() / "catalog"
        self.covers = self.folder / "covers"
        self.extractor = extractor
        self.timeout = timeout
        #: Files read by the child process since this index was made (a restart reads none).
        self.extracted = 0
        self._lock = threading.Lock()
        self._state: _State | None = None
        self._by_sha: dict[str, Book] = {}
        self._ordered: tuple[Book, ...] = ()
        self._checked: float | None = None  # never walked; monotonic time counts from boot
        self._wanted = False
        self._skipped: dict[str, str] = {}  # logged once each, until the reason changes

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
        due = (
            self._wanted
            or self._checked is None
            or time.monotonic() - self._checked >= rescan_interval
        )
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

    def path_of(self, book: Book) -> Path | None:
        """Where the book's file is; None (and one log line) when it is no longer one to
        serve: a link to outside the books folder, or not a regular file."""
        path = self.books_dir / PurePosixPath(book.path)
        facts = _file_facts(path, real_folder(self.books_dir), whole_path=True)
        if isinstance(facts, str) and os.path.lexists(path):  # gone: the caller says so
            log.warning("catalog: %s not served: %s", shown(book.path), facts)
            return None
        return path

    def cover_path(self, book: Book, thumbnail: bool = False) -> Path | None:
        """The book's cover (or thumbnail) PNG, None when it has none."""
        if (book.thumbnail if thumbnail else book.cover) == (0, 0):
            return None
        return self.covers / f"{book.sha256}{'-thumb' if thumbnail else ''}.png"

    # -- refreshing ------------------------------------------------------------------------

    def request_refresh(self) -> None:
        """Walk the folder at the next request (safe to call from a signal handler)."""
        self._wanted = True

    def _scan_locked(self) -> None:
        self._wanted = False
        state = self._state or self._load()
        walked = _walk(self.books_dir)
        self._log_skipped(walked.skipped)
        found = walked.found
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

    def _log_skipped(self, skipped: dict[str, str]) -> None:
        for rel, reason in skipped.items():
            if self._skipped.get(rel) != reason:
                log.warning("catalog: %s skipped: %s", shown(rel), reason)
        self._skipped = skipped

    def _read_files(self, state: _State, todo: list[str], found: dict[str, Any]) -> None:
        worker = Worker(self.extractor, self.timeout)
        try:
            for rel in todo:
                state.books.pop(rel, None)
                state.failed.pop(rel, None)
                try:
                    self._read_file(state, worker, rel, found[rel])
                except Exception:  # one file never stops the scan, whatever went wrong
                    log.exception("catalog: %s skipped: unexpected error", shown(rel))
                if rel in state.books and len(state.books) % PUBLISH_EVERY == 0:
                    self._publish(state)
        finally:
            worker.stop()

    def _read_file(self, state: _State, worker: Worker, rel: str, facts: tuple[int, float]) -> None:
        full = self.books_dir / rel
        try:
            sha = _sha256(full)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            log.warning("catalog: %s skipped: cannot read it (%s)", shown(rel), reason)
            return
        self.extracted += 1
        result = worker.read(full, book_ending(full.name))
        if isinstance(result, str):
            log.warning("catalog: %s skipped: %s", shown(rel), result)
            size, mtime = facts
            state.failed[rel] = {"size": size, "mtime": mtime, "reason": result}
            return
        state.books[rel] = self._book(rel, facts, sha, result)

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
        except (OSError, ValueError) as exc:  # ValueError: a text that cannot be UTF-8
            reason = getattr(exc, "strerror", None) or str(exc)
            log.warning("catalog: cannot write %s (%s)", self._index_file(), reason)

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
