"""A real threaded HTTP server on 127.0.0.1 for download tests: Range, validators, and faults.

`RangeServer` serves in-memory files with single-range `Range` support, strong ETags (or weak ones
on request), Last-Modified, `If-Range`, Content-Disposition, redirects and Basic authentication.
A fault switchboard (`server.fault(path, Fault(...))`) makes the next requests misbehave: drop
the connection after N body bytes, stall, answer 500 or 429 with Retry-After, end a chunked body
early, declare a wrong Content-Length, ignore Range (answer 200), answer 416, or replace the file
(new ETag) after a request. It counts the body bytes it sends and the requests it sees, per path.
"""

from __future__ import annotations

import base64
import hashlib
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


@dataclass
class Fault:
    """One misbehaviour, applied to the next `times` requests of a path.

    Attributes:
        kind: "drop" (close after `after` body bytes), "stall" (send `after` bytes then wait
            `seconds`), "status" (answer `status` with `retry_after` if set), "truncate" (chunked
            body ending cleanly after `after` bytes, no length), "length" (declare
            Content-Length + `delta`, send the whole body, close), "ignore_range" (200 with the
            whole file), "416" (refuse any Range), "wrong_start" (a 206 starting 1000 bytes
            before the byte asked), "change" (serve normally, then replace the file with
            `new_data`), "ignore_if_range" (serve the range whatever If-Range says), "endless"
            (the file's bytes over and over, `after` in all, with no length: chunked, or ended by
            closing the connection when `delta` is 1; it stops when the client goes away).
            "drop" and "stall" also replace the file with `new_data` when given.
        times: how many requests it applies to.
        only_ranged: apply only to requests with a Range header.
    """

    kind: str
    after: int = 0
    seconds: float = 0.0
    status: int = 500
    retry_after: str | None = None
    delta: int = 0
    new_data: bytes = b""
    times: int = 1
    only_ranged: bool = False


@dataclass
class Served:
    """A file the server holds."""

    data: bytes
    etag: str
    last_modified: str
    disposition: str | None = None
    content_type: str = "application/epub+zip"
    weak_etag: bool = False
    no_validators: bool = False


@dataclass
class Hit:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    status: int = 0
    sent: int = 0


