"""Every database access of the library server: SQLite in WAL mode, behind this one module.

No SQL lives anywhere else, and the rest of the server sees only the methods and the plain
records below, so a PostgreSQL module with the same methods could replace this one
(docs/server.md). Each call opens its own short-lived connection, so Waitress's threads and a
`mutolaa-server users` command run beside each other; writes take SQLite's write lock at once
(``BEGIN IMMEDIATE``) and wait up to `BUSY_TIMEOUT` seconds for it; every commit is synced to
disk before the call returns (``synchronous = FULL``).

A push is one transaction: `Storage.account` yields an `AccountWriter` for one user that reads
the account's objects, history and accepted op_ids and writes new versions, and commits when the
``with`` block ends (rolls back on an exception).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

log = logging.getLogger(__name__)

DATABASE_NAME: Final = "mutolaa-server.sqlite3"
"""The database file inside the server's data folder."""

SCHEMA_VERSION: Final = 2
BUSY_TIMEOUT: Final = 10.0
FOLDER_MODE: Final = 0o700
FILE_MODE: Final = 0o600
"""The data folder and the database (with its -wal and -shm) are the server account's alone:
they hold every user's notes and password hashes."""

_SCHEMA_1: Final = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    koreader_hash TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    last_version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX tokens_user ON tokens(user_id);
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    name_key TEXT NOT NULL,
    address TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX login_failures_name ON login_failures(name_key, at);
CREATE INDEX login_failures_address ON login_failures(address, at);
CREATE TABLE objects (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    data TEXT NOT NULL,
    device TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, object_id)
);
CREATE UNIQUE INDEX objects_version ON objects(user_id, version);
CREATE INDEX objects_live ON objects(user_id, kind, deleted);
CREATE TABLE history (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    data TEXT NOT NULL,
    device TEXT NOT NULL,
    op_id TEXT NOT NULL,
    PRIMARY KEY (user_id, version)
);
CREATE TABLE operations (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    op_id TEXT NOT NULL,
    results TEXT NOT NULL,
    PRIMARY KEY (user_id, op_id)
);
CREATE TABLE koreader_progress (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    document TEXT NOT NULL,
    progress TEXT NOT NULL,
    percentage REAL NOT NULL,
    device TEXT NOT NULL,
    device_id TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    PRIMARY KEY (user_id, document)
);
"""
"""Schema 1; a new database is made with it, then brought up by `_MIGRATIONS` like an old one
(one path, so a new and an upgraded database cannot differ)."""


_MIGRATIONS: Final = {
    # 1 → 2: each account's running total of stored bytes (the quota), counted once here; the
    # login limit's counters per (account, address) and per account, and the known devices
    # (the old failures are dropped: they only delayed guesses for 15 minutes)
    2: """
ALTER TABLE users ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE users SET stored_bytes = (SELECT COALESCE(SUM(LENGTH(CAST(data AS BLOB))), 0)
    FROM objects WHERE objects.user_id = users.id);
