"""The window's sync runner: syncs the library with its library server in the background.

`SyncRunner` runs one sync (`app.services.sync.run.sync_all`: the library server, then the
KOReader progress sync when the profile has it on) on a thread of its own, one at a time, and
says what it is doing in one line (`status_text`). A profile with only KOReader sync counts as
signed in. It syncs when started (if signed in), every ``interval`` seconds while signed in,
``settle`` seconds after the last local change (the store announces it: nobody calls the runner
by hand), on "Sync now", and once, briefly, when the window closes (`finish`).

- Offline (the server does not answer the probe): it keeps quiet and tries at the next
  interval; the probe is the only cost.
- A failed sync (the server answered an error, the store was busy) is tried again after 15 s,
  30 s, 60 s … at most every 10 min; a success or "Sync now" starts the waits again.
- A refused token stops the syncing until the person signs in again (`account_changed`); so
  does a refused KOReader key when KOReader is the only sync. Beside a library server, a
  KOReader failure is a failed sync (tried again after the waits above) after the library
  server's sync was applied and announced.
- A sync that would delete most annotations stops; `deletions_held` carries the one-line
  reason, and the window asks whether to go on with `sync_now(allow_deletions=True)`.

Nothing here touches SQLite or the network on the UI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QDateTime, QObject, QTimer, Signal
from shiboken6 import isValid

from app.core.errors import UserError
from app.library.changes import StoreChange
from app.library.koreader_state import KoreaderAccount
from app.library.sync_state import SyncAccount
from app.services.session import Session
from app.services.sync.koreader import KoreaderReport
from app.services.sync.run import SyncStanding, sync_all, sync_standing
from app.services.sync.server_sync import SYNC_POLICY
from app.ui.common.i18n import ui_text
from app.ui.common.retry_timer import FIRST_RETRY, LONGEST_RETRY, RetryTimer
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason
from sync.engine import MassDeletion, NotSignedIn, SyncReport
from sync.http import HttpPolicy

log = logging.getLogger(__name__)

#: The part of `finish`'s time each request of the exit's sync may take.
_EXIT_SHARE = 0.8


class SyncRunState(Enum):
    """What the runner is doing, for its one-line status."""

    SIGNED_OUT = "signed-out"
    IDLE = "idle"
    SYNCING = "syncing"
    OFFLINE = "offline"  # the server did not answer the probe: trying at the next interval
    FAILED = "failed"  # the sync stopped: the cause is `detail`


@dataclass(frozen=True)
class _Outcome:
    """What one sync (or a reading of the account) found, built on the worker thread."""

    standing: SyncStanding
    report: SyncReport | None = None
    koreader_report: KoreaderReport | None = None
    koreader_error: str = ""  # a KOReader failure beside a library server's sync


class SyncRunner(QObject):
    """Syncs one library's profile with its library server in the background.

    Args:
        session: the open library and whose sync it is.
        parent: the owning QObject (the window).
        interval: seconds between two syncs while signed in.
        settle: seconds of quiet after a local change before the sync that sends it.
        first_retry: seconds before the first new attempt after a failed sync.
        longest_retry: the longest wait between attempts; each wait doubles up to it.
        policy: the HTTP client's timeouts and retries (tests shorten them).

    Signals:
        state_changed(): `state` or `status_text()` says something new.
        synced(SyncReport): a sync ended (the window refreshes open books and annotations).
        failed(str): a sync stopped, with its one-line cause.
        deletions_held(str): a sync would delete most annotations and stopped; ask the person,
            then call ``sync_now(allow_deletions=True)``.
    """

    state_changed = Signal()
    synced = Signal(object)
    failed = Signal(str)
    deletions_held = Signal(str)
    _changed_here = Signal()  # from the thread that wrote: queued to this one

    def __init__(
        self,
        session: Session,
        parent: QObject | None = None,
        *,
        interval: float = 300.0,
        settle: float = 5.0,
        first_retry: float = FIRST_RETRY,
        longest_retry: float = LONGEST_RETRY,
        policy: HttpPolicy | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._policy = policy or SYNC_POLICY
        self._tasks = TaskRunner(self)
        self._wake = threading.Event()  # set by finish(): the HTTP client's waits end at once
        self._state = SyncRunState.SIGNED_OUT
        self._detail = ""
        self._account: SyncAccount | None = None
        self._koreader: KoreaderAccount | None = None
        self._koreader_report: KoreaderReport | None = None
        self._known = False  # the account was read at least once
        self._conflicts = 0
        self._questions = 0
        self._running = False
        self._again = False  # a request came during a sync: one more after it
        self._again_deletions = False
        self._dirty = False  # local changes since the last sync started
        self._stopped = False
        self._periodic = QTimer(self)
        self._periodic.setInterval(max(1, round(interval * 1000)))
        self._periodic.timeout.connect(self._on_periodic_timeout)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(max(0, round(settle * 1000)))
        self._settle.timeout.connect(self._on_settle_timeout)
        self._retry = RetryTimer(self._on_retry_timeout, first_retry, longest_retry, self)
        self._changed_here.connect(self._on_changed_here)
        self._stop_listening = session.library.store.listen(self._on_store_changed)

    # --- what the window reads ------------------------------------------------------------

    @property
    def state(self) -> SyncRunState:
        """What the runner is doing."""
        return self._state

    @property
    def detail(self) -> str:
        """The one-line cause of the last failure ('' when the last sync did not fail)."""
        return self._detail

    @property
    def account(self) -> SyncAccount | None:
        """The account as last read (None before `start` and when never signed in)."""
        return self._account

    @property
    def koreader(self) -> KoreaderAccount | None:
        """The KOReader sync account as last read, when its sync is on (else None)."""
        return self._koreader

    @property
    def koreader_report(self) -> KoreaderReport | None:
        """What the last KOReader progress sync did (None before one ran)."""
        return self._koreader_report

    @property
    def conflicts(self) -> int:
        """Notes edited on two devices, waiting to be resolved (as of the last sync)."""
        return self._conflicts

    @property
    def questions(self) -> int:
        """Reading positions of other devices, waiting for an answer (as of the last sync)."""
        return self._questions

    @property
    def running(self) -> bool:
        """True while a sync (or a reading of the account) runs."""
        return self._running

    @property
    def retry_pending(self) -> bool:
        """True while a new attempt after a failure is scheduled."""
        return self._retry.pending

    def status_text(self) -> str:
        """One line, in the interface language, saying how the sync stands."""
        if self._state is SyncRunState.SYNCING:
            return ui_text("Syncing…")
        if self._state is SyncRunState.SIGNED_OUT:
            return ui_text("Not signed in")
        if self._state is SyncRunState.OFFLINE:
            return ui_text("Offline: will sync when the server answers")
        if self._state is SyncRunState.FAILED:
            return ui_text("Sync stopped: {cause}").format(cause=self._detail)
        if self._conflicts:
            return ui_text("Notes edited on two devices, to resolve: {count}").format(
                count=self._conflicts
            )
        if self._questions:
            return ui_text("Reading positions from other devices, to answer: {count}").format(
                count=self._questions
            )
        when = self._account.last_sync_at if self._account is not None else None
        if (self._account is None or not self._account.token) and self._koreader is not None:
            when = self._koreader.last_sync_at  # only KOReader syncs
        if when is None:
            return ui_text("Not synced yet")
        moment = QDateTime.fromSecsSinceEpoch(int(when))
        if moment.date() == QDateTime.currentDateTime().date():
            return ui_text("Synced at {time}").format(time=moment.toString("HH:mm"))
        return ui_text("Synced at {time}").format(time=moment.toString("yyyy-MM-dd HH:mm"))

    # --- what the window calls --------------------------------------------------------------

    def start(self) -> None:
        """Read the account and, when signed in, sync now and then every interval."""
        self._request(sync=True)

    def sync_now(self, allow_deletions: bool = False) -> None:
        """Sync now ("Sync now"; with ``allow_deletions`` after the person let deletions go on).

        Do not connect a button's ``clicked(bool)`` straight to it: the flag would be taken
        for ``allow_deletions``.
        """
        self._retry.reset()
        self._request(sync=True, allow_deletions=allow_deletions)

    def _on_store_changed(self, changes: tuple[StoreChange, ...]) -> None:
        """The store's announcement, on the thread that wrote: something of this person's (or
        the shared shelf) changed here, not pulled by a sync."""
        mine = self.session.profile_id
        if any(not c.remote and c.profile_id in (None, mine) for c in changes):
            self._dirty = True  # at once: the exit sync sends an edit whose signal still waits
            if isValid(self):
                self._changed_here.emit()

    def _on_changed_here(self) -> None:
        """A sync follows after ``settle`` seconds of quiet."""
        if not self._stopped and self._state is not SyncRunState.SIGNED_OUT:
            self._settle.start()

    def account_changed(self) -> None:
        """The person signed in or out (the account page): read the account, sync if signed in."""
        self._retry.reset()
        self._request(sync=True)

    def refresh(self) -> None:
        """Read the account, the conflicts and the questions again, without syncing."""
        self._request(sync=False)

    def finish(self, msecs: int = 3000) -> bool:
        """For the window's exit: one quick sync of what changed here, then stop for good.

        Blocks at most ``msecs``; each request of this sync waits at most most of that. A sync
        already running is waited for instead (its waits between retries end at once). Returns
        True when the work ended in time (nothing left running).
        """
        if self._stopped:
            return self._tasks.wait(0)
        deadline = time.monotonic() + msecs / 1000
        self._stopped = True
        self._stop_listening()
        for timer in (self._periodic, self._settle):
            timer.stop()
        self._retry.stop()
        self._wake.set()
        signed_in = self._state is not SyncRunState.SIGNED_OUT
        if not self._running and self._dirty and signed_in:  # sends what changed here
            seconds = max(0.1, msecs / 1000 * _EXIT_SHARE)
            policy = HttpPolicy(connect_timeout=seconds, read_timeout=seconds, max_retries=0)
            session = self.session
            self._tasks.submit(
                lambda: _exit_sync(session, policy),
                self._on_exit_done,
                self._on_exit_failed,
            )
        left = max(0, round((deadline - time.monotonic()) * 1000))
        return self._tasks.close(left)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the background work ended (after `finish`, before the library closes;
        tests). True when nothing runs any more."""
        return self._tasks.wait(msecs)

    # --- one sync ----------------------------------------------------------------------------

    def _request(self, *, sync: bool, allow_deletions: bool = False) -> None:
        if self._stopped:
            return
        if self._running:
            if sync:
                self._again = True
                self._again_deletions |= allow_deletions
            return
        self._start(sync=sync, allow_deletions=allow_deletions)

    def _start(self, *, sync: bool, allow_deletions: bool) -> None:
        self._running = True
        session = self.session
        if sync:
            self._settle.stop()  # this sync sends the changes it waited for
            self._dirty = False
            policy, wake = self._policy, self._wake

            def sleep(seconds: float) -> None:
                wake.wait(seconds)

            def work() -> _Outcome:
                return _sync(session, policy, sleep, allow_deletions)

            # before the first reading of the account it may be signed in: say so at once
            if not self._known or self._state is not SyncRunState.SIGNED_OUT:
                self._set_state(SyncRunState.SYNCING)
        else:

            def work() -> _Outcome:
                return _read(session)

        self._tasks.submit(work, self._on_done, self._on_failed)

    def _on_done(self, outcome: _Outcome) -> None:
        self._running = False
        self._known = True
        standing = outcome.standing
        self._account = standing.account
        self._koreader = standing.koreader
        if outcome.koreader_report is not None:
            self._koreader_report = outcome.koreader_report
        self._conflicts = standing.conflicts
        self._questions = standing.questions
        if self._stopped:
            return
        report = outcome.report
        if not standing.signed_in:
            self._periodic.stop()
            self._retry.stop()
            self._detail = ""
            self._set_state(SyncRunState.SIGNED_OUT)
        elif report is None:  # only read: the state stays what it was (signed in now)
            if self._state is SyncRunState.SIGNED_OUT:
                self._set_state(SyncRunState.IDLE)
            else:
                self.state_changed.emit()
            if not self._periodic.isActive():
                self._periodic.start()
        elif report.offline:
            self._detail = ""
            self._ensure_periodic()
            self._set_state(SyncRunState.OFFLINE)
        else:
            self._retry.reset()
            self._detail = ""
            self._ensure_periodic()
            self._set_state(SyncRunState.IDLE)
            self.synced.emit(report)
            if report.more:
                self._again = True
        if outcome.koreader_error and self._state is not SyncRunState.SIGNED_OUT:
            self._failed_again(outcome.koreader_error)
        self._next()

    def _failed_again(self, cause: str) -> None:
        """A failure to try again after the growing waits."""
        log.warning("sync failed: %s", cause)
        self._detail = cause
        self._retry.schedule()
        self._set_state(SyncRunState.FAILED)
        self.failed.emit(cause)

    def _on_failed(self, error: BaseException) -> None:
        self._running = False
        if self._stopped:
            return
        if isinstance(error, UserError):  # not signed in
            self._known = True
            self._periodic.stop()
            self._retry.stop()
            self._detail = ""
            self._account = None
            self._set_state(SyncRunState.SIGNED_OUT)
            self._next()
            return
        cause = reason(error)
        log.warning("sync failed: %s", cause)
        self._detail = cause
        if isinstance(error, MassDeletion):
            self._set_state(SyncRunState.FAILED)
            self.failed.emit(cause)
            self.deletions_held.emit(cause)
        elif isinstance(error, NotSignedIn):  # only a new sign-in helps
            self._periodic.stop()
            self._retry.stop()
            self._set_state(SyncRunState.FAILED)
            self.failed.emit(cause)
        else:
            self._retry.schedule()
            self._set_state(SyncRunState.FAILED)
            self.failed.emit(cause)
        self._next()

    def _next(self) -> None:
        """Run the sync asked for during the one that ended."""
        if self._again and not self._stopped and self._state is not SyncRunState.SIGNED_OUT:
            allow, self._again, self._again_deletions = self._again_deletions, False, False
            self._start(sync=True, allow_deletions=allow)
        else:
            self._again = self._again_deletions = False

    def _ensure_periodic(self) -> None:
        if not self._periodic.isActive():
            self._periodic.start()

    def _on_exit_done(self, outcome: _Outcome) -> None:
        self._account = outcome.standing.account
        self._koreader = outcome.standing.koreader

    def _on_exit_failed(self, error: BaseException) -> None:
        log.info("the sync on exit did not finish: %s", reason(error))

    # --- timers ------------------------------------------------------------------------------

    def _on_periodic_timeout(self) -> None:
        if not self._running:
            self._request(sync=True)

    def _on_settle_timeout(self) -> None:
        self._request(sync=True)

    def _on_retry_timeout(self) -> None:
        if not self._running:
            self._request(sync=True)

    def _set_state(self, state: SyncRunState) -> None:
        self._state = state
        self.state_changed.emit()


