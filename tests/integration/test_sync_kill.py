"""`mutolaa sync` killed with SIGKILL at random points, then run again: nothing the server
acknowledged is lost, nothing is duplicated, and two devices still converge.

The server runs in this process on 127.0.0.1; each device is a library folder; `mutolaa sync`
runs as a real subprocess and is killed at a random moment after its start-up (measured) and
before a whole sync would end (the push of 2,000 notes takes ten batches and the pull ten
pages, so kills land in the probe, between batches, inside a batch's transaction and between
pull pages).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.models import Anchor, AnnotationKind
from app.core.paths import resolve_paths
from app.library.annotations import AnnotationStore
from app.library.secrets import SYNC_TOKEN
from app.services.session import Library
from app.services.sync.server_sync import login
from tests.support.library_server import LibraryServer, serving
from tests.support.records import make_book
from tests.support.sessions import PROFILE, session_of

ROOT = Path(__file__).resolve().parents[2]
SHA = "e" * 64
USER, PASSWORD = "talaba", "kutubxona-parol-2026"
NOTES = 2000
KILLS = 8

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _device(folder: Path, url: str, notes: int) -> None:
    with Library(resolve_paths(folder)) as library:
        library.store.add_book(make_book(SHA), None)
        store = AnnotationStore(library.store)
        for n in range(notes):
            store.create(
                SHA,
                AnnotationKind.NOTE,
                Anchor(page=n % 50),
                body=f"eslatma {n}",
                profile_id=PROFILE,
            )
        login(session_of(library), url, USER, PASSWORD)


def _sync(folder: Path, *, errors: int = subprocess.PIPE) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--library", str(folder), "sync"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )


def _state(folder: Path) -> dict[str, tuple[object, ...]]:
    with Library(resolve_paths(folder)) as library:
        rows = library.store.query(
            "SELECT id, deleted_at IS NOT NULL, body, origin FROM annotations"
        )
        problems = AnnotationStore(library.store).problems()
    assert problems == []
    return {str(r[0]): tuple(r[1:]) for r in rows}


def _finish(folder: Path) -> None:
    done = _sync(folder)
    _out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err.decode(errors="replace")


def _positions(folder: Path) -> tuple[int, int]:
    """(pushed_seq, pulled_version) as the device saved them."""
    with Library(resolve_paths(folder)) as library:
        row = library.store.query("SELECT pushed_seq, pulled_version FROM sync_accounts")[0]
    return int(row[0]), int(row[1])


def _kill_repeatedly(
    folder: Path, rng: random.Random, start_up: float, run_time: float, part: int
) -> list[tuple[int, int]]:
    """Start `mutolaa sync` and SIGKILL it at a random moment after its start-up and before the
    work left would end, KILLS times; returns the positions each killed run left behind.

    ``part``: which position measures the work (0 the push, 1 the pull); the work left shrinks
    with each kill, so the moment is drawn within what is left (plus 0.1 s for the last round
    trips), and kills keep landing inside the work. A first sync that pushes also pulls its own
    changes back afterwards (about as long again), so a push's work is half its sync's time.
    """
    left: list[tuple[int, int]] = []
    work = max(0.05, run_time - start_up) * (0.5 if part == 0 else 1.0)
    for _ in range(KILLS):
        done = min(_positions(folder)[part], NOTES) / NOTES
        process = _sync(folder, errors=subprocess.DEVNULL)
        time.sleep(start_up + rng.uniform(0.0, 1.0) * (work * (1 - done) + 0.1))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        left.append(_positions(folder))
    return left


def _start_up(folder: Path) -> float:
    """How long the command takes to start and open the library (`mutolaa account status`)."""
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "app.cli", "--library", str(folder), "account", "status"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=True,
    )
    return time.monotonic() - started


def _timed_sync(folder: Path, url: str) -> float:
    """How long a whole `mutolaa sync` of a copy of this device takes against the server at `url`
    (an empty one of its own, so that the device's first sync still finds everything to do)."""
    import shutil  # noqa: PLC0415

    copy = folder.with_name(folder.name + "-timing")
    shutil.copytree(folder, copy)
    with Library(resolve_paths(copy)) as library:
        # the copy holds the device's own token: dropped without a word to its server, or
        # signing in here would revoke it there (a new login revokes the token it replaces)
        with library.store.transaction() as db:
            library.store.secrets.delete(db, PROFILE, SYNC_TOKEN)
        login(session_of(library), url, USER, PASSWORD)
    started = time.monotonic()
    _finish(copy)
    took = time.monotonic() - started
    shutil.rmtree(copy)
    return took


def test_killed_syncs_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("MUTOLAA_KILL_SEED", "20261126")))
    with serving(tmp_path / "server") as server, serving(tmp_path / "timing") as timing:
        server.add_user(USER, PASSWORD)
        timing.add_user(USER, PASSWORD)  # the timings' copies push there, then pull from it
        a, b = tmp_path / "pc-a", tmp_path / "pc-b"
        _device(a, server.url, NOTES)
        _device(b, server.url, 0)
        before = _state(a)
        start_up = _start_up(a)
        push_time = _timed_sync(a, timing.url)
        pushed = _kill_repeatedly(a, rng, start_up, push_time, 0)  # kills while pushing
        _finish(a)
        assert _state(a) == before  # the server's answers changed nothing here
        pull_time = _timed_sync(b, timing.url)
        pulled = _kill_repeatedly(b, rng, start_up, pull_time, 1)  # kills while pulling
        _finish(b)
        _finish(a)
        final_push, final_pull = _positions(a)[0], _positions(b)[1]
        after_a, after_b = _state(a), _state(b)
        assert after_b == after_a
        assert len(after_a) == NOTES  # nothing duplicated, no conflict copy from a retry
        assert not [row for row in after_a.values() if str(row[2]).startswith("conflict:")]
        _server_has_each_once(server, len(before))
    print(
        f"\nstart-up {start_up:.2f} s, sync times: push {push_time:.2f} s, pull {pull_time:.2f} s; "
        "positions left by the "
        f"kills: pushing {pushed}, pulling {pulled}"
    )
    # some kills landed half way: after a batch or a page was saved, before the end
    assert any(0 < p < final_push for p, _v in pushed) or any(
        0 < v < final_pull for _p, v in pulled
    )


def _server_has_each_once(server: LibraryServer, expected: int) -> None:
    """The account holds exactly `expected` annotations (plus the two devices' holdings)."""
    import requests  # noqa: PLC0415

    token = requests.post(
        f"{server.url}/api/v1/login",
        json={"user": USER, "password": PASSWORD, "device": "check"},
        timeout=10,
    ).json()["token"]
    seen: dict[str, int] = {}
    since = 0
    while True:
        page = requests.get(
            f"{server.url}/api/v1/sync/pull",
            params={"since": since, "limit": 500},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        for item in page["changes"]:
            if item["kind"] == "annotation":
                seen[item["id"]] = seen.get(item["id"], 0) + 1
        since = page["next"]
        if not page["more"]:
            break
    assert len(seen) == expected
    assert set(seen.values()) == {1}
