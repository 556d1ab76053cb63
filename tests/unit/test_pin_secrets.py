"""A person's PIN wraps the keys of their secrets: without it the library's files open nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app.core.errors import UserError
from app.core.profiles import WrongPinError
from app.library import secrets
from app.library.catalogs import CatalogStore
from app.library.profiles import ProfileStore
from app.library.secrets import (
    CATALOG_PASSWORD,
    KEY_FILE,
    KEYRING_ENV,
    KEYRING_SERVICE,
    PIN_N,
    SYNC_TOKEN,
    WRAP_PIN,
)
from app.library.store import LibraryStore
from app.library.sync_state import SyncState
from app.services.profiles import Prompts, authorize, change_pin, choose_person
from tests.unit.test_secrets import MemoryKeyring

PIN, OTHER_PIN = "4821", "77001234"
TOKEN = "tok-ali-3f9a1c-ʻmaxfiyʼ"
PASSWORD = "ali-kutubxona-parol-Ёлка"
SERVER = "http://127.0.0.1:9/"


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """The system's credential store is a `MemoryKeyring` (as in test_secrets)."""
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv(KEYRING_ENV, raising=False)
    secrets.forget_probe()
    yield backend
    keyring.set_keyring(before)
    secrets.forget_probe()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    opened = LibraryStore(tmp_path / "library.sqlite3", tmp_path / "books")
    yield opened
    opened.close()


def _reopen(store: LibraryStore) -> LibraryStore:
    """The same files in another process: nothing unlocked."""
    return LibraryStore(store.path, store.path.parent / "books")


def _ali_signed_in(store: LibraryStore) -> int:
    """Ali, without a PIN yet, with a sync token and a catalogue password."""
    ali = ProfileStore(store).add("Ali").id
    SyncState(store, ali).sign_in(SERVER, "ali", TOKEN)
    CatalogStore(store, ali).add("Uy", "http://127.0.0.1:9/opds", "ali", PASSWORD)
    return ali


def _folder_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def _keys(store: LibraryStore, profile_id: int) -> list[tuple[int, str, bytes, str]]:
    return [
        (int(i), str(w), bytes(b), str(p))
        for i, w, b, p in store.query(
            "SELECT id, wrap, wrapped, params FROM secret_keys WHERE profile_id = ?",
            (profile_id,),
        )
    ]


def _secrets_of(store: LibraryStore, ali: int) -> tuple[str | None, str | None]:
    catalog_id = CatalogStore(store, ali).get("Uy").id
    return store.secret(ali, SYNC_TOKEN), store.secret(ali, CATALOG_PASSWORD, str(catalog_id))


def test_with_a_pin_the_database_and_the_key_file_open_nothing_without_it(
    store: LibraryStore,
) -> None:
    ali = _ali_signed_in(store)
    [(key_id, wrap, file_wrapped, _params)] = _keys(store, ali)
    assert wrap == "file"
    assert len(file_wrapped) == 60
    ProfileStore(store).set_pin(ali, PIN)
    assert _secrets_of(store, ali) == (TOKEN, PASSWORD)  # the one who set it stays unlocked

    [(same_id, wrap, _wrapped, params)] = _keys(store, ali)
    assert (same_id, wrap) == (key_id, WRAP_PIN)  # the same data key, only wrapped again
    cost = json.loads(params)
    assert (cost["kdf"], cost["n"], cost["r"], cost["p"]) == ("scrypt", PIN_N, 8, 1)
    assert len(bytes.fromhex(cost["salt"])) == 16
    folder = store.path.parent  # read while the library is open (its log not yet folded in)
    file_key = (folder / KEY_FILE).read_bytes()
    # every wrap there is: none opens with the file key, the old one is nowhere in the files
    every_wrap = [bytes(r[0]) for r in _rows(store.path, "SELECT wrapped FROM secret_keys")]
    for blob in every_wrap:
        assert secrets._unseal(file_key, blob, secrets._aad("data key", ali, key_id)) is None
    everything = _folder_bytes(folder)
    assert file_wrapped not in everything  # zeroed in the file, and the log emptied
    assert TOKEN.encode() not in everything
    assert PASSWORD.encode() not in everything
    store.close()
    assert file_wrapped not in _folder_bytes(folder)

    again = _reopen(store)
    try:
        assert _secrets_of(again, ali) == (None, None)  # locked: "not signed in", asked again
        assert SyncState(again, ali).account() is not None  # the account row stays
    finally:
        again.close()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    import sqlite3  # noqa: PLC0415 - only to read the file as an outsider would

    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_a_wrong_pin_unlocks_nothing_and_the_right_one_does(store: LibraryStore) -> None:
    ali = _ali_signed_in(store)
    ProfileStore(store).set_pin(ali, PIN)
    store.close()
    again = _reopen(store)
    try:
        people = ProfileStore(again)
        with pytest.raises(WrongPinError):
            people.check_pin(ali, "1111")
        assert _secrets_of(again, ali) == (None, None)
        with again.transaction() as db:  # not even past the hash check
            assert not again.secrets.unlock(db, ali, "1111")
        assert _secrets_of(again, ali) == (None, None)
        with pytest.raises(UserError, match="locked by their PIN"):  # nor a key of that PIN
            SyncState(again, ali).sign_in(SERVER, "ali", "another-token")
        started = time.perf_counter()
        people.check_pin(ali, PIN)
        took = time.perf_counter() - started
        assert _secrets_of(again, ali) == (TOKEN, PASSWORD)
        print(f"checking the PIN and unlocking took {took:.3f} s")
        assert took < 2.0
        people.lock(ali)  # Ali left
        assert _secrets_of(again, ali) == (None, None)
    finally:
        again.close()


