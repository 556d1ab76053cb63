"""A child process that starts the real application and reports when its window is usable.

Run by bench_app (T6, T7) as::

    python -c "import time; t = time.time(); from tests.benchmarks.app_driver import main;
               raise SystemExit(main(t))" start|memory LIBRARY [options]

``-c`` rather than ``-m``: the MuPDF worker is a spawned process, and spawn imports the
parent's main module into it; ``python -m app`` is skipped there (a package's
``__main__``), and ``-c`` keeps this module out of the worker the same way.

The application starts through its own entry point, ``app.cli.main(["--library", DIR])``,
exactly as ``python -m app`` does. This module only creates the QApplication first
(``run_window`` uses an existing one) and starts a timer that, once the event loop runs,
finds the main window and watches its library model. No hook is added to the application.

Every report is one JSON line on stdout; the last one is ``{"event": "done", ...}``.
``start``: the window is usable when it is shown and the first row of the library list
has its data. ``memory``: then every row is loaded by scrolling, a search is run, a book is
opened in a reader tab and a few pages are turned; then the resident memory of this
process and of its children is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

#: How often the window is looked for until it exists (then its signals are followed).
FIND_MS = 2
STEP_TIMEOUT = 120.0


def emit(event: str, **data: Any) -> None:
    """One JSON line for the parent."""
    print(json.dumps({"event": event, "time": time.time(), **data}), flush=True)


def main(started: float | None = None) -> int:
    """Start the application on the library; report, then close the window."""
    started = started if started is not None else time.time()
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("start", "memory"))
    parser.add_argument("library")
    parser.add_argument("--book", default="", help="memory: id of the book to open")
    parser.add_argument("--query", default="", help="memory: what to search once")
    parser.add_argument("--turns", type=int, default=12, help="memory: pages to turn")
    parser.add_argument("--profile", default="", help="start: write a cProfile here")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    profiler = None
    if args.profile:
        import cProfile  # noqa: PLC0415

        profiler = cProfile.Profile()
        profiler.enable()
    from PySide6.QtCore import QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    qt_imported = time.time()
    app = QApplication(sys.argv[:1])
    from app.cli import main as app_main  # noqa: PLC0415

    stamps: dict[str, float] = {"started": started, "qt_imported": qt_imported}
    watcher = Watcher(app, args, stamps, profiler)
    finder = QTimer()
    finder.timeout.connect(lambda: watcher.find(finder))
    finder.start(FIND_MS)
    stamps["app_called"] = time.time()
    status = app_main(["--library", args.library])
    emit("done", status=status, ok=watcher.ok, error=watcher.error)
    return 0 if watcher.ok and status == 0 else 1


class Watcher:
    """Follows the main window from the moment it exists, then runs the mode's steps."""

    def __init__(
        self, app: Any, args: argparse.Namespace, stamps: dict[str, float], profiler: Any
    ) -> None:
        self.app = app
        self.args = args
        self.stamps = stamps
        self.profiler = profiler
        self.window: Any = None
        self.ok = False
        self.error = ""

    def find(self, finder: Any) -> None:
        """Called by a timer until the main window is shown."""
        from app.ui.window.main_window import MainWindow  # noqa: PLC0415 - imported by now

        windows = [w for w in self.app.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or not windows[0].isVisible():
            return
        finder.stop()
        self.window = windows[0]
        self.stamps["window_shown"] = time.time()
        try:
            self.run()
            self.ok = True
        except Exception as exc:  # reported to the parent, which fails the benchmark
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.window.close()  # stops its runners and worker; app.exec() returns

    def wait(self, condition: Any, signals: list[Any], what: str, poll_ms: int = 0) -> None:
        from tests.benchmarks.common import wait_until  # noqa: PLC0415

        if not wait_until(condition, signals=signals, poll_ms=poll_ms, timeout=STEP_TIMEOUT):
            raise RuntimeError(f"timed out waiting for {what}")

    def run(self) -> None:
        model = self.window.library_panel.model
        loaded: list[int] = []
        model.shelf_loaded.connect(loaded.append)

        def usable() -> bool:
            if not loaded and model.rowCount() == 0:
                return False
            return model.rowCount() == 0 or model.book(0) is not None

        self.wait(usable, [model.shelf_loaded, model.dataChanged], "the first rows")
        self.stamps["ready"] = time.time()
        if self.profiler is not None:
            self.profiler.disable()
            self.profiler.dump_stats(self.args.profile)
        emit("ready", stamps=self.stamps, rows=model.rowCount())
        if self.args.mode == "memory":
            self.memory()

    def memory(self) -> None:
        """List every book, search once, read a book; then report resident memory."""
        window, model = self.window, self.window.library_panel.model
        stages = [("window usable", _rss_mb())]
        rows = model.rowCount()
        for row in range(0, rows, 50):  # scroll the list to its end, a screenful at a time
            last = min(rows, row + 50) - 1
            window.library_panel.table.scrollTo(model.index(last, 0))
            self.wait(lambda r=last: model.book(r) is not None, [model.dataChanged], "rows")
        listed = sum(model.book(r) is not None for r in range(rows))
        stages.append((f"{listed} rows loaded", _rss_mb()))

        results: list[Any] = []
        window.search_finished.connect(results.append)
        start = time.perf_counter()
        window.run_search(self.args.query)
        self.wait(lambda: bool(results), [window.search_finished], "the search")
        searched = time.perf_counter() - start
        hits = results[0].total_pages if results[0] is not None else -1
        stages.append(("one search", _rss_mb()))

        readers: list[Any] = []
        shown: dict[int, float] = {}
        worker_running = any(p["role"] == "mupdf worker" for p in _processes())
        window.book_opened.connect(readers.append)
        start = time.perf_counter()
        window.open_book(self.args.book, page=0)
        self.wait(lambda: bool(readers), [window.book_opened], "the reader tab")
        reader = readers[0]
        tab_opened = time.perf_counter() - start
        reader.page_shown.connect(lambda page: shown.setdefault(page, time.perf_counter()))
        self.wait(lambda: 0 in shown, [reader.page_shown], "the first page")
        first_page = shown[0] - start if 0 in shown else float("nan")
        stages.append(("book open, page 1 shown", _rss_mb()))
        page_count = reader.book.page_count
        targets = [n + 1 for n in range(self.args.turns // 2)]
        targets += [page_count * k // 7 for k in range(1, self.args.turns - len(targets) + 1)]
        for wanted in targets:
            page = min(wanted, page_count - 1)
            reader.go_to(page)
            self.wait(lambda p=page: p in shown, [reader.page_shown], f"page {page + 1}")
        stages.append((f"{len(shown)} pages shown", _rss_mb()))
        settle = time.perf_counter()
        self.wait(lambda: time.perf_counter() - settle > 1.0, [], "settling", poll_ms=50)
        emit(
            "memory",
            processes=_processes(),
            rows=rows,
            listed=listed,
            hits=hits,
            search_seconds=searched,
            open_seconds=first_page,
            tab_seconds=tab_opened,
            worker_was_running=worker_running,
            stages=stages,
            pages_shown=len(shown),
            book_pages=page_count,
        )


def _rss_mb() -> dict[str, float]:
    """VmRSS of this process and its parts (RssAnon, RssFile, RssShmem), in MB of 10^6
    bytes."""
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name = line.split(":", 1)[0]
            if name in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                found[name] = int(line.split()[1]) * 1024 / 1e6
    return found


def _processes() -> list[dict[str, Any]]:
    """This process and its children: pid, role, VmRSS, VmHWM, Pss, RssAnon, RssFile and
    RssShmem in KiB."""
    from tests.benchmarks.common import child_pids, command_line, read_kib  # noqa: PLC0415

    found: list[dict[str, Any]] = [{"pid": os.getpid(), "role": "ui"}]
    for pid in child_pids(os.getpid()):
        line = command_line(pid)
        if "resource_tracker" in line:
            role = "resource tracker"
        elif "spawn_main" in line:
            role = "mupdf worker"
        else:
            role = "other"
        found.append({"pid": pid, "role": role})
    for entry in found:
        pid = entry["pid"]
        entry["rss"] = read_kib(pid, "VmRSS")
        entry["hwm"] = read_kib(pid, "VmHWM")
        entry["pss"] = read_kib(pid, "Pss", "smaps_rollup")
        entry["anon"] = read_kib(pid, "RssAnon")
        entry["file"] = read_kib(pid, "RssFile")
        entry["shmem"] = read_kib(pid, "RssShmem")
    return found
