"""How many connections and threads the library server keeps, and how long each may take."""

from __future__ import annotations

from dataclasses import dataclass

#: Worker threads at most: each may hold a database connection and a book being sent.
MAX_THREADS = 64


@dataclass(frozen=True)
class Limits:
    """How many connections, and how long each may take (seconds).

    Attributes:
        connections: connections served at once (more wait in the listen backlog).
        idle_timeout: a connection with no request under way is closed after this long.
        header_timeout: a request's headers must be complete this long after its first byte.
        request_timeout: a request's body must be complete this long after its first byte.
        threads: worker threads for complete requests.
    """

    connections: int = 1000
    idle_timeout: int = 10
    header_timeout: int = 10
    request_timeout: int = 300
    threads: int = 8
