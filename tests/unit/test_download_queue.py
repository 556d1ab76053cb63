"""The persistent download queue: order, states, and recovery after a crash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.library.downloads import DownloadQueue, QueuedDownload
from app.library.store import LibraryStore
from tests.support.sessions import PROFILE


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    s = LibraryStore(tmp_path / "library.sqlite3", tmp_path / "books")
    yield s
    s.close()


def test_priority_then_age_order_the_queue(store: LibraryStore) -> None:
    queue = DownloadQueue(store)
    low = queue.enqueue("http://h/a.epub", title="a", profile_id=PROFILE)
    high = queue.enqueue("http://h/b.epub", title="b", priority=5, profile_id=PROFILE)
    low2 = queue.enqueue("http://h/c.epub", title="c", profile_id=PROFILE)
    assert _next_queued(queue) is not None
    assert _next_queued(queue).id == high  # type: ignore[union-attr]
    assert [d.id for d in queue.list(profile_id=PROFILE)] == [high, low, low2]
    queue.mark_failed(high, "checksum\nmismatch")
    queue.mark_running(low2)
    listed = queue.list(profile_id=PROFILE)
    assert [d.state for d in listed] == ["running", "queued", "failed"]
    assert listed[2].error == "checksum mismatch"
    assert _next_queued(queue).id == low  # type: ignore[union-attr]


def test_every_state_change_is_saved(store: LibraryStore) -> None:
    queue = DownloadQueue(store)
    item = queue.enqueue(
        "http://h/a.epub",
        entry_id="urn:x",
        expected_size=10,
        checksums={"sha256": "ab"},
        media_type="application/epub+zip",
        profile_id=PROFILE,
    )
    queue.mark_running(item)
    queue.progress(item, 4, 10)
    got = queue.get(item[:8])
    assert (got.state, got.received, got.total, got.checksums) == (
        "running",
        4,
        10,
        {"sha256": "ab"},
    )
    queue.mark_paused(item)
    assert _next_queued(queue) is None
    queue.mark_resumed(item)
    queue.mark_cancelled(item)
    assert queue.get(item).state == "cancelled"
    queue.mark_resumed(item)
    queue.mark_done(item, "b" * 64)
    assert (queue.get(item).state, queue.get(item).book_id) == ("done", "b" * 64)
    with pytest.raises(UserError, match="no download"):
        queue.get("zzz")
    with pytest.raises(UserError, match="needs a URL"):
        queue.enqueue(" ", profile_id=PROFILE)


def test_running_rows_go_back_to_the_queue_on_start_up(tmp_path: Path) -> None:
    first = LibraryStore(tmp_path / "library.sqlite3", tmp_path / "books")
    item = DownloadQueue(first).enqueue("http://h/a.epub", profile_id=PROFILE)
    DownloadQueue(first).mark_running(item)
    first.close()  # as if the program died here
    again = LibraryStore(tmp_path / "library.sqlite3", tmp_path / "books")
    queue = DownloadQueue(again)
    assert queue.get(item).state == "running"  # another process may be running it
    assert queue.recover() == 1
    assert queue.get(item).state == "queued"
    again.close()


def _next_queued(queue: DownloadQueue) -> QueuedDownload | None:
    """The queued download the queue's order runs next (the runner takes the first)."""
    return next((d for d in queue.list(PROFILE) if d.state == "queued"), None)
