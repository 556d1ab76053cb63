"""T10 and T11: a download resumed after a cut at 50 %, and download throughput.

Both serve one file from ``tests/support/range_server.py`` on 127.0.0.1 (a real threaded HTTP
server with Range, strong ETags and a fault switchboard) and fetch it with
``sync.downloads.download``, as the application does.

T10 runs the server in this process, to read its per-request byte counters: the server drops
the connection once half the file is sent, the download gives up (``max_retries=0``, as a
closed application would), and a second ``download()`` call resumes it from the partial file
and its sidecar. The figure is the body bytes the server sent on the resume against the bytes
still missing; the file's SHA-256 is checked against the source.

T11 runs the server in a child process, so that neither side shares its interpreter (and its
GIL) with the server, and times ``download()`` (a fresh folder each run: request, body to
disk, fsync, SHA-256 verification, rename) against ``curl -o /dev/null`` from the same server
and file, alternately; the medians are compared. MB are 10^6 bytes.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.benchmarks.common import CACHE, ROOT, Figure, Report, fresh_folder, median, say

#: The file T10 and T11 fetch: pseudo-random bytes, like the deflate streams that make up most
#: of a PDF or an EPUB (the download asks for ``identity``, so content does not matter).
INPUT_VERSION = 1
#: The most the resume may send beyond the bytes still missing (TARGETS.md T10).
T10_SLACK = 64 * 1024
T11_RATIO = 0.9
CURL = "/usr/bin/curl"
#: Seconds a download or a curl run may take before the benchmark gives up.
TIMEOUT = 120.0
PATH = "/download.bin"


def download_file(size: int, seed: int = 1) -> Path:
    """A cached file of ``size`` pseudo-random bytes (deterministic for a seed)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"download-v{INPUT_VERSION}-{size}b-seed{seed}.bin"
    if not path.exists():
        say(f"generating {path.name} (cached for the next runs)")
        temp = path.with_name(f".{path.name}.part")
        temp.write_bytes(random.Random(f"bench-download:{seed}").randbytes(size))
        temp.replace(path)
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _bytes(count: int) -> str:
    return f"{count:,} bytes"


def _mb_s(size: int, seconds: float) -> float:
    return size / seconds / 1e6


# --------------------------------------------------------------------------- T10


