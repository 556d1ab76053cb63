"""The catalogue client: OPDS feeds, search and covers over `HttpClient`, kept for offline use.

Every feed, OpenSearch description and cover fetched is stored in a `FeedCache` with its
validators. Online, a cached URL is revalidated (``If-None-Match`` / ``If-Modified-Since``): a 304
gives the cached copy, marked fresh. When the server cannot be reached (no connection, a timeout,
a 5xx or 429 after the retries, a body cut short) or the caller says `offline=True`, the cached
copy is returned marked stale; with nothing cached, `CatalogUnavailable` says so in one line.
Search offline runs over the cached entries of the catalogue (same origin).

A 401 is answered with the caller's credentials (Basic or Digest, as the server's
``WWW-Authenticate`` asks); without credentials, or when they are refused,
`AuthenticationRequired` carries the server's Authentication for OPDS document. Under the address
of the library server the person is signed in to, its bearer token goes with every request
(`tokens`), so its catalogue needs no password typed again; a token refused (expired, revoked)
leaves the saved credentials to answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import requests

from sync.auth import (
    MAX_AUTH_DOCUMENT,
    AuthDocument,
    AuthenticationRequired,
    BearerAuth,
    Credentials,
    TokenLookup,
    auth_for,
    challenge_realm,
    challenge_scheme,
    is_auth_document_type,
    origin_of,
    parse_auth_document,
)
from sync.errors import (
    CatalogError,
    FetchError,
    SyncError,
    TooLargeError,
)
from sync.feed_cache import Cached, FeedCache
from sync.folding import fold, matches
from sync.http import COVER_LIMIT, FEED_LIMIT, Fetched, HttpClient, check_url, redact_url
from sync.opds import parse_feed
from sync.opds.model import Entry, Feed
from sync.opds.opensearch import parse_opensearch, templated_search_url

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The most pages `pages()` follows when the caller gives no bound.
DEFAULT_PAGE_LIMIT = 50
FEED_ACCEPT = (
    "application/atom+xml;profile=opds-catalog, application/opds+json, "
    "application/atom+xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)


class CatalogUnavailable(SyncError):
    """A feed that is neither reachable nor in the offline cache.

    Attributes:
        url: the URL (credentials stripped).
    """

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


@dataclass(frozen=True)
class FeedResult:
    """A feed and where it came from.

    Attributes:
        feed: the parsed feed.
        from_cache: True when the body came from the cache (a 304, offline, or unreachable).
        stale: True when the server was not asked or could not answer: the copy may be old.
        notes: one line each: why the copy is stale, what a search could not do...
        fetched_at: when the copy was fetched or last revalidated (UTC, ISO 8601).
    """

    feed: Feed
    from_cache: bool
    stale: bool
    notes: tuple[str, ...] = ()
    fetched_at: str = ""


@dataclass(frozen=True)
class CoverResult:
    """A cover or thumbnail image and where it came from."""

    data: bytes
    content_type: str
    from_cache: bool
    stale: bool


@dataclass(frozen=True)
class _Got:
    """A body from the network or the cache, checked by the caller's parser."""

    cached: Cached
    value: object
    from_cache: bool
    stale: bool
    notes: tuple[str, ...]


def _request_headers(kind: str, cached: Cached | None) -> dict[str, str]:
    """What a request asks for: a feed's media types, and revalidation of a cached copy."""
    headers = {"Accept": FEED_ACCEPT} if kind != "cover" else {}
    if cached is not None:
        if cached.meta.etag:
            headers["If-None-Match"] = cached.meta.etag
        if cached.meta.last_modified:
            headers["If-Modified-Since"] = cached.meta.last_modified
    return headers


def _unreachable(exc: FetchError) -> bool:
    """True when a failure means "the server cannot be reached now" (so a cached copy serves)."""
    if exc.no_answer:
        return True
    if exc.status is None or isinstance(exc, TooLargeError):
        return False  # a refused URL, a redirect loop, an untrusted certificate; too large
    if isinstance(exc.__cause__, requests.ConnectionError | requests.Timeout):
        return True  # the body broke off
    return exc.status == 429 or exc.status >= 500


def _reason(exc: FetchError) -> str:
    """The message of `exc` without its leading "<url>: "."""
    text = str(exc)
    prefix = f"{exc.url}: "
    return text[len(prefix) :] if exc.url and text.startswith(prefix) else text


