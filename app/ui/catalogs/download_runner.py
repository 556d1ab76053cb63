"""The window's download runner: runs the library's download queue on a thread of its own.

`DownloadRunner.kick()` starts a run when something was queued or resumed. A run takes the queued
downloads one at a time (highest priority first) through
`app.services.catalogs.queue_runner.run_queue`, so each finished book is announced (``finished``) as
soon as it is imported. When a run leaves downloads queued because the network failed (no
connection, a 5xx answer), or another process (``mutolaa downloads --resume``) holds the queue, the
runner tries again later: after 15 s, then 30 s, 60 s … at most every 10 min. A kick or a successful
download starts the wait again from the shortest. Pausing or cancelling a download is done in the
store (`app.services.catalogs.download_actions`); the running download sees it within about a second
and stops.

Nothing here touches SQLite or the network on the UI thread: the work runs on the runner's own
`TaskRunner`, and its reports come back as signals.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import QObject, Signal

from app.core.errors import UserError
from app.core.tasks import CancelToken
from app.library.downloads import DownloadQueue, QueuedDownload
from app.services.catalogs.download_actions import discard_cancelled
from app.services.catalogs.queue_runner import queue_lock, recover_interrupted, run_queue
from app.services.session import Session
from app.ui.common.i18n import ui_text
from app.ui.common.retry_timer import FIRST_RETRY, LONGEST_RETRY, RetryTimer
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason
from sync.downloads import Progress as TransferProgress
from sync.http import HttpClient, HttpPolicy

log = logging.getLogger(__name__)

#: How often a run asks again for a queue another run of this process held for a moment.
_LOCK_ATTEMPTS = 3


class RunnerState(Enum):
    """What the runner is doing, for its one-line status."""

    IDLE = "idle"
    RUNNING = "running"
    WAITING = "waiting"  # downloads left queued by the network; trying again later
    BUSY = "busy"  # another process runs the queue; trying again later
    FAILED = "failed"  # the run itself failed (e.g. the library was busy); trying again later


@dataclass
class _Outcome:
    """What one run did (built on the worker thread)."""

    handled: list[QueuedDownload] = field(default_factory=list)
    waiting: bool = False  # a download stays queued because the network failed
    busy: bool = False  # another process holds the queue
    succeeded: bool = False  # at least one download was imported


class DownloadRunner(QObject):
    """Runs the download queue of one library in the background, and tries again later.

    Args:
        session: the open library and who is acting.
        parent: the owning QObject (the window).
        rate_limit: the most bytes per second (for a metered link), None for no limit.
        policy: the HTTP client's timeouts and retries (tests shorten them).
        first_retry: seconds before the first new attempt after a run the network stopped.
        longest_retry: the longest wait between attempts; each wait doubles up to it.

    Signals:
        progress(download_id, received, total, speed, eta): a running download's transfer;
            total and eta are None when unknown, speed is bytes per second.
        changed(): downloads changed state (a list of them should be read again).
        finished(download_id, book_id): a download was imported as that book.
        status_changed(): `status_text()` says something new.
    """

    progress = Signal(str, object, object, float, object)
    changed = Signal()
    finished = Signal(str, str)
    status_changed = Signal()

    # emitted on the worker thread, delivered on the UI thread
    _started = Signal(str)
    _progressed = Signal(str, object, object, float, object)
    _ended = Signal(object)

    def __init__(
        self,
        session: Session,
        parent: QObject | None = None,
        *,
        rate_limit: float | None = None,
        policy: HttpPolicy | None = None,
        first_retry: float = FIRST_RETRY,
        longest_retry: float = LONGEST_RETRY,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.library = session.library
        self.profile_id = session.profile_id
        self._rate_limit = rate_limit
        self._policy = policy
        self._tasks = TaskRunner(self)
        self._token: CancelToken | None = None
        self._wake = threading.Event()  # set by stop(): every wait of the HTTP client ends
        self._again = False  # a kick came during a run: run once more after it
        self._stopped = False
        self._state = RunnerState.IDLE
        self._detail = ""  # the reason of a FAILED run
        self._retry_in = 0.0  # the wait announced in the status
        self._running_id = ""
        self._retry = RetryTimer(self._on_retry_timeout, first_retry, longest_retry, self)
        self._started.connect(self._on_worker_started)
        self._progressed.connect(self._on_worker_progressed)
        self._ended.connect(self._on_worker_ended)

    # --- what the window uses --------------------------------------------------------------

    @property
    def rate_limit(self) -> float | None:
        """The most bytes per second, or None for no limit."""
        return self._rate_limit

    def set_rate_limit(self, limit: float | None) -> None:
        """Limit the bandwidth (bytes per second; None or 0 for no limit).

        It applies from the next download (the one running keeps its limit).
        """
        self._rate_limit = float(limit) if limit else None

    @property
    def state(self) -> RunnerState:
        """What the runner is doing."""
        return self._state

    @property
    def running(self) -> bool:
        """True while a run is going on."""
        return self._token is not None

    @property
    def retry_pending(self) -> bool:
        """True while a new attempt is scheduled."""
        return self._retry.pending

    @property
    def retry_in(self) -> float:
        """The wait (seconds) before the scheduled attempt, as it was when scheduled."""
        return self._retry_in

    def status_text(self) -> str:
        """One line, in the interface language, saying what the downloads are doing."""
        wait = _duration_text(self._retry_in)
        if self._state is RunnerState.RUNNING:
            return ui_text("Downloading…")
        if self._state is RunnerState.WAITING:
            return ui_text(
                "Some downloads are waiting for the server; trying again in {wait}."
            ).format(wait=wait)
        if self._state is RunnerState.BUSY:
            return ui_text(
                "Another Mutolaa is running these downloads; trying again in {wait}."
            ).format(wait=wait)
        if self._state is RunnerState.FAILED:
            return ui_text("The downloads stopped: {reason}; trying again in {wait}.").format(
                reason=self._detail, wait=wait
            )
        return ""

    def kick(self) -> None:
        """Run what is queued now (call after queuing or resuming a download)."""
        if self._stopped:
            return
        self._retry.reset()
        if self.running:
            self._again = True
        else:
            self._start()

    def stop(self, msecs: int = 10_000) -> bool:
        """Stop for good: cancel the run (the current download goes back to the queue and
        resumes next time) and wait up to ``msecs`` for it; False when it did not end in time."""
        self._stopped = True
        self._retry.stop()
        if self._token is not None:
            self._token.cancel()
        self._wake.set()
        ended = self._tasks.close(msecs)
        if ended:
            self._token = None
            self._running_id = ""
        return ended

    # --- one run -----------------------------------------------------------------------------

    def _start(self) -> None:
        token = CancelToken()
        self._token = token
        self._set_state(RunnerState.RUNNING)
        self._tasks.submit(lambda: self._run(token), self._on_run_done, self._on_run_failed)

    def _sleep(self, seconds: float) -> None:
        """The HTTP client's wait (its backoff, the bandwidth limit); stop() ends it at once."""
        self._wake.wait(seconds)

    def _run(self, token: CancelToken) -> _Outcome:
        """On the worker thread: each queued download once, highest priority first."""
        outcome = _Outcome()
        queue = DownloadQueue(self.library.store)
        if recover_interrupted(self.library):  # left running by a crash or a kill: queued again
            self._ended.emit(None)
        tried: set[str] = set()
        client = HttpClient(self._policy, sleep=self._sleep)
        try:
            while not token.cancelled:
                item = next(
                    (
                        d
                        for d in queue.list(self.profile_id)
                        if d.state == "queued" and d.id not in tried
                    ),
                    None,
                )
                if item is None:
                    break
                handled = self._run_one(item, client, token)
                if handled is None:
                    outcome.busy = True
                    break
                tried.add(item.id)
                for row in handled:
                    outcome.handled.append(row)
                    outcome.waiting |= row.state == "queued" and bool(row.error)
                    outcome.succeeded |= row.state == "done"
                    self._ended.emit(row)
        finally:
            client.close()
        try:
            discard_cancelled(self.session)
        except OSError as exc:  # a partial file that cannot be deleted waits for the next run
            log.warning("partial downloads could not be deleted: %s", exc)
        return outcome

    def _run_one(
        self, item: QueuedDownload, client: HttpClient, token: CancelToken
    ) -> list[QueuedDownload] | None:
        """Run one download; None when another process holds the queue."""
        self._started.emit(item.id)

        def report(current: QueuedDownload, event: TransferProgress) -> None:
            self._progressed.emit(current.id, event.received, event.total, event.speed, event.eta)

        for attempt in range(_LOCK_ATTEMPTS):
            try:
                return run_queue(
                    self.session,
                    client,
                    cancel=token,
                    progress=report,
                    limit=1,
                    only=[item.id],
                    rate_limit=self._rate_limit,
                )
            except UserError:
                with queue_lock(self.library) as held:
                    if not held:
                        return None  # another process runs the queue
                if attempt == _LOCK_ATTEMPTS - 1:
                    raise
                self._sleep(0.1)  # held a moment by this process (a cancel deleting a file)
        return None

    # --- results, on the UI thread ----------------------------------------------------------

    def _on_worker_started(self, download_id: str) -> None:
        self._running_id = download_id
        self.changed.emit()

    def _on_worker_progressed(
        self,
        download_id: str,
        received: int,
        total: int | None,
        speed: float,
        eta: float | None,
    ) -> None:
        self.progress.emit(download_id, received, total, speed, eta)

    def _on_worker_ended(self, item: QueuedDownload | None) -> None:
        if item is None:  # rows changed state, none of them ended
            self.changed.emit()
            return
        if item.id == self._running_id:
            self._running_id = ""
        if item.state == "done" and item.book_id:
            self.finished.emit(item.id, item.book_id)
        self.changed.emit()

    def _on_run_done(self, outcome: _Outcome) -> None:
        self._token = None
        self._running_id = ""
        self.changed.emit()
        if self._stopped:
            return
        if outcome.succeeded:
            self._retry.reset()
        if self._again:
            self._again = False
            self._start()
        elif outcome.busy:
            self._schedule(RunnerState.BUSY)
        elif outcome.waiting:
            self._schedule(RunnerState.WAITING)
        else:
            self._retry.reset()
            self._set_state(RunnerState.IDLE)

    def _on_run_failed(self, error: BaseException) -> None:
        self._token = None
        self._running_id = ""
        log.warning("the download run failed: %s", error, exc_info=error)
        self.changed.emit()
        if self._stopped:
            return
        if self._again:
            self._again = False
            self._start()
            return
        self._detail = reason(error)
        self._schedule(RunnerState.FAILED)

    def _schedule(self, state: RunnerState) -> None:
        """Try again after the current wait, and double the next wait (up to the longest)."""
        self._retry_in = self._retry.schedule()
        self._set_state(state)

    def _on_retry_timeout(self) -> None:
        if not self._stopped and not self.running:
            self._start()

    def _set_state(self, state: RunnerState) -> None:
        self._state = state
        self.status_changed.emit()


def _duration_text(seconds: float) -> str:
    """A wait as people say it: "15 s", "2 min"."""
    if seconds < 60:
        return ui_text("{seconds} s").format(seconds=max(1, round(seconds)))
    return ui_text("{minutes} min").format(minutes=round(seconds / 60))
