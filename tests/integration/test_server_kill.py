"""The library server killed with SIGKILL while clients push, then started again: every push it
acknowledged is there, none twice (issue 13 item 14).

The real `mutolaa-server serve` runs as a subprocess on 127.0.0.1; two pushing clients (threads
speaking the wire protocol with `requests`) send small pushes without pause; the server is killed
at a random moment five times and started again on the same port and data folder. A push whose
answer never arrived may or may not be stored (the client sends it again with the same op_id,
and the server answers it as a duplicate); a push that was answered must survive. SIGKILL does
not lose what the operating system already has: `synchronous=FULL` is what keeps an answered push
through a power cut (tests/server/test_durability.py checks the setting at the commit).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from sync.server.accounts import Accounts
from sync.server.storage import Storage

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "talaba", "kutubxona-parol-2026"
KILLS = 5
CLIENTS = 2
PER_PUSH = 5


@contextmanager
def _server(data: Path, books: Path, port: int = 0) -> Iterator[tuple[subprocess.Popen[str], str]]:
    args = ["serve", "--data", str(data), "--books", str(books), "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process, process.stdout.readline().split()[-1]
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


class Pusher(threading.Thread):
    """Pushes `PER_PUSH` new notes at a time until told to stop; keeps what was acknowledged."""

    def __init__(self, url: str, token: str, number: int) -> None:
        super().__init__(daemon=True)
        self.url, self.number = url, number
        self.auth = {"Authorization": f"Bearer {token}"}
        self.acknowledged: set[str] = set()
        self.unanswered = 0  # pushes sent again after the server went away mid-answer
        self.halt = threading.Event()

    def run(self) -> None:
        deadline = time.monotonic() + 300  # bounded, whatever happens to the server
        pending: list[dict[str, object]] | None = None
        while not self.halt.is_set() and time.monotonic() < deadline:
            if pending is None:
                pending = [
                    {
                        "op_id": uuid.uuid4().hex,
                        "kind": "annotation",
                        "id": uuid.uuid4().hex,
                        "base_version": 0,
                        "deleted": False,
                        "data": {"book": "f" * 64, "page": 1, "body": f"device {self.number}"},
                    }
                    for _ in range(PER_PUSH)
                ]
            try:
                answer = requests.post(
                    f"{self.url}/api/v1/sync/push",
                    json={"device": f"device-{self.number}", "changes": pending},
                    headers=self.auth,
                    timeout=10,
                )
            except requests.RequestException:
                self.unanswered += 1
                time.sleep(0.05)  # the server is away: the same push again (same op_ids)
                continue
            assert answer.status_code == 200, answer.text
            results = answer.json()["results"]
            assert {r["op_id"] for r in results} == {c["op_id"] for c in pending}
            self.acknowledged.update(str(c["id"]) for c in pending)
            pending = None


def _stored(url: str, token: str) -> list[str]:
    ids: list[str] = []
    since = 0
    for _ in range(10_000):  # bounded: a page of at most 200
        page = requests.get(
            f"{url}/api/v1/sync/pull",
            params={"since": since, "limit": 200},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        ids.extend(str(c["id"]) for c in page["changes"])
        since = page["next"]
        if not page["more"]:
            return ids
    raise AssertionError("the pull never ended")


def test_nothing_acknowledged_is_lost_when_the_server_is_killed(tmp_path: Path) -> None:
    data, books = tmp_path / "data", tmp_path / "books"
    books.mkdir()
    Accounts(Storage(data)).add(USER, PASSWORD)
    rng = random.Random(13)
    with _server(data, books) as (process, url):
        port = int(url.rsplit(":", 1)[1])
        token = requests.post(
            f"{url}/api/v1/login",
            json={"user": USER, "password": PASSWORD, "device": "test"},
            timeout=30,
        ).json()["token"]
        pushers = [Pusher(url, token, n) for n in range(CLIENTS)]
        for pusher in pushers:
            pusher.start()
        time.sleep(rng.uniform(0.5, 1.5))
        os.kill(process.pid, signal.SIGKILL)
    kills, acknowledged_at_kills = 1, []
    acknowledged_at_kills.append(sum(len(p.acknowledged) for p in pushers))
    while kills <= KILLS:
        with _server(data, books, port) as (process, again):
            assert again == url
            if kills == KILLS:
                time.sleep(1.0)  # the pushers find it again, then stop
                for pusher in pushers:
                    pusher.halt.set()
                for pusher in pushers:
                    pusher.join(timeout=60)
                    assert not pusher.is_alive()
                stored = _stored(url, token)
                break
            time.sleep(rng.uniform(0.3, 1.5))
            os.kill(process.pid, signal.SIGKILL)
            acknowledged_at_kills.append(sum(len(p.acknowledged) for p in pushers))
        kills += 1

    acknowledged = set().union(*(p.acknowledged for p in pushers))
    assert acknowledged_at_kills[-1] > acknowledged_at_kills[0] > 0  # pushes ran between kills
    assert sum(p.unanswered for p in pushers) > 0  # kills landed while pushes were under way
    assert len(stored) == len(set(stored))  # none twice
    missing = acknowledged - set(stored)
    assert not missing, f"{len(missing)} acknowledged notes lost of {len(acknowledged)}"
    print(f"server killed {KILLS} times: {len(acknowledged)} notes acknowledged, 0 lost")
