"""The persistent download queue of each profile (table ``downloads``, schema 3).

A row is one file to fetch: its URL, the catalogue entry it came from, what the catalogue said
about it (size, checksums) and where it is (``queued``, ``running``, ``paused``, ``done``,
``failed``, ``cancelled``). Every change of state is one transaction, so the queue survives a
crash or a power cut; rows left ``running`` by one go back to ``queued`` at the next start (their
partial file stays on disk and resumes).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import UserError
from app.library.store import LibraryStore

STATES = ("queued", "running", "paused", "done", "failed", "cancelled")
#: The order of states in `DownloadQueue.list`: what is moving first, what is finished last.
_STATE_ORDER = (
    "CASE state WHEN 'running' THEN 0 WHEN 'queued' THEN 1 WHEN 'paused' THEN 2 "
    "WHEN 'failed' THEN 3 WHEN 'cancelled' THEN 4 ELSE 5 END"
)
_COLUMNS = (
    "id, profile_id, catalog_id, entry_id, url, title, media_type, expected_size, checksums, "
    "priority, state, received, total, error, book_id, created_at, updated_at, metadata"
)


@dataclass(frozen=True)
class QueuedDownload:
    """One row of the queue.

    Attributes:
        id: a random identifier.
        url: the URL to fetch (without credentials).
        entry_id: the catalogue entry it came from ('' for a bare URL).
        catalog_id: the saved catalogue it came from, if any.
        expected_size: the size the catalogue declared, if any.
        checksums: algorithm → hex digest to verify.
        priority: higher runs first.
        state: one of `STATES`.
        received, total: bytes on disk so far and the file's size when known.
        error: the one-line reason of a failure.
        book_id: the imported book, once done.
        metadata: what the catalogue entry says of the book (title, subtitle, authors,
            language), to fill what the file lacks.
    """

    id: str
    profile_id: int
    catalog_id: int | None
    entry_id: str
    url: str
    title: str
    media_type: str
    expected_size: int | None
    checksums: dict[str, str] = field(default_factory=dict)
    priority: int = 0
    state: str = "queued"
    received: int = 0
    total: int | None = None
    error: str = ""
    book_id: str | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    metadata: dict[str, Any] = field(default_factory=dict)


def _row(row: Sequence[Any]) -> QueuedDownload:
    return QueuedDownload(
        id=row[0],
        profile_id=int(row[1]),
        catalog_id=row[2],
        entry_id=row[3],
        url=row[4],
        title=row[5],
        media_type=row[6],
        expected_size=row[7],
        checksums=dict(json.loads(row[8] or "{}")),
        priority=int(row[9]),
        state=row[10],
        received=int(row[11]),
        total=row[12],
        error=row[13],
        book_id=row[14],
        created_at=float(row[15]),
        updated_at=float(row[16]),
        metadata=dict(json.loads(row[17] or "{}")),
    )


class DownloadQueue:
    """The download queue over a `LibraryStore`."""

    def __init__(self, store: LibraryStore) -> None:
        self.store = store

    def recover(self) -> int:
        """Put back to ``queued`` the rows a crash, kill or power cut left ``running``.

        Call it only while holding the queue's lock
        (`app.services.catalogs.queue_runner.queue_lock`), so that a download another process is
        running is not taken for an interrupted one.
        Returns how many rows were put back.
        """
        with self.store.transaction() as db:
            cursor = db.execute(
                "UPDATE downloads SET state = 'queued', updated_at = ? WHERE state = 'running'",
                (time.time(),),
            )
            return cursor.rowcount

    def enqueue(
        self,
        url: str,
        *,
        title: str = "",
        entry_id: str = "",
        catalog_id: int | None = None,
        media_type: str = "",
        expected_size: int | None = None,
        checksums: Mapping[str, str] | None = None,
        priority: int = 0,
        profile_id: int,
        metadata: Mapping[str, Any] | None = None,
    ) -> str:
        """Add a download in state ``queued``; returns its id."""
        if not url.strip():
            raise UserError("a download needs a URL")
        download_id = uuid.uuid4().hex
        now = time.time()
        with self.store.transaction() as db:
            db.execute(
                f"INSERT INTO downloads({_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, NULL, '', NULL, ?, ?, ?)",
                (
                    download_id,
                    profile_id,
                    catalog_id,
                    entry_id,
                    url,
                    title,
                    media_type,
                    expected_size,
                    json.dumps(dict(checksums or {}), sort_keys=True),
                    priority,
                    now,
                    now,
                    json.dumps(dict(metadata or {}), ensure_ascii=False, sort_keys=True),
                ),
            )
        return download_id

    def get(self, download_id: str) -> QueuedDownload:
        """The row with this id (or unique id prefix)."""
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM downloads WHERE id LIKE ? ORDER BY id LIMIT 2",
            (download_id.replace("%", "").replace("_", "") + "%",),
        )
        if len(rows) != 1:
            problem = "no download" if not rows else "more than one download"
            raise UserError(f"{problem} matches {download_id!r}; see `mutolaa downloads`")
        return _row(rows[0])

    def list(self, profile_id: int) -> list[QueuedDownload]:
        """Every download of a profile: by state, then highest priority, then oldest."""
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM downloads WHERE profile_id = ? "
            f"ORDER BY {_STATE_ORDER}, priority DESC, created_at, rowid",
            (profile_id,),
        )
        return [_row(r) for r in rows]

    def _set(self, download_id: str, sql: str, params: Sequence[Any] = ()) -> None:
        with self.store.transaction() as db:
            cursor = db.execute(
                f"UPDATE downloads SET {sql}, updated_at = ? WHERE id = ?",
                (*params, time.time(), download_id),
            )
            if cursor.rowcount != 1:
                raise UserError(f"no download {download_id!r}; see `mutolaa downloads`")

    def mark_running(self, download_id: str) -> None:
        """The download started (its error, if any, is cleared)."""
        self._set(download_id, "state = 'running', error = ''")

    def progress(self, download_id: str, received: int, total: int | None) -> str:
        """Bytes on disk so far and the size when known; returns the row's state, so a runner
        sees a pause or a cancel made meanwhile (by this process or another)."""
        self._set(download_id, "received = ?, total = ?", (received, total))
        rows = self.store.query("SELECT state FROM downloads WHERE id = ?", (download_id,))
        return str(rows[0][0]) if rows else ""

    def set_priority(self, download_id: str, priority: int) -> None:
        """Run it before (higher) or after (lower) the others."""
        self._set(download_id, "priority = ?", (priority,))

    def forget(self, download_id: str) -> None:
        """Remove a finished, failed or cancelled download from the list.

        Raises:
            UserError: it is queued, running or paused (cancel it first).
        """
        item = self.get(download_id)
        if item.state in ("queued", "running", "paused"):
            raise UserError(f"download {item.id[:8]} is {item.state}; cancel it before removing it")
        with self.store.transaction() as db:
            db.execute("DELETE FROM downloads WHERE id = ?", (item.id,))

    def mark_done(self, download_id: str, book_id: str) -> None:
        """Downloaded, verified and imported as `book_id`."""
        self._set(download_id, "state = 'done', error = '', book_id = ?", (book_id,))

    def mark_failed(self, download_id: str, error: str) -> None:
        """Failed, with a one-line reason."""
        reason = " ".join(error.split()) or "failed"
        self._set(download_id, "state = 'failed', error = ?", (reason,))

    def mark_interrupted(self, download_id: str, error: str) -> None:
        """Stopped by the network (its partial file stays): queued again, with the reason shown."""
        reason = " ".join(error.split())
        self._set(download_id, "state = 'queued', error = ?", (reason,))

    def mark_paused(self, download_id: str) -> None:
        """Put aside: not run until resumed (the partial file stays)."""
        self._set(download_id, "state = 'paused'")

    def mark_cancelled(self, download_id: str) -> None:
        """Given up by the person (the partial file may be deleted by the caller)."""
        self._set(download_id, "state = 'cancelled'")

    def mark_resumed(self, download_id: str) -> None:
        """Back in the queue (a paused, failed, cancelled or interrupted download)."""
        self._set(download_id, "state = 'queued', error = ''")
