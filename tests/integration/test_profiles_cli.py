"""People sharing one library on the command line: `--profile`, PINs, the administrator."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.paths import resolve_paths
from app.library.catalogs import CatalogStore
from app.library.profiles import ProfileStore
from app.services.session import Library
from tests.support import docgen
from tests.support.cli import ROOT, mutolaa

OFFLINE = "http://127.0.0.1:9/opds"  # nobody listens: the catalogue is saved offline
NOTE_WORD = "Zilolaning"  # in the note only, never in the book's text


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a refused command prints (it must be one, and the command must fail)."""
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def people(library: Path) -> list[dict[str, object]]:
    return list(json.loads(mutolaa(library, "profiles", "list", "--json").stdout))


@pytest.fixture
def book(library_dir: Path, tmp_path: Path) -> str:
    """A book imported by the library's one person (no --profile needed yet)."""
    pdf = docgen.make_pdf(
        tmp_path / "kitob.pdf",
        ["Kutubxona bilim manbai.", "Ikkinchi sahifa matni."],
        title="Kutubxona",
    )
    imported = json.loads(mutolaa(library_dir, "import", str(pdf), "--json").stdout)
    return str(imported["added"][0]["id"])


def note_file(folder: Path, book_id: str) -> Path:
    """A W3C annotation file holding one note on the book."""
    document = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [
            {
                "id": "urn:uuid:" + "7" * 32,
                "type": "Annotation",
                "motivation": "commenting",
                "body": {"type": "TextualBody", "value": f"{NOTE_WORD} savoli"},
                "target": {
                    "source": f"urn:sha256:{book_id}",
                    "selector": {"type": "TextQuoteSelector", "exact": "bilim manbai"},
                },
            }
        ],
    }
    path = folder / "note.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_three_people_never_see_each_others_notes(
    library_dir: Path, book: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = str(people(library_dir)[0]["name"])  # the OS user's
    mutolaa(library_dir, "profiles", "add", "Ali")
    mutolaa(library_dir, "profiles", "add", "Vali")
    assert [p["name"] for p in people(library_dir)] == [first, "Ali", "Vali"]

    imported = mutolaa(
        library_dir, "--profile", "Ali", "import-annotations", str(note_file(tmp_path, book))
    )
    assert "1 imported" in imported.stdout

    def as_(name: str, *args: str) -> subprocess.CompletedProcess[str]:
        return mutolaa(library_dir, "--profile", name, *args)

    assert "1 annotation(s)" in as_("Ali", "annotations", book[:8]).stdout
    assert "note: Zilolaning savoli" in as_("ali", "annotations", book[:8]).stdout  # any case
    for other in ("Vali", first):
        assert as_(other, "annotations", book[:8], "--json").stdout.strip() == "[]"
        found = json.loads(as_(other, "search", NOTE_WORD, "--json").stdout)
        assert (found["total_notes"], found["notes"]) == (0, [])
        out = tmp_path / f"{other}.md"
        exported = json.loads(
            as_(
                other,
                "export-annotations",
                book[:8],
                "--format",
                "md",
                "--output",
                str(out),
                "--json",
            ).stdout
        )
        assert exported["annotations"] == 0
        assert NOTE_WORD not in out.read_text(encoding="utf-8")
    found = json.loads(as_("Ali", "search", NOTE_WORD, "--json").stdout)
    assert found["total_notes"] == 1
    out = tmp_path / "ali.md"
    as_("Ali", "export-annotations", book[:8], "--format", "md", "--output", str(out))
    assert NOTE_WORD in out.read_text(encoding="utf-8")

    # $MUTOLAA_PROFILE chooses too; --profile wins over it
    monkeypatch.setenv("MUTOLAA_PROFILE", "Ali")
    assert "1 annotation(s)" in mutolaa(library_dir, "annotations", book[:8]).stdout
    assert as_("Vali", "annotations", book[:8], "--json").stdout.strip() == "[]"
    monkeypatch.delenv("MUTOLAA_PROFILE")

    # nobody chosen among several: one line naming them; the books are everyone's
    refused = mutolaa(library_dir, "annotations", book[:8], ok=False)
    assert one_line(refused) == (
        f"mutolaa: several people use this library: {first}, Ali, Vali; "
        "choose one with --profile NAME"
    )
    unknown = mutolaa(library_dir, "--profile", "Nobody", "list", ok=False)
    assert one_line(unknown) == (
        f"mutolaa: no person named 'Nobody' in this library (people: {first}, Ali, Vali)"
    )
    for name in (first, "Ali", "Vali"):
        assert "Kutubxona" in as_(name, "list").stdout


