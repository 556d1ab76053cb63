"""Signing in to a library server and turning KOReader progress sync on, as the settings do.

Both check the server once, without retries (a retry hides a typo), keep only the token or
KOReader's key (never the password) and log neither; both do network and store work, so the
window calls them off the UI thread (the Account page's runner). What the server answered comes
back as a result, one outcome each with the one-line cause in ``detail``, which the page puts
into a sentence; store errors are raised. The command line calls `login` and
`check_and_turn_on`, below these, and says the cause in its own words.

Signing in probes the server first (`SyncServer.probe`), so a password is only ever sent to a
Mutolaa library server of this protocol. The probe says only yes or no; when it says no, its
address is asked once more, within the probe's bounds, to tell the person why: no answer, an
untrusted certificate, another server, another version of the protocol.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from app.library.koreader_state import KoreaderAccount
from app.library.sync_state import SyncAccount
from app.services.session import Session
from app.services.sync.koreader import check_and_turn_on
from app.services.sync.server_sync import login
from sync.engine import NotSignedIn, SyncFailed, SyncServer, Unreachable
from sync.errors import FetchError, SyncError, UntrustedCertificateError
from sync.http import HttpClient, HttpPolicy
from sync.jsondoc import loads
from sync.koreader import KoreaderError, KoreaderRefused, KoreaderUnreachable
from sync.protocol import SERVER

#: Checking a server for the settings waits this long, and never retries (a retry hides a typo).
CHECK_POLICY = HttpPolicy(connect_timeout=8.0, read_timeout=20.0, max_retries=0)


class SignIn(Enum):
    """How signing in to a library server went."""

    OK = "ok"
    UNREACHABLE = "unreachable"  # no answer at all
    NOT_MUTOLAA = "not-mutolaa"  # an answer, but not a Mutolaa library server's
    REFUSED = "refused"  # wrong user name or password
    DISABLED = "disabled"
    TOO_MANY = "too-many"  # too many failed attempts: the server waits
    FAILED = "failed"  # anything else (an untrusted certificate…): `detail` says what


@dataclass(frozen=True)
class SignInResult:
    """The outcome of signing in, with the account on success (`detail`: the one-line cause)."""

    outcome: SignIn
    detail: str = ""
    account: SyncAccount | None = field(default=None, repr=False)


class TurnOn(Enum):
    """How turning the KOReader progress sync on went."""

    OK = "ok"
    UNREACHABLE = "unreachable"  # no answer (or only a busy server's 429 / 5xx)
    NOT_KOREADER = "not-koreader"  # an answer, but not a KOReader sync server's
    REFUSED = "refused"  # the user name or password (401), or the account (403)
    UNTRUSTED = "untrusted"  # the server's TLS certificate is not trusted: `detail` says why


@dataclass(frozen=True)
class TurnOnResult:
    """The outcome of turning on, with the account on success (`detail`: the one-line cause)."""

    outcome: TurnOn
    detail: str = ""
    account: KoreaderAccount | None = field(default=None, repr=False)


#: Login refusals told by their HTTP status.
_REFUSALS = {403: SignIn.DISABLED, 429: SignIn.TOO_MANY}


def sign_in(
    session: Session,
    url: str,
    user: str,
    password: str,
    *,
    policy: HttpPolicy = CHECK_POLICY,
) -> SignInResult:
    """Sign the acting profile in to the library server at ``url`` and keep the token.

    The server is probed first; the password goes only to a Mutolaa library server of this
    protocol. Network and store work: not on the UI thread.

    Returns:
        `SignIn.OK` with the account, or what stopped it, with the one-line cause.

    Raises:
        Store errors (the server's answers are results).
    """
    with HttpClient(policy) as client:
        why = _why_not_probed(SyncServer(url, client))
        if why is not None:
            return why
        try:
            account = login(session, url, user, password, http=client)
        except SyncFailed as exc:
            return _not_signed_in(exc)
    return SignInResult(SignIn.OK, account=account)


def _why_not_probed(server: SyncServer) -> SignInResult | None:
    """Why the server is not one to sign in to (the probe's own answer, no retry, a few
    seconds); None when it answers as a compatible Mutolaa library server."""
    try:
        answer = server.probe_answer()
    except UntrustedCertificateError as exc:
        return SignInResult(SignIn.FAILED, str(exc))
    except FetchError as exc:
        silent = SignIn.UNREACHABLE if exc.no_answer else SignIn.NOT_MUTOLAA
        return SignInResult(silent, str(exc))
    except SyncError:  # an answer, but not a probe answer: another kind of server
        return SignInResult(SignIn.NOT_MUTOLAA)
    if answer.server != SERVER:
        return SignInResult(SignIn.NOT_MUTOLAA)
    if not answer.compatible:
        return SignInResult(SignIn.FAILED, f"protocol {answer.protocol!r}")
    return None


def login_failure(exc: SyncFailed) -> str:
    """Why a login failed, as a clause to end a sentence: the server's own words ("wrong user
    name or password") when it gave them, without the address, the request or a command to run
    (the command line and the window each say what to do in their own way)."""
    cause = exc.__cause__
    if isinstance(cause, FetchError):
        try:
            said = loads(cause.content or b"{}").get("error")
        except (ValueError, AttributeError):
            said = None
        if isinstance(said, str) and said.strip():
            return " ".join(said.split())
        if cause.no_answer:
            return "the server does not answer"
    text = " ".join(str(exc).split())
    return text.split(" (sign in again:", 1)[0]


def _not_signed_in(exc: SyncFailed) -> SignInResult:
    """A failed login as an outcome."""
    if isinstance(exc, NotSignedIn):
        return SignInResult(SignIn.REFUSED, login_failure(exc))
    cause = exc.__cause__
    status = cause.status if isinstance(cause, FetchError) else None
    if status in _REFUSALS:
        return SignInResult(_REFUSALS[status], str(exc))
    if isinstance(exc, Unreachable):
        return SignInResult(SignIn.UNREACHABLE, str(exc))
    return SignInResult(SignIn.FAILED, " ".join(str(exc).split()))


def turn_on_koreader(
    session: Session,
    url: str,
    user: str,
    password: str,
    *,
    policy: HttpPolicy = CHECK_POLICY,
) -> TurnOnResult:
    """Check the user and password with the KOReader sync server at ``url`` and turn the
    acting profile's KOReader progress sync on, keeping the key (`check_and_turn_on`).

    Network and store work: not on the UI thread.

    Returns:
        `TurnOn.OK` with the account, or what stopped it, with the one-line cause.

    Raises:
        Store errors (the server's answers are results).
    """
    with HttpClient(policy) as client:
        try:
            account = check_and_turn_on(session, url, user, password, http=client)
        except KoreaderRefused as exc:
            return TurnOnResult(TurnOn.REFUSED, str(exc))
        except KoreaderUnreachable as exc:
            return TurnOnResult(TurnOn.UNREACHABLE, str(exc))
        except KoreaderError as exc:
            cause = exc.__cause__
            if isinstance(cause, UntrustedCertificateError):
                return TurnOnResult(TurnOn.UNTRUSTED, str(cause))
            return TurnOnResult(TurnOn.NOT_KOREADER, " ".join(str(exc).split()))
    return TurnOnResult(TurnOn.OK, account=account)
