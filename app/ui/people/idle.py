"""The idle watch: no key or mouse input to the application's windows for a while."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow
from shiboken6 import isValid

# What counts as someone at the keyboard (a window repainting or a timer does not).
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)


class IdleWatch(QObject):
    """Emits ``idled`` once after ``minutes`` without input to the application (0: never).

    Every key and mouse event of a window reaches its `QWindow` before any widget, so an event
    filter on the application's windows (those shown at `start`, and each window that gets the
    focus later: a dialog) restarts a single-shot timer. Not a filter on the application itself:
    PySide wraps every object that receives any event for it, objects being destroyed included,
    and that crashes (seen with PySide 6.11).
    """

    idled = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.minutes = minutes
        # no parent: a window being deleted with its watch may still deliver an event to it
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, round(minutes * 60_000)))
        self._timer.timeout.connect(self.idled)
        self._watching = False
        self._connected = False

    @property
    def active(self) -> bool:
        """Whether the watch is counting."""
        return self._watching

    def start(self) -> None:
        """Count from now (nothing when the minutes are 0)."""
        app = QGuiApplication.instance()
        if self.minutes <= 0 or not isinstance(app, QGuiApplication):
            return
        if not self._connected:
            app.focusWindowChanged.connect(self._on_app_focus_window_changed)
            self._connected = True
        for window in QGuiApplication.topLevelWindows():
            if window.isVisible():
                window.installEventFilter(self)
        self._watching = True
        self._timer.start()

    def stop(self) -> None:
        """Stop counting (the filters stay until this watch is deleted, and do nothing)."""
        self._watching = False
        self._timer.stop()
        app = QGuiApplication.instance()
        if self._connected and isinstance(app, QGuiApplication):
            app.focusWindowChanged.disconnect(self._on_app_focus_window_changed)
            self._connected = False

    def _on_app_focus_window_changed(self, window: QWindow | None) -> None:
        if window is not None and self._watching:
            window.installEventFilter(self)  # once: installing again only moves it first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._watching and event.type() in INPUT_EVENTS and isValid(self._timer):
            self._timer.start()
        return False