def test_a_protected_person_needs_their_pin_and_wrong_ones_make_a_wait(library_dir: Path) -> None:
    mutolaa(library_dir, "profiles", "add", "Vali", "--pin", stdin="2468\n")
    listed = mutolaa(library_dir, "profiles", "list").stdout.splitlines()
    assert listed[-1].split() == ["Vali", "PIN"]

    missing = mutolaa(library_dir, "--profile", "Vali", "list", ok=False)
    assert one_line(missing).startswith("mutolaa: no PIN given for Vali")
    assert mutolaa(library_dir, "--profile", "Vali", "list", stdin="2468\n").returncode == 0
    assert one_line(mutolaa(library_dir, "--profile", "Vali", "list", stdin="12\n", ok=False)) == (
        "mutolaa: a PIN is 4 to 8 digits (0-9)"
    )
    wrong = [
        one_line(mutolaa(library_dir, "--profile", "Vali", "list", stdin="1111\n", ok=False))
        for _ in range(3)
    ]
    assert wrong == [
        "mutolaa: wrong PIN for Vali",
        "mutolaa: wrong PIN for Vali",
        "mutolaa: wrong PIN for Vali; try again in 30 s",
    ]
    waiting = mutolaa(library_dir, "--profile", "Vali", "list", stdin="2468\n", ok=False)
    assert one_line(waiting).startswith("mutolaa: too many wrong PINs for Vali; try again in ")

    # your own PIN: the current one first
    mutolaa(library_dir, "profiles", "add", "Ali", "--pin", stdin="1234\n")
    refused = mutolaa(library_dir, "profiles", "pin", "Ali", stdin="0000\n5678\n", ok=False)
    assert one_line(refused) == "mutolaa: wrong PIN for Ali"
    changed = mutolaa(library_dir, "profiles", "pin", "Ali", stdin="1234\n5678\n")
    assert changed.stdout == "Ali has a new PIN\n"
    assert mutolaa(library_dir, "--profile", "Ali", "list", stdin="5678\n").returncode == 0
    mutolaa(library_dir, "profiles", "pin", "Ali", "--clear", stdin="5678\n")
    assert mutolaa(library_dir, "--profile", "Ali", "list").returncode == 0


