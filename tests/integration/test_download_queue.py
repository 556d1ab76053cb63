"""The download queue end to end: a real HTTP server on 127.0.0.1, real books, real processes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.core.paths import resolve_paths
from app.core.tasks import Progress
from app.library.downloads import DownloadQueue
from app.services.catalogs.entry_downloads import choose_acquisition, queue_entry
from app.services.catalogs.queue_runner import (
    downloads_folder,
    queue_lock,
    recover_interrupted,
    run_queue,
)
from app.services.library.importer import Importer
from app.services.library.searching import search
from app.services.session import Library
from sync.http import HttpClient
from sync.opds.model import Acquisition, Entry
from tests.support.docgen import make_fb2, make_pdf
from tests.support.range_server import Fault, RangeServer, running
from tests.support.sessions import PROFILE, session_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def book_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real PDF of about 350 kB (scanned pages after the first) with a word to search for."""
    pages = [f"Sahifa {i}. zarafshonkitob vohasi. " + "matn " * 50 for i in range(8)]
    path = make_pdf(
        tmp_path_factory.mktemp("served") / "zarafshon.pdf",
        pages,
        title="Zarafshon",
        author="Aziz Karimov",
        image_only_pages=range(1, 8),
    )
    return path.read_bytes()


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with running() as srv:
        yield srv


def _fast_client() -> HttpClient:
    return HttpClient(sleep=lambda _s: None)


def _cli(library_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--library", str(library_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_download_is_imported_with_its_entry_and_searchable(
    library: Library, server: RangeServer, book_bytes: bytes
) -> None:
    server.put("/books/zarafshon.pdf", book_bytes, content_type="application/pdf")
    url = server.url("/books/zarafshon.pdf")
    queue = DownloadQueue(library.store)
    download_id = queue.enqueue(
        url,
        title="Zarafshon",
        entry_id="urn:uuid:zarafshon-1",
        checksums={"sha256": hashlib.sha256(book_bytes).hexdigest()},
        expected_size=len(book_bytes),
        profile_id=PROFILE,
    )
    seen: list[int] = []
    handled = run_queue(
        session_of(library), _fast_client(), progress=lambda _d, p: seen.append(p.received)
    )
    assert [d.state for d in handled] == ["done"]
    item = queue.get(download_id)
    assert (item.received, item.total) == (len(book_bytes), len(book_bytes))
    book = library.store.get(item.book_id or "")
    assert book is not None
    assert book.id == hashlib.sha256(book_bytes).hexdigest()
    assert (book.source, book.source_entry) == (url, "urn:uuid:zarafshon-1")
    assert seen
    assert seen[-1] == len(book_bytes)
    results = search(session_of(library), "zarafshonkitob")
    assert [g.book.id for g in results.groups] == [book.id]
    assert not list(downloads_folder(library).glob("*.pdf"))  # the library keeps its own copy


def test_a_cut_connection_stays_queued_and_resume_sends_only_the_rest(
    library_dir: Path, server: RangeServer, book_bytes: bytes
) -> None:
    path = "/books/cut.pdf"
    server.put(path, book_bytes, content_type="application/pdf")
    # Every answer breaks after 20 kB: sync's retries give up with the partial file kept.
    server.fault(path, Fault("drop", after=20_000, times=6))
    library = Library(resolve_paths(library_dir))
    try:
        queue = DownloadQueue(library.store)
        download_id = queue.enqueue(server.url(path), title="Cut", profile_id=PROFILE)
        run_queue(session_of(library), _fast_client())
        item = queue.get(download_id)
        assert item.state == "queued"
        assert "resume later" in item.error
        kept = next(downloads_folder(library).glob("*.part")).stat().st_size
        assert 0 < kept < len(book_bytes)
    finally:
        library.close()
    before = len(server.hits(path))
    listed = _cli(library_dir, "downloads")
    assert "queued" in listed.stdout
    assert "resume later" in listed.stdout
    result = _cli(library_dir, "downloads", "--resume", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["state"] for d in data] == ["done"]
    last = server.hits(path)[before:]
    assert [h.headers.get("range") for h in last] == [f"bytes={kept}-"]
    assert sum(h.sent for h in last) == len(book_bytes) - kept
    found = json.loads(_cli(library_dir, "search", "zarafshonkitob", "--json").stdout)
    assert found["groups"]


