"""The change log: every change of a person's data, in order, for the sync to ship.

A change is written in the same SQLite transaction as the change itself, so the log never
misses one that was saved and never holds one that was not.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from typing import Any

from app.core.models import Change


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
