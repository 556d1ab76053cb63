"""Who is reading?: a tile for each person, "Add a person", a PIN before a protected one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.library.profiles import Profile, ProfileStore
from app.services.session import Library
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason
from app.ui.people.add_dialog import AddPersonDialog
from app.ui.people.pin_dialog import PinDialog, error_line
from app.ui.people.tile import PersonTile

# Tiles in a row before the next row starts.
COLUMNS = 4


class PersonChooser(QWidget):
    """The library's people as tiles; ``person_chosen`` once one is chosen (PIN checked).

    Args:
        library: the open library (the people are read from it off the UI thread).
        runner: where the store and scrypt work runs.
        parent: None: the chooser is a window of its own.
    """

    person_chosen = Signal(object)  # Profile
    people_read = Signal(list)  # list[Profile]

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self._library = library
        self._runner = runner
        self.people: list[Profile] = []
        self.tiles: list[PersonTile] = []
        self.pin_dialog: PinDialog | None = None
        self.add_dialog: AddPersonDialog | None = None
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._grid_holder = QWidget(self)
        self._grid = QGridLayout(self._grid_holder)
        self._grid.setSpacing(16)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard goes to the tiles
        scroll.setWidget(self._grid_holder)
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self.add_person)
        self.error = error_line(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.resize(640, 420)
        self.retranslate()

    def retranslate(self) -> None:
        """The texts in the interface language."""
        self.setWindowTitle(ui_text("Who is reading? — Mutolaa"))
        self.title.setText(ui_text("Who is reading?"))
        self.add_button.setText(ui_text("Add a person…"))
        for tile in self.tiles:
            tile.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def administrator(self) -> Profile | None:
        """The library's administrator as last read, or None."""
        return next((person for person in self.people if person.is_admin), None)

    def reload(self) -> None:
        """Read the people again (in the background), then show their tiles."""
        store = self._library.store
        self._runner.submit(lambda: ProfileStore(store).list(), self._on_read, self._on_failed)

    def _on_read(self, people: list[Profile]) -> None:
        self.error.hide()
        self.people = people
        for tile in self.tiles:
            self._grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = []
        for index, person in enumerate(people):
            tile = PersonTile(person, self._grid_holder)
            tile.clicked.connect(lambda _checked=False, chosen=person: self.choose(chosen))
            self._grid.addWidget(tile, index // COLUMNS, index % COLUMNS)
            tile.show()  # now: a widget still hidden would not take the focus
            self.tiles.append(tile)
        for before, after in zip(self.tiles, [*self.tiles[1:], self.add_button], strict=True):
            QWidget.setTabOrder(before, after)  # Tab goes from tile to tile, then to Add
        if self.tiles:
            self.tiles[0].setFocus()  # Enter chooses the first person, Tab moves on
        self.people_read.emit(people)

    def _on_failed(self, error: BaseException) -> None:
        self.error.setText(
            ui_text("The people could not be read: {reason}").format(reason=reason(error))
        )
        self.error.show()

    def tile(self, name: str) -> PersonTile:
        """The tile of the person of this name (for tests and the end-to-end driver)."""
        return next(tile for tile in self.tiles if tile.person.name == name)

    def choose(self, person: Profile) -> None:
        """Choose a person: at once, or once their PIN is given."""
        if not person.has_pin:
            self.person_chosen.emit(person)
            return
        dialog = PinDialog(self._library, self._runner, person, self)
        dialog.unlocked.connect(self.person_chosen)
        dialog.finished.connect(dialog.deleteLater)
        self.pin_dialog = dialog
        dialog.open()

    def add_person(self) -> AddPersonDialog:
        """Ask for a new person (the administrator's PIN too while there is one)."""
        dialog = AddPersonDialog(self._library, self._runner, self.administrator, self)
        dialog.added.connect(lambda _person: self.reload())
        dialog.finished.connect(dialog.deleteLater)
        self.add_dialog = dialog
        dialog.open()
        return dialog
