"""Slow and silent connections against the real `mutolaa-server serve` (issue 13, item 6).

Waitress's defaults let 100 sockets trickling headers, or 110 silent ones, lock every reader
out for minutes. Here 300 trickling and 110 silent sockets are held open on 127.0.0.1 while a
real client must be answered within a second, and the server must close each kind within its
timeout.
"""

from __future__ import annotations

import selectors
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests
from flask import Flask

from sync.server import listener
from sync.server.limits import Limits

ROOT = Path(__file__).resolve().parents[2]
TRICKLING, SILENT = 300, 110
IDLE, HEADERS = 2, 3  # seconds: the timeouts given to the server under test


@contextmanager
def _serving(
    data: Path, log: list[str], *extra: str
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The real command on a free port; its log (stderr) lands in `log` once it stopped."""
    args = ["serve", "--data", str(data), "--port", "0", *extra]
    process = subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", *args],
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
            process.terminate()
        log.extend(process.communicate(timeout=20)[1].splitlines())


class Sockets:
    """Raw connections to one port: some trickle a header byte at a time, some say nothing.

    `tick()` sends one more byte on each open trickling socket and notes every socket the
    server has closed, with when.
    """

    def __init__(self, port: int, stack: ExitStack) -> None:
        self.port = port
        self.stack = stack
        self.selector = selectors.DefaultSelector()
        stack.callback(self.selector.close)
        self.trickling: list[socket.socket] = []
        self.closed: dict[socket.socket, float] = {}

    def open(self, count: int, *, trickle: bool) -> None:
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            self.stack.callback(sock.close)
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ)
            if trickle:
                self.trickling.append(sock)
                sock.send(b"GET /api/v1/probe HTTP/1.1\r\nHost: x\r\nX-Slow: ")

    def tick(self) -> None:
        now = time.monotonic()
        for sock in self.trickling:
            if sock not in self.closed:
                try:
                    sock.send(b"a")
                except OSError:  # reset or broken pipe: the server closed it
                    self._closed(sock, now)
        for key, _ in self.selector.select(timeout=0):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            assert data == b"", data  # never an answer: no request was ever complete
            self._closed(sock, now)

    def _closed(self, sock: socket.socket, now: float) -> None:
        self.closed.setdefault(sock, now)
        if sock.fileno() >= 0:
            self.selector.unregister(sock)

    def open_count(self, trickling: bool) -> int:
        chosen = set(self.trickling)
        return sum(
            1 for key in self.selector.get_map().values() if (key.fileobj in chosen) == trickling
        )


def _probe(url: str) -> float:
    """Seconds a fresh connection takes to be answered by /api/v1/probe."""
    started = time.monotonic()
    answer = requests.get(f"{url}/api/v1/probe", timeout=5, headers={"Connection": "close"})
    assert answer.json() == {"server": "mutolaa", "protocol": 1}
    return time.monotonic() - started


def test_slow_and_silent_sockets_never_lock_a_reader_out(tmp_path: Path) -> None:
    timeouts = ("--idle-timeout", str(IDLE), "--header-timeout", str(HEADERS))
    log: list[str] = []
    with _serving(tmp_path / "data", log, *timeouts) as (process, url), ExitStack() as stack:
        sockets = Sockets(int(url.rsplit(":", 1)[1]), stack)
        opened = time.monotonic()
        sockets.open(TRICKLING, trickle=True)
        sockets.open(SILENT, trickle=False)
        assert _probe(url) < 1.0  # 410 sockets held: Waitress's default limit was 100

        waits = []
        deadline = opened + HEADERS + 8
        while sockets.open_count(trickling=True) and time.monotonic() < deadline:
            sockets.tick()  # a byte on every trickling socket, every 0.2 s: never idle
            if len(waits) < 10:
                waits.append(_probe(url))
            time.sleep(0.2)
        sockets.tick()
        assert max(waits) < 1.0, waits
        assert sockets.open_count(trickling=True) == 0, "trickled headers were never cut off"
        assert sockets.open_count(trickling=False) == 0, "silent sockets were never closed"
        silent = [t - opened for s, t in sockets.closed.items() if s not in sockets.trickling]
        slow = [t - opened for s, t in sockets.closed.items() if s in sockets.trickling]
        # the silent ones go at the idle timeout, the trickling ones at the header timeout
        # (the server checks once a second; the upper bounds leave room for a busy machine)
        assert min(silent) > IDLE - 0.5, min(silent)
        assert max(silent) < IDLE + 4, max(silent)
        assert min(slow) > HEADERS - 0.5, min(slow)
        assert max(slow) < HEADERS + 4, max(slow)
        assert process.poll() is None
        assert _probe(url) < 1.0
    assert any("connection(s) whose request came too slowly" in line for line in log), log


def test_a_trickled_body_is_cut_off_at_the_request_timeout() -> None:
    app = Flask(__name__)

    @app.post("/echo")
    def echo() -> str:
        return "ok"

    limits = Limits(idle_timeout=10, header_timeout=10, request_timeout=2, threads=2)
    server = listener.create_server(app, "127.0.0.1", 0, limits)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.effective_port), timeout=5) as sock:
            sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
            started = time.monotonic()
            closed = None
            while closed is None and time.monotonic() - started < 8:
                try:
                    sock.send(b"x")
                    sock.settimeout(0.3)
                    if sock.recv(100) == b"":
                        closed = time.monotonic() - started
                except TimeoutError:
                    continue
                except OSError:
                    closed = time.monotonic() - started
            assert closed is not None, "the trickled body was never cut off"
            assert 1.5 < closed < 4.5, closed
    finally:
        server.close()
        server.task_dispatcher.shutdown(timeout=5)
        thread.join(timeout=10)


@pytest.mark.parametrize(
    ("wanted", "files", "has_poll", "limit"),
    [
        (1000, 20000, True, 1000),
        (1000, 1024, True, 1024 - listener.SPARE_FILES),
        (1000, None, True, 1000),
        (1000, None, False, 512 - listener.SPARE_FILES),  # Windows: select() only
    ],
)
def test_the_connection_limit_leaves_room_in_the_open_file_limit(
    wanted: int, files: int | None, has_poll: bool, limit: int
) -> None:
    assert listener.connection_limit(wanted, files, has_poll=has_poll) == limit


def test_the_open_file_limit_is_raised_towards_its_hard_value() -> None:
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, 512), hard))
    raised = listener.WANTED_FILES
    if hard != resource.RLIM_INFINITY:
        raised = min(hard, raised)
    try:
        assert listener.open_file_limit() == raised
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == (raised, hard)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--threads", "65", "--threads 65: from 1 to 64"),
        ("--threads", "0", "--threads 0: from 1 to 64"),
        ("--idle-timeout", "0", "--idle-timeout 0: at least 1"),
        ("--header-timeout", "-1", "--header-timeout -1: at least 1"),
        ("--max-connections", "0", "--max-connections 0: at least 1"),
    ],
)
def test_bad_limits_are_one_line_and_exit_1(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "serve", "--data", str(tmp_path), option, value],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"mutolaa-server: {message}\n"
