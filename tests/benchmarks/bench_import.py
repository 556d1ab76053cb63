"""T1: import + index throughput against PyMuPDF ``page.get_text()`` over the same files."""

from __future__ import annotations

import time
from pathlib import Path

import pymupdf

from app.core.paths import resolve_paths
from app.services.library.importer import Importer
from app.services.session import Library
from tests.benchmarks.common import Figure, Report, fresh_folder, say

TARGET_RATIO = 0.6


def baseline_get_text(files: list[Path]) -> tuple[int, float]:
    """Pages and seconds for plain PyMuPDF text extraction of every page, in one process."""
    pages = 0
    start = time.perf_counter()
    for path in files:
        with pymupdf.open(path) as doc:
            for page in doc:
                page.get_text()
                pages += 1
    return pages, time.perf_counter() - start


def import_all(files: list[Path]) -> tuple[int, float, list[str]]:
    """Import ``files`` into a fresh library; pages, seconds (run through close) and problems."""
    problems: list[str] = []
    with fresh_folder("t1") as folder, Library(resolve_paths(folder)) as library:
        start = time.perf_counter()
        with Importer(library) as importer:
            report = importer.run(files)
        seconds = time.perf_counter() - start
        problems += [f"{path}: {why}" for path, why in report.failures]
        pages = 0
        for book in library.store.books():
            pages += book.page_count
            if book.indexed_pages != book.extracted_pages or book.state.value != "ready":
                problems.append(
                    f"{book.original_name}: {book.state.value}, indexed {book.indexed_pages}"
                    f" of {book.extracted_pages} pages"
                )
    return pages, seconds, problems


def run(report: Report, files: list[Path]) -> None:
    for path in files:  # read every file once so neither side pays for a cold disk
        path.read_bytes()
    say(f"T1 baseline: PyMuPDF get_text over {len(files)} files (best of 2)")
    base_pages, base_seconds = min(
        (baseline_get_text(files) for _ in range(2)), key=lambda result: result[1]
    )
    say(f"T1 import + index of {len(files)} files ({base_pages} pages)")
    pages, seconds, problems = import_all(files)
    ours = pages / seconds
    base = base_pages / base_seconds
    ratio = ours / base
    report.add(
        Figure(
            "T1",
            "import + index throughput",
            f"{ours:.0f} pages/s ({pages} pages in {seconds:.1f} s)",
            baseline=f"{base:.0f} pages/s ({base_pages} pages in {base_seconds:.1f} s)",
            ratio=f"{ratio:.2f}",
            goal=f"≥ {TARGET_RATIO} × baseline",
            met=ratio >= TARGET_RATIO and not problems,
        )
    )
    report.note(f"T1 input: {len(files)} files: " + ", ".join(p.name for p in files))
    if pages != base_pages:
        report.note(f"T1 warning: the library holds {pages} pages, PyMuPDF counted {base_pages}")
    for problem in problems:
        report.note(f"T1 problem: {problem}")
