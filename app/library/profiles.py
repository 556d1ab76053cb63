"""The people of a library (table ``profiles``, schema 9): names, PINs, the administrator.

Rules of names and PINs are in `app.core.profiles`; who may change whom is the services'
(`app/services/profiles.py`). Removing a person deletes every row of theirs (the foreign keys
cascade; their change log, PDF-annotation marks and secrets are deleted here), never a book.
A person's PIN also wraps the keys of their secrets (`app.library.secrets`, the ``pin`` wrap):
checking it unlocks them in this process, setting or removing it wraps them again.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core.errors import UserError
from app.core.profiles import (
    PinWaitError,
    WrongPinError,
    check_pin_form,
    duration,
    hash_pin,
    person_name,
    pin_matches,
    same_name,
    wait_after,
)
from app.library.secrets import derive_pin_key
from app.library.store import LibraryStore

_COLUMNS = "id, name, is_admin, pin_hash IS NOT NULL, created_at"
#: What a person holds, by table: counted before a removal, to say what goes.
_HELD = {
    "annotations": "SELECT count(*) FROM annotations WHERE profile_id = ? AND deleted_at IS NULL",
    "positions": "SELECT count(*) FROM progress WHERE profile_id = ?",
    "catalogs": "SELECT count(*) FROM catalogs WHERE profile_id = ?",
    "sync_accounts": "SELECT count(*) FROM sync_accounts WHERE profile_id = ?",
    "koreader_accounts": "SELECT count(*) FROM koreader_accounts WHERE profile_id = ?",
    "secrets": "SELECT count(*) FROM secrets WHERE profile_id = ?",
    "downloads": "SELECT count(*) FROM downloads WHERE profile_id = ? "
    "AND state IN ('queued', 'running', 'paused', 'failed')",
}


@dataclass(frozen=True)
class Profile:
    """A person using the library.

    Attributes:
        id: the row id (what every per-person row refers to).
        name: the name shown (unique, case ignored).
        is_admin: the centre's administrator (one at most).
        has_pin: a PIN protects the profile.
        created_at: when it was added (seconds since the epoch).
    """

    id: int
    name: str
    is_admin: bool
    has_pin: bool
    created_at: float


def _refuse_during_wait(name: str, failures: int, left: float) -> None:
    """Raise `PinWaitError` while ``left`` seconds of the wait remain."""
    left = min(left, wait_after(failures))  # a clock set back makes it no longer than it was
    if left > 0:
        raise PinWaitError(f"too many wrong PINs for {name}; try again in {duration(left)}", left)


def _profile(row: Any) -> Profile:
    return Profile(int(row[0]), str(row[1]), bool(row[2]), bool(row[3]), float(row[4]))


class ProfileStore:
    """The people of one library.

    Args:
        store: the library store.
        clock: the time in seconds since the epoch (tests move it); the wait after wrong PINs
            is kept as such a time, so it holds across processes.
    """

    def __init__(self, store: LibraryStore, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    # -- reading ---------------------------------------------------------------------------

    def list(self) -> builtins.list[Profile]:
        """Everyone, in the order they were added."""
        return [
            _profile(r) for r in self.store.query(f"SELECT {_COLUMNS} FROM profiles ORDER BY id")
        ]

    def get(self, profile_id: int) -> Profile:
        """The person with this id.

        Raises:
            UserError: there is none (removed meanwhile).
        """
        rows = self.store.query(f"SELECT {_COLUMNS} FROM profiles WHERE id = ?", (profile_id,))
        if not rows:
            raise UserError(f"no person with id {profile_id} in this library")
        return _profile(rows[0])

    def find(self, name: str) -> Profile | None:
        """The person of this name (case ignored), or None."""
        wanted = " ".join(name.split())
        return next((p for p in self.list() if same_name(p.name, wanted)), None)

    def named(self, name: str) -> Profile:
        """The person of this name (case ignored).

        Raises:
            UserError: nobody has it; the message lists who does.
        """
        found = self.find(name)
        if found is None:
            people = ", ".join(p.name for p in self.list())
            raise UserError(f"no person named {name!r} in this library (people: {people})")
        return found

    def administrator(self) -> Profile | None:
        """The centre's administrator, or None when nobody has the role."""
        return next((p for p in self.list() if p.is_admin), None)

    def held(self, profile_id: int) -> dict[str, int]:
        """How much a person holds, by kind (`_HELD`): what removing them deletes."""
        return {
            kind: int(self.store.query(sql, (profile_id,))[0][0]) for kind, sql in _HELD.items()
        }

    def settings(self, profile_id: int) -> dict[str, Any]:
        """A person's own settings (empty until they change one; unreadable ones are empty)."""
        rows = self.store.query("SELECT settings FROM profiles WHERE id = ?", (profile_id,))
        try:
            value = json.loads(rows[0][0]) if rows else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    # -- changing --------------------------------------------------------------------------

    def add(self, name: str, *, pin: str | None = None, admin: bool = False) -> Profile:
        """Add a person.

        Raises:
            UserError: the name is empty, too long or taken; the PIN is malformed; an
                administrator without a PIN, or a second one.
        """
        name = person_name(name)
        if admin and pin is None:
            raise UserError("the administrator needs a PIN")
        hashed = None if pin is None else hash_pin(pin)
        with self.store.transaction() as db:
            self._check_free(db, name, None)
            if admin:
                self._check_no_admin(db)
            cursor = db.execute(
                "INSERT INTO profiles(name, created_at, pin_hash, is_admin) VALUES (?, ?, ?, ?)",
                (name, self.clock(), hashed, int(admin)),
            )
            profile_id = int(cursor.lastrowid or 0)
        return self.get(profile_id)

    def rename(self, profile_id: int, new_name: str) -> Profile:
        """Give a person another name (their data stays theirs: it is kept by id).

        Raises:
            UserError: the name is empty, too long or another person's.
        """
        name = person_name(new_name)
        with self.store.transaction() as db:
            self._check_free(db, name, profile_id)
            db.execute("UPDATE profiles SET name = ? WHERE id = ?", (name, profile_id))
        return self.get(profile_id)

    def remove(self, profile_id: int) -> None:
        """Delete a person and everything of theirs; the books stay.

        Their notes, positions, catalogues, accounts, downloads queue and sync state go with
        the row (foreign keys); their change log, PDF-annotation marks, secrets and data keys
        are deleted here (the log and the marks have no foreign key; a row id may be used
        again by a person added later, who must not inherit them).

        Raises:
            UserError: they are the last person (a library always has one).
        """
        with self.store.transaction() as db:
            if int(db.execute("SELECT count(*) FROM profiles").fetchone()[0]) <= 1:
                raise UserError("the last person of a library cannot be removed")
            items = self.store.secrets.forget_profile(db, profile_id)
            db.execute("DELETE FROM change_log WHERE profile_id = ?", (profile_id,))
            db.execute(
                "DELETE FROM meta WHERE key LIKE ?", (f"pdf_annotations_adopted:{profile_id}:%",)
            )
            db.execute("DELETE FROM profiles WHERE id = ?", (profile_id,))
        self.store.secrets.drop_keyring_items(items)

    def set_pin(self, profile_id: int, pin: str | None) -> None:
        """Set (or with None remove) a person's PIN; the count of wrong PINs starts again.

        The keys of their secrets are wrapped by the new PIN only (or, removed, by the
        credential store or the file key again) in the same transaction as the hash; the
        person is then unlocked in this process with the new PIN.

        Raises:
            UserError: the PIN is malformed, or None for the administrator; the person has a
                PIN that was not given in this process (`check_pin`), so their secrets' keys
                cannot be wrapped again.
        """
        hashed = None if pin is None else hash_pin(pin)
        pin_key = None if pin is None else derive_pin_key(pin)
        secrets = self.store.secrets
        with self.store.transaction() as db:
            if hashed is None and self._is_admin(db, profile_id):
                raise UserError("the administrator's PIN cannot be removed, only changed")
            _changed, items = secrets.rewrap(db, profile_id, pin_key)
            db.execute(
                "UPDATE profiles SET pin_hash = ?, pin_failures = 0, pin_wait_until = 0 "
                "WHERE id = ?",
                (hashed, profile_id),
            )
        secrets.hold(profile_id, pin_key)
        secrets.drop_keyring_items(items)
        self.store.truncate_log()  # no frame keeps a key's wrap from before

    def lock(self, profile_id: int) -> None:
        """Forget in this process the keys a person's PIN unlocked (they left the computer)."""
        self.store.secrets.lock(profile_id)

    def check_pin(self, profile_id: int, pin: str) -> None:
        """Check a person's PIN; each wrong one after the first `FREE_TRIES` - 1 makes a wait.

        During the wait no PIN is checked, not even the right one (a second process cannot
        try meanwhile: the wait is in the database). A right PIN clears the count. A person
        without a PIN passes. A right PIN unlocks the person's secrets in this process
        (`SecretStore.unlock`, ~0.13 s more) and wraps by it any key of theirs not yet so.

        Raises:
            UserError: the PIN is not 4 to 8 digits (not counted: it cannot be anyone's).
            PinWaitError: the person must wait; the message says how long.
            WrongPinError: the PIN is wrong (counted).
        """
        with self.store.transaction() as db:
            row = db.execute(
                "SELECT name, pin_hash, pin_failures, pin_wait_until FROM profiles WHERE id = ?",
                (profile_id,),
            ).fetchone()
            if row is None:
                raise UserError(f"no person with id {profile_id} in this library")
            name, kept, failures, wait_until = str(row[0]), row[1], int(row[2]), float(row[3])
            if kept is None:
                return
            now = self.clock()
            _refuse_during_wait(name, failures, wait_until - now)
            check_pin_form(pin)
            matched = pin_matches(pin, str(kept))
            if matched:
                if failures:
                    db.execute(
                        "UPDATE profiles SET pin_failures = 0, pin_wait_until = 0 WHERE id = ?",
                        (profile_id,),
                    )
                secrets = self.store.secrets
                secrets.unlock(db, profile_id, pin)
                # keys kept plainly while the person had a PIN (one set by an older version)
                held = secrets.held(profile_id)
                changed, items = (0, []) if held is None else secrets.rewrap(db, profile_id, held)
            else:
                failures += 1
                wait = wait_after(failures)
                db.execute(
                    "UPDATE profiles SET pin_failures = ?, pin_wait_until = ? WHERE id = ?",
                    (failures, now + wait if wait else 0.0, profile_id),
                )
        if matched:
            secrets.drop_keyring_items(items)
            if changed:
                self.store.truncate_log()
            return
        # raised after the commit: the transaction rolls back what its block raises through
        later = f"; try again in {duration(wait)}" if wait else ""
        raise WrongPinError(f"wrong PIN for {name}{later}")

    def check_no_wait(self, profile_id: int) -> None:
        """Nothing, unless the person must wait after wrong PINs (asked before their PIN is).

        Raises:
            PinWaitError: they must wait; the message says how long.
        """
        rows = self.store.query(
            "SELECT name, pin_failures, pin_wait_until FROM profiles WHERE id = ?", (profile_id,)
        )
        if rows:
            name, failures, wait_until = rows[0]
            _refuse_during_wait(str(name), int(failures), float(wait_until) - self.clock())

    def reset_pin(self, profile_id: int) -> None:
        """Remove a person's forgotten PIN and erase their secrets (sync token, catalogue
        passwords, KOReader key, their data keys): they sign in again. Their notes, positions
        and the rest stay.

        Raises:
            UserError: the person is the administrator (whose PIN is changed, never reset).
        """
        with self.store.transaction() as db:
            if self._is_admin(db, profile_id):
                raise UserError("the administrator's PIN cannot be reset, only changed")
            items = self.store.secrets.forget_profile(db, profile_id)
            db.execute(
                "UPDATE profiles SET pin_hash = NULL, pin_failures = 0, pin_wait_until = 0 "
                "WHERE id = ?",
                (profile_id,),
            )
        self.store.secrets.drop_keyring_items(items)

    def set_settings(self, profile_id: int, settings: dict[str, Any]) -> None:
        """Keep a person's own settings (JSON)."""
        with self.store.transaction() as db:
            db.execute(
                "UPDATE profiles SET settings = ? WHERE id = ?",
                (json.dumps(settings, ensure_ascii=False, sort_keys=True), profile_id),
            )

    def update_settings(self, profile_id: int, values: dict[str, Any]) -> None:
        """Change some of a person's own settings, keeping the others (in one transaction)."""
        with self.store.transaction() as db:
            rows = db.execute("SELECT settings FROM profiles WHERE id = ?", (profile_id,))
            row = rows.fetchone()
            try:
                own = json.loads(row[0]) if row and row[0] else {}
            except ValueError:
                own = {}
            own = {**(own if isinstance(own, dict) else {}), **values}
            db.execute(
                "UPDATE profiles SET settings = ? WHERE id = ?",
                (json.dumps(own, ensure_ascii=False, sort_keys=True), profile_id),
            )

    # -- checks inside a transaction -------------------------------------------------------

    def _check_free(self, db: sqlite3.Connection, name: str, profile_id: int | None) -> None:
        for other_id, other in db.execute("SELECT id, name FROM profiles"):
            if other_id != profile_id and same_name(str(other), name):
                raise UserError(f"{other!r} is already a person of this library")

    def _check_no_admin(self, db: sqlite3.Connection) -> None:
        row = db.execute("SELECT name FROM profiles WHERE is_admin = 1").fetchone()
        if row is not None:
            raise UserError(f"{row[0]} is already the administrator (a library has one)")

    def _is_admin(self, db: sqlite3.Connection, profile_id: int) -> bool:
        row = db.execute("SELECT is_admin FROM profiles WHERE id = ?", (profile_id,)).fetchone()
        return bool(row and row[0])
