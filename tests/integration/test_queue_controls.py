"""Pausing and cancelling a running download from another connection to the store (as the window
or `mutolaa downloads pause` in another process does), the acquisition choice, credentials that
answer either challenge, and the offline catalogue search folding Uzbek scripts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.paths import resolve_paths
from app.library.catalogs import CatalogStore
from app.library.downloads import DownloadQueue
from app.library.store import LibraryStore
from app.services.catalogs import queue_runner
from app.services.catalogs.client import catalog_client
from app.services.catalogs.entry_downloads import choose_acquisition
from app.services.catalogs.queue_runner import downloads_folder, run_queue
from app.services.session import Library
from sync.auth import ChallengeAuth
from sync.downloads import Progress
from sync.http import HttpClient
from sync.opds.model import Acquisition, Entry, IndirectAcquisition
from tests.support.catalog_server import CatalogServer
from tests.support.range_server import RangeServer, running
from tests.support.sessions import PROFILE, session_of

SIZE = 600_000


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with running() as srv:
        yield srv


def _other_connection(library_dir: Path) -> DownloadQueue:
    """The queue through a second connection to the database (like another process)."""
    paths = resolve_paths(library_dir)
    return DownloadQueue(LibraryStore(paths.database, paths.books))


@pytest.mark.parametrize("action", ["pause", "cancel"])
def test_a_running_download_stops_when_paused_or_cancelled_elsewhere(
    library: Library,
    library_dir: Path,
    server: RangeServer,
    monkeypatch: pytest.MonkeyPatch,
    action: str,
) -> None:
    server.put("/big.epub", bytes(range(256)) * (SIZE // 256))
    monkeypatch.setattr(queue_runner, "SAVE_EVERY", 0.0)  # read the row back at every report
    queue = DownloadQueue(library.store)
    download_id = queue.enqueue(server.url("/big.epub"), title="Katta", profile_id=PROFILE)
    other = _other_connection(library_dir)
    asked: list[int] = []

    def progress(_item: object, event: Progress) -> None:
        if event.received and not asked:
            asked.append(event.received)
            (other.mark_paused if action == "pause" else other.mark_cancelled)(download_id)

    handled = run_queue(session_of(library), HttpClient(), progress=progress, rate_limit=400_000)
    item = queue.get(download_id)
    assert item.state == ("paused" if action == "pause" else "cancelled")
    assert [d.id for d in handled] == [download_id]
    assert item.book_id is None
    parts = sorted(p.name for p in downloads_folder(library).glob("big.epub.part*"))
    if action == "pause":
        assert parts == ["big.epub.part", "big.epub.part.json"]
        assert 0 < (downloads_folder(library) / "big.epub.part").stat().st_size < SIZE
        queue.mark_resumed(download_id)
        [done] = run_queue(session_of(library), HttpClient(sleep=lambda _s: None))
        assert done.state == "failed"  # the bytes are not a book: imported nothing, said why
        assert "cannot import" in done.error or "big.epub" in done.error
        assert server.sent("/big.epub") < SIZE * 2  # resumed, not fetched twice
    else:
        assert parts == []  # a cancel frees the disk
    assert library.store.count() == 0


def _entry(*links: Acquisition) -> Entry:
    return Entry(id="urn:x", title="Kitob", acquisitions=links)


def test_the_acquisition_chosen_is_the_readable_whole_book() -> None:
    sample = Acquisition("sample", "http://h/s.epub", "application/epub+zip")
    pdf = Acquisition("acquisition", "http://h/b.pdf", "application/pdf")
    epub = Acquisition("open-access", "http://h/b.epub", "application/epub+zip")
    acsm = Acquisition(
        "acquisition",
        "http://h/b.acsm",
        "application/vnd.adobe.adept+xml",
        indirect=(IndirectAcquisition("application/epub+zip"),),
    )
    html = Acquisition("acquisition", "http://h/b.html", "text/html")
    assert choose_acquisition(_entry(sample, pdf, epub, acsm)).acquisition == epub
    assert choose_acquisition(_entry(sample, pdf)).acquisition == pdf
    assert choose_acquisition(_entry(sample)).acquisition == sample
    untyped = Acquisition("acquisition", "http://h/get/1")
    assert choose_acquisition(_entry(untyped, html)).acquisition == untyped
    none = choose_acquisition(_entry(acsm, html))
    assert none.acquisition is None
    assert none.reason == (
        "'Kitob' is offered only as application/vnd.adobe.adept+xml, text/html, "
        "which Mutolaa cannot read or which needs a DRM licence"
    )
    assert "no download link" in choose_acquisition(_entry()).reason


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_challenge_auth_answers_either_scheme_and_only_when_asked(
    tmp_path: Path, scheme: str
) -> None:
    (tmp_path / "b.epub").write_bytes(b"PK-epub-bytes")
    srv = CatalogServer(tmp_path, auth=scheme, user="o'quvchi", password="parolʻ").start()
    auth = ChallengeAuth("o'quvchi", "parolʻ")
    try:
        with HttpClient() as http:
            first = http.fetch(f"{srv.base}/b.epub", auth=auth)
            second = http.fetch(f"{srv.base}/b.epub", auth=auth)
    finally:
        srv.stop()
    assert first.content == second.content == b"PK-epub-bytes"
    seen = [(s.status, s.authorization) for s in srv.seen]
    assert seen[:2] == [(401, False), (200, True)]  # nothing sent before the challenge
    assert seen[2] == (200, True)  # then sent at once
    assert "parol" not in repr(auth)


def test_offline_catalogue_search_folds_uzbek_scripts(tmp_path: Path, library: Library) -> None:
    feed = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:f</id><title>Kitoblar</title>
<updated>2026-01-01T00:00:00Z</updated>
<entry><id>urn:1</id><title>Ўтган кунлар</title><author><name>Абдулла Қодирий</name></author>
<updated>2026-01-01T00:00:00Z</updated>
<link rel="http://opds-spec.org/acquisition" type="application/epub+zip" href="1.epub"/></entry>
<entry><id>urn:2</id><title>Kecha va kunduz</title><author><name>Cho'lpon</name></author>
<updated>2026-01-01T00:00:00Z</updated>
<link rel="http://opds-spec.org/acquisition" type="application/epub+zip" href="2.epub"/></entry>
</feed>"""
    (tmp_path / "f.xml").write_text(feed, encoding="utf-8")
    srv = CatalogServer(tmp_path).start()
    url = f"{srv.base}/f.xml"
    CatalogStore(library.store, profile_id=PROFILE).add("K", url)
    try:
        with catalog_client(session_of(library)) as client:
            client.feed(url)
    finally:
        srv.stop()
    with catalog_client(session_of(library)) as client:
        latin = client.search(url, "o‘tgan kunlar", offline=True)
        cyrillic = client.search(url, "ЧЎЛПОН", offline=True)
        by_author = client.search(url, "qodiriy", offline=True)
    assert [e.id for e in latin.feed.entries] == ["urn:1"]
    assert [e.id for e in cyrillic.feed.entries] == ["urn:2"]
    assert [e.id for e in by_author.feed.entries] == ["urn:1"]
    assert latin.stale
