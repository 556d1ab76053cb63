"""The download queue against faults on the wire: a fault-injecting proxy before honest servers.

Each queued download goes through `run_queue` to a `FaultProxy` in front of a real `RangeServer`
(or `CatalogServer`, a static host that ignores Range) on 127.0.0.1. Whatever the wire does, the
row ends `done` with a book whose file is the server's bytes and whose metadata is searchable; or
stays `queued` with a one-line reason, and the next run sends only the bytes still missing; or
ends `failed` with a one-line reason and nothing added to the library.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.core.settings import Settings
from app.library.downloads import DownloadQueue, QueuedDownload
from app.services.catalogs.queue_runner import downloads_folder, run_queue
from app.services.library.searching import search
from app.services.session import Library
from sync.http import HttpClient, HttpPolicy
from tests.support.catalog_server import CatalogServer
from tests.support.docgen import make_pdf
from tests.support.fault_proxy import FaultProxy, ProxyFault
from tests.support.range_server import Fault, RangeServer, running
from tests.support.sessions import PROFILE, session_of

POLICY = HttpPolicy(connect_timeout=2, read_timeout=0.3, backoff_base=0.01, backoff_max=0.05)
PATH = "/books/zarafshon.pdf"
#: Attempts of one `download` call that a connection fault must spoil to stop it (1 + retries).
SPOILS_A_RUN = 6
#: Attempts of one HTTP request that an error status must spoil to stop it (1 + retries).
SPOILS_A_REQUEST = POLICY.max_retries + 1


def spec(kind: str, **options: Any) -> dict[str, Any]:
    """The arguments of a `ProxyFault`: each test builds its own (a fault counts down its uses)."""
    return {"kind": kind, **options}


@dataclass(frozen=True)
class Book:
    """A served PDF, the word that finds it, and its title."""

    data: bytes
    word: str
    title: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _make_book(folder: Path, title: str, word: str) -> Book:
    pages = [f"Sahifa {i}. {word} vohasi. " + "matn " * 50 for i in range(8)]
    path = make_pdf(
        folder / f"{word}.pdf",
        pages,
        title=title,
        author="Aziz Karimov",
        image_only_pages=range(1, 8),  # about 350 kB: several pieces on the wire
    )
    return Book(path.read_bytes(), word, title)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Book, Book]:
    """Two versions of a book: the first served, and the one that replaces it."""
    folder = tmp_path_factory.mktemp("served")
    return (
        _make_book(folder, "Zarafshon", "zarafshonkitob"),
        _make_book(folder, "Zarafshon (ikkinchi nashr)", "ikkinchinashr"),
    )


@pytest.fixture
def book(books: tuple[Book, Book]) -> Book:
    return books[0]


@pytest.fixture
def server(book: Book) -> Iterator[RangeServer]:
    with running() as srv:
        srv.put(PATH, book.data, content_type="application/pdf")
        yield srv


@pytest.fixture
def proxy(server: RangeServer) -> Iterator[FaultProxy]:
    with FaultProxy(server.base, timeout=5) as px:
        yield px
    assert px.errors == []
    assert px.threads() == []


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def http(sleeps: list[float]) -> Iterator[HttpClient]:
    with HttpClient(POLICY, sleep=sleeps.append) as client:
        yield client


@dataclass(frozen=True)
class Wire:
    """The honest server, the proxy in front of it, and the client with its recorded sleeps."""

    server: RangeServer
    proxy: FaultProxy
    http: HttpClient
    sleeps: list[float]


@pytest.fixture
def wire(server: RangeServer, proxy: FaultProxy, http: HttpClient, sleeps: list[float]) -> Wire:
    return Wire(server, proxy, http, sleeps)


def _enqueue(library: Library, url: str, *, checksum: str | None = None) -> str:
    checksums = {"sha256": checksum} if checksum else None
    return DownloadQueue(library.store).enqueue(
        url, title="Zarafshon", checksums=checksums, profile_id=PROFILE
    )


def _run(library: Library, http: HttpClient, download_id: str) -> QueuedDownload:
    (handled,) = run_queue(session_of(library), http)
    assert handled.id == download_id
    return handled


def _books_folder_files(library: Library) -> list[Path]:
    return sorted(p for p in library.paths.books.rglob("*") if p.is_file())


def _waiting(library: Library) -> list[str]:
    """What is left in the downloads folder besides the queue's lock."""
    return sorted(p.name for p in downloads_folder(library).iterdir() if p.name != ".queue.lock")


