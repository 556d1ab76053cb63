"""The administrator over the shared library on the command line: who removes books, the disk
each person uses, the locks on downloads."""

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
from tests.support.docgen import make_pdf
from tests.support.range_server import running
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


def test_only_an_administrator_locks_downloads_and_sets_a_quota(folder: Path) -> None:
    for args in (("lock", "downloads", "off"), ("quota", "100")):
        refused = mutolaa(folder, "profiles", *args, ok=False)
        assert refused.returncode == 1
        assert refused.stderr.strip() == (
            "mutolaa: only an administrator locks settings for everyone, and this library has "
            "none; add one with `mutolaa profiles add NAME --admin`"
        )
    mutolaa(folder, "profiles", "add", "Opa", "--admin", stdin=f"{ADMIN_PIN}\n")
    wrong = mutolaa(folder, "profiles", "quota", "100", stdin="1111\n", ok=False)
    assert wrong.stderr.strip() == "mutolaa: wrong PIN for Opa"
    bad = mutolaa(folder, "profiles", "quota", "-5", stdin=f"{ADMIN_PIN}\n", ok=False)
    assert bad.stderr.strip() == "mutolaa: a quota is a number of MB, 0 for none, not -5"


def test_downloads_turned_off_or_over_the_quota_wait_in_the_queue(
    tmp_path: Path, folder: Path
) -> None:
    mutolaa(folder, "profiles", "add", "Opa", "--admin", stdin=f"{ADMIN_PIN}\n")
    pdf = make_pdf(tmp_path / "tarix.pdf", ["Tarix kitobi."], title="Tarix").read_bytes()
    with running() as server:
        server.put("/tarix.pdf", pdf, content_type="application/pdf")
        url = server.url("/tarix.pdf")
        done = mutolaa(folder, "profiles", "lock", "downloads", "off", stdin=f"{ADMIN_PIN}\n")
        assert done.stdout == "downloads are off for everyone\n"
        refused = mutolaa(folder, "--profile", "Vali", "download", url, ok=False)
        assert refused.returncode == 1
        assert refused.stderr.strip() == (
            "mutolaa: the administrator has turned downloads off for this library; queued "
            "downloads wait until they are allowed again"
        )
        waiting = json.loads(mutolaa(folder, "--profile", "Vali", "downloads", "--json").stdout)
        assert [d["state"] for d in waiting] == ["queued"]

        mutolaa(folder, "profiles", "lock", "downloads", "on", stdin=f"{ADMIN_PIN}\n")
        mutolaa(folder, "--profile", "Vali", "downloads", "--resume")
        ran = json.loads(mutolaa(folder, "--profile", "Vali", "downloads", "--json").stdout)
        assert [d["state"] for d in ran] == ["done"]

        with Library(resolve_paths(folder)) as library:  # Vali brought a 2 MB book before
            vali = ProfileStore(library.store).named("Vali").id
            library.store.add_book(dataclasses.replace(make_book("c" * 64), size=2 << 20), None)
            queue = DownloadQueue(library.store)
            queue.mark_done(queue.enqueue("https://kutubxona.example/c", profile_id=vali), "c" * 64)
        said = mutolaa(folder, "profiles", "quota", "2", stdin=f"{ADMIN_PIN}\n")
        assert said.stdout == "each person's downloads may take 2 MB\n"
        over = mutolaa(folder, "--profile", "Vali", "download", url + "?again", ok=False)
        used = (2 << 20) + len(pdf)  # the 2 MB book and the one downloaded above
        assert over.stderr.strip() == (
            f"mutolaa: your downloads take {used / (1 << 20):.1f} MB, the 2 MB the administrator "
            "allows each person; queued downloads wait until the administrator allows more"
        )
        assert mutolaa(folder, "profiles", "usage", stdin=f"{ADMIN_PIN}\n").stdout.endswith(
            "downloads: allowed, 2 MB for each person\n"
        )
        mutolaa(folder, "profiles", "quota", "3", stdin=f"{ADMIN_PIN}\n")
        mutolaa(folder, "--profile", "Vali", "downloads", "--resume")
        ran = json.loads(mutolaa(folder, "--profile", "Vali", "downloads", "--json").stdout)
        assert [d["state"] for d in ran] == ["done", "done", "done"]
