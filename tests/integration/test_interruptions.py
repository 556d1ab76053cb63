"""Interrupted work: SIGKILL during an import, MuPDF crashing or hanging, a damaged index."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.errors import BadDocumentError
from app.core.paths import resolve_paths
from app.core.tasks import CancelToken, Progress
from app.documents.worker import DocumentWorker
from app.services.library.doctor import run_doctor
from app.services.library.importer import Importer
from app.services.library.searching import search
from app.services.session import Library
from tests.support import docgen
from tests.support.index_checks import page_counts
from tests.support.samples import Samples
from tests.support.sessions import session_of

ROOT = Path(__file__).resolve().parents[2]


def _cli(library_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--library", str(library_dir), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _extracted(library_dir: Path) -> int:
    db_path = library_dir / "library.sqlite3"
    if not db_path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as db:
            row = db.execute("SELECT MAX(extracted_pages) FROM books").fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(row[0] or 0)


@pytest.mark.parametrize("kill_at", [40, 150])
def test_sigkill_during_import_is_finished_by_the_next_run(
    library_dir: Path, tmp_path: Path, kill_at: int
) -> None:
    book_path = docgen.make_mixed_book_pdf(tmp_path / "big.pdf", 400, seed=3)
    content = docgen.mixed_book_content(400, seed=3)
    process = _cli(library_dir, "import", str(book_path))
    deadline = time.monotonic() + 120
    while _extracted(library_dir) < kill_at:
        assert process.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline, "the import made no progress"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    assert _extracted(library_dir) < 400, "killed too late to test anything"

    again = _cli(library_dir, "import", str(book_path))
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert "already in" in out

    with Library(resolve_paths(library_dir)) as library:
        books = library.store.books()
        assert len(books) == 1
        book = books[0]
        assert book.state.value == "ready"
        assert book.extracted_pages == book.indexed_pages == 400
        pages = library.store.pages(book.id)
        assert [p.page for p in pages] == list(range(400))
        # nothing duplicated in the index: one document per non-empty page
        non_empty = sum(1 for p in pages if p.text.strip())
        assert page_counts(library.index())[book.id] == non_empty
        # the last page's text (read after the kill) is searchable
        last_words = [w for w in content.pages[399].split() if w.isalpha() and len(w) > 6]
        hit = search(session_of(library), f'"{last_words[0]}"', book=book.id, limit=500)
        assert 399 in {m.page for g in hit.groups for m in g.pages}
        assert run_doctor(library).healthy


def test_cancelled_import_resumes(library: Library, samples: Samples) -> None:
    token = CancelToken()

    def progress(event: Progress) -> None:
        if event.stage == "reading" and event.done >= 64:
            token.cancel()

    with Importer(library) as importer:
        report = importer.run([samples.big], progress=progress, cancel=token)
    book = library.store.books()[0]
    assert book.state.value == "extracting"
    assert 64 <= book.extracted_pages < 240
    assert book.indexed_pages == book.extracted_pages  # what was read is searchable
    assert report.cancelled
    with Importer(library) as importer:
        assert importer.resume() == []
    book = library.store.books()[0]
    assert (book.state.value, book.extracted_pages, book.indexed_pages) == ("ready", 240, 240)


def test_mupdf_crash_costs_one_page_not_the_import(samples: Samples) -> None:
    worker = DocumentWorker()
    pages = worker.pages(samples.big, 0, 240)
    got = [next(pages) for _ in range(5)]
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGSEGV)  # what a MuPDF crash looks like from outside
    got += list(pages)
    worker.close()
    assert [p.page for p in got] == list(range(240))
    failed = [p.page for p in got if p.failed]
    assert len(failed) in {1, 2}  # the page being read when it died (and perhaps the next)
    assert all(p.text for p in got if not p.failed)


def test_mupdf_hang_is_cut_off_by_the_time_limit(samples: Samples) -> None:
    with (
        DocumentWorker(timeout=0.001) as worker,
        pytest.raises(BadDocumentError, match="longer than"),
    ):
        worker.describe(samples.big)
    with DocumentWorker(page_timeout=0.0005) as worker:
        pages = list(worker.pages(samples.big, 0, 240))
    assert len(pages) == 240
    assert any(p.failed for p in pages)  # pages cut off are recorded, never a hang


@pytest.mark.parametrize("damage", ["delete", "garbage", "stale", "stamp"])
def test_damaged_index_is_rebuilt_at_start(
    library_dir: Path, samples: Samples, damage: str
) -> None:
    with Library(resolve_paths(library_dir)) as library, Importer(library) as importer:
        assert importer.run([samples.epub]).ok
    index = library_dir / "cache" / "index"
    if damage == "delete":
        for item in index.iterdir():
            item.unlink()
    elif damage == "garbage":
        for item in index.glob("*.toc"):
            item.write_bytes(b"\x00garbage" * 10)
        for item in index.iterdir():  # the segments' files (postings, terms, columns)
            if item.suffix not in (".toc", ".json"):
                item.write_bytes(b"garbage")
    elif damage == "stale":
        (index / "mutolaa-index.json").write_text('{"schema": 0, "generation": "x"}')
    else:
        (index / "mutolaa-index.json").write_text("{not json")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--library",
            str(library_dir),
            "search",
            "kutubxona",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["groups"][0]["hits"], data


def test_index_being_written_elsewhere_is_never_rebuilt_under_the_writer(
    library_dir: Path, samples: Samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.errors import SearchIndexError  # noqa: PLC0415
    from app.index import engine as engine_module  # noqa: PLC0415
    from app.index.engine import IndexEngine  # noqa: PLC0415
    from app.index.writer import IndexSession  # noqa: PLC0415

    with Library(resolve_paths(library_dir)) as library, Importer(library) as importer:
        assert importer.run([samples.epub]).ok
    folder = library_dir / "cache" / "index"
    writer_side = IndexEngine(folder)
    writer_side.open()
    session = IndexSession(writer_side)  # holds the writer lock, as an importing process does
    stamp = folder / "mutolaa-index.json"
    stamp.write_text("{half-written")  # what a reader may see mid-write
    monkeypatch.setattr(engine_module, "BUSY_PAUSE", 0.01)
    reader_side = IndexEngine(folder)
    with pytest.raises(SearchIndexError, match="being written by another Mutolaa"):
        reader_side.open()
    postings = [p for p in folder.iterdir() if p.suffix in (".pst", ".seg")]
    assert postings, "the index was deleted under its writer"
    session.cancel()
    writer_side.close()
