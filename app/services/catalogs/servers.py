"""Library servers as a person manages them: test one and save one.

Testing one turns its address and credentials into the catalogue's title, or one line saying
what is wrong.

The window's settings page and the command line share this. Nothing here logs or returns a
password: messages carry URLs without their ``user:password@``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from app.core.errors import UserError
from app.library.catalogs import Catalog, CatalogStore, split_credentials
from app.services.catalogs.client import INTERACTIVE_POLICY, catalog_client
from app.services.session import Session
from sync.auth import AuthenticationRequired, StaticCredentials
from sync.catalog import CatalogUnavailable
from sync.errors import CatalogError, FetchError, SyncError
from sync.http import HttpPolicy
from sync.terminal import printable

log = logging.getLogger(__name__)

#: The sign-in schemes the catalogue client can answer ("" when the 401 names none).
_SPOKEN_SCHEMES = ("basic", "digest", "")
_NOT_A_URL = "the address is not a valid http or https URL with a host"


class Outcome(StrEnum):
    """What testing a library server found."""

    OK = "ok"  # the root feed was read
    BAD_URL = "bad-url"  # not an http or https URL with a host
    UNREACHABLE = "unreachable"  # no answer: no connection, refused, timed out, 5xx
    SIGN_IN = "sign-in"  # the server asks for a user name and password not given
    REFUSED = "refused"  # the server refused the user name and password
    UNSUPPORTED_SIGN_IN = "unsupported-sign-in"  # a sign-in scheme the client cannot do
    NOT_FOUND = "not-found"  # 404 or 410: nothing at that address
    NOT_A_FEED = "not-a-feed"  # it answered, but not with an OPDS feed
    FAILED = "failed"  # any other refusal (a redirect elsewhere, too large, another 4xx)


@dataclass(frozen=True)
class ServerCheck:
    """The outcome of testing a library server.

    Attributes:
        url: the address tested, without credentials ("" when it was not a URL).
        outcome: what was found.
        title: the catalogue's title when its feed was read; for a sign-in, the server's own
            name (its authentication document's title, else the realm); else "".
        detail: one line in English saying what happened (no password), "" when OK.
        scheme: the sign-in scheme the server asked for ("" when none).
    """

    url: str
    outcome: Outcome
    title: str = ""
    detail: str = ""
    scheme: str = ""

    @property
    def ok(self) -> bool:
        """True when the catalogue's feed was read."""
        return self.outcome is Outcome.OK

    @property
    def savable(self) -> bool:
        """True when the server may be saved: it answered with a feed, or it did not answer
        at all (saved with a note, for a person who adds it offline)."""
        return self.outcome in (Outcome.OK, Outcome.UNREACHABLE)

    @property
    def message(self) -> str:
        """One line in English for the command line and the logs."""
        where = self.url or "the address"
        if self.outcome is Outcome.OK:
            return f"{where}: connected ({self.title or 'untitled catalogue'})"
        if self.outcome is Outcome.SIGN_IN:
            return f"{where}: the server asks for a user name and password"
        if self.outcome is Outcome.REFUSED:
            return f"{where}: the server refused the user name and password"
        if self.outcome is Outcome.UNSUPPORTED_SIGN_IN:
            return f"{where}: the server asks for a sign-in this program cannot do ({self.scheme})"
        return self.detail


class ServerNameTaken(UserError):
    """Another library server of the profile already has the name.

    Attributes:
        name: the name asked for.
    """

    def __init__(self, name: str) -> None:
        super().__init__(f"a library server named {name!r} already exists; choose another name")
        self.name = name


def check_server(
    session: Session,
    url: str,
    username: str = "",
    password: str = "",
    *,
    policy: HttpPolicy | None = None,
) -> ServerCheck:
    """Fetch the root feed of a library server with the credentials given (not the saved ones).

    Credentials written in `url` as ``user:password@`` are used when none are given. The feed
    goes into the offline cache like any feed read. Network work: call it off the UI thread.
    The wait is bounded by the interactive policy (one retry, short back-off) unless told.

    Returns:
        What was found; never raises for what the server or the address did.
    """
    try:
        clean, url_user, url_password = split_credentials(url)
    except UserError:
        # not the store's message: it quotes the address, and a password holding an unescaped
        # "/" or a bad port leaves part of it there
        return ServerCheck("", Outcome.BAD_URL, detail=_NOT_A_URL)
    username = username or url_user
    password = password or url_password
    pairs = {clean: (username, password)} if username else {}
    with catalog_client(session, policy=policy or INTERACTIVE_POLICY) as client:
        client.credentials = StaticCredentials(pairs)  # what the person typed, not what is saved
        try:
            result = client.feed(clean)
        except AuthenticationRequired as exc:
            return _signing_in(clean, exc)
        except CatalogUnavailable as exc:
            return ServerCheck(clean, Outcome.UNREACHABLE, detail=str(exc))
        except CatalogError as exc:
            return ServerCheck(
                clean, Outcome.NOT_A_FEED, detail=f"{clean}: not an OPDS catalogue ({exc.problem})"
            )
        except FetchError as exc:
            outcome = Outcome.NOT_FOUND if exc.status in (404, 410) else Outcome.FAILED
            return ServerCheck(clean, outcome, detail=str(exc))
        except SyncError as exc:
            return ServerCheck(clean, Outcome.FAILED, detail=str(exc))
    if result.stale:  # the server did not answer; an older copy was at hand
        note = "; ".join(result.notes) or "the server cannot be reached"
        return ServerCheck(clean, Outcome.UNREACHABLE, result.feed.title, f"{clean}: {note}")
    log.info("library server %s answered (%s)", clean, result.feed.title or "untitled")
    return ServerCheck(clean, Outcome.OK, result.feed.title)


def _signing_in(url: str, exc: AuthenticationRequired) -> ServerCheck:
    if exc.refused:
        outcome = Outcome.REFUSED
    elif exc.scheme not in _SPOKEN_SCHEMES:
        outcome = Outcome.UNSUPPORTED_SIGN_IN
    else:
        outcome = Outcome.SIGN_IN
    return ServerCheck(url, outcome, exc.title, str(exc), exc.scheme)


def default_name(title: str, url: str) -> str:
    """The name of a server saved without one: its catalogue's title, else its host."""
    title = _one_line(title)
    if title:
        return title
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _one_line(text: str) -> str:
    """A name from outside (a feed's title) as one printable line."""
    return " ".join(printable(text).split())


def save_server(
    catalogs: CatalogStore,
    *,
    name: str,
    url: str,
    username: str,
    password: str,
    catalog_id: int | None = None,
) -> Catalog:
    """Add a library server (``catalog_id`` None) or change the one saved as ``catalog_id``.

    Credentials in `url` are moved to the user name and password (those given win). Store
    work: call it off the UI thread.

    Raises:
        ServerNameTaken: another server of the profile has that name.
        UserError: no name, a bad URL, or the server to change is gone.
    """
    name = _one_line(name)  # printed by `catalog list`: no escape sequence may be stored in it
    clash = catalogs.find(name)
    if clash is not None and clash.id != catalog_id:
        raise ServerNameTaken(clash.name)
    if catalog_id is None:
        saved = catalogs.add(name, url, username, password)
    else:
        saved = catalogs.update(
            catalog_id, name=name, url=url, username=username, password=password
        )
    log.info("library server %r saved (%s)", saved.name, saved.url)
    return saved
