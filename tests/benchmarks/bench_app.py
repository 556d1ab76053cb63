"""T6 and T7: the application started in a real subprocess on a large library.

T6 times ``python`` started by ``Popen`` until the window is shown and the first row of its
library list has its data, against ``python -c "import PySide6.QtWidgets"``. T7 reads the
resident memory of the application and of its MuPDF worker once the whole list was
scrolled, a search was run and a 2,000-page book is open in a reader tab. The child is
``app_driver``, which starts the application through ``app.cli.main`` as ``python -m app``
does. Both libraries are built once by the importer and cached; every run uses a copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.core.paths import resolve_paths
from app.index.schema import SCHEMA_VERSION
from app.services.library.importer import Importer
from app.services.session import Library
from tests.benchmarks.bench_search import _code_key, cached_build
from tests.benchmarks.common import CACHE, ROOT, Figure, Report, fresh_folder, median, say
from tests.benchmarks.inputs import (
    INPUT_VERSION,
    SearchCorpus,
    cache_entry,
    make_queries,
    publish,
    small_books,
)

T6_SECONDS = 1.0
T7_MB = 350.0
RUN_TIMEOUT = 300.0
#: The interface language of the started application (its translator is loaded).
LANGUAGE = "uz"
DRIVER = (
    "import time; started = time.time(); from tests.benchmarks.app_driver import main; "
    "raise SystemExit(main(started))"
)


@dataclass
class LibraryFigures:
    """What a cached library holds and what building it cost (kept beside it)."""

    books: int
    pages_indexed: int
    import_seconds: float
    built_at: str


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _import_into(folder: Path, paths: list[Path]) -> LibraryFigures:
    """Import ``paths`` into the library in ``folder`` (new or existing) through the importer."""
    with Library(resolve_paths(folder)) as library:
        start = time.perf_counter()
        with Importer(library) as importer:
            report = importer.run(paths)
        seconds = time.perf_counter() - start
        if report.failures:
            raise RuntimeError(f"import failed: {report.failures[:3]}")
        books = library.store.books()
        return LibraryFigures(
            books=len(books),
            pages_indexed=sum(book.indexed_pages for book in books),
            import_seconds=seconds,
            built_at=time.strftime("%Y-%m-%d %H:%M"),
        )


def _cached_library(name: str, family: str, build: Any) -> tuple[Path, LibraryFigures]:
    """The cached library folder ``name`` (built by ``build(folder)`` when missing)."""
    final = cache_entry(name)
    figures_file = final / "build.json"
    if final.exists() and figures_file.exists():
        return final / "library", LibraryFigures(**json.loads(figures_file.read_text()))
    temp = final.with_name(f".{name}.part")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    try:
        figures = build(temp / "library")
        (temp / "build.json").write_text(json.dumps(asdict(figures)))
        publish(temp, final)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    for stale in final.parent.glob(f"{family}-*"):  # built by older code: never used again
        if stale != final:
            shutil.rmtree(stale, ignore_errors=True)
    return final / "library", figures


def shelf_library(books: int, rebuild: bool = False) -> tuple[Path, LibraryFigures]:
    """A library of ``books`` small books imported by the importer (T6)."""
    family = f"shelf-v{INPUT_VERSION}-{books}books"
    name = f"{family}-schema{SCHEMA_VERSION}-code{_code_key()}"
    if rebuild:
        shutil.rmtree(cache_entry(name), ignore_errors=True)
    source = small_books(books)

    def build(folder: Path) -> LibraryFigures:
        say(f"T6: importing {books} books into a new library (cached as {name})")
        figures = _import_into(folder, [source])
        say(f"T6: imported in {figures.import_seconds:.0f} s")
        return figures

    return _cached_library(name, family, build)


def memory_library(
    corpus: SearchCorpus, books: int, book: Path, rebuild: bool = False
) -> tuple[Path, LibraryFigures]:
    """The T3 library (``corpus.pages`` pages) with ``books`` small books and ``book`` (T7)."""
    search_folder, _built, _new = cached_build(corpus, rebuild=False)
    family = f"memory-v{INPUT_VERSION}-{books}books-{book.stem}"
    name = f"{family}-{search_folder.name}"
    if rebuild:
        shutil.rmtree(cache_entry(name), ignore_errors=True)
    source = small_books(books)

    def build(folder: Path) -> LibraryFigures:
        say(f"T7: the T3 library plus {books} books and {book.name} (cached as {name})")
        shutil.copytree(search_folder / "library", folder)
        figures = _import_into(folder, [book, source])
        say(f"T7: imported in {figures.import_seconds:.0f} s")
        return figures

    return _cached_library(name, family, build)


# --------------------------------------------------------------------------- the child


def _env() -> dict[str, str]:
    """The child's environment: offscreen, in Uzbek, with compiled bytecode kept.

    An installed application has its modules compiled (pip writes the ``.pyc`` files); a
    shell with PYTHONDONTWRITEBYTECODE would compile every module at every start instead
    (about 0.15 s here). The bytecode goes to the benchmark cache, not the work tree.
    """
    env = dict(os.environ)
    env.pop("MUTOLAA_HOME", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["MUTOLAA_LANGUAGE"] = LANGUAGE
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the child's whole process group (its MuPDF worker too) if anything is left."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def drive(
    library: Path, mode: str, *extra: str, driver: str = DRIVER
) -> tuple[float, list[dict[str, Any]]]:
    """Run the driver (``app_driver`` unless ``driver`` says which) on ``library``; its JSON
    events and the wall-clock time it started."""
    log = library.parent / f"driver-{mode}.stderr"
    with log.open("wb") as stderr:
        started = time.time()
        process = subprocess.Popen(
            [sys.executable, "-c", driver, mode, str(library), *extra],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=stderr,
            start_new_session=True,  # its own process group: nothing outlives it
        )
        try:
            out, _err = process.communicate(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            _stop_group(process)
            raise RuntimeError(f"the application did not finish in {RUN_TIMEOUT:g} s") from None
        finally:
            _stop_group(process)
    events = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    done = next((e for e in events if e["event"] == "done"), None)
    if done is None or not done["ok"] or process.returncode != 0:
        problem = done["error"] if done else "no report"
        tail = log.read_text(errors="replace")[-800:]
        raise RuntimeError(f"the application run failed ({problem}); stderr:\n{tail}")
    log.unlink(missing_ok=True)
    return started, events


def _event(events: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(e for e in events if e["event"] == name)


def _baseline() -> float:
    """Wall time of ``python -c "import PySide6.QtWidgets"``."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import PySide6.QtWidgets"], env=_env(), cwd=ROOT, check=True
    )
    return time.perf_counter() - start


