"""The secrets' store: encrypted with a person's data key, kept by the file key or a keyring."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import pytest
from keyring.backends import chainer, fail, null

from app.core.errors import StoreError
from app.library import secrets
from app.library.catalogs import CatalogStore
from app.library.koreader_state import KoreaderState
from app.library.profiles import ProfileStore
from app.library.secrets import (
    CATALOG_PASSWORD,
    KEY_FILE,
    KEYRING_ENV,
    KEYRING_SERVICE,
    KOREADER_KEY,
    SYNC_TOKEN,
    SecretStore,
    system_keyring,
)
from app.library.store import LibraryStore
from app.library.sync_state import SyncState
from tests.support.sessions import PROFILE

TOKEN = "tok-3f9a1c-ʻsecretʼ-token"
PASSWORD = "kutubxona-parol-Ёлка"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A credential store in memory: keyring's own backend interface, nothing of ours."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


class RefusingKeyring(MemoryKeyring):
    """A credential store that is there but refuses to keep anything (a locked collection)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("the collection is locked")


class WeakKeyring(MemoryKeyring):
    """keyring's "suitable, not recommended" priority (keyrings.alt's plain-text file has it)."""

    priority = 0.5  # type: ignore[assignment]


class EmptyChain(chainer.ChainerBackend):
    """A chainer with nothing to chain (what keyring picks when it finds no backend)."""

    backends = ()


class ChainOfOne(chainer.ChainerBackend):
    backends = (MemoryKeyring(),)


class ChainWithAWeakOne(chainer.ChainerBackend):
    backends = (MemoryKeyring(), WeakKeyring())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    opened = LibraryStore(tmp_path / "library.sqlite3", tmp_path / "books")
    yield opened
    opened.close()


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """The system's credential store, as `keyring` sees it, is a `MemoryKeyring`."""
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv(KEYRING_ENV, raising=False)
    secrets.forget_probe()
    yield backend
    keyring.set_keyring(before)
    secrets.forget_probe()