def test_a_locked_person_cannot_get_a_weaker_wrap_for_a_new_secret(store: LibraryStore) -> None:
    ali = _ali_signed_in(store)
    ProfileStore(store).set_pin(ali, PIN)
    store.close()
    again = _reopen(store)
    try:
        before = _keys(again, ali)
        with pytest.raises(UserError) as raised:
            SyncState(again, ali).sign_in(SERVER, "ali", "another-token")
        assert str(raised.value) == (
            "Ali's passwords and tokens are locked by their PIN: choose Ali with the PIN first"
        )
        assert _keys(again, ali) == before
        ProfileStore(again).check_pin(ali, PIN)
        SyncState(again, ali).sign_in(SERVER, "ali", "another-token")
        assert [k[1] for k in _keys(again, ali)] == [WRAP_PIN]
        assert again.secret(ali, SYNC_TOKEN) == "another-token"
    finally:
        again.close()


def test_a_person_added_with_a_pin_gets_a_key_wrapped_by_it(store: LibraryStore) -> None:
    people = ProfileStore(store)
    zilola = people.add("Zilola", pin=PIN).id
    people.check_pin(zilola, PIN)
    SyncState(store, zilola).sign_in(SERVER, "zilola", TOKEN)
    assert [k[1] for k in _keys(store, zilola)] == [WRAP_PIN]
    store.close()
    again = _reopen(store)
    try:
        assert again.secret(zilola, SYNC_TOKEN) is None
        ProfileStore(again).check_pin(zilola, PIN)
        assert again.secret(zilola, SYNC_TOKEN) == TOKEN
    finally:
        again.close()


def _prompts(*answers: str) -> Prompts:
    given = iter(answers)
    return Prompts(pin=lambda _prompt: next(given), new_pin=lambda _prompt: next(given))


def test_changing_the_pin_keeps_the_secrets_and_the_old_pin_opens_nothing(
    store: LibraryStore,
) -> None:
    ali = _ali_signed_in(store)
    ProfileStore(store).set_pin(ali, PIN)
    store.close()
    again = _reopen(store)  # Ali changes it another day
    try:
        [(_id, _wrap, old_wrapped, old_params)] = _keys(again, ali)
        change_pin(ProfileStore(again), "Ali", _prompts(PIN, OTHER_PIN), clear=False)
        [(_id, wrap, wrapped, params)] = _keys(again, ali)
        assert wrap == WRAP_PIN
        assert params != old_params
        assert wrapped != old_wrapped
        assert _secrets_of(again, ali) == (TOKEN, PASSWORD)
    finally:
        again.close()
    third = _reopen(store)
    try:
        with third.transaction() as db:
            assert not third.secrets.unlock(db, ali, PIN)  # the old PIN: nothing
        ProfileStore(third).check_pin(ali, OTHER_PIN)
        assert _secrets_of(third, ali) == (TOKEN, PASSWORD)
    finally:
        third.close()


def test_a_pin_change_that_cannot_rewrap_changes_nothing(store: LibraryStore) -> None:
    ali = _ali_signed_in(store)
    ProfileStore(store).set_pin(ali, PIN)
    store.close()
    again = _reopen(store)
    try:
        with pytest.raises(UserError, match="locked by their PIN"):
            ProfileStore(again).set_pin(ali, OTHER_PIN)  # the current PIN was not given
        ProfileStore(again).check_pin(ali, PIN)  # the hash did not change either
        assert _secrets_of(again, ali) == (TOKEN, PASSWORD)
    finally:
        again.close()


