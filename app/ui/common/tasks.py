"""Running work off the UI thread and handing results back to it as signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives in the UI thread; its signals carry a task's outcome back to it."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as exc:  # delivered to the UI as data, never lost in a thread
            log.debug("background task failed", exc_info=True)
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class TaskRunner(QObject):
    """One queue of background work, run in order on a single worker thread.

    The library store and the index have one writer each, so their work goes through one
    queue; callers get results on the UI thread through ``done`` and ``failed`` callbacks.
    A worker never touches a widget.
    """

    def __init__(self, parent: QObject | None = None, threads: int = 1) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._relays: set[_Relay] = set()
        self._closed = False

    def submit(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``work()`` in the background, then ``done(result)`` or ``failed(error)`` here.

        After ``close()`` new work is dropped: the window is going away. A callback that is a
        method of a widget (or any QObject) deleted meanwhile — a dialog closed before its
        first read came back — is not called.
        """
        if self._closed:
            log.debug("task dropped: the runner is closed")
            return
        relay = _Relay()
        self._relays.add(relay)

        def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            if callback is not None and _gone(callback):
                log.debug("task result dropped: its receiver was deleted")
            elif callback is not None:
                callback(value)
            elif isinstance(value, BaseException):
                log.error("background task failed: %s", value)

        relay.succeeded.connect(lambda result: finish(done, result))
        relay.failed.connect(lambda error: finish(failed, error))
        self._pool.start(_Job(work, relay))

    def close(self, msecs: int = 30_000) -> bool:
        """Take no new work and wait for what is queued (before the library closes)."""
        self._closed = True
        return self.wait(msecs)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued work is done (for shutting down and for tests)."""
        return bool(self._pool.waitForDone(msecs))

    @property
    def busy(self) -> bool:
        """True while work is queued or running."""
        return bool(self._pool.activeThreadCount() > 0 or self._relays)


def _gone(callback: Callable[[Any], None]) -> bool:
    """True when ``callback`` is a method of a QObject whose C++ side was deleted."""
    owner = getattr(callback, "__self__", None)
    return isinstance(owner, QObject) and not shiboken6.isValid(owner)
