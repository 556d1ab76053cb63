"""Adding a person from the chooser: a name, an optional PIN typed twice, the admin's PIN.

The administrator's PIN is asked while the library has an administrator; the profiles' service
(`add_person`) decides, as for `mutolaa profiles add`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.profiles import NAME_LIMIT
from app.library.profiles import Profile, ProfileStore
from app.services.profiles import Prompts, add_person
from app.services.session import Library
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason
from app.ui.people.pin_dialog import error_line, pin_field


class AddPersonDialog(QDialog):
    """A new person's name and optional PIN; ``added`` once the library holds them.

    Args:
        library: the open library.
        runner: where the service runs (scrypt and the database, off the UI thread).
        admin: the library's administrator (their PIN is asked), or None.
        parent: the chooser.
    """

    added = Signal(object)  # Profile

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        admin: Profile | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._runner = runner
        self.admin = admin
        self.name = QLineEdit(self)
        self.name.setMaxLength(NAME_LIMIT)
        self.pin = pin_field(self)
        self.pin_again = pin_field(self)
        self.admin_pin = pin_field(self)
        self.error = error_line(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.name_label, self.pin_label, self.again_label = QLabel(self), QLabel(self), QLabel(self)
        self.admin_label = QLabel(self)
        self.form.addRow(self.name_label, self.name)
        self.form.addRow(self.pin_label, self.pin)
        self.form.addRow(self.again_label, self.pin_again)
        if admin is not None:
            self.form.addRow(self.admin_label, self.admin_pin)
        else:
            self.admin_label.hide()
            self.admin_pin.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        """The texts in the interface language."""
        self.setWindowTitle(ui_text("Add a person"))
        self.name_label.setText(ui_text("Name:"))
        self.pin_label.setText(ui_text("PIN (4 to 8 digits, optional):"))
        self.again_label.setText(ui_text("The PIN again:"))
        if self.admin is not None:
            self.admin_label.setText(
                ui_text("PIN of the administrator, {name}:").format(name=self.admin.name)
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def submit(self) -> None:
        """Add the person in the background; a refusal is one line under the form."""
        name, pin, admin_pin = self.name.text(), self.pin.text(), self.admin_pin.text()
        if pin != self.pin_again.text():
            self._say(ui_text("The two PINs differ."))
            return
        if self.admin is not None and not admin_pin:
            self._say(ui_text("Type the administrator's PIN."))
            return
        self.buttons.setEnabled(False)
        store = self._library.store
        prompts = Prompts(pin=lambda _prompt: admin_pin, new_pin=lambda _prompt: pin)

        def work() -> Profile:
            return add_person(ProfileStore(store), name, prompts, with_pin=bool(pin), admin=False)

        self._runner.submit(work, self._on_added, self._on_refused)

    def _on_added(self, person: Profile) -> None:
        self.added.emit(person)
        self.accept()

    def _on_refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.admin_pin.clear()
        self._say(reason(error))

    def _say(self, line: str) -> None:
        self.error.setText(line)
        self.error.show()
