"""Run the speed and memory benchmarks T1–T11, T14 and T15 and write docs/performance.md.

    python -m tests.benchmarks.run                 # full run (first run builds inputs: ~15 min)
    python -m tests.benchmarks.run --quick         # smaller inputs, a few minutes
    python -m tests.benchmarks.run --only T4 T5    # some targets only (also --only T4 --only T5)
    python -m tests.benchmarks.run --only T10 T11  # downloads from a server on 127.0.0.1
    python -m tests.benchmarks.run --only T14      # switching the person in the window
    python -m tests.benchmarks.run --only T15      # the library server under load (about 1 min)
    python -m tests.benchmarks.run --profile       # where import and indexing time goes
    python -m tests.benchmarks.run --profile --only T6   # where start-up time goes
    python -m tests.benchmarks.run --profile --only T14  # where a switch of person's time goes

Every figure is printed as one line. A full run writes docs/performance.md unless ``--out``
says otherwise; a quick run writes only when ``--out`` is given. Rows of targets not run
this time are kept from the existing file. Inputs are generated once into
/tmp/mutolaa-bench-cache (``MUTOLAA_BENCH_CACHE``); every benchmark works in a fresh
temporary folder that it removes afterwards.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tests.benchmarks.common import ROOT, Report, machine, say, target_key

# Only the standard library and common above: the MuPDF worker is a spawned process, and
# spawn imports this module into it again (``-m``), so heavy imports wait until main().
if TYPE_CHECKING:
    from tests.benchmarks.inputs import SearchCorpus

TARGETS = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T14", "T15")


@dataclass(frozen=True)
class Scale:
    """The size of every input of one mode."""

    fixtures: tuple[str, ...]
    books: tuple[tuple[str, int, int], ...]  # (language or "mixed", pages, seed)
    t2_pages: int
    t2_runs: int
    search: SearchCorpus
    queries: int
    reader_book: tuple[str, int, int]  # T4, T5, T7: the book read
    warm_book: tuple[str, int, int]  # T4, T5: another book, to warm the worker up with
    t4_runs: int
    t4_cold_runs: int
    t5_turns: int
    t5_fixtures: tuple[tuple[str, int], ...]  # extra T5 lines on real documents: (name, turns)
    shelf_books: int  # T6, T7: books in the library besides the T3 corpus
    t6_runs: int
    sync_annotations: int  # T8: annotations of the first sync
    switch_annotations: int  # T14: annotations of the person switched to
    t14_runs: int
    t8_runs: int
    download_size: int  # T10, T11: bytes of the file downloaded
    t11_runs: int


def _scales() -> tuple[Scale, Scale]:
    from tests.benchmarks.inputs import (  # noqa: PLC0415
        FIXTURE_FILES,
        QUICK_FIXTURE_FILES,
        SearchCorpus,
    )

    full = Scale(
        fixtures=FIXTURE_FILES,
        books=(("uz", 500, 1), ("mixed", 1000, 2), ("ru", 2500, 3)),
        t2_pages=500,
        t2_runs=3,
        search=SearchCorpus(books=60, pages_per_book=500),
        queries=200,
        reader_book=("mixed", 2000, 4),
        warm_book=("uz", 150, 1),
        t4_runs=7,
        t4_cold_runs=3,
        t5_turns=300,
        t5_fixtures=(("pdf/pdfjs/freeculture.pdf", 150),),
        shelf_books=1000,
        t6_runs=5,
        sync_annotations=10_000,
        switch_annotations=10_000,
        t14_runs=5,
        t8_runs=3,
        download_size=32 * 1024 * 1024,
        t11_runs=7,
    )
    quick = Scale(
        fixtures=QUICK_FIXTURE_FILES,
        books=(("uz", 150, 1), ("mixed", 200, 2)),
        t2_pages=500,
        t2_runs=1,
        search=SearchCorpus(books=6, pages_per_book=250),
        queries=50,
        reader_book=("uz", 500, 1),
        warm_book=("uz", 150, 1),
        t4_runs=3,
        t4_cold_runs=1,
        t5_turns=60,
        t5_fixtures=(),
        shelf_books=100,
        t6_runs=2,
        sync_annotations=2_000,
        switch_annotations=2_000,
        t14_runs=2,
        t8_runs=1,
        download_size=8 * 1024 * 1024,
        t11_runs=3,
    )
    return full, quick


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs (a few minutes)")
    parser.add_argument("--out", type=Path, help="the report to write")
    parser.add_argument(
        "--only",
        nargs="+",
        action="extend",
        choices=TARGETS,
        metavar="T",
        help="run only these targets (" + ", ".join(TARGETS) + ")",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the cached libraries (T3, T6, T7, T14)"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile import and indexing (or start-up, T6; a switch of person, T14)",
    )
    args = parser.parse_args(argv)
    full, quick = _scales()
    scale = quick if args.quick else full
    mode = "quick" if args.quick else "full"
    from tests.benchmarks.inputs import (  # noqa: PLC0415
        fixture_documents,
        generated_book,
        marker_book,
    )

    if args.profile:
        from tests.benchmarks import profiling  # noqa: PLC0415

        if args.only and "T6" in args.only:
            from tests.benchmarks import bench_app  # noqa: PLC0415

            bench_app.profile_start(scale.shelf_books)
            return 0
        if args.only and "T14" in args.only:
            from tests.benchmarks import bench_switch  # noqa: PLC0415

            bench_switch.profile(scale.shelf_books, scale.switch_annotations)
            return 0
        book = generated_book("uz", 500 if not args.quick else 150, 1)
        profiling.profile_import(book)
        profiling.profile_worker_side(book)
        profiling.profile_direct_build(4 if not args.quick else 2, 500 if not args.quick else 200)
        profiling.profile_search(scale.search.books, scale.search.pages_per_book, 60)
        return 0

    wanted = set(args.only or TARGETS)
    out = args.out or (None if args.quick else ROOT / "docs" / "performance.md")
    report = Report()
    started = time.perf_counter()
    if "T1" in wanted:
        from tests.benchmarks import bench_import  # noqa: PLC0415

        files = fixture_documents(scale.fixtures)
        files += [generated_book(lang, pages, seed) for lang, pages, seed in scale.books]
        bench_import.run(report, files)
    if "T2" in wanted:
        from tests.benchmarks import bench_first_hit  # noqa: PLC0415

        bench_first_hit.run(report, marker_book(scale.t2_pages), scale.t2_runs)
    if "T3" in wanted:
        from tests.benchmarks import bench_search  # noqa: PLC0415

        bench_search.run(report, scale.search, scale.queries, rebuild=args.rebuild)
    if wanted & {"T4", "T5", "T7"}:
        reader_book = generated_book(*scale.reader_book)
    if "T4" in wanted or "T5" in wanted:
        from tests.benchmarks import bench_reader  # noqa: PLC0415

        warm_book = generated_book(*scale.warm_book)
        if "T4" in wanted:
            bench_reader.run_t4(report, reader_book, warm_book, scale.t4_runs, scale.t4_cold_runs)
        if "T5" in wanted:
            bench_reader.run_t5(report, reader_book, scale.t5_turns)
            bench_reader.run_t5(
                report,
                reader_book,
                scale.t5_turns,
                target="extra",
                label="continuous mode",
                mode="continuous",
            )
            for name, turns in scale.t5_fixtures:
                for path in fixture_documents((name,)):
                    bench_reader.run_t5(
                        report, path, turns, target="extra", label=f"{path.name}, real", seed=10
                    )
    if "T6" in wanted or "T7" in wanted:
        from tests.benchmarks import bench_app  # noqa: PLC0415

        if "T6" in wanted:
            bench_app.run_t6(report, scale.shelf_books, scale.t6_runs, rebuild=args.rebuild)
        if "T7" in wanted:
            bench_app.run_t7(
                report, scale.search, scale.shelf_books, reader_book, rebuild=args.rebuild
            )
    if "T8" in wanted or "T9" in wanted:
        from tests.benchmarks import bench_sync  # noqa: PLC0415

        bench_sync.run_t8_t9(report, scale.sync_annotations, scale.t8_runs)
    if "T10" in wanted or "T11" in wanted:
        from tests.benchmarks import bench_downloads  # noqa: PLC0415

        download_file = bench_downloads.download_file(scale.download_size)
        if "T10" in wanted:
            bench_downloads.run_t10(report, download_file)
        if "T11" in wanted:
            bench_downloads.run_t11(report, download_file, scale.t11_runs)
    if "T14" in wanted:
        from tests.benchmarks import bench_switch  # noqa: PLC0415

        bench_switch.run(
            report,
            scale.shelf_books,
            scale.switch_annotations,
            scale.t14_runs,
            rebuild=args.rebuild,
        )
    if "T15" in wanted:
        from tests.benchmarks import bench_server  # noqa: PLC0415

        bench_server.run(report)
    seconds = time.perf_counter() - started
    say(f"done in {seconds:.0f} s")
    if out is not None:
        from tests.benchmarks import report as report_file  # noqa: PLC0415

        targets = sorted(wanted, key=target_key)
        report_file.write(out, report, machine(), mode, seconds, targets=targets)
        say(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
