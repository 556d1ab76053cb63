"""A real threaded HTTP server on 127.0.0.1 that serves a folder like a static OPDS host.

Files get a strong ETag (SHA-256 of the content) and a Last-Modified (the file's mtime), and
conditional requests get 304. Optional HTTP Basic or Digest (RFC 7616, MD5, qop=auth)
authentication, with an optional Authentication for OPDS document sent with every 401. It records
every request (path, status, whether an Authorization header came) for the tests to inspect.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import socket
import threading
from contextlib import suppress
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

TYPES = {
    ".xml": "application/atom+xml;profile=opds-catalog",
    ".atom": "application/atom+xml",
    ".json": "application/opds+json",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".epub": "application/epub+zip",
    ".html": "text/html; charset=utf-8",
}
_DIGEST_FIELD = re.compile(r'(\w+)=(?:"([^"]*)"|([^\s,]+))')


@dataclass(frozen=True)
class Seen:
    """One request the server answered."""

    path: str
    status: int
    authorization: bool


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


class CatalogServer:
    """Serve `root` on 127.0.0.1 (port 0 until `start`), optionally behind Basic or Digest.

    Args:
        root: the folder to serve (it may be filled after construction, before requests).
        auth: None, "basic" or "digest".
        user, password: the one account accepted.
        realm: the realm of the challenge.
        auth_document: bytes of an Authentication for OPDS document sent with each 401.
        auth_document_type: its Content-Type.
        not_found_reason: the reason phrase of its 404 answers (a server's own words, which a
            client shows in its error), instead of "Not Found".
    """

    def __init__(
        self,
        root: Path,
        *,
        auth: str | None = None,
        user: str = "reader",
        password: str = "",
        realm: str = "Mutolaa test catalogue",
        auth_document: bytes | None = None,
        auth_document_type: str = "application/opds-authentication+json",
        not_found_reason: str | None = None,
    ) -> None:
        self.root = root
        self.auth = auth
        self.user = user
        self.password = password
        self.realm = realm
        self.auth_document = auth_document
        self.auth_document_type = auth_document_type
        self.not_found_reason = not_found_reason
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._nonces: set[str] = set()
        self._connections: set[socket.socket] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._server.server_address[1])

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> CatalogServer:
        """Start answering in a background thread."""
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering and close the listening socket (connections are then refused)."""
        if self._thread is None:
            return
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            open_connections = list(self._connections)
        for connection in open_connections:  # kept-alive connections would go on answering
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._thread.join(5)
        self._thread = None

    def statuses(self, path: str) -> list[int]:
        """The statuses answered for `path`, in order."""
        with self._lock:
            return [seen.status for seen in self.seen if seen.path == path]

    def _record(self, path: str, status: int, authorization: bool) -> None:
        with self._lock:
            self.seen.append(Seen(path, status, authorization))

    # -- authentication ------------------------------------------------------------------------

    def _authorized(self, header: str, method: str) -> bool:
        if self.auth == "basic":
            expected = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return header == f"Basic {expected}"
        if self.auth == "digest":
            if not header.startswith("Digest "):
                return False
            fields = {
                m.group(1): m.group(2) or m.group(3) or "" for m in _DIGEST_FIELD.finditer(header)
            }
            if fields.get("nonce") not in self._nonces or fields.get("username") != self.user:
                return False
            ha1 = _md5(f"{self.user}:{self.realm}:{self.password}")
            ha2 = _md5(f"{method}:{fields.get('uri', '')}")
            expected = _md5(
                f"{ha1}:{fields['nonce']}:{fields.get('nc', '')}:{fields.get('cnonce', '')}:"
                f"{fields.get('qop', '')}:{ha2}"
            )
            return fields.get("response") == expected
        return True

    def _challenge(self) -> str:
        if self.auth == "digest":
            nonce = secrets.token_hex(16)
            with self._lock:
                self._nonces.add(nonce)
            return f'Digest realm="{self.realm}", qop="auth", nonce="{nonce}", algorithm=MD5'
        return f'Basic realm="{self.realm}"'

    # -- the handler ---------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                with server._lock:
                    server._connections.add(self.connection)

            def finish(self) -> None:
                with server._lock:
                    server._connections.discard(self.connection)
                with suppress(OSError):
                    super().finish()

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
                path = unquote(urlsplit(self.path).path)
                server._record(path, status, "Authorization" in self.headers)
                reason = server.not_found_reason if status == 404 else None
                self.send_response(status, reason)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_HEAD(self) -> None:
                self.do_GET()

            def do_GET(self) -> None:
                if server.auth and not server._authorized(
                    self.headers.get("Authorization", ""), self.command
                ):
                    headers = {"WWW-Authenticate": server._challenge()}
                    body = b""
                    if server.auth_document is not None:
                        headers["Content-Type"] = server.auth_document_type
                        body = server.auth_document
                    self._send(401, headers, body)
                    return
                relative = unquote(urlsplit(self.path).path).lstrip("/")
                target = (server.root / relative).resolve()
                root = server.root.resolve()
                if root not in target.parents or not target.is_file():
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                    return
                data = target.read_bytes()
                etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
                mtime = int(os.stat(target).st_mtime)
                last_modified = formatdate(mtime, usegmt=True)
                validators = {"ETag": etag, "Last-Modified": last_modified}
                if self._not_modified(etag, mtime):
                    self._send(304, validators)
                    return
                if target.name == "opensearch.xml":
                    content_type = "application/opensearchdescription+xml"
                else:
                    content_type = TYPES.get(target.suffix.lower(), "application/octet-stream")
                self._send(200, {"Content-Type": content_type, **validators}, data)

            def _not_modified(self, etag: str, mtime: int) -> bool:
                match = self.headers.get("If-None-Match")
                if match is not None:
                    return etag in [tag.strip() for tag in match.split(",")] or match == "*"
                since = self.headers.get("If-Modified-Since")
                if since:
                    try:
                        return mtime <= parsedate_to_datetime(since).timestamp()
                    except (TypeError, ValueError):
                        return False
                return False

        return Handler
