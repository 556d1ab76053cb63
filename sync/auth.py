"""Catalogue authentication: HTTP Basic and Digest, and the Authentication for OPDS 1.0 document.

The caller gives credentials through the `Credentials` protocol (looked up by the origin of the
catalogue URL), and may give the bearer token of the library server it is signed in to
(`TokenLookup`, by URL: sent with every request under that server's address, `BearerAuth`).
The scheme is chosen from the 401's ``WWW-Authenticate``. A 401 without usable
credentials raises `AuthenticationRequired`, which holds what a UI needs to ask for them: the
title and description of the server's authentication document, the labels of its Basic login,
the realm. Passwords never reach a log, an error message or the cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth, _basic_auth_str
from requests.cookies import extract_cookies_to_jar

from sync.errors import SyncError
from sync.jsondoc import TooDeepError, loads

#: Media types of the Authentication for OPDS 1.0 document.
AUTH_DOCUMENT_TYPES = (
    "application/opds-authentication+json",
    "application/vnd.opds.authentication.v1.0+json",
)
#: The largest authentication document read.
MAX_AUTH_DOCUMENT = 256 * 1024

_CHALLENGE = re.compile(r"(?:^|,)\s*([A-Za-z][A-Za-z0-9_-]*)(?=\s+[A-Za-z0-9_-]+=|\s*$|\s*,)")
_REALM = re.compile(r'realm\s*=\s*(?:"([^"]*)"|([^\s,]+))', re.IGNORECASE)


class Credentials(Protocol):
    """Where the catalogue client finds credentials (the caller's credential store)."""

    def lookup(self, origin: str) -> tuple[str, str] | None:
        """The (user, password) for a catalogue origin ("https://host:443"), or None."""


TokenLookup = Callable[[str], str | None]
"""The bearer token to send with a request to a URL (the library server the person is signed in
to, under its address), or None."""


class BearerAuth(AuthBase):
    """A library server's bearer token (a Mutolaa login), sent with every request it signs."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self._token}"
        return r

    def __repr__(self) -> str:
        return "BearerAuth(<token>)"


class StaticCredentials:
    """Credentials from a mapping of origin → (user, password): for tests and the command line."""

    def __init__(self, pairs: dict[str, tuple[str, str]]) -> None:
        self._pairs = {origin_of(url): pair for url, pair in pairs.items()}

    def lookup(self, origin: str) -> tuple[str, str] | None:
        """The pair for `origin`, or None."""
        return self._pairs.get(origin)

    def __repr__(self) -> str:
        return f"StaticCredentials({len(self._pairs)} origin(s))"


def origin_of(url: str) -> str:
    """The origin of `url` as "scheme://host:port" (default ports made explicit, host lower)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


@dataclass(frozen=True)
class AuthMethod:
    """One way to authenticate offered by an authentication document.

    Attributes:
        type: the type URI ("http://opds-spec.org/auth/basic", ...).
        login_label: the label of the login field (Basic), "" when not given.
        password_label: the label of the password field (Basic), "" when not given.
    """

    type: str
    login_label: str = ""
    password_label: str = ""


@dataclass(frozen=True)
class AuthDocument:
    """An Authentication for OPDS 1.0 document, as far as a login dialog needs it."""

    title: str
    id: str = ""
    description: str = ""
    methods: tuple[AuthMethod, ...] = ()


class AuthDocumentError(SyncError, ValueError):
    """An authentication document that cannot be read; one line naming its URL. A ValueError
    too, as it always was."""


class AuthenticationRequired(SyncError):
    """The catalogue asks for credentials that were not given, or refused those given.

    Attributes:
        url: the URL (credentials stripped) that answered 401.
        scheme: "basic", "digest" or another scheme from WWW-Authenticate ("" when none).
        realm: the realm of the challenge ("" when none).
        document: the server's authentication document, or None.
        refused: True when credentials were sent and refused.
        notes: problems with the authentication document (not JSON, too large...).
    """

    def __init__(
        self,
        url: str,
        *,
        scheme: str = "",
        realm: str = "",
        document: AuthDocument | None = None,
        refused: bool = False,
        notes: tuple[str, ...] = (),
    ) -> None:
        name = (document.title if document else "") or realm or url
        if refused:
            message = f"{url}: {name} refused the user name and password"
        else:
            message = f"{url}: {name} asks for a user name and password"
        if scheme and scheme not in ("basic", "digest"):
            message += f" (its scheme {scheme!r} is not supported)"
        super().__init__(message)
        self.url = url
        self.scheme = scheme
        self.realm = realm
        self.document = document
        self.refused = refused
        self.notes = notes

    @property
    def title(self) -> str:
        """What to call the server in a login dialog: the document's title, else the realm."""
        return (self.document.title if self.document else "") or self.realm


def challenge_scheme(header: str) -> str:
    """The strongest scheme of a WWW-Authenticate header that we speak (digest, then basic).

    Returns the first scheme named, lower case, when neither is offered; "" for no header.
    """
    schemes = [match.group(1).lower() for match in _CHALLENGE.finditer(header)]
    for wanted in ("digest", "basic"):
        if wanted in schemes:
            return wanted
    return schemes[0] if schemes else ""


def challenge_realm(header: str) -> str:
    """The first realm of a WWW-Authenticate header, "" when none."""
    match = _REALM.search(header)
    if not match:
        return ""
    return match.group(1) if match.group(1) is not None else match.group(2)


def auth_for(scheme: str, user: str, password: str) -> AuthBase:
    """A requests auth object for a challenge scheme (Digest for "digest", else Basic).

    Basic credentials are sent as UTF-8 (RFC 7617's ``charset="UTF-8"``; requests would use
    Latin-1 and fail on "ʻ" or Cyrillic).
    """
    if scheme == "digest":
        return HTTPDigestAuth(user, password)
    return HTTPBasicAuth(user.encode("utf-8"), password.encode("utf-8"))


class ChallengeAuth(HTTPDigestAuth):
    """Credentials that answer whichever challenge the server sends: Digest or Basic.

    Nothing is sent before the server asks (a download from a catalogue does not know its scheme
    in advance). A 401 with a Digest challenge is answered as `HTTPDigestAuth` does; one with a
    Basic challenge is answered once with UTF-8 Basic credentials, which are then sent with every
    later request of this object (as browsers do).
    """

    def __init__(self, username: str, password: str) -> None:
        super().__init__(username, password)
        self._pair = (username, password)
        self._basic = ""  # the Basic header, once a server asked for Basic

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._basic:
            r.headers["Authorization"] = self._basic
            return r
        prepared: requests.PreparedRequest = super().__call__(r)  # type: ignore[no-untyped-call]
        prepared.register_hook(  # type: ignore[no-untyped-call]
            "response", self._answer_basic
        )
        return prepared

    def _answer_basic(self, r: requests.Response, **kwargs: Any) -> requests.Response:
        """Resend a request refused with a Basic challenge, once, with Basic credentials."""
        if r.status_code != 401 or self._basic:
            return r
        if challenge_scheme(r.headers.get("WWW-Authenticate", "")) != "basic":
            return r
        user, password = self._pair
        self._basic = _basic_auth_str(user.encode("utf-8"), password.encode("utf-8"))
        r.content  # noqa: B018 - read the refusal so the connection can be reused
        r.close()
        prepared = r.request.copy()
        jar = prepared._cookies  # type: ignore[attr-defined]
        extract_cookies_to_jar(jar, r.request, r.raw)  # type: ignore[no-untyped-call]
        prepared.prepare_cookies(jar)
        prepared.headers["Authorization"] = self._basic
        resent: requests.Response = r.connection.send(prepared, **kwargs)
        resent.history.append(r)
        resent.request = prepared
        return resent

    def __repr__(self) -> str:
        return "ChallengeAuth(<credentials>)"


def is_auth_document_type(content_type: str) -> bool:
    """True for the media types of an Authentication for OPDS document."""
    bare = content_type.split(";", 1)[0].strip().lower()
    return bare in AUTH_DOCUMENT_TYPES


def parse_auth_document(data: bytes, url: str) -> AuthDocument:
    """Read an Authentication for OPDS 1.0 document.

    Raises:
        AuthDocumentError: the document is too large, not UTF-8 JSON, nested too deeply, or not
            an object with a title (one line, naming `url`).
    """
    if len(data) > MAX_AUTH_DOCUMENT:
        raise AuthDocumentError(
            f"{url}: authentication document larger than {MAX_AUTH_DOCUMENT} bytes"
        )
    try:
        document: Any = loads(data.decode("utf-8"))
    except TooDeepError as exc:
        raise AuthDocumentError(f"{url}: authentication document is {exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise AuthDocumentError(
            f"{url}: authentication document is not valid JSON: {first}"
        ) from exc
    if not isinstance(document, dict):
        raise AuthDocumentError(f"{url}: authentication document is not a JSON object")
    title = document.get("title")
    if not isinstance(title, str) or not title.strip():
        raise AuthDocumentError(f"{url}: authentication document has no title")
    methods: list[AuthMethod] = []
    raw_methods = document.get("authentication")
    for item in raw_methods if isinstance(raw_methods, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            continue
        labels = item.get("labels") if isinstance(item.get("labels"), dict) else {}
        assert isinstance(labels, dict)
        methods.append(
            AuthMethod(
                type=item["type"].strip(),
                login_label=_text(labels.get("login")),
                password_label=_text(labels.get("password")),
            )
        )
    return AuthDocument(
        title=title.strip(),
        id=_text(document.get("id")),
        description=_text(document.get("description")),
        methods=tuple(methods),
    )


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
