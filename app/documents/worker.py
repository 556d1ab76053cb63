"""A worker process that runs PyMuPDF with time limits, so a hostile file costs only itself."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import multiprocessing.connection
import queue
import threading
from collections.abc import Iterator
from multiprocessing import shared_memory
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core import errors
from app.core.errors import BadDocumentError, MutolaaError
from app.core.models import DocumentInfo, PageLayout, PageText, RenderedPage
from app.documents.annotation_records import ExistingEdit, FoundAnnotation, MarkToWrite

if TYPE_CHECKING:
    from app.documents.render import PageRenderer  # the parent never loads MuPDF

log = logging.getLogger(__name__)

_CRASHED = "MuPDF crashed while reading this file"
MAX_RESTARTS_PER_BOOK = 3
# requests answered by app.documents.render.PageRenderer: (name, path, *arguments)
_RENDERER_CALLS = frozenset({"words", "layout", "convert", "find"})
# requests answered by app.documents.pdf_annotations: (name, *arguments)
_ANNOTATION_CALLS = frozenset({"read_annotations", "write_annotated", "page_labels"})
# places in reflowable books, for annotations (PageRenderer.page_places and the like)
_PLACE_CALLS = frozenset({"page_places", "place_pages", "chapter_text"})
# drawn pages up to this size travel through shared memory instead of the pipe (pickling
# 2.3 MB through a pipe cost 6 ms a page, four times the drawing itself)
SHARED_BYTES = 64 * 1024 * 1024


def _attach(name: str, attached: dict[str, shared_memory.SharedMemory]) -> memoryview:
    """The buffer of the parent's shared memory ``name`` (the parent owns and removes it)."""
    shared = attached.get(name)
    if shared is None:
        # the spawned child shares the parent's resource tracker, so attaching registers
        # nothing new and the parent's unlink clears it
        shared = shared_memory.SharedMemory(name=name)
        attached[name] = shared
    buffer = shared.buf
    assert buffer is not None
    return buffer


def _serve(conn: multiprocessing.connection.Connection) -> None:
    """The worker's loop: answer requests until told to stop or the pipe closes."""
    from app.documents import extract  # noqa: PLC0415 - imported in the child only
    from app.documents.render import PageRenderer  # noqa: PLC0415

    extract.quiet_mupdf()
    renderer = PageRenderer()
    attached: dict[str, shared_memory.SharedMemory] = {}
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request[0] == "stop":
            return
        try:
            _answer(conn, request, renderer, attached)
        except MutolaaError as exc:
            conn.send(("error", type(exc).__name__, str(exc)))
        except Exception as exc:
            conn.send(("error", "BadDocumentError", f"MuPDF failed: {exc}"[:200]))


def _answer(
    conn: multiprocessing.connection.Connection,
    request: tuple[Any, ...],
    renderer: PageRenderer,
    attached: dict[str, shared_memory.SharedMemory],
) -> None:
    """Send the answer to one request (errors are the caller's to send)."""
    from app.documents import extract  # noqa: PLC0415 - imported in the child only
    from app.documents import pdf_annotations as annotations  # noqa: PLC0415

    kind = request[0]
    if kind == "describe":
        conn.send(("ok", extract.describe(Path(request[1]), request[2])))
    elif kind == "cover":
        conn.send(("ok", extract.cover_png(Path(request[1]), request[2])))
    elif kind == "render":
        _render(conn, request, renderer, attached)
    elif kind in _RENDERER_CALLS or kind in _PLACE_CALLS:
        method = getattr(renderer, kind)
        conn.send(("ok", method(Path(request[1]), *request[2:])))
    elif kind in _ANNOTATION_CALLS:
        function = getattr(annotations, kind)
        conn.send(("ok", function(*request[1:])))
    elif kind == "pages":
        for page in extract.page_texts(Path(request[1]), request[2], request[3]):
            conn.send(("page", page))
        conn.send(("end", None))


