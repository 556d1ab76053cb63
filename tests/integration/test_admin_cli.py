"""The administrator over the shared library on the command line: who removes books, the disk
each person uses."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from app.core.models import Anchor, AnnotationKind
from app.core.paths import resolve_paths
from app.library.annotations import AnnotationStore
from app.library.downloads import DownloadQueue
from app.library.profiles import ProfileStore
from app.services.session import Library
from sync.partials import Sidecar, write_json_atomic
from tests.support.cli import mutolaa
from tests.support.records import make_book

A, B = "a1" + "0" * 62, "b2" + "0" * 62
ADMIN_PIN = "2468"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A library with two books, and a second person, Vali."""
    where = tmp_path / "lib"
    library = Library(resolve_paths(where))
    library.store.add_book(make_book(A), None)
    library.store.add_book(make_book(B), None)
    library.close()
    mutolaa(where, "profiles", "add", "Vali")
    return where


def _books(folder: Path, person: str) -> list[str]:
    return [
        b["id"] for b in json.loads(mutolaa(folder, "--profile", person, "list", "--json").stdout)
    ]


def test_without_an_administrator_anybody_removes_a_book(folder: Path) -> None:
    assert mutolaa(folder, "--profile", "Vali", "remove", A[:10]).stdout.startswith("removed a1")
    assert _books(folder, "Vali") == [B]


def test_with_an_administrator_only_they_remove_books_and_others_hide_them(folder: Path) -> None:
    mutolaa(folder, "profiles", "add", "Opa", "--admin", stdin=f"{ADMIN_PIN}\n")
    refused = mutolaa(folder, "--profile", "Vali", "remove", A[:10], ok=False)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "mutolaa: only the administrator, Opa, removes books from this library; hide it from "
        f"your own view instead: mutolaa library hide {A[:10]}"
    ]
    assert sorted(_books(folder, "Vali")) == [A, B]  # still there for everyone
    mutolaa(folder, "--profile", "Vali", "library", "hide", A[:10])
    assert _books(folder, "Vali") == [B]

    wrong = mutolaa(folder, "--profile", "Opa", "remove", A[:10], stdin="1111\n", ok=False)
    assert wrong.returncode == 1
    assert "wrong PIN for Opa" in wrong.stderr
    removed = mutolaa(folder, "--profile", "Opa", "remove", A[:10], stdin=f"{ADMIN_PIN}\n")
    assert removed.stdout.startswith("removed a1")
    listed = mutolaa(folder, "--profile", "Opa", "list", "--json", stdin=f"{ADMIN_PIN}\n")
    assert [b["id"] for b in json.loads(listed.stdout)] == [B]


def test_disk_use_per_person_and_of_the_library_for_the_administrator(tmp_path: Path) -> None:
    where = tmp_path / "lib"
    url = "https://kutubxona.example/kitob/b.epub"
    with Library(resolve_paths(where)) as library:
        store = library.store
        store.add_book(dataclasses.replace(make_book(A), size=3000), None)
        store.add_book(dataclasses.replace(make_book(B), size=5000), None)
        profiles = ProfileStore(store)
        ali = profiles.rename(store.first_profile_id(), "Ali").id
        vali = profiles.add("Vali").id
        AnnotationStore(store).create(
            A, AnnotationKind.NOTE, Anchor(page=1), body="izoh " * 20, profile_id=ali
        )
        store.set_progress(A, "page=2", 0.5, ali)
        queue = DownloadQueue(store)
        queue.mark_done(queue.enqueue("https://kutubxona.example/b.epub", profile_id=vali), B)
        queue.enqueue(url, profile_id=vali)
        folder = library.paths.data / "downloads"
        folder.mkdir(exist_ok=True)
        (folder / "c.epub.part").write_bytes(b"x" * 1234)
        sidecar = Sidecar(url=url, name="c.epub", part="c.epub.part")
        write_json_atomic(folder / "c.epub.part.json", dataclasses.asdict(sidecar))

    used = json.loads(mutolaa(where, "profiles", "usage", "--json").stdout)
    people = {p["name"]: p for p in used["people"]}
    assert set(people) == {"Ali", "Vali"}
    assert (people["Ali"]["notes"], people["Ali"]["positions"]) == (1, 1)
    assert people["Ali"]["notes_bytes"] > 100  # its body alone is 100 bytes
    assert people["Ali"]["positions_bytes"] > 0
    assert (people["Ali"]["books_downloaded"], people["Ali"]["partial_bytes"]) == (0, 0)
    assert (people["Vali"]["notes"], people["Vali"]["notes_bytes"]) == (0, 0)
    assert (people["Vali"]["downloads_waiting"], people["Vali"]["partial_bytes"]) == (1, 1234)
    assert (people["Vali"]["books_downloaded"], people["Vali"]["books_downloaded_bytes"]) == (
        1,
        5000,
    )
    assert people["Vali"]["total_bytes"] == 1234 + 5000
    assert used["library"]["books"] == 2
    assert used["library"]["book_bytes"] == 8000
    assert used["library"]["folder_bytes"] > 1234  # the database and the partial file at least
    text = mutolaa(where, "profiles", "usage").stdout.splitlines()
    assert " ".join(text[1].split()) == (
        "Vali 6.1 KB 0 notes (0 B), 0 positions (0 B), 1 download waiting (1.2 KB), "
        "1 book downloaded (4.9 KB)"
    )
    assert text[2].startswith("the library: 2 books (7.8 KB), its folder ")

    mutolaa(where, "profiles", "add", "Opa", "--admin", stdin=f"{ADMIN_PIN}\n")
    refused = mutolaa(where, "profiles", "usage", stdin="1111\n", ok=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == "mutolaa: wrong PIN for Opa"
    asked = mutolaa(where, "profiles", "usage", "--json", stdin=f"{ADMIN_PIN}\n")
    assert [p["name"] for p in json.loads(asked.stdout)["people"]] == ["Ali", "Vali", "Opa"]
