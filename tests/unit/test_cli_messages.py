"""The command line's sentences for people, run in-process: counts in the right number, a search
that cannot be read (issue 12, item 24)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.base import counted
from app.cli.main import main
from tests.support.library_server import serving
from tests.support.samples import Samples


def test_counts_take_the_right_number() -> None:
    assert counted(1, "page") == "1 page"
    assert counted(2, "page") == "2 pages"
    assert counted(0, "book") == "0 books"
    assert counted(3, "copy", "copies") == "3 copies"


def test_a_one_page_book_is_one_page(
    tmp_path: Path, samples: Samples, capsys: pytest.CaptureFixture[str]
) -> None:
    # "(1 pages)" before
    assert main(["--library", str(tmp_path / "library"), "import", str(samples.txt)]) == 0
    out = capsys.readouterr().out
    assert "eslatma (1 page)" in out


def test_a_search_that_cannot_be_read_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `mutolaa search '(a OR'` quietly searched "a"
    assert main(["--library", str(tmp_path / "library"), "search", "(a OR"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        'mutolaa: the search "(a OR" cannot be read: "OR" at character 4 has nothing after it\n'
    )


def test_a_wrong_password_is_one_clean_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # it said "login failed: http://…/: login: wrong user name or password (sign in again: …)"
    with serving(tmp_path / "server") as server:
        server.add_user("talaba", "kitob-oqish-yaxshi")
        address = server.url.replace("http://", "http://talaba:wrong@")  # the password too
        status = main(["--library", str(tmp_path / "library"), "account", "login", address])
    assert status == 1
    last = capsys.readouterr().err.splitlines()[-1]  # (the server in this process logs too)
    assert (
        last == f"mutolaa: cannot sign in to {server.url}/ as talaba: wrong user name or password"
    )
