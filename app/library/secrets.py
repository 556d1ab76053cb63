"""A person's secrets (catalogue passwords, sync tokens, KOReader keys), never in plain text.

Each secret is encrypted (AES-256-GCM, a fresh nonce each time, its profile, kind and name as
associated data, so a value cannot be moved to another row) with its person's *data key* and
kept in the ``secrets`` table. A data key (``secret_keys``) is itself kept in one of two ways,
its ``wrap``:

- ``keyring``: in the system's credential store through the ``keyring`` package (Windows
  Credential Manager, macOS Keychain, the Secret Service on Linux), when one is usable;
- ``file``: encrypted with the library's file key, 32 random bytes in ``secret.key`` beside the
  database (0600, in the 0700 library folder), when none is.

- ``pin``: encrypted with a key derived from the person's PIN (scrypt; its salt and cost in
  ``params``), for a person who has one, and only so: the database, ``secret.key`` and the
  credential store together open nothing of theirs without the PIN. A process holds that key
  once the PIN was given (`unlock`), until `lock`.

Setting, changing or removing a PIN wraps the data keys again (`rewrap`); the secrets stay as
they are (docs/storage.md, "Secrets"). A secret whose key cannot be had (the credential store
is not running, ``secret.key`` was deleted, the person's PIN was not given) reads as absent:
the person signs in again.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.core.errors import StoreError, UserError
from app.core.private import FILE_MODE, POSIX
from app.library.files import fsync_dir

log = logging.getLogger(__name__)

KEY_FILE = "secret.key"
#: ``off`` (or 0, no, false): never use the system's credential store; the tests set it.
KEYRING_ENV = "MUTOLAA_KEYRING"
#: The service name of the data keys in the system's credential store.
KEYRING_SERVICE = "Mutolaa"

# The kinds of secret.
CATALOG_PASSWORD = "catalog-password"  # name: the catalogue's row id
SYNC_TOKEN = "sync-token"  # name: ""
SYNC_REVOCATIONS = "sync-revocations"  # name: ""; JSON list of tokens signed out, not yet revoked
KOREADER_KEY = "koreader-key"  # name: ""

WRAP_KEYRING = "keyring"
WRAP_FILE = "file"
WRAP_PIN = "pin"
#: scrypt's cost for a PIN's key (RFC 7914): 32 MiB, measured 0.10-0.15 s on this 2-core
#: machine; with the PIN's hash check (n=2**14) choosing a protected person takes ~0.2 s.
PIN_N, PIN_R, PIN_P = 2**15, 8, 1
_SALT_BYTES = 16
_KEY_BYTES = 32
_NONCE_BYTES = 12
_OFF = {"off", "0", "no", "false"}


class _Auto:
    """The system's credential store when usable (`system_keyring`), probed when first needed."""


AUTO = _Auto()
_probe_lock = threading.Lock()
_probed: list[Any] = []  # [the usable backend or None], once probed


def system_keyring() -> Any | None:
    """The system's credential store (a ``keyring`` backend) when one is usable, else None.

    Probed once per process (on Linux the probe talks D-Bus: it runs where the store is used,
    never on the UI thread). ``$MUTOLAA_KEYRING=off`` turns it off. Backends that keep nothing
    (``fail``, ``null``, a chainer without backends), a priority below 1, and the plain-text or
    weakly encrypted files of ``keyrings.alt`` are not used.
    """
    if os.environ.get(KEYRING_ENV, "").strip().lower() in _OFF:
        return None
    with _probe_lock:
        if not _probed:
            _probed.append(_probe())
        return _probed[0]


def forget_probe() -> None:
    """Probe again at the next use (after ``keyring.set_keyring``, or another environment)."""
    with _probe_lock:
        _probed.clear()


