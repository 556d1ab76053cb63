"""The login limit over real HTTP: per (account, address) with growing waits, per account with a
bucket that known devices pass, counted atomically; KOReader's verified key remembered."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from sync.server import accounts
from sync.server.accounts import ACCOUNT_LIMIT, FREE_FAILURES, MAX_DELAY, Accounts
from sync.server.app import create_app
from sync.server.storage import Storage
from tests.server.conftest import PASSWORD, Clock, RunningServer

KOREADER_PASSWORD = "reading on the kobo"


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[RunningServer]:
    """A server behind a (pretended) proxy, so that each request names its address."""
    clock = Clock()
    data_dir = tmp_path / "server-data"
    app = create_app(data_dir, catalog=False, clock=clock, behind_proxy=True)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    running = RunningServer(
        f"http://127.0.0.1:{http.server_port}", data_dir, clock, Accounts(Storage(data_dir), clock)
    )
    try:
        yield running
    finally:
        running.session.close()
        http.shutdown()
        thread.join(timeout=10)
        http.server_close()


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times the server ran scrypt (the real function, counted)."""
    calls: Counter[str] = Counter()
    real = accounts._scrypt

    def counted(*args: object, **kwargs: object) -> bytes:
        calls["scrypt"] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(accounts, "_scrypt", counted)
    return calls


def _login(
    server: RunningServer,
    user: str,
    password: str,
    *,
    address: str = "",
    device: str = "pc-1",
) -> requests.Response:
    headers = {"X-Forwarded-For": address} if address else {}
    return requests.post(
        f"{server.url}/api/v1/login",
        json={"user": user, "password": password, "device": device},
        headers=headers,
        timeout=30,
    )


def _retry_after(answer: requests.Response) -> int:
    assert answer.status_code == 429, answer.text
    assert answer.json()["error"].startswith("too many failed logins: try again in ")
    return int(answer.headers["Retry-After"])


def test_waits_grow_per_account_and_address(server: RunningServer) -> None:
    server.add_user("alice")
    for _ in range(FREE_FAILURES):
        assert _login(server, "alice", "wrong password").status_code == 401
    failures = FREE_FAILURES
    waits = []
    while not waits or waits[-1] < MAX_DELAY:
        wait = _retry_after(_login(server, "alice", PASSWORD))  # even the right one waits
        waits.append(wait)
        server.clock.advance(wait - 0.5)
        assert _retry_after(_login(server, "alice", "wrong password")) == 1  # not yet
        server.clock.advance(0.5)
        assert _login(server, "alice", "wrong password").status_code == 401
        failures += 1
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900]
    assert failures < ACCOUNT_LIMIT  # the account's own limit played no part
    assert _retry_after(_login(server, "alice", PASSWORD)) == 900  # at most 15 minutes
    server.clock.advance(900)
    assert _login(server, "alice", PASSWORD).status_code == 200
    for _ in range(FREE_FAILURES):  # a success there forgets that address's failures
        assert _login(server, "alice", "wrong password").status_code == 401


def test_a_crowd_behind_one_address_is_not_locked_out_together(server: RunningServer) -> None:
    server.add_user("alice")
    server.add_user("bob")
    for _ in range(FREE_FAILURES):
        assert _login(server, "alice", "wrong password").status_code == 401
    assert _login(server, "alice", PASSWORD).status_code == 429
    for number in range(20):  # guesses at names that do not exist, from the same address
        assert _login(server, f"guess{number}", "wrong password").status_code == 401
    # bob, behind the same NAT address, is not held by alice's mistakes nor the guesses
    assert _login(server, "bob", "bob's wrong password").status_code == 401
    assert _login(server, "bob", PASSWORD).status_code == 200


def test_failures_from_one_address_do_not_lock_the_person_out_elsewhere(
    proxied: RunningServer,
) -> None:
    proxied.add_user("alice")
    for _ in range(FREE_FAILURES + 5):
        _login(proxied, "alice", "wrong password", address="10.0.0.66")
    assert _login(proxied, "alice", PASSWORD, address="10.0.0.66").status_code == 429
    assert _login(proxied, "alice", PASSWORD, address="10.0.0.7").status_code == 200


