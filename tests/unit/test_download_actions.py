"""What a person may do with a queued download: the table of states, moving up and down, and
cancel deleting the partial file only when no run holds the queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.library.downloads import STATES, DownloadQueue
from app.services.catalogs.download_actions import (
    ACTIONS,
    ALLOWED,
    allowed,
    apply,
    discard_cancelled,
    neighbour,
    offered,
)
from app.services.catalogs.queue_runner import downloads_folder, queue_lock
from app.services.session import Library
from sync.downloads import download
from sync.errors import DownloadCancelled
from sync.partials import find_partial
from tests.support.range_server import RangeServer, running
from tests.support.sessions import PROFILE, session_of


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with running() as srv:
        srv.put("/book.epub", bytes(range(256)) * 2048)  # 512 KiB
        yield srv


def _partial(library: Library, url: str) -> Path:
    """Leave a real partial download of ``url`` in the library's downloads folder."""
    folder = downloads_folder(library)
    received: list[int] = []
    with pytest.raises(DownloadCancelled):
        download(
            url,
            folder,
            progress=lambda p: received.append(p.received),
            cancel=lambda: any(received),
            rate_limit=256 * 1024,
        )
    found = find_partial(folder, url)
    assert found is not None
    return found[1]


def test_the_table_is_the_command_lines() -> None:
    assert set(ALLOWED) == set(ACTIONS)
    assert all(set(states) <= set(STATES) for states in ALLOWED.values())
    assert allowed("pause", "running")
    assert not allowed("pause", "done")
    assert not allowed("remove", "paused")
    with pytest.raises(UserError, match="unknown download action 'explode'"):
        allowed("explode", "queued")


def test_actions_change_the_state_or_say_why_not_in_one_line(library: Library) -> None:
    queue = DownloadQueue(library.store)
    item = queue.enqueue("http://127.0.0.1:9/a.epub", title="a", profile_id=PROFILE)
    assert apply(session_of(library), item, "pause").state == "paused"  # type: ignore[union-attr]
    assert apply(session_of(library), item, "resume").state == "queued"  # type: ignore[union-attr]
    queue.mark_failed(item, "checksum mismatch")
    after = apply(session_of(library), item, "retry")
    assert after is not None
    assert (after.state, after.error) == ("queued", "")
    queue.mark_done(item, "book-1")
    with pytest.raises(UserError) as caught:
        apply(session_of(library), item, "pause")
    assert str(caught.value) == f"download {item[:8]} is done; it cannot be paused"
    assert "\n" not in str(caught.value)
    with pytest.raises(UserError, match="give the new priority"):
        apply(session_of(library), item, "priority")
    assert apply(session_of(library), item, "priority", value=7).priority == 7  # type: ignore[union-attr]
    assert apply(session_of(library), item, "remove") is None
    assert queue.list(profile_id=PROFILE) == []
    with pytest.raises(UserError, match="no download matches"):
        apply(session_of(library), item, "cancel")


def test_a_queued_download_cannot_be_removed_before_it_is_cancelled(library: Library) -> None:
    queue = DownloadQueue(library.store)
    item = queue.enqueue("http://127.0.0.1:9/a.epub", profile_id=PROFILE)
    with pytest.raises(UserError, match=r"is queued; it cannot be removed \(cancel it first\)"):
        apply(session_of(library), item, "remove")
    apply(session_of(library), item, "cancel")
    assert apply(session_of(library), item, "remove") is None


def test_the_window_offers_what_fits_the_state(library: Library) -> None:
    queue = DownloadQueue(library.store)
    item = queue.enqueue("http://127.0.0.1:9/a.epub", profile_id=PROFILE)
    assert offered(queue.get(item)) == {"pause", "cancel"}
    queue.mark_interrupted(item, "no connection")
    assert offered(queue.get(item)) == {"pause", "cancel", "retry"}
    queue.mark_running(item)
    assert offered(queue.get(item)) == {"pause", "cancel"}
    queue.mark_paused(item)
    assert offered(queue.get(item)) == {"resume", "cancel"}
    queue.mark_failed(item, "checksum mismatch")
    assert offered(queue.get(item)) == {"retry", "cancel", "remove"}
    queue.mark_cancelled(item)
    assert offered(queue.get(item)) == {"retry", "remove"}
    queue.mark_done(item, "book-1")
    assert offered(queue.get(item)) == {"remove"}


def test_moving_up_and_down_swaps_with_the_neighbour_only(library: Library) -> None:
    queue = DownloadQueue(library.store)
    a, b, c, d = (
        queue.enqueue(f"http://127.0.0.1:9/{n}.epub", title=n, profile_id=PROFILE) for n in "abcd"
    )
    queue.set_priority(a, 3)
    paused = queue.enqueue("http://127.0.0.1:9/p.epub", title="p", profile_id=PROFILE)
    queue.mark_paused(paused)

    def order() -> list[str]:
        return [x.title for x in queue.list(profile_id=PROFILE)]

    assert order() == ["a", "b", "c", "d", "p"]
    apply(session_of(library), d, "up")
    assert order() == ["a", "b", "d", "c", "p"]
    apply(session_of(library), d, "up")
    assert order() == ["a", "d", "b", "c", "p"]
    apply(session_of(library), d, "up")
    assert order() == ["d", "a", "b", "c", "p"]
    apply(session_of(library), a, "down")
    assert order() == ["d", "b", "a", "c", "p"]
    apply(session_of(library), c, "up")
    assert order() == ["d", "b", "c", "a", "p"]
    with pytest.raises(UserError, match=r"is already first among the queued ones"):
        apply(session_of(library), d, "up")
    with pytest.raises(UserError, match=r"is already last among the paused ones"):
        apply(session_of(library), paused, "down")
    rows = queue.list(profile_id=PROFILE)
    assert neighbour(rows, b, "up") is not None
    assert neighbour(rows, b, "up").title == "d"  # type: ignore[union-attr]
    assert neighbour(rows, a, "down") is None  # the paused one is in another group
    assert neighbour(rows, "missing", "up") is None


def test_cancel_deletes_the_partial_file_when_nobody_runs_the_queue(
    library: Library, server: RangeServer
) -> None:
    queue = DownloadQueue(library.store)
    url = server.url("/book.epub")
    item = queue.enqueue(url, profile_id=PROFILE)
    part = _partial(library, url)
    apply(session_of(library), item, "pause")
    assert part.exists()  # pausing keeps it
    apply(session_of(library), item, "cancel")
    assert not part.exists()
    assert find_partial(downloads_folder(library), url) is None


def test_a_cancel_while_a_run_holds_the_queue_deletes_the_partial_file_afterwards(
    library: Library, server: RangeServer
) -> None:
    queue = DownloadQueue(library.store)
    url = server.url("/book.epub")
    item = queue.enqueue(url, profile_id=PROFILE)
    part = _partial(library, url)
    with queue_lock(library) as held:
        assert held
        apply(session_of(library), item, "cancel")
        assert part.exists()  # the run may be using it
        assert discard_cancelled(session_of(library)) == 0  # still held
    assert discard_cancelled(session_of(library)) == 1
    assert not part.exists()


def test_a_url_queued_again_after_a_cancel_keeps_its_partial_file(
    library: Library, server: RangeServer
) -> None:
    queue = DownloadQueue(library.store)
    url = server.url("/book.epub")
    first = queue.enqueue(url, profile_id=PROFILE)
    part = _partial(library, url)
    queue.mark_cancelled(first)
    queue.enqueue(url, profile_id=PROFILE)
    assert discard_cancelled(session_of(library)) == 0
    assert part.exists()
