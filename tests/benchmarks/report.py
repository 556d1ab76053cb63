"""Writing docs/performance.md from the figures of one run, merged into the existing file.

A run of some targets only (``--only T4 T5``) replaces the rows, notes and printed lines of
those targets and keeps the others from the file as it was, with the run they came from
listed under "Runs". Text below ``KEEP_MARKER`` (analysis written by hand) is kept too.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmarks.common import Figure, Report, target_key, target_of

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
  `app.services.library.searching.search()` for a word that only page 1 holds every 50 ms until
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
- **T4** — in the benchmark process (offscreen Qt): from creating a `ReaderView` (single-page
  mode, the reader's default zoom `DEFAULT_ZOOM` × device pixel ratio 1, shown at 1000×700)
  until its `page_shown(0)`, on a generated 2,000-page multilingual PDF, with the MuPDF
  worker already running: the worker (and the reader's code) is warmed by opening a reader
  on another file first, as in a window whose worker is up; each run opens the book under
  a new file name, so the worker opens the document again. Median of 7. Baseline:
  `pymupdf.open` + `doc[0].get_pixmap()` at the same zoom in-process, taken after each of
  our opens (median of 7, after one warm-up). The cold line starts a new worker process for
  each open. The note splits our time: building and showing the `ReaderView`, and
  `DocumentWorker.render()` of page 1 of a file the worker has not opened, called directly.
- **T5** — the same reader on the same book, 300 turns from a third of the way in, seeded:
  60 % next page, 20 % previous page, 20 % jumps to a random page at least 50 pages away.
  Each turn is timed from `next_page()`/`previous_page()`/`go_to()` until `page_shown` of
  that page, and then the benchmark waits until the reader's renders (its prefetch of the
  neighbours) are done, as a person reads the page before turning it. A turn is
  *prefetched* when the page was shown before the call returned (it was in the reader's
  cache). Baseline: `get_pixmap()` of the same non-prefetched pages at the same zoom on a
  document already open, in-process. The extra lines do the same in continuous mode and on
  a real book (`freeculture.pdf`, 150 turns); the notes add the time until the window was
  repainted too, and `DocumentWorker.render()` of the same pages called directly.
- **T6** — `python -c "…app_driver…"` started with `Popen` on a copy of a library of 1,000
  small generated PDFs (2–8 pages each) imported by the importer; the driver creates the
  `QApplication` and calls `app.cli.main(["--library", DIR])` as `python -m app` does (the
  interface in Uzbek, so the translator loads), and a timer finds the main window once the
  event loop runs. Usable: the window is shown and the first row of the library list has
  its data. Measured from `Popen` to that moment (wall clock on both sides); median of 5
  after one warm-up start. Baseline: `python -c "import PySide6.QtWidgets"`, run between
  the starts.
- **T7** — the same driver on a copy of the T3 library (30,000 pages) into which the 1,000
  small books and the 2,000-page PDF were imported: the whole list scrolled through (every
  row loaded), one search from the search box, the 2,000-page book opened from the window
  (`open_book`; the extra line times it, and says whether the window had started its
  worker by then) and 12 pages shown (six next pages, six far jumps), one second to settle;
  then `VmRSS` of the UI process and of its MuPDF worker from `/proc/<pid>/status`. The
  figure is their sum in MB of 10^6 bytes; the proportional set size and the other children
  (multiprocessing's resource tracker) are in the notes.
- **T8** — the reference server (`create_app` under Waitress, 4 threads) in a child process
  on 127.0.0.1 with one account; a fresh library holding one book and 10,000 annotations
  (highlights, notes, bookmarks), signed in; wall time of `app.services.sync.server_sync.sync_now`
  (push of every annotation and the PC's holding in batches, then the pull of the account),
  a new server and library for each of the runs, median.
- **T9** — after the last T8 run the same library syncs again with nothing changed, through a
  TCP relay on 127.0.0.1 that counts the bytes both ways and the HTTP requests; met when it is
  one request of at most 2,048 bytes in all and nothing was pulled.
- **T10** — a 32 MiB file of pseudo-random bytes (like the deflate streams of a PDF or an
  EPUB; cached under `/tmp/mutolaa-bench-cache`) served by `tests/support/range_server.py`
  on 127.0.0.1 in the benchmark process. The server's fault switch drops the connection after
  half the file; `sync.downloads.download(..., max_retries=0)` gives up and keeps the partial
  file and its sidecar; a second `download()` call with the file's SHA-256 resumes it. The
  figure is the body bytes the server counted on the resume's requests against the bytes
  missing (file size minus the partial file); the finished file's SHA-256 is computed again
  and compared with the source. The extra line cuts the same way and lets one `download()`
  call resume by its own retry.
- **T11** — the same file, the same server started in a child process (so that neither
  client shares the server's interpreter). Alternately, 7 times each after one warm-up:
  `curl -o /dev/null` (its own `time_total`) and `download(url, folder)` into an empty folder
  (wall time of the call: request, body to disk, fsync, SHA-256 verification, rename).
  Medians in MB/s (10^6 bytes). The extra lines take the parts apart: the same GET through
  `HttpClient` with the body read and dropped, and `curl -o FILE` into the same folder; the
  note times writing the file with fsync and hashing it, apart.
- **T14** — `python -c "…switch_driver…"` started with `Popen` on a copy of the T6 library
  (1,000 imported books) with a second person who has a PIN and 10,000 annotations of their
  own (highlights, notes and bookmarks spread over the books; cached). The driver opens the
  library, the settings and the interface language (Uzbek) as `run_window` does and starts a
  `Reception`; the window opens for the first person. Each switch: the window is left open
  1.5 s (its MuPDF worker started, as when someone has read), then File › Switch person… is
  triggered, the second person's tile is clicked as soon as the chooser shows the people, the
  PIN is put in the field and checked (no typing time), until the new window is usable (T6's
  definition). Median of 5 after one warm-up switch, and p95; each switch back to the first
  person (no PIN) is timed too. The note splits the time at: the chooser shown, the old window
  closed (`closeEvent`: runners drained, the bounded exit sync, here without a server, and
  the worker process ended), the people read, the PIN checked (a timing wrapper around the PIN
  dialog's `choose_person`, the only thing added; its scrypt is in the task thread), the new
  window built and shown, its first rows. The extra line takes the PIN check's time off.
- **T15** — the real `mutolaa-server serve` (default limits: 8 threads, 1,000 connections,
  10 s idle and header timeouts) in a child process on 127.0.0.1, 20 accounts, 12 generated
  PDFs. 200 clients (4 child processes × 50 threads, `requests` sessions), each with its own
  device's token (the 200 logins come first, 8 at a time, timed apart in an extra line), repeat
  for 20 s a round of six requests with a pause of 0.5–1.5 s after each: a push of three new
  annotations, a pull, `/opds`, `/opds/v2/new`, a search and a cover. Meanwhile the benchmark
  process holds 300 sockets that trickle header bytes (about one a second each), opening a new
  one whenever the server closes one at its header timeout. The figure is the p95 of the
  clients' request latencies; failed or refused requests are counted; every annotation a push
  acknowledged must be pulled back afterwards. Baseline: the same clients without the slow
  sockets.
"""

