"""Testing and saving library servers (app/services/catalogs/servers.py) against real servers
on 127.0.0.1: a small OPDS catalogue behind Basic or Digest, an HTML page, a closed port.

`write_catalog`, `closed_port` and `PASSWORD` are shared with tests/ui/test_library_servers.py.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from app.core.errors import UserError
from app.library.catalogs import CatalogStore
from app.services.catalogs.servers import (
    Outcome,
    ServerNameTaken,
    check_server,
    default_name,
    save_server,
)
from app.services.session import Library
from tests.support.catalog_server import CatalogServer
from tests.support.sessions import PROFILE, session_of

PASSWORD = "Maxfiy:sʻz@42/ж"
TITLE = "Maktab kutubxonasi — Oʻqish"
ROOT_FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:mutolaa:test:school</id>
  <title>{TITLE}</title>
  <updated>2024-01-01T00:00:00Z</updated>
  <link rel="self" href="/opds/root.xml"
        type="application/atom+xml;profile=opds-catalog;kind=navigation"/>
  <entry>
    <title>Yangi kitoblar</title>
    <id>urn:mutolaa:test:new</id>
    <updated>2024-01-01T00:00:00Z</updated>
    <link rel="subsection" href="new.xml"
          type="application/atom+xml;profile=opds-catalog;kind=acquisition"/>
  </entry>
</feed>
"""
HTML_PAGE = "<!DOCTYPE html><html><head><title>Welcome</title></head><body>Hi</body></html>"
AUTH_DOCUMENT = b"""{"id": "urn:test:auth", "title": "Public Library",
 "authentication": [{"type": "http://opds-spec.org/auth/basic",
   "labels": {"login": "Card number", "password": "PIN"}}]}"""


