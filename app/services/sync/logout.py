"""Signing out of the library server: the token forgotten here, and revoked there.

Signing out forgets the token at once, whatever the network does: it moves among the profile's
revocations (`SyncState.sign_out`), and every revocation is then sent to its server
(`SyncServer.logout`, a few seconds, no retry). A server that does not answer (or is busy: 429,
5xx) keeps the token waiting; `revoke_pending` tries again at the next sign-in and at the start
of every sync (`sync_all`). A server that answers anything else has had its say (an older one
without logout answers 404): the token is dropped with a note, and expires there in its time.
Network and store work: not on the UI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.library.sync_state import SyncState
from app.services.session import Session
from sync.engine import SyncFailed, SyncServer, Unreachable
from sync.errors import FetchError
from sync.http import HttpClient, HttpPolicy, client_or_own, redact_url

log = logging.getLogger(__name__)

#: Revoking waits a few seconds (the engine's probe bounds) and never retries.
LOGOUT_POLICY = HttpPolicy(max_retries=0)


@dataclass(frozen=True)
class Revoked:
    """What sending the waiting revocations did.

    Attributes:
        revoked: tokens their servers no longer accept.
        waiting: tokens whose servers did not answer: tried again at the next sync.
        notes: one line for each token dropped without its server revoking it.
    """

    revoked: int = 0
    waiting: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignedOut:
    """What signing out did: whether a token was forgotten here, and the revocations sent."""

    forgotten: bool
    revoked: Revoked


def sign_out(
    session: Session, *, http: HttpClient | None = None, policy: HttpPolicy = LOGOUT_POLICY
) -> SignedOut:
    """Forget the acting profile's token here (in every case) and revoke it at its server.

    Raises:
        Store errors (the network's outcome is in the result).
    """
    forgotten = SyncState(session.library.store, session.profile_id).sign_out()
    with client_or_own(http, policy) as client:
        return SignedOut(forgotten, revoke_pending(session, client))


def revoke_pending(session: Session, http: HttpClient) -> Revoked:
    """Send the profile's waiting revocations to their servers; drop those that were answered.

    Raises:
        Store errors (the network's outcome is in the result).
    """
    state = SyncState(session.library.store, session.profile_id)
    revoked = waiting = 0
    notes: list[str] = []
    for revocation in state.revocations():
        shown = redact_url(revocation.server_url)
        try:
            SyncServer(revocation.server_url, http, revocation.token).logout()
        except SyncFailed as exc:
            if _try_again(exc):
                log.info("%s: the token waits to be revoked: %s", shown, exc)
                waiting += 1
                continue
            log.warning("%s: the token was not revoked: %s", shown, exc)
            notes.append(f"{shown} did not revoke this device's old token: {exc}")
        else:
            log.info("%s: the token was revoked", shown)
            revoked += 1
        state.forget_revocation(revocation)
    return Revoked(revoked, waiting, tuple(notes))


def _try_again(exc: SyncFailed) -> bool:
    """No answer, or a busy server's: the server has not said no."""
    if isinstance(exc, Unreachable):
        return True
    cause = exc.__cause__
    return (
        isinstance(cause, FetchError)
        and cause.status is not None
        and (cause.status == 429 or cause.status >= 500)
    )
