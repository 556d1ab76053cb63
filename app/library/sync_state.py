"""What the library knows about its sync with the library server (docs/sync-protocol.md).

One account per profile (`sync_accounts`): the server, the user, the token (never logged, never
in `repr`), this device's id and the two positions — the last change-log entry the server
acknowledged (`pushed_seq`) and the last server version applied (`pulled_version`). A token
forgotten here (signing out, or signing in again) waits among the profile's revocations until
its server has revoked it (`app/services/sync/logout.py`). Also the
server version each object was last seen at (`sync_versions`, the next push's base), the
questions a sync leaves to the person (`sync_questions`) and the holdings this and the other
devices told the server about (`sync_holdings`). The application of pushed results and pulled
objects is in `app/services/sync/server_sync.py`; the SQL is here. The token is kept encrypted
by the store's `SecretStore` (the ``token`` column stays empty since schema 8).
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import UserError
from app.core.models import Change
from app.library import changes
from app.library.secrets import SYNC_REVOCATIONS, SYNC_TOKEN
from app.library.store import LibraryStore

#: The most tokens kept waiting (the oldest are dropped: they expire on the server anyway).
MAX_REVOCATIONS = 20
#: A token older than this has expired on the server (its lifetime there): no need to revoke.
TOKEN_LIFETIME = 90 * 24 * 3600.0

_ACCOUNT = (
    "profile_id, server_url, username, '', device_id, pushed_seq, pulled_version, "
    "last_sync_at, last_error"
)


@dataclass(frozen=True)
class SyncAccount:
    """A profile's account on its library server."""

    profile_id: int
    server_url: str
    username: str
    token: str = field(repr=False)
    device_id: str
    pushed_seq: int = 0
    pulled_version: int = 0
    last_sync_at: float | None = None
    last_error: str = ""


@dataclass(frozen=True)
class Revocation:
    """A token forgotten here that its server has not revoked yet."""

    server_url: str
    token: str = field(repr=False)
    since: float


@dataclass(frozen=True)
class Question:
    """Something a sync would not decide alone: a reading position behind this one."""

    id: int
    kind: str
    object_id: str
    data: dict[str, Any]
    asked_at: float


def _revocations(value: str | None) -> list[Revocation]:
    """The revocations kept as JSON (an unreadable value is none: they expire anyway)."""
    try:
        items = json.loads(value) if value else []
        return [Revocation(str(i["server"]), str(i["token"]), float(i["since"])) for i in items]
    except (ValueError, TypeError, KeyError):
        return []


def _account(row: Sequence[Any], token: str) -> SyncAccount:
    return SyncAccount(
        profile_id=int(row[0]),
        server_url=str(row[1]),
        username=str(row[2]),
        token=token,
        device_id=str(row[4]),
        pushed_seq=int(row[5]),
        pulled_version=int(row[6]),
        last_sync_at=None if row[7] is None else float(row[7]),
        last_error=str(row[8]),
    )