def assert_done(library: Library, item: QueuedDownload, book: Book) -> None:
    """Done, with the server's bytes in the library, the metadata searchable, nothing waiting."""
    assert item.state == "done", item.error
    assert item.error == ""
    stored = library.store.get(item.book_id or "")
    assert stored is not None
    assert stored.id == book.sha256
    assert library.store.file_path(stored).read_bytes() == book.data
    assert stored.title == book.title
    assert stored.authors == ("Aziz Karimov",)
    assert [g.book.id for g in search(session_of(library), book.word).groups] == [stored.id]
    assert [g.book.id for g in search(session_of(library), "Karimov").groups] == [stored.id]
    assert library.store.count() == 1
    assert _waiting(library) == []


def assert_queued(library: Library, item: QueuedDownload, *fragments: str) -> None:
    """Still queued with a one-line reason, and nothing in the library yet."""
    assert item.state == "queued"
    assert "\n" not in item.error
    for fragment in fragments:
        assert fragment in item.error, item.error
    assert item.book_id is None
    assert library.store.count() == 0
    assert _books_folder_files(library) == []


def assert_failed(library: Library, item: QueuedDownload, *fragments: str) -> None:
    """Failed with a one-line reason; no book, no file in the library's books folder."""
    assert item.state == "failed"
    assert "\n" not in item.error
    for fragment in fragments:
        assert fragment in item.error, item.error
    assert item.book_id is None
    assert library.store.count() == 0
    assert _books_folder_files(library) == []


def _kept_part(library: Library) -> int:
    (part,) = downloads_folder(library).glob("*.part")
    return part.stat().st_size


# -- faults the retries of one run absorb ----------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        spec("drop", after=100_000),
        spec("reset", after=200_000),
        spec("stall", after=150_000, seconds=30),
        spec("status", status=500, times=2),
        spec("status", status=429, retry_after="1"),
        spec("length", delta=4096),
    ],
    ids=["drop", "reset", "stall", "500", "429", "longer-length"],
)
def test_a_passing_fault_ends_done_with_the_same_bytes(
    library: Library,
    book: Book,
    proxy: FaultProxy,
    http: HttpClient,
    fault: dict[str, Any],
) -> None:
    proxy.fault(PATH, ProxyFault(**fault))
    download_id = _enqueue(library, proxy.url(PATH), checksum=book.sha256)
    assert_done(library, _run(library, http, download_id), book)
    assert proxy.hits(PATH)[0].fault == fault["kind"]


# -- faults that outlast a run: queued, then resumed with only the rest -----------------------


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (spec("drop", after=30_000, times=SPOILS_A_RUN), "resume later"),
        (spec("stall", after=30_000, seconds=30, times=SPOILS_A_RUN), "resume later"),
    ],
    ids=["drop", "stall"],
)
def test_a_broken_connection_stays_queued_and_the_next_run_sends_only_the_rest(
    library: Library, book: Book, wire: Wire, fault: dict[str, Any], reason: str
) -> None:
    proxy, http = wire.proxy, wire.http
    proxy.fault(PATH, ProxyFault(**fault))
    download_id = _enqueue(library, proxy.url(PATH), checksum=book.sha256)
    assert_queued(library, _run(library, http, download_id), proxy.url(PATH), reason)
    kept = _kept_part(library)
    assert kept == SPOILS_A_RUN * 30_000
    before = len(proxy.hits(PATH))
    proxy.clear_faults()
    assert_done(library, _run(library, http, download_id), book)
    (resume,) = proxy.hits(PATH)[before:]
    assert (resume.range, resume.status) == (f"bytes={kept}-", 206)
    assert resume.sent == len(book.data) - kept


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (spec("status", status=500, times=SPOILS_A_REQUEST), "answered 500"),
        (spec("status", status=503, times=SPOILS_A_REQUEST), "answered 503"),
        (
            spec("status", status=429, retry_after="1", times=SPOILS_A_REQUEST),
            "answered 429",
        ),
        (spec("status", status=429, retry_after="3600"), "retry after 3600 s"),
        (spec("delay", seconds=30, times=SPOILS_A_REQUEST), "no connection (ReadTimeout)"),
    ],
    ids=["500", "503", "429", "429-too-long", "no-answer"],
)
def test_an_unavailable_server_stays_queued_and_upstream_sends_the_file_once(
    library: Library, book: Book, wire: Wire, fault: dict[str, Any], reason: str
) -> None:
    server, proxy, http = wire.server, wire.proxy, wire.http
    proxy.fault(PATH, ProxyFault(**fault))
    download_id = _enqueue(library, proxy.url(PATH), checksum=book.sha256)
    assert_queued(library, _run(library, http, download_id), proxy.url(PATH), reason)
    assert proxy.sent(PATH) == 0
    proxy.clear_faults()
    assert_done(library, _run(library, http, download_id), book)
    assert proxy.sent(PATH) == len(book.data)
    assert [h.status for h in server.hits(PATH)] == [200]  # upstream was asked once


