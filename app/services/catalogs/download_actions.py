"""What a person may do with a queued download, and doing it.

The actions: pause, resume, retry, cancel, remove, move up or down, set a priority.

Shared by the window's downloads panel and the command line, so both follow one table of which
state allows which action and say the same one-line reason when it does not. Everything here
works on the library's store and files: call it off the UI thread.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.errors import UserError
from app.library.downloads import DownloadQueue, QueuedDownload
from app.services.catalogs.queue_runner import downloads_folder, queue_lock
from app.services.session import Session
from sync.partials import discard_partial

#: The actions on one download.
ACTIONS = ("pause", "resume", "retry", "cancel", "remove", "priority", "up", "down")

#: The states each action accepts (the command line's rules, which the window follows too).
ALLOWED: dict[str, tuple[str, ...]] = {
    "pause": ("queued", "running"),
    "resume": ("paused", "failed", "cancelled", "queued"),
    "retry": ("failed", "cancelled", "paused", "queued"),
    "cancel": ("queued", "running", "paused", "failed"),
    "remove": ("done", "failed", "cancelled"),
    "priority": ("queued", "running", "paused", "failed", "cancelled", "done"),
    "up": ("queued", "running", "paused", "failed", "cancelled", "done"),
    "down": ("queued", "running", "paused", "failed", "cancelled", "done"),
}

#: How each action reads in "it cannot be …".
PAST = {
    "pause": "paused",
    "resume": "resumed",
    "retry": "retried",
    "cancel": "cancelled",
    "remove": "removed (cancel it first)",
    "priority": "changed",
    "up": "moved",
    "down": "moved",
}


def allowed(action: str, state: str) -> bool:
    """True when a download in ``state`` accepts ``action``.

    Raises:
        UserError: ``action`` is not one of `ACTIONS`.
    """
    if action not in ALLOWED:
        raise UserError(f"unknown download action {action!r}; use one of {', '.join(ACTIONS)}")
    return state in ALLOWED[action]


def offered(item: QueuedDownload) -> frozenset[str]:
    """The actions a window offers for ``item`` (a subset of what `ALLOWED` accepts).

    Resume is for a paused download; Retry for a failed or cancelled one, or a queued one the
    network interrupted (it has an error): it tries at once. Moving up and down also depends on
    the neighbours: see `neighbour`.
    """
    state = item.state
    actions = {action for action in ("pause", "cancel", "remove") if state in ALLOWED[action]}
    if state == "paused":
        actions.add("resume")
    if state in ("failed", "cancelled") or (state == "queued" and item.error):
        actions.add("retry")
    return frozenset(actions)


def neighbour(
    rows: Sequence[QueuedDownload], download_id: str, direction: str
) -> QueuedDownload | None:
    """The download just above (``"up"``) or below (``"down"``) this one among those in the same
    state, in the order of `DownloadQueue.list` (``rows``); None when it is first or last."""
    ids = [r.id for r in rows]
    if download_id not in ids:
        return None
    item = rows[ids.index(download_id)]
    same = [r for r in rows if r.state == item.state]
    index = [r.id for r in same].index(download_id)
    other = index - 1 if direction == "up" else index + 1
    return same[other] if 0 <= other < len(same) else None


def apply(
    session: Session,
    download_id: str,
    action: str,
    *,
    value: int | None = None,
) -> QueuedDownload | None:
    """Do ``action`` to one download; returns the download as it is now (None once removed).

    Pause is seen by a running download at its next progress save (in any process). Cancel
    deletes the partial file at once when no run holds the queue; a running download deletes
    its own when it sees the cancel. Resume and retry put the download back in the queue (a run
    must then be started). ``"priority"`` sets ``value``; ``"up"`` and ``"down"`` swap the
    download with its neighbour in the same state, raising priorities only as much as needed.

    Raises:
        UserError: no such download, the action does not fit its state, or nothing to move past.
    """
    library, profile_id = session.library, session.profile_id
    queue = DownloadQueue(library.store)
    if action not in ALLOWED:
        raise UserError(f"unknown download action {action!r}; use one of {', '.join(ACTIONS)}")
    item = queue.get(download_id)
    if item.state not in ALLOWED[action]:
        raise UserError(f"download {item.id[:8]} is {item.state}; it cannot be {PAST[action]}")
    if action == "pause":
        queue.mark_paused(item.id)
    elif action in ("resume", "retry"):
        queue.mark_resumed(item.id)
    elif action == "cancel":
        queue.mark_cancelled(item.id)
        with queue_lock(library) as held:
            if held and item.url not in _urls_in_use(queue, profile_id):
                discard_partial(downloads_folder(library), item.url)  # nobody is running it
    elif action == "remove":
        queue.forget(item.id)
        return None
    elif action == "priority":
        if value is None:
            raise UserError("downloads priority: give the new priority, e.g. 5 (higher runs first)")
        queue.set_priority(item.id, value)
    else:
        _move(queue, item, action, profile_id)
    return queue.get(item.id)


def _move(queue: DownloadQueue, item: QueuedDownload, direction: str, profile_id: int) -> None:
    """Swap ``item`` with its neighbour, then raise priorities from the bottom up only where the
    new order needs it (a tie keeps the older download first, so a tie holds only then)."""
    rows = [r for r in queue.list(profile_id) if r.state == item.state]
    other = neighbour(rows, item.id, direction)
    if other is None:
        where = "first" if direction == "up" else "last"
        raise UserError(f"download {item.id[:8]} is already {where} among the {item.state} ones")
    order = [r.id for r in rows]
    a, b = order.index(item.id), order.index(other.id)
    order[a], order[b] = order[b], order[a]
    by_id = {r.id: r for r in rows}
    wanted: dict[str, int] = {}
    below: QueuedDownload | None = None
    below_priority = 0
    for download_id in reversed(order):
        row = by_id[download_id]
        priority = row.priority
        if below is not None:  # at least the one below; equal only when the tie puts it first
            floor = below_priority if row.created_at < below.created_at else below_priority + 1
            priority = max(priority, floor)
        if priority != row.priority:
            wanted[row.id] = priority
        below, below_priority = row, priority
    for download_id, priority in wanted.items():
        queue.set_priority(download_id, priority)


def discard_cancelled(session: Session) -> int:
    """Delete the partial files of cancelled downloads, when no run holds the queue.

    A download cancelled while another one ran could not lose its partial file then; a runner
    calls this after its run. Returns how many partial files were deleted.
    """
    library, profile_id = session.library, session.profile_id
    with queue_lock(library) as held:
        if not held:
            return 0
        folder = downloads_folder(library)
        queue = DownloadQueue(library.store)
        cancelled = {d.url for d in queue.list(profile_id) if d.state == "cancelled"}
        urls = cancelled - _urls_in_use(queue, profile_id)
        return sum(discard_partial(folder, url) for url in sorted(urls))


def _urls_in_use(queue: DownloadQueue, profile_id: int) -> set[str]:
    """URLs a download still wants (queued again after a cancel): their partial files stay."""
    return {d.url for d in queue.list(profile_id) if d.state in ("queued", "running", "paused")}
