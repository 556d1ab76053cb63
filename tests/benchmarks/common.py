"""What every benchmark shares: folders, timing, percentiles, figures and the machine."""

from __future__ import annotations

import contextlib
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = Path(os.environ.get("MUTOLAA_FIXTURES", ROOT.parent / "shared" / "fixtures")) / (
    "documents"
)
#: Generated inputs are kept here between runs, keyed by their parameters.
CACHE = Path(os.environ.get("MUTOLAA_BENCH_CACHE", "/tmp/mutolaa-bench-cache"))
#: Fresh library folders are made here (never in the user's home) and removed after use.
SCRATCH = Path(os.environ.get("MUTOLAA_BENCH_TMP", tempfile.gettempdir()))


@dataclass
class Figure:
    """One measured line of the report.

    ``met`` is None for figures without a target (extra information).
    """

    target: str  # "T1" … "T7", or "extra" (then the name starts with the target it belongs to)
    name: str
    measured: str
    baseline: str = "—"
    ratio: str = "—"
    goal: str = "—"
    met: bool | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def group(self) -> str | None:
        """The target this figure belongs to ("T3" for an extra line named "T3 …")."""
        return target_of(self.target if self.target != "extra" else self.name)

    def line(self) -> str:
        """The figure as one printed line."""
        parts = [f"{self.target:<5} {self.name}: {self.measured}"]
        if self.baseline != "—":
            parts.append(f"baseline {self.baseline}")
        if self.ratio != "—":
            parts.append(f"ratio {self.ratio}")
        if self.met is not None:
            parts.append(f"target {self.goal}: {'MET' if self.met else 'MISSED'}")
        return "; ".join(parts)


class Report:
    """Collects figures and prints each as soon as it is known."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.notes: list[str] = []

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(figure.line(), flush=True)
        return figure

    def note(self, text: str) -> None:
        """A line of context (printed, and listed under the table)."""
        self.notes.append(text)
        print(f"      {text}", flush=True)


_TARGET = re.compile(r"(T\d+)\b")


def target_of(text: str) -> str | None:
    """The target a figure, a note or a printed line is about: its first word "T<n>"."""
    match = _TARGET.match(text.strip())
    return match.group(1) if match else None


def target_key(target: str) -> int:
    """Sorts "T2" before "T10"."""
    return int(target[1:]) if target[1:].isdigit() else 1_000


def say(text: str) -> None:
    """Progress for the person running the benchmark (stderr, not part of the figures)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def fresh_folder(prefix: str) -> Iterator[Path]:
    """A new empty folder under the scratch directory, removed afterwards."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"mutolaa-bench-{prefix}-", dir=SCRATCH))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` (0–1) percentile, linearly interpolated (numpy's default method)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    import pymupdf  # noqa: PLC0415 - only the benchmarks need it here
    import PySide6  # noqa: PLC0415
    import whoosh  # noqa: PLC0415

    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cores": f"{os.cpu_count()} ({affinity} usable)" if affinity else str(os.cpu_count()),
        "cpu": cpu_model(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pymupdf": f"{pymupdf.VersionBind} (MuPDF {pymupdf.VersionFitz})",
        "whoosh": whoosh.versionstring(),
        "pyside6": PySide6.__version__,
        "sqlite": sqlite3.sqlite_version,
        "code": _git_state(),
    }


def _git_state() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "app"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head or 'unknown'}" + (" + uncommitted changes in app/" if dirty else "")


# --------------------------------------------------------------------------- processes


def read_kib(pid: int | str, field_name: str, file: str = "status") -> int | None:
    """A ``kB`` field of /proc/<pid>/status (VmRSS, VmHWM) or smaps_rollup (Pss), in KiB."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1])
    return None


def child_pids(pid: int | str) -> list[int]:
    """The direct children of a process (Linux /proc)."""
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(x) for x in (task / "children").read_text().split()]
    return sorted(set(found))


def command_line(pid: int | str) -> str:
    """A process's command line, arguments joined by spaces ("" once it is gone)."""
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    return ""


# --------------------------------------------------------------------------- Qt


def qt_app() -> QApplication:
    """The process's QApplication (offscreen unless a platform was chosen), made once."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415 - Qt only for T4–T7

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0]])
    return app


def wait_until(
    condition: Callable[[], bool],
    *,
    signals: Sequence[Any] = (),
    poll_ms: int = 0,
    timeout: float = 60.0,
) -> bool:
    """Run the Qt event loop until ``condition()`` holds; False on timeout.

    ``condition`` is checked whenever one of ``signals`` is emitted, and every ``poll_ms``
    milliseconds when given (for states no signal announces).
    """
    from PySide6.QtCore import QEventLoop, QTimer  # noqa: PLC0415

    if condition():
        return True
    loop = QEventLoop()

    def check(*_args: object) -> None:
        if condition():
            loop.quit()

    for signal in signals:
        signal.connect(check)
    poll = QTimer()
    poll.timeout.connect(check)
    if poll_ms:
        poll.start(poll_ms)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(int(timeout * 1000))
    try:
        loop.exec()
    finally:
        poll.stop()
        deadline.stop()
        for signal in signals:
            signal.disconnect(check)
    return condition()
