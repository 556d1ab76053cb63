"""`mutolaa download ENTRY-OR-URL` and `mutolaa downloads`: the persistent download queue."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from app.cli.base import EXIT_FAILED, EXIT_OK, Cli, Commands, add_command
from app.core.errors import UserError
from app.core.tasks import Progress, no_progress
from app.library.catalogs import CatalogStore, split_credentials
from app.library.downloads import DownloadQueue, QueuedDownload
from app.services.catalogs.client import catalog_client
from app.services.catalogs.download_actions import apply
from app.services.catalogs.entry_downloads import catalog_of_url, find_entry, queue_entry
from app.services.catalogs.queue_runner import DownloadProgressFn, recover_interrupted, run_queue
from app.services.session import Session


def add_download_commands(commands: Commands) -> None:
    """`download ENTRY-OR-URL` and `downloads [ACTION ID [N]] [--resume]`."""
    sub = add_command(
        commands,
        "download",
        "download a catalogue entry or a URL, verify it and import it "
        "(a saved catalogue's credentials are used)",
        cmd_download,
    )
    sub.add_argument(
        "what", metavar="ENTRY-OR-URL", help="a URL, or an entry's id or title in a saved catalogue"
    )
    sub.add_argument("--catalog", metavar="NAME", help="look for the entry in this catalogue")
    sub.add_argument("--title", metavar="T", help="the name shown in the queue")
    sub.add_argument("--priority", type=int, default=0, metavar="N", help="higher runs first")
    sub.add_argument(
        "--later", action="store_true", help="only queue it (run with `downloads --resume`)"
    )
    sub.add_argument("--limit-rate", type=float, metavar="KB/S", help="bandwidth limit")
    sub = add_command(
        commands,
        "downloads",
        "show the download queue, run it (--resume), or pause, resume, retry, cancel, remove, "
        "reprioritise or move up/down one download",
        cmd_downloads,
    )
    sub.add_argument(
        "action",
        nargs="?",
        choices=("pause", "resume", "retry", "cancel", "remove", "priority", "up", "down"),
        help="what to do with the download ID",
    )
    sub.add_argument("id", nargs="?", metavar="ID", help="a download id (or its first characters)")
    sub.add_argument("value", nargs="?", type=int, metavar="N", help="the new priority")
    sub.add_argument("--resume", action="store_true", help="run the queued downloads now")
    sub.add_argument("--limit-rate", type=float, metavar="KB/S", help="bandwidth limit")


def cmd_download(cli: Cli, session: Session) -> int:
    """`mutolaa download ENTRY-OR-URL`: queue it, then run it unless `--later`."""
    queue = DownloadQueue(session.library.store)
    download_id = _queue_download(cli, session, queue, cli.args.what)
    if cli.args.later:
        item = queue.get(download_id)
        if cli.json:
            cli.emit([_download_dict(item)])
        else:
            cli.say(_download_line(item))
        return EXIT_OK
    handled = run_queue(
        session,
        only=[download_id],
        progress=_download_progress(cli),
        rate_limit=_rate_limit(cli),
    )
    cli.done_progress()
    item = handled[0] if handled else queue.get(download_id)
    return _report_downloads(cli, [item])


def _queue_download(cli: Cli, session: Session, queue: DownloadQueue, what: str) -> str:
    """Queue a URL, or an entry of a saved catalogue (by id, acquisition URL or title)."""
    catalogs = CatalogStore(session.library.store, session.profile_id)
    title, priority = cli.args.title or "", cli.args.priority
    origin = catalog_of_url(catalogs, what) if _is_url(what) else None
    if cli.args.catalog:
        chosen = [catalogs.get(cli.args.catalog)]
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


def _rate_limit(cli: Cli) -> float | None:
    limit = getattr(cli.args, "limit_rate", None)
    return float(limit) * 1024 if limit else None


def cmd_downloads(cli: Cli, session: Session) -> int:
    """`mutolaa downloads`: the queue; `--resume` runs it; an action changes one download."""
    library = session.library
    queue = DownloadQueue(library.store)
    action = getattr(cli.args, "action", None)
    if action:
        return _downloads_action(cli, session, queue, action)
    if not cli.args.resume:
        recover_interrupted(library)  # rows a kill left "running", unless a run is going on
        items = queue.list(session.profile_id)
        if cli.json:
            cli.emit([_download_dict(d) for d in items])
        elif not items:
            cli.say("No downloads. Add one with `mutolaa download URL`.")
        for item in items:
            cli.say(_download_line(item))
        return EXIT_OK
    handled = run_queue(session, progress=_download_progress(cli), rate_limit=_rate_limit(cli))
    cli.done_progress()
    if not handled:
        cli.say("Nothing queued.")
    return _report_downloads(cli, handled)


def _downloads_action(cli: Cli, session: Session, queue: DownloadQueue, action: str) -> int:
    """pause, resume, retry, cancel, remove or priority of one download."""
    if not cli.args.id:
        raise UserError(
            f"downloads {action}: which download? give its id (see `mutolaa downloads`)"
        )
    before = queue.get(cli.args.id)
    changed = apply(session, before.id, action, value=cli.args.value)
    if changed is None:
        cli.say(f"removed    {before.id[:8]}  {before.title or before.url}")
    elif cli.json:
        cli.emit(_download_dict(changed))
    else:
        cli.say(_download_line(changed))
    return EXIT_OK


def _download_progress(cli: Cli) -> DownloadProgressFn | None:
    bar = cli.progress()
    if bar is no_progress:
        return None

    def show(item: QueuedDownload, event: Any) -> None:
        label = item.title or item.url.rsplit("/", 1)[-1]
        bar(Progress("download", event.received, event.total or 0, label))

    return show


def _report_downloads(cli: Cli, items: list[QueuedDownload]) -> int:
    if cli.json:
        cli.emit([_download_dict(d) for d in items])
    for item in items:
        if item.state == "failed":
            where = "" if item.error.startswith(item.url) else f"{item.url}: "
            cli.warn(f"download failed: {where}{item.error}")
        elif item.state == "queued" and item.error:
            cli.warn(
                f"download interrupted, kept in the queue: {item.error}; "
                "run `mutolaa downloads --resume` to go on"
            )
        else:
            cli.say(_download_line(item))
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