class SyncState:
    """The sync tables of one library store, for one profile."""

    def __init__(self, store: LibraryStore, profile_id: int) -> None:
        self.store = store
        self.profile_id = profile_id

    # -- the account ---------------------------------------------------------------------------

    def account(self) -> SyncAccount | None:
        """The profile's account, or None when it never signed in."""
        rows = self.store.query(
            f"SELECT {_ACCOUNT} FROM sync_accounts WHERE profile_id = ?", (self.profile_id,)
        )
        if not rows:
            return None
        return _account(rows[0], self.store.secret(self.profile_id, SYNC_TOKEN) or "")

    def require_account(self) -> SyncAccount:
        """The profile's account.

        Raises:
            UserError: not signed in.
        """
        found = self.account()
        if found is None or not found.token:
            raise UserError(
                "not signed in to a library server; run `mutolaa account login URL USER`"
            )
        return found

    def sign_in(self, server_url: str, username: str, token: str) -> SyncAccount:
        """Keep the token of a login. Another server or user starts the positions again (a new
        account); the same one keeps them (a new token after an expiry)."""
        with self.store.transaction(durable=True) as db:
            row = db.execute(
                f"SELECT {_ACCOUNT} FROM sync_accounts WHERE profile_id = ?", (self.profile_id,)
            ).fetchone()
            same = row is not None and (row[1], row[2]) == (server_url, username)
            old = self.store.secrets.get(db, self.profile_id, SYNC_TOKEN) if row else None
            if row is not None and old and old != token:
                self._add_revocation(db, str(row[1]), old)  # still valid there
            if same:
                db.execute(
                    "UPDATE sync_accounts SET last_error = '' WHERE profile_id = ?",
                    (self.profile_id,),
                )
            else:
                for table in ("sync_accounts", "sync_versions", "sync_questions", "sync_holdings"):
                    db.execute(f"DELETE FROM {table} WHERE profile_id = ?", (self.profile_id,))
                db.execute(
                    "INSERT INTO sync_accounts(profile_id, server_url, username, "
                    "device_id, added_at) VALUES (?,?,?,?,?)",
                    (self.profile_id, server_url, username, uuid.uuid4().hex, time.time()),
                )
            self.store.secrets.set(db, self.profile_id, SYNC_TOKEN, "", token)
        account = self.account()
        assert account is not None
        return account

    def sign_out(self) -> bool:
        """Forget the token (the positions stay, for the next login to the same account); it
        waits among the revocations for its server. True when there was a token."""
        with self.store.transaction(durable=True) as db:
            row = db.execute(
                "SELECT server_url FROM sync_accounts WHERE profile_id = ?", (self.profile_id,)
            ).fetchone()
            token = self.store.secrets.get(db, self.profile_id, SYNC_TOKEN)
            if row is None or not token:
                return False
            self._add_revocation(db, str(row[0]), token)
            self.store.secrets.delete(db, self.profile_id, SYNC_TOKEN)
        return True

    # -- tokens to revoke --------------------------------------------------------------------

    def revocations(self) -> builtins.list[Revocation]:
        """The tokens forgotten here that their servers have not revoked yet, oldest first."""
        return _revocations(self.store.secret(self.profile_id, SYNC_REVOCATIONS))

    def forget_revocation(self, revocation: Revocation) -> None:
        """Drop a token from the revocations (its server revoked it, or never will)."""
        with self.store.transaction(durable=True) as db:
            left = [r for r in self._read_revocations(db) if r.token != revocation.token]
            self._write_revocations(db, left)

    def _add_revocation(self, db: sqlite3.Connection, server_url: str, token: str) -> None:
        now = time.time()
        kept = [
            r
            for r in self._read_revocations(db)
            if r.token != token and now - r.since < TOKEN_LIFETIME
        ]
        kept.append(Revocation(server_url, token, now))
        self._write_revocations(db, kept[-MAX_REVOCATIONS:])

    def _read_revocations(self, db: sqlite3.Connection) -> builtins.list[Revocation]:
        return _revocations(self.store.secrets.get(db, self.profile_id, SYNC_REVOCATIONS))

    def _write_revocations(self, db: sqlite3.Connection, revocations: Sequence[Revocation]) -> None:
        if not revocations:
            self.store.secrets.delete(db, self.profile_id, SYNC_REVOCATIONS)
            return
        value = json.dumps(
            [{"server": r.server_url, "token": r.token, "since": r.since} for r in revocations]
        )
        self.store.secrets.set(db, self.profile_id, SYNC_REVOCATIONS, "", value)

    def finished(self, error: str = "") -> None:
        """Note the end of a sync (with its one-line error, if it failed)."""
        with self.store.transaction() as db:
            if error:
                db.execute(
                    "UPDATE sync_accounts SET last_error = ? WHERE profile_id = ?",
                    (" ".join(error.split()), self.profile_id),
                )
            else:
                db.execute(
                    "UPDATE sync_accounts SET last_error = '', last_sync_at = ? "
                    "WHERE profile_id = ?",
                    (time.time(), self.profile_id),
                )

    # -- positions (inside the caller's transaction) ----------------------------------------

    def set_pushed(self, db: sqlite3.Connection, seq: int) -> None:
        db.execute(
            "UPDATE sync_accounts SET pushed_seq = MAX(pushed_seq, ?) WHERE profile_id = ?",
            (seq, self.profile_id),
        )

    def set_pulled(self, db: sqlite3.Connection, version: int) -> None:
        db.execute(
            "UPDATE sync_accounts SET pulled_version = ? WHERE profile_id = ?",
            (version, self.profile_id),
        )

    def version(self, kind: str, object_id: str) -> int:
        """The server version an object was last seen at (0: never)."""
        rows = self.store.query(
            "SELECT version FROM sync_versions WHERE profile_id = ? AND kind = ? AND object_id = ?",
            (self.profile_id, kind, object_id),
        )
        return int(rows[0][0]) if rows else 0

    def versions(self, kind: str, object_ids: Sequence[str]) -> dict[str, int]:
        """The server versions of several objects of one kind (those never seen are absent)."""
        found: dict[str, int] = {}
        ids = list(dict.fromkeys(object_ids))
        for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            chunk = ids[start : start + 500]
            rows = self.store.query(
                "SELECT object_id, version FROM sync_versions WHERE profile_id = ? AND kind = ? "
                f"AND object_id IN ({','.join('?' * len(chunk))})",
                (self.profile_id, kind, *chunk),
            )
            found.update((str(r[0]), int(r[1])) for r in rows)
        return found

    def set_version(self, db: sqlite3.Connection, kind: str, object_id: str, version: int) -> None:
        db.execute(
            "INSERT INTO sync_versions(profile_id, kind, object_id, version) VALUES (?,?,?,?) "
            "ON CONFLICT(profile_id, kind, object_id) DO UPDATE SET "
            "version = MAX(version, excluded.version)",
            (self.profile_id, kind, object_id, version),
        )

    # -- the outbox --------------------------------------------------------------------------

    def local_changes(self, after: int, limit: int) -> list[Change]:
        """This profile's own changes (not those a sync applied) after log position `after`."""
        rows = self.store.query(
            f"SELECT {changes.CHANGE_COLUMNS} FROM change_log "
            "WHERE seq > ? AND profile_id = ? AND remote = 0 ORDER BY seq LIMIT ?",
            (after, self.profile_id, limit),
        )
        return changes.read(rows)

    def pending(self, db: sqlite3.Connection, kind: str, object_id: str, after: int) -> bool:
        """True when this profile changed the object after log position `after` (not pushed)."""
        return (
            db.execute(
                "SELECT 1 FROM change_log WHERE seq > ? AND profile_id = ? AND remote = 0 "
                "AND object_kind = ? AND object_id = ? LIMIT 1",
                (after, self.profile_id, kind, object_id),
            ).fetchone()
            is not None
        )

    # -- questions ---------------------------------------------------------------------------

    def wait_for_book(
        self, db: sqlite3.Connection, book_key: str, kind: str, data: dict[str, Any]
    ) -> None:
        """Keep what was pulled for a book not held here (its content hash, or ``entry:<id>``);
        the store applies it when the book arrives (`LibraryStore.add_book`, `set_origin`)."""
        db.execute(
            "INSERT INTO sync_waiting(profile_id, book_key, kind, data) VALUES (?,?,?,?) "
            "ON CONFLICT(profile_id, book_key, kind) DO UPDATE SET data = excluded.data",
            (self.profile_id, book_key, kind, json.dumps(data, ensure_ascii=False)),
        )

    def ask(self, db: sqlite3.Connection, kind: str, object_id: str, data: dict[str, Any]) -> None:
        db.execute(
            "INSERT INTO sync_questions(profile_id, kind, object_id, data, asked_at) "
            "VALUES (?,?,?,?,?) ON CONFLICT(profile_id, kind, object_id) DO UPDATE SET "
            "data = excluded.data, asked_at = excluded.asked_at",
            (self.profile_id, kind, object_id, json.dumps(data, ensure_ascii=False), time.time()),
        )

    def questions(self) -> builtins.list[Question]:
        """What the person is asked, oldest first."""
        rows = self.store.query(
            "SELECT id, kind, object_id, data, asked_at FROM sync_questions "
            "WHERE profile_id = ? ORDER BY asked_at, id",
            (self.profile_id,),
        )
        return [
            Question(int(r[0]), str(r[1]), str(r[2]), json.loads(r[3]), float(r[4])) for r in rows
        ]

    def forget_question(self, question_id: int) -> None:
        with self.store.transaction() as db:
            db.execute(
                "DELETE FROM sync_questions WHERE id = ? AND profile_id = ?",
                (question_id, self.profile_id),
            )

    # -- holdings ----------------------------------------------------------------------------

    def holdings(self, device_id: str | None = None) -> dict[str, tuple[str, dict[str, Any], bool]]:
        """object id → (device, data, deleted) of the holdings known (of one device when given)."""
        rows = self.store.query(
            "SELECT object_id, device_id, data, deleted FROM sync_holdings WHERE profile_id = ?",
            (self.profile_id,),
        )
        return {
            str(r[0]): (str(r[1]), json.loads(r[2]), bool(r[3]))
            for r in rows
            if device_id is None or r[1] == device_id
        }

    def set_holding(
        self,
        db: sqlite3.Connection,
        object_id: str,
        device_id: str,
        data: dict[str, Any],
        deleted: bool,
    ) -> None:
        db.execute(
            "INSERT INTO sync_holdings(profile_id, object_id, device_id, data, deleted) "
            "VALUES (?,?,?,?,?) ON CONFLICT(profile_id, object_id) DO UPDATE SET "
            "device_id = excluded.device_id, data = excluded.data, deleted = excluded.deleted",
            (self.profile_id, object_id, device_id, json.dumps(data, ensure_ascii=False), deleted),
        )

    def __repr__(self) -> str:
        return f"SyncState(profile {self.profile_id})"
