"""Run the download queue: fetch, verify, import, and remember which catalogue entry it was.

`run_queue` takes the queued downloads of a profile in priority order. Each is fetched with
`sync.downloads.download` into the library's ``downloads`` folder (next to the database, so a
power cut keeps the partial file and the next run resumes it), verified (size and the
catalogue's checksums), imported and indexed with the `Importer`, and marked done with its book.
A file that fails verification or import is never put in the library: its row is marked failed
with the one-line reason. A failure of the network (a connection that kept breaking, no
connection, 5xx) leaves the row queued with the reason, and its partial file resumes on the next
run; so does a disk short of the free space downloads leave (the settings'
`min_free_disk_bytes`). A body longer than declared (or than the settings'
`max_download_bytes`) fails its row. A cancelled run puts the current download back in the
queue and leaves the rest queued. Retries of a broken connection belong to `sync.downloads`;
this loop tries each queued row once per run.
"""

from __future__ import annotations

import contextlib
import logging
import math
import sys
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from app.core.errors import MutolaaError, UserError
from app.core.models import Book
from app.core.private import private_folder
from app.core.settings import Settings
from app.core.tasks import CancelToken
from app.documents.formats import suffix_by_content
from app.library.catalogs import Catalog, CatalogStore
from app.library.downloads import DownloadQueue, QueuedDownload
from app.services.catalogs.client import library_server_token
from app.services.library.importer import Importer
from app.services.library_locks import check_may_download
from app.services.session import Library, Session
from sync.auth import BearerAuth, ChallengeAuth, origin_of
from sync.downloads import Progress as TransferProgress
from sync.downloads import download
from sync.errors import (
    DownloadCancelled,
    DownloadError,
    FetchError,
    LowDiskSpaceError,
    SyncError,
    VerificationError,
)
from sync.http import Auth, HttpClient, redact_url
from sync.naming import split_extension
from sync.partials import discard_partial, private_opener

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

log = logging.getLogger(__name__)

#: Called with the download and how far its transfer is.
DownloadProgressFn = Callable[[QueuedDownload, TransferProgress], None]
#: How often the bytes received are written to the queue (seconds).
SAVE_EVERY = 1.0


def downloads_folder(library: Library) -> Path:
    """Where partial and finished downloads wait to be imported."""
    return library.paths.data / "downloads"


@contextlib.contextmanager
def queue_lock(library: Library, *, wait: bool = False) -> Iterator[bool]:
    """Hold the lock of the library's download queue (one runner at a time, across processes).

    Yields True when held, False when another process holds it and ``wait`` is False. The
    operating system releases it when the holder dies, even by SIGKILL.
    """
    folder = downloads_folder(library)
    private_folder(folder)
    with open(folder / ".queue.lock", "a+b", opener=private_opener) as handle:
        try:
            if sys.platform == "win32":
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError:
            yield False
            return
        yield True


def recover_interrupted(library: Library) -> int:
    """Put back in the queue the downloads a crash or a kill left running, unless one is running.

    Returns how many were put back (0 when another process is running the queue).
    """
    with queue_lock(library) as held:
        return DownloadQueue(library.store).recover() if held else 0


def run_queue(
    session: Session,
    http: HttpClient | None = None,
    *,
    cancel: CancelToken | None = None,
    progress: DownloadProgressFn | None = None,
    limit: int | None = None,
    only: Collection[str] | None = None,
    rate_limit: float | None = None,
) -> list[QueuedDownload]:
    """Run queued downloads (highest priority first) until none is left, `limit` or a cancel.

    Args:
        library: the open library.
        http: the HTTP client (a new one, closed at the end, when None).
        cancel: stops the run at the next chunk; the current download goes back to the queue.
        progress: called with each download's transfer progress.
        limit: the most downloads to run.
        only: run only these download ids.
        profile_id: whose queue.
        rate_limit: the most bytes per second (a metered link), None for no limit.

    Returns:
        The downloads this run handled, in their final state.

    Raises:
        UserError: another process is running this library's downloads.
    """
    library, profile_id = session.library, session.profile_id
    with queue_lock(library) as held:
        if not held:
            raise UserError(
                f"{downloads_folder(library)}: another Mutolaa is running these downloads; "
                "wait for it to finish"
            )
        DownloadQueue(library.store).recover()
        return _run_locked(
            library,
            session.settings,
            http,
            cancel=cancel,
            progress=progress,
            limit=limit,
            only=only,
            profile_id=profile_id,
            rate_limit=rate_limit,
        )