DROP TABLE login_failures;
CREATE TABLE login_failures (
    name_key TEXT NOT NULL,
    address TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_at REAL NOT NULL,
    PRIMARY KEY (name_key, address)
);
CREATE INDEX login_failures_last ON login_failures(last_at);
CREATE TABLE account_failures (
    name_key TEXT PRIMARY KEY,
    level REAL NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX account_failures_at ON account_failures(at);
CREATE TABLE known_devices (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device_hash TEXT NOT NULL,
    last_at REAL NOT NULL,
    PRIMARY KEY (user_id, device_hash)
);
""",
}
"""The statements that bring a database from the version before each key to that version."""


class StorageError(Exception):
    """The database cannot be used: too new, damaged, or not a database; one line."""


class UserExistsError(StorageError):
    """An account with this name (compared case-insensitively) exists already."""


@dataclass(frozen=True)
class UserRecord:
    """One account as stored (the hashes are never shown or logged)."""

    id: int
    name: str
    password_hash: str
    koreader_hash: str | None
    disabled: bool
    created_at: float


@dataclass(frozen=True)
class LoginRecord:
    """What the login limit knows about one attempt's account, address and device."""

    failures: int
    """Failed attempts for this name from this address since the last success there."""
    last_failure: float
    """When the last of them was (0 when there is none)."""
    pressure: float
    """The account's failure bucket (from all addresses) as last written."""
    pressure_at: float
    """When it was written (0 when there is none)."""
    known: bool
    """The device has logged in to this account before."""


@dataclass(frozen=True)
class ObjectRecord:
    """One synced object at one version."""

    kind: str
    id: str
    version: int
    deleted: bool
    data: dict[str, Any]
    device: str


@dataclass(frozen=True)
class KoreaderProgress:
    """A KOReader progress document as stored."""

    document: str
    progress: str
    percentage: float
    device: str
    device_id: str
    timestamp: int


def name_key(name: str) -> str:
    """How account names are compared: case-insensitively (Alice and alice are one account)."""
    return name.casefold()


def _dumps(data: Mapping[str, Any] | Sequence[Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _run(db: sqlite3.Connection, script: str) -> None:
    """Execute the statements of `script` one by one (inside the caller's transaction)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _restrict(path: Path, mode: int) -> bool:
    """Give `path` (when it exists) no more than `mode`; True when that changed something."""
    try:
        current = path.stat().st_mode & 0o777
    except FileNotFoundError:
        return False
    if current & ~mode == 0:
        return False
    path.chmod(current & mode)
    return True


def _user(row: sqlite3.Row) -> UserRecord:
    return UserRecord(
        id=row["id"],
        name=row["name"],
        password_hash=row["password_hash"],
        koreader_hash=row["koreader_hash"],
        disabled=bool(row["disabled"]),
        created_at=row["created_at"],
    )


def _object(row: sqlite3.Row) -> ObjectRecord:
    return ObjectRecord(
        kind=row["kind"],
        id=row["object_id"],
        version=row["version"],
        deleted=bool(row["deleted"]),
        data=json.loads(row["data"]),
        device=row["device"],
    )


class Storage:
    """The server's database in `data_dir` (created with its schema when missing)."""

    def __init__(self, data_dir: Path, *, create: bool = True) -> None:
        self.path = data_dir / DATABASE_NAME
        if not create and not self.path.is_file():
            raise StorageError(
                f"{data_dir}: no server database here (mutolaa-server users add creates one)"
            )
        try:
            data_dir.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
            # made here, private, before SQLite creates it (it would follow the umask: 0644);
            # its -wal and -shm files take the database's permissions
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
            self._make_private(data_dir)
        except OSError as exc:
            raise StorageError(
                f"{data_dir}: cannot be used as the data folder: {exc.strerror}"
            ) from exc
        try:
            with self._connect() as db:
                self._migrate(db)
        except sqlite3.DatabaseError as exc:
            raise StorageError(
                f"{self.path}: cannot be used as the server database: {exc}"
            ) from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A new connection in autocommit mode (transactions are explicit), closed after use."""
        with closing(
            sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
        ) as db:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA foreign_keys = ON")
            # every write is acknowledged to someone (a push's results, a token, a KOReader
            # position): FULL syncs the WAL at each commit, so a power cut after the answer
            # loses nothing (NORMAL could lose the last commits)
            db.execute("PRAGMA synchronous = FULL")
            yield db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed at the end of the block, rolled back on an error."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _make_private(self, data_dir: Path) -> None:
        """Take every permission from others on the data folder and the database files (an
        older server made them 0755 and 0644); say so in the log when something changed."""
        if os.name == "nt":  # the profile folder's ACLs keep other users out (docs/server.md)
            return
        changed = [
            _restrict(path, mode)
            for path, mode in (
                (data_dir, FOLDER_MODE),
                *(
                    (self.path.with_name(self.path.name + end), FILE_MODE)
                    for end in ("", "-wal", "-shm")
                ),
            )
        ]
        if any(changed):
            log.warning(
                "%s: other users could read the server's data: made the folder %o and the"
                " database %o",
                data_dir,
                FOLDER_MODE,
                FILE_MODE,
            )

    def _migrate(self, db: sqlite3.Connection) -> None:
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StorageError(f"{self.path}: the database cannot use WAL mode ({mode})")
        db.execute("BEGIN IMMEDIATE")  # one creator, even with a command running beside
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"{self.path}: made by a newer mutolaa-server (schema {version}, this one "
                    f"knows {SCHEMA_VERSION})"
                )
            if version == 0:
                _run(db, _SCHEMA_1)
            for target in range(max(version, 1) + 1, SCHEMA_VERSION + 1):
                _run(db, _MIGRATIONS[target])
                if version:
                    log.info("%s: schema %d brought to %d", self.path, target - 1, target)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # -- accounts --------------------------------------------------------------------------

    def add_user(self, name: str, password_hash: str, now: float) -> UserRecord:
        """Create an account; raises UserExistsError when the name is taken."""
        with self._write() as db:
            try:
                cursor = db.execute(
                    "INSERT INTO users (name, name_key, password_hash, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    (name, name_key(name), password_hash, now),
                )
            except sqlite3.IntegrityError:
                raise UserExistsError(f"the user {name!r} exists already") from None
            row = db.execute("SELECT * FROM users WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return _user(row)

    def find_user(self, name: str) -> UserRecord | None:
        """The account with this name (case-insensitively), or None."""
        with self._connect() as db:
            row = db.execute("SELECT * FROM users WHERE name_key = ?", (name_key(name),)).fetchone()
        return _user(row) if row is not None else None

    def list_users(self) -> list[UserRecord]:
        """Every account, by name."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM users ORDER BY name_key").fetchall()
        return [_user(row) for row in rows]

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        """Disable or enable an account (a disabled account's tokens are refused, not deleted)."""
        with self._write() as db:
            db.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user_id))

    def set_password(self, user_id: int, password_hash: str) -> None:
        """Replace the password; signs the account out everywhere, turns KOReader off and
        forgets its known devices."""
        with self._write() as db:
            db.execute(
                "UPDATE users SET password_hash = ?, koreader_hash = NULL WHERE id = ?",
                (password_hash, user_id),
            )
            db.execute("DELETE FROM tokens WHERE user_id = ?", (user_id,))
            db.execute("DELETE FROM known_devices WHERE user_id = ?", (user_id,))

    def set_koreader_hash(self, user_id: int, koreader_hash: str | None) -> None:
        """Set (or with None remove) the account's KOReader credential."""
        with self._write() as db:
            db.execute("UPDATE users SET koreader_hash = ? WHERE id = ?", (koreader_hash, user_id))

    # -- tokens ----------------------------------------------------------------------------

    def add_token(
        self, token_hash: str, user_id: int, device: str, now: float, expires_at: float
    ) -> None:
        """Remember a new token (by its hash); expired tokens of every account are dropped."""
        with self._write() as db:
            db.execute("DELETE FROM tokens WHERE expires_at <= ?", (now,))
            db.execute(
                "INSERT INTO tokens (token_hash, user_id, device, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (token_hash, user_id, device, now, expires_at),
            )

    def remove_token(self, token_hash: str) -> bool:
        """Forget a token (a logout); True when it was there."""
        with self._write() as db:
            return db.execute("DELETE FROM tokens WHERE token_hash = ?", (token_hash,)).rowcount > 0

    def token_user(self, token_hash: str, now: float) -> UserRecord | None:
        """The account of a token that has not expired, or None."""
        with self._connect() as db:
            row = db.execute(
                "SELECT users.* FROM tokens JOIN users ON users.id = tokens.user_id"
                " WHERE tokens.token_hash = ? AND tokens.expires_at > ?",
                (token_hash, now),
            ).fetchone()
        return _user(row) if row is not None else None

    # -- the login limit -------------------------------------------------------------------

    def login_record(self, name: str, address: str, device_hash: str) -> LoginRecord:
        """What the login limit knows about this name, address and device (read only)."""
        with self._connect() as db:
            return _login_record(db, name_key(name), address, device_hash)

    @contextmanager
    def login_attempt(
        self, name: str, address: str, device_hash: str
    ) -> Iterator[tuple[LoginRecord, LoginLedger]]:
        """One write transaction over the limit's counters of one attempt: the record as it is
        now and a ledger to count it, so that parallel attempts are checked one after another."""
        key = name_key(name)
        with self._write() as db:
            yield _login_record(db, key, address, device_hash), LoginLedger(db, key, address)

    def login_succeeded(
        self, name: str, address: str, user_id: int, device_hash: str, now: float
    ) -> None:
        """A right password: forget this address's failures for the name, take back the
        failure counted in advance from the account's bucket, and know the device."""
        key = name_key(name)
        with self._write() as db:
            db.execute(
                "DELETE FROM login_failures WHERE name_key = ? AND address = ?", (key, address)
            )
            db.execute(
                "UPDATE account_failures SET level = MAX(0, level - 1) WHERE name_key = ?", (key,)
            )
            db.execute(
                "INSERT INTO known_devices (user_id, device_hash, last_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id, device_hash) DO UPDATE SET last_at = excluded.last_at",
                (user_id, device_hash, now),
            )

    def clear_failures(self, name: str) -> None:
        """Forget every failed login for this name (after a reset)."""
        key = name_key(name)
        with self._write() as db:
            db.execute("DELETE FROM login_failures WHERE name_key = ?", (key,))
            db.execute("DELETE FROM account_failures WHERE name_key = ?", (key,))

    # -- synced objects --------------------------------------------------------------------

    @contextmanager
    def account(self, user_id: int) -> Iterator[AccountWriter]:
        """One write transaction over one account's objects (a push)."""
        with self._write() as db:
            yield AccountWriter(db, user_id)

    def changes_since(self, user_id: int, since: int, limit: int) -> list[ObjectRecord]:
        """Up to `limit` objects whose latest version is after `since`, in version order."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT * FROM objects WHERE user_id = ? AND version > ? ORDER BY version LIMIT ?",
                (user_id, since, limit),
            ).fetchall()
        return [_object(row) for row in rows]

    # -- KOReader progress -----------------------------------------------------------------

    def save_koreader_progress(self, user_id: int, progress: KoreaderProgress) -> None:
        """Store (or replace) a KOReader progress document."""
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO koreader_progress (user_id, document, progress,"
                " percentage, device, device_id, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    progress.document,
                    progress.progress,
                    progress.percentage,
                    progress.device,
                    progress.device_id,
                    progress.timestamp,
                ),
            )

    def koreader_progress(self, user_id: int, document: str) -> KoreaderProgress | None:
        """The stored KOReader progress of a document, or None."""
        with self._connect() as db:
            row = db.execute(
                "SELECT * FROM koreader_progress WHERE user_id = ? AND document = ?",
                (user_id, document),
            ).fetchone()
        if row is None:
            return None
        return KoreaderProgress(
            document=row["document"],
            progress=row["progress"],
            percentage=row["percentage"],
            device=row["device"],
            device_id=row["device_id"],
            timestamp=row["timestamp"],
        )


class LoginLedger:
    """Writes of the login limit inside one attempt's transaction (see `Storage.login_attempt`)."""

    def __init__(self, db: sqlite3.Connection, key: str, address: str) -> None:
        self._db = db
        self._key = key
        self._address = address

    def count_failure(
        self, failures: int, pressure: float, now: float, forget_before: float
    ) -> None:
        """Store the pair's new failure count and the account's new bucket level, as of `now`;
        counters last written before `forget_before` are dropped (of every name)."""
        db = self._db
        db.execute("DELETE FROM login_failures WHERE last_at < ?", (forget_before,))
        db.execute("DELETE FROM account_failures WHERE at < ?", (forget_before,))
        db.execute(
            "INSERT INTO login_failures (name_key, address, failures, last_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (name_key, address) DO UPDATE SET failures = excluded.failures,"
            " last_at = excluded.last_at",
            (self._key, self._address, failures, now),
        )
        db.execute(
            "INSERT INTO account_failures (name_key, level, at) VALUES (?, ?, ?)"
            " ON CONFLICT (name_key) DO UPDATE SET level = excluded.level, at = excluded.at",
            (self._key, pressure, now),
        )


