"""The change log: every change of a person's data, in order, for the sync to ship.

A change is written in the same SQLite transaction as the change itself, so the log never
misses one that was saved and never holds one that was not. After a transaction commits, the
store announces what it changed (`StoreChange`): the log's new entries, and the books added,
changed or removed (shared by everyone, so not in a person's log).
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from dataclasses import dataclass
from typing import Any

from app.core.models import Change


@dataclass(frozen=True)
class StoreChange:
    """One change the store announces after its transaction committed.

    Attributes:
        kind: what changed: a change log kind ("annotation", "progress"…) or "book".
        object_id: its id (a book's id for "book" and "progress").
        action: "create", "update" or "delete".
        profile_id: whose it is; None for a book (the shelf is shared).
        remote: applied from the library server by a sync, not done here.
        book_id: the book it belongs to (None when it belongs to none).
    """

    kind: str
    object_id: str
    action: str
    profile_id: int | None
    remote: bool = False
    book_id: str | None = None


def log_position(db: sqlite3.Connection) -> int:
    """The newest entry of the change log (0 when empty)."""
    row = db.execute("SELECT COALESCE(MAX(seq), 0) FROM change_log").fetchone()
    return int(row[0])


def logged_since(db: sqlite3.Connection, seq: int) -> list[StoreChange]:
    """The change log's entries after ``seq``, as announcements."""
    rows = db.execute(
        "SELECT object_kind, object_id, action, profile_id, remote, "
        "CASE WHEN object_kind = 'progress' THEN object_id "
        "ELSE json_extract(data, '$.book_id') END FROM change_log WHERE seq > ? ORDER BY seq",
        (seq,),
    ).fetchall()
    return [
        StoreChange(
            str(r[0]),
            str(r[1]),
            str(r[2]),
            int(r[3]),
            bool(r[4]),
            None if r[5] is None else str(r[5]),
        )
        for r in rows
    ]


def record(
    db: sqlite3.Connection,
    object_kind: str,
    object_id: str,
    *,
    action: str,
    profile_id: int,
    data: dict[str, Any],
    remote: bool = False,
) -> str:
    """Append a change inside the caller's transaction; returns its operation id.

    ``remote``: the change came from the library server (a sync applied it); it is logged like
    any other but never pushed back.
    """
    op_id = uuid.uuid4().hex
    db.execute(
        "INSERT INTO change_log(op_id, object_kind, object_id, action, profile_id, at, data, "
        "remote) VALUES (?,?,?,?,?,?,?,?)",
        (
            op_id,
            object_kind,
            object_id,
            action,
            profile_id,
            time.time(),
            json.dumps(data, ensure_ascii=False, sort_keys=True),
            int(remote),
        ),
    )
    return op_id


def read(rows: list[Any]) -> list[Change]:
    """Changes from ``SELECT seq, op_id, object_kind, object_id, action, profile_id, at, data``."""
    return [
        Change(
            seq=int(r[0]),
            op_id=str(r[1]),
            object_kind=str(r[2]),
            object_id=str(r[3]),
            action=str(r[4]),
            profile_id=int(r[5]),
            at=float(r[6]),
            data=str(r[7]),
        )
        for r in rows
    ]


CHANGE_COLUMNS = "seq, op_id, object_kind, object_id, action, profile_id, at, data"
