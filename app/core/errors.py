"""Typed errors that say whose fault they are, and the one line that tells people why."""

from __future__ import annotations

from sync.errors import MutolaaError

__all__ = [
    "BadDocumentError",
    "MutolaaError",
    "NewerStoreError",
    "SearchIndexError",
    "StoreError",
    "UserError",
    "reason",
]


class UserError(MutolaaError):
    """The user asked for something that cannot be done (bad ID, bad query, wrong password)."""


class BadDocumentError(MutolaaError):
    """A document cannot be used: broken, unsupported, hostile or empty."""


class StoreError(MutolaaError):
    """The library store cannot be used (disk full, locked, corrupt, too new)."""


class NewerStoreError(StoreError):
    """The database was written by a newer version of Mutolaa and is left untouched."""


class SearchIndexError(MutolaaError):
    """The full-text index cannot be used; it is a cache and can be rebuilt."""


def reason(error: BaseException, unexpected: str = "an unexpected error") -> str:
    """Why work failed, as one line to put into a sentence (the command line and the window).

    Our own errors (the sync package's too) and the system's (a full disk, a missing
    permission) say it in their own words; anything else is a bug, said as ``unexpected``
    (the window adds where the details are; the log has the traceback).
    """
    if isinstance(error, MutolaaError):
        return " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror}"
    return unexpected