def _probe() -> Any | None:
    try:
        import keyring  # noqa: PLC0415 - imported only when a secret is first used

        backend = keyring.get_keyring()
        usable = _usable(backend)
    except Exception as exc:  # a broken installation or D-Bus: fall back, never fail
        log.info("no system credential store (%s); secrets are encrypted with %s", exc, KEY_FILE)
        return None
    if not usable:
        log.info("no usable system credential store; secrets are encrypted with %s", KEY_FILE)
        return None
    log.info("secrets' keys are kept in the system's credential store (%s)", type(backend).__name__)
    return backend


def _usable(backend: Any) -> bool:
    from keyring.backends import chainer, fail, null  # noqa: PLC0415

    if isinstance(backend, chainer.ChainerBackend):
        parts = list(backend.backends)
        return bool(parts) and all(_usable(part) for part in parts)
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if type(backend).__module__.startswith("keyrings.alt"):
        return False  # files in plain text, or encrypted with a password typed on a terminal
    try:
        return float(backend.priority) >= 1
    except Exception:
        return False


@dataclass(frozen=True)
class PinKey:
    """A key derived from a person's PIN, and how (scrypt's salt and cost, kept in ``params``).

    Attributes:
        key: 32 bytes that wrap the person's data keys.
        salt: scrypt's random salt (16 bytes).
        n, r, p: scrypt's cost.
    """

    key: bytes
    salt: bytes
    n: int = PIN_N
    r: int = PIN_R
    p: int = PIN_P

    @property
    def params(self) -> str:
        """What ``secret_keys.params`` keeps of it (never the key)."""
        return json.dumps(
            {"kdf": "scrypt", "n": self.n, "r": self.r, "p": self.p, "salt": self.salt.hex()},
            sort_keys=True,
        )

    def made_by(self, params: str) -> bool:
        """Whether a row's ``params`` are this key's (the same salt and cost)."""
        return _pin_cost(params) == (self.salt, self.n, self.r, self.p)


def _pin_cost(params: str) -> tuple[bytes, int, int, int] | None:
    """The salt and cost in a PIN wrap's ``params``, or None when they are not readable."""
    try:
        value = json.loads(params)
        cost = (bytes.fromhex(value["salt"]), int(value["n"]), int(value["r"]), int(value["p"]))
    except (ValueError, KeyError, TypeError):
        return None
    salt, n, r, p = cost
    if value.get("kdf") != "scrypt" or len(salt) < _SALT_BYTES or not 2 <= n <= 2**17:
        return None  # not ours, or a cost that would take the machine's memory
    return cost if 1 <= r <= 16 and 1 <= p <= 16 else None


def derive_pin_key(pin: str, params: str | None = None) -> PinKey | None:
    """The key of ``pin`` with the salt and cost in ``params`` (None: a new salt, `PIN_N`…).

    Takes ~0.13 s (scrypt): never on the UI thread. None when ``params`` are not readable.
    """
    if params is None:
        cost = (os.urandom(_SALT_BYTES), PIN_N, PIN_R, PIN_P)
    else:
        found = _pin_cost(params)
        if found is None:
            return None
        cost = found
    salt, n, r, p = cost
    key = hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r, dklen=_KEY_BYTES
    )
    return PinKey(key, salt, n, r, p)


def _pin_aad(profile_id: int, key_id: int) -> bytes:
    return _aad("pin data key", profile_id, key_id)


def _aad(*parts: object) -> bytes:
    return "\0".join(str(part) for part in parts).encode("utf-8")


def _seal(key: bytes, plain: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plain, aad)


def _unseal(key: bytes, sealed: bytes, aad: bytes) -> bytes | None:
    try:
        return AESGCM(key).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], aad)
    except (InvalidTag, ValueError):
        return None