def test_the_account_limit_refuses_unknown_devices_but_lets_known_ones_in(
    proxied: RunningServer,
) -> None:
    proxied.add_user("alice")
    assert _login(proxied, "alice", PASSWORD, address="10.0.0.7", device="alices-pc").ok
    for number in range(ACCOUNT_LIMIT):  # one guess from each of many addresses
        wrong = _login(proxied, "alice", f"guess {number}", address=f"10.1.0.{number}")
        assert wrong.status_code == 401
    guess = _login(proxied, "alice", "one guess more", address="10.2.0.1", device="bot")
    assert _retry_after(guess) == 72  # the bucket drains one failure every 72 s
    thief = _login(proxied, "alice", PASSWORD, address="10.2.0.2", device="not-hers")
    assert _retry_after(thief) == 72  # an unknown device waits, right password or not
    at_home = _login(proxied, "alice", PASSWORD, address="10.0.0.99", device="alices-pc")
    assert at_home.status_code == 200  # her own computer, from anywhere
    proxied.clock.advance(72)
    assert _login(proxied, "alice", PASSWORD, address="10.2.0.2", device="new-pc").ok


def test_parallel_guesses_are_checked_one_by_one(
    server: RunningServer, scrypt_calls: Counter[str]
) -> None:
    server.add_user("alice")
    scrypt_calls.clear()

    def guess(number: int) -> int:
        return _login(server, "alice", f"guess {number}").status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = Counter(pool.map(guess, range(200)))
    assert statuses == {401: FREE_FAILURES, 429: 200 - FREE_FAILURES}
    assert scrypt_calls["scrypt"] == FREE_FAILURES


def _koreader(server: RunningServer, password: str, user: str = "alice") -> requests.Response:
    key = hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()
    return requests.get(
        f"{server.url}/users/auth",
        headers={"x-auth-user": user, "x-auth-key": key},
        timeout=30,
    )


def _scrypt_runs(calls: Counter[str], request: Callable[[], requests.Response]) -> tuple[int, int]:
    before = calls["scrypt"]
    status = request().status_code
    return status, calls["scrypt"] - before


def test_a_verified_koreader_key_is_remembered_for_five_minutes(
    server: RunningServer, scrypt_calls: Counter[str]
) -> None:
    server.add_user("alice")
    server.accounts.set_koreader("alice", KOREADER_PASSWORD)
    scrypt_calls.clear()
    started = time.perf_counter()
    for _ in range(200):
        assert _koreader(server, KOREADER_PASSWORD).status_code == 200
    took = time.perf_counter() - started
    print(f"200 KOReader requests with the right key: {took:.2f} s")
    assert scrypt_calls["scrypt"] == 1  # only the first
    assert took < 3.5  # 7 s when each ran scrypt
    server.clock.advance(299)
    assert _scrypt_runs(scrypt_calls, lambda: _koreader(server, KOREADER_PASSWORD)) == (200, 0)
    server.clock.advance(2)
    assert _scrypt_runs(scrypt_calls, lambda: _koreader(server, KOREADER_PASSWORD)) == (200, 1)


def test_a_remembered_koreader_key_stops_with_its_credential(
    server: RunningServer, scrypt_calls: Counter[str]
) -> None:
    server.add_user("alice")
    server.accounts.set_koreader("alice", KOREADER_PASSWORD)
    assert _koreader(server, KOREADER_PASSWORD).status_code == 200
    server.accounts.set_disabled("alice", True)
    assert _koreader(server, KOREADER_PASSWORD).status_code == 403
    server.accounts.set_disabled("alice", False)
    assert _scrypt_runs(scrypt_calls, lambda: _koreader(server, KOREADER_PASSWORD)) == (200, 0)
    server.accounts.set_koreader("alice", "a new kobo password")
    assert _scrypt_runs(scrypt_calls, lambda: _koreader(server, KOREADER_PASSWORD)) == (401, 1)
    assert _koreader(server, "a new kobo password").status_code == 200
    server.accounts.reset("alice", "a new main password")  # turns KOReader off
    assert _koreader(server, "a new kobo password").status_code == 401


def test_the_memory_answers_no_guess_the_limit_refuses(server: RunningServer) -> None:
    server.add_user("alice")
    server.accounts.set_koreader("alice", KOREADER_PASSWORD)
    assert _koreader(server, KOREADER_PASSWORD).status_code == 200  # remembered now
    for _ in range(FREE_FAILURES):
        assert _koreader(server, "a guess").status_code == 401
    # from this address the limit now answers first, right key or not
    assert _retry_after(_koreader(server, KOREADER_PASSWORD)) == 1
