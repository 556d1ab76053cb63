"""The "KOReader progress sync" group of the Account page (docs/sync-protocol.md, "KOReader
progress sync (the desktop client)"): so a student's e-ink reader running KOReader and this
computer agree on the page.

Turning it on checks the server, the user name and the password with the server
(`app.services.sync.accounts.turn_on_koreader`: ``GET /users/auth``) on a runner of the group's
own, like the page's sign-in: no retries, and one sentence each for an address that does not
answer, a refusal and an answer that is not a KOReader sync server's. Only the MD5 of the
password is kept (KOReader's key), the password field is cleared once it was taken, and nothing
here logs it. Reading the account and turning the sync off go through the store runner the page
gives. Both tell the window's sync runner (`SyncRunner.account_changed`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QDateTime, QEvent, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.library.catalogs import split_credentials
from app.library.koreader_state import KoreaderAccount, KoreaderState
from app.services.session import Session
from app.services.sync.accounts import TurnOn, TurnOnResult, turn_on_koreader
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason
from app.ui.settings.library_servers_page import bad_address_text
from app.ui.sync.runner import SyncRunner
from sync.http import redact_url

log = logging.getLogger(__name__)


def turn_on_text(result: TurnOnResult) -> str:
    """How turning on went, as one sentence in the interface language."""
    if result.outcome is TurnOn.OK and result.account is not None:
        return ui_text("KOReader progress sync is on for {user} at {server}.").format(
            user=result.account.username, server=redact_url(result.account.server_url)
        )
    if result.outcome is TurnOn.UNREACHABLE:
        return ui_text(
            "The KOReader sync server cannot be reached: check the address and the connection."
        )
    if result.outcome is TurnOn.REFUSED:
        return ui_text("The server refused this user name and password for KOReader sync.")
    return ui_text("This address answers, but not as a KOReader sync server.")


def status_text(account: KoreaderAccount | None) -> str:
    """Who, which server, on or off, the last sync and the last error, in one line."""
    if account is None:
        return ui_text("KOReader progress sync is off.")
    server = redact_url(account.server_url)
    if not account.active:
        return ui_text("KOReader progress sync is off (last used as {user} at {server}).").format(
            user=account.username, server=server
        )
    if account.last_sync_at is not None:
        moment = QDateTime.fromSecsSinceEpoch(int(account.last_sync_at))
        text = ui_text("On for {user} at {server}; last sync {time}.").format(
            user=account.username, server=server, time=moment.toString("yyyy-MM-dd HH:mm")
        )
    else:
        text = ui_text("On for {user} at {server}; not synced yet.").format(
            user=account.username, server=server
        )
    if account.last_error:
        text += " " + ui_text("Last error: {error}").format(
            error=" ".join(account.last_error.split())
        )
    return text


class KoreaderGroup(QGroupBox):
    """The profile's KOReader sync server: its status, Turn on and Turn off.

    Args:
        session: the open library and who is acting.
        runner: the runner for store work (the page's).
        parent: the parent widget.
        sync_runner: the window's sync runner: told when the sync is turned on or off, and
            the status is read again when it finishes a sync.
    """

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        sync_runner: SyncRunner | None = None,
    ) -> None:
        super().__init__(parent)
        library = session.library
        self.session = session
        self.library = session.library
        self.profile_id = session.profile_id
        self.state = KoreaderState(library.store, session.profile_id)
        self._store = runner
        self._network = TaskRunner(self)
        self._sync_runner = sync_runner
        self._account: KoreaderAccount | None = None
        self._read = False  # the account was read at least once
        self._attempts = 0  # the number of the latest turning on; older answers are dropped
        self._busy = False

        self.about = QLabel(self)
        self.about.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url = QLineEdit(self)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._on_turn_on_button_clicked)
        self.turn_on_button = QPushButton(self)
        self.turn_on_button.clicked.connect(self._on_turn_on_button_clicked)
        self.turn_off_button = QPushButton(self)
        self.turn_off_button.clicked.connect(self._on_turn_off_button_clicked)
        for button in (self.turn_on_button, self.turn_off_button):
            button.setAutoDefault(False)  # Return in the settings dialog means OK
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message: Callable[[], str] = str

        self._labels: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, widget in (("url", self.url), ("user", self.user), ("password", self.password)):
            label = QLabel(self)
            label.setBuddy(widget)
            self._labels[key] = label
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.turn_on_button)
        buttons.addWidget(self.turn_off_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        if sync_runner is not None:
            sync_runner.state_changed.connect(self._on_sync_runner_state_changed)
        self.retranslate()
        self._update_buttons()
        self.reload()

    # --- language ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.setTitle(ui_text("KOReader progress sync"))
        self.setAccessibleName(ui_text("KOReader progress sync"))
        labels = {
            "url": ui_text("Server"),
            "user": ui_text("User name"),
            "password": ui_text("Password"),
        }
        for key, label in self._labels.items():
            label.setText(labels[key])
        self.about.setText(
            ui_text(
                "So that your e-ink reader with KOReader and this computer agree on the page. "
                "Only the MD5 of the password is kept: give KOReader sync a password of its own."
            )
        )
        self.about.setAccessibleName(ui_text("About KOReader progress sync"))
        self.status.setAccessibleName(ui_text("KOReader progress sync status"))
        self.url.setAccessibleName(ui_text("KOReader sync server address (URL)"))
        self.url.setPlaceholderText(ui_text("https://sync.koreader.rocks/"))
        self.user.setAccessibleName(ui_text("KOReader sync user name"))
        self.password.setAccessibleName(ui_text("KOReader sync password"))
        self.turn_on_button.setText(ui_text("Turn on"))
        self.turn_on_button.setAccessibleName(ui_text("Turn KOReader progress sync on"))
        self.turn_off_button.setText(ui_text("Turn off"))
        self.turn_off_button.setAccessibleName(ui_text("Turn KOReader progress sync off"))
        self.message.setAccessibleName(ui_text("What turning KOReader sync on or off did"))
        self.message.setText(self._message())
        self._show_account()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- the account ---------------------------------------------------------------------------

    @property
    def account(self) -> KoreaderAccount | None:
        """The KOReader account as last read (None: never set up, or not read yet)."""
        return self._account

    def reload(self) -> None:
        """Read the account again (in the background)."""
        self._store.submit(self.state.account, self._on_account_read, self._on_store_failed)

    def _on_account_read(self, account: KoreaderAccount | None) -> None:
        first = not self._read
        self._read = True
        self._account = account
        if account is not None and first and not self.url.text() and not self.user.text():
            self.url.setText(redact_url(account.server_url))
            self.user.setText(account.username)
        self._show_account()
        self._update_buttons()

    def _show_account(self) -> None:
        self.status.setText(status_text(self._account))

    def _on_sync_runner_state_changed(self) -> None:
        runner = self._sync_runner
        if runner is not None and not runner.running:
            self.reload()

    def _on_store_failed(self, error: BaseException) -> None:
        log.warning("the KOReader sync account could not be read or changed: %s", error)
        self._set_busy(False)
        self._show_message(
            lambda: ui_text("KOReader sync could not be read or changed: {reason}").format(
                reason=reason(error)
            )
        )

    def _show_message(self, text: Callable[[], str]) -> None:
        self._message = text
        self.message.setText(text())

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.turn_on_button.setEnabled(not self._busy)
        active = self._account is not None and self._account.active
        self.turn_off_button.setEnabled(active and not self._busy)

    def finish_work(self, msecs: int = 30_000) -> bool:
        """Wait for a turning on to end: before the library closes."""
        return self._network.wait(msecs)

    # --- turning on and off ----------------------------------------------------------------------

    def _on_turn_on_button_clicked(self) -> None:
        if self._busy:
            return
        try:
            url, url_user, url_password = split_credentials(self.url.text())
        except UserError:
            self._show_message(bad_address_text)
            return
        user = self.user.text().strip() or url_user
        password = self.password.text() or url_password
        self.url.setText(url)
        if not user:
            self._show_message(lambda: ui_text("Type your user name on the KOReader sync server."))
            return
        if not password:
            self._show_message(lambda: ui_text("Type your KOReader sync password."))
            return
        self._attempts += 1
        number, session = self._attempts, self.session
        self._set_busy(True)
        self._show_message(lambda: ui_text("Checking with the KOReader sync server…"))

        def work() -> TurnOnResult:
            return turn_on_koreader(session, url, user, password)

        def done(result: TurnOnResult) -> None:
            if number != self._attempts:
                return
            self._set_busy(False)
            self._show_message(lambda: turn_on_text(result))
            if result.outcome is TurnOn.OK and result.account is not None:
                self.password.clear()
                self._on_account_read(result.account)
                if self._sync_runner is not None:
                    self._sync_runner.account_changed()
            else:
                log.info("KOReader sync not turned on: %s %s", result.outcome.value, result.detail)

        def failed(error: BaseException) -> None:
            if number == self._attempts:
                self._on_store_failed(error)

        self._network.submit(work, done, failed)

    def _on_turn_off_button_clicked(self) -> None:
        if self._busy:
            return
        self._set_busy(True)
        state = self.state

        def work() -> KoreaderAccount | None:
            state.turn_off()
            return state.account()

        def done(account: KoreaderAccount | None) -> None:
            self._set_busy(False)
            self._on_account_read(account)
            self._show_message(
                lambda: ui_text("KOReader progress sync is off; the key was forgotten.")
            )
            if self._sync_runner is not None:
                self._sync_runner.account_changed()

        self._store.submit(work, done, self._on_store_failed)
