"""The "Account" page of the settings: signing in to the library server that syncs this
profile's notes, highlights, bookmarks and reading progress (docs/sync-protocol.md).

The page shows who is signed in, when the last sync was and its last error; it signs in with
the server's address, a user name and a password (`app.services.sync.accounts.sign_in`: a probe
first, so that an address that does not answer and one that is not a Mutolaa library server
each get their own sentence, then the login), and signs out. Signing in runs on a runner of the
page's own (a slow server never holds up the store). Reading the account and signing out go
through the store runner the window gives. The password is typed into a password field only;
the token is kept in the library, never the password, and nothing here logs either. Below,
the KOReader progress sync (`koreader_group`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QDateTime, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.library.catalogs import split_credentials
from app.library.sync_state import SyncAccount, SyncState
from app.services.session import Session
from app.services.sync.accounts import SignIn, SignInResult, sign_in
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason
from app.ui.settings.koreader_group import KoreaderGroup
from app.ui.settings.library_servers_page import bad_address_text
from app.ui.sync.runner import SyncRunner
from sync.http import redact_url

log = logging.getLogger(__name__)


def sign_in_text(result: SignInResult) -> str:
    """How signing in went, as one sentence in the interface language."""
    if result.outcome is SignIn.OK and result.account is not None:
        return ui_text("Signed in as {user} at {server}.").format(
            user=result.account.username, server=redact_url(result.account.server_url)
        )
    if result.outcome is SignIn.UNREACHABLE:
        return ui_text("The server cannot be reached: check the address and the connection.")
    if result.outcome is SignIn.NOT_MUTOLAA:
        return ui_text("This address answers, but not as a Mutolaa library server.")
    if result.outcome is SignIn.REFUSED:
        return ui_text("The server refused the user name and password.")
    if result.outcome is SignIn.DISABLED:
        return ui_text("The server says this account is disabled: ask its librarian.")
    if result.outcome is SignIn.TOO_MANY:
        return ui_text("Too many failed sign-ins: try again in a few minutes.")
    return ui_text("The server could not sign you in: {reason}").format(reason=result.detail)


def moment_text(when: float) -> str:
    """A moment as "2025-05-12 14:32" (local time)."""
    return QDateTime.fromSecsSinceEpoch(int(when)).toString("yyyy-MM-dd HH:mm")


class AccountPage(QWidget):
    """The profile's account on its library server: who is signed in, Sign in, Sign out.

    Args:
        session: the open library and who is acting.
        runner: the runner for store work (the window's queries runner); one of the page's
            own when None.
        parent: the parent widget.
        sync_runner: the window's sync runner: told when the account changes, and the page
            shows the last sync again when its state changes.

    Signals:
        account_loaded(object): the account was read (a `SyncAccount`, or None).
        signed_in(object): signing in succeeded (the `SyncAccount`).
        sign_in_failed(object): signing in did not (the `SignInResult`).
        signed_out(): the token was forgotten.
    """

    account_loaded = Signal(object)
    signed_in = Signal(object)
    sign_in_failed = Signal(object)
    signed_out = Signal()

    def __init__(
        self,
        session: Session,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
        *,
        sync_runner: SyncRunner | None = None,
    ) -> None:
        super().__init__(parent)
        library = session.library
        self.session = session
        self.library = session.library
        self.profile_id = session.profile_id
        self.state = SyncState(library.store, session.profile_id)
        self._store = runner if runner is not None else TaskRunner(self)
        self._network = TaskRunner(self)
        self._sync_runner = sync_runner
        self._account: SyncAccount | None = None
        self._attempts = 0  # the number of the latest sign-in; older answers are dropped
        self._busy = False

        self.who = QLabel(self)
        self.who.setWordWrap(True)
        self.who.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.last_sync = QLabel(self)
        self.last_sync.setWordWrap(True)
        self.last_sync.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url = QLineEdit(self)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._on_sign_in_button_clicked)
        self.sign_in_button = QPushButton(self)
        self.sign_in_button.clicked.connect(self._on_sign_in_button_clicked)
        self.sign_out_button = QPushButton(self)
        self.sign_out_button.clicked.connect(self._on_sign_out_button_clicked)
        for button in (self.sign_in_button, self.sign_out_button):
            button.setAutoDefault(False)  # Return in the settings dialog means OK
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message: Callable[[], str] = str
        self.note = QLabel(self)
        self.note.setWordWrap(True)

        self._labels: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, widget in (("url", self.url), ("user", self.user), ("password", self.password)):
            label = QLabel(self)
            label.setBuddy(widget)
            self._labels[key] = label
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.last_sync)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.note)
        self.koreader = KoreaderGroup(session, self._store, self, sync_runner=sync_runner)
        layout.addWidget(self.koreader)
        layout.addStretch(1)
        if sync_runner is not None:
            sync_runner.state_changed.connect(self._on_sync_runner_state_changed)
        self.retranslate()
        self._update_buttons()
        self.reload()

    # --- language ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        labels = {
            "url": ui_text("Server address (URL)"),
            "user": ui_text("User name"),
            "password": ui_text("Password"),
        }
        for key, label in self._labels.items():
            label.setText(labels[key])
        self.url.setAccessibleName(labels["url"])
        self.url.setPlaceholderText(ui_text("https://kutubxona.example.org/"))
        self.user.setAccessibleName(labels["user"])
        self.password.setAccessibleName(labels["password"])
        self.sign_in_button.setText(ui_text("Sign in"))
        self.sign_in_button.setAccessibleName(ui_text("Sign in to the library server"))
        self.sign_out_button.setText(ui_text("Sign out"))
        self.sign_out_button.setAccessibleName(ui_text("Sign out of the library server"))
        self.who.setAccessibleName(ui_text("Who is signed in"))
        self.last_sync.setAccessibleName(ui_text("The last sync"))
        self.message.setAccessibleName(ui_text("What signing in or out did"))
        self.note.setAccessibleName(ui_text("About syncing"))
        self.message.setText(self._message())
        self.note.setText(
            ui_text(
                "Your notes, highlights, bookmarks and reading progress are synced with this "
                "server. Signing out keeps them on this computer."
            )
        )
        self._show_account()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- the account ---------------------------------------------------------------------------

    @property
    def account(self) -> SyncAccount | None:
        """The account as last read."""
        return self._account

    def reload(self) -> None:
        """Read the account again (in the background)."""
        self._store.submit(self.state.account, self._on_account_read, self._on_store_failed)

    def _on_account_read(self, account: SyncAccount | None) -> None:
        first = self._account is None
        self._account = account
        if account is not None and first and not self.url.text() and not self.user.text():
            self.url.setText(account.server_url)
            self.user.setText(account.username)
        self._show_account()
        self._update_buttons()
        self.account_loaded.emit(account)

    def _show_account(self) -> None:
        account = self._account
        if account is None:
            self.who.setText(ui_text("Not signed in."))
            self.last_sync.setText("")
            return
        server = redact_url(account.server_url)
        if account.token:
            self.who.setText(
                ui_text("Signed in as {user} at {server}.").format(
                    user=account.username, server=server
                )
            )
        else:
            self.who.setText(
                ui_text("Signed out (last signed in as {user} at {server}).").format(
                    user=account.username, server=server
                )
            )
        when = (
            ui_text("Last sync: {time}.").format(time=moment_text(account.last_sync_at))
            if account.last_sync_at is not None
            else ui_text("Not synced yet.")
        )
        if account.last_error:
            when += " " + ui_text("Last error: {error}").format(error=account.last_error)
        self.last_sync.setText(when)

    def _on_sync_runner_state_changed(self) -> None:
        runner = self._sync_runner
        if runner is not None and not runner.running:
            self.reload()

    def _on_store_failed(self, error: BaseException) -> None:
        log.warning("the account could not be read or changed: %s", error)
        self._set_busy(False)
        self._show_message(
            lambda: ui_text("The account could not be read or changed: {reason}").format(
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
        self.sign_in_button.setEnabled(not self._busy)
        signed = self._account is not None and bool(self._account.token)
        self.sign_out_button.setEnabled(signed and not self._busy)

    def finish_work(self, msecs: int = 30_000) -> bool:
        """Wait at most ``msecs`` in all for a sign-in, a turning on of KOReader sync (and the
        page's own store work) to end: before the library closes."""
        deadline = time.monotonic() + msecs / 1000

        def left() -> int:
            return max(0, round((deadline - time.monotonic()) * 1000))

        finished = self._network.wait(left())
        finished = self.koreader.finish_work(left()) and finished
        if self._store.parent() is self:
            finished = self._store.wait(left()) and finished
        return finished

    # --- signing in and out ----------------------------------------------------------------------

    def _on_sign_in_button_clicked(self) -> None:
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
            self._show_message(lambda: ui_text("Type your user name on this server."))
            return
        if not password:
            self._show_message(lambda: ui_text("Type your password."))
            return
        self._attempts += 1
        number, session = self._attempts, self.session
        self._set_busy(True)
        self._show_message(lambda: ui_text("Signing in…"))

        def work() -> SignInResult:
            return sign_in(session, url, user, password)

        def done(result: SignInResult) -> None:
            if number != self._attempts:
                return
            self._set_busy(False)
            self._show_message(lambda: sign_in_text(result))
            if result.outcome is SignIn.OK and result.account is not None:
                self.password.clear()
                self._on_account_read(result.account)
                self.signed_in.emit(result.account)
                if self._sync_runner is not None:
                    self._sync_runner.account_changed()
            else:
                log.info("sign-in failed: %s %s", result.outcome.value, result.detail)
                self.sign_in_failed.emit(result)

        def failed(error: BaseException) -> None:
            if number == self._attempts:
                self._on_store_failed(error)

        self._network.submit(work, done, failed)

    def _on_sign_out_button_clicked(self) -> None:
        if self._busy:
            return
        self._set_busy(True)
        state = self.state

        def work() -> SyncAccount | None:
            state.sign_out()
            return state.account()

        def done(account: SyncAccount | None) -> None:
            self._set_busy(False)
            self._on_account_read(account)
            self._show_message(lambda: ui_text("Signed out. Your notes stay on this computer."))
            self.signed_out.emit()
            if self._sync_runner is not None:
                self._sync_runner.account_changed()

        self._store.submit(work, done, self._on_store_failed)