def test_the_administrator_rules(library_dir: Path) -> None:
    # no administrator: anybody adds; a protected person's own PIN guards them
    mutolaa(library_dir, "profiles", "add", "Vali", "--pin", stdin="2468\n")
    guarded = mutolaa(
        library_dir, "profiles", "rename", "Vali", "Valijon", stdin="1111\n", ok=False
    )
    assert one_line(guarded) == "mutolaa: wrong PIN for Vali"
    mutolaa(library_dir, "profiles", "rename", "Vali", "Valijon", stdin="2468\n")
    nobody = mutolaa(library_dir, "profiles", "reset-pin", "Valijon", ok=False)
    assert one_line(nobody).startswith("mutolaa: only an administrator can reset a PIN")

    no_pin = mutolaa(library_dir, "profiles", "add", "Opa", "--admin", ok=False)
    assert one_line(no_pin) == "mutolaa: no PIN given for Opa"
    assert mutolaa(library_dir, "profiles", "add", "Opa", "--admin", stdin="13579\n").stdout == (
        "added Opa (administrator)\n"
    )
    second = mutolaa(library_dir, "profiles", "add", "Aka", "--admin", stdin="1234\n", ok=False)
    assert one_line(second) == "mutolaa: Opa is already the administrator (a library has one)"

    # with an administrator: their PIN for adding, renaming, removing and resetting others
    asked = mutolaa(library_dir, "profiles", "add", "Ali", ok=False)
    assert one_line(asked).startswith("mutolaa: no PIN given for Opa")
    wrong = mutolaa(library_dir, "profiles", "add", "Ali", stdin="2468\n", ok=False)
    assert one_line(wrong) == "mutolaa: wrong PIN for Opa"
    mutolaa(library_dir, "profiles", "add", "Ali", "--pin", stdin="13579\n4321\n")
    own_pin = mutolaa(library_dir, "profiles", "rename", "Ali", "Alijon", stdin="4321\n", ok=False)
    assert one_line(own_pin) == "mutolaa: wrong PIN for Opa"  # the administrator's, not theirs
    mutolaa(library_dir, "profiles", "rename", "Ali", "Alijon", stdin="13579\n")
    reset = mutolaa(library_dir, "profiles", "reset-pin", "Alijon", stdin="13579\n")
    assert reset.stdout.startswith("Alijon has no PIN now; their stored passwords")
    itself = mutolaa(library_dir, "profiles", "reset-pin", "Opa", stdin="13579\n", ok=False)
    assert "change the PIN with `mutolaa profiles pin Opa`" in one_line(itself)
    cleared = mutolaa(library_dir, "profiles", "pin", "Opa", "--clear", stdin="13579\n", ok=False)
    assert one_line(cleared) == "mutolaa: the administrator's PIN cannot be removed, only changed"
    mutolaa(library_dir, "profiles", "remove", "Alijon", "--yes", stdin="13579\n")
    assert [(p["name"], p["admin"], p["pin"]) for p in people(library_dir)][1:] == [
        ("Valijon", False, True),
        ("Opa", True, True),
    ]


def test_remove_says_what_goes_keeps_the_books_and_never_the_last_person(
    library_dir: Path, book: str, tmp_path: Path
) -> None:
    first = str(people(library_dir)[0]["name"])
    mutolaa(library_dir, "profiles", "add", "Vali")
    mutolaa(library_dir, "--profile", "Vali", "import-annotations", str(note_file(tmp_path, book)))
    mutolaa(
        library_dir,
        "--profile",
        "Vali",
        "catalog",
        "add",
        OFFLINE,
        "--name",
        "Maktab",
        "--user",
        "vali",
        stdin="parol-1\n",
    )
    asked = mutolaa(library_dir, "profiles", "remove", "Vali", ok=False)  # not a terminal
    assert asked.stdout == (
        "Removing Vali deletes their 1 note, highlight or bookmark, 0 reading positions, "
        "1 library server, 0 sync accounts, 1 stored password, token or key and "
        "0 downloads waiting in the queue; the books stay in the library for everyone.\n"
    )
    assert one_line(asked) == "mutolaa: Vali was not removed: confirm on a terminal, or add --yes"
    assert [p["name"] for p in people(library_dir)] == [first, "Vali"]

    removed = json.loads(
        mutolaa(library_dir, "profiles", "remove", "vali", "--yes", "--json").stdout
    )
    assert removed["removed"]["name"] == "Vali"
    assert (removed["deleted"]["annotations"], removed["deleted"]["catalogs"]) == (1, 1)
    assert [p["name"] for p in people(library_dir)] == [first]
    assert book in mutolaa(library_dir, "list", "--json").stdout  # the books stay
    assert json.loads(mutolaa(library_dir, "annotations", book[:8], "--json").stdout) == []

    last = mutolaa(library_dir, "profiles", "remove", first, "--yes", ok=False)
    assert one_line(last) == (
        f"mutolaa: {first} is the only person of this library and cannot be removed"
    )


