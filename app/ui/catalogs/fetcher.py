"""The catalogue browser's network work, and the one sentence a failed request is shown as.

Feeds and searches run on one task runner, covers on another (so a page of covers never holds up
the next feed), each with its own `CatalogClient`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack

from PySide6.QtCore import QObject

from app.core.errors import MutolaaError
from app.services.catalogs.client import catalog_client
from app.services.session import Session
from app.ui.catalogs.model import CoverFetch
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from sync.auth import AuthenticationRequired
from sync.catalog import CatalogClient, CatalogUnavailable, FeedResult
from sync.errors import CatalogError, FetchError, SyncError
from sync.opds.model import Feed

log = logging.getLogger(__name__)


class ClientSlot:
    """One `CatalogClient`, opened by the first task that needs it and closed by `close`.

    Only the tasks of one runner (one worker thread at a time, in order) use it, so the HTTP
    session and the signed-in state are never shared between threads.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._stack: ExitStack | None = None
        self._client: CatalogClient | None = None

    def client(self) -> CatalogClient:
        """The client, opened now if it is not."""
        if self._client is None:
            self._stack = ExitStack()
            self._client = self._stack.enter_context(catalog_client(self._session))
        return self._client

    def close(self) -> None:
        """Close the HTTP session; the next task opens a new one (new credentials apply)."""
        stack, self._stack, self._client = self._stack, None, None
        if stack is not None:
            stack.close()


def _ignore(_result: object) -> None:
    """A background task whose outcome needs no answer."""


def problem_text(error: BaseException, name: str) -> str:
    """One sentence for a failed catalogue request to the server called `name`."""
    if isinstance(error, CatalogUnavailable):
        return ui_text(
            "“{name}” cannot be reached, and this page was not opened before, "
            "so there is no offline copy of it."
        ).format(name=name)
    if isinstance(error, AuthenticationRequired):
        if error.refused:
            return ui_text(
                "“{name}” refused the user name and password: "
                "change them in Settings → Library servers."
            ).format(name=name)
        if error.scheme and error.scheme not in ("basic", "digest"):
            return ui_text(
                "“{name}” asks for a kind of sign-in Mutolaa cannot do ({scheme})."
            ).format(name=name, scheme=error.scheme)
        return ui_text(
            "“{name}” asks for a user name and password: add them in Settings → Library servers."
        ).format(name=name)
    if isinstance(error, CatalogError):
        return ui_text("“{name}” sent a page Mutolaa cannot read ({problem}).").format(
            name=name, problem=error.problem
        )
    if isinstance(error, FetchError) and error.status in (404, 410):
        return ui_text("“{name}” has no such page (it may have been moved or removed).").format(
            name=name
        )
    if isinstance(error, SyncError | MutolaaError):
        return ui_text("“{name}” could not be read: {reason}").format(name=name, reason=error)
    log.error("catalogue browser: unexpected failure", exc_info=error)
    return ui_text("Something went wrong: {error}").format(error=error)


class CatalogFetcher(QObject):
    """Fetches feeds, searches and covers in the background for the catalogue browser.

    Args:
        session: the library (its cache folder for the feeds) and whose saved credentials.
        parent: the owner.
    """

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._feeds = TaskRunner(self)  # feeds and searches, one at a time
        self.cover_runner = TaskRunner(self)  # covers, beside the feeds
        self._feed_slot = ClientSlot(session)
        self._cover_slot = ClientSlot(session)

    def cover_fetch(self) -> CoverFetch:
        """What the cover caches call on the covers' runner to fetch a cover."""
        slot = self._cover_slot

        def fetch_cover(url: str, offline: bool) -> bytes | None:
            return slot.client().cover(url, offline=offline).data

        return fetch_cover

    def fetch(
        self,
        url: str,
        terms: str,
        base: Feed | str | None,
        *,
        offline: bool,
        done: Callable[[FeedResult], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Fetch the feed at `url`, or search `base` (else `url`) for `terms` when given."""
        slot = self._feed_slot
        work: Callable[[], FeedResult]
        if terms:
            search_in = base if base is not None else url

            def work() -> FeedResult:
                return slot.client().search(search_in, terms, offline=offline)

        else:

            def work() -> FeedResult:
                return slot.client().feed(url, offline=offline)

        self._feeds.submit(work, done, failed)

    def close_sessions(self) -> None:
        """Close the HTTP sessions after the work queued; the next fetch opens new ones."""
        for runner, slot in (
            (self._feeds, self._feed_slot),
            (self.cover_runner, self._cover_slot),
        ):
            runner.submit(slot.close, _ignore)

    @property
    def busy(self) -> bool:
        """True while feeds or covers are being fetched."""
        return self._feeds.busy or self.cover_runner.busy

    def shutdown(self, msecs: int = 10_000) -> None:
        """Take no new work, wait for what runs, and close the HTTP sessions."""
        self.close_sessions()
        for runner in (self._feeds, self.cover_runner):
            runner.close(msecs)
