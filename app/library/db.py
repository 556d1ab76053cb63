"""Opening the SQLite library database: pragmas, migrations, refusal of newer versions."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path

from app.core.errors import NewerStoreError, StoreError
from app.core.private import private_file
from app.library.migrations import MIGRATIONS, REWRITTEN_AFTER, SCHEMA_VERSION

log = logging.getLogger(__name__)


def connect(path: Path, *, migrate: bool = True) -> sqlite3.Connection:
    """Open the database at ``path`` with WAL and foreign keys, migrating it when older.

    Raises:
        NewerStoreError: the file was written by a newer Mutolaa; it is left untouched.
        StoreError: the file is not a usable SQLite database.
    """
    with contextlib.suppress(OSError):  # SQLite says what is wrong with the path
        # SQLite creates the file 0644 & ~umask, and its -wal and -shm with the file's mode
        private_file(path)
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
    """Run every migration after ``version`` in one transaction (then rewrite the file when
    one of them took secrets out of it)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have migrated while we waited for the lock.
        current = int(db.execute("PRAGMA user_version").fetchone()[0])
        steps = range(current, SCHEMA_VERSION)
        # what a migration deletes or overwrites is zeroed, not left in freed space
        db.execute("PRAGMA secure_delete = ON")
        for step in steps:
            log.info("migrating library database to schema %d", step + 1)
            MIGRATIONS[step](db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    finally:
        db.execute("PRAGMA secure_delete = OFF")
    if current > 0 and any(step + 1 in REWRITTEN_AFTER for step in steps):
        _rewrite(db)


def _rewrite(db: sqlite3.Connection) -> None:
    """Rewrite the whole file and empty its log, so that no page, freed space or logged frame
    keeps what a migration removed (secrets written in plain text by older versions).

    A failure (another process reading, a full disk) is logged, not raised: the rows are
    already right, only old bytes may remain until the next VACUUM.
    """
    try:
        db.execute("PRAGMA secure_delete = ON")
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError as exc:
        log.warning("could not rewrite the library database after its migration (%s)", exc)
    finally:
        db.execute("PRAGMA secure_delete = OFF")