def _run_locked(
    library: Library,
    settings: Settings,
    http: HttpClient | None,
    *,
    cancel: CancelToken | None,
    progress: DownloadProgressFn | None,
    limit: int | None,
    only: Collection[str] | None,
    profile_id: int,
    rate_limit: float | None,
) -> list[QueuedDownload]:
    queue = DownloadQueue(library.store)
    own = http is None
    client = http or HttpClient()
    importer: Importer | None = None
    handled: list[QueuedDownload] = []
    try:
        while limit is None or len(handled) < limit:
            if cancel is not None and cancel.cancelled:
                break
            item = _next(queue, profile_id, only, handled)
            if item is None:
                break
            try:  # before each: the quota may be reached by what this run brought
                check_may_download(library, profile_id, downloads_folder(library))
            except UserError:
                if not handled:
                    raise
                break
            if importer is None:  # a PDF's own annotations become the downloader's
                importer = Importer(library, profile_id=profile_id)
            stopped = _run_one(
                library,
                queue,
                item,
                settings=settings,
                client=client,
                importer=importer,
                cancel=cancel,
                progress=progress,
                rate_limit=rate_limit,
            )
            handled.append(queue.get(item.id))
            if stopped:
                break
    finally:
        if importer is not None:
            importer.close()
        if own:
            client.close()
    return handled


def _next(
    queue: DownloadQueue,
    profile_id: int,
    only: Collection[str] | None,
    handled: list[QueuedDownload],
) -> QueuedDownload | None:
    """The next queued download not yet tried by this run (each is tried once per run)."""
    tried = {d.id for d in handled}
    for item in queue.list(profile_id):  # running, then queued by priority and age
        if item.state == "queued" and item.id not in tried and (only is None or item.id in only):
            return item
    return None


def _run_one(
    library: Library,
    queue: DownloadQueue,
    item: QueuedDownload,
    *,
    settings: Settings,
    client: HttpClient,
    importer: Importer,
    cancel: CancelToken | None,
    progress: DownloadProgressFn | None,
    rate_limit: float | None,
) -> bool:
    """Run one download; True when the run was cancelled.

    The row's state is read back each time progress is saved: a download paused or cancelled
    meanwhile (from the window or `mutolaa downloads pause`, in this process or another) stops
    at once, keeping its partial file when paused and deleting it when cancelled.
    """
    queue.mark_running(item.id)
    last_saved = -math.inf  # never: monotonic time counts from boot
    set_aside: list[str] = []  # "paused" or "cancelled" when the person did so during the run

    def on_progress(event: TransferProgress) -> None:
        nonlocal last_saved
        now = time.monotonic()
        if now - last_saved >= SAVE_EVERY or (event.total and event.received >= event.total):
            last_saved = now
            state = queue.progress(item.id, event.received, event.total)
            if state in ("paused", "cancelled") and not set_aside:
                set_aside.append(state)
        if progress is not None:
            progress(item, event)

    def stopped() -> bool:
        return (cancel is not None and cancel.cancelled) or bool(set_aside)

    try:
        result = download(
            item.url,
            downloads_folder(library),
            client=client,
            expected_size=item.expected_size,
            checksums=item.checksums or None,
            progress=on_progress,
            cancel=stopped,
            rate_limit=rate_limit,
            auth=_credentials(library, item),
            max_size=settings.max_download_bytes,
            min_free=settings.min_free_disk_bytes,
        )
    except DownloadCancelled:
        if set_aside:  # paused or cancelled by the person while it ran (maybe by another process)
            if set_aside[0] == "cancelled":
                discard_partial(downloads_folder(library), item.url)
            return False
        queue.mark_resumed(item.id)
        return True
    except SyncError as exc:
        log.info("download %s stopped: %s", redact_url(item.url), exc)
        if _transient(exc):
            queue.mark_interrupted(item.id, str(exc))
        else:
            queue.mark_failed(item.id, str(exc))
        return False
    queue.progress(item.id, result.size, result.size)
    _import_download(library, queue, item, importer, result.path)
    return False


