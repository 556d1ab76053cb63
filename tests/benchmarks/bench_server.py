"""T15: the library server under load: 200 readers syncing and browsing, 300 slow sockets.

The real `mutolaa-server serve` (its default limits: 8 threads, 1,000 connections, 10 s for
idle connections and for a request's headers) runs in a child process on 127.0.0.1 with 20
accounts and a folder of 12 books. 200 clients (4 child processes of 50 threads, so that the
clients' own interpreters do not set the pace) each hold a token of their own device (the 200
logins are made first, 8 at a time, and timed apart: a reader signs in once per device, and
scrypt makes a login cost about 40 ms of a core), then for 20 s repeat a round
of six requests with a pause of 0.5–1.5 s (a reader's pace) after each: a push of three new
annotations, a pull, the OPDS root, a shelf (the "new" feed), a search and a cover. Meanwhile
this process holds 300 sockets open that trickle header bytes, one byte a second each, and
opens a new one whenever the server closes one (at its 10 s header timeout), so 300 are held
throughout.

The figure is the 95th percentile of the latencies of the clients' requests (logins apart),
every request that failed or was refused is counted, and every acknowledged annotation must be
on the server afterwards (pulled back per account). The baseline is the same clients without
the slow sockets.
"""

from __future__ import annotations

import json
import random
import selectors
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.benchmarks.common import ROOT, Figure, Report, fresh_folder, ms, percentile, say

P95_LIMIT = 0.5
CLIENTS, PROCESSES = 200, 4
SLOW_SOCKETS = 300
SECONDS = 20.0
ACCOUNTS = 20
BOOKS = 12
PAUSE = (0.5, 1.5)
PASSWORD = "benchmark-parol-2026"
ACTIONS = ("push", "pull", "root", "shelf", "search", "cover")


# -- the clients (child processes) --------------------------------------------------------------


