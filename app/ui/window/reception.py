"""Who reads in the window: the chooser, a window per person, Switch person, the idle return.

"Who is reading?" shows at start (unless one person without a PIN uses the library), a window
opens for the person chosen, and the chooser comes back on File › Switch person… or after the
idle minutes.

The library stays open for the whole run; each person gets a `Session` of their own (the
machine's settings with their own over them, read off the UI thread) and a new `MainWindow`.
Switching closes the window exactly as quitting does (`MainWindow.closeEvent`: the reading
positions already saved, the runners drained, the bounded exit sync), so nothing of one person
is left on the screen of the next; the chooser then speaks the machine's language again.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog

from app.core.settings import Settings, with_machine
from app.library.profiles import Profile, ProfileStore
from app.services.person_settings import person_settings
from app.services.session import Library, Session
from app.ui.common.i18n import chosen_language, interface_language, read_translations, use_language
from app.ui.common.tasks import TaskRunner
from app.ui.people.chooser import PersonChooser
from app.ui.people.idle import IdleWatch
from app.ui.window.main_window import MainWindow
from app.ui.window.sync_wiring import SyncTiming

log = logging.getLogger(__name__)


def needs_chooser(people: list[Profile]) -> bool:
    """Whether the window starts on "Who is reading?": several people, or one with a PIN.

    A single-user PC (one person, no PIN) opens straight on their library.
    """
    return len(people) != 1 or people[0].has_pin


class Reception(QObject):
    """Shows the chooser or a person's window, one at a time, for one open library.

    Args:
        library: the open library (closed by the caller after the event loop).
        settings: the machine's settings (the settings file): the chooser's language, the idle
            minutes, and the defaults under each person's own settings. A window's changes of
            the machine's keys are kept for the next window; its person's own keys are not.
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
        self._opening = False  # a person's settings are being read for their window

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

    def open_window(self, person: Profile) -> None:
        """Read ``person``'s own settings (off the UI thread), then open their window (their
        PIN, if any, already checked); `window_opened` says when it is open."""
        if self.window is not None or self._opening:  # a second click on a tile
            return
        self._opening = True
        store, machine, system = self.library.store, self.settings, chosen_language()

        def read() -> tuple[Settings, list[bytes]]:
            settings = person_settings(store, person.id, machine)
            return settings, read_translations(settings.language or system)

        def failed(error: BaseException) -> None:
            log.warning(
                "%s's settings could not be read (%s); the machine's are used", person.name, error
            )
            self._open_for(person, machine, None)

        self._runner.submit(read, lambda got: self._open_for(person, *got), failed)

    def _open_for(
        self, person: Profile, settings: Settings, translations: list[bytes] | None
    ) -> None:
        self._opening = False
        language = settings.language or chosen_language()
        if translations is not None:
            _speak(language, translations)
        session = Session(self.library, person.id, settings)
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

    def switch_person(self) -> None:
        """Close the person's window as on exit and show the chooser again."""
        window = self.window
        if window is None:
            return
        if self.idle is not None:
            self.idle.stop()
            self.idle = None
        # the machine's keys changed in this window are kept; the person's own are theirs only
        self.settings = with_machine(self.settings, window.settings)
        self.window = None
        self.show_chooser()  # first, so that closing the window does not end the application
        self._speak_machine_language()
        window.close()
        # Qt deletes it; the reference is kept until then (a window deleted by Python's garbage
        # collector instead would run its slots with half its attributes gone)
        window.deleteLater()
        self._retired = window
        # the person left: the keys their PIN unlocked go (the next one must not use them)
        ProfileStore(self.library.store).lock(window.session.profile_id)

    def _speak_machine_language(self) -> None:
        """The chooser speaks the machine's language again, not the last person's."""
        language = self.settings.language or chosen_language()
        if language != interface_language():
            self._runner.submit(
                lambda: read_translations(language), lambda files: _speak(language, files)
            )

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


def _speak(language: str, translations: list[bytes]) -> None:
    """Install ``language`` unless it is spoken already (every widget gets LanguageChange)."""
    app = QApplication.instance()
    if app is not None and language != interface_language():
        use_language(app, language, translations)
