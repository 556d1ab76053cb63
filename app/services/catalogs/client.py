"""The catalogue client of a library: HTTP, the offline feed cache and the profile's credentials."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.core.private import private_folder
from app.core.textfold import fold
from app.library.catalogs import CatalogStore
from app.services.session import Library, Session
from sync.catalog import CatalogClient
from sync.feed_cache import FeedCache
from sync.http import HttpClient, HttpPolicy

#: The policy of interactive use (the command line): a person waits, so few retries.
INTERACTIVE_POLICY = HttpPolicy(max_retries=1, backoff_max=2.0)


def feed_cache_folder(library: Library) -> Path:
    """Where the library keeps the catalogue feeds and covers it has seen (a cache)."""
    return library.paths.cache / "catalogs"


@contextmanager
def catalog_client(
    session: Session, *, policy: HttpPolicy | None = None
) -> Iterator[CatalogClient]:
    """A `CatalogClient` for `library`: feeds cached under its cache folder, credentials from the
    profile's saved catalogues. The HTTP session is closed when the block ends."""
    library, profile_id = session.library, session.profile_id
    credentials = CatalogStore(library.store, profile_id)
    folder = feed_cache_folder(library)
    private_folder(folder)  # 0700 before the cache makes it (it leaves the mode to the umask)
    with HttpClient(policy or INTERACTIVE_POLICY) as http:
        yield CatalogClient(http, FeedCache(folder), credentials, fold=fold)
