"""Waitress as the library server runs it: many connections, and short patience with slow ones.

Waitress's defaults (100 connections, an idle connection closed after 120 s, and a request
trickled a byte at a time never closed) let 100 slow sockets lock every reader out. Here:

- up to `Limits.connections` connections (1,000; bounded by the open-file limit, whose soft
  value is raised to the hard one at start), watched with poll(), not select(), which fails
  past 1,024 descriptors;
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


class _TimedParser(HTTPRequestParser):  # type: ignore[misc]  # waitress has no type hints
    """A request parser that knows when its request's first byte came."""

    def __init__(self, adj: Any) -> None:
        super().__init__(adj)
        self.started = time.monotonic()


class _TimedChannel(HTTPChannel):  # type: ignore[misc]
    """A connection whose requests are `_TimedParser`s."""

    parser_class = _TimedParser


def open_file_limit() -> int | None:
    """The process's open-file limit, its soft value first raised to the hard one (None where
    there is no such limit, as on Windows)."""
    try:
        import resource  # noqa: PLC0415 - POSIX only
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError) as exc:
            log.warning("cannot raise the open-file limit from %d to %d (%s)", soft, hard, exc)
    return None if soft == resource.RLIM_INFINITY else soft


def connection_limit(wanted: int, file_limit: int | None) -> int:
    """The connections Waitress may hold: `wanted`, or fewer when the open-file limit would
    not leave `SPARE_FILES` descriptors beside them."""
    if file_limit is None:
        return wanted
    return max(1, min(wanted, file_limit - SPARE_FILES))


def create_server(app: Any, host: str, port: int, limits: Limits, **settings: Any) -> Any:
    """A Waitress server for `app` on `host`:`port` with these limits (not yet running).

    `settings` are further Waitress adjustments (``ident``, ``max_request_body_size``...).
    Call ``.run()`` on the result; ``.effective_port`` is the port taken.
    """
    wanted = limits.connections
    connections = connection_limit(wanted, open_file_limit())
    if connections < wanted:
        log.warning(
            "serving at most %d connections (not %d): the open-file limit is too low",
            connections,
            wanted,
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
    started = time.monotonic()
    slow = 0
    for channel in list(server.active_channels.values()):
        request = channel.request  # the request still being received, if any
        if request is None or channel.will_close or not isinstance(request, _TimedParser):
            continue
        limit = limits.request_timeout if request.headers_finished else limits.header_timeout
        if started - request.started > limit:
            channel.will_close = True  # Waitress closes it on its next turn
            slow += 1
    if slow:
        log.info("closed %d connection(s) whose request came too slowly", slow)