def _rank(terms: str, entry: Entry, fold: Callable[[str], str]) -> int | None:
    """How well `entry` matches `terms`: 0 in the title, 1 with the authors, 2 with the
    subjects, 3 only with the summary too; None when some word is nowhere."""
    fields = [entry.title, " ".join(entry.authors), " ".join(entry.categories), entry.summary]
    for rank in range(len(fields)):
        if matches(terms, *fields[: rank + 1], fold=fold):
            return rank
    return None


class CatalogClient:
    """Browse, page through and search OPDS catalogues, online or from the offline cache.

    Args:
        http: the HTTP client (its rules hold for every request).
        cache: where feeds, descriptions and covers are kept.
        credentials: the caller's credential store, looked up by catalogue origin.
        fold: how text is folded for the offline search (default: case and apostrophes; the
            application gives its own, which also folds Uzbek Cyrillic into Latin).
        tokens: the bearer token for a URL under the library server the person is signed in
            to, or None (`sync.auth.TokenLookup`).
    """

    def __init__(
        self,
        http: HttpClient,
        cache: FeedCache,
        credentials: Credentials | None = None,
        *,
        fold: Callable[[str], str] = fold,
        tokens: TokenLookup | None = None,
    ) -> None:
        self.http = http
        self.cache = cache
        self.credentials = credentials
        self.fold = fold
        self.tokens = tokens
        self._auths: dict[str, requests.auth.AuthBase] = {}  # by origin, once signed in
        self._refused_tokens: set[str] = set()

    # -- feeds ---------------------------------------------------------------------------------

    def feed(self, url: str, *, offline: bool = False) -> FeedResult:
        """The feed at `url`: revalidated online, from the cache offline or when unreachable.

        Raises:
            CatalogUnavailable: offline or unreachable, and never fetched before.
            AuthenticationRequired: the server asks for credentials not given, or refused them.
            CatalogError: the document is not a feed (a cached good copy is kept).
            FetchError: another HTTP failure (a 404, a refused URL, too large...).
        """

        def read(data: bytes, final_url: str, content_type: str) -> Feed:
            return parse_feed(data, final_url, content_type)

        got = self._get(url, "feed", FEED_LIMIT, read, offline=offline)
        feed = got.value
        assert isinstance(feed, Feed)
        return FeedResult(feed, got.from_cache, got.stale, got.notes, got.cached.meta.fetched_at)

    def pages(
        self, url: str, limit: int = DEFAULT_PAGE_LIMIT, *, offline: bool = False
    ) -> Iterator[FeedResult]:
        """The feed at `url` and its next pages (`rel=next`, OPDS 2 ``next``), at most `limit`.

        A next link that leads back to a page already given ends the walk.
        """
        seen: set[str] = set()
        current = url
        count = 0
        while current and count < limit:
            if current in seen:
                log.info("paging stopped: %s links back to a page already read", redact_url(url))
                return
            seen.add(current)
            result = self.feed(current, offline=offline)
            yield result
            count += 1
            current = result.feed.next_url

    def cover(self, url: str, *, offline: bool = False) -> CoverResult:
        """A cover or thumbnail (at most COVER_LIMIT bytes), cached like a feed.

        Raises:
            the same errors as `feed`.
        """

        def read(data: bytes, final_url: str, content_type: str) -> bytes:
            return data

        got = self._get(url, "cover", COVER_LIMIT, read, offline=offline)
        return CoverResult(got.cached.body, got.cached.meta.content_type, got.from_cache, got.stale)

    # -- search --------------------------------------------------------------------------------

    def search(self, feed_or_url: Feed | str, terms: str, *, offline: bool = False) -> FeedResult:
        """Search the catalogue of `feed_or_url` for `terms`.

        Online, the feed's search link is used: an OpenSearch description (fetched and cached
        like a feed) or an OPDS 2 templated link. Offline, when the server cannot be reached or
        the catalogue has no search, the cached entries of the catalogue (every cached feed of the
        same origin) are searched, with case and apostrophe forms folded; the result is stale.

        A search answered 404 found nothing (calibre-server answers ``404 "No books found"``): the
        result is an empty feed, not an error.

        Raises:
            ValueError: `terms` is empty.
            AuthenticationRequired, CatalogError, FetchError: as for `feed`, online.
        """
        if not terms.strip():
            raise ValueError("search: no words to search for")
        base_url = feed_or_url.url if isinstance(feed_or_url, Feed) else feed_or_url
        notes: list[str] = []
        if not offline:
            try:
                base = feed_or_url if isinstance(feed_or_url, Feed) else self.feed(feed_or_url).feed
                search_url = self._search_url(base, terms)
                if search_url:
                    result = self._search_online(search_url, terms)
                    if not result.stale:
                        return result
                    notes.extend(result.notes)
                else:
                    notes.append(f"{redact_url(base.url)}: the catalogue has no search")
            except CatalogUnavailable as exc:
                notes.append(str(exc))
        return self._search_cached(base_url, terms, offline=offline, notes=tuple(notes))

    def _search_online(self, search_url: str, terms: str) -> FeedResult:
        """The server's answer to a search; a 404 is an empty result (nothing found)."""
        try:
            return self.feed(search_url)
        except FetchError as exc:
            if exc.status != 404:
                raise
        shown = redact_url(search_url)
        feed = Feed(url=shown, title=f"Search: {terms.strip()}", kind="acquisition")
        notes = (f"{shown}: nothing found (the server answered 404)",)
        return FeedResult(feed, from_cache=False, stale=False, notes=notes)

    def cached_entries(self, url: str) -> Iterator[Entry]:
        """Every entry of the cached feeds of the catalogue of `url` (same origin), once each."""
        origin = origin_of(url)
        seen: set[str] = set()
        for meta in self.cache.entries(kind="feed"):
            if origin_of(meta.url) != origin:
                continue
            cached = self.cache.get(meta.url)
            if cached is None:
                continue
            try:
                feed = parse_feed(cached.body, cached.meta.final_url, cached.meta.content_type)
            except CatalogError as exc:
                log.warning("feed cache: %s", exc)
                continue
            for entry in (*feed.entries, *(e for group in feed.groups for e in group.entries)):
                key = entry.id or entry.title
                if key not in seen:
                    seen.add(key)
                    yield entry

    def _search_url(self, base: Feed, terms: str) -> str:
        """The search URL for `terms` from `base`'s search link, "" when it has none."""
        link = base.search_link
        if link is None:
            return ""
        if "opensearchdescription" in link.type.lower() and not link.templated:
            got = self._get(
                link.href, "opensearch", FEED_LIMIT, lambda d, u, _t: parse_opensearch(d, u)
            )
            template = got.value
            assert hasattr(template, "url_for")
            return str(template.url_for(terms))
        return templated_search_url(link, terms)

    def _search_cached(
        self, url: str, terms: str, *, offline: bool, notes: tuple[str, ...]
    ) -> FeedResult:
        ranked: list[tuple[int, int, Entry]] = []
        for position, entry in enumerate(self.cached_entries(url)):
            rank = _rank(terms, entry, self.fold)
            if rank is not None:
                ranked.append((rank, position, entry))
        found = tuple(entry for _, _, entry in sorted(ranked, key=lambda item: item[:2]))
        why = "offline" if offline else "the server's search could not be used"
        feed = Feed(
            url=redact_url(url),
            title=f"Search: {terms.strip()}",
            kind="acquisition",
            entries=found,
        )
        line = f"{why}: searched the cached feeds of {origin_of(url)}, {len(found)} found"
        return FeedResult(feed, from_cache=True, stale=True, notes=(*notes, line))

    # -- fetching with the cache ---------------------------------------------------------------

    def _get(
        self,
        url: str,
        kind: str,
        limit: int,
        read: Callable[[bytes, str, str], T],
        *,
        offline: bool = False,
    ) -> _Got:
        """`read` the body at `url`: fresh when the server answers, else the cached copy.

        A cached copy is revalidated (ETag, Last-Modified) and a 304 serves it; offline, or when
        the server cannot be reached, the cached copy serves as stale.

        Raises:
            CatalogUnavailable: no answer and nothing in the cache.
            FetchError: an answer other than 200 or 304, or a failure that is not "no answer".
        """
        shown = redact_url(url)
        check_url(shown)
        cached = self.cache.get(url)
        if offline:
            if cached is None:
                raise CatalogUnavailable(
                    f"{shown}: offline, and this {kind} was never fetched (not in the cache)",
                    url=shown,
                )
            note = f"offline: the copy fetched at {cached.meta.fetched_at}"
            return self._from_cache(cached, read, stale=True, notes=(note,))
        try:
            fetched = self._fetch(url, _request_headers(kind, cached), limit)
            if fetched.status == 304 and cached is None:  # a 304 we did not ask for
                fetched = self._fetch(url, {}, limit)
        except FetchError as exc:
            if not _unreachable(exc):
                raise
            return self._unreachable_copy(shown, kind, cached, read, exc)
        if fetched.status == 304 and cached is not None:
            touched = self.cache.touch(url) or cached
            return self._from_cache(touched, read, stale=False, notes=())
        if fetched.status != 200:
            raise FetchError(
                f"{shown}: unexpected answer {fetched.status} for a {kind}",
                url=shown,
                status=fetched.status,
            )
        return self._keep(url, kind, fetched, read)

    def _unreachable_copy(
        self,
        shown: str,
        kind: str,
        cached: Cached | None,
        read: Callable[[bytes, str, str], T],
        exc: FetchError,
    ) -> _Got:
        """The cached copy, stale, when the server cannot be reached.

        Raises:
            CatalogUnavailable: there is no cached copy.
        """
        if cached is None:
            raise CatalogUnavailable(
                f"{shown}: the server cannot be reached ({_reason(exc)}) "
                f"and this {kind} is not in the offline cache",
                url=shown,
            ) from exc
        note = f"the server cannot be reached ({_reason(exc)}): the copy fetched at " + (
            cached.meta.fetched_at
        )
        log.info("%s: served from the cache, stale", shown)
        return self._from_cache(cached, read, stale=True, notes=(note,))

    def _keep(
        self, url: str, kind: str, fetched: Fetched, read: Callable[[bytes, str, str], T]
    ) -> _Got:
        """`read` a fresh body, then keep it in the cache (a copy that cannot be read is not)."""
        content_type = fetched.headers.get("Content-Type", "")
        value = read(fetched.content, fetched.url, content_type)
        meta = self.cache.put(
            url,
            fetched.content,
            final_url=fetched.url,
            content_type=content_type,
            etag=fetched.headers.get("ETag", ""),
            last_modified=fetched.headers.get("Last-Modified", ""),
            kind=kind,
        )
        return _Got(Cached(meta, fetched.content), value, False, False, ())

    @staticmethod
    def _from_cache(
        cached: Cached, read: Callable[[bytes, str, str], T], *, stale: bool, notes: tuple[str, ...]
    ) -> _Got:
        value = read(cached.body, cached.meta.final_url, cached.meta.content_type)
        return _Got(cached, value, True, stale, notes)

    # -- authentication ------------------------------------------------------------------------

    def _fetch(self, url: str, headers: dict[str, str], limit: int) -> Fetched:
        """Fetch with the library server's token under its address, else with the origin's
        credentials once the server has asked for them."""
        origin = origin_of(url)
        known = self._auths.get(origin)
        token = self.tokens(url) if known is None and self.tokens is not None else None
        bearer = BearerAuth(token) if token and token not in self._refused_tokens else None
        try:
            return self.http.fetch(url, limit=limit, headers=headers, auth=known or bearer)
        except FetchError as exc:
            if exc.status != 401:
                raise
            challenge = exc
        if bearer is not None and token:
            self._refused_tokens.add(token)  # expired or revoked: saved credentials may serve
            log.info("%s: the library server refused its token", origin)
        shown = redact_url(url)
        header, document, notes = _read_challenge(challenge, shown)
        scheme = challenge_scheme(header)
        realm = challenge_realm(header)
        pair = self.credentials.lookup(origin) if self.credentials is not None else None
        usable = scheme in ("basic", "digest", "")
        if known is not None or pair is None or not usable:
            raise AuthenticationRequired(
                shown,
                scheme=scheme,
                realm=realm,
                document=document,
                refused=known is not None,
                notes=notes,
            )
        auth = auth_for(scheme, *pair)
        try:
            fetched = self.http.fetch(url, limit=limit, headers=headers, auth=auth)
        except FetchError as exc:
            if exc.status == 401:
                raise AuthenticationRequired(
                    shown, scheme=scheme, realm=realm, document=document, refused=True, notes=notes
                ) from None
            raise
        self._auths[origin] = auth
        log.info("%s: signed in (%s)", origin, scheme or "basic")
        return fetched


def _read_challenge(
    error: FetchError, shown: str
) -> tuple[str, AuthDocument | None, tuple[str, ...]]:
    """A 401's ``WWW-Authenticate`` and its Authentication for OPDS document, if it has one."""
    header = error.headers.get("WWW-Authenticate", "")
    content_type = error.headers.get("Content-Type", "")
    if not is_auth_document_type(content_type) or not error.content:
        return header, None, ()
    if len(error.content) > MAX_AUTH_DOCUMENT:
        return header, None, (f"{shown}: the authentication document is too large",)
    try:
        return header, parse_auth_document(error.content, shown), ()
    except ValueError as exc:
        return header, None, (str(exc),)
