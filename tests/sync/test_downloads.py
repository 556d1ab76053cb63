"""Resumable downloads from a real server on 127.0.0.1, with faults injected: the file ends correct
or the download fails with a clear reason, and no corrupt file is ever left under the final name."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple

import pytest

from sync.downloads import CHUNK, DownloadResult, Progress, download
from sync.errors import (
    DownloadCancelled,
    DownloadError,
    DownloadTooLargeError,
    LowDiskSpaceError,
    VerificationError,
)
from sync.http import HttpClient, HttpPolicy
from sync.naming import choose_filename, parse_content_disposition, sanitize_filename
from tests.support.range_server import Fault, RangeServer, running

POLICY = HttpPolicy(connect_timeout=2, read_timeout=1, backoff_base=0.01, backoff_max=0.05)
SIZE = 1_000_000
KIB64 = 64 * 1024


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


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with running() as srv:
        yield srv


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(POLICY, sleep=lambda _: None) as http:
        yield http


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "downloads"


def only_file(folder: Path) -> Path:
    files = [p for p in folder.iterdir() if not p.name.endswith((".part", ".json"))]
    assert len(files) == 1, files
    return files[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_plain_download(server: RangeServer, client: HttpClient, folder: Path) -> None:
    data = book()
    server.put("/books/kitob.epub", data)
    seen: list[Progress] = []
    result = download(server.url("/books/kitob.epub"), folder, client=client, progress=seen.append)
    assert result.path == folder / "kitob.epub"
    assert result.sha256 == sha(data) == sha(result.path.read_bytes())
    assert result.size == SIZE
    assert result.attempts == 1
    assert leftovers(folder) == ["kitob.epub"]
    assert seen[-1].received == SIZE
    assert seen[-1].total == SIZE
    assert seen[-1].speed >= 0


def test_resume_after_a_cut_at_half_sends_only_the_rest(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    """T10: a download cut at 50 % resumes; the server sends at most the rest + 64 KiB."""
    data = book()
    server.put("/b.epub", data)
    server.fault("/b.epub", Fault("drop", after=SIZE // 2))
    result = download(server.url("/b.epub"), folder, client=client)
    first, second = server.hits("/b.epub")
    assert first.sent == SIZE // 2
    assert second.headers["range"] == f"bytes={SIZE // 2}-"
    assert second.headers["if-range"].startswith('"')
    assert second.headers["accept-encoding"] == "identity"
    assert second.status == 206
    assert second.sent <= SIZE - SIZE // 2 + KIB64
    assert result.sha256 == sha(data)
    assert result.transferred == SIZE
    print(f"T10: file {SIZE} B, cut at {first.sent} B, resume sent {second.sent} B")


def test_resume_in_a_later_call_after_a_cancel(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    # larger than a read (CHUNK): one socket read could otherwise bring the whole file before
    # the cancel is asked (it is asked between reads)
    size = 3 * CHUNK
    data = book(size)
    server.put("/b.epub", data)
    part = folder / "b.epub.part"

    def stop_at_half() -> bool:
        return part.exists() and part.stat().st_size >= size // 2

    with pytest.raises(DownloadCancelled, match="partial file is kept"):
        download(server.url("/b.epub"), folder, client=client, cancel=stop_at_half)
    assert not (folder / "b.epub").exists()
    sidecar = json.loads((folder / "b.epub.part.json").read_text())
    assert sidecar["etag"].startswith('"')
    kept = (folder / "b.epub.part").stat().st_size
    assert kept >= size // 2
    before = server.sent("/b.epub")
    result = download(server.url("/b.epub"), folder, client=client)
    assert result.resumed_from == kept
    assert server.sent("/b.epub") - before == size - kept
    assert result.sha256 == sha(data)
    assert leftovers(folder) == ["b.epub"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes; Windows keeps other users out by ACLs")
def test_a_download_is_private_to_its_owner_whatever_the_umask(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    size = 3 * CHUNK
    server.put("/b.epub", book(size))
    target = folder / "new"
    part = target / "b.epub.part"
    old = os.umask(0o022)  # Debian's default: files 0644, folders 0755
    try:
        with pytest.raises(DownloadCancelled):
            download(
                server.url("/b.epub"),
                target,
                client=client,
                cancel=lambda: part.exists() and part.stat().st_size >= size // 2,
            )
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in target.iterdir()}
        assert modes == {"b.epub.part": 0o600, "b.epub.part.json": 0o600}
        assert stat.S_IMODE(target.stat().st_mode) == 0o700
        download(server.url("/b.epub"), target, client=client)
        assert stat.S_IMODE((target / "b.epub").stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_weak_etag_resumes_with_last_modified(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    data = book()
    served = server.put("/w.epub", data, weak_etag=True)
    server.fault("/w.epub", Fault("drop", after=300_000))
    result = download(server.url("/w.epub"), folder, client=client)
    second = server.hits("/w.epub")[1]
    assert second.headers["if-range"] == served.last_modified
    assert second.status == 206
    assert result.sha256 == sha(data)


def test_no_validator_restarts_instead_of_guessing(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put("/n.epub", data, no_validators=True)
    server.fault("/n.epub", Fault("drop", after=300_000))
    result = download(server.url("/n.epub"), folder, client=client)
    assert "range" not in server.hits("/n.epub")[1].headers
    assert result.sha256 == sha(data)


@pytest.mark.parametrize(
    "fault",
    [
        Fault("drop", after=123_457),
        Fault("drop", after=0),
        Fault("drop", after=400_000, times=3),
        Fault("stall", after=200_000, seconds=5),
        Fault("status", status=500, times=2),
        Fault("status", status=503, times=1, only_ranged=True),
        Fault("status", status=429, retry_after="0"),
        Fault("length", delta=+5000),
        Fault("ignore_range", only_ranged=True),
        Fault("416", only_ranged=True),
    ],
    ids=lambda f: f"{f.kind}-{f.after or f.status}",
)
def test_each_fault_ends_with_the_right_file(
    server: RangeServer, client: HttpClient, folder: Path, fault: Fault
) -> None:
    data = book()
    server.put("/f.epub", data)
    server.fault("/f.epub", Fault("drop", after=250_000))  # so the ranged faults have a resume
    server.fault("/f.epub", fault)
    result = download(server.url("/f.epub"), folder, client=client, checksums={"sha256": sha(data)})
    assert result.sha256 == sha(data)
    assert (folder / "f.epub").read_bytes() == data
    assert leftovers(folder) == ["f.epub"]


def test_a_range_ignoring_server_restarts_instead_of_appending(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put("/i.epub", data)
    server.fault("/i.epub", Fault("drop", after=SIZE // 2))
    server.fault("/i.epub", Fault("ignore_range", times=5, only_ranged=True))
    result = download(server.url("/i.epub"), folder, client=client)
    assert server.hits("/i.epub")[1].status == 200
    assert result.path.read_bytes() == data
    assert any("whole file" in note for note in result.notes)


def test_pythons_http_server_restarts_instead_of_appending(tmp_path: Path, folder: Path) -> None:
    """http.server ignores Range: a partial file left by an earlier cut must not be appended to."""
    root = tmp_path / "www"
    root.mkdir()
    data = book(300_000)
    (root / "s.epub").write_bytes(data)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/s.epub"
        with HttpClient(POLICY) as http, http.open(url) as first:
            modified = first.headers["Last-Modified"]
        folder.mkdir()
        (folder / "s.epub.part").write_bytes(data[:100_000])
        sidecar = {"url": url, "name": "s.epub", "part": "s.epub.part", "etag": None}
        sidecar |= {"last_modified": modified, "size": len(data), "version": 1}
        (folder / "s.epub.part.json").write_text(json.dumps(sidecar))
        result = download(url, folder)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.resumed_from == 100_000
    assert result.transferred == len(data)
    assert result.path.read_bytes() == data


def test_a_file_that_changes_between_attempts_is_taken_whole_in_its_new_version(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    old, new = book(seed=1), book(SIZE + 1000, seed=2)
    server.put("/c.epub", old)
    server.fault("/c.epub", Fault("drop", after=SIZE // 2, new_data=new))
    result = download(server.url("/c.epub"), folder, client=client)
    _first, second = server.hits("/c.epub")
    assert "if-range" in second.headers
    assert second.status == 200  # If-Range no longer matches: the whole new version
    assert result.path.read_bytes() == new
    assert leftovers(folder) == ["c.epub"]


def test_a_server_that_ignores_if_range_is_caught_by_the_etag(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    old, new = book(seed=1), book(seed=3)
    server.put("/e.epub", old)
    server.fault("/e.epub", Fault("drop", after=SIZE // 2, new_data=new))
    server.fault("/e.epub", Fault("ignore_if_range", only_ranged=True))
    result = download(server.url("/e.epub"), folder, client=client)
    statuses = [h.status for h in server.hits("/e.epub")]
    assert statuses == [200, 206, 200]
    assert result.path.read_bytes() == new


def test_a_part_that_does_not_start_where_asked_restarts(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put("/p.epub", data)
    server.fault("/p.epub", Fault("drop", after=300_000))
    server.fault("/p.epub", Fault("wrong_start", only_ranged=True))
    result = download(server.url("/p.epub"), folder, client=client)
    statuses = [h.status for h in server.hits("/p.epub")]
    assert statuses == [200, 206, 200]
    assert "range" not in server.hits("/p.epub")[2].headers
    assert result.path.read_bytes() == data


def test_a_complete_part_left_by_a_crash_is_finished_by_a_416(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    data = book()
    served = server.put("/d.epub", data)
    folder.mkdir()
    (folder / "d.epub.part").write_bytes(data)
    sidecar = {"url": server.url("/d.epub"), "name": "d.epub", "part": "d.epub.part"}
    sidecar |= {"etag": served.etag, "last_modified": None, "size": SIZE, "version": 1}
    (folder / "d.epub.part.json").write_text(json.dumps(sidecar))
    result = download(server.url("/d.epub"), folder, client=client)
    assert server.hits("/d.epub")[0].status == 416
    assert result.transferred == 0
    assert result.path.read_bytes() == data


def test_a_truncated_body_without_length_fails_the_checksum(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put("/t.epub", data)
    server.fault("/t.epub", Fault("truncate", after=600_000))
    with pytest.raises(VerificationError, match=r"sha256 is .* the catalogue says .* kept aside"):
        download(server.url("/t.epub"), folder, client=client, checksums={"sha256": sha(data)})
    assert leftovers(folder) == ["t.epub.rejected"]


def test_a_short_content_length_fails_the_checksum(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put("/s.epub", data)
    server.fault("/s.epub", Fault("length", delta=-1000))
    with pytest.raises(VerificationError, match="md5 is"):
        download(
            server.url("/s.epub"),
            folder,
            client=client,
            checksums={"md5": hashlib.md5(data).hexdigest()},
        )
    assert not (folder / "s.epub").exists()


def test_a_declared_size_that_differs_is_noted_and_the_served_size_wins(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put("/z.epub", data)
    result = download(server.url("/z.epub"), folder, client=client, expected_size=SIZE + 77)
    assert result.size == SIZE
    assert any(f"declared {SIZE + 77} bytes, the server served {SIZE}" in n for n in result.notes)


def test_a_wrong_checksum_is_never_delivered(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    server.put("/x.epub", book())
    with pytest.raises(VerificationError, match=r"x\.epub: sha256 is"):
        download(server.url("/x.epub"), folder, client=client, checksums={"sha256": "0" * 64})
    assert leftovers(folder) == ["x.epub.rejected"]


def test_a_connection_that_keeps_breaking_fails_and_keeps_the_part(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    server.put("/k.epub", book())
    for _ in range(10):
        server.fault("/k.epub", Fault("drop", after=10_000))
    with pytest.raises(DownloadError, match=r"broke 6 times; 60000 bytes are kept"):
        download(server.url("/k.epub"), folder, client=client)
    assert sorted(leftovers(folder)) == ["k.epub.part", "k.epub.part.json"]
    result = download(server.url("/k.epub"), folder, client=client, max_retries=10)
    assert result.resumed_from == 60_000


def test_server_errors_and_refused_urls_fail_clearly(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    with pytest.raises(DownloadError, match="answered 404"):
        download(server.url("/none.epub"), folder, client=client)
    server.redirect("/ftp", "ftp://127.0.0.1/x.epub")
    with pytest.raises(DownloadError, match="refused redirect"):
        download(server.url("/ftp"), folder, client=client)
    with pytest.raises(DownloadError, match="only http and https"):
        download("file:///etc/passwd", folder, client=client)
    with pytest.raises(DownloadError, match="unsupported checksum algorithm 'crc32'"):
        download(server.url("/x"), folder, client=client, checksums={"crc32": "0"})
    assert leftovers(folder) == []


def test_an_existing_different_file_is_not_overwritten(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    data = book()
    server.put("/o.epub", data)
    folder.mkdir()
    (folder / "o.epub").write_bytes(b"mine")
    first = download(server.url("/o.epub"), folder, client=client)
    assert first.path.name == "o (1).epub"
    assert (folder / "o.epub").read_bytes() == b"mine"
    again = download(server.url("/o.epub"), folder, client=client)
    assert again.path.name == "o (1).epub"  # the same content is recognised, not copied twice
    assert any("already there" in note for note in again.notes)


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ('attachment; filename="../../etc/passwd"', "passwd.epub"),
        ('attachment; filename="a/b.epub"', "b.epub"),
        ("attachment; filename=..\\..\\win.ini", "win.ini"),
        ("attachment; filename*=UTF-8''%D0%9A%D0%B8%D1%82%D0%BE%D0%B1.epub", "Китоб.epub"),
        (
            "attachment; filename=\"fallback.epub\"; filename*=utf-8''%D0%BA%2F..%2F.epub",
            "epub.epub",
        ),
        ('attachment; filename="CON.epub"', "_CON.epub"),
        ('attachment; filename=".."', "download.epub"),
        ('attachment; filename="a\x01b\x7f.epub"', "ab.epub"),
        ('attachment; filename="  .hidden.epub "', "hidden.epub"),
    ],
)
def test_names_from_content_disposition_stay_inside_the_folder(
    server: RangeServer, client: HttpClient, folder: Path, disposition: str, expected: str
) -> None:
    data = book(10_000)
    server.put("/get", data, disposition=disposition)
    result = download(server.url("/get"), folder, client=client)
    assert result.path.parent == folder
    assert result.path.resolve().parent == folder.resolve()
    assert result.path.read_bytes() == data
    assert result.path.name == expected
    assert not (folder.parent / "etc").exists()


def test_name_helpers() -> None:
    cyrillic = "attachment; filename*=UTF-8''%D0%9A%D0%B8%D1%82%D0%BE%D0%B1.epub"
    assert parse_content_disposition(cyrillic) == "Китоб.epub"
    assert parse_content_disposition('inline; filename="a \\"b\\".pdf"') == 'a "b".pdf'
    assert parse_content_disposition("attachment") is None
    assert choose_filename("http://h/x/kitob%20bir.epub") == "kitob bir.epub"
    assert choose_filename("http://h/get/", None, "application/fb2+zip") == "download.fb2.zip"
    assert choose_filename("http://h/get?id=3", None, "application/pdf") == "get.pdf"
    assert sanitize_filename("x" * 400 + ".epub").endswith(".epub")
    assert len(sanitize_filename("ж" * 400 + ".epub").encode()) <= 200
    assert sanitize_filename("nul") == "_nul"
    assert sanitize_filename("") == "download"


def test_bandwidth_limit(server: RangeServer, folder: Path) -> None:
    data = book(150_000)
    server.put("/slow.epub", data)
    started = time.monotonic()
    result = download(server.url("/slow.epub"), folder, rate_limit=200_000)
    elapsed = time.monotonic() - started
    assert result.sha256 == sha(data)
    assert elapsed >= 0.6


def test_credentials_in_the_url_are_used_but_not_stored_or_logged(
    server: RangeServer, client: HttpClient, folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "p4ss-w0rd"
    server.put("/m.epub", book())
    server.require_basic("/m.epub", "u", secret)
    server.fault("/m.epub", Fault("drop", after=100_000))
    url = server.base.replace("http://", f"http://u:{secret}@") + "/m.epub"
    caplog.set_level("DEBUG")
    seen_sidecar: list[str] = []

    def peek(_: Progress) -> None:
        for path in folder.glob("*.json"):
            seen_sidecar.append(path.read_text())

    result: DownloadResult = download(url, folder, client=client, progress=peek)
    assert result.url == server.url("/m.epub")
    assert seen_sidecar
    assert all(secret not in text for text in seen_sidecar)
    assert secret not in caplog.text
    assert os.listdir(folder) == ["m.epub"]


# -- limits (issue 13, item 4) ---------------------------------------------------------------

GIB = 1024**3
#: What the kernel may hold between the server's writes and the client's reads on loopback
#: (socket buffers): the server "sent" it, the client never read it.
IN_FLIGHT = 16 * 1024 * 1024


class _Usage(NamedTuple):
    total: int
    used: int
    free: int


@pytest.mark.parametrize("framing", ["chunked", "close"])
def test_a_body_running_past_its_declared_length_stops_there_and_keeps_nothing(
    server: RangeServer, client: HttpClient, folder: Path, framing: str
) -> None:
    # the audit: an entry declaring length="1000" whose server streamed 1 GiB with no length
    server.put("/long.epub", book(1000))
    server.fault("/long.epub", Fault("endless", after=GIB, delta=1 if framing == "close" else 0))
    limit = 1000 + 64 * 1024
    seen: list[Progress] = []
    started = time.monotonic()
    with pytest.raises(DownloadTooLargeError) as failure:
        download(
            server.url("/long.epub"),
            folder,
            client=client,
            expected_size=1000,
            progress=seen.append,
        )
    message = str(failure.value)
    assert message == (
        f"{server.url('/long.epub')}: the server sent more than {limit} bytes (the catalogue "
        "declares 1000); stopped there, nothing kept"
    )
    assert time.monotonic() - started < 10
    assert all(event.received <= limit for event in seen)  # nothing past the limit written
    assert leftovers(folder) == []  # no partial that a resume could splice onto
    deadline = time.monotonic() + 5  # the server notices the closed connection
    while server.state.active and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.sent("/long.epub") < limit + IN_FLIGHT
    assert len(server.hits("/long.epub")) == 1  # over-long is final: not tried again


def test_without_a_declared_length_the_most_a_download_may_be_stops_it(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    server.put("/nolength.epub", book(100_000))
    server.fault("/nolength.epub", Fault("endless", after=GIB))
    most = 3 * 1024 * 1024
    seen: list[Progress] = []
    with pytest.raises(DownloadTooLargeError, match=r"more than 3145728 bytes \(no size was"):
        download(
            server.url("/nolength.epub"), folder, client=client, max_size=most, progress=seen.append
        )
    assert max(event.received for event in seen) <= most
    assert leftovers(folder) == []
    deadline = time.monotonic() + 5
    while server.state.active and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.sent("/nolength.epub") < most + IN_FLIGHT


def test_an_announced_size_above_the_most_is_refused_before_its_body(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    server.put("/big.epub", book(3_000_000))
    with pytest.raises(DownloadTooLargeError, match=r"announced 3000000 bytes, more than the most"):
        download(server.url("/big.epub"), folder, client=client, max_size=1_000_000)
    assert leftovers(folder) == []
    # a file within the limits, declared a little wrong by its catalogue, still comes whole
    result = download(
        server.url("/big.epub"), folder, client=client, expected_size=2_990_000, max_size=4_000_000
    )
    assert result.size == 3_000_000


def test_a_disk_short_of_the_free_space_floor_is_not_started(
    server: RangeServer, client: HttpClient, folder: Path
) -> None:
    server.put("/room.epub", book())
    folder.mkdir()
    free = shutil.disk_usage(folder).free
    with pytest.raises(LowDiskSpaceError, match=r"not started: the file needs 1\.0 MB more, the"):
        download(
            server.url("/room.epub"),
            folder,
            client=client,
            expected_size=SIZE,
            min_free=free - SIZE // 2,  # the file would take the disk below the floor
        )
    assert server.hits() == []
    assert leftovers(folder) == []


def test_a_disk_filling_during_a_download_stops_it_and_keeps_the_part_to_resume(
    server: RangeServer, client: HttpClient, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a fault a real server cannot produce: the disk filling up (by this download) under it
    data = book(40 * 1024 * 1024)
    server.put("/fill.epub", data)
    server.fault("/fill.epub", Fault("truncate", after=len(data)))  # chunked, no length
    floor = 100 * 1024 * 1024
    room = floor + 12 * 1024 * 1024

    def disk_usage(path: object) -> _Usage:
        written = sum(p.stat().st_size for p in folder.glob("*.part"))
        return _Usage(10 * room, 9 * room, room - written)

    monkeypatch.setattr(shutil, "disk_usage", disk_usage)
    with pytest.raises(LowDiskSpaceError) as failure:
        download(server.url("/fill.epub"), folder, client=client, min_free=floor)
    message = str(failure.value)
    assert "\n" not in message
    assert message.startswith(f"{server.url('/fill.epub')}: stopped: the disk of {folder} has ")
    assert message.endswith(
        " MB free, and downloads leave 105 MB free; 16777216 bytes are kept to resume later"
    )
    assert leftovers(folder) == ["fill.epub.part", "fill.epub.part.json"]
    monkeypatch.undo()  # space freed: the next call sends only the rest
    result = download(server.url("/fill.epub"), folder, client=client, min_free=floor)
    assert result.resumed_from == 16 * 1024 * 1024
    assert result.sha256 == sha(data)
    assert server.hits()[-1].headers.get("range") == "bytes=16777216-"
