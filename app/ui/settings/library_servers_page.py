"""The settings' "Library servers" page: the person's OPDS catalogues, added, tested, removed.

Catalogues are added by their address, tested, changed and removed.

Store work (reading, saving, removing) goes through the store runner the window gives (its
queries runner); testing a server goes through a runner of the page's own, so a slow server
never holds up the store. Passwords are typed into password fields only: the list shows the
name, the address and the user name, and nothing here logs them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.library.catalogs import Catalog, CatalogStore, split_credentials
from app.services.catalogs.servers import (
    Outcome,
    ServerCheck,
    ServerNameTaken,
    check_server,
    default_name,
    save_server,
)
from app.services.session import Session
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason

log = logging.getLogger(__name__)

#: The list's columns: name, address, user name (never the password).
NAME_COLUMN, _ADDRESS_COLUMN, USER_COLUMN = range(3)


def check_text(check: ServerCheck) -> str:
    """What testing a server found, as one sentence in the interface language."""
    if check.outcome is Outcome.OK:
        if check.title:
            return ui_text("Connected: the catalogue “{title}” answered.").format(title=check.title)
        return ui_text("Connected: the catalogue answered (it has no title).")
    if check.outcome is Outcome.SIGN_IN:
        if check.title:
            return ui_text("“{server}” asks for a user name and password.").format(
                server=check.title
            )
        return ui_text("The server asks for a user name and password.")
    if check.outcome is Outcome.UNSUPPORTED_SIGN_IN:
        return ui_text(
            "The server asks for a kind of sign-in Mutolaa cannot do ({scheme})."
        ).format(scheme=check.scheme)
    text = _CHECK_TEXTS.get(check.outcome)
    if text is not None:
        return text()
    return ui_text("The server could not be read: {reason}").format(reason=check.detail)


def bad_address_text() -> str:
    """The sentence for an address that is not a URL."""
    return ui_text("The address must be an http:// or https:// URL with a server name.")


# the sentences of the outcomes that say nothing more than themselves
_CHECK_TEXTS: dict[Outcome, Callable[[], str]] = {
    Outcome.UNREACHABLE: lambda: ui_text(
        "The server cannot be reached: check the address and the connection."
    ),
    Outcome.REFUSED: lambda: ui_text("The server refused the user name and password."),
    Outcome.NOT_FOUND: lambda: ui_text("The server has nothing at this address (not found)."),
    Outcome.NOT_A_FEED: lambda: ui_text("This address answers, but not with an OPDS catalogue."),
    Outcome.BAD_URL: bad_address_text,
}


@dataclass(frozen=True)
class ServerValues:
    """What the form holds: a name ("" for the catalogue's own title), the address without
    credentials, the user name and the password."""

    name: str
    url: str
    username: str
    password: str = field(repr=False)


class ServerForm(QDialog):
    """Add or change one library server: name, address (URL), user name and password.

    An address typed with ``user:password@`` in it gives them to the user name and password
    fields and loses them. The page does the testing and the saving (``save_button``,
    ``test_button``) and shows what happened with ``show_message``.
    """

    def __init__(self, catalog: Catalog | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, on=False)
        self.catalog = catalog
        self.name = QLineEdit(self)
        self.url = QLineEdit(self)
        self.url.editingFinished.connect(self._on_url_editing_finished)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if catalog is not None:
            self.name.setText(catalog.name)
            self.url.setText(catalog.url)
            self.user.setText(catalog.username)
            self.password.setText(catalog.password)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message: Callable[[], str] = str
        self.test_button = QPushButton(self)
        self.test_button.setAutoDefault(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.rejected.connect(self.reject)

        self._labels: dict[str, QLabel] = {}
        form = QFormLayout(self)
        for key, widget in (
            ("name", self.name),
            ("url", self.url),
            ("user", self.user),
            ("password", self.password),
        ):
            label = QLabel(self)
            label.setBuddy(widget)
            self._labels[key] = label
            form.addRow(label, widget)
        form.addRow(self.message)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        form.addRow(row)
        self.resize(520, self.sizeHint().height())
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        if self.catalog is None:
            self.setWindowTitle(ui_text("Add a library server"))
        else:
            self.setWindowTitle(ui_text("Change the library server"))
        labels = {
            "name": ui_text("Name"),
            "url": ui_text("Address (URL)"),
            "user": ui_text("User name"),
            "password": ui_text("Password"),
        }
        for key, label in self._labels.items():
            label.setText(labels[key])
        self.name.setAccessibleName(labels["name"])
        self.name.setPlaceholderText(ui_text("The catalogue's own title"))
        self.url.setAccessibleName(labels["url"])
        self.url.setPlaceholderText(ui_text("https://example.org/opds"))
        self.user.setAccessibleName(labels["user"])
        self.user.setPlaceholderText(ui_text("When the server asks for one"))
        self.password.setAccessibleName(labels["password"])
        self.message.setAccessibleName(ui_text("What the test or the saving found"))
        self.test_button.setText(ui_text("Test connection"))
        self.message.setText(self._message())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_url_editing_finished(self) -> None:
        self.take_credentials_from_url()

    def take_credentials_from_url(self) -> None:
        """Move ``user:password@`` out of the address into the user name and password fields."""
        try:
            clean, user, password = split_credentials(self.url.text())
        except UserError:
            return  # said when testing or saving
        if user or password:
            self.url.setText(clean)
            self.user.setText(user)
            if password:
                self.password.setText(password)

    def values(self) -> ServerValues:
        """The name, address, user name and password as typed (credentials out of the address).

        Raises:
            UserError: the address is not an http or https URL with a host.
        """
        self.take_credentials_from_url()
        clean, _user, _password = split_credentials(self.url.text())
        name = " ".join(self.name.text().split())
        return ServerValues(name, clean, self.user.text().strip(), self.password.text())

    def show_message(self, text: Callable[[], str]) -> None:
        """Show what happened; ``text`` gives it in the interface language (again on a switch)."""
        self._message = text
        self.message.setText(text())

    def set_busy(self, busy: bool) -> None:
        """While the page works for the form, Save and Test wait."""
        self.save_button.setEnabled(not busy)
        self.test_button.setEnabled(not busy)


class LibraryServersPage(QWidget):
    """The library servers of a profile: a list, Add…, Edit…, Remove and Test connection.

    Changes are saved at once (not with the settings dialog's OK). ``confirm`` asks before a
    server is removed; tests replace it.

    Args:
        library: the library whose profile's servers these are.
        runner: the runner for store work (the window's queries runner); one of the page's
            own when None.
        parent: the parent widget.
    """

    servers_loaded = Signal(list)  # list[Catalog], each time the list is read
    check_finished = Signal(object)  # ServerCheck, for the page's own Test connection

    def __init__(
        self,
        session: Session,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        library = session.library
        self.session = session
        self.library = session.library
        self.catalogs = CatalogStore(library.store, session.profile_id)
        self._store = runner if runner is not None else TaskRunner(self)
        self._network = TaskRunner(self)  # a slow server never holds up store work
        self._servers: list[Catalog] = []
        # the numbers of the latest tests (the page's, the form's); older answers are dropped
        self._page_checks = 0
        self._form_checks = 0
        self.form: ServerForm | None = None
        self.confirm: Callable[[str], bool] = self._ask_confirm

        self.list = QTreeWidget(self)
        self.list.setColumnCount(3)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button = QPushButton(self)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.test_button = QPushButton(self)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        for button in (self.add_button, self.edit_button, self.remove_button, self.test_button):
            button.setAutoDefault(False)  # Return in the settings dialog means OK
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._status: Callable[[], str] = str
        self.note = QLabel(self)
        self.note.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button, self.test_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.note)
        self._update_buttons()
        self.retranslate()
        self.reload()

    # --- language ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.list.setHeaderLabels([ui_text("Name"), ui_text("Address"), ui_text("User name")])
        self.list.setAccessibleName(ui_text("Library servers"))
        self._fit_columns()  # "Name" is "Название" now
        self.add_button.setText(ui_text("Add…"))
        self.add_button.setAccessibleName(ui_text("Add a library server"))
        self.edit_button.setText(ui_text("Edit…"))
        self.edit_button.setAccessibleName(ui_text("Change the chosen library server"))
        self.remove_button.setText(ui_text("Remove"))
        self.remove_button.setAccessibleName(ui_text("Remove the chosen library server"))
        self.test_button.setText(ui_text("Test connection"))
        self.test_button.setAccessibleName(ui_text("Test the chosen library server"))
        self.status.setAccessibleName(ui_text("What the library servers page did"))
        self.status.setText(self._status())
        self._show_note()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_note(self) -> None:
        if self._servers:
            self.note.setText(
                ui_text("Library servers are saved as soon as they are added, changed or removed.")
            )
        else:
            self.note.setText(
                ui_text(
                    "No library servers yet. Add one with “Add…” and the address of its catalogue."
                )
            )

    def _show_status(self, text: Callable[[], str]) -> None:
        self._status = text
        self.status.setText(text())

    def finish_work(self, msecs: int = 30_000) -> bool:
        """Wait for the page's tests (and its own store work) to end: before the library closes."""
        finished = self._network.wait(msecs)
        if self._store.parent() is self:
            finished = self._store.wait(msecs) and finished
        return finished

    # --- the list ----------------------------------------------------------------------------

    def servers(self) -> list[Catalog]:
        """The servers as last read, by name."""
        return list(self._servers)

    def chosen(self) -> Catalog | None:
        """The server chosen in the list, or None."""
        items = self.list.selectedItems()
        if not items:
            return None
        chosen_id = items[0].data(NAME_COLUMN, Qt.ItemDataRole.UserRole)
        return next((c for c in self._servers if c.id == chosen_id), None)

    def reload(self) -> None:
        """Read the servers again (in the background)."""
        self._store.submit(self.catalogs.list, self._show_servers, self._on_load_failed)

    def _show_servers(self, servers: list[Catalog], chosen_id: int | None = None) -> None:
        if chosen_id is None:
            previous = self.chosen()
            chosen_id = previous.id if previous is not None else None
        self._servers = list(servers)
        self.list.clear()
        for server in servers:
            item = QTreeWidgetItem([server.name, server.url, server.username])
            item.setData(NAME_COLUMN, Qt.ItemDataRole.UserRole, server.id)
            self.list.addTopLevelItem(item)
            if server.id == chosen_id:
                item.setSelected(True)
                self.list.setCurrentItem(item)
        self._fit_columns()
        self._update_buttons()
        self._show_note()
        self.servers_loaded.emit(self.servers())

    def _fit_columns(self) -> None:
        """The name and user name columns as wide as their titles and values."""
        for column in (NAME_COLUMN, USER_COLUMN):
            self.list.resizeColumnToContents(column)

    def _on_load_failed(self, error: BaseException) -> None:
        log.warning("library servers could not be read: %s", error)
        self._show_status(
            lambda: ui_text("The library servers could not be read: {reason}").format(
                reason=reason(error)
            )
        )

    def _update_buttons(self) -> None:
        chosen = self.chosen() is not None
        for button in (self.edit_button, self.remove_button, self.test_button):
            button.setEnabled(chosen)

    def _on_list_item_activated(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._on_edit_button_clicked()

    # --- testing a saved server ------------------------------------------------------------------

    def _on_test_button_clicked(self) -> None:
        server = self.chosen()
        if server is None:
            return
        self._page_checks += 1
        number, session = self._page_checks, self.session
        name = server.name
        self._show_status(lambda: ui_text("Checking “{name}”…").format(name=name))

        def work() -> ServerCheck:
            return check_server(session, server.url, server.username, server.password)

        def done(check: ServerCheck) -> None:
            if number != self._page_checks:
                return  # a later test is on its way
            self._show_status(
                lambda: ui_text("{name}: {result}").format(name=name, result=check_text(check))
            )
            self.check_finished.emit(check)

        self._network.submit(work, done, lambda error: self._on_check_failed(number, error))

    def _on_check_failed(self, number: int, error: BaseException) -> None:
        log.warning("testing a library server failed: %s", error)
        if number == self._page_checks:
            self._show_status(
                lambda: ui_text("The server could not be tested: {reason}").format(
                    reason=reason(error)
                )
            )

    # --- adding and changing -------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        self.open_form(None)

    def _on_edit_button_clicked(self) -> None:
        server = self.chosen()
        if server is not None:
            self.open_form(server)

    def open_form(self, catalog: Catalog | None) -> ServerForm:
        """Open the form to add a server (None) or change `catalog`; it does not block."""
        if self.form is not None:
            self.form.reject()
        form = ServerForm(catalog, self)
        form.buttons.accepted.connect(lambda: self._on_form_save(form))
        form.test_button.clicked.connect(lambda: self._on_form_test(form))
        form.finished.connect(lambda _result: self._on_form_finished(form))
        self.form = form
        form.open()
        return form

    def _on_form_finished(self, form: ServerForm) -> None:
        if self.form is form:
            self.form = None
            self._form_checks += 1  # its test, if one runs, is no longer awaited
        form.deleteLater()

    def _form_values(self, form: ServerForm) -> ServerValues | None:
        try:
            return form.values()
        except UserError:
            form.show_message(bad_address_text)
            return None

    def _on_form_test(self, form: ServerForm) -> None:
        values = self._form_values(form)
        if values is not None:
            self._check_for_form(form, values, lambda check: self._on_form_tested(form, check))

    def _on_form_tested(self, form: ServerForm, check: ServerCheck) -> None:
        form.set_busy(False)
        form.show_message(lambda: check_text(check))

    def _on_form_save(self, form: ServerForm) -> None:
        values = self._form_values(form)
        if values is None:
            return
        own_id = form.catalog.id if form.catalog is not None else None
        if values.name and any(s.name == values.name and s.id != own_id for s in self._servers):
            form.show_message(lambda: _name_taken_text(values.name))
            return
        saved = form.catalog
        unchanged = saved is not None and (saved.url, saved.username, saved.password) == (
            values.url,
            values.username,
            values.password,
        )
        if unchanged and values.name:  # a new name only: the server need not be asked
            self._save(form, values, reachable=True)
            return
        self._check_for_form(form, values, lambda check: self._on_form_checked(form, values, check))

    def _on_form_checked(self, form: ServerForm, values: ServerValues, check: ServerCheck) -> None:
        if not check.savable:
            form.set_busy(False)
            form.show_message(lambda: check_text(check))
            return
        name = values.name or default_name(check.title, check.url)
        named = ServerValues(name, values.url, values.username, values.password)
        self._save(form, named, reachable=check.outcome is not Outcome.UNREACHABLE)

    def _check_for_form(
        self, form: ServerForm, values: ServerValues, then: Callable[[ServerCheck], None]
    ) -> None:
        """Test the form's server in the background; ``then(check)`` if the form still waits."""
        self._form_checks += 1
        number, session = self._form_checks, self.session
        form.set_busy(True)
        form.show_message(lambda: ui_text("Checking the server…"))

        def work() -> ServerCheck:
            return check_server(session, values.url, values.username, values.password)

        def done(check: ServerCheck) -> None:
            if number == self._form_checks and self.form is form:
                then(check)

        def failed(error: BaseException) -> None:
            log.warning("testing a library server failed: %s", error)
            if number == self._form_checks and self.form is form:
                form.set_busy(False)
                form.show_message(
                    lambda: ui_text("The server could not be tested: {reason}").format(
                        reason=reason(error)
                    )
                )

        self._network.submit(work, done, failed)

    def _save(self, form: ServerForm, values: ServerValues, *, reachable: bool) -> None:
        catalogs = self.catalogs
        catalog_id = form.catalog.id if form.catalog is not None else None
        form.set_busy(True)
        form.show_message(lambda: ui_text("Saving…"))

        def work() -> tuple[Catalog, list[Catalog]]:
            saved = save_server(
                catalogs,
                name=values.name,
                url=values.url,
                username=values.username,
                password=values.password,
                catalog_id=catalog_id,
            )
            return saved, catalogs.list()

        def done(result: tuple[Catalog, list[Catalog]]) -> None:
            saved, servers = result
            self._show_servers(servers, chosen_id=saved.id)
            name = saved.name
            if reachable:
                self._show_status(lambda: ui_text("Saved “{name}”.").format(name=name))
            else:
                self._show_status(
                    lambda: ui_text(
                        "Saved “{name}”, though its server did not answer now; test it again later."
                    ).format(name=name)
                )
            if self.form is form:
                form.accept()

        def failed(error: BaseException) -> None:
            if isinstance(error, ServerNameTaken):
                taken = error.name
                text: Callable[[], str] = lambda: _name_taken_text(taken)  # noqa: E731
            else:
                log.warning("a library server could not be saved: %s", error)
                text = lambda: ui_text(  # noqa: E731
                    "The library server could not be saved: {reason}"
                ).format(reason=reason(error))
            if self.form is form:
                form.set_busy(False)
                form.show_message(text)
            else:  # the form was closed meanwhile
                self._show_status(text)

        self._store.submit(work, done, failed)

    # --- removing ----------------------------------------------------------------------------

    def _ask_confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, ui_text("Remove the library server?"), question)
        return answer == QMessageBox.StandardButton.Yes

    def _on_remove_button_clicked(self) -> None:
        server = self.chosen()
        if server is None:
            return
        question = ui_text("Remove “{name}” and the user name and password saved for it?").format(
            name=server.name
        )
        if not self.confirm(question):
            return
        catalogs, name = self.catalogs, server.name

        def work() -> list[Catalog]:
            catalogs.remove(name)
            return catalogs.list()

        def done(servers: list[Catalog]) -> None:
            self._show_servers(servers)
            self._show_status(lambda: ui_text("Removed “{name}”.").format(name=name))

        def failed(error: BaseException) -> None:
            log.warning("a library server could not be removed: %s", error)
            self._show_status(
                lambda: ui_text("The library server could not be removed: {reason}").format(
                    reason=reason(error)
                )
            )
            self.reload()

        self._store.submit(work, done, failed)


def _name_taken_text(name: str) -> str:
    return ui_text("A library server named “{name}” already exists; choose another name.").format(
        name=name
    )
