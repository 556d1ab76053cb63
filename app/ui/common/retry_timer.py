"""Trying background work again after a failure, on a single-shot timer.

The waits start short and double up to a longest (the window's sync and download runners).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

#: The first and the longest wait before trying again (seconds).
FIRST_RETRY = 15.0
LONGEST_RETRY = 600.0


class RetryTimer(QObject):
    """Calls ``attempt`` after the current wait; each `schedule` doubles the next wait.

    Args:
        attempt: what to call when the wait is over (on the UI thread).
        first: the first wait (seconds); `reset` comes back to it.
        longest: the longest wait (at least ``first``).
        parent: the owning QObject.
    """

    def __init__(
        self,
        attempt: Callable[[], None],
        first: float = FIRST_RETRY,
        longest: float = LONGEST_RETRY,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.first = first
        self.longest = max(first, longest)
        self.delay = first
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(attempt)

    @property
    def pending(self) -> bool:
        """True while an attempt is scheduled."""
        return self._timer.isActive()

    def schedule(self) -> float:
        """Attempt again after the current wait, and double the next one; the wait (seconds)."""
        wait = self.delay
        self._timer.start(round(wait * 1000))
        self.delay = min(wait * 2, self.longest)
        return wait

    def reset(self) -> None:
        """Nothing scheduled, and the next wait is the first again (a success, a new request)."""
        self._timer.stop()
        self.delay = self.first

    def stop(self) -> None:
        """Nothing scheduled; the next wait stays as it was."""
        self._timer.stop()