def test_429_waits_through_the_injected_sleep_not_the_clock(
    library: Library, book: Book, proxy: FaultProxy, http: HttpClient, sleeps: list[float]
) -> None:
    proxy.fault(PATH, ProxyFault("status", status=429, retry_after="1", times=SPOILS_A_REQUEST))
    download_id = _enqueue(library, proxy.url(PATH))
    assert _run(library, http, download_id).state == "queued"
    assert sleeps == [1.0] * POLICY.max_retries


def test_503_on_the_ranged_resume_stays_queued_then_sends_only_the_rest(
    library: Library, book: Book, proxy: FaultProxy, http: HttpClient
) -> None:
    proxy.fault(PATH, ProxyFault("drop", after=120_000))
    proxy.fault(PATH, ProxyFault("status", status=503, times=SPOILS_A_REQUEST, only_ranged=True))
    download_id = _enqueue(library, proxy.url(PATH), checksum=book.sha256)
    assert_queued(library, _run(library, http, download_id), "answered 503")
    assert _kept_part(library) == 120_000
    before = len(proxy.hits(PATH))
    assert_done(library, _run(library, http, download_id), book)
    (resume,) = proxy.hits(PATH)[before:]
    assert (resume.range, resume.sent) == ("bytes=120000-", len(book.data) - 120_000)


# -- bodies that lie: only a checksum tells ------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        spec("truncate", after=300_000),
        spec("truncate", after=300_000, framing="close"),
        spec("length", delta=-2000),
        spec("corrupt", after=1000),
    ],
    ids=["truncated-chunked", "truncated-close", "shorter-length", "corrupt-byte"],
)
def test_a_body_that_lies_fails_on_its_checksum_and_adds_nothing(
    library: Library, book: Book, proxy: FaultProxy, http: HttpClient, fault: dict[str, Any]
) -> None:
    proxy.fault(PATH, ProxyFault(**fault))
    download_id = _enqueue(library, proxy.url(PATH), checksum=book.sha256)
    assert_failed(library, _run(library, http, download_id), "sha256 is", book.sha256)
    # The bad file waits aside in the downloads folder, never under its final name.
    assert _waiting(library) == ["zarafshon.pdf.rejected"]


