"""Words from a catalogue never command the terminal (issue 13, item 3).

A real catalogue server on 127.0.0.1 whose feed title, entries, authors and search results carry
ESC sequences, OSC window-title and clipboard writes, C1 controls and bidi overrides; the real
`mutolaa` command line adds it, lists it, browses and searches it, and fails on it. Nothing a
terminal would obey reaches stdout or stderr, and the visible text stays.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.catalog_server import CatalogServer
from tests.support.cli import mutolaa
from tests.support.hostile_text import (
    AUTHOR_SEEN,
    ENTRY_SEEN,
    ENTRY_TITLE,
    FEED_NAME,
    FEED_TITLE,
    FOUND_SEEN,
    NAVIGATION_SEEN,
    assert_printable,
    write_hostile_catalog,
)

REASON = "Yo\x1b[2Jq \x1b]0;pwned\x07"


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[CatalogServer]:
    server = CatalogServer(write_hostile_catalog(tmp_path / "site"), not_found_reason=REASON)
    yield server.start()
    server.stop()


def run(library: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """The command, with its whole output checked: nothing a terminal would obey."""
    done = mutolaa(library, *args, ok=ok)
    assert_printable(done.stdout)
    assert_printable(done.stderr)
    return done


def test_catalogue_words_are_printed_without_what_a_terminal_obeys(
    hostile: CatalogServer, library_dir: Path
) -> None:
    added = run(library_dir, "catalog", "add", f"{hostile.base}/opds/root.json")
    assert f"added      {FEED_NAME}  {hostile.base}/opds/root.json" in added.stdout
    with sqlite3.connect(library_dir / "library.sqlite3") as db:
        assert db.execute("SELECT name FROM catalogs").fetchall() == [(FEED_NAME,)]

    listed = run(library_dir, "catalog", "list")
    assert listed.stdout == f"{FEED_NAME}  {hostile.base}/opds/root.json\n"

    browsed = run(library_dir, "catalog", "browse", FEED_NAME)
    assert browsed.stdout.startswith("esc[2Jfeed ]0;pwnedKutubxona  ")
    assert NAVIGATION_SEEN in browsed.stdout
    assert f"  * {ENTRY_SEEN} — {AUTHOR_SEEN}\n" in browsed.stdout

    found = run(library_dir, "catalog", "search", FEED_NAME, "kitob")
    assert f"  * {FOUND_SEEN} — {AUTHOR_SEEN}\n" in found.stdout

    missing = run(library_dir, "catalog", "browse", FEED_NAME, "yoq.json", ok=False)
    assert missing.returncode == 1
    assert "the server answered 404 Yo[2Jq ]0;pwned" in missing.stderr
    assert missing.stderr.count("\n") == 1

    # the entry's title goes into the download queue, the server's words into its reason
    fetched = run(library_dir, "download", "urn:x:kunlar.pdf", "--catalog", FEED_NAME, ok=False)
    assert "the server answered 404 Yo[2Jq ]0;pwned" in fetched.stderr
    queue = run(library_dir, "downloads")
    assert ENTRY_SEEN in queue.stdout


def test_json_output_keeps_the_data_whole_and_escaped(
    hostile: CatalogServer, library_dir: Path
) -> None:
    run(library_dir, "catalog", "add", f"{hostile.base}/opds/root.json")
    browsed = run(library_dir, "catalog", "browse", FEED_NAME, "--json")
    feed = json.loads(browsed.stdout)
    assert feed["title"] == FEED_TITLE  # a program reading it gets the server's words as sent
    assert feed["entries"][0]["title"] == ENTRY_TITLE
    assert "\\u009b" in browsed.stdout  # C1 and bidi controls are escaped, not raw
    assert "\\u202e" in browsed.stdout
