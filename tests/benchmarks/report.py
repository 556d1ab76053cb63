"""Writing docs/performance.md from the figures of one run."""

from __future__ import annotations

import time
from pathlib import Path

from tests.benchmarks.common import Figure, Report

HEADER = """# Performance

Measured by `python -m tests.benchmarks.run` (see `tests/benchmarks/`); the targets are those
of the design's TARGETS.md. Every target is a ratio against a baseline measured in the same
run on the same input, with the absolute figure beside it. The machines are shared and noisy:
expect differences of 10–20 % between runs.
"""

METHOD = """## How each figure is measured

- **T1** — a fresh library folder; wall time of `Importer.run(files)` through `close()`
  (every page stored, indexed and committed), including the start of the MuPDF worker
  process. Baseline: `pymupdf.open` + `page.get_text()` of every page of the same files in
  one process (best of two runs). Input: the real fixture PDFs and EPUBs (copies with the
  same content dropped) and generated multilingual books (cached under
  `/tmp/mutolaa-bench-cache`).
- **T2** — `python -m app --library DIR import book.pdf` started with `Popen`; the benchmark
  process opens the library once the importer created its index, and calls
  `app.services.searching.search()` for a word that only page 1 holds every 50 ms until
  page 1 is among the hits. Median of the runs; the whole import time is reported beside it.
- **T3** — a library built by writing page texts directly (book rows and pages through the
  store, the index through the importer's `Indexer` in 32-page batches with a flush per
  book, as an import does), ~1,800 characters a page from `tests/support/corpus.py` in
  uz, uz-cyrl, ru and en, about 3 % of pages carrying a rare word. The same texts go into an
  SQLite FTS5 table (default `unicode61` tokenizer). Queries: common and rare single words
  (some typed with an ASCII apostrophe, a few found nowhere), two-word AND, phrases, prefixes
  (`kitob*`) and OR, over all four languages. Ours: `search(library, q, limit=10)` (ranked
  page hits grouped by book, per-book counts, title matches and a snippet per hit). Baseline:
  `SELECT book, page, snippet(pages, -1, '[', ']', '…', 16) FROM pages WHERE pages MATCH ?
  ORDER BY rank LIMIT 10`. One warm-up pass of every query on both sides, then one timed
  pass each. The built library is cached by parameters and by the source of the indexing
  code; each run searches a fresh copy of it.
"""


#: Text below this line in an existing report (analysis written by hand) survives a rewrite.
KEEP_MARKER = "<!-- Everything below this line is kept when run.py rewrites this file. -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _met(figure: Figure) -> str:
    if figure.met is None:
        return "—"
    return "**yes**" if figure.met else "**no**"


def write(path: Path, report: Report, machine: dict[str, str], mode: str, seconds: float) -> None:
    lines = [HEADER]
    if mode != "full":
        lines.append(f"> **{mode} run (smaller inputs): these are not the reference figures.**\n")
    lines += [
        "## Results",
        "",
        "| target | figure | measured | baseline | ratio | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for figure in report.figures:
        lines.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    figure.target,
                    figure.name,
                    figure.measured,
                    figure.baseline,
                    figure.ratio,
                    figure.goal,
                )
            )
            + f" | {_met(figure)} |"
        )
    if report.notes:
        lines += ["", "Notes from the run:", ""]
        lines += [f"- {_cell(note)}" for note in report.notes]
    lines += ["", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {_cell(value)} |" for key, value in machine.items()]
    lines.append(f"| benchmark run time | {seconds:.0f} s ({mode}) |")
    lines += ["", METHOD]
    lines += [
        "## Printed figures",
        "",
        "```",
        *(figure.line() for figure in report.figures),
        "```",
        "",
        f"_Written {time.strftime('%Y-%m-%d %H:%M')}._",
        "",
    ]
    kept = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if KEEP_MARKER in old:
            kept = old[old.index(KEEP_MARKER) + len(KEEP_MARKER) :].lstrip("\n")
    lines += [KEEP_MARKER, "", kept]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
