"""The library servers (OPDS catalogues) of a profile, and their credentials.

A catalogue's URL is kept without ``user:password@``: credentials found in it are moved into
the user name and password columns. `CatalogStore` is also the catalogue client's credential
store (sync's `Credentials` protocol): `lookup(origin)` gives the pair of the profile's catalogue
at that origin. Passwords never reach a log, an error message or `repr`, and are kept
encrypted by the store's `SecretStore` (its ``password`` column stays empty since schema 8).
"""

from __future__ import annotations

import builtins
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from app.core.errors import UserError
from app.library.secrets import CATALOG_PASSWORD
from app.library.store import LibraryStore
from sync.auth import origin_of

_COLUMNS = "id, name, url, username, added_at"


@dataclass(frozen=True)
class Catalog:
    """A saved library server.

    Attributes:
        id: the row id.
        name: the name the person gave (unique per profile).
        url: the root feed URL, without credentials.
        username: the user name ("" when none).
        password: the password ("" when none); left out of `repr`.
        added_at: when it was added (seconds since the epoch).
    """

    id: int
    name: str
    url: str
    username: str = ""
    password: str = field(default="", repr=False)
    added_at: float = 0.0


def split_credentials(url: str) -> tuple[str, str, str]:
    """``url`` without ``user:password@``, and the user name and password it carried ("" if not).

    Raises:
        UserError: the URL is not an absolute http or https URL with a host.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise UserError(f"{_shown(text)!r} is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UserError(f"{_shown(text)!r} is not an http or https URL with a host")
    user = unquote(parts.username or "")
    password = unquote(parts.password or "")
    host = parts.netloc.rsplit("@", 1)[-1]
    clean = urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))
    return clean, user, password


def _shown(url: str) -> str:
    """`url` without its credentials, for messages (even when it does not parse).

    Everything between ``://`` and the last ``@`` goes: a password may hold an unescaped ``/``
    or ``?``, so the host cannot be told from the path before the last ``@``.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url.rsplit("@", 1)[-1]
    return f"{scheme}://{rest.rsplit('@', 1)[-1]}"


def _checked(name: str, url: str, username: str, password: str) -> tuple[str, str, str, str]:
    """The name with its spaces collapsed, the URL without credentials, and the user name and
    password (those given win over the URL's).

    Raises:
        UserError: no name, or a bad URL.
    """
    name = " ".join(name.split())
    if not name:
        raise UserError("a catalogue needs a name")
    clean, url_user, url_password = split_credentials(url)
    return name, clean, username or url_user, password or url_password


class CatalogStore:
    """The catalogues of one profile in a library store.

    Args:
        store: the library store.
        profile_id: the profile whose catalogues these are (1, ``default``, unless told).
    """

    def __init__(self, store: LibraryStore, profile_id: int) -> None:
        self.store = store
        self.profile_id = profile_id

    def add(self, name: str, url: str, username: str = "", password: str = "") -> Catalog:
        """Save a catalogue; credentials in the URL are moved to the user name and password
        (those given as arguments win).

        Raises:
            UserError: no name, a bad URL, or a catalogue of that name already there.
        """
        name, clean, username, password = _checked(name, url, username, password)
        added_at = time.time()
        try:
            with self.store.transaction() as db:
                cursor = db.execute(
                    "INSERT INTO catalogs(profile_id, name, url, username, added_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (self.profile_id, name, clean, username, added_at),
                )
                row_id = int(cursor.lastrowid or 0)
                self.store.secrets.set(db, self.profile_id, CATALOG_PASSWORD, str(row_id), password)
        except sqlite3.IntegrityError:
            raise UserError(
                f"a catalogue named {name!r} already exists; choose another --name"
            ) from None
        return Catalog(row_id, name, clean, username, password, added_at)

    def update(
        self, catalog_id: int, *, name: str, url: str, username: str, password: str
    ) -> Catalog:
        """Change a saved catalogue in one transaction, checked as `add` checks a new one;
        credentials in the URL are moved to the user name and password (those given win).

        Raises:
            UserError: no name, a bad URL, another catalogue of that name, or no catalogue
                `catalog_id` in this profile.
        """
        name, clean, username, password = _checked(name, url, username, password)
        try:
            with self.store.transaction() as db:
                row = db.execute(
                    "SELECT added_at FROM catalogs WHERE id = ? AND profile_id = ?",
                    (catalog_id, self.profile_id),
                ).fetchone()
                if row is None:
                    raise UserError(f"no catalogue with id {catalog_id} (it may have been removed)")
                db.execute(
                    "UPDATE catalogs SET name = ?, url = ?, username = ? WHERE id = ?",
                    (name, clean, username, catalog_id),
                )
                self.store.secrets.set(
                    db, self.profile_id, CATALOG_PASSWORD, str(catalog_id), password
                )
        except sqlite3.IntegrityError:
            raise UserError(
                f"a catalogue named {name!r} already exists; choose another name"
            ) from None
        return Catalog(catalog_id, name, clean, username, password, float(row[0]))

    def list(self) -> builtins.list[Catalog]:
        """The profile's catalogues, by name."""
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM catalogs WHERE profile_id = ? ORDER BY name COLLATE NOCASE",
            (self.profile_id,),
        )
        return [self._catalog(row) for row in rows]

    def find(self, name: str) -> Catalog | None:
        """The catalogue called `name`, or None."""
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM catalogs WHERE profile_id = ? AND name = ?",
            (self.profile_id, " ".join(name.split())),
        )
        return self._catalog(rows[0]) if rows else None

    def by_id(self, catalog_id: int) -> Catalog | None:
        """The profile's catalogue with this row id, or None (removed, or another profile's)."""
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM catalogs WHERE profile_id = ? AND id = ?",
            (self.profile_id, catalog_id),
        )
        return self._catalog(rows[0]) if rows else None

    def _catalog(self, row: Sequence[Any]) -> Catalog:
        """A catalogue from its row and its password (kept apart, encrypted)."""
        password = self.store.secret(self.profile_id, CATALOG_PASSWORD, str(row[0])) or ""
        return Catalog(int(row[0]), row[1], row[2], row[3], password, float(row[4]))

    def get(self, name: str) -> Catalog:
        """The catalogue called `name`.

        Raises:
            UserError: there is none.
        """
        found = self.find(name)
        if found is None:
            known = ", ".join(c.name for c in self.list()) or "none yet"
            raise UserError(f"no catalogue named {name!r} (saved: {known})")
        return found

    def remove(self, name: str) -> Catalog:
        """Forget the catalogue called `name` (and its credentials).

        Raises:
            UserError: there is none.
        """
        found = self.get(name)
        with self.store.transaction() as db:
            db.execute("DELETE FROM catalogs WHERE id = ?", (found.id,))
            self.store.secrets.delete(db, self.profile_id, CATALOG_PASSWORD, str(found.id))
        return found

    def lookup(self, origin: str) -> tuple[str, str] | None:
        """The (user, password) of the profile's catalogue at `origin` (sync's `Credentials`)."""
        for catalog in self.list():
            if catalog.username and origin_of(catalog.url) == origin:
                return catalog.username, catalog.password
        return None

    def __repr__(self) -> str:
        return f"CatalogStore(profile {self.profile_id})"
