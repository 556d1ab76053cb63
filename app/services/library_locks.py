"""The administrator's locks for everyone: downloads allowed or not, a quota for each person's.

Set only by the administrator; obeyed by the download queue (`queue_runner.run_queue`).
"""

from __future__ import annotations

from pathlib import Path

from app.core.errors import UserError
from app.library.locks import LibraryLocks
from app.library.profiles import ProfileStore
from app.library.usage import rows_use
from app.services.profiles import AskPin, authorize
from app.services.session import Library
from sync.partials import partials_size

#: A megabyte of the quota.
MB = 1024 * 1024


def allow_downloads(library: Library, allowed: bool, ask_pin: AskPin) -> None:
    """The administrator allows or forbids downloads for everyone.

    Raises:
        UserError: no administrator, or their PIN wrong, missing or asked during the wait.
    """
    _as_administrator(library, ask_pin)
    LibraryLocks(library.store).set_downloads_allowed(allowed)


def set_download_quota(library: Library, megabytes: int, ask_pin: AskPin) -> None:
    """The administrator sets each person's disk quota for downloads (0: none).

    Raises:
        UserError: a negative quota; no administrator, or their PIN wrong or missing.
    """
    if megabytes < 0:
        raise UserError(f"a quota is a number of MB, 0 for none, not {megabytes}")
    _as_administrator(library, ask_pin)
    LibraryLocks(library.store).set_download_quota_mb(megabytes or None)


def check_may_download(library: Library, profile_id: int, folder: Path) -> None:
    """Refuse a download while downloads are off, or while the person's downloads (the books
    they brought and their partial files in ``folder``) reach their quota.

    Raises:
        UserError: one line saying which lock and what to do.
    """
    locks = LibraryLocks(library.store)
    if not locks.downloads_allowed():
        raise UserError(
            "the administrator has turned downloads off for this library; queued downloads "
            "wait until they are allowed again"
        )
    quota = locks.download_quota_mb()
    if quota is None:
        return
    rows = rows_use(library.store, profile_id)
    used = rows.brought_bytes + partials_size(folder, rows.unfinished_urls)
    if used >= quota * MB:
        raise UserError(
            f"your downloads take {used / MB:.1f} MB, the {quota} MB the administrator allows "
            "each person; queued downloads wait until the administrator allows more"
        )


def _as_administrator(library: Library, ask_pin: AskPin) -> None:
    profiles = ProfileStore(library.store)
    if profiles.administrator() is None:
        raise UserError(
            "only an administrator locks settings for everyone, and this library has none; "
            "add one with `mutolaa profiles add NAME --admin`"
        )
    authorize(profiles, None, ask_pin)  # the administrator's PIN
