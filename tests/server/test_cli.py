"""The real `mutolaa-server` command in a subprocess: users commands and `serve`."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.server.conftest import RunningServer
from tests.support.docgen import make_pdf

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def _login(server: RunningServer, password: str) -> requests.Response:
    return requests.post(
        f"{server.url}/api/v1/login",
        json={"user": "alice", "password": password, "device": "pc-1"},
        timeout=10,
    )


def _pull(server: RunningServer, token: str) -> requests.Response:
    return requests.get(
        f"{server.url}/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def _failed(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 1, result
    assert result.stdout == ""
    assert result.stderr == f"mutolaa-server: {message}\n"


def test_users_add_list_disable_enable_reset(server: RunningServer) -> None:
    data = str(server.data_dir)
    added = _run("users", "add", "alice", "--data", data, stdin="first password\n")
    assert (added.returncode, added.stdout, added.stderr) == (0, "added user alice\n", "")
    assert _login(server, "first password").status_code == 200
    listed = _run("users", "list", "--data", data)
    assert listed.returncode == 0
    assert listed.stdout.startswith("alice\tenabled\tkoreader off\tsince 20")

    token = _login(server, "first password").json()["token"]
    disabled = _run("users", "disable", "alice", "--data", data)
    assert (disabled.returncode, disabled.stdout) == (0, "disabled user alice\n")
    assert _login(server, "first password").status_code == 403
    assert _pull(server, token).status_code == 403
    assert "alice\tdisabled" in _run("users", "list", "--data", data).stdout
    assert _run("users", "enable", "alice", "--data", data).returncode == 0
    assert _login(server, "first password").status_code == 200

    reset = _run("users", "reset", "alice", "--data", data, stdin="second password\n")
    assert reset.returncode == 0, reset.stderr
    assert _login(server, "first password").status_code == 401
    assert _login(server, "second password").status_code == 200
    assert _pull(server, token).status_code == 401  # the reset signed the old token out


def test_users_koreader_turns_the_md5_credential_on_and_off(server: RunningServer) -> None:
    data = str(server.data_dir)
    _run("users", "add", "alice", "--data", data, stdin="first password\n")
    on = _run("users", "koreader", "alice", "--data", data, stdin="kobo password\n")
    assert (on.returncode, on.stdout) == (0, "KOReader sync on for alice\n")
    assert "koreader on" in _run("users", "list", "--data", data).stdout
    key = hashlib.md5(b"kobo password", usedforsecurity=False).hexdigest()
    headers = {"x-auth-user": "alice", "x-auth-key": key}
    assert requests.get(f"{server.url}/users/auth", headers=headers, timeout=10).ok
    off = _run("users", "koreader", "alice", "--off", "--data", data)
    assert off.returncode == 0
    answer = requests.get(f"{server.url}/users/auth", headers=headers, timeout=10)
    assert answer.status_code == 401


def test_bad_users_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    _failed(
        _run("users", "list", "--data", data),
        f"{data}: no server database here (mutolaa-server users add creates one)",
    )
    _failed(
        _run("users", "add", "alice", "--data", data, stdin="short\n"),
        "the password is shorter than 8 characters",
    )
    _failed(
        _run("users", "add", "alice", "--data", data, stdin=""),
        "no password on standard input (one line expected)",
    )
    _failed(
        _run("users", "add", "a b", "--data", data, stdin="long enough\n"),
        "the user name 'a b' may hold only letters, digits and . _ - @, and starts with a "
        "letter or digit",
    )
    assert _run("users", "add", "alice", "--data", data, stdin="long enough\n").returncode == 0
    _failed(
        _run("users", "add", "Alice", "--data", data, stdin="long enough\n"),
        "the user 'Alice' exists already",
    )
    _failed(_run("users", "disable", "bob", "--data", data), "no user named 'bob'")
    _failed(
        _run("users", "reset", "bob", "--data", data, stdin="long enough\n"),
        "no user named 'bob'",
    )
    _failed(
        _run("users", "add", "carol"),
        "the following arguments are required: --data (see mutolaa-server users add --help)",
    )
    _failed(_run(), "a command is needed: serve or users ACTION (see mutolaa-server --help)")
    _failed(
        _run("serve", "--data", data, "--port", "70000"),
        "--port 70000: not a port number (0-65535)",
    )
    _failed(
        _run("serve", "--data", data, "--books", str(tmp_path / "none")),
        f"--books {tmp_path / 'none'}: not a folder",
    )


@contextmanager
def _serving(data: Path, *extra: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [
            sys.executable,
            *("-m", "sync.server.cli", "serve", "--data", str(data), "--port", "0"),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("mutolaa-server: serving on http://127.0.0.1:"), line
        yield process, line.split()[-1]
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_and_stops_on_a_signal(tmp_path: Path, stop: signal.Signals) -> None:
    with _serving(tmp_path / "data") as (process, url):
        answer = requests.get(f"{url}/api/v1/probe", timeout=10)
        assert answer.json() == {"server": "mutolaa", "protocol": 1}
        assert answer.headers["Server"] == "mutolaa-server"
        process.send_signal(stop)
        out, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert out == "mutolaa-server: stopped\n"
    assert (tmp_path / "data" / "mutolaa-server.sqlite3").is_file()


def _titles(url: str) -> list[str]:
    feed = requests.get(f"{url}/opds/v2/new", timeout=30).json()
    return sorted(p["metadata"]["title"] for p in feed.get("publications", []))


def test_sighup_makes_the_next_request_see_new_books_at_once(tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    make_pdf(books / "birinchi.pdf", ["Birinchi kitob"], title="Birinchi kitob")
    with _serving(tmp_path / "data", "--books", str(books), "--catalog", "public") as (
        process,
        url,
    ):
        assert _titles(url) == ["Birinchi kitob"]
        make_pdf(books / "ikkinchi.pdf", ["Ikkinchi kitob"], title="Ikkinchi kitob")
        assert _titles(url) == ["Birinchi kitob"]  # the next walk is 60 s away
        process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 20
        while _titles(url) != ["Birinchi kitob", "Ikkinchi kitob"]:
            assert time.monotonic() < deadline, "SIGHUP did not make the server walk its books"
            time.sleep(0.1)
        assert process.poll() is None  # SIGHUP does not stop it


@pytest.mark.parametrize("args", [["users", "list"], ["--help"]])
def test_output_piped_into_a_reader_that_stops_ends_quietly(
    server: RunningServer, args: list[str]
) -> None:
    # `mutolaa-server users list | head -1`: the reader is gone before the output is written
    _run("users", "add", "alice", "--data", str(server.data_dir), stdin="first password\n")
    data = ["--data", str(server.data_dir)] if args[0] == "users" else []
    with subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", *args, *data],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()
        error = process.stderr.read().decode()
        status = process.wait(timeout=60)
    assert error == ""  # no BrokenPipeError traceback, no "Exception ignored"
    assert status in (0, 141)


def test_serve_quota_limits_each_accounts_notes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _failed(
        _run("serve", "--data", str(data), "--quota", "-1"), "--quota -1: 0 (no quota) or more MB"
    )
    assert _run("users", "add", "alice", "--data", str(data), stdin="long enough\n").returncode == 0
    with _serving(data, "--quota", "1") as (_process, url):
        login = {"user": "alice", "password": "long enough", "device": "pc-1"}
        token = requests.post(f"{url}/api/v1/login", json=login, timeout=10).json()["token"]
        note = {"op_id": "o1", "kind": "annotation", "id": "a", "base_version": 0, "deleted": False}
        answer = requests.post(
            f"{url}/api/v1/sync/push",
            json={"device": "pc-1", "changes": [{**note, "data": {"body": "n" * 1_000_001}}]},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.status_code == 413
        assert answer.json() == {"error": "the account's notes are over its quota of 1 MB"}
