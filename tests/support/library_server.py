"""The project's library server (sync/server) on 127.0.0.1 in a thread, for client tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import make_server

from sync.server.accounts import Accounts
from sync.server.app import create_app
from sync.server.storage import Storage


@dataclass
class LibraryServer:
    """A running server: its URL and its accounts (as `mutolaa-server users` would change)."""

    url: str
    data_dir: Path
    accounts: Accounts

    def add_user(self, name: str, password: str) -> None:
        """Create an account."""
        self.accounts.add(name, password)


@contextmanager
def serving(
    data_dir: Path,
    books_dir: Path | None = None,
    *,
    catalog: str = "accounts",
    port: int = 0,
) -> Iterator[LibraryServer]:
    """Serve `data_dir` (and the OPDS catalogue of `books_dir`) on `port` (0: a free one) until
    the block ends; ``catalog`` says who may read the catalogue (``accounts``, as
    `mutolaa-server serve` by default, or ``public``)."""
    app = create_app(data_dir, books_dir, catalog=books_dir is not None, catalog_access=catalog)
    http = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, name="library-server", daemon=True)
    thread.start()
    try:
        yield LibraryServer(
            f"http://127.0.0.1:{http.server_port}", data_dir, Accounts(Storage(data_dir))
        )
    finally:
        http.shutdown()
        thread.join(timeout=10)
        http.server_close()
