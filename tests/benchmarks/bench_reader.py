"""T4 and T5: opening a 2,000-page PDF in a reader tab, and turning its pages.

Both run in this process on an offscreen QApplication, with the reader the window uses
(``ReaderView``), its task runner and a MuPDF worker process, at the reader's default zoom
and a device pixel ratio of 1. The baselines call PyMuPDF in this process on the same file.

T4 measures a ``ReaderView`` on a worker that is already running and warmed by drawing a
page of another file (what the window has once its worker is up: when this was written,
only after its first book was opened); the cold figure starts a new worker each time.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.benchmarks.common import (
    Figure,
    Report,
    fresh_folder,
    median,
    ms,
    percentile,
    qt_app,
    say,
    wait_until,
)

T4_RATIO = 1.5
T4_SLACK_MS = 30.0
T5_PREFETCHED_MS = 16.0
T5_RATIO = 1.3
#: Seconds a page may take before the benchmark gives up (a hang is a failure, not a figure).
PAGE_TIMEOUT = 30.0
#: Shares of the T5 turns: the rest are jumps to a random page at least JUMP_MIN pages away.
NEXT_SHARE = 0.6
PREVIOUS_SHARE = 0.2
JUMP_MIN = 50


@dataclass(frozen=True)
class Turn:
    """One timed page turn."""

    kind: str  # "next", "previous" or "jump"
    page: int
    seconds: float  # from the call to page_shown of that page
    painted: float  # the same, until the event loop had also repainted the window
    prefetched: bool  # the page was in the reader's cache: shown before the call returned


def _book(path: Path) -> Any:
    """A ``Book`` for ``path``, as the library would hold it (title, pages, contents)."""
    import pymupdf  # noqa: PLC0415

    from app.core.models import Book, BookState, TocEntry  # noqa: PLC0415

    doc: Any = pymupdf.open(path)  # type: ignore[no-untyped-call]
    try:
        toc = tuple(TocEntry(level, title, page) for level, title, page in doc.get_toc())
        title = (doc.metadata or {}).get("title") or path.stem
        pages = doc.page_count
    finally:
        doc.close()
    return Book(
        id=hashlib.sha256(str(path).encode()).hexdigest(),
        title=title,
        authors=(),
        languages=(),
        format="pdf",
        page_count=pages,
        size=path.stat().st_size,
        file_name=path.name,
        original_name=path.name,
        source="benchmark",
        added_at=time.time(),
        state=BookState.READY,
        encrypted=False,
        toc=toc,
    )


def _alias(folder: Path, source: Path, name: str) -> Path:
    """A new name for ``source``: the worker keeps documents open by path, so a fresh
    name makes it open the file again (as for a book not opened before)."""
    link = folder / f"{name}{source.suffix}"
    link.symlink_to(source.resolve())
    return link


class Drawing:
    """A MuPDF worker process and the task runner that feeds it, as the window has them."""

    def __init__(self) -> None:
        from app.documents.worker import DocumentWorker  # noqa: PLC0415
        from app.ui.common.tasks import TaskRunner  # noqa: PLC0415

        self.app = qt_app()
        self.worker = DocumentWorker(timeout=20.0)
        self.runner = TaskRunner()

    def idle(self) -> None:
        """Wait until every queued render (the prefetched neighbours too) has arrived."""
        if not wait_until(lambda: not self.runner.busy, poll_ms=1, timeout=PAGE_TIMEOUT):
            raise RuntimeError("the reader's renders did not finish")

    def close(self) -> None:
        self.runner.close()
        self.worker.close()

    def __enter__(self) -> Drawing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reader(drawing: Drawing, book: Any, path: Path, page: int = 0, mode: str = "single") -> Any:
    from app.ui.reader.view import DEFAULT_ZOOM, ReaderView  # noqa: PLC0415

    reader = ReaderView(
        book,
        path,
        drawing.runner,
        drawing.worker,
        start_page=page,
        zoom=DEFAULT_ZOOM,
        mode=mode,
    )
    reader.resize(1000, 700)
    reader.show()
    return reader


def _open_once(drawing: Drawing, book: Any, path: Path) -> tuple[float, float]:
    """Seconds from asking for the reader until its first page is on screen, and until
    the reader was built and shown (its page still to come)."""
    shown: dict[int, float] = {}
    failed: list[str] = []
    start = time.perf_counter()
    reader = _reader(drawing, book, path)
    built = time.perf_counter() - start
    reader.page_shown.connect(lambda page: shown.setdefault(page, time.perf_counter()))
    reader.failed.connect(failed.append)
    try:
        wait_until(
            lambda: 0 in shown or bool(failed),
            signals=[reader.page_shown, reader.failed],
            timeout=PAGE_TIMEOUT,
        )
        if 0 not in shown:
            raise RuntimeError(f"{path.name}: the first page was not shown ({failed})")
        drawing.idle()
    finally:
        reader.close()
        reader.deleteLater()
    return shown[0] - start, built


def _baseline_open(path: Path, zoom: float) -> float:
    """PyMuPDF in this process: open the file and draw page 1 at ``zoom``."""
    import pymupdf  # noqa: PLC0415

    start = time.perf_counter()
    doc: Any = pymupdf.open(path)  # type: ignore[no-untyped-call]
    matrix = pymupdf.Matrix(zoom, zoom)  # type: ignore[no-untyped-call]
    doc[0].get_pixmap(matrix=matrix, alpha=False)
    seconds = time.perf_counter() - start
    doc.close()
    return seconds


def run_t4(report: Report, path: Path, other: Path, runs: int, cold_runs: int) -> None:
    """T4: open ``path`` in a reader and draw its first page, against PyMuPDF open + draw."""
    from app.documents.worker import DocumentWorker  # noqa: PLC0415
    from app.ui.reader.view import DEFAULT_ZOOM  # noqa: PLC0415

    book = _book(path)
    say(f"T4: {path.name} ({book.page_count} pages), {runs} warm and {cold_runs} cold opens")
    warm: list[float] = []
    built: list[float] = []
    direct: list[float] = []
    base: list[float] = []
    with fresh_folder("t4") as folder, Drawing() as drawing:
        # What the window has after its first book: the worker running, the reader's
        # code loaded. One reader on another file does both.
        _open_once(drawing, _book(other), _alias(folder, other, "warm-up"))
        _baseline_open(path, DEFAULT_ZOOM)  # warm-up
        ratio = drawing.app.primaryScreen().devicePixelRatio()
        cold: list[float] = []
        for number in range(cold_runs):
            cold_drawing = Drawing()
            try:
                alias = _alias(folder, path, f"c{number}")
                cold.append(_open_once(cold_drawing, book, alias)[0])
            finally:
                cold_drawing.close()
        cold_worker = DocumentWorker()  # only its start, for the note
        start = time.perf_counter()
        cold_worker.render(other, 0, DEFAULT_ZOOM)
        worker_start = time.perf_counter() - start
        cold_worker.close()
        for number in range(runs):  # ours and the baseline in turn: both see the same noise
            seconds, constructed = _open_once(drawing, book, _alias(folder, path, f"w{number}"))
            warm.append(seconds)
            built.append(constructed)
            base.append(_baseline_open(path, DEFAULT_ZOOM))
            start = time.perf_counter()  # the worker's part alone: open, draw, send
            drawing.worker.render(_alias(folder, path, f"d{number}"), 0, DEFAULT_ZOOM)
            direct.append(time.perf_counter() - start)
    ours, theirs = median(warm), median(base)
    allowed = T4_RATIO * theirs + T4_SLACK_MS / 1000
    report.add(
        Figure(
            "T4",
            f"open a {book.page_count}-page PDF and draw page 1, worker running "
            f"(median of {runs}: {', '.join(f'{t * 1000:.0f}' for t in warm)} ms)",
            ms(ours),
            baseline=f"PyMuPDF open + get_pixmap {ms(theirs)}",
            ratio=f"{ours / theirs:.2f}",
            goal=f"≤ {T4_RATIO:g} × baseline + {T4_SLACK_MS:g} ms",
            met=ours <= allowed,
        )
    )
    report.add(
        Figure(
            "extra",
            f"T4 the same with a new worker process each time, cold (median of {cold_runs})",
            ms(median(cold)),
            baseline=f"PyMuPDF open + get_pixmap {ms(theirs)}",
            ratio=f"{median(cold) / theirs:.1f}",
        )
    )
    report.note(
        f"T4: zoom {DEFAULT_ZOOM:g} × device pixel ratio {ratio:g}; allowed "
        f"{allowed * 1000:.0f} ms; medians: ReaderView built and shown "
        f"{median(built) * 1000:.0f} ms, DocumentWorker.render of page 1 of a file not yet "
        f"open (open, draw, send the pixels) {median(direct) * 1000:.0f} ms; a new worker "
        f"process starts and draws a page in {worker_start * 1000:.0f} ms"
    )


# --------------------------------------------------------------------------- T5


def turn_plan(turns: int, pages: int, start: int, seed: int = 9) -> list[tuple[str, int]]:
    """``turns`` (kind, page) steps from ``start``: mostly forward, some back, some jumps."""
    rng = random.Random(f"bench-turns:{seed}")
    plan: list[tuple[str, int]] = []
    page = start
    for _ in range(turns):
        roll = rng.random()
        if roll < NEXT_SHARE and page < pages - 1:
            kind, page = "next", page + 1
        elif roll < NEXT_SHARE + PREVIOUS_SHARE and page > 0:
            kind, page = "previous", page - 1
        else:
            far = [
                p for p in (rng.randrange(pages) for _ in range(20)) if abs(p - page) >= JUMP_MIN
            ]
            kind, page = "jump", far[0] if far else (page + pages // 2) % pages
        plan.append((kind, page))
    return plan


def _turn(reader: Any, drawing: Drawing, kind: str, page: int) -> Turn:
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    shown: dict[int, float] = {}

    def on_shown(number: int) -> None:
        shown.setdefault(number, time.perf_counter())

    reader.page_shown.connect(on_shown)
    try:
        start = time.perf_counter()
        if kind == "next":
            reader.next_page()
        elif kind == "previous":
            reader.previous_page()
        else:
            reader.go_to(page)
        prefetched = page in shown
        if not prefetched and not wait_until(
            lambda: page in shown, signals=[reader.page_shown], timeout=PAGE_TIMEOUT
        ):
            raise RuntimeError(f"page {page + 1} was not shown")
        QApplication.processEvents()  # the repaint the new page asked for
        painted = time.perf_counter() - start
    finally:
        reader.page_shown.disconnect(on_shown)
    drawing.idle()  # a reader reads the page before turning: prefetches are done
    return Turn(kind, page, shown[page] - start, painted, prefetched)


def _baseline_pages(path: Path, zoom: float, pages: list[int]) -> list[float]:
    """PyMuPDF ``get_pixmap`` of each page at ``zoom``, the document already open."""
    import pymupdf  # noqa: PLC0415

    doc: Any = pymupdf.open(path)  # type: ignore[no-untyped-call]
    try:
        matrix = pymupdf.Matrix(zoom, zoom)  # type: ignore[no-untyped-call]
        doc[pages[0] if pages else 0].get_pixmap(matrix=matrix, alpha=False)  # warm-up
        times = []
        for page in pages:
            start = time.perf_counter()
            doc[page].get_pixmap(matrix=matrix, alpha=False)
            times.append(time.perf_counter() - start)
    finally:
        doc.close()
    return times


def run_t5(
    report: Report,
    path: Path,
    turns: int,
    *,
    target: str = "T5",
    label: str = "",
    seed: int = 9,
    mode: str = "single",
) -> None:
    """T5: ``turns`` page turns in a reader (single-page ``mode``); p95 prefetched and not.

    ``target`` "extra" makes the lines information only (another document or another
    reading mode, said by ``label``).
    """
    from app.ui.reader.view import DEFAULT_ZOOM  # noqa: PLC0415

    book = _book(path)
    plan = turn_plan(turns, book.page_count, book.page_count // 3, seed)
    say(f"T5: {turns} turns in {path.name} ({book.page_count} pages)")
    with fresh_folder("t5") as folder, Drawing() as drawing:
        alias = _alias(folder, path, "book")
        _open_once(drawing, book, _alias(folder, path, "warm-up"))  # worker and code warm
        reader = _reader(drawing, book, alias, book.page_count // 3, mode)
        try:
            wait_until(lambda: reader.page == book.page_count // 3, timeout=PAGE_TIMEOUT)
            drawing.idle()
            done = [_turn(reader, drawing, kind, page) for kind, page in plan]
        finally:
            reader.close()
            reader.deleteLater()
        drawing.idle()
        direct: list[float] = []  # the worker's part alone: draw and send the pixels
        for turn in done:
            if not turn.prefetched:
                start = time.perf_counter()
                drawing.worker.render(alias, turn.page, DEFAULT_ZOOM)
                direct.append(time.perf_counter() - start)
    cached = [t for t in done if t.prefetched]
    drawn = [t for t in done if not t.prefetched]
    base = _baseline_pages(path, DEFAULT_ZOOM, [t.page for t in drawn])
    name = "T5 " if target == "extra" else ""
    scored = target != "extra"  # extra lines are information: no target met or missed
    about = f"{label}, " if label else ""
    p95_cached = percentile([t.seconds for t in cached], 0.95)
    report.add(
        Figure(
            target,
            f"{name}page turn p95, prefetched ({about}{len(cached)} of {len(done)} turns)",
            f"{ms(p95_cached)} (p50 {ms(median([t.seconds for t in cached]))})"
            if cached
            else "no prefetched turns",
            goal=f"≤ {T5_PREFETCHED_MS:g} ms" if scored else "—",
            met=(p95_cached * 1000 <= T5_PREFETCHED_MS) if cached and scored else None,
        )
    )
    p95_drawn, p95_base = (
        percentile([t.seconds for t in drawn], 0.95),
        percentile(base, 0.95),
    )
    ratio = p95_drawn / p95_base if drawn else float("nan")
    report.add(
        Figure(
            target,
            f"{name}page turn p95, not prefetched ({about}{len(drawn)} of {len(done)} turns)",
            f"{ms(p95_drawn)} (p50 {ms(median([t.seconds for t in drawn]))})"
            if drawn
            else "no such turns",
            baseline=f"PyMuPDF get_pixmap {ms(p95_base)} (p50 {ms(median(base))})" if base else "—",
            ratio=f"{ratio:.2f}" if drawn else "—",
            goal=f"≤ {T5_RATIO:g} × baseline" if scored else "—",
            met=ratio <= T5_RATIO if drawn and scored else None,
        )
    )
    kinds = ", ".join(
        f"{kind} ×{sum(t.kind == kind for t in done)} "
        f"({sum(t.kind == kind and t.prefetched for t in done)} prefetched)"
        for kind in ("next", "previous", "jump")
    )
    report.note(
        f"{target if target != 'extra' else 'T5'} {about}turns: {kinds}; until the window "
        f"was repainted too: prefetched p95 "
        f"{percentile([t.painted for t in cached], 0.95) * 1000:.1f} ms, not prefetched p95 "
        f"{percentile([t.painted for t in drawn], 0.95) * 1000:.1f} ms; "
        f"DocumentWorker.render() of the not prefetched pages called directly: p95 "
        f"{percentile(direct, 0.95) * 1000:.1f} ms (p50 {median(direct or [0.0]) * 1000:.1f} ms)"
    )
