"""T3: search p95 (top 10 with snippets) on a large library against SQLite FTS5 ``snippet()``.

The library is built by writing page texts directly (no PDFs): book rows and pages through
the store, the index through the importer's indexer, in the same batches an import uses.
The built library and the FTS5 database are cached by parameters and by the source of the
code that decides what the index holds; each run searches a fresh copy.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from app.core.models import Book, BookState, PageText
from app.core.paths import resolve_paths
from app.index.schema import SCHEMA_VERSION
from app.services.library.importer import PAGE_BATCH, Importer
from app.services.library.searching import search
from app.services.session import Library
from tests.benchmarks.common import (
    ROOT,
    Figure,
    Report,
    fresh_folder,
    median,
    ms,
    percentile,
    say,
)
from tests.benchmarks.inputs import (
    INPUT_VERSION,
    PAGE_LANG,
    Query,
    SearchCorpus,
    cache_entry,
    make_queries,
    publish,
)
from tests.support.corpus import chapter_title
from tests.support.sessions import session_of

TARGET_RATIO = 2.0
TARGET_MS = 50.0
FTS_SQL = (
    "SELECT book, page, snippet(pages, -1, '[', ']', '…', 16) FROM pages "
    "WHERE pages MATCH ? ORDER BY rank LIMIT 10"
)
#: Sources whose change makes a cached index stale (what is indexed and how).
INDEX_SOURCES = (
    "app/index/analysis.py",
    "app/index/schema.py",
    "app/index/writer.py",
    "app/core/textfold.py",
    "app/library/migrations.py",
)


@dataclass
class BuildFigures:
    """What building the cached library cost (kept beside it in the cache)."""

    pages: int
    seconds: float  # store + index, text generation excluded
    store_seconds: float
    index_seconds: float  # Indexer.start_book/add/flush/close
    fts_seconds: float
    built_at: str


def _code_key() -> str:
    digest = hashlib.sha256()
    for name in INDEX_SOURCES:
        path = ROOT / name
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:10]


def _book(corpus: SearchCorpus, number: int) -> Book:
    lang = corpus.book_lang(number)
    book_id = hashlib.sha256(f"bench-search:{corpus.seed}:{number}".encode()).hexdigest()
    title = chapter_title(lang, random.Random(number), number).split(". ", 1)[1]
    return Book(
        id=book_id,
        title=title,
        authors=(f"Benchmark Author {number % 7}",),
        languages=(),
        format="pdf",
        page_count=corpus.pages_per_book,
        size=0,
        file_name=f"{book_id[:2]}/{book_id}.pdf",
        original_name=f"book-{number:03d}.pdf",
        source="benchmark",
        added_at=time.time(),
        state=BookState.EXTRACTING,
        encrypted=False,
    )


def build(corpus: SearchCorpus, folder: Path) -> BuildFigures:
    """Write the corpus into a new library in ``folder/library`` and FTS5 in ``folder/fts``."""
    store_seconds = index_seconds = fts_seconds = 0.0
    fts = sqlite3.connect(folder / "fts.sqlite3")
    fts.execute("CREATE VIRTUAL TABLE pages USING fts5(text, book UNINDEXED, page UNINDEXED)")
    with Library(resolve_paths(folder / "library")) as library:
        store = library.store
        importer = Importer(library)
        indexer = importer.indexer
        for number in range(corpus.books):
            if number % 10 == 0:
                say(f"T3 build: book {number + 1}/{corpus.books}")
            texts = corpus.book_pages(number)
            lang = PAGE_LANG[corpus.book_lang(number)]
            book = _book(corpus, number)
            pages = [PageText(page=i, text=t, lang=lang) for i, t in enumerate(texts)]
            start = time.perf_counter()
            store.add_book(book, None)
            store_seconds += time.perf_counter() - start
            start = time.perf_counter()
            indexer.start_book(book, 0)
            index_seconds += time.perf_counter() - start
            for first in range(0, len(pages), PAGE_BATCH):
                batch = pages[first : first + PAGE_BATCH]
                start = time.perf_counter()
                store.add_pages(book.id, batch)
                middle = time.perf_counter()
                indexer.add(book, batch)
                index_seconds += time.perf_counter() - middle
                store_seconds += middle - start
            start = time.perf_counter()
            store.finish_extraction(book.id)  # as the importer does; it commits by time
            store_seconds += time.perf_counter() - start
            start = time.perf_counter()
            with fts:
                fts.executemany(
                    "INSERT INTO pages(text, book, page) VALUES (?, ?, ?)",
                    [(p.text, book.id, p.page) for p in pages],
                )
            fts_seconds += time.perf_counter() - start
        start = time.perf_counter()
        importer.close()
        index_seconds += time.perf_counter() - start
        held = sum(b.indexed_pages for b in store.books())
        if held != corpus.pages:
            raise RuntimeError(f"the index holds {held} of {corpus.pages} pages")
    start = time.perf_counter()
    fts.execute("INSERT INTO pages(pages) VALUES ('optimize')")
    fts.commit()
    fts.close()
    fts_seconds += time.perf_counter() - start
    return BuildFigures(
        pages=corpus.pages,
        seconds=store_seconds + index_seconds,
        store_seconds=store_seconds,
        index_seconds=index_seconds,
        fts_seconds=fts_seconds,
        built_at=time.strftime("%Y-%m-%d %H:%M"),
    )


def cached_build(corpus: SearchCorpus, rebuild: bool) -> tuple[Path, BuildFigures, bool]:
    """The cached corpus folder, its build figures, and whether it was built just now."""
    family = f"search-v{INPUT_VERSION}-{corpus.books}x{corpus.pages_per_book}-seed{corpus.seed}"
    name = f"{family}-schema{SCHEMA_VERSION}-code{_code_key()}"
    final = cache_entry(name)
    figures_file = final / "build.json"
    if final.exists() and figures_file.exists() and not rebuild:
        return final, BuildFigures(**json.loads(figures_file.read_text())), False
    temp = final.with_name(f".{name}.part")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    say(f"T3 build: {corpus.pages} pages into a new library (cached as {final})")
    try:
        figures = build(corpus, temp)
        (temp / "build.json").write_text(json.dumps(asdict(figures)))
        publish(temp, final)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    for stale in final.parent.glob(f"{family}-*"):  # built for older code: never used again
        if stale != final:
            shutil.rmtree(stale, ignore_errors=True)
    return final, figures, True


def _timed(run_one: Callable[[Query], int], queries: list[Query]) -> tuple[list[float], int]:
    times: list[float] = []
    with_hits = 0
    for query in queries:
        start = time.perf_counter()
        found = run_one(query)
        times.append(time.perf_counter() - start)
        with_hits += found > 0
    return times, with_hits


def run(report: Report, corpus: SearchCorpus, n_queries: int, rebuild: bool = False) -> None:
    source, built, just_built = cached_build(corpus, rebuild)
    when = "built in this run" if just_built else f"cached, built {built.built_at}"
    report.add(
        Figure(
            "extra",
            f"T3 direct build, store + index ({when})",
            f"{built.pages / built.seconds:.0f} pages/s ({built.pages} pages in "
            f"{built.seconds:.0f} s: index {built.index_seconds:.0f} s, "
            f"store {built.store_seconds:.1f} s)",
            baseline=f"FTS5 {built.pages / built.fts_seconds:.0f} pages/s",
        )
    )
    report.add(
        Figure(
            "extra",
            f"T3 indexing throughput of the direct build, index only ({when})",
            f"{built.pages / built.index_seconds:.0f} pages/s",
        )
    )
    queries = make_queries(n_queries)
    with fresh_folder("t3") as folder:
        shutil.copytree(source, folder, dirs_exist_ok=True)
        library = Library(resolve_paths(folder / "library"))
        fts = sqlite3.connect(folder / "fts.sqlite3")
        try:
            engine = library.index()
            if engine.repaired_reason:
                raise RuntimeError(f"the cached index was rebuilt ({engine.repaired_reason})")

            def ours(query: Query) -> int:
                results = search(session_of(library), query.text, limit=10)
                return sum(len(group.pages) for group in results.groups)

            def theirs(query: Query) -> int:
                return len(fts.execute(FTS_SQL, (query.fts,)).fetchall())

            say(f"T3: {len(queries)} queries, warm-up pass then timed pass, each side")
            _timed(ours, queries)
            _timed(theirs, queries)
            our_times, our_hits = _timed(ours, queries)
            fts_times, fts_hits = _timed(theirs, queries)
        finally:
            library.close()
            fts.close()
    p95, base_p95 = percentile(our_times, 0.95), percentile(fts_times, 0.95)
    ratio = p95 / base_p95
    report.add(
        Figure(
            "T3",
            f"search p95, top 10 with snippets, {len(queries)} queries on {corpus.pages} pages",
            f"{ms(p95)} (p50 {ms(median(our_times))})",
            baseline=f"FTS5 {ms(base_p95)} (p50 {ms(median(fts_times))})",
            ratio=f"{ratio:.1f}",
            goal=f"≤ {TARGET_RATIO:g} × baseline and ≤ {TARGET_MS:g} ms",
            met=ratio <= TARGET_RATIO and p95 * 1000 <= TARGET_MS,
        )
    )
    report.note(
        f"T3 parts: p95 ≤ {TARGET_MS:g} ms {'yes' if p95 * 1000 <= TARGET_MS else 'no'}; "
        f"p95 ≤ {TARGET_RATIO:g} × FTS5 p95 {'yes' if ratio <= TARGET_RATIO else 'no'}"
    )
    kinds = sorted({q.kind for q in queries})
    by_kind = []
    for kind in kinds:
        mine = [t for t, q in zip(our_times, queries, strict=True) if q.kind == kind]
        base = [t for t, q in zip(fts_times, queries, strict=True) if q.kind == kind]
        by_kind.append(
            f"{kind} ×{len(mine)} {percentile(mine, 0.95) * 1000:.0f}/"
            f"{percentile(base, 0.95) * 1000:.0f}"
        )
    report.note("T3 p95 by kind, ms (ours/FTS5): " + ", ".join(by_kind))
    report.note(
        f"T3 queries with at least one hit: ours {our_hits}/{len(queries)}, "
        f"FTS5 {fts_hits}/{len(queries)} (FTS5 has no Uzbek folding or stemming)"
    )
    slowest = sorted(zip(our_times, queries, strict=True), key=lambda x: -x[0])[:5]
    report.note("T3 slowest: " + ", ".join(f"{q.text!r} {t * 1000:.0f} ms" for t, q in slowest))