def _client(
    url: str, number: int, token: str, window: tuple[float, float], covers: list[str]
) -> dict[str, Any]:
    """One reader, signed in already: rounds of requests within `window` (start and stop,
    epoch seconds); what it saw."""
    start, stop = window
    import requests  # noqa: PLC0415

    rng = random.Random(number)
    seen: dict[str, Any] = {"latency": {a: [] for a in ACTIONS}, "failed": [], "acknowledged": []}
    user = f"reader{number % ACCOUNTS}"
    session = requests.Session()
    # a signed-in Mutolaa sends its token to its server's catalogue too (members only, the default)
    session.headers["Authorization"] = f"Bearer {token}"
    time.sleep(max(0.0, start - time.time()) + rng.uniform(*PAUSE))  # not all at once

    def timed(action: str, method: str, path: str, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            answer = session.request(method, url + path, timeout=30, **kwargs)
        except requests.RequestException as exc:
            seen["failed"].append(f"{action}: {type(exc).__name__}")
            return None
        seen["latency"][action].append(time.perf_counter() - began)
        if answer.status_code != 200:
            seen["failed"].append(f"{action}: HTTP {answer.status_code}")
            return None
        return answer

    device = f"bench-{number}"
    auth = {"Authorization": f"Bearer {token}"}
    turn = number % len(ACTIONS)
    while time.time() < stop:
        action = ACTIONS[turn % len(ACTIONS)]
        turn += 1
        if action == "push":
            changes = [
                {
                    "op_id": str(uuid.uuid4()),
                    "kind": "annotation",
                    "id": str(uuid.uuid4()),
                    "base_version": 0,
                    "deleted": False,
                    "data": {"book": "f" * 64, "page": rng.randrange(300), "text": "Belgi"},
                }
                for _ in range(3)
            ]
            body = {"device": device, "changes": changes}
            answer = timed("push", "POST", "/api/v1/sync/push", json=body, headers=auth)
            if answer is not None:
                results = answer.json()["results"]
                seen["acknowledged"] += [
                    [user, change["id"]]
                    for change, result in zip(changes, results, strict=False)
                    if result["status"] == "applied"
                ]
        elif action == "pull":
            timed("pull", "GET", "/api/v1/sync/pull?since=0&limit=50", headers=auth)
        elif action == "root":
            timed("root", "GET", "/opds")
        elif action == "shelf":
            timed("shelf", "GET", "/opds/v2/new")
        elif action == "search":
            timed("search", "GET", "/opds/v2/search?q=" + rng.choice(["kitob", "bob", "Qodiriy"]))
        else:
            timed("cover", "GET", rng.choice(covers))
        time.sleep(rng.uniform(*PAUSE))
    session.close()
    return seen


def client_main() -> None:
    """Child process: ``python -m tests.benchmarks.bench_server client URL FIRST COUNT START
    STOP SETUP_JSON`` (the covers' paths and the clients' tokens); prints what its clients saw
    as one JSON line."""
    url, first, count = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    start, stop = float(sys.argv[5]), float(sys.argv[6])
    setup = json.loads(Path(sys.argv[7]).read_text())
    covers, tokens = setup["covers"], setup["tokens"]
    results: list[dict[str, Any]] = []
    threads = [
        threading.Thread(
            target=lambda n=n: results.append(_client(url, n, tokens[n], (start, stop), covers)),
            daemon=True,
        )
        for n in range(first, first + count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=stop - time.time() + 120)
    print(json.dumps(results), flush=True)


# -- the slow sockets ---------------------------------------------------------------------------


@dataclass
class SlowSockets:
    """`count` sockets trickling header bytes to a port, replaced as the server closes them."""

    port: int
    count: int
    closed_by_server: int = 0
    refused: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> SlowSockets:
        self._thread = threading.Thread(target=self._run, name="slow-sockets", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _open(self, selector: selectors.BaseSelector) -> None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            sock.sendall(b"GET /opds HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        except OSError:
            self.refused += 1
            return
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)

    def _run(self) -> None:
        selector = selectors.DefaultSelector()
        try:
            for _ in range(self.count):
                self._open(selector)
            while not self._stop.wait(0.05):
                # about one byte a second on each socket: a twentieth of them every 50 ms
                sockets = [key.fileobj for key in selector.get_map().values()]
                for sock in random.sample(sockets, k=max(1, len(sockets) // 20)):
                    assert isinstance(sock, socket.socket)
                    try:
                        sock.send(b"a")
                    except OSError:
                        self._drop(selector, sock)
                for key, _ in selector.select(timeout=0):
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    self._drop(selector, sock)
                for _ in range(self.count - len(selector.get_map())):
                    self._open(selector)
        finally:
            for key in list(selector.get_map().values()):
                key.fileobj.close()  # type: ignore[union-attr]
            selector.close()

    def _drop(self, selector: selectors.BaseSelector, sock: socket.socket) -> None:
        if sock.fileno() >= 0:  # not dropped already in this turn
            selector.unregister(sock)
            sock.close()
            self.closed_by_server += 1


# -- the run ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one phase measured."""

    latencies: dict[str, list[float]]
    failed: list[str]
    acknowledged: list[tuple[str, str]]

    @property
    def all(self) -> list[float]:
        return [t for values in self.latencies.values() for t in values]


def _phase(url: str, setup: Path, seconds: float) -> Outcome:
    start = time.time() + 2.0
    stop = start + seconds
    per = CLIENTS // PROCESSES
    module = ["-m", "tests.benchmarks.bench_server", "client", url]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                *module,
                str(i * per),
                str(per),
                str(start),
                str(stop),
                str(setup),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    outcome = Outcome({a: [] for a in ACTIONS}, [], [])
    for process in processes:
        out, _ = process.communicate(timeout=seconds + 300)
        for seen in json.loads(out):
            for action, values in seen["latency"].items():
                outcome.latencies[action] += values
            outcome.failed += seen["failed"]
            outcome.acknowledged += [tuple(pair) for pair in seen["acknowledged"]]
    return outcome


def _stored(url: str) -> set[tuple[str, str]]:
    """Every (account, annotation id) the server holds, pulled back page by page."""
    import requests  # noqa: PLC0415

    stored: set[tuple[str, str]] = set()
    for number in range(ACCOUNTS):
        user = f"reader{number}"
        login = {"user": user, "password": PASSWORD, "device": "bench-check"}
        token = requests.post(f"{url}/api/v1/login", json=login, timeout=30).json()["token"]
        since, more = 0, True
        while more:
            page = requests.get(
                f"{url}/api/v1/sync/pull?since={since}&limit=500",
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            ).json()
            stored |= {(user, c["id"]) for c in page["changes"] if c["kind"] == "annotation"}
            since, more = page["next"], page["more"]
    return stored


def _logins(url: str) -> tuple[list[str], list[float], float]:
    """Every client's token (one device each), got by 8 at a time as readers would sign in
    over a morning; the logins' latencies and their total wall time."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    import requests  # noqa: PLC0415

    def login(number: int) -> tuple[str, float]:
        body = {"user": f"reader{number % ACCOUNTS}", "password": PASSWORD}
        began = time.perf_counter()
        answer = requests.post(
            f"{url}/api/v1/login", json={**body, "device": f"bench-{number}"}, timeout=60
        )
        answer.raise_for_status()
        return answer.json()["token"], time.perf_counter() - began

    began = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(login, range(CLIENTS)))
    return [t for t, _ in done], [s for _, s in done], time.perf_counter() - began


def _books(folder: Path) -> None:
    from tests.support.docgen import make_pdf  # noqa: PLC0415

    authors = ["Abdulla Qodiriy", "Choʻlpon", "Lev Tolstoy"]
    for number in range(BOOKS):
        make_pdf(
            folder / f"kitob-{number:02}.pdf",
            [f"Birinchi bob {number}. Kitob haqida.", "Ikkinchi bob."],
            title=f"Kitob {number}",
            author=authors[number % len(authors)],
        )


def run(report: Report) -> None:
    """T15: p95 of real clients' requests with 300 slow sockets held open."""
    import requests  # noqa: PLC0415

    from sync.server.accounts import Accounts  # noqa: PLC0415
    from sync.server.storage import Storage  # noqa: PLC0415

    with fresh_folder("server") as folder:
        _books(folder / "books")
        accounts = Accounts(Storage(folder / "data"))
        for number in range(ACCOUNTS):
            accounts.add(f"reader{number}", PASSWORD)
        log = (folder / "server.log").open("w")
        args = ["serve", "--data", str(folder / "data"), "--books", str(folder / "books")]
        server = subprocess.Popen(
            [sys.executable, "-m", "sync.server.cli", *args, "--port", "0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            assert server.stdout is not None
            url = server.stdout.readline().split()[-1]
            deadline = time.monotonic() + 120
            while True:  # the first scan reads the books and draws their covers
                # the catalogue is the accounts' (the default): one reader's name and password
                feed = requests.get(
                    f"{url}/opds/v2/new", auth=("reader0", PASSWORD), timeout=60
                ).json()
                if len(feed.get("publications", [])) == BOOKS:
                    break
                assert time.monotonic() < deadline, "the books were never all listed"
                time.sleep(0.5)
            covers = [p["images"][0]["href"].removeprefix(url) for p in feed["publications"]]
            say(f"T15: {CLIENTS} logins")
            tokens, logins, login_time = _logins(url)
            setup = folder / "setup.json"
            setup.write_text(json.dumps({"covers": covers, "tokens": tokens}))
            say(f"T15 baseline: {CLIENTS} clients for {SECONDS:.0f} s, no slow sockets")
            base = _phase(url, setup, SECONDS)
            say(f"T15: {CLIENTS} clients for {SECONDS:.0f} s with {SLOW_SOCKETS} slow sockets")
            with SlowSockets(int(url.rsplit(":", 1)[1]), SLOW_SOCKETS) as slow:
                time.sleep(2)  # all of them open before the clients start
                loaded = _phase(url, setup, SECONDS)
            stored = _stored(url)
        finally:
            server.terminate()
            server.communicate(timeout=30)
            log.close()
        closed_lines = sum(
            "whose request came too slowly" in line
            for line in (folder / "server.log").read_text().splitlines()
        )
    acknowledged = set(base.acknowledged) | set(loaded.acknowledged)
    lost = len(acknowledged - stored)
    p95, base95 = percentile(loaded.all, 0.95), percentile(base.all, 0.95)
    failed = len(loaded.failed) + len(base.failed)
    report.add(
        Figure(
            "T15",
            f"{CLIENTS} clients syncing and browsing for {SECONDS:.0f} s ({PROCESSES} processes "
            f"× {CLIENTS // PROCESSES} threads, {PAUSE[0]}–{PAUSE[1]} s between requests) with "
            f"{SLOW_SOCKETS} slow sockets held open; p95 of {len(loaded.all):,} requests",
            f"p95 {ms(p95)} (p50 {ms(percentile(loaded.all, 0.5))}, max {ms(max(loaded.all))});"
            f" {failed} failed or refused; {len(acknowledged):,} annotations acknowledged, "
            f"{lost} lost",
            baseline=f"no slow sockets: p95 {ms(base95)} ({len(base.all):,} requests)",
            ratio=f"{p95 / base95:.2f}",
            goal="p95 ≤ 500 ms, nothing refused, nothing lost",
            met=p95 <= P95_LIMIT and failed == 0 and lost == 0 and bool(acknowledged),
        )
    )
    per_action = ", ".join(
        f"{a} {ms(percentile(loaded.latencies[a], 0.95))}" for a in ACTIONS if loaded.latencies[a]
    )
    report.add(
        Figure(
            "extra",
            "T15 p95 by request, with the slow sockets",
            per_action,
        )
    )
    report.add(
        Figure(
            "extra",
            f"T15 {CLIENTS} logins before the runs, 8 at a time (scrypt on the server)",
            f"{CLIENTS / login_time:.1f} logins/s; p50 {ms(percentile(logins, 0.5))}, "
            f"p95 {ms(percentile(logins, 0.95))}",
        )
    )
    report.note(
        f"T15 the server closed {slow.closed_by_server} slow sockets at its header timeout "
        f"(each replaced at once, so {SLOW_SOCKETS} were held throughout; {slow.refused} "
        f"connections refused); {closed_lines} log lines say so; failures: "
        + (", ".join(sorted(set(base.failed + loaded.failed))[:5]) or "none")
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["client"]:
        client_main()
