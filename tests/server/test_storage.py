"""The server's storage: WAL mode, a database from a newer server refused, hashes not secrets."""

from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import closing
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


def _modes(folder: Path) -> dict[str, int]:
    modes = {path.name: path.stat().st_mode & 0o777 for path in folder.glob(f"{DATABASE_NAME}*")}
    return {".": folder.stat().st_mode & 0o777, **modes}


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_new_data_folder_and_its_database_are_the_servers_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    accounts = Accounts(Storage(data))
    with closing(sqlite3.connect(data / DATABASE_NAME)) as held:  # the -wal and -shm stay
        held.execute("SELECT * FROM users").fetchall()
        accounts.add("alice", "a secret password")
        assert _modes(data) == {
            ".": 0o700,
            DATABASE_NAME: 0o600,
            f"{DATABASE_NAME}-wal": 0o600,
            f"{DATABASE_NAME}-shm": 0o600,
        }


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_an_existing_readable_database_is_made_private_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    Accounts(Storage(data)).add("alice", "a secret password")
    held = sqlite3.connect(data / DATABASE_NAME)  # an older server, still running
    held.execute("SELECT * FROM users").fetchall()
    for path in [data, *data.glob(f"{DATABASE_NAME}*")]:
        path.chmod(0o755 if path == data else 0o644)
    assert len(_modes(data)) == 4
    with caplog.at_level(logging.WARNING, logger="sync.server.storage"):
        Storage(data)
    assert set(_modes(data).values()) == {0o700, 0o600}
    assert _modes(data)["."] == 0o700
    held.close()
    lines = [record.getMessage() for record in caplog.records]
    assert lines == [
        f"{data}: other users could read the server's data: made the folder 700 and the"
        " database 600"
    ]
    caplog.clear()
    Storage(data)  # nothing more to say
    assert caplog.records == []


def test_a_data_folder_that_cannot_be_one_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file, not a folder")
    with pytest.raises(StorageError, match=r"data: cannot be used as the data folder: File exists"):
        Storage(tmp_path / "data")
