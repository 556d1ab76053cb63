"""The shape of the Account page's two forms: a server checked off the UI thread, one line back.

The library server's sign-in (`account_page`) and KOReader progress sync (`koreader_group`) are
one form: a server address, a user name and a password (an address with ``user:password@`` gives
them and loses them), a button that checks them with the server (a service, on a runner of the
form's own: a slow server never holds up the store; busy meanwhile, an answer to an older attempt
dropped) and one that turns the account off, a one-line message, and the window's sync runner
told. A page gives the service calls and the texts (`FormParts`) and shows its account. While
the address is an ``http://`` one that would carry the password in clear over a network
(`sync.cleartext`), a line under it says so, before the password is sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QEvent, Qt
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
from app.services.session import Session
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.common.work_status import reason
from app.ui.settings.library_servers_page import bad_address_text
from app.ui.sync.runner import SyncRunner
from sync.cleartext import password_in_clear

log = logging.getLogger(__name__)


class Account(Protocol):
    """What a form needs of an account: where and who."""

    @property
    def server_url(self) -> str: ...
    @property
    def username(self) -> str: ...


class Checked(Protocol):
    """What a check of the server gave back (a service's Qt-free result)."""

    @property
    def outcome(self) -> Enum: ...
    @property
    def detail(self) -> str: ...
    @property
    def account(self) -> Any: ...  # the account kept, or None: the check did not pass


AccountT = TypeVar("AccountT", bound=Account)
ResultT = TypeVar("ResultT", bound=Checked)


@dataclass(frozen=True)
class FormParts(Generic[AccountT, ResultT]):
    """What a page gives its form: the service calls (``check`` runs on the form's own runner,
    ``read`` on the store runner, ``turn_off`` on the store runner or, when it tells the server,
    on the form's own) and the texts, given when shown."""

    check: Callable[[str, str, str], ResultT]  # address, user name, password → what happened
    read: Callable[[], AccountT | None]
    turn_off: Callable[[], Any]  # the account is read again after
    is_on: Callable[[AccountT], bool]  # what turning off would change
    outcome: Callable[[ResultT], str]
    checking: Callable[[], str]  # while the server is asked
    no_user: Callable[[], str]
    no_password: Callable[[], str]
    turned_off: Callable[[Any], str]  # with what ``turn_off`` returned
    store_failed: Callable[[str], str]  # with the one-line reason
    turn_off_online: bool = False  # ``turn_off`` asks the server: run it on the form's runner


def wait_all(waits: list[Callable[[int], bool]], msecs: int) -> bool:
    """Call each wait with what is left of ``msecs`` in all; True when every one finished."""
    deadline = time.monotonic() + msecs / 1000
    finished = True
    for wait in waits:
        left = max(0, round((deadline - time.monotonic()) * 1000))
        finished = wait(left) and finished
    return finished


def selectable_label(parent: QWidget) -> QLabel:
    """A label of several lines whose text can be selected (and copied) with the mouse."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AccountForm(QWidget, Generic[AccountT, ResultT]):
    """A server, a user name and a password, checked with the server; the account kept.

    A page builds its widgets around the form's (`url`, `user`, `password`, `message`), lays
    them out with `_add_form`, shows its account in `_show_account` and calls `_start` last.

    Args:
        session: the open library and who is acting.
        store: the runner for store work; one of the form's own when None.
        parent: the parent widget.
        parts: the service calls and the texts.
        sync_runner: the window's sync runner: told when the account changes, and the account
            is read again when it finishes a sync.
    """

    # the page's own buttons (named for what they do there), given to `_add_form`
    _check_button: QPushButton
    _off_button: QPushButton

    def __init__(
        self,
        session: Session,
        store: TaskRunner | None,
        parent: QWidget | None,
        parts: FormParts[AccountT, ResultT],
        *,
        sync_runner: SyncRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.library = session.library
        self.profile_id = session.profile_id
        self._store = store if store is not None else TaskRunner(self)
        self._network = TaskRunner(self)  # a slow server never holds up store work
        self._sync_runner = sync_runner
        self._parts = parts
        self._account: AccountT | None = None
        self._read = False  # the account was read at least once
        self._attempts = 0  # the number of the latest check; older answers are dropped
        self._busy = False
        self.url = QLineEdit(self)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._on_password_return_pressed)
        self.message = selectable_label(self)
        self.in_clear = QLabel(self)  # shown while the address would carry the password in clear
        self.in_clear.setWordWrap(True)
        self.in_clear.setVisible(False)
        self.url.textChanged.connect(self._on_url_text_changed)
        self._message: Callable[[], str] = str
        self._labels: dict[str, QLabel] = {}
        if sync_runner is not None:
            sync_runner.state_changed.connect(self._on_sync_runner_state_changed)

    # --- what a page may change ---------------------------------------------------------------

    def _show_account(self) -> None:
        """Show the account as last read (`account`)."""
        raise NotImplementedError

    def _fills_fields(self) -> bool:
        """Whether an account read now fills empty fields (at the first read)."""
        return not self._read

    def _checked(self, result: ResultT) -> None:
        """After a check was answered and shown (for the page's signals)."""

    def _turned_off(self) -> None:
        """After the account was turned off and shown (for the page's signals)."""

    # --- building ------------------------------------------------------------------------------

    def _add_form(
        self, layout: QVBoxLayout, check_button: QPushButton, off_button: QPushButton
    ) -> None:
        """Lay out the fields, the page's two buttons and the message in ``layout``."""
        self._check_button, self._off_button = check_button, off_button
        check_button.clicked.connect(self._on_check_button_clicked)
        off_button.clicked.connect(self._on_off_button_clicked)
        form = QFormLayout()
        for key, widget in (("url", self.url), ("user", self.user), ("password", self.password)):
            label = QLabel(self)
            label.setBuddy(widget)
            self._labels[key] = label
            form.addRow(label, widget)
            if key == "url":
                form.addRow("", self.in_clear)
        buttons = QHBoxLayout()
        for button in (check_button, off_button):
            button.setAutoDefault(False)  # Return in the settings dialog means OK
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def _start(self) -> None:
        """Show every text, set the buttons and read the account: the page's last step."""
        self.retranslate()
        self._update_buttons()
        self.reload()

    # --- language ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.message.setText(self._message())
        self.in_clear.setText(
            ui_text(
                "This address is not encrypted (http://): the password would cross the network "
                "in clear. Use https:// unless the server is on this computer or your own network."
            )
        )
        self.in_clear.setAccessibleName(ui_text("The password would not be encrypted"))
        self._show_account()

    def _label_fields(self, labels: dict[str, str]) -> None:
        """Give the fields' labels their texts (keys: url, user, password)."""
        for key, label in self._labels.items():
            label.setText(labels[key])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- the account ---------------------------------------------------------------------------

    @property
    def account(self) -> AccountT | None:
        """The account as last read (None: none, or not read yet)."""
        return self._account

    def reload(self) -> None:
        """Read the account again (in the background)."""
        self._store.submit(self._parts.read, self._on_account_read, self._on_store_failed)

    def _on_account_read(self, account: AccountT | None) -> None:
        fill = self._fills_fields()
        self._read = True
        self._account = account
        if account is not None and fill and not self.url.text() and not self.user.text():
            self.url.setText(account.server_url)
            self.user.setText(account.username)
        self._show_account()
        self._update_buttons()

    def _on_sync_runner_state_changed(self) -> None:
        runner = self._sync_runner
        if runner is not None and not runner.running:
            self.reload()

    def _on_store_failed(self, error: BaseException) -> None:
        log.warning("%s: the account could not be read or changed: %s", type(self).__name__, error)
        self._set_busy(False)
        cause = reason(error)
        self._show_message(lambda: self._parts.store_failed(cause))

    def _show_message(self, text: Callable[[], str]) -> None:
        self._message = text
        self.message.setText(text())

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        self._check_button.setEnabled(not self._busy)
        on = self._account is not None and self._parts.is_on(self._account)
        self._off_button.setEnabled(on and not self._busy)

    def _tell_sync_runner(self) -> None:
        if self._sync_runner is not None:
            self._sync_runner.account_changed()

    def finish_work(self, msecs: int = 30_000) -> bool:
        """Wait at most ``msecs`` in all for a check (and the form's own store work) to end:
        before the library closes. True when nothing runs any more."""
        return wait_all(self._waits(), msecs)

    def _waits(self) -> list[Callable[[int], bool]]:
        """What `finish_work` waits for, in order."""
        waits: list[Callable[[int], bool]] = [self._network.wait]
        if self._store.parent() is self:
            waits.append(self._store.wait)
        return waits

    # --- checking and turning off --------------------------------------------------------------

    def _on_url_text_changed(self, text: str) -> None:
        self.in_clear.setVisible(password_in_clear(text))

    def _on_password_return_pressed(self) -> None:
        self._on_check_button_clicked()

    def _on_check_button_clicked(self) -> None:
        typed = None if self._busy else self._typed()
        if typed is None:
            return
        self._attempts += 1
        number, check = self._attempts, self._parts.check
        self._set_busy(True)
        self._show_message(self._parts.checking)

        def done(result: ResultT) -> None:
            if number == self._attempts:
                self._on_check_answered(result)

        def failed(error: BaseException) -> None:
            if number == self._attempts:
                self._on_store_failed(error)

        self._network.submit(lambda: check(*typed), done, failed)

    def _typed(self) -> tuple[str, str, str] | None:
        """The address (its credentials taken out), the user name and the password; None when
        one is missing or wrong (the message says which)."""
        try:
            url, url_user, url_password = split_credentials(self.url.text())
        except UserError:
            self._show_message(bad_address_text)
            return None
        user = self.user.text().strip() or url_user
        password = self.password.text() or url_password
        self.url.setText(url)
        if not user:
            self._show_message(self._parts.no_user)
            return None
        if not password:
            self._show_message(self._parts.no_password)
            return None
        return url, user, password

    def _on_check_answered(self, result: ResultT) -> None:
        self._set_busy(False)
        self._show_message(lambda: self._parts.outcome(result))
        account = result.account
        if account is None:
            log.info(
                "%s: not checked: %s %s", type(self).__name__, result.outcome.value, result.detail
            )
            self._checked(result)
            return
        self.password.clear()
        self._on_account_read(account)
        self._checked(result)
        self._tell_sync_runner()

    def _on_off_button_clicked(self) -> None:
        if self._busy:
            return
        self._set_busy(True)
        turn_off, read, turned_off = self._parts.turn_off, self._parts.read, self._parts.turned_off
        runner = self._network if self._parts.turn_off_online else self._store

        def work() -> tuple[Any, AccountT | None]:
            result = turn_off()
            return result, read()

        def done(outcome: tuple[Any, AccountT | None]) -> None:
            result, account = outcome
            self._set_busy(False)
            self._on_account_read(account)
            self._show_message(lambda: turned_off(result))
            self._turned_off()
            self._tell_sync_runner()

        runner.submit(work, done, self._on_store_failed)
