"""`mutolaa catalog …` as real subprocesses against the Feedbooks test catalogue on 127.0.0.1.

The catalogue is served as tests/sync/test_catalog.py serves it (its `serve_feedbooks`), behind
HTTP Basic where a test needs credentials.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import FIXTURES
from tests.support.catalog_server import CatalogServer
from tests.sync.test_catalog import serve_feedbooks

ROOT = Path(__file__).resolve().parents[2]
OPDS = FIXTURES / "opds"
PASSWORD = "s3cret-Pa55:ʻword@x"
AUTH_LINE = "the server asks for a user name and password (catalog add … --user USER)"


def run(library_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--library", str(library_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        check=False,
    )


@pytest.fixture
def opds() -> Path:
    if not OPDS.is_dir():
        pytest.skip(f"OPDS fixtures not found at {OPDS} (../shared/fixtures/opds)")
    return OPDS


@pytest.fixture
def basic(opds: Path, tmp_path: Path) -> Iterator[CatalogServer]:
    server = serve_feedbooks(opds, tmp_path, auth="basic", password=PASSWORD)
    yield server
    server.stop()


def _files_text(folder: Path) -> str:
    """Every file under `folder` but the database, as text (to look for a password)."""
    return "".join(
        path.read_bytes().decode("utf-8", "replace")
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith("library.sqlite3")
    )


def test_add_with_credentials_in_the_url_browse_search_then_offline(
    basic: CatalogServer, library_dir: Path
) -> None:
    outputs: list[str] = []

    def ok(*args: str) -> subprocess.CompletedProcess[str]:
        result = run(library_dir, *args)
        outputs.extend((result.stdout, result.stderr))
        assert result.returncode == 0, result.stderr
        return result

    secret_url = f"http://reader:{quote(PASSWORD, safe='')}@127.0.0.1:{basic.port}/catalog/root.xml"
    added = ok("catalog", "add", secret_url)
    assert "added      Test Catalog Root" in added.stdout
    with sqlite3.connect(library_dir / "library.sqlite3") as db:
        rows = db.execute("SELECT name, url, username, password FROM catalogs").fetchall()
    # the password is kept apart, encrypted (tests/unit/test_secrets.py)
    assert rows == [("Test Catalog Root", f"{basic.base}/catalog/root.xml", "reader", "")]

    listed = ok("catalog", "list")
    assert (
        listed.stdout.strip() == f"Test Catalog Root  {basic.base}/catalog/root.xml  (user reader)"
    )
    as_json = json.loads(ok("catalog", "list", "--json").stdout)
    assert [set(c) for c in as_json] == [{"name", "url", "username", "added_at"}]

    root = ok("catalog", "browse", "Test Catalog Root")
    assert root.stdout.startswith(f"Test Catalog Root  {basic.base}/catalog/root.xml\n")
    assert f"  > First Acquisition feed  {basic.base}/catalog/acquisition/main.xml" in root.stdout
    page = json.loads(
        ok("catalog", "browse", "Test Catalog Root", "acquisition/main.xml", "--json").stdout
    )
    assert (page["title"], page["kind"], page["stale"]) == (
        "First Acquisition Feed",
        "acquisition",
        False,
    )
    pride = next(e for e in page["entries"] if e["title"] == "Pride and Prejudice")
    assert pride["authors"] == ["Jane Austen"]
    assert pride["acquisitions"]
    assert pride["acquisitions"][0]["href"].startswith("http")
    assert page["next"]
    text_page = ok("catalog", "browse", "Test Catalog Root", page["next"])
    assert "  * Paging: Page 2 item" in text_page.stdout

    found = ok("catalog", "search", "Test Catalog Root", "pride")
    assert found.stdout.startswith(f"Search results  {basic.base}/catalog/search/results.xml")
    assert "  * Search results — Jane Austen" in found.stdout  # the static results page

    basic.stop()
    offline = ok("catalog", "browse", "Test Catalog Root", "--json")
    data = json.loads(offline.stdout)
    assert (data["title"], data["stale"], data["from_cache"]) == ("Test Catalog Root", True, True)
    assert "cannot be reached" in data["notes"][0]
    shown = ok("catalog", "browse", "Test Catalog Root", "acquisition/main.xml")
    assert "[offline copy]" in shown.stdout.splitlines()[0]
    assert "cannot be reached" in shown.stderr
    assert "  * Pride and Prejudice — Jane Austen" in shown.stdout
    cached = ok("catalog", "search", "Test Catalog Root", "AUSTEN")
    assert "Pride and Prejudice" in cached.stdout
    assert "searched the cached feeds" in cached.stderr
    never = run(library_dir, "catalog", "browse", "Test Catalog Root", "search/never.xml")
    assert never.returncode == 1
    assert never.stderr.count("\n") == 1
    assert "not in the offline cache" in never.stderr
    outputs.extend((never.stdout, never.stderr))

    for text in outputs:
        assert PASSWORD not in text
        assert quote(PASSWORD, safe="") not in text
    files = _files_text(library_dir)
    assert "mutolaa.log" in {p.name for p in (library_dir / "logs").iterdir()}
    assert PASSWORD not in files
    assert quote(PASSWORD, safe="") not in files


def test_user_flag_reads_the_password_from_stdin(basic: CatalogServer, library_dir: Path) -> None:
    url = f"{basic.base}/catalog/root.xml"
    refused = run(library_dir, "catalog", "add", url, "--name", "School")
    assert refused.returncode == 1
    assert refused.stderr == f"mutolaa: School: {AUTH_LINE}\n"
    wrong = run(library_dir, "catalog", "add", url, "--user", "reader", stdin="nope\n")
    assert wrong.returncode == 1
    assert "refused the user name and password" in wrong.stderr
    assert json.loads(run(library_dir, "catalog", "list", "--json").stdout) == []

    added = run(
        library_dir,
        "catalog",
        "add",
        url,
        "--name",
        "School",
        "--user",
        "reader",
        stdin=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    browsed = run(library_dir, "catalog", "browse", "School")
    assert browsed.returncode == 0, browsed.stderr
    assert "First Acquisition feed" in browsed.stdout
    again = run(library_dir, "catalog", "add", url, "--name", "School")
    assert again.returncode == 1
    assert "already exists" in again.stderr
    for result in (refused, wrong, added, browsed, again):
        assert PASSWORD not in result.stdout + result.stderr
    assert PASSWORD not in _files_text(library_dir)


def test_add_offline_saves_and_says_so(library_dir: Path, tmp_path: Path) -> None:
    server = CatalogServer(tmp_path / "empty")
    port = server.port
    server._server.server_close()  # a port nobody listens on
    added = run(library_dir, "catalog", "add", f"http://127.0.0.1:{port}/opds", "--json")
    assert added.returncode == 0, added.stderr
    data = json.loads(added.stdout)
    assert (data["name"], data["reachable"]) == ("127.0.0.1", False)
    assert "cannot be reached" in data["note"]
    browse = run(library_dir, "catalog", "browse", "127.0.0.1")
    assert browse.returncode == 1
    assert browse.stderr.startswith("mutolaa: ")
    assert browse.stderr.count("\n") == 1
    missing = run(library_dir, "catalog", "search", "Nope", "x")
    assert missing.returncode == 1
    assert missing.stderr == "mutolaa: no catalogue named 'Nope' (saved: 127.0.0.1)\n"


def test_a_search_that_finds_nothing_says_so_online_and_offline(
    library_dir: Path, tmp_path: Path
) -> None:
    # calibre-server answers a search with no match `404 "No books found"`
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "root.xml").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:k</id><title>Kalibr</title>'
        '<link rel="search" type="application/opensearchdescription+xml" href="search.xml"/>'
        "<entry><id>urn:b1</id><title>Boburnoma</title>"
        '<link rel="http://opds-spec.org/acquisition" type="application/epub+zip" href="b.epub"/>'
        "</entry></feed>",
        encoding="utf-8",
    )
    (tmp_path / "site" / "search.xml").write_text(
        '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">'
        "<ShortName>Kalibr</ShortName>"
        '<Url type="application/atom+xml" template="find/{searchTerms}.xml"/>'
        "</OpenSearchDescription>",
        encoding="utf-8",
    )
    server = CatalogServer(tmp_path / "site")
    server.start()
    try:
        assert run(library_dir, "catalog", "add", f"{server.base}/root.xml").returncode == 0
        online = run(library_dir, "catalog", "search", "Kalibr", "yoʻq")
        assert online.returncode == 0, online.stderr
        assert online.stdout.splitlines()[-1] == "  nothing found"
        assert "nothing found (the server answered 404)" in online.stderr
        assert (
            json.loads(run(library_dir, "catalog", "search", "Kalibr", "x", "--json").stdout)[
                "entries"
            ]
            == []
        )
    finally:
        server.stop()
    offline = run(library_dir, "catalog", "search", "Kalibr", "yoʻq")
    assert offline.returncode == 0, offline.stderr
    assert offline.stdout.splitlines()[-1] == "  nothing found"
    assert "searched the cached feeds" in offline.stderr
