"""Changing a saved library server: one transaction, checked like a new one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.library.catalogs import CatalogStore
from app.library.secrets import CATALOG_PASSWORD
from app.library.store import LibraryStore
from sync.auth import origin_of
from tests.support.sessions import PROFILE

PASSWORD = "n3w:pa@ss/ʻ"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    opened = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    yield opened
    opened.close()


def _rows(store: LibraryStore) -> list[tuple[str, str, str, str]]:
    """Each catalogue as kept: its row, and its password (kept apart, encrypted)."""
    return [
        (name, url, username, store.secret(PROFILE, CATALOG_PASSWORD, str(row_id)) or password)
        for row_id, name, url, username, password in store.query(
            "SELECT id, name, url, username, password FROM catalogs ORDER BY id"
        )
    ]


def test_update_changes_every_field_and_keeps_the_id_and_the_date(store: LibraryStore) -> None:
    catalogs = CatalogStore(store, profile_id=PROFILE)
    old = catalogs.add("Home", "http://127.0.0.1:1/root.xml", "ana", "old")
    new = catalogs.update(
        old.id,
        name="  School   library ",
        url="http://bob:n3w%3Apa%40ss%2F%CA%BB@127.0.0.1:2/opds",
        username="",
        password="",
    )
    assert (new.id, new.added_at) == (old.id, old.added_at)
    assert (new.name, new.url, new.username) == ("School library", "http://127.0.0.1:2/opds", "bob")
    assert new.password == PASSWORD
    assert PASSWORD not in repr(new)
    assert _rows(store) == [("School library", "http://127.0.0.1:2/opds", "bob", PASSWORD)]
    assert catalogs.get("School library") == new
    assert catalogs.find("Home") is None
    assert catalogs.lookup(origin_of("http://127.0.0.1:2/")) == ("bob", PASSWORD)
    assert catalogs.lookup(origin_of("http://127.0.0.1:1/")) is None


def test_credentials_given_win_over_the_url_and_empty_ones_clear_them(
    store: LibraryStore,
) -> None:
    catalogs = CatalogStore(store, profile_id=PROFILE)
    added = catalogs.add("Home", "http://127.0.0.1:1/", "ana", "secret")
    given = catalogs.update(
        added.id, name="Home", url="http://x:y@127.0.0.1:1/", username="ana", password=PASSWORD
    )
    assert (given.username, given.password) == ("ana", PASSWORD)
    cleared = catalogs.update(
        added.id, name="Home", url="http://127.0.0.1:1/", username="", password=""
    )
    assert (cleared.username, cleared.password) == ("", "")
    assert _rows(store) == [("Home", "http://127.0.0.1:1/", "", "")]


def test_a_name_clash_a_bad_url_or_an_unknown_id_changes_nothing(store: LibraryStore) -> None:
    catalogs = CatalogStore(store, profile_id=PROFILE)
    home = catalogs.add("Home", "http://127.0.0.1:1/", "ana", "secret")
    catalogs.add("School", "http://127.0.0.1:2/")
    before = _rows(store)
    with pytest.raises(UserError, match=r"'School' already exists; choose another name$"):
        catalogs.update(home.id, name=" School", url=home.url, username="", password="")
    with pytest.raises(UserError, match="is not an http or https URL"):
        catalogs.update(home.id, name="Home", url="ftp://a:b@host/", username="", password="")
    with pytest.raises(UserError, match="needs a name"):
        catalogs.update(home.id, name="   ", url=home.url, username="", password="")
    with pytest.raises(UserError, match="no catalogue with id 999"):
        catalogs.update(999, name="New", url=home.url, username="", password="")
    assert _rows(store) == before
    # saving it under its own name is no clash
    same = catalogs.update(home.id, name="Home", url=home.url, username="ana", password="secret")
    assert same == home


def test_update_touches_only_the_profiles_own_catalogues(store: LibraryStore) -> None:
    with store.transaction() as db:
        db.execute("INSERT INTO profiles(id, name, created_at) VALUES (2, 'guest', 0)")
    mine = CatalogStore(store, profile_id=PROFILE).add("Home", "http://127.0.0.1:1/")
    guest = CatalogStore(store, profile_id=2)
    with pytest.raises(UserError, match=f"no catalogue with id {mine.id}"):
        guest.update(mine.id, name="Taken", url=mine.url, username="", password="")
    assert _rows(store) == [("Home", "http://127.0.0.1:1/", "", "")]