def _render(
    conn: multiprocessing.connection.Connection,
    request: tuple[Any, ...],
    renderer: PageRenderer,
    attached: dict[str, shared_memory.SharedMemory],
) -> None:
    """Draw a page; its pixels go through the parent's shared memory when they fit."""
    _kind, path, page, zoom, password, rotation, font_size, shared = request
    drawn, samples = renderer.draw(Path(path), page, zoom, password, rotation, font_size)
    size = len(samples)
    buffer = _attach(shared, attached) if shared else None
    if buffer is not None and size <= len(buffer):
        buffer[:size] = samples
        conn.send(("shared", drawn, size))
    else:
        conn.send(("ok", dataclasses.replace(drawn, samples=bytes(samples))))


class DocumentWorker:
    """One worker process, started on first use and restarted after a crash or a hang.

    Args:
        timeout: seconds a whole-document request (describe, cover) may take.
        page_timeout: seconds one page may take to extract.
    """

    def __init__(self, timeout: float = 60.0, page_timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.page_timeout = page_timeout
        self._shared: shared_memory.SharedMemory | None = None  # made on the first render
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: multiprocessing.connection.Connection | None = None

    def __enter__(self) -> DocumentWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs (tests use it to crash it on purpose)."""
        return self._process.pid if self._process is not None else None

    def _ensure(self) -> multiprocessing.connection.Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self.kill()
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe(duplex=True)
        process = context.Process(target=_serve, args=(child,), daemon=True, name="mupdf")
        process.start()
        child.close()
        self._process, self._conn = process, parent
        return parent

    def start(self) -> None:
        """Start the worker process now (it loads MuPDF), so the first request does not wait."""
        self._ensure()

    def kill(self) -> None:
        """End the worker at once (after a hang, a crash, or a cancelled read)."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
            with contextlib.suppress(ValueError):
                self._process.close()
        self._process, self._conn = None, None

    def close(self) -> None:
        """Ask the worker to stop, and kill it if it does not."""
        if self._conn is not None and self._process is not None and self._process.is_alive():
            with contextlib.suppress(OSError, BrokenPipeError):
                self._conn.send(("stop",))
            self._process.join(2)
        self.kill()
        if self._shared is not None:
            self._shared.close()
            with contextlib.suppress(FileNotFoundError):
                self._shared.unlink()
            self._shared = None

    def _receive(self, timeout: float, what: str) -> tuple[Any, ...]:
        conn = self._conn
        assert conn is not None
        try:
            ready = conn.poll(timeout)
            if not ready:
                self.kill()
                raise BadDocumentError(f"MuPDF took longer than {timeout:g} s {what}; gave up")
            message: tuple[Any, ...] = conn.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise BadDocumentError(_CRASHED) from exc
        if message[0] == "error":
            error_class = getattr(errors, message[1], BadDocumentError)
            raise error_class(message[2])
        return message

    def _request(self, request: tuple[Any, ...], what: str) -> Any:
        return self._exchange(request, what)[1]

    def _exchange(self, request: tuple[Any, ...], what: str) -> tuple[Any, ...]:
        conn = self._ensure()
        try:
            conn.send(request)
        except (OSError, BrokenPipeError) as exc:
            self.kill()
            raise BadDocumentError(_CRASHED) from exc
        return self._receive(self.timeout, what)

    def describe(self, path: Path, password: str | None = None) -> DocumentInfo:
        """Format, pages, metadata and contents of a document.

        Raises:
            BadDocumentError: the file is unusable, or MuPDF crashed or hung on it.
            UserError: the password is wrong.
        """
        info: DocumentInfo = self._request(("describe", str(path), password), "to open it")
        return info

    def cover(self, path: Path, password: str | None = None) -> bytes | None:
        """A PNG thumbnail of the first page; None when it cannot be drawn in time."""
        try:
            png: bytes | None = self._request(("cover", str(path), password), "to draw a cover")
        except BadDocumentError as exc:
            log.info("%s: no cover (%s)", path, exc)
            return None
        return png

    def render(  # noqa: PLR0917 - the arguments of the worker's request, in order
        self,
        path: Path,
        page: int,
        zoom: float,
        password: str | None = None,
        rotation: int = 0,
        font_size: float | None = None,
    ) -> RenderedPage:
        """Draw a page (0-based) at ``zoom`` (1.0 = 72 dpi), turned ``rotation`` degrees.

        ``font_size`` lays a reflowable book out at that size (None: as imported).

        Raises:
            BadDocumentError: the page cannot be drawn, or MuPDF crashed or hung on it.
        """
        if self._shared is None:
            self._shared = shared_memory.SharedMemory(create=True, size=SHARED_BYTES)
        message = self._exchange(
            ("render", str(path), page, zoom, password, rotation, font_size, self._shared.name),
            f"to draw page {page + 1}",
        )
        rendered: RenderedPage = message[1]
        if message[0] == "shared":
            buffer = self._shared.buf
            assert buffer is not None
            rendered = dataclasses.replace(rendered, samples=bytes(buffer[: message[2]]))
        return rendered

    def words(
        self,
        path: Path,
        page: int,
        password: str | None = None,
        font_size: float | None = None,
    ) -> list[tuple[float, float, float, float, str]]:
        """The words of a page (0-based) with their boxes in points, in reading order."""
        found: list[tuple[float, float, float, float, str]] = self._request(
            ("words", str(path), page, password, font_size), f"to read page {page + 1}"
        )
        return found

    def layout(
        self,
        path: Path,
        password: str | None = None,
        font_size: float | None = None,
        start: int = 0,
        start_font_size: float | None = None,
    ) -> PageLayout:
        """Page count, sizes and labels at ``font_size``; ``start`` (a page at
        ``start_font_size``) carried into that layout."""
        laid_out: PageLayout = self._request(
            ("layout", str(path), password, font_size, start, start_font_size),
            "to lay the book out",
        )
        return laid_out

    def convert(
        self,
        path: Path,
        pages: list[int],
        source_font_size: float | None,
        target_font_size: float | None,
        password: str | None = None,
    ) -> list[int]:
        """Carry pages of one layout of a reflowable book into another (same place)."""
        converted: list[int] = self._request(
            ("convert", str(path), password, pages, source_font_size, target_font_size),
            "to lay the book out",
        )
        return converted

    def find(
        self,
        path: Path,
        words: list[str],
        password: str | None = None,
        font_size: float | None = None,
    ) -> list[int]:
        """The pages of the layout at ``font_size`` that hold ``words`` in a row."""
        found: list[int] = self._request(
            ("find", str(path), password, font_size, words), "to search the book"
        )
        return found

    # --- places in reflowable books (annotations) ------------------------------------------

    def page_places(
        self,
        path: Path,
        pages: list[int],
        password: str | None = None,
        font_size: float | None = None,
    ) -> list[tuple[int, int]]:
        """Where each page of the layout at ``font_size`` starts: (chapter, non-space
        characters before it in the chapter), the same in every layout."""
        found: list[tuple[int, int]] = self._request(
            ("page_places", str(path), password, font_size, pages), "to read the book"
        )
        return [(int(chapter), int(before)) for chapter, before in found]

    def place_pages(
        self,
        path: Path,
        places: list[tuple[int, int]],
        password: str | None = None,
        font_size: float | None = None,
    ) -> list[int]:
        """The page of the layout at ``font_size`` holding each (chapter, characters) place."""
        found: list[int] = self._request(
            ("place_pages", str(path), password, font_size, places), "to read the book"
        )
        return found

    def chapter_text(
        self,
        path: Path,
        chapter: int,
        password: str | None = None,
        font_size: float | None = None,
    ) -> str:
        """The text of one chapter of a reflowable book ("" when there is no such chapter)."""
        text: str = self._request(
            ("chapter_text", str(path), password, font_size, chapter), "to read the book"
        )
        return text

    # --- a PDF's own annotations (app/documents/pdf_annotations.py) ----------------------

    def read_annotations(self, path: Path, password: str | None = None) -> list[FoundAnnotation]:
        """The highlights, ink drawings and notes a PDF holds itself.

        Raises:
            BadDocumentError: the file is unusable, or MuPDF crashed or hung on it.
            UserError: the book is encrypted (no password) or not a PDF.
        """
        found: list[FoundAnnotation] = self._request(
            ("read_annotations", path, password), "to read its annotations"
        )
        return found

    def write_annotated(
        self,
        source: Path,
        target: Path,
        marks: list[MarkToWrite],
        edits: list[ExistingEdit],
        password: str | None = None,
    ) -> int:
        """Write a copy of a PDF with ``marks`` as PDF annotations (see
        ``pdf_annotations.write_annotated``); returns how many were written."""
        written: int = self._request(
            ("write_annotated", source, target, marks, edits, password),
            "to write the annotated copy",
        )
        return written

    def page_labels(
        self, path: Path, pages: list[int], password: str | None = None
    ) -> dict[int, str]:
        """The PDF's labels of ``pages`` (0-based); empty when it defines none."""
        labels: dict[int, str] = self._request(
            ("page_labels", path, password, pages), "to read its page labels"
        )
        return labels

    def pages(
        self, path: Path, start: int, page_count: int, password: str | None = None
    ) -> Iterator[PageText]:
        """Yield every page's text from ``start`` on, each within ``page_timeout``.

        A thread drains the pipe as pages arrive, so the worker keeps reading while the
        caller saves and indexes (an index commit takes seconds). A page on which MuPDF
        hangs or crashes is yielded as failed and the worker restarts after it; after
        ``MAX_RESTARTS_PER_BOOK`` such pages the rest are yielded as failed.
        """
        restarts = 0
        position = start
        while position < page_count:
            conn = self._ensure()
            conn.send(("pages", str(path), position, password))
            inbox: queue.Queue[tuple[Any, ...]] = queue.Queue()  # at most one book of text
            reader = threading.Thread(
                target=_drain, args=(conn, inbox, self.page_timeout), daemon=True
            )
            reader.start()
            try:
                while True:
                    message = inbox.get()
                    kind = message[0]
                    if kind == "page":
                        page: PageText = message[1]
                        position = page.page + 1
                        yield page
                        continue
                    if kind == "end":
                        reader.join()
                        return
                    if kind == "error":
                        reader.join()
                        error_class = getattr(errors, message[1], BadDocumentError)
                        raise error_class(message[2])
                    # "timeout" or "crashed": the page being read costs itself, not the book
                    self.kill()
                    reader.join()
                    reason = (
                        f"MuPDF took longer than {self.page_timeout:g} s"
                        if kind == "timeout"
                        else _CRASHED
                    )
                    log.warning("%s: page %d: %s", path, position + 1, reason)
                    yield PageText(page=position, text="", failed=True)
                    position += 1
                    restarts += 1
                    if restarts >= MAX_RESTARTS_PER_BOOK:
                        for rest in range(position, page_count):
                            yield PageText(page=rest, text="", failed=True)
                        return
                    break
            except GeneratorExit:
                self.kill()  # the reader stopped early; the worker is mid-stream
                reader.join()
                raise


def _drain(
    conn: multiprocessing.connection.Connection,
    inbox: queue.Queue[tuple[Any, ...]],
    timeout: float,
) -> None:
    """Move the worker's messages into ``inbox`` until the stream ends, stalls or breaks."""
    while True:
        try:
            if not conn.poll(timeout):
                inbox.put(("timeout",))
                return
            message: tuple[Any, ...] = conn.recv()
        except (EOFError, OSError, ValueError):
            inbox.put(("crashed",))
            return
        inbox.put(message)
        if message[0] in ("end", "error"):
            return