def test_a_checksum_mismatch_fails_with_its_reason_and_imports_nothing(
    library_dir: Path, server: RangeServer, book_bytes: bytes
) -> None:
    path = "/books/bad.pdf"
    server.put(path, book_bytes, content_type="application/pdf")
    library = Library(resolve_paths(library_dir))
    try:
        DownloadQueue(library.store).enqueue(
            server.url(path),
            title="Bad",
            checksums={"sha256": "0" * 64},
            profile_id=PROFILE,
        )
        handled = run_queue(session_of(library), _fast_client())
        assert [d.state for d in handled] == ["failed"]
        assert "sha256" in handled[0].error
        assert "\n" not in handled[0].error
        assert library.store.count() == 0
    finally:
        library.close()
    listed = json.loads(_cli(library_dir, "downloads", "--json").stdout)
    assert listed[0]["state"] == "failed"
    assert "sha256" in listed[0]["error"]
    text = _cli(library_dir, "downloads").stdout
    assert "failed" in text
    assert "sha256" in text


def test_a_killed_download_is_queued_again_and_resumes(
    library_dir: Path, server: RangeServer, book_bytes: bytes
) -> None:
    path = "/books/killed.pdf"
    server.put(path, book_bytes, content_type="application/pdf")
    server.fault(path, Fault("stall", after=200_000, seconds=60))
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--library", str(library_dir), "download", server.url(path)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    partial = library_dir / "downloads"
    deadline = time.monotonic() + 60
    kept = 0
    while time.monotonic() < deadline:
        parts = list(partial.glob("*.part")) if partial.exists() else []
        kept = parts[0].stat().st_size if parts else 0
        if kept >= 128 * 1024:
            break
        time.sleep(0.05)
    assert kept >= 128 * 1024, "the download never got going"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    library = Library(resolve_paths(library_dir))
    try:
        queue = DownloadQueue(library.store)
        assert recover_interrupted(library) == 1
        (item,) = queue.list(profile_id=PROFILE)
        assert item.state == "queued"
    finally:
        library.close()
    before = len(server.hits(path))
    result = _cli(library_dir, "downloads", "--resume")
    assert result.returncode == 0, result.stderr
    assert "done" in result.stdout
    ranges = [h.headers.get("range") for h in server.hits(path)[before:]]
    assert ranges
    assert ranges[0] is not None
    assert ranges[0].startswith("bytes=")
    assert int(ranges[0][6:-1]) >= 128 * 1024
    listed = json.loads(_cli(library_dir, "list", "--json").stdout)
    assert [b["id"] for b in listed] == [hashlib.sha256(book_bytes).hexdigest()]


def test_priorities_order_the_queue(
    library: Library, server: RangeServer, book_bytes: bytes, tmp_path: Path
) -> None:
    other = make_pdf(tmp_path / "other.pdf", ["Boshqa kitob samarqandnoma."], title="Boshqa")
    server.put("/low.pdf", book_bytes, content_type="application/pdf")
    server.put("/high.pdf", other.read_bytes(), content_type="application/pdf")
    queue = DownloadQueue(library.store)
    low = queue.enqueue(server.url("/low.pdf"), title="low", profile_id=PROFILE)
    high = queue.enqueue(server.url("/high.pdf"), title="high", priority=3, profile_id=PROFILE)
    assert [d.id for d in queue.list(profile_id=PROFILE)] == [high, low]
    handled = run_queue(session_of(library), _fast_client(), limit=1)
    assert [d.id for d in handled] == [high]
    assert queue.get(low).state == "queued"
    assert [h.path for h in server.hits()] == ["/high.pdf"]


def test_one_runner_at_a_time(library: Library, server: RangeServer, book_bytes: bytes) -> None:
    server.put("/one.pdf", book_bytes, content_type="application/pdf")
    queue = DownloadQueue(library.store)
    item = queue.enqueue(server.url("/one.pdf"), profile_id=PROFILE)
    queue.mark_running(item)  # as another process running it would
    with queue_lock(library) as held:
        assert held
        assert recover_interrupted(library) == 0
        with pytest.raises(UserError, match="another Mutolaa is running these downloads"):
            run_queue(session_of(library), _fast_client())
    assert queue.get(item).state == "running"
    assert [d.state for d in run_queue(session_of(library), _fast_client())] == ["done"]


def test_download_of_an_unreachable_server_stays_queued_and_says_so(library_dir: Path) -> None:
    with running() as srv:
        url = srv.url("/gone.pdf")  # the server stops: nothing listens on its port any more
    result = _cli(library_dir, "download", url, "--title", "Gone")
    assert result.returncode == 1
    assert "kept in the queue" in result.stderr
    assert "downloads --resume" in result.stderr
    (item,) = json.loads(_cli(library_dir, "downloads", "--json").stdout)
    assert item["state"] == "queued"
    assert "no connection" in item["error"]


