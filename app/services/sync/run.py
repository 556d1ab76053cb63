"""One sync of a person's reading life: the library server first, then KOReader's progress sync.

The command line (`mutolaa sync`) and the window's sync runner both sync through `sync_all`,
and read what is left to decide through `sync_standing`. Network and store work: call them off
the UI thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from app.core.errors import MutolaaError
from app.library.koreader_state import KoreaderAccount, KoreaderState
from app.library.sync_state import SyncAccount, SyncState
from app.services.session import Session
from app.services.sync.koreader import KoreaderReport, sync_progress
from app.services.sync.logout import revoke_pending
from app.services.sync.pending import find_conflicts
from app.services.sync.server_sync import SYNC_POLICY, sync_now
from sync.engine import SyncReport
from sync.http import HttpClient, HttpPolicy


@dataclass(frozen=True)
class SyncStanding:
    """How a person's sync stands: the accounts and what is left to decide."""

    account: SyncAccount | None
    koreader: KoreaderAccount | None  # when its sync is on
    conflicts: int = 0
    questions: int = 0

    @property
    def signed_in(self) -> bool:
        """Signed in to a library server, or with KOReader progress sync on."""
        return (self.account is not None and bool(self.account.token)) or (
            self.koreader is not None
        )


@dataclass(frozen=True)
class SyncRun:
    """What `sync_all` did.

    Attributes:
        report: the library server's sync (None when signed in to none, or when it failed).
        failure: why the library server's sync stopped (the KOReader sync still ran).
        koreader: the KOReader progress sync (None when it is off, or when it failed).
        koreader_failure: why the KOReader sync stopped.
        standing: the accounts and what is left to decide, read after both.
    """

    report: SyncReport | None
    failure: MutolaaError | None
    koreader: KoreaderReport | None
    koreader_failure: MutolaaError | None
    standing: SyncStanding


def sync_standing(session: Session) -> SyncStanding:
    """The accounts, the notes edited on two devices and the position questions."""
    store, profile = session.library.store, session.profile_id
    state = SyncState(store, profile)
    return SyncStanding(
        state.account(),
        KoreaderState(store, profile).active_account(),
        len(find_conflicts(session)),
        len(state.questions()),
    )


def sync_all(
    session: Session,
    *,
    policy: HttpPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
    allow_deletions: bool = False,
    only_changed: bool = False,
) -> SyncRun:
    """Sync with the library server (when signed in to one), then KOReader (when it is on);
    first, the tokens waiting to be revoked are sent (`revoke_pending`).

    A failure of either is kept in the result, so the other still runs and the caller says
    both. ``policy`` bounds every request (the window's exit sync: short, no retries);
    ``sleep`` waits between retries (the window wakes it to stop); ``only_changed`` sends
    KOReader only the positions changed here.

    Raises:
        UserError: signed in to no library server and KOReader sync is off.
    """
    store, profile = session.library.store, session.profile_id
    account = SyncState(store, profile).account()
    koreader_on = KoreaderState(store, profile).active_account() is not None
    client = HttpClient(policy or SYNC_POLICY, sleep=sleep or time.sleep)
    report = koreader = None
    failure = koreader_failure = None
    try:
        revoke_pending(session, client)  # tokens signed out of while their server was away
        if (account is None or not account.token) and not koreader_on:
            SyncState(store, profile).require_account()  # raises UserError: says what to do
        if account is not None and account.token:
            try:
                report = sync_now(session, allow_deletions=allow_deletions, http=client)
            except MutolaaError as exc:
                failure = exc
        if koreader_on:
            try:
                koreader = sync_progress(session, client, only_changed=only_changed)
            except MutolaaError as exc:
                koreader_failure = exc
    finally:
        client.close()
    return SyncRun(report, failure, koreader, koreader_failure, sync_standing(session))