def run_t10(report: Report, source: Path) -> None:
    """Cut at 50 %, give up, resume with a new ``download()``: bytes sent against the rest."""
    from sync.downloads import download  # noqa: PLC0415
    from sync.errors import DownloadError  # noqa: PLC0415
    from sync.http import HttpClient  # noqa: PLC0415
    from tests.support.range_server import Fault, running  # noqa: PLC0415

    data = source.read_bytes()
    size = len(data)
    digest = hashlib.sha256(data).hexdigest()
    cut = size // 2
    with running() as server, fresh_folder("t10") as folder:
        server.put(PATH, data, content_type="application/pdf")
        url = server.url(PATH)

        # 1. Across two calls: the first breaks at 50 % and gives up; the second resumes.
        server.fault(PATH, Fault("drop", after=cut))
        first = folder / "across"
        try:
            download(url, first, checksums={"sha256": digest}, max_retries=0)
        except DownloadError as exc:
            say(f"T10 first call stopped as planned: {exc}")
        else:
            raise RuntimeError("T10: the connection was not cut (the fault did not apply)")
        parts = list(first.glob("*.part"))
        on_disk = parts[0].stat().st_size if len(parts) == 1 else 0
        before_cut = server.sent(PATH)
        seen = len(server.hits(PATH))
        result = download(url, first, checksums={"sha256": digest})
        resume = server.hits(PATH)[seen:]
        sent = sum(hit.sent for hit in resume)
        remaining = size - on_disk
        checked = _sha256(result.path)
        verified = result.sha256 == digest == checked
        asked = resume[0].headers.get("range", "none") if resume else "none"
        statuses = ", ".join(str(hit.status) for hit in resume)
        met = (
            verified
            and on_disk > 0
            and result.resumed_from == on_disk
            and sent <= remaining + T10_SLACK
        )
        report.add(
            Figure(
                "T10",
                f"download resumed after a cut at 50 % of a {size / 1e6:.1f} MB file, "
                "new download() call",
                f"{_bytes(sent)} sent on the resume for {_bytes(remaining)} missing "
                f"({sent - remaining:+,} bytes); sha256 {'verified' if verified else 'WRONG'}",
                baseline=f"file size {_bytes(size)}",
                ratio=f"{sent / remaining:.3f} of the rest, {sent / size:.3f} of the file",
                goal="≤ remaining + 64 KiB; checksum verified",
                met=met,
            )
        )
        report.note(
            f"T10 before the cut the server sent {_bytes(before_cut)}, {_bytes(on_disk)} were "
            f"on disk; the resume: {len(resume)} request(s) (status {statuses}, Range {asked}), "
            f"{result.attempts} attempt(s), resumed_from {_bytes(result.resumed_from)}"
        )

        # 2. Within one call: the download's own retry after the break.
        server.fault(PATH, Fault("drop", after=cut))
        seen = len(server.hits(PATH))
        client = HttpClient(sleep=lambda _seconds: None)  # no backoff wait: nothing is timed
        try:
            second = download(url, folder / "within", client=client, checksums={"sha256": digest})
        finally:
            client.close()
        hits = server.hits(PATH)[seen:]
        first_sent = hits[0].sent if hits else 0
        resume_sent = sum(hit.sent for hit in hits[1:])
        rest = size - first_sent
        verified = second.sha256 == digest == _sha256(second.path)
        report.add(
            Figure(
                "extra",
                "T10 the same cut, resumed by the same download() call (its retry)",
                f"{_bytes(resume_sent)} sent on the resume for {_bytes(rest)} missing "
                f"({resume_sent - rest:+,} bytes, {len(hits) - 1} request(s)); "
                f"sha256 {'verified' if verified else 'WRONG'}",
                baseline=f"file size {_bytes(size)}",
                ratio=f"{resume_sent / rest:.3f} of the rest" if rest else "—",
            )
        )


# --------------------------------------------------------------------------- T11


def serve_main() -> None:
    """The T11 server process: serve ``argv[1]``, print its URL, stop when stdin closes."""
    from tests.support.range_server import RangeServer  # noqa: PLC0415

    server = RangeServer()
    server.put(PATH, Path(sys.argv[1]).read_bytes(), content_type="application/pdf")
    server.start()
    try:
        print(server.url(PATH), flush=True)
        sys.stdin.read()
    finally:
        server.stop()


