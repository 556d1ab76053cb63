"""The administrator over the shared library on the command line: who removes books."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.paths import resolve_paths
from app.services.session import Library
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
