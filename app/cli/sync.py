"""`mutolaa sync`: the sync run the window makes too (`sync_all`): library server, then KOReader."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from app.cli.base import EXIT_FAILED, EXIT_OK, Cli, Commands, add_command, add_json_option
from app.core.errors import UserError, reason
from app.library.sync_state import SyncState
from app.services.session import Session
from app.services.sync.koreader import KoreaderReport
from app.services.sync.run import sync_all, sync_standing
from sync.engine import SyncReport


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
    if not sync_standing(session).signed_in:
        raise UserError(
            "not signed in to a library server and KOReader sync is off; run "
            "`mutolaa account login URL USER` or `mutolaa account koreader URL USER`"
        )
    run = sync_all(session, allow_deletions=cli.args.allow_deletions)
    data: dict[str, Any] = {}  # the JSON output: the server's report, KOReader's under "koreader"
    status = EXIT_OK
    if run.report is not None:
        status = _say_library(cli, run.report, data)
    if run.koreader_failure is not None:
        data["koreader"] = {"error": reason(run.koreader_failure)}
        cli.warn(f"KOReader sync stopped: {reason(run.koreader_failure)}")
        status = EXIT_FAILED
    elif run.koreader is not None:
        status = max(status, _say_koreader(cli, run.koreader, data))
    if cli.json and data:
        cli.emit(data)
    if run.failure is not None:  # said last, after what KOReader's sync did
        cli.warn(f"sync stopped: {reason(run.failure)}")
        return EXIT_FAILED
    for question in SyncState(session.library.store, session.profile_id).questions():
        where = question.data.get("position", "")
        source = "KOReader" if question.data.get("source") == "koreader" else "another device"
        cli.say(f"  question: {source} was further back in a book ({where}); not moved")
    return status


def _say_library(cli: Cli, report: SyncReport, data: dict[str, Any]) -> int:
    """The library server's sync; its report goes into ``data``."""
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


def _say_koreader(cli: Cli, report: KoreaderReport, data: dict[str, Any]) -> int:
    """The KOReader progress sync; its report is ``data["koreader"]``."""
    data["koreader"] = _koreader_report(report)
    if report.offline:
        cli.warn(report.note)
        return EXIT_FAILED
    cli.say(
        f"KOReader progress: {report.sent} sent, {report.received} received"
        + (f", {report.asked} behind this device (asked)" if report.asked else "")
        + ("; more books to do: run it again" if report.more else "")
    )
    skipped: dict[str, int] = {}
    for _book, why in report.skipped:
        skipped[why] = skipped.get(why, 0) + 1
    for why, count in skipped.items():
        cli.say(f"  skipped {count}: {why}")
    return EXIT_OK


def _koreader_report(report: KoreaderReport) -> dict[str, Any]:
    data = asdict(report)
    data["skipped"] = [{"book": book, "reason": reason} for book, reason in report.skipped]
    return data