#: Text below this line in an existing report (analysis written by hand) survives a rewrite.
KEEP_MARKER = "<!-- Everything below this line is kept when run.py rewrites this file. -->"
RUNS_HEADER = "| targets | date | mode | code | benchmark run time |"


@dataclass
class Sections:
    """The parts of an existing report that a partial run may keep, by target."""

    rows: list[tuple[str | None, str]] = field(default_factory=list)  # (target, table line)
    notes: list[tuple[str | None, str]] = field(default_factory=list)
    printed: list[tuple[str | None, str]] = field(default_factory=list)
    runs: list[tuple[list[str], list[str]]] = field(default_factory=list)  # targets, cells
    kept: str = ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table line (escaped bars stay escaped)."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def _met(figure: Figure) -> str:
    if figure.met is None:
        return "—"
    return "**yes**" if figure.met else "**no**"


def _row(figure: Figure) -> str:
    cells = (
        figure.target,
        figure.name,
        figure.measured,
        figure.baseline,
        figure.ratio,
        figure.goal,
    )
    return "| " + " | ".join(_cell(x) for x in cells) + f" | {_met(figure)} |"


def _row_target(line: str) -> str | None:
    cells = _cells(line)
    if len(cells) < 2:
        return None
    return target_of(cells[1] if cells[0] == "extra" else cells[0])


def _printed_target(line: str) -> str | None:
    return target_of(line[len("extra") :] if line.startswith("extra") else line)


