"""The Account page's "KOReader progress sync" group: an e-ink reader and this PC on one page.

So a student's e-ink reader running KOReader and this computer agree on the page
(docs/sync-protocol.md, "KOReader progress sync (the desktop client)").

Turning it on checks the server, the user name and the password with the server
(`app.services.sync.accounts.turn_on_koreader`: ``GET /users/auth``) like the page's sign-in,
in the same form (`AccountForm`): no retries, and one sentence each for an address that does
not answer, a refusal, an untrusted certificate and an answer that is not a KOReader sync
server's. Only the MD5 of the password is kept (KOReader's key), the password field is cleared
once it was taken, and nothing here logs it. Reading the account and turning the sync off go
through the store runner the page gives.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.library.koreader_state import KoreaderAccount, KoreaderState
from app.services.session import Session
from app.services.sync.accounts import TurnOn, TurnOnResult, turn_on_koreader
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.settings.account_form import AccountForm, FormParts, selectable_label
from app.ui.sync.runner import SyncRunner
from sync.http import redact_url


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
    if result.outcome is TurnOn.UNTRUSTED:
        return ui_text("KOReader sync was not turned on: {reason}").format(reason=result.detail)
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


class KoreaderGroup(AccountForm[KoreaderAccount, TurnOnResult]):
    """The profile's KOReader sync server, in a group box (`box`): its status, Turn on and
    Turn off.

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
        state = KoreaderState(session.library.store, session.profile_id)
        parts = FormParts[KoreaderAccount, TurnOnResult](
            check=partial(turn_on_koreader, session),
            read=state.account,
            turn_off=state.turn_off,
            is_on=lambda account: account.active,
            outcome=turn_on_text,
            checking=lambda: ui_text("Checking with the KOReader sync server…"),
            no_user=lambda: ui_text("Type your user name on the KOReader sync server."),
            no_password=lambda: ui_text("Type your KOReader sync password."),
            turned_off=lambda _: ui_text("KOReader progress sync is off; the key was forgotten."),
            store_failed=lambda cause: ui_text(
                "KOReader sync could not be read or changed: {reason}"
            ).format(reason=cause),
        )
        super().__init__(session, runner, parent, parts, sync_runner=sync_runner)
        self.state = state
        self.box = QGroupBox(self)
        self.about = QLabel(self)
        self.about.setWordWrap(True)
        self.status = selectable_label(self)
        self.turn_on_button = QPushButton(self)
        self.turn_off_button = QPushButton(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.box)
        layout = QVBoxLayout(self.box)
        layout.addWidget(self.about)
        layout.addWidget(self.status)
        self._add_form(layout, self.turn_on_button, self.turn_off_button)
        self._start()

    # --- language ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        self.box.setTitle(ui_text("KOReader progress sync"))
        self.box.setAccessibleName(ui_text("KOReader progress sync"))
        self._label_fields(
            {
                "url": ui_text("Server"),
                "user": ui_text("User name"),
                "password": ui_text("Password"),
            }
        )
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
        super().retranslate()

    # --- the account ---------------------------------------------------------------------------

    def _show_account(self) -> None:
        self.status.setText(status_text(self._account))
