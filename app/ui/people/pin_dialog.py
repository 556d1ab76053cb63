"""The PIN asked before a protected person's window opens: digits only, masked.

It is checked off the UI thread by the profiles' service, its wait after wrong PINs included.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.library.profiles import Profile, ProfileStore
from app.services.profiles import choose_person
from app.services.session import Library
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason


def pin_field(parent: QWidget) -> QLineEdit:
    """A field for a PIN: up to 8 digits, shown as dots, a digit keyboard where there is one."""
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,8}"), field))
    field.setInputMethodHints(
        Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData
    )
    field.setMaxLength(8)
    return field


def error_line(parent: QWidget) -> QLabel:
    """The one line under a form that says what went wrong (hidden while nothing did)."""
    line = QLabel(parent)
    line.setWordWrap(True)
    line.setStyleSheet("color: #b03a2e;")
    line.hide()
    return line


class PinDialog(QDialog):
    """Asks a protected person's PIN; ``unlocked`` once the service has accepted it.

    A wrong PIN, or one given during the wait after wrong PINs, is one line under the field
    (the service's words, its wait included); the dialog stays open for another try.
    """

    unlocked = Signal(object)  # Profile

    def __init__(
        self, library: Library, runner: TaskRunner, person: Profile, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._runner = runner
        self.person = person
        self.prompt = QLabel(self)
        self.field = pin_field(self)
        self.error = error_line(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        """The texts in the interface language."""
        self.setWindowTitle(ui_text("PIN"))
        self.prompt.setText(ui_text("PIN of {name}:").format(name=self.person.name))
        self.field.setAccessibleName(ui_text("PIN"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def check(self) -> None:
        """Check the PIN typed in the background (scrypt and the database); then open or say."""
        pin = self.field.text()
        if not pin:
            self._say(ui_text("Type the PIN."))
            return
        self.buttons.setEnabled(False)
        store, name = self._library.store, self.person.name

        def work() -> Profile:
            return choose_person(ProfileStore(store), name, lambda _prompt: pin)

        self._runner.submit(work, self._on_checked, self._on_refused)

    def _on_checked(self, person: Profile) -> None:
        self.unlocked.emit(person)
        self.accept()

    def _on_refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.field.clear()
        self.field.setFocus()
        self._say(reason(error))

    def _say(self, line: str) -> None:
        self.error.setText(line)
        self.error.show()