def write_catalog(root: Path) -> Path:
    """A small OPDS catalogue (`/opds/root.xml`) and an HTML page (`/page.html`) under `root`."""
    (root / "opds").mkdir(parents=True, exist_ok=True)
    (root / "opds" / "root.xml").write_text(ROOT_FEED, encoding="utf-8")
    (root / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    return root


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def secret_url(server: CatalogServer, path: str = "/opds/root.xml") -> str:
    """The server's URL with ``reader:PASSWORD@`` in it."""
    return f"http://reader:{quote(PASSWORD, safe='')}@127.0.0.1:{server.port}{path}"


@pytest.fixture
def open_server(tmp_path: Path) -> Iterator[CatalogServer]:
    server = CatalogServer(write_catalog(tmp_path / "open")).start()
    yield server
    server.stop()


@pytest.fixture(params=["basic", "digest"])
def locked(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CatalogServer]:
    server = CatalogServer(
        write_catalog(tmp_path / "locked"),
        auth=request.param,
        password=PASSWORD,
        auth_document=AUTH_DOCUMENT,
    )
    yield server.start()
    server.stop()


@pytest.fixture
def bearer() -> Iterator[str]:
    """A server that asks for a Bearer token (a sign-in the client cannot do): its root URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Bearer realm="Tokens only"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/opds/root.xml"
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_credentials_in_the_url_or_given_sign_in_and_read_the_title(
    library: Library, locked: CatalogServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    in_url = check_server(session_of(library), secret_url(locked))
    assert (in_url.outcome, in_url.title, in_url.ok) == (Outcome.OK, TITLE, True)
    assert in_url.url == f"{locked.base}/opds/root.xml"
    assert in_url.message == f"{locked.base}/opds/root.xml: connected ({TITLE})"
    given = check_server(session_of(library), f"{locked.base}/opds/root.xml", "reader", PASSWORD)
    assert given.ok
    assert locked.statuses("/opds/root.xml")[-1] in (200, 304)
    _assert_no_password(caplog, repr(in_url), repr(given))


def test_a_wrong_password_is_refused_and_none_asks_for_sign_in(
    library: Library, locked: CatalogServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"{locked.base}/opds/root.xml"
    wrong = check_server(session_of(library), url, "reader", PASSWORD + "x")
    assert (wrong.outcome, wrong.title, wrong.savable) == (Outcome.REFUSED, "Public Library", False)
    assert wrong.message == f"{url}: the server refused the user name and password"
    none = check_server(session_of(library), url)
    assert (none.outcome, none.title, none.savable) == (Outcome.SIGN_IN, "Public Library", False)
    assert none.message == f"{url}: the server asks for a user name and password"
    _assert_no_password(caplog, repr(wrong), repr(none), wrong.detail, none.detail)


def test_a_sign_in_the_client_cannot_do(library: Library, bearer: str) -> None:
    found = check_server(session_of(library), bearer, "reader", PASSWORD)
    assert (found.outcome, found.scheme, found.title) == (
        Outcome.UNSUPPORTED_SIGN_IN,
        "bearer",
        "Tokens only",
    )
    assert found.message.endswith("asks for a sign-in this program cannot do (bearer)")


def test_unreachable_not_found_not_a_feed_and_a_bad_url_are_one_line(
    library: Library, open_server: CatalogServer
) -> None:
    port = closed_port()
    gone = check_server(
        session_of(library), f"http://reader:{quote(PASSWORD, safe='')}@127.0.0.1:{port}/opds"
    )
    assert (gone.outcome, gone.savable) == (Outcome.UNREACHABLE, True)
    assert gone.detail.startswith(f"http://127.0.0.1:{port}/opds: the server cannot be reached")
    page = check_server(session_of(library), f"{open_server.base}/page.html")
    assert (page.outcome, page.savable) == (Outcome.NOT_A_FEED, False)
    assert page.message == (
        f"{open_server.base}/page.html: not an OPDS catalogue "
        "(not an OPDS Atom feed: the root element is <html>)"
    )
    missing = check_server(session_of(library), f"{open_server.base}/nothing.xml")
    assert missing.outcome is Outcome.NOT_FOUND
    assert "404" in missing.message
    bad = check_server(session_of(library), f"ftp://reader:{PASSWORD}@example.org/")
    assert (bad.outcome, bad.url) == (Outcome.BAD_URL, "")
    assert bad.message == "the address is not a valid http or https URL with a host"
    # a password with an unescaped "/" makes the address unreadable: none of it is quoted back
    slash = check_server(
        session_of(library), f"http://reader:{quote(PASSWORD)}@127.0.0.1:{port}/opds"
    )
    assert slash.outcome is Outcome.BAD_URL
    for check in (gone, page, missing, bad, slash):
        assert "\n" not in check.message
        assert PASSWORD not in check.message
        assert "Maxfiy" not in check.message


def test_a_server_that_stops_answering_is_unreachable_though_a_copy_is_cached(
    library: Library, open_server: CatalogServer
) -> None:
    url = f"{open_server.base}/opds/root.xml"
    assert check_server(session_of(library), url).ok
    open_server.stop()
    found = check_server(session_of(library), url)
    assert (found.outcome, found.title) == (Outcome.UNREACHABLE, TITLE)
    assert "cannot be reached" in found.message


def test_save_adds_and_changes_and_names_must_differ(library: Library) -> None:
    catalogs = CatalogStore(library.store, profile_id=PROFILE)
    home = save_server(
        catalogs,
        name="Home",
        url=f"http://reader:{quote(PASSWORD, safe='')}@127.0.0.1:1/opds",
        username="",
        password="",
    )
    assert (home.url, home.username, home.password) == (
        "http://127.0.0.1:1/opds",
        "reader",
        PASSWORD,
    )
    school = save_server(
        catalogs, name="School", url="http://127.0.0.1:2/", username="", password=""
    )
    with pytest.raises(
        ServerNameTaken, match="'Home' already exists; choose another name"
    ) as taken:
        save_server(catalogs, name=" Home ", url="http://127.0.0.1:3/", username="", password="")
    assert taken.value.name == "Home"
    with pytest.raises(ServerNameTaken):
        save_server(
            catalogs, name="Home", url=school.url, username="", password="", catalog_id=school.id
        )
    changed = save_server(
        catalogs,
        name="Home",
        url="http://127.0.0.1:1/opds2",
        username="reader",
        password=PASSWORD,
        catalog_id=home.id,
    )
    assert (changed.id, changed.url) == (home.id, "http://127.0.0.1:1/opds2")
    assert [c.name for c in catalogs.list()] == ["Home", "School"]
    with pytest.raises(UserError, match="needs a name"):
        save_server(catalogs, name=" ", url="http://127.0.0.1:4/", username="", password="")


def test_default_name_is_the_title_else_the_host() -> None:
    assert default_name("  Maktab   kutubxonasi ", "http://127.0.0.1:1/") == "Maktab kutubxonasi"
    assert default_name("", "http://Books.Example.org:8080/opds") == "books.example.org"


def _assert_no_password(caplog: pytest.LogCaptureFixture, *texts: str) -> None:
    logged = [record.getMessage() for record in caplog.records]
    logged += [record.exc_text or "" for record in caplog.records]
    for text in [*logged, *texts]:
        assert PASSWORD not in text
        assert quote(PASSWORD, safe="") not in text