def parse(text: str) -> Sections:
    """Split an existing report into rows, notes, printed lines and runs, by target."""
    found = Sections()
    if KEEP_MARKER in text:
        text, kept = text.split(KEEP_MARKER, 1)
        found.kept = kept.lstrip("\n")
    section = ""
    machine: dict[str, str] = {}
    in_code = False
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip().lower()
            continue
        if section == "printed figures":
            if line.startswith("```"):
                in_code = not in_code
            elif in_code and line.strip():
                found.printed.append((_printed_target(line), line))
            continue
        if section == "results":
            if line.startswith("| ") and not line.startswith("| target |"):
                found.rows.append((_row_target(line), line))
            elif line.startswith("- "):
                found.notes.append((target_of(line[2:]), line))
        elif section == "runs" and line.startswith("| ") and line != RUNS_HEADER:
            cells = _cells(line)
            found.runs.append(([t.strip() for t in cells[0].split(",")], cells[1:]))
        elif section == "machine" and line.startswith("| ") and not line.startswith("| |"):
            cells = _cells(line)
            if len(cells) == 2:
                machine[cells[0]] = cells[1]
    if not found.runs and found.rows:  # a report written before runs were listed
        targets = sorted({t for t, _ in found.rows if t}, key=target_key)
        run_time = machine.get("benchmark run time", "")
        mode = run_time.split("(", 1)[1].rstrip(")") if "(" in run_time else "?"
        cells = [
            machine.get("date", "?"),
            mode.split(" ")[0],
            machine.get("code", "?"),
            run_time.split(" (")[0],
        ]
        found.runs.append((targets, cells))
    return found


def _merge(
    old: list[tuple[str | None, str]], new: list[tuple[str | None, str]], ran: set[str]
) -> list[str]:
    """Lines of the targets run now from ``new``, the others from ``old``, by target."""
    kept = [(t, line) for t, line in old if t is not None and t not in ran]
    merged = sorted(kept + new, key=lambda item: target_key(item[0] or "T999"))
    return [line for _t, line in merged]  # sorted() is stable: order within a target stays


def write(
    path: Path,
    report: Report,
    machine: dict[str, str],
    mode: str,
    seconds: float,
    *,
    targets: Sequence[str] = ("T1", "T2", "T3", "T4", "T5", "T6", "T7"),
) -> None:
    """Write the report of a run of ``targets``, keeping the other targets' lines."""
    ran = set(targets)
    old = parse(path.read_text(encoding="utf-8")) if path.exists() else Sections()
    rows = _merge(old.rows, [(f.group, _row(f)) for f in report.figures], ran)
    notes = _merge(old.notes, [(target_of(n), f"- {_cell(n)}") for n in report.notes], ran)
    printed = _merge(old.printed, [(f.group, f.line()) for f in report.figures], ran)
    runs: list[tuple[list[str], list[str]]] = []
    for old_targets, cells in old.runs:  # a run's targets that were not run again
        left = [t for t in old_targets if t not in ran]
        if left:
            runs.append((left, cells))
    details = dict(machine)
    this_run = [
        details.pop("date", time.strftime("%Y-%m-%d %H:%M")),
        mode,
        details.pop("code", "?"),
        f"{seconds:.0f} s",
    ]
    runs.append((sorted(ran, key=target_key), this_run))
    runs.sort(key=lambda run: target_key(run[0][0]))

    lines = [HEADER]
    partial = [", ".join(t) for t, cells in runs if cells[1] != "full"]
    if partial:
        lines.append(
            f"> **Rows of {'; '.join(partial)} come from a quick run (smaller inputs): they are "
            "not the reference figures.**\n"
        )
    lines += [
        "## Results",
        "",
        "| target | figure | measured | baseline | ratio | goal | met |",
        "|---|---|---|---|---|---|---|",
        *rows,
    ]
    if notes:
        lines += ["", "Notes from the runs:", "", *notes]
    lines += ["", "## Runs", "", "Which run each row comes from.", "", RUNS_HEADER]
    lines.append("|---|---|---|---|---|")
    lines += [f"| {', '.join(t)} | " + " | ".join(cells) + " |" for t, cells in runs]
    lines += ["", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {_cell(value)} |" for key, value in details.items()]
    lines += ["", METHOD]
    lines += [
        "## Printed figures",
        "",
        "```",
        *printed,
        "```",
        "",
        f"_Written {time.strftime('%Y-%m-%d %H:%M')}._",
        "",
        KEEP_MARKER,
        "",
        old.kept,
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
