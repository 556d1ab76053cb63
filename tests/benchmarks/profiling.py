"""Where import and indexing time goes: cProfile runs grouped into a few buckets.

A bucket's time is inclusive: the time of calls into its functions from functions outside
it, so nested calls are not counted twice. cProfile slows pure-Python code more than C
code, so shares are approximate; the unprofiled wall time is printed beside them.
"""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.paths import resolve_paths
from app.services.library.importer import Importer
from app.services.session import Library
from tests.benchmarks.common import fresh_folder, say
from tests.support.sessions import session_of

Func = tuple[str, int, str]  # (file, line, function name), as pstats keys them
Pred = Callable[[Func], bool]


def _in(*parts: str, names: tuple[str, ...] = ()) -> Pred:
    def pred(func: Func) -> bool:
        path = func[0].replace("\\", "/")
        return any(p in path for p in parts) and (not names or func[2] in names)

    return pred


def inclusive(stats: pstats.Stats, pred: Pred) -> float:
    """Seconds spent in calls to ``pred`` functions from functions outside ``pred``."""
    total = 0.0
    raw: dict[Func, Any] = stats.stats  # type: ignore[attr-defined]
    for func, (_cc, _nc, _tt, _ct, callers) in raw.items():
        if not pred(func):
            continue
        for caller, values in callers.items():
            if not pred(caller):
                total += values[3]
    return total


BUCKETS: list[tuple[str, Pred]] = [
    ("Whoosh add_document (analysis included)", _in("whoosh/writing.py", names=("add_document",))),
    ("  of which our analyzer (fold, tokenize, stem)", _in("app/index/analysis.py")),
    ("Whoosh commit (segment write + merge)", _in("whoosh/writing.py", names=("commit",))),
    ("Whoosh new writer after a commit", _in("whoosh/index.py", names=("writer",))),
    ("Whoosh deletes (start_book)", _in("whoosh/writing.py", names=("delete_by_query",))),
    ("SQLite store + book file copy (app/library)", _in("app/library/")),
    ("MuPDF worker: describe + cover (incl. its start)",
     _in("app/documents/worker.py", names=("describe", "cover"))),
    ("MuPDF worker: waiting for page texts", _in("app/documents/worker.py", names=("pages",))),
    ("MuPDF worker: stop", _in("app/documents/worker.py", names=("close",))),
    ("PyMuPDF get_text", _in("pymupdf/", names=("get_text",))),
    ("  language detection", _in("app/core/textfold.py", names=("detect_language",))),
    ("  mojibake check + OCR test", _in("app/documents/textrepair.py")),
]  # fmt: skip


def print_buckets(
    title: str,
    stats: pstats.Stats,
    wall: float | None,
    profiled: float,
    base: float | None = None,
) -> None:
    """Print each bucket's seconds and its share of ``base`` (the profiled time by default)."""
    plain = f"{wall:.2f} s unprofiled, " if wall is not None else ""
    print(f"PROFILE {title}: {plain}{profiled:.2f} s under cProfile")
    base = base or profiled
    for name, pred in BUCKETS:
        seconds = inclusive(stats, pred)
        if seconds >= 0.005:
            print(f"PROFILE   {name:<50} {seconds:7.2f} s  {100 * seconds / base:5.1f} %")


def _profiled(work: Callable[[], None]) -> tuple[pstats.Stats, float]:
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    work()
    profiler.disable()
    return pstats.Stats(profiler), time.perf_counter() - start


def profile_import(book: Path) -> None:
    """Import one book twice (plain, then under cProfile) and show the buckets."""

    def once() -> None:
        with fresh_folder("profile") as folder, Library(resolve_paths(folder)) as library:
            with Importer(library) as importer:
                report = importer.run([book])
            if report.failures:
                raise RuntimeError(report.failures)

    say(f"profile: importing {book.name} (plain, then under cProfile)")
    start = time.perf_counter()
    once()
    wall = time.perf_counter() - start
    stats, profiled = _profiled(once)
    print_buckets(f"import of {book.name} (main process)", stats, wall, profiled)
    stats.sort_stats("tottime").print_stats(15)


def profile_worker_side(book: Path) -> None:
    """What the worker does per page, in this process: extraction vs plain get_text."""
    import pymupdf  # noqa: PLC0415

    from app.documents import extract  # noqa: PLC0415

    def plain() -> None:
        with pymupdf.open(book) as doc:
            for page in doc:
                page.get_text()

    def ours() -> None:
        for _page in extract.page_texts(book, 0):
            pass

    start = time.perf_counter()
    plain()
    base = time.perf_counter() - start
    start = time.perf_counter()
    ours()
    wall = time.perf_counter() - start
    stats, profiled = _profiled(ours)
    print(f"PROFILE worker side of {book.name}: plain get_text {base:.2f} s")
    print_buckets(f"extract.page_texts of {book.name} (in-process)", stats, wall, profiled)


