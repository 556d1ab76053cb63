"""T8 and T9: the first sync of 10,000 annotations, and a sync when nothing changed.

The reference server (`sync/server`, Flask app served by Waitress as `mutolaa-server serve`
does) runs in a child process on 127.0.0.1, so it does not share this interpreter's GIL. A
library with one book and N annotations (highlights, notes, bookmarks) signs in and runs
`app.services.sync.server_sync.sync_now`, as `mutolaa sync` does.

T8 is the wall time of that first sync (push of every annotation and the device's holding in
batches, then the pull of the account's changes back). T9 syncs again with nothing changed,
through a byte-counting TCP relay on 127.0.0.1 in front of the server: the figure is the HTTP
requests made and every byte that crossed the relay, both ways.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.benchmarks.common import ROOT, Figure, Report, fresh_folder, median, say
from tests.support.sessions import PROFILE, session_of

T8_LIMIT = 5.0
T9_BYTES = 2048
USER, PASSWORD = "talaba", "benchmark-parol-2026"
SHA = "f" * 64


def serve_main() -> None:
    """Child process: `python -m tests.benchmarks.bench_sync DATA PORTFILE` serves with Waitress."""
    from waitress.server import create_server  # noqa: PLC0415

    from sync.server.app import create_app  # noqa: PLC0415

    data, port_file = Path(sys.argv[1]), Path(sys.argv[2])
    app = create_app(data, catalog=False)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    port_file.write_text(str(server.effective_port))
    server.run()


class _Server:
    """The server in a child process; its URL once it listens."""

    def __init__(self, data: Path) -> None:
        from sync.server.accounts import Accounts  # noqa: PLC0415
        from sync.server.storage import Storage  # noqa: PLC0415

        Accounts(Storage(data)).add(USER, PASSWORD)
        port_file = data / "port"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.bench_sync", str(data), str(port_file)],
            cwd=ROOT,
        )
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the library server did not start")
            time.sleep(0.05)
        self.port = int(port_file.read_text())
        self.url = f"http://127.0.0.1:{self.port}/"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class _CountingRelay:
    """A TCP relay on 127.0.0.1 counting the bytes each way and the requests it carries."""

    def __init__(self, port: int) -> None:
        self.upstream = port
        self.sent = 0  # client → server
        self.received = 0  # server → client
        self.requests = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            upstream = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, outgoing: bool) -> None:
        try:
            while data := source.recv(65536):
                with self._lock:
                    if outgoing:
                        self.sent += len(data)
                        self.requests += data.count(b" HTTP/1.1\r\n")
                    else:
                        self.received += len(data)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stop = True
        self._listener.close()


def _device(folder: Path, url: str, count: int) -> object:
    from app.core.models import Anchor, AnnotationKind  # noqa: PLC0415
    from app.core.paths import resolve_paths  # noqa: PLC0415
    from app.library.annotations import AnnotationStore  # noqa: PLC0415
    from app.services.session import Library  # noqa: PLC0415
    from app.services.sync.server_sync import login  # noqa: PLC0415
    from tests.support.records import make_book  # noqa: PLC0415

    library = Library(resolve_paths(folder))
    library.store.add_book(make_book(SHA), None)
    store = AnnotationStore(library.store)
    kinds = (AnnotationKind.HIGHLIGHT, AnnotationKind.NOTE, AnnotationKind.BOOKMARK)
    for n in range(count):
        anchor = Anchor(page=n % 300, quads=((72.0, 100.0 + n % 40, 300.0, 112.0 + n % 40),))
        store.create(
            SHA,
            kinds[n % 3],
            anchor,
            quote=f"qo'lyozma {n} haqida jumla",
            color="yellow",
            body=f"Eslatma {n}: muhim joy" if n % 3 == 1 else "",
            profile_id=PROFILE,
        )
    login(session_of(library), url, USER, PASSWORD)
    return library


def _point_at(library: object, url: str) -> None:
    """Send the account's requests through `url` (the relay) without signing in again: a new
    sign-in would start a new device and sync everything once more."""
    store = library.store  # type: ignore[attr-defined]
    with store.transaction() as db:
        db.execute("UPDATE sync_accounts SET server_url = ?", (url,))


def run_t8_t9(report: Report, count: int, runs: int) -> None:
    """T8: the first sync of `count` annotations (median of `runs` fresh accounts); T9: a sync
    with nothing changed, counted on the wire."""
    from app.services.sync.server_sync import sync_now  # noqa: PLC0415

    times: list[float] = []
    with fresh_folder("t8") as folder:
        for run in range(runs):
            data = folder / f"server-{run}"
            data.mkdir()
            server = _Server(data)
            try:
                library = _device(folder / f"pc-{run}", server.url, count)
                started = time.perf_counter()
                first = sync_now(session_of(library))  # type: ignore[arg-type]
                took = time.perf_counter() - started
                times.append(took)
                say(f"T8 run {run + 1}: {took:.2f} s ({first.pushed} sent, {first.pulled} back)")
                if run == runs - 1:
                    relay = _CountingRelay(server.port)
                    try:
                        _point_at(library, f"http://127.0.0.1:{relay.port}/")
                        relay.sent = relay.received = relay.requests = 0
                        started = time.perf_counter()
                        again = sync_now(session_of(library))  # type: ignore[arg-type]
                        idle_time = time.perf_counter() - started
                        time.sleep(0.2)  # the relay's threads finish counting
                    finally:
                        relay.close()
                library.close()  # type: ignore[attr-defined]
            finally:
                server.close()
    t8 = median(times)
    report.add(
        Figure(
            "T8",
            f"first sync of {count:,} annotations with the reference server on 127.0.0.1 "
            f"(median of {runs}: {', '.join(f'{t:.2f}' for t in times)} s)",
            f"{t8:.2f} s",
            goal=f"≤ {T8_LIMIT:.0f} s",
            met=t8 <= T8_LIMIT,
        )
    )
    total = relay.sent + relay.received
    report.add(
        Figure(
            "T9",
            "sync when nothing changed",
            f"{relay.requests} request(s), {total:,} bytes on the wire "
            f"({relay.sent:,} sent, {relay.received:,} received), {idle_time * 1000:.0f} ms",
            goal=f"1 round trip, ≤ {T9_BYTES:,} bytes",
            met=relay.requests == 1 and total <= T9_BYTES and again.pulled == 0,
        )
    )


if __name__ == "__main__":
    serve_main()
