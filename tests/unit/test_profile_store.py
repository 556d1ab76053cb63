"""The people of a library: names, scrypt-hashed PINs, the wait after wrong PINs, removal."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.core.models import Anchor, AnnotationKind
from app.core.profiles import (
    FIRST_WAIT,
    MAX_WAIT,
    PinWaitError,
    WrongPinError,
    hash_pin,
    person_name,
    pin_matches,
    wait_after,
)
from app.library.annotations import AnnotationStore
from app.library.catalogs import CatalogStore
from app.library.downloads import DownloadQueue
from app.library.koreader_state import KoreaderState
from app.library.profiles import ProfileStore
from app.library.secrets import CATALOG_PASSWORD, KOREADER_KEY, SYNC_TOKEN
from app.library.shelves import ShelfStore
from app.library.store import LibraryStore
from app.library.sync_state import SyncState
from tests.support.records import make_book
from tests.support.sessions import PROFILE


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    opened = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    yield opened
    opened.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def people(store: LibraryStore, clock: Clock) -> ProfileStore:
    return ProfileStore(store, clock)


# -- PINs -------------------------------------------------------------------------------------


def test_a_pin_is_kept_as_a_salted_scrypt_hash_with_its_cost() -> None:
    kept = hash_pin("0427")
    algorithm, n, r, p, salt, digest = kept.split("$")
    assert (algorithm, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert len(bytes.fromhex(salt)) == 16
    expected = hashlib.scrypt(
        b"0427", salt=bytes.fromhex(salt), n=2**14, r=8, p=1, maxmem=64 * 1024**2, dklen=32
    )
    assert bytes.fromhex(digest) == expected
    assert "0427" not in kept
    assert hash_pin("0427") != kept  # a fresh salt each time
    assert pin_matches("0427", kept)
    assert not pin_matches("0428", kept)
    assert not pin_matches("٠٤٢٧", kept)  # Arabic-Indic digits are not the PIN
    assert not pin_matches("0427", "md5$00$1$1$aa$bb")
    assert not pin_matches("0427", "damaged")


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", " 1234", "١٢٣٤"])
def test_a_pin_is_4_to_8_ascii_digits(pin: str) -> None:
    with pytest.raises(UserError, match="4 to 8 digits"):
        hash_pin(pin)


def test_the_wait_grows_after_three_wrong_pins_and_has_a_ceiling() -> None:
    assert [wait_after(n) for n in range(6)] == [
        0,
        0,
        0,
        FIRST_WAIT,
        2 * FIRST_WAIT,
        4 * FIRST_WAIT,
    ]
    assert wait_after(10_000) == MAX_WAIT


def test_names_are_cleaned_and_limited() -> None:
    assert person_name("  Ali \t Valiyev\x1b[2J ") == "Ali Valiyev[2J"
    with pytest.raises(UserError, match="empty"):
        person_name(" \x07 ")
    with pytest.raises(UserError, match="at most 40"):
        person_name("x" * 41)


# -- the store --------------------------------------------------------------------------------


def test_people_are_added_renamed_and_found_by_name_in_any_case(people: ProfileStore) -> None:
    ali = people.add("Ali")
    vali = people.add("Вали", pin="1234")
    assert [(p.name, p.has_pin, p.is_admin) for p in people.list()[1:]] == [
        ("Ali", False, False),
        ("Вали", True, False),
    ]
    assert people.find("aLI") == ali
    assert people.named("ВАЛИ") == vali
    with pytest.raises(UserError, match="'Ali' is already a person"):
        people.rename(vali.id, "ali")
    with pytest.raises(UserError, match="'Ali' is already a person"):
        people.add("ALI")
    assert people.rename(ali.id, "Alisher").name == "Alisher"
    assert people.rename(ali.id, "alisher").name == "alisher"  # their own name, another case
    with pytest.raises(UserError, match=r"no person named 'Nobody' in this library \(people: "):
        people.named("Nobody")


def test_one_administrator_and_always_with_a_pin(people: ProfileStore) -> None:
    with pytest.raises(UserError, match="needs a PIN"):
        people.add("Admin", admin=True)
    admin = people.add("Admin", pin="24680", admin=True)
    assert people.administrator() == admin
    with pytest.raises(UserError, match="Admin is already the administrator"):
        people.add("Second", pin="1357", admin=True)
    with pytest.raises(UserError, match="cannot be removed, only changed"):
        people.set_pin(admin.id, None)
    with pytest.raises(UserError, match="cannot be reset"):
        people.reset_pin(admin.id)
    people.set_pin(admin.id, "11223344")
    people.check_pin(admin.id, "11223344")


def test_wrong_pins_make_a_growing_wait_that_another_process_sees(
    people: ProfileStore, store: LibraryStore, clock: Clock, tmp_path: Path
) -> None:
    vali = people.add("Vali", pin="1234")
    people.check_pin(vali.id, "1234")
    for _ in range(2):
        with pytest.raises(WrongPinError, match=r"^wrong PIN for Vali$"):
            people.check_pin(vali.id, "0000")
    with pytest.raises(WrongPinError, match="wrong PIN for Vali; try again in 30 s"):
        people.check_pin(vali.id, "0000")
    clock.now += 10
    with pytest.raises(PinWaitError, match="too many wrong PINs for Vali; try again in 20 s"):
        people.check_pin(vali.id, "1234")  # not even the right one during the wait
    # another process, its own connection: the wait is in the database
    other = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    try:
        with pytest.raises(PinWaitError) as waiting:
            ProfileStore(other, clock).check_no_wait(vali.id)
        assert waiting.value.seconds == 20
    finally:
        other.close()
    clock.now += 20
    with pytest.raises(WrongPinError, match="try again in 1 min"):
        people.check_pin(vali.id, "0000")  # the fourth: twice as long
    clock.now += 60
    people.check_pin(vali.id, "1234")
    assert store.query(
        "SELECT pin_failures, pin_wait_until FROM profiles WHERE id = ?", (vali.id,)
    ) == [(0, 0)]
    with pytest.raises(WrongPinError, match=r"^wrong PIN for Vali$"):
        people.check_pin(vali.id, "0000")  # counted from zero again


def test_a_clock_set_back_does_not_lengthen_the_wait(people: ProfileStore, clock: Clock) -> None:
    vali = people.add("Vali", pin="1234")
    for _ in range(3):
        with pytest.raises(WrongPinError):
            people.check_pin(vali.id, "9999")
    clock.now -= 86_400
    with pytest.raises(PinWaitError, match="30 s"):
        people.check_pin(vali.id, "1234")


def test_a_malformed_or_missing_pin_is_not_counted(people: ProfileStore) -> None:
    vali = people.add("Vali", pin="1234")
    for _ in range(5):
        with pytest.raises(UserError, match="4 to 8 digits"):
            people.check_pin(vali.id, "12")
    people.check_pin(vali.id, "1234")
    people.check_pin(people.add("Ali").id, "")  # no PIN: nothing to check


def _fill(store: LibraryStore, profile_id: int) -> None:
    """Give a person one of everything a person holds."""
    AnnotationStore(store).create(
        "a" * 64,
        AnnotationKind.NOTE,
        Anchor(page=0),
        body=f"note {profile_id}",
        profile_id=profile_id,
    )
    store.set_progress("a" * 64, "page=2", 0.5, profile_id=profile_id)
    CatalogStore(store, profile_id).add("Home", "http://127.0.0.1:9/opds", "u", f"pw{profile_id}")
    SyncState(store, profile_id).sign_in("http://127.0.0.1:8", "u", f"tok{profile_id}")
    KoreaderState(store, profile_id).turn_on("http://127.0.0.1:7", "u", f"key{profile_id}")
    DownloadQueue(store).enqueue("http://127.0.0.1:9/b.epub", profile_id=profile_id)
    store.set_meta(f"pdf_annotations_adopted:{profile_id}:{'a' * 64}", "1")
    shelves = ShelfStore(store, profile_id)
    shelves.put(shelves.add(f"Sevimli {profile_id}"), "a" * 64)
    shelves.hide("a" * 64)


def test_removing_a_person_deletes_all_of_theirs_and_no_book(
    people: ProfileStore, store: LibraryStore
) -> None:
    store.add_book(make_book(), None)
    vali = people.add("Vali", pin="1234")
    people.check_pin(vali.id, "1234")  # Vali at the keyboard: their secrets unlocked
    _fill(store, PROFILE)
    _fill(store, vali.id)
    assert people.held(vali.id) == {
        "annotations": 1,
        "positions": 1,
        "catalogs": 1,
        "sync_accounts": 1,
        "koreader_accounts": 1,
        "secrets": 3,
        "downloads": 1,
    }
    people.remove(vali.id)

    tables = [r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
    left = {
        t: store.query(f"SELECT count(*) FROM {t} WHERE profile_id = ?", (vali.id,))[0][0]
        for t in tables
        if "profile_id" in [c[1] for c in store.query(f"PRAGMA table_info({t})")]
    }
    assert left == dict.fromkeys(left, 0)
    assert "secret_keys" in left
    assert "change_log" in left
    assert {"shelves", "shelf_books", "hidden_books"} <= set(left)
    assert store.query("SELECT key FROM meta WHERE key LIKE 'pdf_annotations_adopted:%'") == [
        (f"pdf_annotations_adopted:{PROFILE}:{'a' * 64}",)
    ]
    assert [b.id for b in store.books()] == ["a" * 64]
    # the other person keeps everything, secrets readable
    assert people.held(PROFILE)["annotations"] == 1
    assert store.secret(PROFILE, SYNC_TOKEN) == f"tok{PROFILE}"
    assert CatalogStore(store, PROFILE).get("Home").password == f"pw{PROFILE}"
    # a person added after gets nothing of the removed one, even under the same id
    newcomer = people.add("Newcomer")
    assert people.held(newcomer.id) == dict.fromkeys(people.held(newcomer.id), 0)
    assert AnnotationStore(store).changes() == [
        c for c in AnnotationStore(store).changes() if c.profile_id == PROFILE
    ]


def test_the_last_person_is_kept(people: ProfileStore) -> None:
    with pytest.raises(UserError, match="last person"):
        people.remove(PROFILE)
    assert len(people.list()) == 1


def test_reset_pin_erases_secrets_and_keeps_notes(
    people: ProfileStore, store: LibraryStore
) -> None:
    store.add_book(make_book(), None)
    vali = people.add("Vali", pin="1234")
    people.check_pin(vali.id, "1234")
    _fill(store, PROFILE)
    _fill(store, vali.id)
    assert store.query("SELECT wrap FROM secret_keys WHERE profile_id = ?", (vali.id,)) == [
        ("pin",)
    ]
    people.reset_pin(vali.id)
    assert not people.get(vali.id).has_pin
    for kind, name in ((SYNC_TOKEN, ""), (KOREADER_KEY, ""), (CATALOG_PASSWORD, "2")):
        assert store.secret(vali.id, kind, name) is None
    assert store.query("SELECT count(*) FROM secret_keys WHERE profile_id = ?", (vali.id,)) == [
        (0,)
    ]
    assert SyncState(store, vali.id).account() is not None  # the account row: signs in again
    assert [a.body for a in AnnotationStore(store).of_book("a" * 64, vali.id)] == [
        f"note {vali.id}"
    ]
    assert store.progress("a" * 64, vali.id) == ("page=2", 0.5)
    assert store.secret(PROFILE, SYNC_TOKEN) == f"tok{PROFILE}"  # nobody else's


def test_each_person_keeps_settings_of_their_own(people: ProfileStore) -> None:
    vali = people.add("Vali")
    assert people.settings(vali.id) == {}
    people.set_settings(vali.id, {"language": "uz", "zoom": 1.5})
    assert people.settings(vali.id) == {"language": "uz", "zoom": 1.5}
    assert people.settings(PROFILE) == {}