def profile_direct_build(books: int, pages_per_book: int) -> None:
    """The T3 build path (store + indexer, no PDFs) under cProfile."""
    from tests.benchmarks.bench_search import build  # noqa: PLC0415
    from tests.benchmarks.inputs import SearchCorpus  # noqa: PLC0415

    corpus = SearchCorpus(books, pages_per_book, seed=99)
    result: list[Any] = []
    with fresh_folder("profile-build") as folder:
        say(f"profile: direct build of {corpus.pages} pages under cProfile")
        stats, profiled = _profiled(lambda: result.append(build(corpus, folder)))
    figures = result[0]
    text_gen = inclusive(stats, _in("tests/support/corpus.py"))
    ours = profiled - text_gen - figures.fts_seconds
    print(
        f"PROFILE direct build of {corpus.pages} pages: {profiled:.2f} s under cProfile, less "
        f"page text generation {text_gen:.2f} s and FTS5 inserts {figures.fts_seconds:.2f} s "
        f"= {ours:.2f} s of store + indexing (shares below are of this)"
    )
    print_buckets(f"direct build of {corpus.pages} pages", stats, None, profiled, base=ours)


def _method(module: str, cls: str, name: str) -> Pred:
    """One method of a class, told apart from same-named ones by its first line."""
    import importlib  # noqa: PLC0415

    code = getattr(getattr(importlib.import_module(module), cls), name).__code__
    where = (code.co_filename, code.co_firstlineno, code.co_name)
    return lambda func: func == where


SEARCH_BUCKETS: list[tuple[str, Pred]] = [
    ("parse + compile the query", _in("app/index/query.py", "app/index/search.py",
                                      names=("parse", "compile_query", "_name_query"))),
    ("Whoosh: open a searcher (reads the TOC, opens segments)",
     _in("whoosh/index.py", names=("searcher",))),
    ("Whoosh: searcher.search (pages ranked + grouped, titles)",
     _in("whoosh/searching.py", names=("search",))),
    ("  of which the filter's doc set (kind=page: every page, per search)",
     _in("whoosh/searching.py", names=("_filter_to_comb",))),
    ("  of which FacetCollector.collect (per match: score + group by book)",
     _method("whoosh.collectors", "FacetCollector", "collect")),
    ("  of which ScoredCollector.collect (per match: score)",
     _method("whoosh.collectors", "ScoredCollector", "collect")),
    ("  of which matchers (postings reading, scoring)", _in("whoosh/matching/")),
    ("Whoosh: stored fields of the hits", _in("whoosh/searching.py", names=("fields",))),
    ("Whoosh: close the searcher", _in("whoosh/searching.py", names=("close", "__exit__"))),
    ("highlight terms", _in("app/index/search.py", names=("highlight_terms",))),
    ("snippets (make_snippet)", _in("app/index/snippets.py", names=("make_snippet",))),
    ("SQLite: page texts + book rows (app/library)", _in("app/library/")),
]  # fmt: skip


def profile_search(corpus_books: int, pages_per_book: int, n_queries: int) -> None:
    """The T3 queries on the (cached) T3 library, plain and under cProfile."""
    import shutil  # noqa: PLC0415

    from app.services.library.searching import search  # noqa: PLC0415
    from tests.benchmarks.bench_search import cached_build  # noqa: PLC0415
    from tests.benchmarks.inputs import SearchCorpus, make_queries  # noqa: PLC0415

    corpus = SearchCorpus(corpus_books, pages_per_book)
    source, _figures, _built = cached_build(corpus, rebuild=False)
    queries = make_queries(n_queries)
    with fresh_folder("profile-search") as folder:
        shutil.copytree(source, folder, dirs_exist_ok=True)
        with Library(resolve_paths(folder / "library")) as library:

            def all_queries() -> None:
                for query in queries:
                    search(session_of(library), query.text, limit=10)

            all_queries()  # warm-up
            start = time.perf_counter()
            all_queries()
            wall = time.perf_counter() - start
            stats, profiled = _profiled(all_queries)
    title = f"{len(queries)} searches on {corpus.pages} pages"
    print(f"PROFILE {title}: {wall:.2f} s unprofiled, {profiled:.2f} s under cProfile")
    for name, pred in SEARCH_BUCKETS:
        seconds = inclusive(stats, pred)
        if seconds >= 0.005:
            print(f"PROFILE   {name:<58} {seconds:7.2f} s  {100 * seconds / profiled:5.1f} %")
    stats.sort_stats("tottime").print_stats(20)
