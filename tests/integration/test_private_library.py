"""Another user of the machine reads nothing of a library: 0700 folders, 0600 files, and no
password, token or key in plain text in any file (issue 13, item 1)."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from app.core.paths import resolve_paths
from app.core.settings import Settings, save_settings
from app.library.catalogs import CatalogStore
from app.library.koreader_state import KoreaderState
from app.library.migrations import MIGRATIONS
from app.library.store import LibraryStore
from app.library.sync_state import SyncState
from app.services.session import Library
from sync.koreader import user_key
from tests.support.cli import mutolaa
from tests.support.library_server import LibraryServer, serving
from tests.support.samples import Samples
from tests.support.sessions import PROFILE

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX modes; Windows has the ACLs")

USER = "talaba"
PASSWORD = "kutubxona-parol-2026"
KOREADER_PASSWORD = "kobo-da-oqiyman-2026"


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """Debian's default umask: what is left to it comes out 0755 and 0644."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LibraryServer]:
    (tmp_path / "served").mkdir()
    with serving(tmp_path / "server", tmp_path / "served") as running:
        running.add_user(USER, PASSWORD)
        running.accounts.set_koreader(USER, KOREADER_PASSWORD)
        yield running


def _not_private(root: Path) -> list[str]:
    """Every folder not 0700 and file not 0600 under `root` (itself included), with its mode."""
    wrong = []
    for path in [root, *sorted(root.rglob("*"))]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        expected = 0o700 if path.is_dir() else 0o600
        if mode != expected:
            wrong.append(f"{path.relative_to(root.parent)} {oct(mode)}")
    return wrong


def _holding(root: Path, secret: str) -> list[str]:
    """The files under `root` whose bytes hold `secret`."""
    needle = secret.encode("utf-8")
    return [str(p.relative_to(root)) for p in sorted(root.rglob("*")) if needle in _read(p)]


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() and not path.is_symlink() else b""


def _make_library(folder: Path, server: LibraryServer, samples: Samples) -> list[str]:
    """A library with a book, a catalogue with a password, a sync account and KOReader sync,
    as a person makes it with the command line; returns the secrets it holds."""
    mutolaa(folder, "import", str(samples.txt))
    host = server.url.split("://", 1)[1]
    mutolaa(folder, "catalog", "add", f"http://{USER}:{quote(PASSWORD)}@{host}/opds")
    mutolaa(folder, "account", "login", server.url, USER, stdin=PASSWORD + "\n")
    mutolaa(folder, "account", "koreader", server.url, USER, stdin=KOREADER_PASSWORD + "\n")
    paths = resolve_paths(folder)
    save_settings(paths.settings, Settings())
    with Library(paths) as library:
        token = SyncState(library.store, PROFILE).require_account().token
        key = KoreaderState(library.store, PROFILE).require_account().key
        assert CatalogStore(library.store, PROFILE).list()[0].password == PASSWORD
    assert key == user_key(KOREADER_PASSWORD)
    return [PASSWORD, token, key, KOREADER_PASSWORD]


@pytest.mark.usefixtures("loose_umask")
def test_a_new_library_is_private_and_holds_no_secret_in_plain_text(
    tmp_path: Path, server: LibraryServer, samples: Samples
) -> None:
    folder = tmp_path / "home" / "library"
    held = _make_library(folder, server, samples)
    assert _not_private(folder) == []
    assert {secret[:4]: _holding(folder, secret) for secret in held} == {
        secret[:4]: [] for secret in held
    }
    names = {p.name for p in folder.rglob("*")}  # what was walked
    assert {"library.sqlite3", "secret.key", "settings.json", "mutolaa.log"} <= names
    assert any(name.endswith(".trm") for name in names)  # the index's files too


@pytest.mark.usefixtures("loose_umask")
def test_the_doctor_makes_an_older_library_private_again(
    tmp_path: Path, server: LibraryServer, samples: Samples
) -> None:
    folder = tmp_path / "library"
    _make_library(folder, server, samples)
    folders = [folder, *(p for p in folder.rglob("*") if p.is_dir())]
    files = [p for p in folder.rglob("*") if p.is_file()]
    for path in folders:
        path.chmod(0o755)
    for path in files:
        path.chmod(0o644)
    assert len(_not_private(folder)) == len(folders) + len(files)

    doctor = mutolaa(folder, "doctor").stdout
    fixed = [line for line in doctor.splitlines() if "private" in line]
    # and the database's -wal and -shm, which opening it made with its mode of then (0644)
    assert fixed == [
        f"repaired: made {len(folders)} folder(s) private to their owner (0700)",
        f"repaired: made {len(files) + 2} file(s) private to their owner (0600)",
    ]
    assert _not_private(folder) == []
    again = mutolaa(folder, "doctor").stdout
    assert [line for line in again.splitlines() if "private" in line] == []


def test_a_schema_7_library_keeps_its_secrets_encrypted_and_no_old_byte_of_them(
    tmp_path: Path,
) -> None:
    live, folder = tmp_path / "live", tmp_path / "old"
    live.mkdir()
    folder.mkdir()
    path = folder / "library.sqlite3"
    old_password = "eski-parol-1999"
    token, key = "tok-7f3e9a0b1c2d", "5ebe2294ecd0e0f08eab7690d2a6ee69"
    db = sqlite3.connect(live / "library.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("BEGIN")
    for step in MIGRATIONS[:7]:
        step(db)
    db.execute("PRAGMA user_version = 7")
    db.execute(
        "INSERT INTO catalogs(profile_id, name, url, username, password, added_at) "
        "VALUES (1, 'Home', 'http://127.0.0.1:1/opds', 'ana', ?, 0)",
        (old_password,),
    )
    db.execute(
        "INSERT INTO sync_accounts(profile_id, server_url, username, token, device_id, added_at) "
        "VALUES (1, 'http://127.0.0.1:2', 'ana', ?, 'dev', 0)",
        (token,),
    )
    db.execute(
        "INSERT INTO koreader_accounts(profile_id, server_url, username, userkey, device_id, "
        "added_at) VALUES (1, 'http://127.0.0.1:3', 'ana', ?, 'DEV', 0)",
        (key,),
    )
    db.execute("COMMIT")
    # changed since: the old password stays in the log's frames and in freed space
    db.execute("UPDATE catalogs SET password = ?", (PASSWORD,))
    for name in ("library.sqlite3", "library.sqlite3-wal"):  # as a killed Mutolaa left them
        (folder / name).write_bytes((live / name).read_bytes())
    db.close()
    secrets = [old_password, PASSWORD, token, key]
    before = b"".join(_read(p) for p in folder.iterdir())
    assert all(secret.encode() in before for secret in secrets)  # the test can fail

    store = LibraryStore(path, folder / "books")
    try:
        catalog = CatalogStore(store, PROFILE).get("Home")
        assert (catalog.username, catalog.password) == ("ana", PASSWORD)
        assert SyncState(store, PROFILE).require_account().token == token
        assert KoreaderState(store, PROFILE).require_account().key == key
        left = {secret: _holding(folder, secret) for secret in secrets}
    finally:
        store.close()
    assert left == {secret: [] for secret in secrets}
    assert {secret: _holding(folder, secret) for secret in secrets} == left