def test_reset_pin_erases_the_persons_secrets_and_keeps_their_notes(
    library_dir: Path, book: str, tmp_path: Path
) -> None:
    mutolaa(library_dir, "profiles", "add", "Vali", "--pin", stdin="2468\n")
    mutolaa(
        library_dir,
        "--profile",
        "Vali",
        "import-annotations",
        str(note_file(tmp_path, book)),
        stdin="2468\n",
    )
    mutolaa(
        library_dir,
        "--profile",
        "Vali",
        "catalog",
        "add",
        OFFLINE,
        "--name",
        "Maktab",
        "--user",
        "vali",
        stdin="2468\nparol-1\n",  # their PIN, then the catalogue's password
    )
    mutolaa(library_dir, "profiles", "add", "Opa", "--admin", stdin="13579\n")
    with Library(resolve_paths(library_dir)) as library:
        people = ProfileStore(library.store)
        vali = people.named("Vali").id
        assert CatalogStore(library.store, vali).get("Maktab").password == ""  # locked by the PIN
        people.check_pin(vali, "2468")
        assert CatalogStore(library.store, vali).get("Maktab").password == "parol-1"

    mutolaa(library_dir, "profiles", "reset-pin", "Vali", stdin="13579\n")

    with Library(resolve_paths(library_dir)) as library:
        catalog = CatalogStore(library.store, vali).get("Maktab")
        assert (catalog.username, catalog.password) == ("vali", "")  # types it again
        assert library.store.query(
            "SELECT count(*) FROM secrets WHERE profile_id = ?", (vali,)
        ) == [(0,)]
    notes = mutolaa(library_dir, "--profile", "Vali", "annotations", book[:8]).stdout  # no PIN
    assert f"note: {NOTE_WORD} savoli" in notes


def on_terminal(library: Path, *args: str, typed: list[str]) -> tuple[int, str]:
    """Run `mutolaa` on a pseudo-terminal (getpass and the confirmation ask there), typing
    each line of ``typed`` at each prompt it stops at; its exit status and output."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its controlling terminal, as a person's is
        os.chdir(ROOT)
        os.execv(
            sys.executable, [sys.executable, "-m", "app.cli", "--library", str(library), *args]
        )
    output, since_typed, waiting = b"", b"", list(typed)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.3)
        if not ready:
            if waiting and since_typed.rstrip(b" ").endswith((b":", b"]")):  # at a prompt
                os.write(fd, waiting.pop(0).encode() + b"\n")
                since_typed = b""
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
        since_typed += chunk
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


def test_on_a_terminal_a_new_pin_is_asked_twice_and_removal_asks_first(library_dir: Path) -> None:
    status, shown = on_terminal(
        library_dir, "profiles", "add", "Vali", "--pin", typed=["2468", "2469"]
    )
    assert status == 1
    assert "the two PINs differ; nothing was changed" in shown
    assert "2468" not in shown  # never echoed
    status, shown = on_terminal(
        library_dir, "profiles", "add", "Vali", "--pin", typed=["2468", "2468"]
    )
    assert (status, "added Vali" in shown) == (0, True), shown

    status, shown = on_terminal(library_dir, "profiles", "remove", "Vali", typed=["2468", "n"])
    assert status == 1
    assert "Removing Vali deletes their 0 notes" in shown
    assert "Remove Vali? [y/N]" in shown
    assert "Vali was not removed" in shown
    assert [p["name"] for p in people(library_dir)][1:] == ["Vali"]
    status, shown = on_terminal(library_dir, "profiles", "remove", "Vali", typed=["2468", "y"])
    assert (status, "removed Vali" in shown) == (0, True), shown
    assert len(people(library_dir)) == 1