def _bytes_of_folder(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def _set(store: LibraryStore, kind: str, name: str, value: str, profile: int = PROFILE) -> None:
    with store.transaction() as db:
        store.secrets.set(db, profile, kind, name, value)


def test_a_secret_is_kept_encrypted_with_a_private_file_key(store: LibraryStore) -> None:
    _set(store, SYNC_TOKEN, "", TOKEN)
    store.close()
    folder = store.path.parent
    assert TOKEN.encode() not in _bytes_of_folder(folder)
    key_file = folder / KEY_FILE
    assert key_file.stat().st_size == 32
    if os.name != "nt":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = LibraryStore(store.path, folder / "books")  # another process, the same files
    try:
        assert again.secret(PROFILE, SYNC_TOKEN) == TOKEN
        assert again.secret(PROFILE, SYNC_TOKEN, "other") is None
        with again.transaction() as db:
            again.secrets.delete(db, PROFILE, SYNC_TOKEN)
        assert again.secret(PROFILE, SYNC_TOKEN) is None
    finally:
        again.close()


def test_each_value_has_its_own_nonce_and_cannot_be_moved_to_another_row(
    store: LibraryStore,
) -> None:
    _set(store, CATALOG_PASSWORD, "1", PASSWORD)
    _set(store, CATALOG_PASSWORD, "2", PASSWORD)
    rows = store.query("SELECT name, value FROM secrets ORDER BY name")
    assert rows[0][1] != rows[1][1]  # the same password, two ciphertexts
    with store.transaction() as db:  # an attacker who can write the file swaps two values
        db.execute("UPDATE secrets SET value = ? WHERE name = '2'", (rows[0][1],))
    fresh = SecretStore(store.path.parent)
    with store.transaction() as db:
        assert fresh.get(db, PROFILE, CATALOG_PASSWORD, "1") == PASSWORD
        assert fresh.get(db, PROFILE, CATALOG_PASSWORD, "2") is None  # bound to its own row


def test_a_lost_key_file_reads_as_signed_out_and_a_new_sign_in_works(
    store: LibraryStore, caplog: pytest.LogCaptureFixture
) -> None:
    state = SyncState(store, profile_id=PROFILE)
    state.sign_in("http://127.0.0.1:9/", "ana", TOKEN)
    store.close()
    (store.path.parent / KEY_FILE).unlink()
    again = LibraryStore(store.path, store.path.parent / "books")
    try:
        state = SyncState(again, profile_id=PROFILE)
        with caplog.at_level(logging.WARNING, logger="app.library.secrets"):
            account = state.account()
        assert account is not None
        assert account.token == ""
        assert [r.getMessage() for r in caplog.records] == [
            f"the key of some secrets cannot be read from {again.path.parent / KEY_FILE}; "
            "sign in again where asked"
        ]
        assert state.sign_in("http://127.0.0.1:9/", "ana", "new-token").token == "new-token"
        assert state.account() == state.sign_in("http://127.0.0.1:9/", "ana", "new-token")
    finally:
        again.close()


def test_a_damaged_key_file_is_one_line_and_nothing_is_written(store: LibraryStore) -> None:
    (store.path.parent / KEY_FILE).write_bytes(b"not a key")
    catalogs = CatalogStore(store, profile_id=PROFILE)
    with pytest.raises(StoreError) as raised:
        catalogs.add("Home", "http://127.0.0.1:1/opds", "ana", PASSWORD)
    assert str(raised.value) == (
        f"{store.path.parent / KEY_FILE}: not a Mutolaa key (9 bytes, not 32); move it away "
        "and sign in again"
    )
    assert catalogs.list() == []  # the catalogue went with its password


def test_the_keys_of_the_sync_catalogues_and_koreader_round_trip(store: LibraryStore) -> None:
    catalogs = CatalogStore(store, profile_id=PROFILE)
    added = catalogs.add("Home", "http://ana:pw1@127.0.0.1:1/opds")
    catalogs.update(added.id, name="Home", url=added.url, username="ana", password="pw2")
    assert catalogs.get("Home").password == "pw2"
    assert catalogs.lookup("http://127.0.0.1:1") == ("ana", "pw2")
    koreader = KoreaderState(store, profile_id=PROFILE)
    koreader.turn_on("http://127.0.0.1:2/", "ana", "md5-of-the-password")
    assert koreader.require_account().key == "md5-of-the-password"
    assert koreader.turn_off()
    assert koreader.account() is not None
    assert koreader.active_account() is None
    catalogs.remove("Home")
    assert store.query("SELECT kind FROM secrets") == []  # nothing left behind


def test_another_person_never_reads_a_secret(store: LibraryStore) -> None:
    with store.transaction() as db:
        db.execute("INSERT INTO profiles(id, name, created_at) VALUES (2, 'sister', 0)")
    _set(store, SYNC_TOKEN, "", TOKEN)
    _set(store, SYNC_TOKEN, "", "her-token", profile=2)
    assert store.secret(PROFILE, SYNC_TOKEN) == TOKEN
    assert store.secret(2, SYNC_TOKEN) == "her-token"
    assert store.query("SELECT COUNT(*) FROM secret_keys") == [(2,)]  # a data key each


# -- the system's credential store ---------------------------------------------------------


def test_with_a_credential_store_the_data_key_is_kept_there(
    store: LibraryStore, memory_keyring: MemoryKeyring
) -> None:
    _set(store, SYNC_TOKEN, "", TOKEN)
    assert not (store.path.parent / KEY_FILE).exists()  # no key on disk at all
    [(wrap, wrapped, params)] = store.query("SELECT wrap, wrapped, params FROM secret_keys")
    assert (wrap, wrapped) == ("keyring", b"")
    [(service, item)] = memory_keyring.items
    assert (service, json.loads(params)) == (KEYRING_SERVICE, {"item": item})
    assert item.startswith("key ")  # a random name of its own: copies never share one
    assert TOKEN not in str(memory_keyring.items)  # the store holds the key, not the token
    store.close()
    assert TOKEN.encode() not in _bytes_of_folder(store.path.parent)
    again = LibraryStore(store.path, store.path.parent / "books")
    try:
        assert again.secret(PROFILE, SYNC_TOKEN) == TOKEN
        memory_keyring.items.clear()  # another machine, or the item deleted
        with again.transaction() as db:
            assert SecretStore(store.path.parent).get(db, PROFILE, SYNC_TOKEN, "") is None
    finally:
        again.close()


def test_a_key_in_the_file_moves_to_the_credential_store_at_the_next_write(
    store: LibraryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set(store, CATALOG_PASSWORD, "1", PASSWORD)  # no credential store: the file key
    assert store.query("SELECT wrap FROM secret_keys") == [("file",)]
    backend = MemoryKeyring()
    store.secrets = SecretStore(store.path.parent, keyring=backend)  # one appeared
    _set(store, SYNC_TOKEN, "", TOKEN)
    assert store.query("SELECT wrap, wrapped FROM secret_keys") == [("keyring", b"")]
    assert len(backend.items) == 1
    assert store.secret(PROFILE, CATALOG_PASSWORD, "1") == PASSWORD
    assert store.secret(PROFILE, SYNC_TOKEN) == TOKEN
    without = SecretStore(store.path.parent, keyring=None)  # a session without one
    with store.transaction() as db:
        assert without.get(db, PROFILE, SYNC_TOKEN, "") is None
        without.set(db, PROFILE, SYNC_TOKEN, "", "from-ssh")  # a new key, in the file
        assert without.get(db, PROFILE, SYNC_TOKEN, "") == "from-ssh"
        assert store.secrets.get(db, PROFILE, CATALOG_PASSWORD, "1") == PASSWORD


def test_a_credential_store_that_refuses_falls_back_to_the_file_key(store: LibraryStore) -> None:
    store.secrets = SecretStore(store.path.parent, keyring=RefusingKeyring())
    _set(store, SYNC_TOKEN, "", TOKEN)
    assert store.query("SELECT wrap FROM secret_keys") == [("file",)]
    assert store.secret(PROFILE, SYNC_TOKEN) == TOKEN


@pytest.mark.parametrize(
    ("backend", "usable"),
    [
        (MemoryKeyring(), True),
        (fail.Keyring(), False),
        (null.Keyring(), False),
        (EmptyChain(), False),
        (ChainOfOne(), True),
        (ChainWithAWeakOne(), False),
        (WeakKeyring(), False),
    ],
)
def test_only_a_credential_store_that_keeps_things_is_used(
    backend: Any, usable: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv(KEYRING_ENV, raising=False)
    secrets.forget_probe()
    try:
        assert (system_keyring() is backend) is usable
        monkeypatch.setenv(KEYRING_ENV, "off")
        assert system_keyring() is None
    finally:
        keyring.set_keyring(before)
        secrets.forget_probe()


def test_a_plain_text_backend_is_not_used() -> None:
    class PlainText(MemoryKeyring):
        pass

    PlainText.__module__ = "keyrings.alt.file"  # where keyrings.alt keeps its files
    assert not secrets._usable(PlainText())


@pytest.mark.skipif(sys.platform != "linux", reason="the Secret Service is Linux's (D-Bus)")
def test_without_a_secret_service_the_probe_falls_back_quickly_and_once(tmp_path: Path) -> None:
    """The real `keyring` on this machine, without D-Bus (as in CI): a fresh process."""
    script = (
        "import logging, time\n"
        "logging.basicConfig(level=logging.INFO, format='%(message)s')\n"
        "from app.library.secrets import system_keyring\n"
        "start = time.monotonic()\n"
        "found = [system_keyring() for _ in range(50)]\n"
        "print(found[0] is None, round(time.monotonic() - start, 3))\n"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in (KEYRING_ENV, "DBUS_SESSION_BUS_ADDRESS")
    }
    env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={tmp_path / 'no-bus'}"
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert time.monotonic() - start < 20
    none, seconds = done.stdout.split()
    assert none == "True"
    assert float(seconds) < 5
    said = [line for line in done.stderr.splitlines() if "credential store" in line]
    assert len(said) == 1  # once, for 50 uses
    assert said[0].startswith("no ")  # no usable one, or keyring itself failed (and why)
    assert said[0].endswith("; secrets are encrypted with secret.key")


def test_forgetting_a_person_deletes_their_secrets_and_their_keys_in_the_credential_store(
    store: LibraryStore, memory_keyring: MemoryKeyring
) -> None:
    other = ProfileStore(store).add("Vali").id
    _set(store, SYNC_TOKEN, "", TOKEN)
    _set(store, SYNC_TOKEN, "", "their-token", profile=other)
    _set(store, KOREADER_KEY, "", "their-key", profile=other)
    assert len(memory_keyring.items) == 2  # one data key each
    with store.transaction() as db:
        items = store.secrets.forget_profile(db, other)
    assert len(items) == 1
    assert len(memory_keyring.items) == 2  # the caller drops them, after its commit
    store.secrets.drop_keyring_items(items)
    assert [item for _service, item in memory_keyring.items] not in ([], items)
    assert items[0] not in {item for _service, item in memory_keyring.items}
    assert store.secret(other, SYNC_TOKEN) is None
    assert store.query("SELECT count(*) FROM secret_keys WHERE profile_id = ?", (other,)) == [(0,)]
    assert store.secret(PROFILE, SYNC_TOKEN) == TOKEN
