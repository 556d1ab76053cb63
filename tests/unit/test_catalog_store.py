"""The saved library servers of a profile: URLs without credentials, unique names, lookup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.library.catalogs import CatalogStore, split_credentials
from app.library.secrets import CATALOG_PASSWORD
from app.library.store import LibraryStore
from sync.auth import origin_of
from tests.support.sessions import PROFILE

PASSWORD = "p@ss:wörd/1"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    opened = LibraryStore(tmp_path / "db.sqlite3", tmp_path / "books")
    yield opened
    opened.close()


def test_credentials_in_the_url_are_moved_out_of_it(store: LibraryStore) -> None:
    catalogs = CatalogStore(store, profile_id=PROFILE)
    added = catalogs.add("Home", "HTTPS://ana:p%40ss%3Aw%C3%B6rd%2F1@Example.org:8443/opds?x=1")
    assert added.url == "https://Example.org:8443/opds?x=1"
    assert (added.username, added.password) == ("ana", PASSWORD)
    rows = store.query("SELECT url, username, password FROM catalogs")
    assert rows == [("https://Example.org:8443/opds?x=1", "ana", "")]  # the password: encrypted
    assert store.secret(PROFILE, CATALOG_PASSWORD, str(added.id)) == PASSWORD
    assert PASSWORD not in repr(added)
    assert PASSWORD not in repr(catalogs.list())
    assert catalogs.get("Home") == added


def test_lookup_by_origin_and_profile(store: LibraryStore) -> None:
    catalogs = CatalogStore(store, profile_id=PROFILE)
    catalogs.add("A", "http://127.0.0.1:8080/root.xml", "ana", PASSWORD)
    catalogs.add("Open", "http://127.0.0.1:9090/root.xml")
    assert catalogs.lookup(origin_of("http://127.0.0.1:8080/other/feed.xml")) == ("ana", PASSWORD)
    assert catalogs.lookup(origin_of("http://127.0.0.1:9090/")) is None
    assert catalogs.lookup(origin_of("https://127.0.0.1:8080/")) is None
    with store.transaction() as db:
        db.execute("INSERT INTO profiles(id, name, created_at) VALUES (2, 'guest', 0)")
    other = CatalogStore(store, profile_id=2)
    assert other.list() == []
    assert other.lookup(origin_of("http://127.0.0.1:8080/")) is None
    other.add("A", "http://127.0.0.1:8080/root.xml")  # the same name in another profile


def test_names_are_unique_and_errors_are_one_clear_line(store: LibraryStore) -> None:
    catalogs = CatalogStore(store, profile_id=PROFILE)
    catalogs.add("Home", "http://127.0.0.1:1/")
    with pytest.raises(UserError, match="'Home' already exists"):
        catalogs.add(" Home ", "http://127.0.0.1:2/")
    with pytest.raises(UserError, match=r"no catalogue named 'Nope'.*Home"):
        catalogs.get("Nope")
    with pytest.raises(UserError, match="needs a name"):
        catalogs.add("  ", "http://127.0.0.1:2/")
    for bad in ("ftp://host/feed", "file:///etc/passwd", "not a url", "http://:80/", "http://h:x/"):
        with pytest.raises(UserError) as caught:
            catalogs.add("Bad", bad)
        assert "\n" not in str(caught.value)
    with pytest.raises(UserError) as caught:
        catalogs.add("Bad", f"ftp://ana:{PASSWORD}@host/")
    assert PASSWORD not in str(caught.value)
    assert [c.name for c in catalogs.list()] == ["Home"]
    assert catalogs.remove("Home").name == "Home"
    assert catalogs.list() == []


def test_split_credentials() -> None:
    assert split_credentials("http://host") == ("http://host/", "", "")
    assert split_credentials("http://u@host/a#frag") == ("http://host/a", "u", "")


@pytest.mark.parametrize(
    "url",
    [
        "http://u:pa/ss@host:99999/x",  # a "/" in the password: the rest parses as a path
        "http://u:p?w@h:bad/",
        "ftp://u:pa/ss@h/x",
    ],
)
def test_a_bad_url_message_never_shows_the_password(url: str) -> None:
    with pytest.raises(UserError) as error:
        split_credentials(url)
    assert "pa" not in str(error.value).replace("path", "")
    assert "p?w" not in str(error.value)
    assert "\n" not in str(error.value)
