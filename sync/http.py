"""The HTTP client of the sync package: safe URLs, bounded redirects, timeouts, retries, limits.

Every request of the catalogue client and of the downloads goes through `HttpClient`, so the rules
hold everywhere: only http and https (each redirect hop checked), at most `max_redirects` hops, a
connect and a read timeout on every request, bounded retries with exponential backoff and jitter
that honour `Retry-After`, a limit of connections per host, size limits for feeds and covers, and
credentials that never reach a log or an error message (URLs are logged without their user
information, and credentials — the client's and any header that carries one — are dropped when a
redirect leaves the original host).
"""

from __future__ import annotations

import email.utils
import itertools
import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import requests
from requests.auth import AuthBase, HTTPBasicAuth

from sync.errors import (
    FetchError,
    TooLargeError,
    TooManyRedirectsError,
    UnsafeURLError,
    UntrustedCertificateError,
)

log = logging.getLogger(__name__)

ALLOWED_SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
FEED_LIMIT = 16 * 1024 * 1024
COVER_LIMIT = 8 * 1024 * 1024

Auth = AuthBase | tuple[str, str]


@dataclass(frozen=True)
class HttpPolicy:
    """The limits every request obeys.

    Attributes:
        connect_timeout: seconds to establish a connection.
        read_timeout: seconds without a byte from the server before giving up on a read.
        max_redirects: redirect hops allowed for one request.
        max_retries: retries after the first attempt for a retryable failure (connection, 429, 5xx).
        backoff_base: the first backoff delay in seconds; it doubles with every retry.
        backoff_max: the largest backoff delay in seconds.
        max_retry_after: the longest `Retry-After` the client waits; a longer one is a failure.
        per_host_connections: concurrent requests allowed to one host (scheme, host, port).
        user_agent: the User-Agent header.
        ca_file: a PEM file of the certificate authorities to trust instead of the usual ones
            (a library server with a certificate of its own institution's authority); when
            None, ``$MUTOLAA_CA_FILE`` if set. Certificates are always verified.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_redirects: int = 5
    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 300.0
    per_host_connections: int = 2
    user_agent: str = "Mutolaa/0.1 (+offline e-library reader)"
    ca_file: str | None = None


@dataclass(frozen=True)
class Fetched:
    """A whole, size-limited body.

    Attributes:
        url: the final URL after redirects.
        status: the HTTP status.
        headers: the response headers.
        content: the body.
    """

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes


def redact_url(url: str) -> str:
    """Return `url` without user name and password, for logs and error messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def check_url(url: str) -> str:
    """Return `url` if it is an absolute http(s) URL with a host, else raise UnsafeURLError."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise UnsafeURLError(f"not a valid URL: {redact_url(url)!r}", url=redact_url(url)) from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = scheme + ":" if scheme else "no scheme"
        raise UnsafeURLError(
            f"refused {redact_url(url)!r}: only http and https are followed ({shown})",
            url=redact_url(url),
        )
    if not parts.hostname:
        raise UnsafeURLError(f"refused {redact_url(url)!r}: no host", url=redact_url(url))
    return url


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta seconds or an HTTP date), or None.

    Args:
        value: the header value.
        now: the current time (UTC) for an HTTP date; the clock when omitted.

    Returns:
        A non-negative number of seconds, or None when the header is absent or unreadable.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


def host_key(url: str) -> str:
    """The (scheme, host, port) a connection limit applies to, as one string."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


#: Request headers that may follow a redirect to another host: they say what is wanted, never
#: who asks (a token, a key, a cookie stay with the host they were meant for).
PORTABLE_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "cache-control",
        "if-modified-since",
        "if-none-match",
        "if-range",
        "range",
        "user-agent",
    }
)


