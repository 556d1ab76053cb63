"""What the library keeps about a profile's KOReader progress sync (docs/sync-protocol.md).

One KOReader sync server per profile (`koreader_accounts`): its address, the user name, the key
KOReader's protocol sends (the MD5 of the password: never the password; never logged, never in
`repr`), whether the sync is on, this device's id there, and how the last sync ended. Per book
(`koreader_books`): its KOReader document id (the partial MD5 of its file), the position last
exchanged with the server, and the last remote progress seen. The sync itself is
`app/services/sync/koreader.py`; the SQL is here. The key is kept encrypted by the store's
`SecretStore` (the ``userkey`` column stays empty since schema 8).
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import UserError
from app.library.secrets import KOREADER_KEY
from app.library.store import LibraryStore

_ACCOUNT = "profile_id, server_url, username, '', device_id, enabled, last_sync_at, last_error"


@dataclass(frozen=True)
class KoreaderAccount:
    """A profile's KOReader sync server."""

    profile_id: int
    server_url: str
    username: str
    key: str = field(repr=False)
    device_id: str
    enabled: bool = True
    last_sync_at: float | None = None
    last_error: str = ""

    @property
    def active(self) -> bool:
        """True when the sync is on and has a key to send."""
        return self.enabled and bool(self.key)


@dataclass(frozen=True)
class KoreaderBook:
    """What was last exchanged with the server about one book."""

    book_id: str
    document: str
    position: str | None = None  # our position last sent or applied (None: never)
    fraction: float | None = None
    seen: str = ""  # the last remote progress decided on ('' : none)


def _account(row: Sequence[Any], key: str) -> KoreaderAccount:
    return KoreaderAccount(
        profile_id=int(row[0]),
        server_url=str(row[1]),
        username=str(row[2]),
        key=key,
        device_id=str(row[4]),
        enabled=bool(row[5]),
        last_sync_at=None if row[6] is None else float(row[6]),
        last_error=str(row[7]),
    )


class KoreaderState:
    """The KOReader tables of one library store, for one profile."""

    def __init__(self, store: LibraryStore, profile_id: int) -> None:
        self.store = store
        self.profile_id = profile_id

    def account(self) -> KoreaderAccount | None:
        """The profile's KOReader sync server, or None when it never set one."""
        rows = self.store.query(
            f"SELECT {_ACCOUNT} FROM koreader_accounts WHERE profile_id = ?", (self.profile_id,)
        )
        if not rows:
            return None
        return _account(rows[0], self.store.secret(self.profile_id, KOREADER_KEY) or "")

    def active_account(self) -> KoreaderAccount | None:
        """The account when the sync is on (with a key), else None."""
        found = self.account()
        return found if found is not None and found.active else None

    def require_account(self) -> KoreaderAccount:
        """The account when the sync is on.

        Raises:
            UserError: not set up, or turned off.
        """
        found = self.active_account()
        if found is None:
            raise UserError(
                "KOReader progress sync is off; run `mutolaa account koreader URL USER`"
            )
        return found

    def turn_on(self, server_url: str, username: str, key: str) -> KoreaderAccount:
        """Keep a checked server, user and key. Another server or user forgets what was
        exchanged per book (its document ids stay: they belong to the files)."""
        with self.store.transaction(durable=True) as db:
            row = db.execute(
                "SELECT server_url, username, device_id FROM koreader_accounts "
                "WHERE profile_id = ?",
                (self.profile_id,),
            ).fetchone()
            if row is not None and (row[0], row[1]) != (server_url, username):
                db.execute(
                    "UPDATE koreader_books SET position = NULL, fraction = NULL, seen = '' "
                    "WHERE profile_id = ?",
                    (self.profile_id,),
                )
            device = str(row[2]) if row is not None else uuid.uuid4().hex.upper()
            db.execute(
                "INSERT INTO koreader_accounts(profile_id, server_url, username, "
                "device_id, enabled, added_at) VALUES (?,?,?,?,1,?) "
                "ON CONFLICT(profile_id) DO UPDATE SET server_url = excluded.server_url, "
                "username = excluded.username, enabled = 1, last_error = ''",
                (self.profile_id, server_url, username, device, time.time()),
            )
            self.store.secrets.set(db, self.profile_id, KOREADER_KEY, "", key)
        account = self.account()
        assert account is not None
        return account

    def turn_off(self) -> bool:
        """Stop the sync and forget the key (turning it on again asks for the password).
        False when it was not set up."""
        with self.store.transaction() as db:
            done = db.execute(
                "UPDATE koreader_accounts SET enabled = 0 WHERE profile_id = ?",
                (self.profile_id,),
            )
            self.store.secrets.delete(db, self.profile_id, KOREADER_KEY)
            return done.rowcount > 0

    def finished(self, error: str = "") -> None:
        """Note the end of a sync (with its one-line error, if it failed)."""
        with self.store.transaction() as db:
            if error:
                db.execute(
                    "UPDATE koreader_accounts SET last_error = ? WHERE profile_id = ?",
                    (" ".join(error.split()), self.profile_id),
                )
            else:
                db.execute(
                    "UPDATE koreader_accounts SET last_error = '', last_sync_at = ? "
                    "WHERE profile_id = ?",
                    (time.time(), self.profile_id),
                )

    # -- books -------------------------------------------------------------------------------

    def books(self, book_ids: Sequence[str]) -> dict[str, KoreaderBook]:
        """What is known about these books (those never synced are absent)."""
        found: dict[str, KoreaderBook] = {}
        ids = list(dict.fromkeys(book_ids))
        for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            chunk = ids[start : start + 500]
            rows = self.store.query(
                "SELECT book_id, document, position, fraction, seen FROM koreader_books "
                f"WHERE profile_id = ? AND book_id IN ({','.join('?' * len(chunk))})",
                (self.profile_id, *chunk),
            )
            for r in rows:
                found[str(r[0])] = KoreaderBook(
                    str(r[0]),
                    str(r[1]),
                    None if r[2] is None else str(r[2]),
                    None if r[3] is None else float(r[3]),
                    str(r[4]),
                )
        return found

    def changed_books(self, limit: int) -> list[str]:
        """Ids of the books whose position here differs from the one last exchanged with the
        server (or was never exchanged), the latest saved first, at most ``limit``."""
        rows = self.store.query(
            "SELECT p.book_id FROM progress p LEFT JOIN koreader_books k "
            "ON k.profile_id = p.profile_id AND k.book_id = p.book_id "
            "WHERE p.profile_id = ? AND (k.book_id IS NULL OR k.position IS NOT p.position "
            "OR k.fraction IS NOT p.fraction) ORDER BY p.updated_at DESC LIMIT ?",
            (self.profile_id, limit),
        )
        return [str(r[0]) for r in rows]

    def set_book(self, db: sqlite3.Connection, book: KoreaderBook) -> None:
        """Store what was exchanged about a book, inside the caller's transaction."""
        db.execute(
            "INSERT INTO koreader_books(profile_id, book_id, document, position, fraction, seen) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(profile_id, book_id) DO UPDATE SET "
            "document = excluded.document, position = excluded.position, "
            "fraction = excluded.fraction, seen = excluded.seen",
            (
                self.profile_id,
                book.book_id,
                book.document,
                book.position,
                book.fraction,
                book.seen,
            ),
        )

    def __repr__(self) -> str:
        return f"KoreaderState(profile {self.profile_id})"
