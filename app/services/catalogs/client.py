"""The catalogue client of a library: HTTP, the offline feed cache and the profile's credentials.

The library server the profile is signed in to gets its sync token under its address
(`library_server_token`): a catalogue open to its accounts only (``mutolaa-server serve
--catalog accounts``) opens without the password typed again. Other catalogues get the saved
user name and password, when the server asks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from app.core.private import private_folder
from app.core.textfold import fold
from app.library.catalogs import CatalogStore
from app.library.sync_state import SyncState
from app.services.session import Library, Session
from sync.auth import TokenLookup, origin_of
from sync.catalog import CatalogClient
from sync.feed_cache import FeedCache
from sync.http import HttpClient, HttpPolicy

#: The policy of interactive use (the command line): a person waits, so few retries.
INTERACTIVE_POLICY = HttpPolicy(max_retries=1, backoff_max=2.0)


def feed_cache_folder(library: Library) -> Path:
    """Where the library keeps the catalogue feeds and covers it has seen (a cache)."""
    return library.paths.cache / "catalogs"


def library_server_token(library: Library, profile_id: int) -> TokenLookup:
    """The profile's sync token for URLs under the address of the library server it is signed
    in to (read at each call: a sign-in or out meanwhile counts), None for any other URL."""
    state = SyncState(library.store, profile_id)

    def token(url: str) -> str | None:
        account = state.account()
        if account is None or not account.token or not _under(url, account.server_url):
            return None
        return account.token

    return token


def _under(url: str, base: str) -> bool:
    """True when `url` is `base` or below it (same origin, and its path starts with base's)."""
    try:
        if origin_of(url) != origin_of(base):
            return False
        path = urlsplit(base).path.rstrip("/") + "/"
        return (urlsplit(url).path.rstrip("/") + "/").startswith(path)
    except ValueError:
        return False


@contextmanager
def catalog_client(
    session: Session, *, policy: HttpPolicy | None = None
) -> Iterator[CatalogClient]:
    """A `CatalogClient` for `library`: feeds cached under its cache folder, credentials from the
    profile's saved catalogues, and the profile's sync token for its library server. The HTTP
    session is closed when the block ends."""
    library, profile_id = session.library, session.profile_id
    credentials = CatalogStore(library.store, profile_id)
    folder = feed_cache_folder(library)
    private_folder(folder)  # 0700 before the cache makes it (it leaves the mode to the umask)
    with HttpClient(policy or INTERACTIVE_POLICY) as http:
        yield CatalogClient(
            http,
            FeedCache(folder),
            credentials,
            fold=fold,
            tokens=library_server_token(library, profile_id),
        )
