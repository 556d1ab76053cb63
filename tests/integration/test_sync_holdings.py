"""The books on a student's other devices: holdings pushed by one device, listed on another by
`mutolaa holdings` (a real subprocess), against the real library server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import json
import platform
import re
import subprocess
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.core.paths import resolve_paths
from app.library.catalogs import CatalogStore
from app.library.downloads import DownloadQueue
from app.library.profiles import ProfileStore
from app.services.catalogs.queue_runner import run_queue
from app.services.library.importer import Importer
from app.services.session import Library
from app.services.sync.other_devices import books_elsewhere, queue_held
from app.services.sync.server_sync import device_name, login, sync_now
from tests.support.cli import mutolaa
from tests.support.docgen import make_pdf
from tests.support.library_server import serving
from tests.support.records import make_book
from tests.support.sessions import PROFILE, session_of

USER, PASSWORD = "talaba", "kutubxona-parol-2026"
CATALOG = "https://kutubxona.example/opds"
ENTRY = "urn:kitob:kecha-va-kunduz"
FROM_CATALOG, OWN_FILE, ON_BOTH = "1" * 64, "2" * 64, "3" * 64


def _holdings(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return mutolaa(folder, "holdings", *args, ok=False)


def _person(folder: Path) -> str:
    """The name of the first person of the library in ``folder`` (the computer's user's)."""
    with Library(resolve_paths(folder)) as library:
        return ProfileStore(library.store).get(library.store.first_profile_id()).name


def _add(library: Library, sha: str, title: str) -> None:
    library.store.add_book(dataclasses.replace(make_book(sha), title=title), None)


def test_the_other_devices_books_are_listed_with_how_to_get_them(tmp_path: Path) -> None:
    with serving(tmp_path / "server") as server:
        server.add_user(USER, PASSWORD)
        not_signed = _holdings(tmp_path / "pc-b")
        assert not_signed.returncode == 0
        assert not_signed.stdout.startswith("Not signed in")
        with Library(resolve_paths(tmp_path / "pc-a")) as a:
            _add(a, FROM_CATALOG, "Kecha va kunduz")
            a.store.set_origin(FROM_CATALOG, CATALOG, ENTRY)
            _add(a, OWN_FILE, "Oʻtkan kunlar")
            _add(a, ON_BOTH, "Mehrobdan chayon")
            login(session_of(a), server.url, USER, PASSWORD)
            sync_now(session_of(a))
        with Library(resolve_paths(tmp_path / "pc-b")) as b:
            _add(b, ON_BOTH, "Mehrobdan chayon")
            CatalogStore(b.store, profile_id=PROFILE).add("Kutubxona", CATALOG + "/")
            login(session_of(b), server.url, USER, PASSWORD)
            sync_now(session_of(b))

        listed = _holdings(tmp_path / "pc-b", "--json")
        assert listed.returncode == 0, listed.stderr
        books = {b["title"]: b for b in json.loads(listed.stdout)}
        assert set(books) == {"Kecha va kunduz", "Oʻtkan kunlar"}  # not the one here too
        kecha = books["Kecha va kunduz"]
        assert (kecha["entry"], kecha["sha256"], kecha["catalog_name"]) == (
            ENTRY,
            FROM_CATALOG,
            "Kutubxona",
        )
        assert kecha["devices"] == [
            device_name(resolve_paths(tmp_path / "pc-a"), _person(tmp_path / "pc-a"))
        ]
        assert kecha["here"] is False
        assert books["Oʻtkan kunlar"]["entry"] == ""

        text = _holdings(tmp_path / "pc-b").stdout
        assert f'get it: mutolaa download "{ENTRY}" --catalog "Kutubxona"' in text
        assert "Oʻtkan kunlar — Muallif  [on " in text
        assert "get it: copy the file from " in text
        everything = json.loads(_holdings(tmp_path / "pc-b", "--all", "--json").stdout)
        assert {b["title"]: b["here"] for b in everything}["Mehrobdan chayon"] is True

        # a book removed on the first PC leaves the list after both sync
        with Library(resolve_paths(tmp_path / "pc-a")) as a:
            a.store.remove(OWN_FILE)
            sync_now(session_of(a))
        with Library(resolve_paths(tmp_path / "pc-b")) as b:
            sync_now(session_of(b))
            assert [h.title for h in books_elsewhere(session_of(b))] == ["Kecha va kunduz"]


def test_a_book_downloaded_on_one_pc_is_fetched_on_another_from_the_same_catalogue(
    tmp_path: Path,
) -> None:
    books = tmp_path / "books"
    make_pdf(books / "kecha.pdf", ["Kecha va kunduz", "Ikkinchi bet"], title="Kecha va kunduz")
    with serving(tmp_path / "server", books, catalog="public") as server:
        server.add_user(USER, PASSWORD)
        a, b = tmp_path / "pc-a", tmp_path / "pc-b"
        for pc in (a, b):
            mutolaa(pc, "catalog", "add", f"{server.url}/opds", "--name", "Kutubxona")
            mutolaa(pc, "account", "login", server.url, USER, stdin=PASSWORD + "\n")
        mutolaa(a, "catalog", "browse", "Kutubxona", "/opds/new")
        mutolaa(a, "download", "Kecha va kunduz")
        mutolaa(a, "sync")
        mutolaa(b, "sync")
        status = mutolaa(b, "account", "status").stdout
        assert re.fullmatch(
            rf"{USER} at {re.escape(server.url)}/  last sync \d{{4}}-\d\d-\d\d \d\d:\d\d\n", status
        ), status

        [held] = json.loads(mutolaa(b, "holdings", "--json").stdout)
        assert held["title"] == "Kecha va kunduz"
        assert held["entry"].startswith("urn:mutolaa:sha256:")
        assert held["href"].startswith(server.url)
        assert f'get it: mutolaa download "{held["href"]}"' in mutolaa(b, "holdings").stdout

        with Library(resolve_paths(b)) as library:
            download_id = queue_held(session_of(library), books_elsewhere(session_of(library))[0])
            queue = DownloadQueue(library.store)
            assert queue.get(download_id).entry_id == held["entry"]
            handled = run_queue(session_of(library), only=[download_id])
            assert [d.state for d in handled] == ["done"]
            [book] = library.store.books()
            assert (book.id, book.source_entry) == (held["sha256"], held["entry"])
            sync_now(session_of(library))
            assert books_elsewhere(session_of(library)) == []
        assert "keep no book that is not here" in mutolaa(b, "holdings").stdout


def test_a_book_only_added_from_a_file_cannot_be_queued_and_says_why(tmp_path: Path) -> None:
    with serving(tmp_path / "server") as server:
        server.add_user(USER, PASSWORD)
        with Library(resolve_paths(tmp_path / "pc-a")) as a:
            _add(a, OWN_FILE, "Oʻtkan kunlar")
            login(session_of(a), server.url, USER, PASSWORD)
            sync_now(session_of(a))
        with Library(resolve_paths(tmp_path / "pc-b")) as b:
            login(session_of(b), server.url, USER, PASSWORD)
            sync_now(session_of(b))
            [held] = books_elsewhere(session_of(b))
            with pytest.raises(UserError) as raised:
                queue_held(session_of(b), held)
            there = device_name(
                resolve_paths(tmp_path / "pc-a"), ProfileStore(b.store).get(PROFILE).name
            )
            assert str(raised.value) == (
                f"Oʻtkan kunlar: only on {there} and not "
                "downloaded from a catalogue; copy it from there"
            )
            assert DownloadQueue(b.store).list(profile_id=PROFILE) == []


def test_a_reading_position_pulled_before_the_book_arrives_is_applied_when_it_does(
    tmp_path: Path,
) -> None:
    pdf = make_pdf(tmp_path / "kecha.pdf", [f"Sahifa {n}." for n in range(60)], title="Kecha")
    with serving(tmp_path / "server") as server:
        server.add_user(USER, PASSWORD)
        with Library(resolve_paths(tmp_path / "pc-a")) as a:
            with Importer(a) as importer:
                [book] = importer.run([pdf]).added
            a.store.set_progress(book.id, "page=41", 0.7, PROFILE)
            login(session_of(a), server.url, USER, PASSWORD)
            sync_now(session_of(a))
        with Library(resolve_paths(tmp_path / "pc-b")) as b:
            login(session_of(b), server.url, USER, PASSWORD)
            sync_now(session_of(b))  # the position arrives before the book: it waits
            assert b.store.progress(book.id, PROFILE) is None
            with Importer(b) as importer:  # the book arrives (downloaded or copied)
                assert importer.run([pdf]).added
            assert b.store.progress(book.id, PROFILE) == ("page=41", 0.7)  # at once
            sync_now(session_of(b))  # sends the new holding; the position stays
            assert b.store.progress(book.id, PROFILE) == ("page=41", 0.7)


def test_two_libraries_on_one_computer_are_two_devices_by_name(tmp_path: Path) -> None:
    here = platform.node()[:40]
    assert device_name(resolve_paths(tmp_path / "pc-a"), "Ali").startswith(f"{here} — Ali (")
    assert device_name(resolve_paths(tmp_path / "pc-a"), "Ali") != device_name(
        resolve_paths(tmp_path / "usb" / "kutubxona"), "Ali"
    )
    assert device_name(resolve_paths(None), "Ali") == f"{here} — Ali"  # the usual library


def test_a_book_added_from_a_file_there_is_offered_from_a_catalogue_that_has_the_same_file(
    tmp_path: Path,
) -> None:
    books = tmp_path / "books"
    pdf = make_pdf(books / "boburnoma.pdf", ["Boburnoma. Birinchi sahifa."], title="Boburnoma")
    with serving(tmp_path / "server", books, catalog="public") as server:
        server.add_user(USER, PASSWORD)
        with Library(resolve_paths(tmp_path / "pc-a")) as a:  # a copy from a USB stick
            with Importer(a) as importer:
                [book] = importer.run([pdf]).added
            login(session_of(a), server.url, USER, PASSWORD)
            sync_now(session_of(a))
        pc_b = tmp_path / "pc-b"
        mutolaa(pc_b, "catalog", "add", f"{server.url}/opds", "--name", "Kutubxona")
        mutolaa(pc_b, "catalog", "browse", "Kutubxona", "/opds/new")  # the feed is seen here
        with Library(resolve_paths(pc_b)) as b:
            login(session_of(b), server.url, USER, PASSWORD)
            sync_now(session_of(b))
            [held] = books_elsewhere(session_of(b))
            assert (held.sha256, held.catalog_name) == (book.id, "Kutubxona")
            assert held.href.startswith(f"{server.url}/opds/")
            download_id = queue_held(session_of(b), held)
            [done] = run_queue(session_of(b), only=[download_id])
            assert done.state == "done"
            assert done.book_id == book.id  # the same file, from the catalogue
