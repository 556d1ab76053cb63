"""Run the speed benchmarks T1–T3 and write docs/performance.md.

    python -m tests.benchmarks.run            # full run (first run builds inputs: ~6–8 min)
    python -m tests.benchmarks.run --quick    # smaller inputs, < 2 min, checks the script
    python -m tests.benchmarks.run --only T3  # some targets only
    python -m tests.benchmarks.run --profile  # where import and indexing time goes

Every figure is printed as one line. A full run writes docs/performance.md unless ``--out``
says otherwise; a quick run writes only when ``--out`` is given. Inputs are generated once
into /tmp/mutolaa-bench-cache (``MUTOLAA_BENCH_CACHE``); every benchmark works in a fresh
temporary library folder that it removes afterwards.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.common import ROOT, Report, machine, say
from tests.benchmarks.inputs import (
    FIXTURE_FILES,
    QUICK_FIXTURE_FILES,
    SearchCorpus,
    fixture_documents,
    generated_book,
    marker_book,
)


@dataclass(frozen=True)
class Scale:
    """The size of every input of one mode."""

    fixtures: tuple[str, ...]
    books: tuple[tuple[str, int, int], ...]  # (language or "mixed", pages, seed)
    t2_pages: int
    t2_runs: int
    search: SearchCorpus
    queries: int


FULL = Scale(
    fixtures=FIXTURE_FILES,
    books=(("uz", 500, 1), ("mixed", 1000, 2), ("ru", 2500, 3)),
    t2_pages=500,
    t2_runs=3,
    search=SearchCorpus(books=60, pages_per_book=500),
    queries=200,
)
QUICK = Scale(
    fixtures=QUICK_FIXTURE_FILES,
    books=(("uz", 150, 1), ("mixed", 200, 2)),
    t2_pages=500,
    t2_runs=1,
    search=SearchCorpus(books=6, pages_per_book=250),
    queries=50,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs (< 2 minutes)")
    parser.add_argument("--out", type=Path, help="the report to write")
    parser.add_argument(
        "--only", action="append", choices=("T1", "T2", "T3"), help="run only these targets"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached T3 library")
    parser.add_argument(
        "--profile", action="store_true", help="profile import and indexing instead"
    )
    args = parser.parse_args(argv)
    scale = QUICK if args.quick else FULL
    mode = "quick" if args.quick else "full"

    if args.profile:
        from tests.benchmarks import profiling  # noqa: PLC0415

        book = generated_book("uz", 500 if not args.quick else 150, 1)
        profiling.profile_import(book)
        profiling.profile_worker_side(book)
        profiling.profile_direct_build(4 if not args.quick else 2, 500 if not args.quick else 200)
        profiling.profile_search(scale.search.books, scale.search.pages_per_book, 60)
        return 0

    from tests.benchmarks import bench_first_hit, bench_import, bench_search  # noqa: PLC0415

    wanted = set(args.only or ("T1", "T2", "T3"))
    out = args.out or (None if args.quick else ROOT / "docs" / "performance.md")
    report = Report()
    started = time.perf_counter()
    if "T1" in wanted:
        files = fixture_documents(scale.fixtures)
        files += [generated_book(lang, pages, seed) for lang, pages, seed in scale.books]
        bench_import.run(report, files)
    if "T2" in wanted:
        bench_first_hit.run(report, marker_book(scale.t2_pages), scale.t2_runs)
    if "T3" in wanted:
        bench_search.run(report, scale.search, scale.queries, rebuild=args.rebuild)
    seconds = time.perf_counter() - started
    say(f"done in {seconds:.0f} s")
    if out is not None:
        from tests.benchmarks import report as report_file  # noqa: PLC0415

        if wanted != {"T1", "T2", "T3"}:
            mode += " (only " + ", ".join(sorted(wanted)) + ")"
        report_file.write(out, report, machine(), mode, seconds)
        say(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
