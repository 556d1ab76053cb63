"""Opening the SQLite library database: pragmas, migrations, refusal of newer versions."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from app.core.errors import NewerStoreError, StoreError
from app.library.migrations import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)


def connect(path: Path, *, migrate: bool = True) -> sqlite3.Connection:
    """Open the database at ``path`` with WAL and foreign keys, migrating it when older.

    Raises:
        NewerStoreError: the file was written by a newer Mutolaa; it is left untouched.
        StoreError: the file is not a usable SQLite database.
    """
    try:
        db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA foreign_keys = ON")
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable library database ({exc})") from exc
    if version > SCHEMA_VERSION:
        db.close()
        raise NewerStoreError(
            f"{path}: made by a newer Mutolaa (schema {version}, this version reads up to "
            f"{SCHEMA_VERSION}); update Mutolaa or use another --library folder"
        )
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        if migrate and version < SCHEMA_VERSION:
            _migrate(db, version)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise StoreError(f"{path}: cannot prepare the library database ({exc})") from exc
    return db


def _migrate(db: sqlite3.Connection, version: int) -> None:
    """Run every migration after ``version`` in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have migrated while we waited for the lock.
        current = int(db.execute("PRAGMA user_version").fetchone()[0])
        for step in range(current, SCHEMA_VERSION):
            log.info("migrating library database to schema %d", step + 1)
            MIGRATIONS[step](db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
