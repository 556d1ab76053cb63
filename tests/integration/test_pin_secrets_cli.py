"""A PIN-protected person's catalogue password and sync token, kept under their PIN, used by
another `mutolaa` process given the PIN on standard input (the project's server on 127.0.0.1),
and opened by nothing else in the library's files."""

from __future__ import annotations

import json
from pathlib import Path

from app.core.paths import resolve_paths
from app.library.catalogs import CatalogStore
from app.library.profiles import ProfileStore
from app.library.secrets import CATALOG_PASSWORD, SYNC_TOKEN
from app.library.sync_state import SyncState
from app.services.session import Library
from tests.support.cli import mutolaa
from tests.support.docgen import make_pdf
from tests.support.library_server import serving

USER, PASSWORD = "ali", "ali-kutubxona-parol-2026"
PIN = "4821"


def test_another_process_with_the_pin_uses_alis_secrets_and_the_files_alone_give_nothing(
    tmp_path: Path,
) -> None:
    books = tmp_path / "books"
    make_pdf(books / "kecha.pdf", ["Kecha va kunduz", "Ikkinchi bet"], title="Kecha va kunduz")
    library = tmp_path / "pc"
    with serving(tmp_path / "server", books, catalog="accounts") as server:
        server.add_user(USER, PASSWORD)
        mutolaa(library, "profiles", "add", "Ali", "--pin", stdin=f"{PIN}\n")
        ali = ["--profile", "Ali"]
        mutolaa(
            library,
            *ali,
            "catalog",
            "add",
            f"{server.url}/opds",
            "--name",
            "Kutubxona",
            "--user",
            USER,
            stdin=f"{PIN}\n{PASSWORD}\n",
        )
        # another process: the PIN unlocks the catalogue's password, the server lets Ali in
        shown = mutolaa(library, *ali, "catalog", "browse", "Kutubxona", "/opds/new", stdin=PIN)
        assert "Kecha va kunduz" in shown.stdout
        refused = mutolaa(library, *ali, "catalog", "browse", "Kutubxona", "/opds/new", ok=False)
        assert refused.stderr.startswith("mutolaa: no PIN given for Ali")
        assert len(refused.stderr.splitlines()) == 1

        mutolaa(library, *ali, "account", "login", server.url, USER, stdin=f"{PIN}\n{PASSWORD}\n")
        status = mutolaa(library, *ali, "account", "status", "--json", stdin=PIN)
        assert json.loads(status.stdout)["signed_in"] is True
        mutolaa(library, *ali, "sync", stdin=PIN)

    # the files alone (database, secret.key; no credential store in the tests): nothing
    with Library(resolve_paths(library)) as opened:
        store = opened.store
        person = ProfileStore(store).named("Ali").id
        wraps = store.query("SELECT DISTINCT wrap FROM secret_keys WHERE profile_id = ?", (person,))
        assert wraps == [("pin",)]
        catalog = CatalogStore(store, person).get("Kutubxona")
        assert catalog.password == ""  # locked: the catalogue asks for the password again
        assert store.secret(person, CATALOG_PASSWORD, str(catalog.id)) is None
        account = SyncState(store, person).account()
        assert account is not None
        assert account.token == ""  # locked: "not signed in"
        assert store.secret(person, SYNC_TOKEN) is None
    files = b"".join(p.read_bytes() for p in library.rglob("*") if p.is_file())
    assert PASSWORD.encode() not in files
