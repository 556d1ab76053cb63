"""`mutolaa sync`: the library server's sync, then KOReader's progress sync."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from app.cli.base import EXIT_FAILED, EXIT_OK, Cli, Commands, add_command, add_json_option
from app.core.errors import UserError
from app.library.koreader_state import KoreaderState
from app.library.sync_state import SyncState
from app.services.session import Session
from app.services.sync.koreader import KoreaderReport, sync_progress
from app.services.sync.server_sync import sync_now
from sync.errors import SyncError


def add_sync_command(commands: Commands) -> None:
    """`sync [--allow-deletions]`."""
    sub = add_command(
        commands,
        "sync",
        "sync bookmarks, highlights, notes, reading progress and holdings with the server",
        cmd_sync,
        description="Sync with the library server of `mutolaa account login`, and reading "
        "progress with the KOReader sync server of `mutolaa account koreader`.",
        json_option=False,
    )
    add_json_option(sub)
    sub.add_argument(
        "--allow-deletions",
        action="store_true",
        help="let a sync delete most of your annotations (it stops and asks otherwise)",
    )


def cmd_sync(cli: Cli, session: Session) -> int:
    """`mutolaa sync`: what was sent, received and merged, and what is left to decide."""
    library = session.library
    account = SyncState(library.store, session.profile_id).account()
    koreader = KoreaderState(library.store, session.profile_id).active_account()
    if (account is None or not account.token) and koreader is None:
        raise UserError(
            "not signed in to a library server and KOReader sync is off; run "
            "`mutolaa account login URL USER` or `mutolaa account koreader URL USER`"
        )
    data: dict[str, Any] = {}
    status = EXIT_OK
    stopped: str | None = None
    if account is not None and account.token:
        try:
            status = _sync_library(cli, session, data)
        except SyncError as exc:  # the KOReader sync still runs, then this is said
            stopped = f"sync stopped: {exc}"
    if koreader is not None:
        status = max(status, _sync_koreader(cli, session, data))
    if cli.json and data:
        cli.emit(data)
    if stopped is not None:
        raise UserError(stopped)
    questions = SyncState(library.store, session.profile_id).questions()
    for question in questions:
        where = question.data.get("position", "")
        source = "KOReader" if question.data.get("source") == "koreader" else "another device"
        cli.say(f"  question: {source} was further back in a book ({where}); not moved")
    return status


def _sync_library(cli: Cli, session: Session, data: dict[str, Any]) -> int:
    """The sync with the library server; its report goes into ``data`` (the JSON output)."""
    report = sync_now(session, allow_deletions=cli.args.allow_deletions)
    data.update(asdict(report))
    for note in report.notes:
        cli.warn(note)
    if report.offline:
        return EXIT_FAILED
    cli.say(
        f"synced: {report.pushed} sent, {report.pulled} received"
        + (f", {report.merged} merged" if report.merged else "")
        + (f", {report.kept} kept as the server had them" if report.kept else "")
        + (
            f", {report.conflicts} notes edited on two devices (both kept)"
            if report.conflicts
            else ""
        )
        + ("; more to do: run it again" if report.more else "")
    )
    return EXIT_OK


def _sync_koreader(cli: Cli, session: Session, data: dict[str, Any]) -> int:
    """The KOReader progress sync; its report is ``data["koreader"]``."""
    try:
        report = sync_progress(session)
    except SyncError as exc:
        data["koreader"] = {"error": str(exc)}
        cli.warn(f"KOReader sync stopped: {exc}")
        return EXIT_FAILED
    data["koreader"] = _koreader_report(report)
    if report.offline:
        cli.warn(report.note)
        return EXIT_FAILED
    cli.say(
        f"KOReader progress: {report.sent} sent, {report.received} received"
        + (f", {report.asked} behind this device (asked)" if report.asked else "")
        + ("; more books to do: run it again" if report.more else "")
    )
    reasons: dict[str, int] = {}
    for _book, reason in report.skipped:
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in reasons.items():
        cli.say(f"  skipped {count}: {reason}")
    return EXIT_OK


def _koreader_report(report: KoreaderReport) -> dict[str, Any]:
    data = asdict(report)
    data["skipped"] = [{"book": book, "reason": reason} for book, reason in report.skipped]
    return data