# --- on the worker thread ------------------------------------------------------------------


def _read(session: Session) -> _Outcome:
    """The accounts, the conflicts and the questions."""
    return _Outcome(sync_standing(session))


def _sync(
    session: Session,
    policy: HttpPolicy,
    sleep: Callable[[float], None],
    allow_deletions: bool,
) -> _Outcome:
    """One sync (`sync_all`: the library server's, then KOReader's) and what it left.

    With only KOReader sync on, its failures are raised (a refused key stops the syncing like
    a refused token); beside a library server they are the outcome's ``koreader_error``, so
    the server's sync is still announced. A failure of the server's sync is raised.
    """
    run = sync_all(session, policy=policy, sleep=sleep, allow_deletions=allow_deletions)
    standing = run.standing
    if run.failure is not None:
        raise run.failure
    koreader_error = ""
    report = run.report
    if run.koreader_failure is not None:
        if report is None:  # only KOReader syncs: its failure is the sync's
            raise run.koreader_failure
        koreader_error = reason(run.koreader_failure)
    elif run.koreader is not None:
        if report is None:
            report = SyncReport(offline=run.koreader.offline)
            if run.koreader.note:
                report.notes.append(run.koreader.note)
        elif run.koreader.offline:  # quiet, like an offline library server
            log.info("KOReader sync: %s", run.koreader.note)
    return _Outcome(standing, report, run.koreader, koreader_error)


def _exit_sync(session: Session, policy: HttpPolicy) -> _Outcome:
    """The sync on exit: every request bounded by ``policy`` (no retries); the KOReader sync
    sends only the positions changed here (after reading those books' remote positions, so a
    further one is not overwritten)."""
    run = sync_all(session, policy=policy, only_changed=True)
    if run.koreader_failure is not None:
        log.info("the KOReader sync on exit did not finish: %s", reason(run.koreader_failure))
    if run.failure is not None:
        raise run.failure
    return _Outcome(run.standing, run.report)
