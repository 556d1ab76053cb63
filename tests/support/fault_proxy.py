"""A fault-injecting reverse proxy on 127.0.0.1: faults on the wire between a client and a server.

`FaultProxy(upstream_base_url)` listens on 127.0.0.1 (port 0) and forwards every request (method,
path, query, end-to-end headers such as Range, If-Range, If-None-Match, Authorization,
Accept-Encoding, and a request body) to an honest upstream server with `http.client`, then relays
the status, the headers and the body, streamed in pieces of at most 16 KiB (never a whole file in
memory). A switchboard (`proxy.fault(path, ProxyFault(kind, ...))`) makes the next requests of a
path misbehave on the wire:

- ``drop``: relay the headers and `after` body bytes, then close the connection (FIN);
- ``reset``: the same, but abort the connection (RST) instead of closing it;
- ``stall``: relay `after` body bytes, send nothing for `seconds`, then close;
- ``delay``: send nothing for `seconds` before asking upstream, then answer normally;
- ``status``: answer `status` (500, 503, 429...) itself, with `retry_after` if set, without
  asking upstream; its body is `body` (of type `content_type`) when given, else a line of text;
- ``truncate``: relay the body without Content-Length, ending cleanly after `after` bytes, as
  chunked (``framing="chunked"``) or as a body delimited by closing the connection
  (``framing="close"``);
- ``length``: declare Content-Length + `delta`; a smaller length sends that many bytes (a short
  body that looks complete), a larger one sends the whole body and closes;
- ``corrupt``: flip the byte at body offset `after` (same length, wrong content);
- ``ignore_range``: forward without Range and If-Range (a middlebox that drops them);
- ``strip``: nothing but what every fault can also do: forward without its `request_headers`
  and relay without its `response_headers` (a server without ETag, a middlebox dropping If-Range).

A fault may carry `then`, called once the faulty answer is over (after the cut, for example to
replace the file upstream between the cut and the resume). The proxy records every request
(`ProxyHit`: path, method, Range, If-Range, status, body bytes relayed, fault) and any error of its
own (`errors`, which a test expects to stay empty). Every socket has a timeout; `close()` ends
stalls, shuts the open connections and joins the threads. It speaks HTTP/1.1 to its clients (a
body of unknown length is relayed chunked) and opens one upstream connection per request.
"""

from __future__ import annotations

import http.client
import os
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

CHUNK = 16 * 1024
KINDS = frozenset(
    {
        "corrupt",
        "delay",
        "drop",
        "ignore_range",
        "length",
        "reset",
        "stall",
        "status",
        "strip",
        "truncate",
    }
)
#: Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1).
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
_CUT_AFTER_BUDGET = frozenset({"drop", "reset", "stall", "truncate"})


@dataclass
class ProxyFault:
    """One misbehaviour of the wire, applied to the next `times` requests of a path.

    Attributes:
        kind: one of `KINDS` (see the module docstring).
        after: body bytes relayed before a drop, reset, stall or clean truncation; the offset of
            the byte a ``corrupt`` fault flips.
        seconds: how long a ``stall`` or a ``delay`` sends nothing.
        status: the status a ``status`` fault answers.
        retry_after: the Retry-After header of a ``status`` fault (delta seconds or HTTP date).
        body: the body a ``status`` fault answers (a hostile document...); empty: a line of text.
        content_type: the Content-Type of that body.
        delta: added to the Content-Length declared by a ``length`` fault.
        framing: how a ``truncate`` fault ends its body: "chunked" or "close".
        request_headers: headers not forwarded upstream (any kind).
        response_headers: headers not relayed to the client (any kind).
        times: how many requests it applies to.
        only_ranged: apply only to requests with a Range header.
        then: called once the faulty answer is over (for example to change the upstream file);
            what it returns is ignored.
    """

    kind: str
    after: int = 0
    seconds: float = 0.0
    status: int = 500
    retry_after: str | None = None
    body: bytes = b""
    content_type: str = "application/json"
    delta: int = 0
    framing: str = "chunked"
    request_headers: tuple[str, ...] = ()
    response_headers: tuple[str, ...] = ()
    times: int = 1
    only_ranged: bool = False
    then: Callable[[], object] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(
                f"unknown proxy fault {self.kind!r}; known kinds: {', '.join(sorted(KINDS))}"
            )
        if self.framing not in {"chunked", "close"}:
            raise ValueError(f"unknown framing {self.framing!r} for a truncate fault")
        if self.times < 1:
            raise ValueError(f"a {self.kind} fault must apply to at least one request")