def _login_record(db: sqlite3.Connection, key: str, address: str, device_hash: str) -> LoginRecord:
    pair = db.execute(
        "SELECT failures, last_at FROM login_failures WHERE name_key = ? AND address = ?",
        (key, address),
    ).fetchone()
    bucket = db.execute(
        "SELECT level, at FROM account_failures WHERE name_key = ?", (key,)
    ).fetchone()
    known = db.execute(
        "SELECT 1 FROM known_devices JOIN users ON users.id = known_devices.user_id"
        " WHERE users.name_key = ? AND known_devices.device_hash = ?",
        (key, device_hash),
    ).fetchone()
    return LoginRecord(
        failures=pair[0] if pair is not None else 0,
        last_failure=pair[1] if pair is not None else 0.0,
        pressure=bucket[0] if bucket is not None else 0.0,
        pressure_at=bucket[1] if bucket is not None else 0.0,
        known=known is not None,
    )


class AccountWriter:
    """Reads and writes of one account inside one push transaction (see `Storage.account`)."""

    def __init__(self, db: sqlite3.Connection, user_id: int) -> None:
        self._db = db
        self._user_id = user_id

    def operation(self, op_id: str) -> list[dict[str, Any]] | None:
        """The results given when this op_id was accepted, or None when it is new."""
        row = self._db.execute(
            "SELECT results FROM operations WHERE user_id = ? AND op_id = ?",
            (self._user_id, op_id),
        ).fetchone()
        if row is None:
            return None
        results: list[dict[str, Any]] = json.loads(row[0])
        return results

    def save_operation(self, op_id: str, results: Sequence[Mapping[str, Any]]) -> None:
        """Remember the results of an accepted op_id (its main result first)."""
        self._db.execute(
            "INSERT INTO operations (user_id, op_id, results) VALUES (?, ?, ?)",
            (self._user_id, op_id, _dumps(list(results))),
        )

    def current(self, kind: str, object_id: str) -> ObjectRecord | None:
        """The object's latest version, or None when the account never had it."""
        row = self._db.execute(
            "SELECT * FROM objects WHERE user_id = ? AND kind = ? AND object_id = ?",
            (self._user_id, kind, object_id),
        ).fetchone()
        return _object(row) if row is not None else None

    def data_at(self, kind: str, object_id: str, version: int) -> dict[str, Any] | None:
        """The object's data at `version` (from the history), or None when that is not it."""
        row = self._db.execute(
            "SELECT data FROM history WHERE user_id = ? AND version = ? AND kind = ?"
            " AND object_id = ?",
            (self._user_id, version, kind, object_id),
        ).fetchone()
        if row is None:
            return None
        data: dict[str, Any] = json.loads(row[0])
        return data

    def stored_bytes(self) -> int:
        """The size of the account's objects' data as stored (UTF-8 JSON, latest versions)."""
        row = self._db.execute(
            "SELECT stored_bytes FROM users WHERE id = ?", (self._user_id,)
        ).fetchone()
        return int(row[0])

    def live_count(self, kind: str) -> int:
        """How many objects of this kind the account holds that are not deleted."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM objects WHERE user_id = ? AND kind = ? AND deleted = 0",
            (self._user_id, kind),
        ).fetchone()
        return int(row[0])

    def write(
        self,
        kind: str,
        object_id: str,
        *,
        deleted: bool,
        data: Mapping[str, Any],
        device: str,
        op_id: str,
    ) -> int:
        """Store a new state of an object under the account's next version; returns it.

        The account's stored bytes change by the new data's size less the replaced data's.
        """
        db, user = self._db, self._user_id
        text = _dumps(data)
        replaced = db.execute(
            "SELECT LENGTH(CAST(data AS BLOB)) FROM objects"
            " WHERE user_id = ? AND kind = ? AND object_id = ?",
            (user, kind, object_id),
        ).fetchone()
        grown = len(text.encode("utf-8")) - (replaced[0] if replaced is not None else 0)
        db.execute(
            "UPDATE users SET last_version = last_version + 1,"
            " stored_bytes = stored_bytes + ? WHERE id = ?",
            (grown, user),
        )
        version = int(
            db.execute("SELECT last_version FROM users WHERE id = ?", (user,)).fetchone()[0]
        )
        db.execute(
            "INSERT INTO history (user_id, version, kind, object_id, deleted, data, device,"
            " op_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (user, version, kind, object_id, int(deleted), text, device, op_id),
        )
        db.execute(
            "INSERT INTO objects (user_id, kind, object_id, version, deleted, data, device)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, kind, object_id) DO UPDATE"
            " SET version = excluded.version, deleted = excluded.deleted,"
            " data = excluded.data, device = excluded.device",
            (user, kind, object_id, version, int(deleted), text, device),
        )
        return version
