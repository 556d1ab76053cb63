"""What every benchmark shares: folders, timing, percentiles, figures and the machine."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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

    target: str  # "T1", "T2", "T3" or "extra"
    name: str
    measured: str
    baseline: str = "—"
    ratio: str = "—"
    goal: str = "—"
    met: bool | None = None
    notes: list[str] = field(default_factory=list)

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