@dataclass
class ProxyHit:
    """One request as the proxy saw it and answered it.

    Attributes:
        path: the path, without the query.
        method: the request method.
        range: the Range header the client sent, if any.
        if_range: the If-Range header the client sent, if any.
        headers: every header the client sent, names in lower case.
        status: the status relayed (or answered by a fault); 0 when no answer was sent.
        sent: body bytes written to the client.
        fault: the kind of fault applied, if any.
        forwarded: whether upstream was asked.
    """

    path: str
    method: str
    range: str | None
    if_range: str | None
    headers: dict[str, str]
    status: int = 0
    sent: int = 0
    fault: str | None = None
    forwarded: bool = False


class _Server(ThreadingHTTPServer):
    """A threaded server that keeps its handler threads so that `close()` can join them."""

    daemon_threads = True

    def __init__(self, owner: FaultProxy, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.owner = owner

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="fault-proxy-handler",
            daemon=True,
        )
        self.owner._track(thread)
        thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away is normal; anything else is a bug of the proxy, kept."""
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            return
        self.owner._error("".join(traceback.format_exception(exc)).strip())


class FaultProxy:
    """A reverse proxy to `upstream_base_url` with a fault switchboard; a context manager.

    Args:
        upstream_base_url: ``http://host:port`` (and optionally a path prefix) of the real server.
        timeout: the timeout of every socket, towards the client and towards upstream (seconds).
    """

    def __init__(self, upstream_base_url: str, *, timeout: float = 10.0) -> None:
        parts = urlsplit(upstream_base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"the upstream must be an http://host:port URL: {upstream_base_url!r}")
        self.upstream = upstream_base_url
        self.timeout = timeout
        self._host = parts.hostname
        self._port = parts.port or 80
        self._netloc = parts.netloc
        self._prefix = parts.path.rstrip("/")
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._faults: dict[str, list[ProxyFault]] = {}
        self._hits: list[ProxyHit] = []
        self._threads: set[threading.Thread] = set()
        self._sockets: set[socket.socket] = set()
        self._upstreams: set[http.client.HTTPConnection] = set()
        self.errors: list[str] = []
        self._server = _Server(self, self._handler_class())
        self._thread: threading.Thread | None = None

    # -- life ----------------------------------------------------------------------------------

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        """The proxy's URL of `path` (which starts with ``/``)."""
        return self.base + path

    def start(self) -> FaultProxy:
        """Start answering in a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name="fault-proxy", daemon=True
            )
            self._thread.start()
        return self

    def close(self, wait: float = 5.0) -> None:
        """End stalls, stop answering, shut every open connection and join the threads."""
        self._stop.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(wait)
        self._server.server_close()
        with self._lock:
            sockets = list(self._sockets)
            upstreams = list(self._upstreams)
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for connection in upstreams:
            if connection.sock is not None:
                with suppress(OSError):
                    connection.sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + wait
        for thread in self.threads():
            thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def threads(self) -> list[threading.Thread]:
        """The proxy's threads still alive (the serving thread and the handlers)."""
        with self._lock:
            threads = [t for t in self._threads if t.is_alive()]
        if self._thread is not None and self._thread.is_alive():
            threads.append(self._thread)
        return threads

    # -- the switchboard and the records -------------------------------------------------------

    def fault(self, path: str, fault: ProxyFault) -> None:
        """Queue a misbehaviour for the next requests of `path`."""
        with self._lock:
            self._faults.setdefault(path, []).append(fault)

    def clear_faults(self, path: str | None = None) -> None:
        """Forget the faults still queued (for `path`, or all)."""
        with self._lock:
            if path is None:
                self._faults.clear()
            else:
                self._faults.pop(path, None)

    def hits(self, path: str | None = None) -> list[ProxyHit]:
        """The requests seen (for `path`, or all), in order."""
        with self._lock:
            return [h for h in self._hits if path is None or h.path == path]

    def sent(self, path: str | None = None) -> int:
        """Body bytes relayed to clients (for `path`, or all)."""
        with self._lock:
            return sum(h.sent for h in self._hits if path is None or h.path == path)

    def statuses(self, path: str) -> list[int]:
        """The statuses answered for `path`, in order."""
        return [hit.status for hit in self.hits(path)]

    def _take_fault(self, path: str, ranged: bool) -> ProxyFault | None:
        with self._lock:
            queue = self._faults.get(path, [])
            for fault in queue:
                if fault.only_ranged and not ranged:
                    continue
                fault.times -= 1
                if fault.times <= 0:
                    queue.remove(fault)
                return fault
        return None

    def _record(self, hit: ProxyHit) -> None:
        with self._lock:
            self._hits.append(hit)

    def _count(self, hit: ProxyHit, size: int) -> None:
        with self._lock:
            hit.sent += size

    def _error(self, text: str) -> None:
        with self._lock:
            self.errors.append(text)

    def _track(self, thread: threading.Thread) -> None:
        with self._lock:
            self._threads = {t for t in self._threads if t.is_alive()}
            self._threads.add(thread)

    def _open_socket(self, sock: socket.socket, is_open: bool) -> None:
        with self._lock:
            if is_open:
                self._sockets.add(sock)
            else:
                self._sockets.discard(sock)

    def _open_upstream(self, connection: http.client.HTTPConnection, is_open: bool) -> None:
        with self._lock:
            if is_open:
                self._upstreams.add(connection)
            else:
                self._upstreams.discard(connection)

    # -- the handler ---------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(_RelayHandler):
            owner = proxy
            timeout = proxy.timeout

        return Handler


