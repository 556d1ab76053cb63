"""`mutolaa download URL` and `mutolaa downloads`: the persistent download queue."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from app.cli.base import EXIT_FAILED, EXIT_OK, CommandBase
from app.core.tasks import Progress, no_progress
from app.library.downloads import DownloadQueue, QueuedDownload
from app.services.downloading import DownloadProgressFn, recover_interrupted, run_queue
from app.services.library import Library


class DownloadCommands(CommandBase):
    """The `download` and `downloads` commands."""

    def cmd_download(self, library: Library) -> int:
        queue = DownloadQueue(library.store)
        download_id = queue.enqueue(
            self.args.url, title=self.args.title or "", priority=self.args.priority
        )
        handled = run_queue(library, only=[download_id], progress=self._download_progress())
        self.done_progress()
        item = handled[0] if handled else queue.get(download_id)
        return self._report_downloads([item])

    def cmd_downloads(self, library: Library) -> int:
        queue = DownloadQueue(library.store)
        if not self.args.resume:
            recover_interrupted(library)  # rows a kill left "running", unless a run is going on
            items = queue.list()
            if self.json:
                self.emit([_download_dict(d) for d in items])
            elif not items:
                self.say("No downloads. Add one with `mutolaa download URL`.")
            for item in items:
                self.say(_download_line(item))
            return EXIT_OK
        handled = run_queue(library, progress=self._download_progress())
        self.done_progress()
        if not handled:
            self.say("Nothing queued.")
        return self._report_downloads(handled)

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
                print(f"mutolaa: download failed: {item.url}: {item.error}", file=self.err)
            elif item.state == "queued" and item.error:
                print(
                    f"mutolaa: download interrupted, kept in the queue: {item.error}; "
                    "run `mutolaa downloads --resume` to go on",
                    file=self.err,
                )
            else:
                self.say(_download_line(item))
        return EXIT_OK if all(d.state == "done" for d in items) else EXIT_FAILED


def _download_dict(item: QueuedDownload) -> dict[str, Any]:
    """A queued download as JSON-ready data."""
    return asdict(item)


def _download_line(item: QueuedDownload) -> str:
    size = f"{item.received}/{item.total}" if item.total else f"{item.received}/?"
    book = f"  book {item.book_id[:8]}" if item.book_id else ""
    error = f"  — {item.error}" if item.error else ""
    name = item.title or item.url
    return f"{item.id[:8]}  {item.state:<9} {size:>21} B  p{item.priority}  {name}{book}{error}"