class _ServerProcess:
    """The range server in a child process, stopped (and waited for) on exit."""

    def __init__(self, source: Path) -> None:
        code = "from tests.benchmarks.bench_downloads import serve_main; serve_main()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(source)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.close()
            raise RuntimeError(f"T11: the server process did not start (said {self.url!r})")

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _curl(url: str, output: str = "/dev/null") -> tuple[float, float]:
    """One ``curl -o OUTPUT``: (transfer seconds by curl's own clock, wall seconds)."""
    started = time.perf_counter()
    done = subprocess.run(
        [
            CURL,
            "--silent",
            "--show-error",
            "--fail",
            "--noproxy",
            "*",
            "--output",
            output,
            "--write-out",
            "%{time_total} %{size_download}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    wall = time.perf_counter() - started
    seconds, _size = done.stdout.split()
    return float(seconds), wall


def _ours(url: str, folder: Path) -> float:
    """One ``download()`` into an empty folder, as the application would call it."""
    from sync.downloads import download  # noqa: PLC0415

    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    download(url, folder)
    return time.perf_counter() - started


def _stream_only(url: str) -> float:
    """The same GET through the same client, body read with ``read1`` and dropped."""
    from sync.http import HttpClient  # noqa: PLC0415

    started = time.perf_counter()
    with HttpClient() as client, client.open(url, {"Accept-Encoding": "identity"}) as response:
        while response.raw.read1(64 * 1024):
            pass
    return time.perf_counter() - started


def _disk_part(source: Path, folder: Path) -> tuple[float, float]:
    """Writing the file in pieces of download()'s size + fsync, and its SHA-256: what
    download() adds to the transfer."""
    from sync.downloads import CHUNK  # noqa: PLC0415

    data = source.read_bytes()
    target = folder / "disk-check.bin"
    started = time.perf_counter()
    with target.open("wb") as fh:
        view = memoryview(data)
        for offset in range(0, len(view), CHUNK):
            fh.write(view[offset : offset + CHUNK])
        fh.flush()
        os.fsync(fh.fileno())
    written = time.perf_counter() - started
    started = time.perf_counter()
    _sha256(target)
    hashed = time.perf_counter() - started
    target.unlink()
    return written, hashed


def run_t11(report: Report, source: Path, runs: int) -> None:
    """Median MB/s of ``download()`` against ``curl -o /dev/null``, alternately, same server."""
    size = source.stat().st_size
    have_curl = Path(CURL).is_file()
    server = _ServerProcess(source)
    ours: list[float] = []
    streamed: list[float] = []
    curl: list[float] = []
    curl_wall: list[float] = []
    curl_file: list[float] = []
    try:
        with fresh_folder("t11") as folder:
            target = folder / "downloads"
            _ours(server.url, target)  # warm-up: imports, page cache, the server's first request
            if have_curl:
                _curl(server.url)
            for _ in range(runs):
                if have_curl:
                    seconds, wall = _curl(server.url)
                    curl.append(seconds)
                    curl_wall.append(wall)
                ours.append(_ours(server.url, target))
                streamed.append(_stream_only(server.url))
                if have_curl:
                    copy = folder / "curl-copy.bin"
                    curl_file.append(_curl(server.url, str(copy))[0])
                    copy.unlink()
            written, hashed = _disk_part(source, folder)
    finally:
        server.close()
    mine = _mb_s(size, median(ours))
    runs_shown = ", ".join(f"{_mb_s(size, s):.0f}" for s in ours)
    name = (
        f"download throughput from 127.0.0.1, {size / 1e6:.1f} MB file "
        f"(median of {runs}: {runs_shown} MB/s)"
    )
    if have_curl:
        base = _mb_s(size, median(curl))
        ratio = mine / base
        report.add(
            Figure(
                "T11",
                name,
                f"{mine:.0f} MB/s ({median(ours) * 1000:.0f} ms)",
                baseline=f"curl -o /dev/null {base:.0f} MB/s ({median(curl) * 1000:.0f} ms)",
                ratio=f"{ratio:.2f}",
                goal="≥ 0.9 × baseline",
                met=ratio >= T11_RATIO,
            )
        )
        report.note(
            "T11 curl runs (MB/s, curl's time_total): "
            + ", ".join(f"{_mb_s(size, s):.0f}" for s in curl)
            + f"; curl's wall time with its process start, median {median(curl_wall) * 1000:.0f} ms"
        )
    else:
        report.add(
            Figure(
                "T11",
                name,
                f"{mine:.0f} MB/s ({median(ours) * 1000:.0f} ms)",
                baseline=f"not measured: {CURL} not found",
                goal="≥ 0.9 × baseline",
            )
        )
    report.add(
        Figure(
            "extra",
            "T11 the same GET through HttpClient, body read with read1 and dropped "
            f"(median of {runs})",
            f"{_mb_s(size, median(streamed)):.0f} MB/s ({median(streamed) * 1000:.0f} ms)",
        )
    )
    if curl_file:
        report.add(
            Figure(
                "extra",
                f"T11 curl -o FILE in the same folder, no fsync (median of {runs})",
                f"{_mb_s(size, median(curl_file)):.0f} MB/s ({median(curl_file) * 1000:.0f} ms)",
            )
        )
    report.note(
        f"T11 what download() adds to the transfer, measured apart on the same file: writing it "
        f"in 1 MiB pieces + fsync {written * 1000:.0f} ms, SHA-256 of it {hashed * 1000:.0f} ms"
    )