class _ClientGone(Exception):
    """Writing to the client failed: it closed the connection (after its read timeout...)."""


class _RelayHandler(BaseHTTPRequestHandler):
    """Forwards one request upstream and relays the answer, applying the fault of the request."""

    protocol_version = "HTTP/1.1"
    owner: FaultProxy

    def setup(self) -> None:
        super().setup()
        self.owner._open_socket(self.connection, True)

    def finish(self) -> None:
        self.owner._open_socket(self.connection, False)
        with suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the tests read the records instead."""

    def do_GET(self) -> None:
        self._relay()

    def do_HEAD(self) -> None:
        self._relay()

    def do_POST(self) -> None:
        self._relay()

    def do_PUT(self) -> None:
        self._relay()

    def do_DELETE(self) -> None:
        self._relay()

    # -- one request ---------------------------------------------------------------------------

    def _relay(self) -> None:
        path = urlsplit(self.path).path
        hit = ProxyHit(
            path=path,
            method=self.command,
            range=self.headers.get("Range"),
            if_range=self.headers.get("If-Range"),
            headers={k.lower(): v for k, v in self.headers.items()},
        )
        fault = self.owner._take_fault(path, hit.range is not None)
        hit.fault = fault.kind if fault is not None else None
        self.owner._record(hit)
        length = self.headers.get("Content-Length", "")
        body = self.rfile.read(int(length)) if length.isdigit() and int(length) > 0 else None
        try:
            self._answer(hit, fault, body)
        except _ClientGone:
            self.close_connection = True
        finally:
            if fault is not None and fault.then is not None:
                fault.then()

    def _answer(self, hit: ProxyHit, fault: ProxyFault | None, body: bytes | None) -> None:
        kind = fault.kind if fault is not None else None
        if fault is not None and kind == "delay" and self.owner._stop.wait(fault.seconds):
            self._cut()
            return
        if fault is not None and kind == "status":
            extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            if fault.body:
                self._simple(hit, fault.status, extra, body=fault.body, type_=fault.content_type)
            else:
                self._simple(hit, fault.status, extra)
            return
        connection = http.client.HTTPConnection(
            self.owner._host, self.owner._port, timeout=self.owner.timeout
        )
        self.owner._open_upstream(connection, True)
        try:
            try:
                response = self._ask_upstream(connection, fault, body)
            except (OSError, http.client.HTTPException) as exc:
                self._simple(hit, 502, {}, f"upstream {self.owner.upstream} failed: {exc!r}")
                return
            hit.forwarded = True
            self._relay_answer(hit, fault, response)
        finally:
            self.owner._open_upstream(connection, False)
            connection.close()

    def _ask_upstream(
        self, connection: http.client.HTTPConnection, fault: ProxyFault | None, body: bytes | None
    ) -> http.client.HTTPResponse:
        dropped = set(HOP_BY_HOP) | {"host"}
        if fault is not None and fault.kind == "ignore_range":
            dropped |= {"range", "if-range"}
        if fault is not None:
            dropped |= {name.lower() for name in fault.request_headers}
        connection.putrequest(
            self.command, self.owner._prefix + self.path, skip_host=True, skip_accept_encoding=True
        )
        connection.putheader("Host", self.owner._netloc)
        for name, value in self.headers.items():
            if name.lower() not in dropped:
                connection.putheader(name, value)
        connection.putheader("Connection", "close")
        connection.endheaders(body)
        return connection.getresponse()

    def _relay_answer(
        self, hit: ProxyHit, fault: ProxyFault | None, response: http.client.HTTPResponse
    ) -> None:
        kind = fault.kind if fault is not None else None
        dropped = set(HOP_BY_HOP) | {"content-length"}
        if fault is not None:
            dropped |= {name.lower() for name in fault.response_headers}
        headers = [(k, v) for k, v in response.getheaders() if k.lower() not in dropped]
        status = response.status
        declared_text = response.getheader("Content-Length")
        self.send_response_only(status, response.reason)
        for name, value in headers:
            self.send_header(name, value)
        hit.status = status
        if self.command == "HEAD" or status in {204, 304} or status < 200:
            if declared_text is not None and self.command == "HEAD":
                self.send_header("Content-Length", declared_text)
            self._end_headers()
            return
        known = None if response.chunked else response.length
        framing: str | None = None  # None: Content-Length; "chunked"; "close"
        budget: int | None = None
        if fault is not None and kind in _CUT_AFTER_BUDGET:
            budget = max(0, fault.after)
        if fault is not None and kind == "truncate":
            framing = fault.framing
        elif known is None:
            framing = "chunked"
        if framing == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        elif framing == "close":
            self.send_header("Connection", "close")
        else:
            assert known is not None
            declared = known + (fault.delta if fault is not None and kind == "length" else 0)
            if fault is not None and kind == "length" and fault.delta < 0:
                budget = max(0, declared)
            self.send_header("Content-Length", str(max(0, declared)))
        self._end_headers()
        corrupt_at = fault.after if fault is not None and kind == "corrupt" else None
        complete = self._stream(hit, response, budget, framing == "chunked", corrupt_at)
        self._end_body(fault, framing, complete)

    def _stream(
        self,
        hit: ProxyHit,
        response: http.client.HTTPResponse,
        budget: int | None,
        chunked: bool,
        corrupt_at: int | None,
    ) -> bool:
        """Relay the body up to `budget` bytes; True when upstream's body ended normally."""
        sent = 0
        while budget is None or sent < budget:
            want = CHUNK if budget is None else min(CHUNK, budget - sent)
            try:
                piece = response.read1(want)
            except (OSError, http.client.HTTPException):
                return False  # upstream broke (or the proxy is closing): relay the break
            if not piece:
                return True
            if corrupt_at is not None and sent <= corrupt_at < sent + len(piece):
                flipped = bytearray(piece)
                flipped[corrupt_at - sent] ^= 0xFF
                piece = bytes(flipped)
            framed = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
            self._write(framed)
            sent += len(piece)
            self.owner._count(hit, len(piece))
        return True

    def _end_body(self, fault: ProxyFault | None, framing: str | None, complete: bool) -> None:
        kind = fault.kind if fault is not None else None
        if fault is not None and kind == "stall":
            self.owner._stop.wait(fault.seconds)
            self._cut()
        elif kind == "reset":
            self._reset()
        elif kind in {"drop", "length"} or not complete or framing == "close":
            self._cut()
        elif framing == "chunked":
            self._write(b"0\r\n\r\n")
            if kind == "truncate":
                self.close_connection = True  # upstream's body is left unread

    # -- writing -------------------------------------------------------------------------------

    def _simple(
        self,
        hit: ProxyHit,
        status: int,
        headers: dict[str, str],
        text: str = "",
        *,
        body: bytes = b"",
        type_: str = "text/plain; charset=utf-8",
    ) -> None:
        """An answer of the proxy itself (a fault's status, or 502 when upstream failed)."""
        body = body or (text or f"{status} {HTTPStatus(status).phrase}").encode() + b"\n"
        self.send_response_only(status)
        self.send_header("Content-Type", type_)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self._end_headers()
        hit.status = status
        if self.command != "HEAD":
            self._write(body)

    def _end_headers(self) -> None:
        try:
            self.end_headers()
        except OSError as exc:
            raise _ClientGone from exc

    def _write(self, data: bytes) -> None:
        try:
            self.wfile.write(data)
        except OSError as exc:
            raise _ClientGone from exc

    def _cut(self) -> None:
        """Close the connection cleanly (FIN) after what was sent."""
        self.close_connection = True
        with suppress(OSError):
            self.wfile.flush()
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _reset(self) -> None:
        """Abort the connection (RST): linger 0, then close the descriptor itself now.

        The socket is detached first, so the handler's own file objects and the server's
        shutdown of the request find it closed instead of touching a reused descriptor.
        """
        self.close_connection = True
        with suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with suppress(OSError):
            os.close(self.connection.detach())