class SecretStore:
    """The secrets of a library's people, by (profile id, kind, name).

    Reads take the store's connection; writes take the caller's transaction, so a secret
    changes with its row (a catalogue, an account). Thread-safe: the store serialises the
    connection, a lock the keys.

    Args:
        folder: the library folder (``secret.key`` lives there).
        keyring: the credential store: `AUTO` (the system's, `system_keyring`), a ``keyring``
            backend, or None (never; every data key is wrapped by the file key).
    """

    def __init__(self, folder: Path, keyring: Any = AUTO) -> None:
        self.key_file = folder / KEY_FILE
        self._keyring = keyring
        self._keys: dict[int, bytes] = {}  # key id → data key, once unwrapped
        self._owners: dict[int, int] = {}  # key id → its person (to forget theirs at `lock`)
        self._pin_keys: dict[int, PinKey] = {}  # person → their PIN's key, once unlocked
        self._unreadable: set[int] = set()  # key ids already reported unreadable
        self._lock = threading.RLock()

    @property
    def keyring(self) -> Any | None:
        """The credential store in use (None: the file key)."""
        return system_keyring() if isinstance(self._keyring, _Auto) else self._keyring

    def get(self, db: sqlite3.Connection, profile_id: int, kind: str, name: str = "") -> str | None:
        """The secret, or None when there is none or it cannot be read (its key is gone)."""
        row = db.execute(
            "SELECT key_id, value FROM secrets WHERE profile_id = ? AND kind = ? AND name = ?",
            (profile_id, kind, name),
        ).fetchone()
        if row is None:
            return None
        key = self._data_key(db, int(row[0]))
        plain = None if key is None else _unseal(key, bytes(row[1]), _aad(profile_id, kind, name))
        if plain is None:
            if key is not None:
                log.warning(
                    "a %s of profile %d cannot be decrypted; it is ignored", kind, profile_id
                )
            return None
        return plain.decode("utf-8")

    def set(
        self, db: sqlite3.Connection, profile_id: int, kind: str, name: str, value: str
    ) -> None:
        """Keep a secret inside the caller's transaction; an empty value deletes it.

        Raises:
            StoreError: ``secret.key`` is damaged, or cannot be written.
        """
        if not value:
            self.delete(db, profile_id, kind, name)
            return
        with self._lock:
            key_id, key = self._writing_key(db, profile_id)
        sealed = _seal(key, value.encode("utf-8"), _aad(profile_id, kind, name))
        db.execute(
            "INSERT INTO secrets(profile_id, kind, name, key_id, value) VALUES (?,?,?,?,?) "
            "ON CONFLICT(profile_id, kind, name) DO UPDATE SET key_id = excluded.key_id, "
            "value = excluded.value",
            (profile_id, kind, name, key_id, sealed),
        )

    def delete(self, db: sqlite3.Connection, profile_id: int, kind: str, name: str = "") -> None:
        """Forget a secret inside the caller's transaction (none is not an error)."""
        db.execute(
            "DELETE FROM secrets WHERE profile_id = ? AND kind = ? AND name = ?",
            (profile_id, kind, name),
        )

    def forget_profile(self, db: sqlite3.Connection, profile_id: int) -> list[str]:
        """Delete every secret of a person and their data keys, inside the caller's transaction.

        Returns:
            The credential-store items of those keys: give them to `drop_keyring_items` after
            the commit (before it, a rolled-back transaction would keep secrets whose key is
            gone).
        """
        rows = db.execute(
            "SELECT id, wrap, params FROM secret_keys WHERE profile_id = ?", (profile_id,)
        ).fetchall()
        db.execute("DELETE FROM secrets WHERE profile_id = ?", (profile_id,))
        db.execute("DELETE FROM secret_keys WHERE profile_id = ?", (profile_id,))
        items = []
        with self._lock:
            self.lock(profile_id)
            for key_id, wrap, params in rows:
                self._keys.pop(int(key_id), None)
                if wrap == WRAP_KEYRING:
                    with contextlib.suppress(ValueError, KeyError, TypeError):
                        items.append(str(json.loads(params)["item"]))
        return items

    def drop_keyring_items(self, items: list[str]) -> None:
        """Delete data keys from the credential store (after `forget_profile`'s commit); one that
        cannot be deleted is logged and left (it opens nothing: its secrets are gone)."""
        keyring = self.keyring
        if keyring is None:
            return
        for item in items:
            try:
                keyring.delete_password(KEYRING_SERVICE, item)
            except Exception as exc:  # already gone, or the store does not answer
                log.info("a data key stayed in the credential store (%s)", type(exc).__name__)

    # -- the PIN wrap ----------------------------------------------------------------------

    def unlock(self, db: sqlite3.Connection, profile_id: int, pin: str) -> bool:
        """Hold the key of a person's PIN in this process and open their PIN-wrapped data keys.

        The PIN must have been checked against its hash (`ProfileStore.check_pin` calls this
        then): a person without PIN-wrapped keys yet gets a key with a new salt, for the first.
        Takes ~0.13 s (scrypt).

        Returns:
            False when the person has PIN-wrapped keys and the PIN opens none of them (a wrong
            PIN, or damaged rows): nothing is held, the person stays locked; True otherwise.
        """
        rows = db.execute(
            "SELECT id, wrapped, params FROM secret_keys WHERE profile_id = ? AND wrap = ? "
            "ORDER BY id DESC",
            (profile_id, WRAP_PIN),
        ).fetchall()
        derived: dict[str, PinKey | None] = {}
        for _key_id, _wrapped, params in rows:  # one salt as a rule: one derivation
            if str(params) not in derived:
                derived[str(params)] = derive_pin_key(pin, str(params))
        usable = [k for k in derived.values() if k is not None]
        main = usable[0] if usable else derive_pin_key(pin)
        assert main is not None
        opened = not rows
        with self._lock:
            for key_id, wrapped, params in rows:
                pin_key = derived[str(params)]
                key = None
                if pin_key is not None:
                    key = _unseal(pin_key.key, bytes(wrapped), _pin_aad(profile_id, int(key_id)))
                if key is None:
                    continue
                opened = True
                self._remember(int(key_id), profile_id, key)
                if pin_key is not main:  # two salts (two processes' first keys): one now
                    self._wrap_with_pin(db, profile_id, int(key_id), key, main)
            if opened:
                self._pin_keys[profile_id] = main
        if not opened:  # not held: a new key must never be wrapped by what opens nothing
            log.warning(
                "the PIN of profile %d opens none of their keys; their secrets stay locked "
                "(the administrator's reset-pin erases them)",
                profile_id,
            )
        return opened

    def lock(self, profile_id: int) -> None:
        """Forget a person's PIN key and data keys in this process (they left): their
        PIN-wrapped secrets read as absent until `unlock` again."""
        with self._lock:
            self._pin_keys.pop(profile_id, None)
            for key_id in [k for k, owner in self._owners.items() if owner == profile_id]:
                self._keys.pop(key_id, None)
                self._owners.pop(key_id, None)

    def held(self, profile_id: int) -> PinKey | None:
        """The person's PIN key when this process holds it (`unlock`), else None."""
        with self._lock:
            return self._pin_keys.get(profile_id)

    def hold(self, profile_id: int, pin_key: PinKey | None) -> None:
        """Hold a person's new PIN key (after the commit of `rewrap` with it); None: their PIN
        was removed, the key is forgotten (their data keys, now wrapped plainly, stay open)."""
        with self._lock:
            if pin_key is None:
                self._pin_keys.pop(profile_id, None)
            else:
                self._pin_keys[profile_id] = pin_key

    def rewrap(
        self, db: sqlite3.Connection, profile_id: int, pin_key: PinKey | None
    ) -> tuple[int, list[str]]:
        """Wrap each data key of a person by ``pin_key`` only, or with None back by the
        credential store or the file key, inside the caller's transaction (the one that changes
        the PIN's hash: a crash never leaves a new hash beside keys wrapped by the old PIN).

        Only the ``secret_keys`` rows change; what they held before is zeroed in the file
        (``secure_delete``; the caller empties the log after the commit). A key that cannot be
        opened here (the credential store does not answer in this session) keeps its wrap and
        is wrapped at the person's next unlock where it opens.

        Returns:
            How many keys were wrapped again, and the credential-store items no longer used:
            give them to `drop_keyring_items` after the commit, then `hold` the new key.

        Raises:
            UserError: the person's keys are wrapped by their PIN and it was not given in this
                process.
        """
        rows = db.execute(
            "SELECT id, wrap, params FROM secret_keys WHERE profile_id = ? ORDER BY id",
            (profile_id,),
        ).fetchall()
        keyring = self.keyring if pin_key is None and rows else None
        changed, items = 0, []
        with self._lock:
            db.execute("PRAGMA secure_delete = ON")
            try:
                for key_id, wrap, params in rows:
                    if pin_key is None and wrap != WRAP_PIN:
                        continue  # the PIN goes: plain keys stay as they are
                    if pin_key is not None and wrap == WRAP_PIN and pin_key.made_by(str(params)):
                        continue  # already wrapped by this PIN
                    key = self._data_key(db, int(key_id))
                    if key is None:
                        if wrap == WRAP_PIN and profile_id not in self._pin_keys:
                            raise UserError(self._locked(db, profile_id))
                        continue
                    if wrap == WRAP_KEYRING:
                        with contextlib.suppress(ValueError, KeyError, TypeError):
                            items.append(str(json.loads(params)["item"]))
                    if pin_key is None:
                        self._wrap_plainly(db, profile_id, int(key_id), key, keyring)
                    else:
                        self._wrap_with_pin(db, profile_id, int(key_id), key, pin_key)
                    changed += 1
            finally:
                db.execute("PRAGMA secure_delete = OFF")
        return changed, items

    def _has_pin(self, db: sqlite3.Connection, profile_id: int) -> bool:
        try:
            row = db.execute(
                "SELECT pin_hash IS NOT NULL FROM profiles WHERE id = ?", (profile_id,)
            ).fetchone()
        except sqlite3.OperationalError:
            return False  # schema 8's migration: no PINs yet
        return bool(row and row[0])

    def _locked(self, db: sqlite3.Connection, profile_id: int) -> str:
        row = db.execute("SELECT name FROM profiles WHERE id = ?", (profile_id,)).fetchone()
        name = str(row[0]) if row else f"profile {profile_id}"
        return (
            f"{name}'s passwords and tokens are locked by their PIN: choose {name} with the "
            "PIN first"
        )

    def _wrap_with_pin(
        self, db: sqlite3.Connection, profile_id: int, key_id: int, key: bytes, pin_key: PinKey
    ) -> None:
        wrapped = _seal(pin_key.key, key, _pin_aad(profile_id, key_id))
        db.execute(
            "UPDATE secret_keys SET wrap = ?, wrapped = ?, params = ? WHERE id = ?",
            (WRAP_PIN, wrapped, pin_key.params, key_id),
        )

    def _wrap_plainly(
        self, db: sqlite3.Connection, profile_id: int, key_id: int, key: bytes, keyring: Any
    ) -> None:
        """Keep a data key in the credential store, or (none, or it refuses) the file key."""
        if keyring is not None and self._keyring_put(keyring, db, key_id, key):
            return
        wrapped = _seal(self._file_key(), key, _aad("data key", profile_id, key_id))
        db.execute(
            "UPDATE secret_keys SET wrap = ?, wrapped = ?, params = '{}' WHERE id = ?",
            (WRAP_FILE, wrapped, key_id),
        )

    def _remember(self, key_id: int, profile_id: int, key: bytes) -> None:
        self._keys[key_id] = key
        self._owners[key_id] = profile_id

    # -- data keys -------------------------------------------------------------------------

    def _writing_key(self, db: sqlite3.Connection, profile_id: int) -> tuple[int, bytes]:
        """The data key new secrets of the person are sealed with: the newest one that can be
        had now (moved into the credential store when one is usable and it was in the file),
        else a new one. A person with a PIN: only a key wrapped by it, which needs it unlocked.

        Raises:
            UserError: the person has a PIN and it was not given in this process (or it was
                changed since by another process): never a weaker wrap instead.
        """
        if self._has_pin(db, profile_id):
            return self._pin_writing_key(db, profile_id)
        keyring = self.keyring
        rows = db.execute(
            "SELECT id, wrap FROM secret_keys WHERE profile_id = ? ORDER BY id DESC", (profile_id,)
        ).fetchall()
        for key_id, wrap in rows:
            if wrap == WRAP_KEYRING and keyring is None:
                continue  # not reachable here (another session has the credential store)
            if wrap == WRAP_PIN:
                continue  # left by a PIN removed elsewhere meanwhile: not for new secrets
            key = self._data_key(db, int(key_id))
            if key is None:
                continue
            if wrap == WRAP_FILE and keyring is not None:
                self._keyring_put(keyring, db, int(key_id), key)  # kept in the file if refused
            return int(key_id), key
        return self._new_key(db, profile_id, keyring)

    def _pin_writing_key(self, db: sqlite3.Connection, profile_id: int) -> tuple[int, bytes]:
        pin_key = self._pin_keys.get(profile_id)
        if pin_key is None:
            raise UserError(self._locked(db, profile_id))
        rows = db.execute(
            "SELECT id, params FROM secret_keys WHERE profile_id = ? AND wrap = ? ORDER BY id DESC",
            (profile_id, WRAP_PIN),
        ).fetchall()
        ours = [int(key_id) for key_id, params in rows if pin_key.made_by(str(params))]
        if rows and not ours:
            raise UserError(self._locked(db, profile_id))  # the PIN changed elsewhere
        for key_id in ours:
            key = self._data_key(db, key_id)
            if key is not None:
                return key_id, key
        return self._new_key(db, profile_id, None, pin_key)

    def _new_key(
        self,
        db: sqlite3.Connection,
        profile_id: int,
        keyring: Any | None,
        pin_key: PinKey | None = None,
    ) -> tuple[int, bytes]:
        key = AESGCM.generate_key(bit_length=_KEY_BYTES * 8)
        cursor = db.execute(
            "INSERT INTO secret_keys(profile_id, wrap, created_at) VALUES (?, ?, ?)",
            (profile_id, WRAP_FILE, time.time()),
        )
        key_id = int(cursor.lastrowid or 0)
        if pin_key is not None:
            self._wrap_with_pin(db, profile_id, key_id, key, pin_key)
        else:
            self._wrap_plainly(db, profile_id, key_id, key, keyring)
        self._remember(key_id, profile_id, key)
        return key_id, key

    def _data_key(self, db: sqlite3.Connection, key_id: int) -> bytes | None:
        """The data key ``key_id``, unwrapped (cached), or None when it cannot be had."""
        with self._lock:
            if key_id in self._keys:
                return self._keys[key_id]
            row = db.execute(
                "SELECT profile_id, wrap, wrapped, params FROM secret_keys WHERE id = ?", (key_id,)
            ).fetchone()
            key = None if row is None else self._unwrap(key_id, int(row[0]), *row[1:])
            if key is not None:
                self._remember(key_id, int(row[0]), key)
            elif row is not None and row[1] == WRAP_PIN and int(row[0]) not in self._pin_keys:
                log.debug("the secrets of profile %d are locked by their PIN", row[0])
            elif key_id not in self._unreadable:
                self._unreadable.add(key_id)
                where = {WRAP_KEYRING: "the system's credential store", WRAP_PIN: "the PIN"}.get(
                    row[1] if row else "", str(self.key_file)
                )
                log.warning(
                    "the key of some secrets cannot be read from %s; sign in again where asked",
                    where,
                )
            return key

    def _unwrap(
        self, key_id: int, profile_id: int, wrap: str, wrapped: bytes, params: str
    ) -> bytes | None:
        if wrap == WRAP_FILE:
            try:
                file_key = self._read_file_key()
            except StoreError as exc:
                log.warning("%s", exc)
                return None
            if file_key is None:
                return None
            return _unseal(file_key, bytes(wrapped), _aad("data key", profile_id, key_id))
        if wrap == WRAP_PIN:
            pin_key = self._pin_keys.get(profile_id)
            if pin_key is None or not pin_key.made_by(params):
                return None  # locked: the PIN was not given in this process
            return _unseal(pin_key.key, bytes(wrapped), _pin_aad(profile_id, key_id))
        keyring = self.keyring if wrap == WRAP_KEYRING else None
        if keyring is not None:
            try:
                item = str(json.loads(params)["item"])
                text = keyring.get_password(KEYRING_SERVICE, item)
                key = base64.b64decode(text or "", validate=True)
            except Exception as exc:  # D-Bus, a locked collection, a refused prompt
                log.warning("the system's credential store did not answer (%s)", type(exc).__name__)
                return None
            return key if len(key) == _KEY_BYTES else None
        return None  # a wrap of a newer Mutolaa, or no credential store here

    def _keyring_put(self, keyring: Any, db: sqlite3.Connection, key_id: int, key: bytes) -> bool:
        """Put a data key in the credential store and note it in its row; False when the store
        refuses (the key is then kept by the file key).

        Each key has an item of its own, a random name (``params.item``): two copies of a
        library folder never overwrite each other's keys.
        """
        item = f"key {uuid.uuid4().hex}"
        try:
            keyring.set_password(KEYRING_SERVICE, item, base64.b64encode(key).decode("ascii"))
        except Exception as exc:
            log.warning(
                "the system's credential store refused a key (%s); %s is used instead",
                type(exc).__name__,
                KEY_FILE,
            )
            return False
        db.execute(
            "UPDATE secret_keys SET wrap = ?, wrapped = x'', params = ? WHERE id = ?",
            (WRAP_KEYRING, json.dumps({"item": item}), key_id),
        )
        return True

    # -- the file key ----------------------------------------------------------------------

    def _read_file_key(self) -> bytes | None:
        """The file key, or None when there is none (deleted, or never made).

        Raises:
            StoreError: the file is not a key (another size), or cannot be read.
        """
        try:
            key = self.key_file.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(
                f"{self.key_file}: cannot read the secrets' key ({exc.strerror})"
            ) from exc
        if len(key) != _KEY_BYTES:
            raise StoreError(
                f"{self.key_file}: not a Mutolaa key ({len(key)} bytes, not {_KEY_BYTES}); move it "
                "away and sign in again"
            )
        return key

    def _file_key(self) -> bytes:
        """The file key, made (random, 0600) when there is none yet.

        Two processes making it at once agree: it is written under a temporary name and
        linked into place, which fails when the other was first (its key is then used).

        Raises:
            StoreError: the key cannot be read or written.
        """
        with self._lock:
            key = self._read_file_key()
            if key is not None:
                return key
            temp = self.key_file.with_name(f".{KEY_FILE}.{os.getpid()}.{uuid.uuid4().hex}")
            try:
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
                try:
                    if POSIX:
                        os.fchmod(fd, FILE_MODE)  # whatever the umask
                    os.write(fd, os.urandom(_KEY_BYTES))
                    os.fsync(fd)
                finally:
                    os.close(fd)
                with contextlib.suppress(FileExistsError):
                    os.link(temp, self.key_file)
                fsync_dir(self.key_file.parent)  # the key outlives a power cut, as its uses do
            except OSError as exc:
                raise StoreError(
                    f"{self.key_file}: cannot write the secrets' key ({exc.strerror})"
                ) from exc
            finally:
                with contextlib.suppress(OSError):
                    temp.unlink()
            key = self._read_file_key()
            assert key is not None
            return key
