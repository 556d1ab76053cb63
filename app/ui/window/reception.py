"""Who reads in the window: the chooser, a window per person, Switch person, the idle return.

"Who is reading?" shows at start (unless one person without a PIN uses the library), a window
opens for the person chosen, and the chooser comes back on File › Switch person… or after the
idle minutes.

The library stays open for the whole run; each person gets a `Session` of their own and a new
`MainWindow`. Switching closes the window exactly as quitting does (`MainWindow.closeEvent`:
the reading positions already saved, the runners drained, the bounded exit sync), so nothing of
one person is left on the screen of the next.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog

from app.core.settings import Settings
from app.library.profiles import Profile, ProfileStore
from app.services.session import Library, Session
from app.ui.common.tasks import TaskRunner
from app.ui.people.chooser import PersonChooser
from app.ui.people.idle import IdleWatch
from app.ui.window.main_window import MainWindow
from app.ui.window.sync_wiring import SyncTiming


def needs_chooser(people: list[Profile]) -> bool:
    """Whether the window starts on "Who is reading?": several people, or one with a PIN.

    A single-user PC (one person, no PIN) opens straight on their library.
    """
    return len(people) != 1 or people[0].has_pin


class Reception(QObject):
    """Shows the chooser or a person's window, one at a time, for one open library.

    Args:
        library: the open library (closed by the caller after the event loop).
        settings: the settings the windows start with (a window's changes are kept for the next).
        sync_timing: passed to each window (`WindowSync`).
    """

    window_opened = Signal(object)  # MainWindow
    chooser_shown = Signal()

    def __init__(
        self,
        library: Library,
        settings: Settings,
        *,
        sync_timing: SyncTiming | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.settings = settings
        self._sync_timing = sync_timing
        self._runner = TaskRunner(self)  # the people read, PINs checked: off the UI thread
        # the MuPDF workers of the windows closed end here: a switch does not wait for them
        self._leaving = TaskRunner(self)
        self.people: list[Profile] = []
        self.chooser: PersonChooser | None = None
        self.window: MainWindow | None = None
        self.idle: IdleWatch | None = None
        self._retired: MainWindow | None = None  # the last window closed, until Qt deletes it

    def start(self) -> None:
        """Read the people, then open the chooser or (one person, no PIN) their window."""
        store = self.library.store
        self._runner.submit(lambda: ProfileStore(store).list(), self._on_start_read, self._no_read)

    def _on_start_read(self, people: list[Profile]) -> None:
        self.people = people
        if needs_chooser(people):
            self.show_chooser()
        else:
            self.open_window(people[0])

    def _no_read(self, _error: BaseException) -> None:
        self.show_chooser()  # it reads again, and says why it cannot

    def show_chooser(self) -> PersonChooser:
        """Show "Who is reading?" with the people read again."""
        if self.chooser is None:
            self.chooser = PersonChooser(self.library, self._runner)
            self.chooser.person_chosen.connect(self.open_window)
            self.chooser.people_read.connect(self._on_chooser_people_read)
        self.chooser.reload()
        self.chooser.show()
        self.chooser.raise_()
        self.chooser.activateWindow()
        self.chooser_shown.emit()
        return self.chooser

    def _on_chooser_people_read(self, people: list[Profile]) -> None:
        self.people = people

    def open_window(self, person: Profile) -> MainWindow:
        """Open the window for ``person`` (their PIN, if any, already checked)."""
        if self.window is not None:  # a second click on a tile as the chooser went away
            return self.window
        session = Session(self.library, person.id, self.settings)
        window = MainWindow(session, sync_timing=self._sync_timing, leaving=self._leaving)
        # queued, as the idle return: the window goes once its menu's signal has been emitted
        window.person_switch_requested.connect(
            self.switch_person, Qt.ConnectionType.QueuedConnection
        )
        self.window = window
        window.show()
        if self.chooser is not None:
            self.chooser.hide()
        if len(self.people) > 1:  # alone at the PC, nobody else could open your window
            self.idle = IdleWatch(self.settings.idle_minutes, window)
            # queued: the window and its watch go while no signal of theirs is being emitted
            self.idle.idled.connect(self._on_idle_idled, Qt.ConnectionType.QueuedConnection)
            self.idle.start()
        self.window_opened.emit(window)
        return window

    def switch_person(self) -> None:
        """Close the person's window as on exit and show the chooser again."""
        window = self.window
        if window is None:
            return
        if self.idle is not None:
            self.idle.stop()
            self.idle = None
        self.settings = window.settings  # changed in this window: the next one starts with them
        self.window = None
        self.show_chooser()  # first, so that closing the window does not end the application
        window.close()
        # Qt deletes it; the reference is kept until then (a window deleted by Python's garbage
        # collector instead would run its slots with half its attributes gone)
        window.deleteLater()
        self._retired = window
        # the person left: the keys their PIN unlocked go (the next one must not use them)
        ProfileStore(self.library.store).lock(window.session.profile_id)

    def _on_idle_idled(self) -> None:
        # a dialog left open (a question, the settings) goes with the window
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog):
            modal.reject()
        self.switch_person()

    def close(self) -> None:
        """After the event loop: the last reads and checks end before the library closes, the
        closed windows' worker processes before the application does."""
        self._runner.close()
        self._leaving.close()