# --------------------------------------------------------------------------- T6


def run_t6(report: Report, books: int, runs: int, rebuild: bool = False) -> None:
    """T6: start to usable window on a library of ``books`` books, median of ``runs``."""
    source, built = shelf_library(books, rebuild)
    parts: dict[str, list[float]] = {}
    totals: list[float] = []
    bases: list[float] = []
    with fresh_folder("t6") as folder:
        library = folder / "library"
        shutil.copytree(source, library)
        say(f"T6: {runs} starts on {built.books} books (after one warm-up), and the baseline")
        drive(library, "start")  # warm-up: the files in the page cache, as on a used machine
        _baseline()
        for _ in range(runs):
            started, events = drive(library, "start")
            stamps = _event(events, "ready")["stamps"]
            totals.append(stamps["ready"] - started)
            marks = [
                ("interpreter start", started, stamps["started"]),
                ("import PySide6.QtWidgets", stamps["started"], stamps["qt_imported"]),
                ("QApplication + app imports", stamps["qt_imported"], stamps["app_called"]),
                ("library, window built and shown", stamps["app_called"], stamps["window_shown"]),
                ("first rows", stamps["window_shown"], stamps["ready"]),
            ]
            for label, begin, end in marks:
                parts.setdefault(label, []).append(end - begin)
            bases.append(_baseline())
    total, base = median(totals), median(bases)
    report.add(
        Figure(
            "T6",
            f"application start to usable window, {built.books} books (median of {runs}: "
            + ", ".join(f"{t:.2f}" for t in totals)
            + " s)",
            f"{total:.2f} s",
            baseline=f'python -c "import PySide6.QtWidgets" {base:.2f} s',
            ratio=f"{total / base:.1f}",
            goal=f"≤ {T6_SECONDS:g} s",
            met=total <= T6_SECONDS,
        )
    )
    report.note(
        "T6 where the time goes (medians): "
        + ", ".join(f"{label} {median(values) * 1000:.0f} ms" for label, values in parts.items())
        + f"; interface language {LANGUAGE}"
    )


# --------------------------------------------------------------------------- T7


def _mb(kib: float) -> float:
    return kib * 1024 / 1e6


