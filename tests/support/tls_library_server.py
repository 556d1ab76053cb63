"""The project's library server on 127.0.0.1 over HTTPS, with the self-signed certificate of
tests/support/tls (made for IP:127.0.0.1): a server the client refuses until its authority is
given (``MUTOLAA_CA_FILE``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from sync.server.accounts import Accounts
from sync.server.app import create_app
from sync.server.storage import Storage
from tests.support.library_server import LibraryServer

TLS = Path(__file__).resolve().parent / "tls"
#: The certificate, which is also its own authority.
CERTIFICATE = TLS / "cert.pem"


@contextmanager
def serving_https(data_dir: Path) -> Iterator[LibraryServer]:
    """Serve `data_dir` over HTTPS on a free port until the block ends (no catalogue)."""
    http = make_server(
        "127.0.0.1",
        0,
        create_app(data_dir, catalog=False),
        threaded=True,
        ssl_context=(str(CERTIFICATE), str(TLS / "key.pem")),
    )
    thread = threading.Thread(target=http.serve_forever, name="tls-library-server", daemon=True)
    thread.start()
    try:
        yield LibraryServer(
            f"https://127.0.0.1:{http.server_port}", data_dir, Accounts(Storage(data_dir))
        )
    finally:
        http.shutdown()
        thread.join(timeout=10)
        http.server_close()
