"""What the real `mutolaa-server serve` makes of an unusual books folder (issue 13, items 7, 8, 10).

Relative `--books`/`--data`, links to files outside the folder, names that are not UTF-8 or
hold a newline, a FIFO and a socket named like books: each in a real folder, served by the real
command in a subprocess, read over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.docgen import make_pdf

ROOT = Path(__file__).resolve().parents[2]
SECRET = b"root:x:0:0:root:/root:/bin/bash\n"


@dataclass
class Command:
    """The running command: its process, its URL and (once stopped) its log."""

    process: subprocess.Popen[str]
    url: str
    log: list[str] = field(default_factory=list)

    def publications(self) -> list[dict[str, Any]]:
        feed = requests.get(f"{self.url}/opds/v2/new", timeout=30).json()
        publications: list[dict[str, Any]] = feed.get("publications", [])
        return publications

    def titles(self) -> list[str]:
        return sorted(p["metadata"]["title"] for p in self.publications())

    def rescan_until(self, title: str) -> None:
        """SIGHUP, then wait (bounded) until the book titled `title` is listed."""
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while title not in self.titles():
            assert time.monotonic() < deadline, f"{title!r} never appeared after SIGHUP"
            time.sleep(0.1)


@contextmanager
def _serving(cwd: Path, books: str, data: str) -> Iterator[Command]:
    # the catalogue open to anyone: these tests are about files, not who may read them
    args = ["serve", "--port", "0", "--books", books, "--data", data, "--catalog", "public"]
    process = subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("mutolaa-server: serving on http://127.0.0.1:"), line
    command = Command(process, line.split()[-1])
    try:
        yield command
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            _, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            _, err = process.communicate(timeout=10)
        command.log = err.splitlines()


def _absolute(url: str, href: str) -> str:
    return url + href if href.startswith("/") else href


def test_relative_books_and_data_folders_serve_downloads_and_covers(tmp_path: Path) -> None:
    # item 7: send_file resolved relative paths against the package folder: every download 500
    site = tmp_path / "site"
    make_pdf(site / "books" / "kitob.pdf", ["Birinchi bob"], title="Kitob")
    with _serving(site, "books", "data") as command:
        [publication] = command.publications()
        download = _absolute(command.url, publication["links"][0]["href"])
        cover = _absolute(command.url, publication["images"][0]["href"])
        answer = requests.get(download, timeout=30)
        assert answer.status_code == 200, answer.text
        assert answer.content == (site / "books" / "kitob.pdf").read_bytes()
        image = requests.get(cover, timeout=30)
        assert image.status_code == 200, image.text
        assert image.content.startswith(b"\x89PNG")


def test_links_to_files_outside_the_books_folder_are_never_served(tmp_path: Path) -> None:
    # item 8: `ln -s /etc/passwd books/passwd.txt` + SIGHUP put /etc/passwd in the feed
    books, outside = tmp_path / "books", tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_bytes(SECRET)
    make_pdf(outside / "elsewhere.pdf", ["Tashqarida"], title="Tashqarida")
    make_pdf(books / "kitob.pdf", ["Birinchi bob"], title="Kitob")
    make_pdf(books / "sub" / "inside.pdf", ["Ichkarida"], title="Ichkarida")
    make_pdf(books / "deep" / "chuqur.pdf", ["Chuqur"], title="Chuqur")
    (books / "inside-link.pdf").symlink_to(books / "sub" / "inside.pdf")  # inside: fine
    (books / "linked").symlink_to(outside, target_is_directory=True)  # a folder outside
    with _serving(tmp_path, str(books), str(tmp_path / "data")) as command:
        assert command.titles() == ["Chuqur", "Ichkarida", "Kitob"]
        (books / "passwd.txt").symlink_to(outside / "passwd")
        (books / "up.pdf").symlink_to(Path("..") / "outside" / "elsewhere.pdf")
        make_pdf(books / "witness.pdf", ["Guvoh"], title="Guvoh")
        command.rescan_until("Guvoh")
        assert command.titles() == ["Chuqur", "Guvoh", "Ichkarida", "Kitob"]

        # listed books later swapped for a link to outside, with the same size and time: a
        # file (kitob.pdf), and the folder of another (deep/): 404, logged
        downloads = {
            p["metadata"]["title"]: _absolute(command.url, p["links"][0]["href"])
            for p in command.publications()
        }
        _move_outside(books / "kitob.pdf", outside / "copy.pdf", link=True)
        (outside / "deep").mkdir()
        _move_outside(books / "deep" / "chuqur.pdf", outside / "deep" / "chuqur.pdf", link=False)
        (books / "deep").rmdir()
        (books / "deep").symlink_to(outside / "deep", target_is_directory=True)
        for title in ("Kitob", "Chuqur"):
            answer = requests.get(downloads[title], timeout=30)
            assert answer.status_code == 404, (title, answer.content[:80])
            assert SECRET not in answer.content
        assert requests.get(downloads["Guvoh"], timeout=30).status_code == 200
    log = "\n".join(command.log)
    assert f"catalog: passwd.txt skipped: its real path {outside / 'passwd'} is outside" in log
    assert f"catalog: up.pdf skipped: its real path {outside / 'elsewhere.pdf'} is outside" in log
    assert "catalog: linked/ skipped: a link to a folder (links to folders are not followed)" in log
    assert f"catalog: kitob.pdf not served: its real path {outside / 'copy.pdf'} is outside" in log
    deep = outside / "deep" / "chuqur.pdf"
    assert f"catalog: deep/chuqur.pdf not served: its real path {deep} is outside" in log
    assert sum("passwd.txt skipped" in line for line in command.log) == 1  # once, not per scan


def _move_outside(book: Path, elsewhere: Path, *, link: bool) -> None:
    """Replace `book` by a file of the same size and time at `elsewhere` holding SECRET, and
    make `book` a link to it when `link`."""
    facts = book.stat()
    shutil.copyfile(book, elsewhere)
    with elsewhere.open("r+b") as handle:
        handle.write(SECRET)  # same size, other bytes
    os.utime(elsewhere, ns=(facts.st_atime_ns, facts.st_mtime_ns))
    book.unlink()
    if link:
        book.symlink_to(elsewhere)


@pytest.mark.skipif(sys.platform != "linux", reason="names of raw bytes, FIFOs: Linux")
def test_odd_names_fifos_and_sockets_never_stop_the_scan(tmp_path: Path) -> None:
    # item 10: a non-UTF-8 name broke index.json, a newline broke the download, a FIFO hung
    books = tmp_path / "books"
    make_pdf(books / "kitob.pdf", ["Birinchi bob"], title="Kitob")
    make_pdf(books / "tmp1", ["Bayt"], title="Bayt")
    os.rename(bytes(books / "tmp1"), bytes(books) + b"/bad\xff.pdf")
    make_pdf(books / "line\nbreak.pdf", ["Yangi qator"], title="Yangi qator")
    make_pdf(books / "Ўтган кунлар.pdf", ["Биринчи боб"], title="Ўтган кунлар")
    os.mkfifo(books / "pipe.pdf")
    os.mkfifo(
        books / "esc\x1b]0;pwned\x07\x1b[2J.pdf"
    )  # its name, logged, must not reach a terminal
    make_pdf(books / "tmp2", ["Chuqur"], title="Chuqur")
    os.mkdir(bytes(books) + b"/q\xfeq")
    os.rename(bytes(books / "tmp2"), bytes(books) + b"/q\xfeq/deep.pdf")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(books / "sock.epub"))
        with _serving(tmp_path, str(books), str(tmp_path / "data")) as command:
            publications = command.publications()  # the FIFO used to hang this forever
            assert sorted(p["metadata"]["title"] for p in publications) == [
                "Kitob",
                "Yangi qator",
                "Ўтган кунлар",
            ]
            index = json.loads((tmp_path / "data" / "catalog" / "index.json").read_bytes())
            assert sorted(b["path"] for b in index["books"]) == [
                "kitob.pdf",
                "line\nbreak.pdf",
                "Ўтган кунлар.pdf",
            ]
            headers = {}
            for publication in publications:
                href = _absolute(command.url, publication["links"][0]["href"])
                answer = requests.get(href, timeout=30)
                assert answer.status_code == 200, (href, answer.text)
                assert answer.content.startswith(b"%PDF")
                headers[publication["metadata"]["title"]] = answer.headers["Content-Disposition"]
            # a second walk (SIGHUP) skips them again, logging nothing new
            make_pdf(books / "guvoh.pdf", ["Guvoh"], title="Guvoh")
            command.rescan_until("Guvoh")
    finally:
        listener.close()
    assert headers["Kitob"] == 'attachment; filename="kitob.pdf"'
    assert headers["Yangi qator"] == (
        "attachment; filename=\"line_break.pdf\"; filename*=UTF-8''line%0Abreak.pdf"
    )
    assert headers["Ўтган кунлар"] == (
        "attachment; filename=\"_ _.pdf\"; filename*=UTF-8''"
        "%D0%8E%D1%82%D0%B3%D0%B0%D0%BD%20%D0%BA%D1%83%D0%BD%D0%BB%D0%B0%D1%80.pdf"
    )
    assert not any(ch in line for line in command.log for ch in "\x1b\x07")
    skipped = [line.split("catalog: ", 1)[1] for line in command.log if " skipped: " in line]
    assert sorted(skipped) == [
        "bad\\xff.pdf skipped: its name is not valid UTF-8 (rename it)",
        "esc\\x1b]0;pwned\\x07\\x1b[2J.pdf skipped: not a regular file",
        "pipe.pdf skipped: not a regular file",
        "q\\xfeq/ skipped: its name is not valid UTF-8 (rename it)",
        "sock.epub skipped: not a regular file",
    ]
