"""`mutolaa download ENTRY-OR-URL` and `mutolaa downloads`: the persistent download queue."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from app.cli.base import EXIT_FAILED, EXIT_OK, CommandBase
from app.core.errors import UserError
from app.core.tasks import Progress, no_progress
from app.library.catalogs import CatalogStore, split_credentials
from app.library.downloads import DownloadQueue, QueuedDownload
from app.services.catalogs.client import catalog_client
from app.services.catalogs.download_actions import apply
from app.services.catalogs.entry_downloads import catalog_of_url, find_entry, queue_entry
from app.services.catalogs.queue_runner import DownloadProgressFn, recover_interrupted, run_queue
from app.services.session import Session


class DownloadCommands(CommandBase):
    """The `download` and `downloads` commands."""

    def cmd_download(self, session: Session) -> int:
        library = session.library
        queue = DownloadQueue(library.store)
        download_id = self._queue_download(session, queue, self.args.what)
        if self.args.later:
            item = queue.get(download_id)
            if self.json:
                self.emit([_download_dict(item)])
            else:
                self.say(_download_line(item))
            return EXIT_OK
        handled = run_queue(
            session,
            only=[download_id],
            progress=self._download_progress(),
            rate_limit=self._rate_limit(),
        )
        self.done_progress()
        item = handled[0] if handled else queue.get(download_id)
        return self._report_downloads([item])

    def _queue_download(self, session: Session, queue: DownloadQueue, what: str) -> str:
        """Queue a URL, or an entry of a saved catalogue (by id, acquisition URL or title)."""
        library = session.library
        catalogs = CatalogStore(library.store, session.profile_id)
        title, priority = self.args.title or "", self.args.priority
        origin = catalog_of_url(catalogs, what) if _is_url(what) else None
        if self.args.catalog:
            chosen = [catalogs.get(self.args.catalog)]
        else:  # the catalogue at the URL's origin first; an entry id may look like a URL too
            chosen = sorted(catalogs.list(), key=lambda c: origin is None or c.id != origin.id)
        with catalog_client(session) as client:
            for catalog in chosen:
                entry = find_entry(client, catalog, what)
                if entry is not None:
                    if title:
                        entry = replace(entry, title=title)
                    return queue_entry(
                        queue, catalog, entry, priority=priority, profile_id=session.profile_id
                    )
        if not _is_url(what):
            where = ", ".join(c.name for c in chosen) or "no saved catalogue"
            raise UserError(
                f"{what!r} is neither a URL nor an entry of the feeds visited in {where} "
                "(browse the catalogue first, or give the entry's id from catalog browse --json)"
            )
        url, user, _password = split_credentials(what)  # never keep a password in the queue
        if user and origin is None:
            raise UserError(
                "the URL carries a password: save the server with `mutolaa catalog add` first, "
                "so the password is kept in the credential store, not in the queue"
            )
        return queue.enqueue(
            url,
            title=title,
            catalog_id=origin.id if origin is not None else None,
            priority=priority,
            profile_id=session.profile_id,
        )

    def _rate_limit(self) -> float | None:
        limit = getattr(self.args, "limit_rate", None)
        return float(limit) * 1024 if limit else None

    def cmd_downloads(self, session: Session) -> int:
        library = session.library
        queue = DownloadQueue(library.store)
        action = getattr(self.args, "action", None)
        if action:
            return self._downloads_action(session, queue, action)
        if not self.args.resume:
            recover_interrupted(library)  # rows a kill left "running", unless a run is going on
            items = queue.list(session.profile_id)
            if self.json:
                self.emit([_download_dict(d) for d in items])
            elif not items:
                self.say("No downloads. Add one with `mutolaa download URL`.")
            for item in items:
                self.say(_download_line(item))
            return EXIT_OK
        handled = run_queue(
            session, progress=self._download_progress(), rate_limit=self._rate_limit()
        )
        self.done_progress()
        if not handled:
            self.say("Nothing queued.")
        return self._report_downloads(handled)

    def _downloads_action(self, session: Session, queue: DownloadQueue, action: str) -> int:
        """pause, resume, retry, cancel, remove or priority of one download."""
        if not self.args.id:
            raise UserError(
                f"downloads {action}: which download? give its id (see `mutolaa downloads`)"
            )
        before = queue.get(self.args.id)
        changed = apply(session, before.id, action, value=self.args.value)
        if changed is None:
            self.say(f"removed    {before.id[:8]}  {before.title or before.url}")
        elif self.json:
            self.emit(_download_dict(changed))
        else:
            self.say(_download_line(changed))
        return EXIT_OK

    def _download_progress(self) -> DownloadProgressFn | None:
        bar = self.progress()
        if bar is no_progress:
            return None

        def show(item: QueuedDownload, event: Any) -> None:
            label = item.title or item.url.rsplit("/", 1)[-1]
            bar(Progress("download", event.received, event.total or 0, label))

        return show

    def _report_downloads(self, items: list[QueuedDownload]) -> int:
        if self.json:
            self.emit([_download_dict(d) for d in items])
        for item in items:
            if item.state == "failed":
                where = "" if item.error.startswith(item.url) else f"{item.url}: "
                print(f"mutolaa: download failed: {where}{item.error}", file=self.err)
            elif item.state == "queued" and item.error:
                print(
                    f"mutolaa: download interrupted, kept in the queue: {item.error}; "
                    "run `mutolaa downloads --resume` to go on",
                    file=self.err,
                )
            else:
                self.say(_download_line(item))
        return EXIT_OK if all(d.state == "done" for d in items) else EXIT_FAILED


def _is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


def _download_dict(item: QueuedDownload) -> dict[str, Any]:
    """A queued download as JSON-ready data."""
    return asdict(item)


def _download_line(item: QueuedDownload) -> str:
    size = f"{item.received}/{item.total}" if item.total else f"{item.received}/?"
    book = f"  book {item.book_id[:8]}" if item.book_id else ""
    error = f"  — {item.error}" if item.error else ""
    name = item.title or item.url
    return f"{item.id[:8]}  {item.state:<9} {size:>21} B  p{item.priority}  {name}{book}{error}"