def test_a_truncated_body_without_checksum_is_completed_when_the_catalogue_said_more(
    library: Library, book: Book, proxy: FaultProxy, http: HttpClient
) -> None:
    """No length from the server, fewer bytes than the catalogue declared: the rest is asked
    for (a Range from where the body stopped) before anything is imported."""
    proxy.fault(PATH, ProxyFault("truncate", after=len(book.data) * 9 // 10))
    download_id = DownloadQueue(library.store).enqueue(
        proxy.url(PATH),
        title="Zarafshon",
        expected_size=len(book.data),
        profile_id=PROFILE,
    )
    item = _run(library, http, download_id)
    assert item.state == "done"
    stored = library.store.get(item.book_id or "")
    assert stored is not None
    assert stored.id == hashlib.sha256(book.data).hexdigest()  # the whole book, not the cut one


def test_a_truncated_body_that_is_no_document_fails_at_import_and_adds_nothing(
    library: Library, book: Book, proxy: FaultProxy, http: HttpClient
) -> None:
    """Without a checksum a short PDF is caught only when it does not open (cut at 30 %)."""
    proxy.fault(PATH, ProxyFault("truncate", after=len(book.data) * 3 // 10))
    download_id = _enqueue(library, proxy.url(PATH))
    assert_failed(library, _run(library, http, download_id), "zarafshon.pdf", "damaged")
    assert _waiting(library) == []


# -- a file that changes between two attempts --------------------------------------------


def test_a_file_replaced_between_the_cut_and_the_resume_imports_the_new_version(
    library: Library,
    books: tuple[Book, Book],
    server: RangeServer,
    proxy: FaultProxy,
    http: HttpClient,
) -> None:
    old, new = books

    def replace() -> None:
        server.put(PATH, new.data)

    proxy.fault(PATH, ProxyFault("drop", after=100_000, then=replace))
    download_id = _enqueue(library, proxy.url(PATH))
    assert_done(library, _run(library, http, download_id), new)
    assert search(session_of(library), old.word).groups == []
    _first, second = proxy.hits(PATH)
    assert second.range == "bytes=100000-"
    assert (second.status, second.sent) == (200, len(new.data))


def test_a_file_replaced_between_two_runs_against_the_catalogue_checksum_fails(
    library: Library,
    books: tuple[Book, Book],
    server: RangeServer,
    proxy: FaultProxy,
    http: HttpClient,
) -> None:
    old, new = books
    proxy.fault(PATH, ProxyFault("drop", after=50_000, times=SPOILS_A_RUN))
    download_id = _enqueue(library, proxy.url(PATH), checksum=old.sha256)
    assert_queued(library, _run(library, http, download_id), "resume later")
    server.put(PATH, new.data)  # the server's copy changed; the catalogue still has the old sum
    item = _run(library, http, download_id)
    assert_failed(library, item, f"sha256 is {new.sha256}", f"the catalogue says {old.sha256}")
    assert proxy.statuses(PATH)[-1] == 200  # If-Range saw the change: no splice was attempted


# -- a server that ignores Range -----------------------------------------------------------


def test_a_static_host_that_ignores_range_restarts_and_imports_the_same_bytes(
    library: Library, book: Book, tmp_path: Path, http: HttpClient
) -> None:
    root = tmp_path / "site"
    (root / "books").mkdir(parents=True)
    (root / "books" / "zarafshon.pdf").write_bytes(book.data)
    host = CatalogServer(root).start()
    try:
        with FaultProxy(host.base, timeout=5) as px:
            px.fault(PATH, ProxyFault("drop", after=100_000, times=SPOILS_A_RUN))
            download_id = _enqueue(library, px.url(PATH), checksum=book.sha256)
            assert_queued(library, _run(library, http, download_id), "resume later")
            before = len(px.hits(PATH))
            assert_done(library, _run(library, http, download_id), book)
            (again,) = px.hits(PATH)[before:]
            assert px.errors == []
    finally:
        host.stop()
    # Range was asked, the host answered 200 with everything: taken whole, not appended.
    assert again.range == "bytes=100000-"
    assert (again.status, again.sent) == (200, len(book.data))


# -- limits (issue 13, item 4) ---------------------------------------------------------------


def test_a_body_longer_than_the_entry_declares_fails_its_row_and_keeps_nothing(
    library: Library, server: RangeServer, http: HttpClient
) -> None:
    # the audit: an entry declaring length="1000" whose server streams on with no length
    server.fault(PATH, Fault("endless", after=1024**3))
    download_id = DownloadQueue(library.store).enqueue(
        server.url(PATH), title="Zarafshon", expected_size=1000, profile_id=PROFILE
    )
    item = _run(library, http, download_id)
    assert_failed(
        library,
        item,
        server.url(PATH),
        "the server sent more than 66536 bytes (the catalogue declares 1000)",
    )
    assert _waiting(library) == []


def test_the_settings_limit_a_download_without_a_declared_length(
    library: Library, server: RangeServer, http: HttpClient
) -> None:
    server.fault(PATH, Fault("endless", after=1024**3))
    download_id = _enqueue(library, server.url(PATH))
    settings = Settings(max_download_bytes=1024 * 1024)
    (item,) = run_queue(session_of(library, settings), http)
    assert item.id == download_id
    assert_failed(
        library,
        item,
        "more than 1048576 bytes (no size was declared; the most a download may be is 1.0 MB)",
    )
    assert _waiting(library) == []


def test_a_disk_short_of_the_free_space_setting_waits_in_the_queue(
    library: Library, server: RangeServer, http: HttpClient, book: Book
) -> None:
    # a floor above the free space the disk reports: nothing is asked of the server
    floor = shutil.disk_usage(library.paths.data).free + 10**12
    download_id = _enqueue(library, server.url(PATH), checksum=book.sha256)
    (item,) = run_queue(session_of(library, Settings(min_free_disk_bytes=floor)), http)
    assert item.id == download_id
    assert_queued(library, item, server.url(PATH), "not started", "downloads leave")
    assert server.hits() == []
    assert_done(library, _run(library, http, download_id), book)  # space freed