def _portable(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers that may go to another host than the one first asked."""
    return {k: v for k, v in headers.items() if k.lower() in PORTABLE_HEADERS}


@contextmanager
def client_or_own(http: HttpClient | None, policy: HttpPolicy) -> Iterator[HttpClient]:
    """`http` when the caller gives one (it stays open), else a client of `policy` made for
    the block and closed after it."""
    if http is not None:
        yield http
        return
    with HttpClient(policy) as own:
        yield own


def _split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """Move `user:password@` out of a URL: the URL without them, and the pair (or None)."""
    parts = urlsplit(url)
    if parts.username is None:
        return url, None
    pair = (unquote(parts.username), unquote(parts.password or ""))
    return redact_url(url), pair


class HttpClient:
    """A `requests.Session` with Mutolaa's fetching rules; safe to share between threads.

    Args:
        policy: timeouts, redirects, retries and host limits.
        auth: credentials (a requests auth object or a (user, password) pair) sent only to the host
            of the URL first requested, never across a redirect to another host.
        session: the session to use (a new one when omitted); the client closes only its own.
        sleep: the function that waits (tests pass a fast one).
        rng: a source of numbers in [0, 1) for the jitter.
    """

    def __init__(
        self,
        policy: HttpPolicy | None = None,
        *,
        auth: Auth | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.policy = policy or HttpPolicy()
        self.auth = auth
        self._own_session = session is None
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = self.policy.user_agent
        self.session.trust_env = False  # no netrc credentials or proxies from the environment
        ca_file = self.policy.ca_file or os.environ.get("MUTOLAA_CA_FILE")
        if ca_file:
            self.session.verify = ca_file
        self.sleep = sleep
        self._rng = rng
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        """Close the session when the client made it."""
        if self._own_session:
            self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the rules -----------------------------------------------------------------------------

    def backoff(self, attempt: int) -> float:
        """The delay before retry number `attempt` (0-based): exponential, capped, with jitter.

        Half the delay is fixed and half random ("equal jitter"), so clients that failed together do
        not retry together, and a retry never comes immediately.
        """
        cap = min(self.policy.backoff_max, self.policy.backoff_base * (2**attempt))
        return float(cap / 2 + self._rng() * cap / 2)

    def retry_delay(self, attempt: int, response: requests.Response | None) -> float:
        """The wait before retry `attempt`: the server's `Retry-After` if it gave one, else backoff.

        Raises:
            FetchError: the server asks for a wait longer than `max_retry_after`.
        """
        if response is not None:
            asked = parse_retry_after(response.headers.get("Retry-After"))
            if asked is not None:
                if asked > self.policy.max_retry_after:
                    raise FetchError(
                        f"{redact_url(response.url)}: the server asks to retry after {asked:.0f} s "
                        f"(more than {self.policy.max_retry_after:.0f} s)",
                        url=redact_url(response.url),
                        status=response.status_code,
                    )
                return asked
        return self.backoff(attempt)

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        key = host_key(url)
        with self._hosts_lock:
            slot = self._hosts.get(key)
            if slot is None:
                slot = threading.BoundedSemaphore(self.policy.per_host_connections)
                self._hosts[key] = slot
            return slot

    # -- requests ------------------------------------------------------------------------------

    def _send_following(
        self,
        url: str,
        headers: Mapping[str, str],
        auth: Auth | None,
        body: bytes | None = None,
        *,
        method: str = "",
        follow_redirects: bool = True,
    ) -> requests.Response:
        """One GET (or a POST of `body`, or `method`) with redirects followed by hand, each hop
        checked; the response is streamed. A request with a body is never redirected, nor any
        without ``follow_redirects``: the redirect is returned as it is."""
        first_host = host_key(url)
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            check_url(current)
            same_host = host_key(current) == first_host
            response = self.session.request(
                method or ("GET" if body is None else "POST"),
                current,
                headers=dict(headers) if same_host else _portable(headers),
                data=body,
                auth=auth if same_host else None,
                allow_redirects=False,
                stream=True,
                timeout=(self.policy.connect_timeout, self.policy.read_timeout),
            )
            location = response.headers.get("Location")
            if (
                body is not None
                or not follow_redirects
                or response.status_code not in REDIRECT_STATUSES
                or not location
            ):
                return response
            response.close()
            target = urljoin(current, location)
            log.debug("redirect %s -> %s", redact_url(current), redact_url(target))
            try:
                check_url(target)
            except UnsafeURLError as exc:
                raise UnsafeURLError(
                    f"refused redirect from {redact_url(current)} to {redact_url(target)!r}: "
                    "only http and https are followed",
                    url=redact_url(target),
                ) from exc
            current = target
        raise TooManyRedirectsError(
            f"{redact_url(url)}: more than {self.policy.max_redirects} redirects",
            url=redact_url(url),
        )

    @contextmanager
    def open(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        *,
        auth: Auth | None = None,
        body: bytes | None = None,
        method: str = "",
        follow_redirects: bool = True,
    ) -> Iterator[requests.Response]:
        """GET `url` and yield the streamed response, holding one of the host's connection slots.

        Connection failures, timeouts before the answer, 429 and 5xx are retried up to
        `max_retries` times, waiting `Retry-After` or an exponential backoff with jitter. Other
        statuses are yielded as they are (the caller decides about 206, 304, 416...), except that
        a 4xx other than 416 raises FetchError.

        Raises:
            UnsafeURLError: `url` or a redirect is not http or https.
            TooManyRedirectsError: too many redirects.
            FetchError: no connection, a timeout, or an error status after the retries (a 4xx
                carries the answer's headers and the start of its body).

        ``auth`` (credentials for this request only) wins over the client's and the URL's.
        With ``body`` the request is a POST of it (retried like a GET: only for requests that
        are safe to repeat, such as the sync protocol's idempotent push); ``method`` names
        another (a PUT). Without ``follow_redirects`` a redirect is returned as the answer.
        """
        bare_url, url_auth = _split_credentials(url)
        if auth is None:
            auth = self.auth if self.auth is not None else url_auth
        if isinstance(auth, tuple):
            auth = HTTPBasicAuth(*auth)
        check_url(bare_url)
        shown = redact_url(bare_url)
        slot = self._host_slot(bare_url)

        def send() -> requests.Response:
            return self._send_following(
                bare_url,
                headers or {},
                auth,
                body,
                method=method,
                follow_redirects=follow_redirects,
            )

        for attempt in itertools.count():
            with slot:  # held while the caller reads the answer; not while waiting to retry
                outcome = self._attempt(send, shown, attempt)
                if isinstance(outcome, requests.Response):
                    try:
                        yield outcome
                    finally:
                        outcome.close()
                    return
                if attempt >= self.policy.max_retries:
                    status = outcome.response.status_code if outcome.response is not None else None
                    raise FetchError(
                        f"{outcome.reason}, after {attempt + 1} attempts", url=shown, status=status
                    )
                delay = self.retry_delay(attempt, outcome.response)
            self.sleep(delay)

    def _attempt(
        self, send: Callable[[], requests.Response], shown: str, attempt: int
    ) -> requests.Response | _Retryable:
        """One try of a request: the answer to hand over, or a failure worth another try.

        Raises:
            UntrustedCertificateError: the TLS check failed (trying again cannot mend it).
            FetchError: a 4xx other than 416, with its headers and the start of its body.
        """
        try:
            response = send()
        except requests.exceptions.SSLError as exc:  # before ConnectionError, its base class
            raise UntrustedCertificateError(
                f"{shown}: the server's certificate is not trusted ({_tls_reason(exc)})",
                url=shown,
            ) from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            failure = f"{shown}: no connection ({type(exc).__name__})"
            log.debug("attempt %d: %s", attempt + 1, failure)
            return _Retryable(failure, None)
        status = response.status_code
        if status in RETRY_STATUSES:
            failure = f"{shown}: the server answered {status} {response.reason}"
            response.close()  # its headers still tell how long to wait (Retry-After)
            log.debug("attempt %d: %s", attempt + 1, failure)
            return _Retryable(failure, response)
        if 400 <= status < 500 and status != 416:
            headers, content = dict(response.headers), _start_of_body(response)
            response.close()
            raise FetchError(
                f"{shown}: the server answered {status} {response.reason}",
                url=shown,
                status=status,
                headers=headers,
                content=content,
            )
        log.debug("GET %s -> %d", shown, status)
        return response

    def fetch(
        self,
        url: str,
        *,
        limit: int = FEED_LIMIT,
        headers: Mapping[str, str] | None = None,
        auth: Auth | None = None,
        body: bytes | None = None,
        method: str = "",
        follow_redirects: bool = True,
    ) -> Fetched:
        """GET (or POST `body`) and read a whole answer no larger than `limit` bytes (a feed, a
        cover, a description document, a sync answer).

        The body is streamed and the transfer stops as soon as it passes the limit, whatever
        Content-Length claims.

        Raises:
            TooLargeError: the body is larger than `limit`.
            FetchError: as for `open`, or the connection broke in the body.
        """
        with self.open(
            url,
            headers,
            auth=auth,
            body=body,
            method=method,
            follow_redirects=follow_redirects,
        ) as response:
            shown = redact_url(response.url)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise TooLargeError(
                    f"{shown}: {int(declared)} bytes, more than the limit of {limit}",
                    url=shown,
                    status=response.status_code,
                )
            chunks: list[bytes] = []
            size = 0
            try:
                for chunk in response.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > limit:
                        raise TooLargeError(
                            f"{shown}: more than the limit of {limit} bytes",
                            url=shown,
                            status=response.status_code,
                        )
                    chunks.append(chunk)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                raise FetchError(
                    f"{shown}: the connection broke after {size} bytes ({type(exc).__name__})",
                    url=shown,
                    status=response.status_code,
                ) from exc
            return Fetched(
                url=response.url,
                status=response.status_code,
                headers=dict(response.headers),
                content=b"".join(chunks),
            )

    def post_json(
        self,
        url: str,
        data: Mapping[str, Any],
        *,
        headers: Mapping[str, str] | None = None,
        limit: int = FEED_LIMIT,
    ) -> Fetched:
        """POST `data` as JSON and read the answer (see `fetch`)."""
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        sent = {**(headers or {}), "Content-Type": "application/json; charset=utf-8"}
        return self.fetch(url, limit=limit, headers=sent, body=body)


ERROR_BODY_LIMIT = 64 * 1024  # enough for an Authentication for OPDS document


@dataclass(frozen=True)
class _Retryable:
    """A try that failed in a way another try may mend: why, and the answer if there was one."""

    reason: str
    response: requests.Response | None


def _start_of_body(response: requests.Response) -> bytes:
    """Up to ``ERROR_BODY_LIMIT`` bytes of an error answer's body ("" if it breaks off)."""
    body = b""
    try:
        for chunk in response.iter_content(16 * 1024):
            body += bytes(chunk)
            if len(body) >= ERROR_BODY_LIMIT:
                return body[:ERROR_BODY_LIMIT]
    except requests.RequestException:
        return body
    return body


def _tls_reason(error: BaseException) -> str:
    """What the TLS check said, in a few words ("self-signed certificate")."""
    text = str(error)
    found = re.search(r"certificate verify failed: ([^(\n]+?)\s*\(", text)
    if found:
        return found.group(1).strip()
    found = re.search(r"\[SSL: ([A-Z_]+)\]", text)
    return found.group(1).lower().replace("_", " ") if found else "TLS failed"
