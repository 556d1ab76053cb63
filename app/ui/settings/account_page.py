"""The settings' "Account" page: signing in to the library server that syncs this person.

The server syncs the profile's notes, highlights, bookmarks and reading progress
(docs/sync-protocol.md).

The page shows who is signed in, when the last sync was and its last error; it signs in with
the server's address, a user name and a password (`app.services.sync.accounts.sign_in`: a probe
first, so that an address that does not answer and one that is not a Mutolaa library server
each get their own sentence, then the login), and signs out (`app.services.sync.logout.sign_out`:
the token forgotten here and revoked at the server, or at the next sync when the server does not
answer; on the form's network runner). The form's shape (a runner of its
own for the server, the store runner the window gives for the rest) is `AccountForm`'s. The
token is kept in the library, never the password, and nothing here logs either. Below, the
KOReader progress sync (`koreader_group`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.library.sync_state import SyncAccount, SyncState
from app.services.session import Session
from app.services.sync.accounts import SignIn, SignInResult, sign_in
from app.services.sync.logout import SignedOut, sign_out
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.settings.account_form import AccountForm, FormParts, selectable_label
from app.ui.settings.koreader_group import KoreaderGroup
from app.ui.sync.runner import SyncRunner
from sync.http import redact_url


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


def signed_out_text(done: SignedOut) -> str:
    """How signing out went, as one sentence in the interface language."""
    if done.revoked.waiting:
        return ui_text(
            "Signed out. The server does not answer: it will be told to stop accepting this "
            "computer at the next sync. Your notes stay on this computer."
        )
    return ui_text("Signed out. Your notes stay on this computer.")


def moment_text(when: float) -> str:
    """A moment as "2025-05-12 14:32" (local time)."""
    return QDateTime.fromSecsSinceEpoch(int(when)).toString("yyyy-MM-dd HH:mm")


class AccountPage(AccountForm[SyncAccount, SignInResult]):
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
        state = SyncState(session.library.store, session.profile_id)
        parts = FormParts[SyncAccount, SignInResult](
            check=partial(sign_in, session),
            read=state.account,
            turn_off=partial(sign_out, session),
            is_on=lambda account: bool(account.token),
            outcome=sign_in_text,
            checking=lambda: ui_text("Signing in…"),
            no_user=lambda: ui_text("Type your user name on this server."),
            no_password=lambda: ui_text("Type your password."),
            turned_off=signed_out_text,
            store_failed=lambda cause: ui_text(
                "The account could not be read or changed: {reason}"
            ).format(reason=cause),
            turn_off_online=True,
        )
        super().__init__(session, runner, parent, parts, sync_runner=sync_runner)
        self.state = state
        self.who = selectable_label(self)
        self.last_sync = selectable_label(self)
        self.sign_in_button = QPushButton(self)
        self.sign_out_button = QPushButton(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.last_sync)
        self._add_form(layout, self.sign_in_button, self.sign_out_button)
        layout.addWidget(self.note)
        self.koreader = KoreaderGroup(session, self._store, self, sync_runner=sync_runner)
        layout.addWidget(self.koreader)
        layout.addStretch(1)
        self._start()

    # --- language ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current interface language."""
        labels = {
            "url": ui_text("Server address (URL)"),
            "user": ui_text("User name"),
            "password": ui_text("Password"),
        }
        self._label_fields(labels)
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
        self.note.setText(
            ui_text(
                "Your notes, highlights, bookmarks and reading progress are synced with this "
                "server. Signing out keeps them on this computer."
            )
        )
        super().retranslate()

    # --- the account ---------------------------------------------------------------------------

    def _fills_fields(self) -> bool:
        return self._account is None  # whenever an account appears, not only at the first read

    def _on_account_read(self, account: SyncAccount | None) -> None:
        super()._on_account_read(account)
        self.account_loaded.emit(account)

    def _checked(self, result: SignInResult) -> None:
        if result.account is not None:
            self.signed_in.emit(result.account)
        else:
            self.sign_in_failed.emit(result)

    def _turned_off(self) -> None:
        self.signed_out.emit()

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

    def _waits(self) -> list[Callable[[int], bool]]:
        network, *store = super()._waits()
        return [network, self.koreader.finish_work, *store]