@dataclass
class _State:
    files: dict[str, Served] = field(default_factory=dict)
    redirects: dict[str, tuple[int, str]] = field(default_factory=dict)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    auth: dict[str, str] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:16] + '"'


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: pytest runs with warnings as errors and output is noise."""

    def handle(self) -> None:
        """Serve the connection; a client that went away with a body unread (it refused the
        file) resets it while the next request is awaited: not an error of the server."""
        with suppress(ConnectionResetError, BrokenPipeError):
            super().handle()

    def do_GET(self) -> None:
        state = self.server.state
        path = self.path.split("?", 1)[0]
        hit = Hit(path=path, headers={k.lower(): v for k, v in self.headers.items()})
        with state.lock:
            state.hits.append(hit)
            state.active += 1
            state.max_active = max(state.max_active, state.active)
        try:
            if state.delay:
                state.stop.wait(state.delay)
            self._answer(path, hit)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with state.lock:
                state.active -= 1

    def _take_fault(self, path: str, ranged: bool) -> Fault | None:
        state = self.server.state
        with state.lock:
            queue = state.faults.get(path, [])
            for fault in queue:
                if fault.only_ranged and not ranged:
                    continue
                fault.times -= 1
                if fault.times <= 0:
                    queue.remove(fault)
                return fault
        return None

    def _simple(self, hit: Hit, status: int, headers: dict[str, str] | None = None) -> None:
        body = f"{status}\n".encode()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        hit.status = status

    def _answer(self, path: str, hit: Hit) -> None:
        state = self.server.state
        if path in state.redirects:
            status, location = state.redirects[path]
            self._simple(hit, status, {"Location": location})
            return
        wanted = state.auth.get(path)
        if wanted is not None and self.headers.get("Authorization") != wanted:
            self._simple(hit, 401, {"WWW-Authenticate": 'Basic realm="test"'})
            return
        served = state.files.get(path)
        if served is None:
            self._simple(hit, 404)
            return
        range_header = self.headers.get("Range")
        fault = self._take_fault(path, range_header is not None)
        if fault is not None and fault.kind == "status":
            extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            self._simple(hit, fault.status, extra)
            return
        data = served.data
        size = len(data)
        start = 0
        status = 200
        ranged = range_header is not None and not (fault and fault.kind == "ignore_range")
        if_range_ignored = fault is not None and fault.kind == "ignore_if_range"
        if ranged and not if_range_ignored and not self._if_range_matches(served):
            ranged = False
        if ranged:
            match = _RANGE.match(range_header or "")
            first = int(match.group(1)) if match else size
            last = int(match.group(2)) if match and match.group(2) else size - 1
            if not match or first >= size or (fault and fault.kind == "416"):
                self._simple(hit, 416, {"Content-Range": f"bytes */{size}"})
                return
            if fault and fault.kind == "wrong_start":
                first = max(0, first - 1000)
            start, status = first, 206
            data = data[first : min(last, size - 1) + 1]
        self.send_response(status)
        self.send_header("Content-Type", served.content_type)
        self.send_header("Accept-Ranges", "bytes")
        if not served.no_validators:
            self.send_header("ETag", ("W/" if served.weak_etag else "") + served.etag)
            self.send_header("Last-Modified", served.last_modified)
        if served.disposition:
            self.send_header("Content-Disposition", served.disposition)
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{start + len(data) - 1}/{size}")
        hit.status = status
        if fault is not None and fault.kind == "truncate":
            self._send_chunked(hit, data[: fault.after])
            return
        if fault is not None and fault.kind == "endless":
            self._send_endless(hit, data, fault.after, chunked=fault.delta != 1)
            return
        declared = len(data) + (fault.delta if fault and fault.kind == "length" else 0)
        self.send_header("Content-Length", str(declared))
        self.end_headers()
        if fault is not None and fault.kind in {"drop", "stall"}:
            self._send(hit, data[: fault.after])
            if fault.kind == "stall":
                state.stop.wait(fault.seconds)
            self._cut()
            if fault.new_data:
                self.server.put(path, fault.new_data)
            return
        if fault is not None and fault.kind == "length":
            self._send(hit, data[: max(0, declared)])
            self._cut()
            return
        self._send(hit, data)
        if fault is not None and fault.kind == "change":
            self.server.put(path, fault.new_data, disposition=served.disposition)

    def _if_range_matches(self, served: Served) -> bool:
        condition = self.headers.get("If-Range")
        if condition is None:
            return True
        if condition.startswith('"'):
            return not served.weak_etag and condition == served.etag
        return condition == served.last_modified

    def _send(self, hit: Hit, data: bytes) -> None:
        view = memoryview(data)
        for offset in range(0, len(view), 16 * 1024):
            piece = view[offset : offset + 16 * 1024]
            self.wfile.write(piece)
            with self.server.state.lock:
                hit.sent += len(piece)

    def _send_chunked(self, hit: Hit, data: bytes) -> None:
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if data:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            hit.sent += len(data)
        self.wfile.write(b"0\r\n\r\n")

    def _send_endless(self, hit: Hit, data: bytes, size: int, *, chunked: bool) -> None:
        """`data` over and over, `size` bytes in all, without a length (chunked, or closed)."""
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        piece = (data * (1 + 65536 // max(1, len(data))))[:65536] if data else b"x" * 65536
        sent = 0
        while sent < size and not self.server.state.stop.is_set():
            block = piece[: size - sent]
            self.wfile.write(f"{len(block):x}\r\n".encode() + block + b"\r\n" if chunked else block)
            sent += len(block)
            with self.server.state.lock:
                hit.sent += len(block)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        self._cut()

    def _cut(self) -> None:
        self.wfile.flush()
        self.close_connection = True
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State

    def put(self, path: str, data: bytes, **options: object) -> Served:
        with self.state.lock:
            old = self.state.files.get(path)
            stamp = formatdate(
                1_700_000_000 + len(self.state.files) + (2 if old else 0), usegmt=True
            )
            served = Served(data=data, etag=_etag(data), last_modified=stamp)
            if old is not None:
                served.disposition = old.disposition
                served.weak_etag = old.weak_etag
                served.no_validators = old.no_validators
                served.content_type = old.content_type
            for key, value in options.items():
                setattr(served, key, value)
            self.state.files[path] = served
            return served


class RangeServer:
    """The server and its switchboard; use `running()` to start and stop it."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = _State()
        self.state = self._server.state
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def base(self) -> str:
        """`http://127.0.0.1:PORT`."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        """The full URL of `path`."""
        return self.base + path

    def put(self, path: str, data: bytes, **options: object) -> Served:
        """Serve `data` at `path` (options: disposition, content_type, weak_etag, no_validators)."""
        return self._server.put(path, data, **options)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        """Answer `path` with a redirect to `location`."""
        self.state.redirects[path] = (status, location)

    def require_basic(self, path: str, user: str, password: str) -> None:
        """Require HTTP Basic credentials for `path`."""
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.state.auth[path] = "Basic " + token

    def fault(self, path: str, fault: Fault) -> None:
        """Queue a misbehaviour for the next requests of `path`."""
        with self.state.lock:
            self.state.faults.setdefault(path, []).append(fault)

    def hits(self, path: str | None = None) -> list[Hit]:
        """The requests seen (for `path`, or all)."""
        with self.state.lock:
            return [h for h in self.state.hits if path is None or h.path == path]

    def sent(self, path: str | None = None) -> int:
        """Body bytes sent (for `path`, or all)."""
        return sum(h.sent for h in self.hits(path))

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Release stalled handlers, stop serving and close the socket."""
        self.state.stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@contextmanager
def running() -> Iterator[RangeServer]:
    """A started `RangeServer`, stopped on exit."""
    server = RangeServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
