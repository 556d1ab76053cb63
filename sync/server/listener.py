"""Waitress as the library server runs it: many connections, and short patience with slow ones.

Waitress's defaults (100 connections, an idle connection closed after 120 s, and a request
trickled a byte at a time never closed) let 100 slow sockets lock every reader out. Here:

- up to `Limits.connections` connections (1,000; bounded by the open-file limit, whose soft
  value is raised towards the hard one at start), watched with poll(), not select(), which
  fails past 1,024 descriptors (Windows has no poll(): there, at most 448);
- a connection with no request under way is closed after `idle_timeout` seconds (Waitress's
  ``channel_timeout``, checked every second rather than every 30);
- a request whose headers are not complete `header_timeout` seconds after its first byte is
  closed, however steadily it trickles, and so is one whose body is not complete after
  `request_timeout` seconds. Waitress has no such setting: `_maintenance` below adds it to
  the check Waitress runs on its own loop (``BaseWSGIServer.maintenance``; written against
  waitress 3.0.2, which .ci/constraints.txt pins, and tested in tests/server/test_listener.py);
- `threads` worker threads (8) do the real work. A request reaches a thread only once it is
  whole, so slow sockets never hold one.
"""

from __future__ import annotations

import logging
import select
import time
from functools import partial
from typing import Any

import waitress
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer, MultiSocketServer

from sync.server.limits import Limits

log = logging.getLogger(__name__)

#: Descriptors kept free beside the connections: the database, the book reader's pipes,
#: Waitress's own trigger, temporary files of large bodies.
SPARE_FILES = 64
#: The soft open-file limit is raised to this much (or the hard limit, if lower).
WANTED_FILES = 65536
#: Sockets one select() call watches on Windows (CPython's FD_SETSIZE there).
SELECT_SOCKETS = 512


class _TimedParser(HTTPRequestParser):  # type: ignore[misc]  # waitress has no type hints
    """A request parser that knows when its request's first byte came."""

    def __init__(self, adj: Any) -> None:
        super().__init__(adj)
        self.started = time.monotonic()


class _TimedChannel(HTTPChannel):  # type: ignore[misc]
    """A connection whose requests are `_TimedParser`s."""

    parser_class = _TimedParser


def open_file_limit() -> int | None:
    """The process's open-file limit, its soft value first raised towards the hard one (None
    where there is no such limit, as on Windows)."""
    try:
        import resource  # noqa: PLC0415 - POSIX only
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = WANTED_FILES if hard == resource.RLIM_INFINITY else min(hard, WANTED_FILES)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as exc:  # macOS caps it below an unlimited hard value
            log.info("the open-file limit stays %d (not raised to %d: %s)", soft, target, exc)
    return None if soft == resource.RLIM_INFINITY else soft


def connection_limit(wanted: int, file_limit: int | None, *, has_poll: bool = True) -> int:
    """The connections Waitress may hold: `wanted`, or fewer when the open-file limit would
    not leave `SPARE_FILES` descriptors beside them, or when only select() is there (Windows:
    512 sockets at most)."""
    limit = wanted
    if file_limit is not None:
        limit = min(limit, file_limit - SPARE_FILES)
    if not has_poll:
        limit = min(limit, SELECT_SOCKETS - SPARE_FILES)
    return max(1, limit)


def create_server(app: Any, host: str, port: int, limits: Limits, **settings: Any) -> Any:
    """A Waitress server for `app` on `host`:`port` with these limits (not yet running).

    `settings` are further Waitress adjustments (``ident``, ``max_request_body_size``...).
    Call ``.run()`` on the result; ``.effective_port`` is the port taken.
    """
    wanted = limits.connections
    has_poll = hasattr(select, "poll")
    connections = connection_limit(wanted, open_file_limit(), has_poll=has_poll)
    if connections < wanted:
        log.log(
            logging.WARNING if has_poll else logging.INFO,  # on Windows, every start
            "serving at most %d connections (not %d): %s",
            connections,
            wanted,
            "the open-file limit is too low" if has_poll else "select() watches 512 at most",
        )
    server = waitress.create_server(
        app,
        host=host,
        port=port,
        threads=limits.threads,
        connection_limit=connections,
        channel_timeout=limits.idle_timeout,
        cleanup_interval=1,
        asyncore_use_poll=True,
        **settings,
    )
    listeners = server.map.values() if isinstance(server, MultiSocketServer) else [server]
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = _TimedChannel
            listener.maintenance = partial(_maintenance, listener, limits)
    return server


def _maintenance(server: Any, limits: Limits, now: float) -> None:
    """Waitress's own check (idle connections), then requests that arrive too slowly."""
    BaseWSGIServer.maintenance(server, now)
    checked = time.monotonic()
    slow = 0
    for channel in list(server.active_channels.values()):
        request = channel.request  # the request still being received, if any
        if request is None or channel.will_close or not isinstance(request, _TimedParser):
            continue
        limit = limits.request_timeout if request.headers_finished else limits.header_timeout
        if checked - request.started > limit:
            channel.will_close = True  # Waitress closes it on its next turn
            slow += 1
    if slow:
        log.info("closed %d connection(s) whose request came too slowly", slow)
