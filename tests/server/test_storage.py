"""The server's storage: WAL mode, a database from a newer server refused, hashes not secrets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sync.server.accounts import Accounts, verify_password
from sync.server.storage import DATABASE_NAME, Storage, StorageError


def test_the_database_is_in_wal_mode_and_holds_no_password_or_token(tmp_path: Path) -> None:
    accounts = Accounts(Storage(tmp_path))
    accounts.add("alice", "a secret password")
    session = accounts.login("alice", "a secret password", "pc-1", "127.0.0.1")
    raw = b"".join(path.read_bytes() for path in tmp_path.glob(f"{DATABASE_NAME}*"))
    assert b"a secret password" not in raw
    assert session.token.encode() not in raw
    with sqlite3.connect(tmp_path / DATABASE_NAME) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    user = accounts.find("ALICE")
    assert verify_password("a secret password", user.password_hash)
    assert not verify_password("a secret passworD", user.password_hash)
    assert user.password_hash.startswith("scrypt$16384$8$1$")


def test_a_database_from_a_newer_server_is_refused(tmp_path: Path) -> None:
    Storage(tmp_path)
    with sqlite3.connect(tmp_path / DATABASE_NAME) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StorageError, match="made by a newer mutolaa-server"):
        Storage(tmp_path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(b"not a database at all" * 100)
    with pytest.raises(StorageError, match="cannot be used as the server database"):
        Storage(tmp_path)
