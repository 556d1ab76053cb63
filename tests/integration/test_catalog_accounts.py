"""Mutolaa with its own library server's catalogue open to accounts only (issue 13 item 13):
signed in with `mutolaa account login`, the person browses, searches and downloads from that
server's catalogue without typing the password again (the sync token goes under the server's
address), and another device fetches the same book from what the sync told it. The real
`mutolaa` command and the project's server on 127.0.0.1 over a real book."""

from __future__ import annotations

from pathlib import Path

from app.core.paths import resolve_paths
from app.services.catalogs.queue_runner import run_queue
from app.services.session import Library
from app.services.sync.other_devices import books_elsewhere, queue_held
from tests.support.cli import mutolaa
from tests.support.docgen import make_pdf
from tests.support.library_server import serving
from tests.support.sessions import session_of

USER, PASSWORD = "talaba", "kutubxona-parol-2026"


def test_a_signed_in_mutolaa_browses_and_downloads_its_servers_members_only_catalogue(
    tmp_path: Path,
) -> None:
    books = tmp_path / "books"
    make_pdf(books / "kecha.pdf", ["Kecha va kunduz", "Ikkinchi bet"], title="Kecha va kunduz")
    with serving(tmp_path / "server", books, catalog="accounts") as server:
        server.add_user(USER, PASSWORD)
        a, b = tmp_path / "pc-a", tmp_path / "pc-b"

        # not signed in: the catalogue asks for a name and password, in one line
        refused = mutolaa(a, "catalog", "add", f"{server.url}/opds", "--name", "K", ok=False)
        assert refused.stderr == (
            "mutolaa: K: the server asks for a user name and password (catalog add … --user USER)\n"
        )

        for pc in (a, b):
            mutolaa(pc, "account", "login", server.url, USER, stdin=PASSWORD + "\n")
            mutolaa(pc, "catalog", "add", f"{server.url}/opds", "--name", "Kutubxona")
        assert "Kecha va kunduz" in mutolaa(a, "catalog", "browse", "Kutubxona", "/opds/new").stdout
        assert "Kecha va kunduz" in mutolaa(a, "catalog", "search", "Kutubxona", "kunduz").stdout
        mutolaa(a, "download", "Kecha va kunduz")
        mutolaa(a, "sync")
        mutolaa(b, "sync")
        with Library(resolve_paths(b)) as library:
            [held] = books_elsewhere(session_of(library))
            download_id = queue_held(session_of(library), held)
            [done] = run_queue(session_of(library), only=[download_id])
            assert done.state == "done", done.error

        # signed out: the token is revoked, and the catalogue asks again
        mutolaa(a, "account", "logout")
        again = mutolaa(a, "catalog", "browse", "Kutubxona", "/opds/authors", ok=False)
        assert "asks for a user name and password" in again.stderr
