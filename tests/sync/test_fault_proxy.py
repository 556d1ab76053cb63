"""Downloads through a fault-injecting proxy in front of honest servers on 127.0.0.1.

The servers (`RangeServer` with no faults of its own, and `CatalogServer`, a static host that
ignores Range) behave; the faults happen on the wire between them and the client: a connection
dropped or reset mid-body, a stall, 500, 503 and 429 answers, a truncated body, a wrong
Content-Length, a corrupted byte, a middlebox dropping If-Range, a file that changes between two
attempts. Each download ends with the upstream's current bytes and nothing else in the folder, or
fails with a one-line `DownloadError`/`VerificationError` that says why, with no file under the
final name.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
import requests

from sync.downloads import DownloadResult, download
from sync.errors import DownloadError, VerificationError
from sync.http import HttpClient, HttpPolicy
from tests.support.catalog_server import CatalogServer
from tests.support.fault_proxy import FaultProxy, ProxyFault
from tests.support.range_server import Fault, RangeServer, running

READ_TIMEOUT = 0.4
POLICY = HttpPolicy(
    connect_timeout=2, read_timeout=READ_TIMEOUT, backoff_base=0.01, backoff_max=0.05
)
SIZE = 400_000
PATH = "/books/kitob.epub"
NAME = "kitob.epub"


def book(size: int = SIZE, seed: int = 1) -> bytes:
    """Incompressible bytes, different for each seed."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with running() as srv:
        yield srv


@pytest.fixture
def proxy(server: RangeServer) -> Iterator[FaultProxy]:
    with FaultProxy(server.base, timeout=5) as px:
        yield px
    assert px.errors == []
    assert px.threads() == []


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sleeps: list[float]) -> Iterator[HttpClient]:
    with HttpClient(POLICY, sleep=sleeps.append) as http:
        yield http


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "downloads"


def delivered(result: DownloadResult, folder: Path, data: bytes) -> None:
    """The file is the upstream's bytes and the folder holds nothing else."""
    assert result.path.read_bytes() == data
    assert result.sha256 == sha(data)
    assert leftovers(folder) == [result.path.name]