def test_clearing_the_pin_goes_back_to_the_file_key(store: LibraryStore) -> None:
    ali = _ali_signed_in(store)
    ProfileStore(store).set_pin(ali, PIN)
    store.close()
    again = _reopen(store)
    try:
        change_pin(ProfileStore(again), "Ali", _prompts(PIN), clear=True)
        [(_id, wrap, _wrapped, params)] = _keys(again, ali)
        assert (wrap, params) == ("file", "{}")
    finally:
        again.close()
    third = _reopen(store)
    try:
        assert _secrets_of(third, ali) == (TOKEN, PASSWORD)  # no PIN asked, none needed
    finally:
        third.close()


def test_with_a_credential_store_the_pin_replaces_its_item(
    store: LibraryStore, memory_keyring: MemoryKeyring
) -> None:
    ali = _ali_signed_in(store)
    assert [k[1] for k in _keys(store, ali)] == ["keyring"]
    assert len(memory_keyring.items) == 1
    ProfileStore(store).set_pin(ali, PIN)
    assert memory_keyring.items == {}  # the credential store no longer holds Ali's key
    assert [k[1] for k in _keys(store, ali)] == [WRAP_PIN]
    assert not (store.path.parent / KEY_FILE).exists()
    change_pin(ProfileStore(store), "Ali", _prompts(PIN), clear=True)
    [(_id, wrap, _wrapped, params)] = _keys(store, ali)
    [(service, item)] = memory_keyring.items
    assert (wrap, service, json.loads(params)) == ("keyring", KEYRING_SERVICE, {"item": item})
    assert _secrets_of(store, ali) == (TOKEN, PASSWORD)


def test_a_pin_set_before_keys_were_wrapped_by_it_wraps_them_at_the_next_unlock(
    store: LibraryStore,
) -> None:
    ali = _ali_signed_in(store)
    ProfileStore(store).set_pin(ali, None)  # nothing to wrap: stays in the file
    with store.transaction() as db:  # what a version before this one left: a PIN, a file key
        db.execute("UPDATE profiles SET pin_hash = ? WHERE id = ?", (_hash(PIN), ali))
    assert [k[1] for k in _keys(store, ali)] == ["file"]
    store.close()
    again = _reopen(store)
    try:
        ProfileStore(again).check_pin(ali, PIN)
        assert [k[1] for k in _keys(again, ali)] == [WRAP_PIN]
        assert _secrets_of(again, ali) == (TOKEN, PASSWORD)
    finally:
        again.close()
    third = _reopen(store)
    try:
        assert _secrets_of(third, ali) == (None, None)
    finally:
        third.close()


def _hash(pin: str) -> str:
    from app.core.profiles import hash_pin  # noqa: PLC0415

    return hash_pin(pin)


def test_a_reset_erases_the_secrets_keeps_the_account_and_a_new_sign_in_works(
    store: LibraryStore,
) -> None:
    people = ProfileStore(store)
    people.add("Opa", pin="9090", admin=True)
    ali = _ali_signed_in(store)
    people.set_pin(ali, PIN)
    store.close()
    again = _reopen(store)  # Ali forgot the PIN: nobody here can unlock
    try:
        people = ProfileStore(again)
        people.reset_pin(ali)
        assert _keys(again, ali) == []
        assert again.query("SELECT count(*) FROM secrets WHERE profile_id = ?", (ali,)) == [(0,)]
        assert SyncState(again, ali).account() is not None
        SyncState(again, ali).sign_in(SERVER, "ali", "fresh-token")  # no PIN now: the file key
        assert [k[1] for k in _keys(again, ali)] == ["file"]
        assert again.secret(ali, SYNC_TOKEN) == "fresh-token"
    finally:
        again.close()


def test_the_pin_checks_of_the_services_unlock_the_person_whose_pin_it_is(
    store: LibraryStore,
) -> None:
    ali = _ali_signed_in(store)
    ProfileStore(store).set_pin(ali, PIN)
    store.close()
    again = _reopen(store)
    try:
        people = ProfileStore(again)
        authorize(people, people.get(ali), lambda _prompt: PIN)  # no administrator: Ali's own
        assert _secrets_of(again, ali) == (TOKEN, PASSWORD)
        people.lock(ali)
        people.add("Opa", pin="9090", admin=True)
        authorize(people, people.get(ali), lambda _prompt: "9090")  # the administrator's PIN
        assert _secrets_of(again, ali) == (None, None)  # opens the administrator's, not Ali's
        choose_person(people, "Ali", lambda _prompt: PIN)  # `--profile Ali`, the chooser
        assert _secrets_of(again, ali) == (TOKEN, PASSWORD)
    finally:
        again.close()