def test_a_download_that_ends_while_an_import_runs_is_searchable_at_once(
    library: Library, server: RangeServer, book_bytes: bytes, tmp_path: Path
) -> None:
    # one index writer per process: the download's import shares the running import's writer
    # (two writers collided: "being written by another Mutolaa", and the downloaded book was
    # not searchable before the next start)
    long_book = make_pdf(
        tmp_path / "uzun.pdf", [f"Bet {i}. uzunkitob soʻzi." for i in range(96)], title="Uzun"
    )
    server.put("/books/zarafshon.pdf", book_bytes, content_type="application/pdf")
    DownloadQueue(library.store).enqueue(
        server.url("/books/zarafshon.pdf"), title="Zarafshon", profile_id=PROFILE
    )
    reading, checked = threading.Event(), threading.Event()

    def hold_on(progress: Progress) -> None:
        if progress.stage == "reading" and not reading.is_set():
            reading.set()  # the import holds the index writer now, with its first pages in it
            assert checked.wait(60)

    with Importer(library) as importer:
        importing = threading.Thread(target=lambda: importer.run([long_book], progress=hold_on))
        importing.start()
        try:
            assert reading.wait(60)
            [done] = run_queue(session_of(library), _fast_client())
            assert done.state == "done"
            found = search(session_of(library), "zarafshonkitob")
            assert [g.book.id for g in found.groups] == [done.book_id]
        finally:
            checked.set()
            importing.join(60)
    assert [g.book.title for g in search(session_of(library), "uzunkitob").groups] == ["Uzun"]


@pytest.mark.parametrize("served_as", ["application/fb2+zip", "text/fb2+xml"])
def test_fictionbook_from_calibre_servers_is_chosen_downloaded_and_read_by_its_bytes(
    library: Library, server: RangeServer, tmp_path: Path, served_as: str
) -> None:
    # calibre-server offers FB2 as text/fb2+xml; calibre-web as application/fb2+zip while it
    # sends plain XML: the importer decides by the bytes received, not by the advertised type
    fb2 = make_fb2(
        tmp_path / "ertak.fb2",
        [("Boshlanish", "Bor ekan, yoʻq ekan, bir zumrad ertagi bor ekan.")],
        title="Zumrad va Qimmat",
        author="Xalq ertagi",
        lang="uz",
    )
    server.put("/get/fb2/7", fb2.read_bytes(), content_type=served_as)
    entry = Entry(
        id="urn:calibre:7",
        title="Zumrad va Qimmat",
        acquisitions=(
            Acquisition("acquisition", server.url("/get/fb2/7"), served_as),
            Acquisition("acquisition", server.url("/get/lit/7"), "application/x-ms-reader"),
        ),
    )
    choice = choose_acquisition(entry)
    assert choice.acquisition is not None
    assert choice.acquisition.type == served_as
    queue_entry(DownloadQueue(library.store), None, entry, profile_id=PROFILE)
    [done] = run_queue(session_of(library), _fast_client())
    assert done.state == "done", done.error
    book = library.store.get(done.book_id or "")
    assert book is not None
    assert (book.format, book.title) == ("fb2", "Zumrad va Qimmat")
    assert [g.book.id for g in search(session_of(library), "zumrad").groups] == [book.id]


def test_a_book_without_its_own_title_takes_its_catalogue_entrys(
    library: Library, server: RangeServer, documents: Path
) -> None:
    # calibre serves tracemonkey.pdf (no embedded title or author) as "tracemonkey - Unknown_5"
    data = (documents / "pdf" / "pdfjs" / "tracemonkey.pdf").read_bytes()
    server.put(
        "/get/pdf/5",
        data,
        content_type="application/pdf",
        disposition='attachment; filename="tracemonkey - Unknown_5.pdf"',
    )
    entry = Entry(
        id="urn:calibre:5",
        title="tracemonkey",
        subtitle="Trace-based Just-in-Time Type Specialization",
        authors=("Andreas Gal", "Brendan Eich"),
        language="en",
        acquisitions=(Acquisition("acquisition", server.url("/get/pdf/5"), "application/pdf"),),
    )
    queue_entry(DownloadQueue(library.store), None, entry, profile_id=PROFILE)
    [done] = run_queue(session_of(library), _fast_client())
    assert done.state == "done", done.error
    book = library.store.get(done.book_id or "")
    assert book is not None
    assert book.title == "tracemonkey: Trace-based Just-in-Time Type Specialization"
    assert book.authors == ("Andreas Gal", "Brendan Eich")
    assert book.languages[0] == "en"
    [found] = search(session_of(library), "Brendan Eich").groups  # the names are searchable
    assert (found.book.id, found.title_match) == (book.id, True)
