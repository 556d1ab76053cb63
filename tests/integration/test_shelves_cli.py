"""`mutolaa shelves …` and `mutolaa library hide|unhide|hidden` as a person runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.paths import resolve_paths
from app.services.session import Library
from tests.support.cli import mutolaa
from tests.support.records import make_book

A, B = "a1" + "0" * 62, "b2" + "0" * 62


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A library with two books."""
    where = tmp_path / "lib"
    library = Library(resolve_paths(where))
    library.store.add_book(make_book(A), None)
    library.store.add_book(make_book(B), None)
    library.close()
    return where


def test_shelves_are_made_filled_renamed_shown_and_removed(folder: Path) -> None:
    assert mutolaa(folder, "shelves", "add", "Tarix").stdout == "made the shelf Tarix\n"
    put = mutolaa(folder, "shelves", "put", "tarix", "a1")
    assert put.stdout == f"{A[:10]}  Kitob — Muallif: put on Tarix\n"
    assert "already on Tarix" in mutolaa(folder, "shelves", "put", "Tarix", "a1").stdout
    mutolaa(folder, "shelves", "put", "finished", "b2")
    listed = json.loads(mutolaa(folder, "shelves", "list", "--json").stdout)
    assert [(s["name"], s["kind"], s["books"]) for s in listed] == [
        ("Reading now", "reading", 0),
        ("Finished", "finished", 1),
        ("Tarix", "named", 1),
    ]
    assert mutolaa(folder, "shelves", "list").stdout.splitlines() == [
        "    0  Reading now",
        "    1  Finished",
        "    1  Tarix",
    ]
    renamed = mutolaa(folder, "shelves", "rename", "Tarix", "Jahon tarixi")
    assert renamed.stdout == "renamed the shelf Tarix to Jahon tarixi\n"
    shown = json.loads(mutolaa(folder, "shelves", "show", "Jahon tarixi", "--json").stdout)
    assert [b["id"] for b in shown["books"]] == [A]
    assert "not on Jahon tarixi" in mutolaa(folder, "shelves", "take", "Jahon tarixi", B).stdout
    mutolaa(folder, "shelves", "take", "Jahon tarixi", A)
    assert "no books" in mutolaa(folder, "shelves", "show", "Jahon tarixi").stdout
    removed = mutolaa(folder, "shelves", "remove", "Jahon tarixi")
    assert removed.stdout == "removed the shelf Jahon tarixi (its books stay in the library)\n"
    assert len(json.loads(mutolaa(folder, "list", "--json").stdout)) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("shelves", "add", "Finished"), "Finished: you have a shelf of this name already"),
        (("shelves", "add", " "), "a shelf needs a name"),
        (("shelves", "rename", "Finished", "Tugadi"), "a built-in shelf cannot be renamed"),
        (("shelves", "remove", "Reading now"), "a built-in shelf cannot be removed"),
        (("shelves", "show", "Yo'q"), "Yo'q: no shelf has this name"),
        (("shelves", "put", "Finished", "ff"), "ff: no book has this ID"),
        (("shelves", "put", "Finished", "kitob"), "'kitob': a book ID is hexadecimal"),
        (("library", "hide", "zz"), "'zz': a book ID is hexadecimal"),
    ],
)
def test_bad_requests_are_one_line_and_exit_1(
    folder: Path, args: tuple[str, ...], message: str
) -> None:
    done = mutolaa(folder, *args, ok=False)
    assert done.returncode == 1
    assert done.stderr.startswith("mutolaa: ")
    assert message in done.stderr
    assert done.stderr.count("\n") == 1
    assert done.stdout == ""


def test_a_hidden_book_leaves_the_persons_list_and_comes_back(folder: Path) -> None:
    hidden = mutolaa(folder, "library", "hide", "b2")
    assert "hidden from your view (it stays in the library for everyone else)" in hidden.stdout
    assert [b["id"] for b in json.loads(mutolaa(folder, "list", "--json").stdout)] == [A]
    listing = mutolaa(folder, "list").stdout
    assert B[:8] not in listing
    assert "(1 book you hid: `mutolaa library hidden`)" in listing
    assert [b["id"] for b in json.loads(mutolaa(folder, "library", "hidden", "--json").stdout)] == [
        B
    ]
    assert "shown again" in mutolaa(folder, "library", "unhide", "b2").stdout
    assert "not hidden" in mutolaa(folder, "library", "unhide", "b2").stdout
    assert len(json.loads(mutolaa(folder, "list", "--json").stdout)) == 2
    assert mutolaa(folder, "library", "hidden").stdout == "you hid no books\n"
