"""The administrator's locks for everyone, kept in ``meta``: downloads allowed, their quota."""

from __future__ import annotations

from app.library.store import LibraryStore

_DOWNLOADS = "lock:downloads"  # "off" while downloads are not allowed
_QUOTA = "lock:download-quota-mb"  # a whole number of MB; "" or absent: no quota


class LibraryLocks:
    """The library-wide locks (who may set them is the services' rule)."""

    def __init__(self, store: LibraryStore) -> None:
        self.store = store

    def downloads_allowed(self) -> bool:
        """Whether anybody may download (allowed unless turned off)."""
        return self.store.meta(_DOWNLOADS) != "off"

    def set_downloads_allowed(self, allowed: bool) -> None:
        self.store.set_meta(_DOWNLOADS, "on" if allowed else "off")

    def download_quota_mb(self) -> int | None:
        """Each person's quota for downloads in MB (1 MB = 2²⁰ bytes), None for none (an
        unreadable value counts as none: a lock never stops the library from opening)."""
        value = self.store.meta(_QUOTA) or ""
        return int(value) if value.isdigit() and int(value) > 0 else None

    def set_download_quota_mb(self, megabytes: int | None) -> None:
        self.store.set_meta(_QUOTA, str(megabytes) if megabytes else "")