def run_t7(
    report: Report, corpus: SearchCorpus, books: int, book: Path, rebuild: bool = False
) -> None:
    """T7: resident memory of the UI process and its MuPDF worker in a full session."""
    source, built = memory_library(corpus, books, book, rebuild)
    query = next(q.text for q in make_queries(40) if q.kind == "and")
    with fresh_folder("t7") as folder:
        library = folder / "library"
        shutil.copytree(source, library)
        say(f"T7: {built.books} books, {built.pages_indexed} pages indexed; open {book.name}")
        _started, events = drive(
            library, "memory", "--book", _sha256(book), "--query", query, "--turns", "12"
        )
    found = _event(events, "memory")
    processes = found["processes"]
    ui = [p for p in processes if p["role"] == "ui"]
    workers = [p for p in processes if p["role"] == "mupdf worker"]
    others = [p for p in processes if p["role"] not in ("ui", "mupdf worker")]
    if not workers:
        raise RuntimeError(f"T7: no MuPDF worker among the children: {processes}")
    ui_kib = sum(p["rss"] or 0 for p in ui)
    worker_kib = sum(p["rss"] or 0 for p in workers)
    total = _mb(ui_kib + worker_kib)
    report.add(
        Figure(
            "T7",
            f"resident memory, UI + MuPDF worker: {found['pages_shown']} pages of a "
            f"{found['book_pages']}-page PDF shown, {built.pages_indexed} pages indexed, "
            f"{found['listed']} books listed, one search",
            f"{total:.0f} MB (UI {_mb(ui_kib):.0f} MB + worker {_mb(worker_kib):.0f} MB"
            + (f" in {len(workers)} processes" if len(workers) > 1 else "")
            + ")",
            goal=f"≤ {T7_MB:g} MB",
            met=total <= T7_MB,
        )
    )
    report.add(
        Figure(
            "extra",
            f"T7 session: open_book of the {found['book_pages']}-page book to page 1, window "
            "just started (its MuPDF worker "
            + ("already running)" if found["worker_was_running"] else "not running yet)"),
            f"{found['open_seconds'] * 1000:.0f} ms (the tab after "
            f"{found['tab_seconds'] * 1000:.0f} ms)",
        )
    )
    pss = sum(p["pss"] or 0 for p in ui + workers)
    other = ", ".join(f"{p['role']} {_mb(p['rss'] or 0):.0f} MB" for p in others) or "none"
    report.note(
        f"T7: VmRSS in MB of 10^6 bytes; proportional set size (shared pages split) "
        f"{_mb(pss):.0f} MB; UI peak (VmHWM) {_mb(ui[0]['hwm'] or 0):.0f} MB; other "
        f"children: {other}; search {query!r} took {found['search_seconds'] * 1000:.0f} ms "
        f"({found['hits']} pages)"
    )
    report.note(
        "T7 UI process VmRSS (anonymous + file-backed + shared memory) along the session: "
        + ", ".join(
            f"{label} {mb['VmRSS']:.0f} ({mb['RssAnon']:.0f} + {mb['RssFile']:.0f} + "
            f"{mb.get('RssShmem', 0):.0f}) MB"
            for label, mb in found["stages"]
        )
    )
    report.note(
        "T7 resident memory at the end, anonymous + file-backed (mapped files: libraries, "
        "the index) + shared memory (the page buffer both processes map, so counted twice "
        "in the sum): "
        + ", ".join(
            f"{p['role']} {_mb(p['anon'] or 0):.0f} + {_mb(p['file'] or 0):.0f} + "
            f"{_mb(p['shmem'] or 0):.0f} MB"
            for p in ui + workers
        )
    )


def profile_start(books: int, top: int = 40) -> None:
    """Print where the application's start-up time goes (cProfile of one start, warm)."""
    import pstats  # noqa: PLC0415

    source, built = shelf_library(books)
    with fresh_folder("t6-profile") as folder:
        library = folder / "library"
        shutil.copytree(source, library)
        drive(library, "start")  # warm-up
        stats_file = folder / "start.pstats"
        started, events = drive(library, "start", "--profile", str(stats_file))
        stamps = _event(events, "ready")["stamps"]
        say(
            f"T6 profile: {built.books} books; ready {stamps['ready'] - started:.2f} s after "
            f"Popen (profiled from the driver's first line: slower than a plain start)"
        )
        stats = pstats.Stats(str(stats_file))
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top // 2)