def _import_download(
    library: Library, queue: DownloadQueue, item: QueuedDownload, importer: Importer, got: Path
) -> None:
    """Import a verified download with the catalogue entry it came from; the queue says how it
    ended (done with its book, or failed with why)."""
    source = _catalog_url(library, item) or item.url
    path = _named_by_content(got)
    try:
        report = importer.run([path], source=source)
    except MutolaaError as exc:
        queue.mark_failed(item.id, f"{got.name}: cannot import ({exc})")
        return
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    books = report.added + report.locked + report.duplicates
    if report.failures or not books:
        reason = "; ".join(problem for _, problem in report.failures) or "nothing imported"
        queue.mark_failed(item.id, f"{got.name}: {reason}")
        return
    book = books[0]
    if book not in report.duplicates:
        library.store.set_origin(book.id, source, item.entry_id)
        _fill_from_entry(library, book, item.metadata, split_extension(path.name)[0])
    elif item.entry_id and not book.source_entry:
        library.store.set_origin(book.id, source, item.entry_id)  # first catalogue origin
    queue.mark_done(item.id, book.id)


def _fill_from_entry(library: Library, book: Book, said: Mapping[str, Any], stem: str) -> None:
    """What the catalogue entry says fills what the file lacks: a title (the importer fell back
    to the file's name: calibre's "tracemonkey - Unknown_5"), authors, a language. A subtitle
    is kept after the title; several authors stay several."""
    title = str(said.get("title") or "").strip()
    subtitle = str(said.get("subtitle") or "").strip()
    if title and subtitle:
        title = f"{title}: {subtitle}"
    authors = [str(a).strip() for a in said.get("authors") or () if str(a).strip()]
    language = str(said.get("language") or "").strip().split("-")[0].lower()
    lacks_title = book.title == stem or not book.title.strip()
    wanted = (title and lacks_title) or (authors and not book.authors)
    if not wanted and not (language and not book.languages):
        return
    filled = library.store.fill_metadata(
        book.id,
        title=title if lacks_title else "",
        authors=authors,
        language=language if language.isalpha() else "",
    )
    if filled is not None:
        with library.indexing() as indexer:
            indexer.describe_book(filled)


def _named_by_content(path: Path) -> Path:
    """The downloaded file under the ending its bytes call for (the server may have said
    another type: calibre-web's plain FictionBook XML as application/fb2+zip)."""
    wanted = suffix_by_content(path)
    stem, ending = split_extension(path.name)
    if wanted is None or ending.lower() == wanted:
        return path
    renamed = path.with_name(stem + wanted)
    try:
        path.rename(renamed)
    except OSError as exc:
        log.info("%s: kept its name (%s)", path.name, exc)
        return path
    return renamed


def _transient(exc: SyncError) -> bool:
    """A failure of the network, not of the file: the download stays queued to resume later.

    A wrong size or checksum, a body longer than declared, a refused URL or a 4xx answer are
    final; a connection that kept breaking (sync says its bytes are kept to resume), no
    connection, 408, 429, 5xx and a disk short of free space (freed later) are not.
    """
    if isinstance(exc, LowDiskSpaceError):
        return True
    if isinstance(exc, VerificationError) or not isinstance(exc, DownloadError):
        return False
    cause = exc.__cause__
    if isinstance(cause, FetchError):
        if cause.status is None:
            return cause.no_answer  # not a refused URL, a redirect loop or a certificate
        return cause.status in {408, 429} or cause.status >= 500
    return "resume later" in str(exc)


def _credentials(library: Library, item: QueuedDownload) -> Auth | None:
    """The profile's sync token when the file is under its library server's address; else the
    credentials of the download's catalogue, when the file is at that catalogue's origin.

    A file on another host (a CDN, a publisher) gets no credentials: they belong to the library
    server, and `HttpClient` never forwards them across a redirect to another host either.
    """
    token = library_server_token(library, item.profile_id)(item.url)
    if token:
        return BearerAuth(token)
    catalog = _catalog(library, item)
    if catalog is None or not catalog.username or origin_of(catalog.url) != origin_of(item.url):
        return None
    return ChallengeAuth(catalog.username, catalog.password)


def _catalog_url(library: Library, item: QueuedDownload) -> str:
    catalog = _catalog(library, item)
    return catalog.url if catalog is not None else ""


def _catalog(library: Library, item: QueuedDownload) -> Catalog | None:
    """The catalogue the download was queued from, or None (none, or since removed)."""
    if item.catalog_id is None:
        return None
    return CatalogStore(library.store, item.profile_id).by_id(item.catalog_id)