def one_line(error: pytest.ExceptionInfo[DownloadError], *fragments: str) -> str:
    message = str(error.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    return message


# -- the proxy itself ------------------------------------------------------------------------


def test_an_honest_proxy_relays_the_file_and_the_request_headers(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put(PATH, data)
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, data)
    (hit,) = proxy.hits(PATH)
    assert (hit.method, hit.status, hit.sent, hit.fault, hit.forwarded) == (
        "GET",
        200,
        SIZE,
        None,
        True,
    )
    (upstream,) = server.hits(PATH)
    assert upstream.headers["accept-encoding"] == "identity"
    assert upstream.headers["user-agent"] == POLICY.user_agent
    assert upstream.headers["host"] == server.base.removeprefix("http://")


def test_the_proxy_forwards_range_if_range_and_authorization(
    server: RangeServer, proxy: FaultProxy
) -> None:
    data = book()
    served = server.put(PATH, data)
    server.require_basic("/private.epub", "reader", "sir")
    server.put("/private.epub", data)
    with requests.Session() as session:
        part = session.get(
            proxy.url(PATH), headers={"Range": "bytes=100-199", "If-Range": served.etag}
        )
        assert part.status_code == 206
        assert part.headers["Content-Range"] == f"bytes 100-199/{SIZE}"
        assert part.content == data[100:200]
        stale = session.get(proxy.url(PATH), headers={"Range": "bytes=100-", "If-Range": '"old"'})
        assert stale.status_code == 200
        assert stale.content == data
        assert session.get(proxy.url("/private.epub")).status_code == 401
        allowed = session.get(proxy.url("/private.epub"), auth=("reader", "sir"))
        assert allowed.status_code == 200
        assert allowed.content == data
        assert session.get(proxy.url("/missing.epub")).status_code == 404
    assert [h.range for h in proxy.hits(PATH)] == ["bytes=100-199", "bytes=100-"]
    assert proxy.statuses("/private.epub") == [401, 200]
    assert server.hits("/private.epub")[1].headers["authorization"].startswith("Basic ")


def test_the_proxy_relays_conditional_answers_of_a_static_host(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / "feed.xml").write_bytes(b"<feed/>")
    host = CatalogServer(root).start()
    try:
        with FaultProxy(host.base, timeout=5) as px, requests.Session() as session:
            first = session.get(px.url("/feed.xml"))
            etag = first.headers["ETag"]
            again = session.get(px.url("/feed.xml"), headers={"If-None-Match": etag})
            head = session.head(px.url("/feed.xml"))
        assert (first.status_code, first.content) == (200, b"<feed/>")
        assert (again.status_code, again.content) == (304, b"")
        assert (head.status_code, head.headers["Content-Length"], head.content) == (200, "7", b"")
        assert px.statuses("/feed.xml") == [200, 304, 200]
        assert px.errors == []
    finally:
        host.stop()


def test_the_proxy_streams_the_body_instead_of_buffering_it(
    server: RangeServer, proxy: FaultProxy
) -> None:
    """While upstream holds back the rest, the first bytes have already crossed the proxy."""
    data = book()
    server.put(PATH, data)
    server.fault(PATH, Fault("stall", after=50_000, seconds=30))  # upstream's, for this test only
    connection = http.client.HTTPConnection("127.0.0.1", int(proxy.base.rsplit(":", 1)[1]), 5)
    try:
        started = time.monotonic()
        connection.request("GET", PATH)
        response = connection.getresponse()
        assert response.getheader("Content-Length") == str(SIZE)
        assert response.read(50_000) == data[:50_000]
        assert time.monotonic() - started < 5
    finally:
        connection.close()


def test_close_ends_a_stall_and_joins_every_thread(server: RangeServer) -> None:
    server.put(PATH, book())
    px = FaultProxy(server.base, timeout=5).start()
    px.fault(PATH, ProxyFault("stall", after=1000, seconds=60))
    with socket.create_connection(("127.0.0.1", int(px.base.rsplit(":", 1)[1])), 5) as sock:
        sock.sendall(f"GET {PATH} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert sock.recv(1) == b"H"  # the answer has begun: the handler is in its stall now
        deadline = time.monotonic() + 5
        while px.sent(PATH) < 1000 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert px.sent(PATH) == 1000
        started = time.monotonic()
        px.close()
        assert time.monotonic() - started < 3
        assert px.threads() == []
    assert px.errors == []


def test_an_unknown_fault_is_refused_with_its_name() -> None:
    with pytest.raises(ValueError, match="unknown proxy fault 'explode'; known kinds: corrupt"):
        ProxyFault("explode")


# -- a dropped connection ------------------------------------------------------------------


@pytest.mark.parametrize("after", [0, 1, 16_384, 65_536, SIZE // 2, SIZE - 1])
def test_a_drop_mid_body_resumes_with_only_the_rest(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path, after: int
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("drop", after=after))
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, data)
    first, second = proxy.hits(PATH)
    assert (first.status, first.sent, first.fault) == (200, after, "drop")
    if after == 0:  # nothing kept: a plain request again
        assert (second.range, second.status, second.sent) == (None, 200, SIZE)
    else:
        assert second.range == f"bytes={after}-"
        assert second.if_range == server.state.files[PATH].etag
        assert (second.status, second.sent) == (206, SIZE - after)
    assert result.transferred == SIZE


def test_a_reset_connection_resumes_from_what_reached_the_disk(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("reset", after=SIZE // 2))
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, data)
    first, second = proxy.hits(PATH)
    assert first.fault == "reset"
    assert second.range is not None
    kept = int(second.range.removeprefix("bytes=").removesuffix("-"))
    assert 0 < kept <= SIZE // 2  # an RST may discard what the client had not read yet
    assert (second.status, second.sent) == (206, SIZE - kept)


def test_a_connection_that_keeps_dropping_fails_and_keeps_the_part_for_later(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("drop", after=10_000, times=6))
    url = proxy.url(PATH)
    with pytest.raises(DownloadError) as error:
        download(url, folder, client=client, max_retries=5)
    one_line(error, url, "the connection broke 6 times", "60000 bytes are kept")
    assert leftovers(folder) == [NAME + ".part", NAME + ".part.json"]
    assert json.loads((folder / (NAME + ".part.json")).read_text())["url"] == url
    before = len(proxy.hits(PATH))
    result = download(url, folder, client=client)
    delivered(result, folder, data)
    (resume,) = proxy.hits(PATH)[before:]
    assert (resume.range, resume.sent) == ("bytes=60000-", SIZE - 60_000)


# -- stalls --------------------------------------------------------------------------------


def test_a_stall_longer_than_the_read_timeout_is_a_break_and_resumes(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("stall", after=150_000, seconds=30))
    started = time.monotonic()
    result = download(proxy.url(PATH), folder, client=client)
    assert time.monotonic() - started < READ_TIMEOUT + 3
    delivered(result, folder, data)
    first, second = proxy.hits(PATH)
    assert (first.sent, second.range, second.sent) == (150_000, "bytes=150000-", SIZE - 150_000)
    assert any("ConnectionError" in note for note in result.notes)


def test_a_stall_shorter_than_the_read_timeout_is_just_slow(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("delay", seconds=READ_TIMEOUT / 4))
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, data)
    assert result.attempts == 1
    assert result.notes == ()


def test_no_answer_within_the_read_timeout_is_retried_then_fails_clearly(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path, sleeps: list[float]
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("delay", seconds=30, times=2))
    delivered(download(proxy.url(PATH), folder, client=client), folder, data)
    assert len(sleeps) == 2  # two backoffs of the HTTP client, waited through the injected sleep
    proxy.fault(PATH, ProxyFault("delay", seconds=30, times=POLICY.max_retries + 1))
    other = folder.parent / "other"
    url = proxy.url(PATH)
    with pytest.raises(DownloadError) as error:
        download(url, other, client=client)
    one_line(error, url, "no connection (ReadTimeout)", f"after {POLICY.max_retries + 1} attempts")
    assert leftovers(other) == []


# -- error answers ------------------------------------------------------------------------


def test_500s_are_retried_with_backoff_and_upstream_is_asked_once(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path, sleeps: list[float]
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("status", status=500, times=2))
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, data)
    assert proxy.statuses(PATH) == [500, 500, 200]
    assert [h.forwarded for h in proxy.hits(PATH)] == [False, False, True]
    assert len(server.hits(PATH)) == 1
    assert len(sleeps) == 2
    assert all(0 < s <= POLICY.backoff_max for s in sleeps)


def test_500s_that_never_end_fail_with_the_status_and_leave_nothing(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    server.put(PATH, book())
    proxy.fault(PATH, ProxyFault("status", status=500, times=POLICY.max_retries + 1))
    url = proxy.url(PATH)
    with pytest.raises(DownloadError) as error:
        download(url, folder, client=client)
    one_line(error, url, "answered 500 Internal Server Error", "after 5 attempts")
    assert leftovers(folder) == []
    assert server.hits(PATH) == []


def test_503_on_the_ranged_resume_is_retried_and_sends_only_the_rest(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("drop", after=SIZE // 2))
    proxy.fault(PATH, ProxyFault("status", status=503, times=2, only_ranged=True))
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, data)
    assert proxy.statuses(PATH) == [200, 503, 503, 206]
    assert [h.range for h in proxy.hits(PATH)[1:]] == [f"bytes={SIZE // 2}-"] * 3
    assert proxy.sent(PATH) - SIZE // 2 == SIZE - SIZE // 2


@pytest.mark.parametrize("kind", ["seconds", "http-date"])
def test_429_waits_for_retry_after_through_the_injected_sleep(
    server: RangeServer, proxy: FaultProxy, folder: Path, sleeps: list[float], kind: str
) -> None:
    data = book()
    server.put(PATH, data)
    value = "1" if kind == "seconds" else formatdate(time.time() + 20, usegmt=True)
    proxy.fault(PATH, ProxyFault("status", status=429, retry_after=value))
    started = time.monotonic()
    with HttpClient(POLICY, sleep=sleeps.append) as client:
        result = download(proxy.url(PATH), folder, client=client)
    assert time.monotonic() - started < 2  # the wait went through the injected sleep
    delivered(result, folder, data)
    assert proxy.statuses(PATH) == [429, 200]
    (waited,) = sleeps
    if kind == "seconds":
        assert waited == 1.0
    else:
        assert 17 <= waited <= 20


def test_429_asking_for_too_long_a_wait_fails_at_once(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path, sleeps: list[float]
) -> None:
    server.put(PATH, book())
    proxy.fault(PATH, ProxyFault("status", status=429, retry_after="3600"))
    url = proxy.url(PATH)
    with pytest.raises(DownloadError) as error:
        download(url, folder, client=client)
    one_line(error, url, "asks to retry after 3600 s")
    assert sleeps == []
    assert leftovers(folder) == []


# -- bodies that lie -----------------------------------------------------------------------


@pytest.mark.parametrize("framing", ["chunked", "close"])
def test_a_truncated_resume_is_caught_by_the_range_total_and_resumed(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path, framing: str
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("drop", after=100_000))
    proxy.fault(PATH, ProxyFault("truncate", after=50_000, framing=framing, only_ranged=True))
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, data)
    assert [h.range for h in proxy.hits(PATH)] == [None, "bytes=100000-", "bytes=150000-"]
    assert proxy.sent(PATH) == SIZE
    assert any("ended at byte 150000" in note for note in result.notes)


@pytest.mark.parametrize("framing", ["chunked", "close"])
def test_a_truncated_body_with_a_checksum_is_rejected(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path, framing: str
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("truncate", after=123_456, framing=framing))
    with pytest.raises(VerificationError) as error:
        download(proxy.url(PATH), folder, client=client, checksums={"sha256": sha(data)})
    one_line(error, NAME, "sha256 is", "not delivered")
    assert leftovers(folder) == [NAME + ".rejected"]
    assert (folder / (NAME + ".rejected")).stat().st_size == 123_456


def test_a_truncated_body_without_a_length_is_completed_when_the_catalogue_said_more(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    """No length from the server and fewer bytes than the catalogue declares: the rest is asked
    for once, from where the body stopped."""
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("truncate", after=123_456))
    result = download(proxy.url(PATH), folder, client=client, expected_size=SIZE)
    delivered(result, folder, data)
    assert proxy.statuses(PATH) == [200, 206]
    assert "asking for the rest" in result.notes[0]


def test_a_catalogue_that_declares_too_much_is_answered_by_the_servers_416(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    """The whole file came without a length; the catalogue's size was wrong (real servers do
    that): the check for the rest gets a 416 saying the file ends there, and it is kept."""
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("truncate", after=SIZE))  # all of it, but without a length
    result = download(proxy.url(PATH), folder, client=client, expected_size=SIZE + 5000)
    delivered(result, folder, data)
    assert proxy.statuses(PATH) == [200, 416]
    assert any(f"the catalogue declared {SIZE + 5000} bytes" in note for note in result.notes)


def test_a_larger_content_length_is_a_break_then_a_restart(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("length", delta=1000))
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, data)
    # The resume asks past the end (416 for the real size, not the declared one): start again.
    assert proxy.statuses(PATH) == [200, 416, 200]
    assert any("416" in note for note in result.notes)


@pytest.mark.parametrize("checksum", [True, False])
def test_a_smaller_content_length(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path, checksum: bool
) -> None:
    """A short body that looks complete: a checksum rejects it; without one, the known limit."""
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("length", delta=-1000))
    if not checksum:
        result = download(proxy.url(PATH), folder, client=client, expected_size=SIZE)
        assert result.size == SIZE - 1000
        assert "the catalogue declared" in result.notes[0]
        return
    with pytest.raises(VerificationError) as error:
        download(proxy.url(PATH), folder, client=client, checksums={"sha256": sha(data)})
    one_line(error, NAME, f"sha256 is {sha(data[:-1000])}", f"the catalogue says {sha(data)}")
    assert not (folder / NAME).exists()
    assert leftovers(folder) == [NAME + ".rejected"]


def test_a_byte_corrupted_in_the_resumed_part_is_downloaded_again_whole(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("drop", after=SIZE // 2))
    proxy.fault(PATH, ProxyFault("corrupt", after=10, only_ranged=True))
    result = download(proxy.url(PATH), folder, client=client, checksums={"sha256": sha(data)})
    delivered(result, folder, data)
    assert [h.range for h in proxy.hits(PATH)] == [None, f"bytes={SIZE // 2}-", None]
    assert any("mismatch on a resumed file" in note for note in result.notes)


def test_a_byte_corrupted_in_a_whole_file_is_rejected(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put(PATH, data)
    proxy.fault(PATH, ProxyFault("corrupt", after=SIZE - 1))
    with pytest.raises(VerificationError, match=r"sha256 is .*not delivered"):
        download(proxy.url(PATH), folder, client=client, checksums={"sha256": sha(data)})
    assert leftovers(folder) == [NAME + ".rejected"]


# -- a file that changes between two attempts ---------------------------------------------


def test_a_file_replaced_between_the_cut_and_the_resume_is_taken_whole(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    old, new = book(seed=1), book(SIZE + 5000, seed=2)
    old_etag = server.put(PATH, old).etag
    proxy.fault(PATH, ProxyFault("drop", after=SIZE // 2, then=lambda: server.put(PATH, new)))
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, new)
    _first, second = proxy.hits(PATH)
    assert (second.range, second.if_range) == (f"bytes={SIZE // 2}-", old_etag)
    assert (second.status, second.sent) == (200, len(new))
    assert any("sent the whole file" in note for note in result.notes)


def test_a_file_replaced_between_two_calls_is_taken_whole(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    old, new = book(seed=1), book(seed=3)  # the same size: only the validator tells them apart
    server.put(PATH, old)
    proxy.fault(PATH, ProxyFault("drop", after=SIZE // 2))
    with pytest.raises(DownloadError, match="resume later"):
        download(proxy.url(PATH), folder, client=client, max_retries=0)
    server.put(PATH, new)
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, new)
    assert result.resumed_from == SIZE // 2
    assert proxy.statuses(PATH) == [200, 200]


def test_a_replaced_file_against_the_catalogue_checksum_is_rejected(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    old, new = book(seed=1), book(seed=2)
    server.put(PATH, old)
    proxy.fault(PATH, ProxyFault("drop", after=SIZE // 2, then=lambda: server.put(PATH, new)))
    with pytest.raises(VerificationError) as error:
        download(proxy.url(PATH), folder, client=client, checksums={"sha256": sha(old)})
    one_line(error, f"sha256 is {sha(new)}", f"the catalogue says {sha(old)}")
    assert leftovers(folder) == [NAME + ".rejected"]


def test_a_middlebox_dropping_if_range_cannot_splice_two_versions(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    """Without If-Range upstream answers 206 of the new file: its ETag differs, so start again."""
    old, new = book(seed=1), book(seed=2)
    server.put(PATH, old)
    proxy.fault(PATH, ProxyFault("drop", after=SIZE // 2, then=lambda: server.put(PATH, new)))
    proxy.fault(PATH, ProxyFault("strip", request_headers=("If-Range",), only_ranged=True))
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, new)
    assert proxy.statuses(PATH) == [200, 206, 200]
    assert "if-range" not in server.hits(PATH)[1].headers


def _splice_faults(
    server: RangeServer, proxy: FaultProxy, new: bytes, *, hide_on_resume: tuple[str, ...]
) -> None:
    """A server without ETag (the validator is Last-Modified) behind a middlebox that drops
    If-Range and hides `hide_on_resume` from the resumed answer; the file changes to one of the
    same size between the cut and the resume."""
    proxy.fault(
        PATH,
        ProxyFault(
            "drop", after=SIZE // 2, response_headers=("ETag",), then=lambda: server.put(PATH, new)
        ),
    )
    proxy.fault(
        PATH,
        ProxyFault(
            "strip",
            request_headers=("If-Range",),
            response_headers=hide_on_resume,
            only_ranged=True,
        ),
    )


def test_a_splice_of_two_versions_is_caught_by_the_checksum_and_downloaded_again(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    """The 206 carries no validator at all: only the checksum can tell the splice."""
    old, new = book(seed=1), book(seed=2)
    server.put(PATH, old)
    _splice_faults(server, proxy, new, hide_on_resume=("ETag", "Last-Modified"))
    result = download(proxy.url(PATH), folder, client=client, checksums={"sha256": sha(new)})
    delivered(result, folder, new)
    assert proxy.statuses(PATH) == [200, 206, 200]
    assert "if-range" not in server.hits(PATH)[1].headers
    assert any("mismatch on a resumed file" in note for note in result.notes)


def test_a_splice_under_a_changed_last_modified_is_refused_without_a_checksum(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    old, new = book(seed=1), book(seed=2)
    server.put(PATH, old)
    _splice_faults(server, proxy, new, hide_on_resume=("ETag",))
    result = download(proxy.url(PATH), folder, client=client)
    delivered(result, folder, new)
    assert proxy.statuses(PATH) == [200, 206, 200]
    assert any("the file changed on the server" in note for note in result.notes)


# -- a server that ignores Range -----------------------------------------------------------


@pytest.fixture
def static_host(tmp_path: Path) -> Iterator[tuple[CatalogServer, Path]]:
    """`CatalogServer`: strong ETags, but every GET answers 200 with the whole file."""
    root = tmp_path / "site"
    (root / "books").mkdir(parents=True)
    host = CatalogServer(root).start()
    try:
        yield host, root
    finally:
        host.stop()


def test_a_static_host_that_ignores_range_is_restarted_not_appended(
    static_host: tuple[CatalogServer, Path], client: HttpClient, folder: Path
) -> None:
    host, root = static_host
    data = book()
    (root / "books" / NAME).write_bytes(data)
    with FaultProxy(host.base, timeout=5) as px:
        px.fault(PATH, ProxyFault("drop", after=SIZE // 2))
        result = download(px.url(PATH), folder, client=client)
        hits = px.hits(PATH)
    delivered(result, folder, data)
    assert [(h.range, h.status, h.sent) for h in hits] == [
        (None, 200, SIZE // 2),
        (f"bytes={SIZE // 2}-", 200, SIZE),
    ]
    assert hits[1].if_range is not None
    assert hits[1].if_range.startswith('"')
    assert any("Range ignored or the file changed" in note for note in result.notes)
    assert px.errors == []


def test_a_static_file_rewritten_between_attempts_is_taken_whole(
    static_host: tuple[CatalogServer, Path], client: HttpClient, folder: Path
) -> None:
    host, root = static_host
    target = root / "books" / NAME
    target.write_bytes(book(seed=1))
    new = book(SIZE - 7, seed=4)
    with FaultProxy(host.base, timeout=5) as px:
        px.fault(PATH, ProxyFault("drop", after=SIZE // 3, then=lambda: target.write_bytes(new)))
        result = download(px.url(PATH), folder, client=client, checksums={"sha256": sha(new)})
    delivered(result, folder, new)
    assert host.statuses(PATH) == [200, 200]


def test_a_verification_error_names_the_url(
    server: RangeServer, proxy: FaultProxy, client: HttpClient, folder: Path
) -> None:
    server.put(PATH, book())
    url = proxy.url(PATH)
    with pytest.raises(VerificationError) as error:
        download(url, folder, client=client, checksums={"sha256": "0" * 64})
    one_line(error, url)
