"""Resumable, verified downloads into a folder: `download(url, folder)` → `DownloadResult`.

The bytes go to `<name>.part`, next to a small JSON sidecar `<name>.part.json` holding the URL
(without credentials), the validator (a strong ETag, else Last-Modified) and the size the server
announced. An interrupted download (a dropped connection, a stall, a cancel, a power cut) resumes
from the bytes actually on disk with `Range: bytes=N-` and `If-Range`; every answer is checked so
that bytes of two versions of a file are never spliced together. The finished file is verified
(size, and any checksum given) and only then renamed to its final name; a file that fails is kept
aside as `<name>.rejected` and never delivered. A body stops at its declared length (plus a
slack) or at `max_size` when nothing declares one, and the disk keeps `min_free` bytes free. The
protocol and the limits are described in docs/downloads.md.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import math
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import requests
import urllib3

from sync.errors import (
    DownloadCancelled,
    DownloadError,
    DownloadTooLargeError,
    FetchError,
    LowDiskSpaceError,
    VerificationError,
)
from sync.http import Auth, HttpClient, check_url, redact_url
from sync.naming import choose_filename, sanitize_filename, split_extension, unique_path
from sync.partials import (
    Sidecar,
    find_partial,
    fsync_dir,
    private_opener,
    sidecar_of,
    write_json_atomic,
)
from sync.ranges import parse_content_range, strong_etag

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
#: Pieces received but not yet hashed, at most (each up to CHUNK bytes).
PENDING = 16
SUPPORTED_CHECKSUMS = frozenset({"md5", "sha1", "sha256", "sha512"})
#: The most bytes a download may be, whatever it declares (the app passes its setting
#: `max_download_bytes`, whose default this is).
MAX_SIZE = 2 * 1024**3
#: The free bytes a download leaves on the disk of its folder (the app's `min_free_disk_bytes`).
MIN_FREE = 500 * 1000**2
#: How far past a declared length a body may go before it is stopped: 1 % of the length, at
#: least 64 KiB. A catalogue's `length` may be a little off (rounded, another edition's); the
#: slack lets that through while a server that streams on without end is cut at once.
SLACK_SHARE, SLACK_MIN = 100, 64 * 1024
#: How often the free space is looked at while a body is written (one statvfs call).
SPACE_CHECK_EVERY = 8 * CHUNK
_BODY_FAILURES = (
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
)


@dataclass(frozen=True)
class Progress:
    """How far a download is.

    Attributes:
        received: bytes of the file on disk so far (including those of earlier attempts).
        total: the size of the file, when the server said it.
        speed: bytes per second over the last few seconds.
        eta: seconds left at that speed, when the total and a speed are known.
    """

    received: int
    total: int | None
    speed: float
    eta: float | None


@dataclass(frozen=True)
class DownloadResult:
    """A finished, verified download.

    Attributes:
        path: the file under its final name, inside the target folder.
        url: the URL requested (without credentials).
        size: the size of the file in bytes.
        sha256: its SHA-256, hex.
        attempts: requests made, the first included.
        transferred: body bytes received over the network by this call, all attempts included.
        resumed_from: the size of the partial file this call started from (0 for a fresh download).
        notes: what happened that a person may want to know (a restart, a declared size that was
            wrong, a file already present).
    """

    path: Path
    url: str
    size: int
    sha256: str
    attempts: int
    transferred: int
    resumed_from: int
    notes: tuple[str, ...] = ()


class _Outcome(enum.Enum):
    DONE = "done"
    SHORT = "short"  # the body ended early without an error: resume
    RESTART = "restart"  # the answer cannot be appended: start again from byte 0


class _Meter:
    """Speed over a sliding window of a few seconds, and progress reports at most every 0.1 s."""

    def __init__(self, callback: Callable[[Progress], None] | None) -> None:
        self.callback = callback
        self.samples: deque[tuple[float, int]] = deque()
        self.last_report = -math.inf  # never: monotonic time counts from boot

    def update(self, received: int, total: int | None, *, final: bool = False) -> None:
        now = time.monotonic()
        self.samples.append((now, received))
        while len(self.samples) > 2 and now - self.samples[0][0] > 3.0:
            self.samples.popleft()
        if self.callback is None or (not final and now - self.last_report < 0.1):
            return
        self.last_report = now
        first_time, first_bytes = self.samples[0]
        elapsed = now - first_time
        speed = (received - first_bytes) / elapsed if elapsed > 0 else 0.0
        eta = (total - received) / speed if total is not None and speed > 0 else None
        self.callback(Progress(received=received, total=total, speed=speed, eta=eta))


@dataclass
class _Download:
    """The state of one `download` call."""

    url: str
    folder: Path
    client: HttpClient
    filename: str | None
    expected_size: int | None
    checksums: dict[str, str]
    cancel: Callable[[], bool] | None
    rate_limit: float | None
    max_retries: int
    sleep: Callable[[float], None]
    meter: _Meter
    max_size: int = MAX_SIZE
    min_free: int = MIN_FREE
    auth: Auth | None = None
    sidecar: Sidecar | None = None
    part: Path | None = None
    total: int | None = None
    attempts: int = 0
    transferred: int = 0
    spliced: bool = False
    notes: list[str] = field(default_factory=list)
    _rate_start: float = 0.0
    _digests: dict[str, Any] = field(default_factory=dict)  # over bytes [0, _hashed) of the part
    _hashed: int = -1
    _length_checked: bool = False  # a length-less body shorter than declared was asked about
    _rate_bytes: int = 0

    @property
    def shown(self) -> str:
        return redact_url(self.url)

    def note(self, text: str) -> None:
        log.info("%s: %s", self.shown, text)
        self.notes.append(text)

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise DownloadCancelled(f"{self.shown}: cancelled; the partial file is kept")

    def on_disk(self) -> int:
        if self.part is None:
            return 0
        try:
            return self.part.stat().st_size
        except FileNotFoundError:
            return 0

    # -- the limits ----------------------------------------------------------------------------

    def limit(self) -> tuple[int, str]:
        """The most bytes the file may have, and what set it (for the message).

        The served length (Content-Length, a 206's total) wins over the catalogue's, as it does
        for verification; a catalogue's length only bounds a body that declares none.
        """
        if self.total is not None:
            declared, said = self.total, f"the server announced {self.total} bytes"
        elif self.expected_size is not None:
            declared, said = self.expected_size, f"the catalogue declares {self.expected_size}"
        else:
            return (
                self.max_size,
                f"no size was declared; the most a download may be is {_mb(self.max_size)}",
            )
        allowed = declared + max(SLACK_MIN, declared // SLACK_SHARE)
        if allowed > self.max_size:
            return self.max_size, f"{said}; the most a download may be is {_mb(self.max_size)}"
        return allowed, said

    def check_size(self) -> None:
        """Refuse, before its body, a file announced larger than the most a download may be."""
        if self.total is not None and self.total > self.max_size:
            self.drop_part()
            raise DownloadTooLargeError(
                f"{self.shown}: the server announced {self.total} bytes, more than the most a "
                f"download may be ({_mb(self.max_size)}); not downloaded"
            )

    def check_space(self, position: int) -> None:
        """Stop when the disk would keep less than `min_free` free: the bytes still to come (when
        a size is known) are counted as already used."""
        try:
            free = shutil.disk_usage(self.folder).free
        except OSError as exc:  # no answer about space is no reason to refuse a download
            log.info("%s: free space unknown (%s)", self.folder, exc)
            return
        size = self.total if self.total is not None else self.expected_size
        coming = max(0, size - position) if size is not None else 0
        if free - coming >= self.min_free:
            return
        needs = f"the file needs {_mb(coming)} more, " if coming else ""
        kept = f"; {position} bytes are kept to resume later" if position else ""
        if not position:
            self.drop_part()  # an empty part left by the answer's start: nothing to resume
        raise LowDiskSpaceError(
            f"{self.shown}: {'stopped' if position else 'not started'}: {needs}the disk of "
            f"{self.folder} has {_mb(free)} free, and downloads leave {_mb(self.min_free)} "
            f"free{kept}"
        )

    def drop_part(self) -> None:
        """Delete the partial file and its sidecar: what is in it cannot be resumed."""
        if self.part is not None:
            self.part.unlink(missing_ok=True)
        self.drop_sidecar()
        fsync_dir(self.folder)

    # -- the sidecar ---------------------------------------------------------------------------

    def save_sidecar(self) -> None:
        assert self.sidecar is not None
        assert self.part is not None
        write_json_atomic(sidecar_of(self.part), asdict(self.sidecar))

    def drop_sidecar(self) -> None:
        if self.part is not None:
            sidecar_of(self.part).unlink(missing_ok=True)

    def start_over(self, response: requests.Response) -> None:
        """A full (200) answer: remember its validator and size and truncate the partial file."""
        etag = strong_etag(response.headers.get("ETag"))
        modified = response.headers.get("Last-Modified")
        length = response.headers.get("Content-Length", "")
        size = int(length) if length.isdigit() else None
        if self.sidecar is None or self.part is None:
            name = sanitize_filename(self.filename) if self.filename else None
            name = name or choose_filename(
                response.url,
                response.headers.get("Content-Disposition"),
                response.headers.get("Content-Type"),
            )
            self.part = self.free_part(name)
            self.sidecar = Sidecar(url=self.shown, name=name, part=self.part.name)
        self.sidecar.etag = etag
        self.sidecar.last_modified = None if etag else modified
        self.sidecar.size = size
        self.total = size
        self.spliced = False
        self.save_sidecar()
        with open(self.part, "wb", opener=private_opener) as fh:
            fh.flush()
            os.fsync(fh.fileno())
        fsync_dir(self.folder)

    def free_part(self, name: str) -> Path:
        """`<name>.part`, or `<name> (1).part`... whose file and sidecar do not exist yet."""
        stem, ext = split_extension(name)
        counter = 0
        while True:
            candidate = name if counter == 0 else f"{stem} ({counter}){ext}"
            part = self.folder / (candidate + ".part")
            if not part.exists() and not sidecar_of(part).exists():
                return part
            counter += 1

    # -- one request ---------------------------------------------------------------------------

    def attempt(self, force_full: bool) -> _Outcome:
        offset = self.on_disk()
        validator = self.sidecar.validator if self.sidecar else None
        resume = not force_full and offset > 0 and validator is not None
        headers = {"Accept-Encoding": "identity"}
        if resume:
            assert validator is not None
            headers["Range"] = f"bytes={offset}-"
            headers["If-Range"] = validator
        self.attempts += 1
        log.debug("%s: attempt %d from byte %d", self.shown, self.attempts, offset if resume else 0)
        with self.client.open(self.url, headers, auth=self.auth) as response:
            status = response.status_code
            if status == 200:
                if resume:
                    self.note(
                        f"the server sent the whole file instead of bytes {offset}- "
                        "(Range ignored or the file changed): started again"
                    )
                self.start_over(response)
                return self.receive(response, 0)
            if status == 206:
                return self.on_partial(response, offset, resume)
            if status == 416:
                return self.on_unsatisfiable(response, offset, resume)
            raise DownloadError(
                f"{self.shown}: unexpected answer {status} {response.reason} to a download"
            )

    def on_partial(self, response: requests.Response, offset: int, resume: bool) -> _Outcome:
        assert self.sidecar is not None
        content_range = parse_content_range(response.headers.get("Content-Range"))
        if not resume or content_range is None or content_range[0] != offset:
            shown = response.headers.get("Content-Range", "none")
            self.note(f"asked for bytes {offset}-, got a part with Content-Range {shown}: restart")
            return _Outcome.RESTART
        etag = strong_etag(response.headers.get("ETag"))
        modified = response.headers.get("Last-Modified")
        total = content_range[2]
        if (
            (self.sidecar.etag and etag and etag != self.sidecar.etag)
            or (self.sidecar.size is not None and total is not None and total != self.sidecar.size)
            or (  # without an ETag, Last-Modified is the validator: a server ignoring If-Range
                not self.sidecar.etag  # is caught by a part that is newer than the first bytes
                and self.sidecar.last_modified
                and modified
                and modified.strip() != self.sidecar.last_modified.strip()
            )
        ):
            self.note("the file changed on the server since the first attempt: restart")
            return _Outcome.RESTART
        if total is not None and self.sidecar.size is None:
            self.sidecar.size = total
            self.save_sidecar()
        self.total = total
        self.spliced = True
        return self.receive(response, offset)

    def on_unsatisfiable(self, response: requests.Response, offset: int, resume: bool) -> _Outcome:
        content_range = parse_content_range(response.headers.get("Content-Range"))
        total = content_range[2] if content_range else None
        known = self.sidecar.size if self.sidecar else None
        if resume and offset > 0 and total == offset and known in (None, total):
            self.total = total
            return _Outcome.DONE
        if not resume:
            raise DownloadError(f"{self.shown}: the server answered 416 to a request without Range")
        self.note(f"the server refused bytes {offset}- (416, total {total}): restart")
        return _Outcome.RESTART

    def receive(self, response: requests.Response, start: int) -> _Outcome:
        """Append the body at `start`; fsync whatever arrived, even when the connection breaks."""
        assert self.part is not None
        self.check_size()
        self.check_space(start)
        position = start
        limit, why = self.limit()
        over = False
        unchecked = 0  # bytes written since the free space was last looked at
        self._rate_start = time.monotonic()
        self._rate_bytes = 0
        chunk_size = CHUNK if not self.rate_limit else max(1024, min(CHUNK, int(self.rate_limit)))
        # near the limit, read no more than one byte past it: a body running on is seen at once
        chunk_size = max(1, min(chunk_size, limit - start + 1))
        fh: BinaryIO
        with self.part.open("r+b") as fh:
            fh.seek(start)
            fh.truncate(start)
            self.hash_prefix(start)
            digests = tuple(self._digests.values())

            def digest(chunk: bytes) -> None:
                for each in digests:  # hashlib releases the GIL: beside the socket and the disk
                    each.update(chunk)

            # hashed as it arrives, in order, on one thread of its own: no second read of the
            # file; at most PENDING pieces wait for it (memory stays bounded on a slow CPU)
            hasher = ThreadPoolExecutor(1, thread_name_prefix="download-hash")
            pending: deque[Future[None]] = deque()
            try:
                for chunk in _body(response, chunk_size):
                    self.check_cancel()
                    if position + len(chunk) > limit:
                        over = True
                        break
                    fh.write(chunk)
                    pending.append(hasher.submit(digest, chunk))
                    while len(pending) > PENDING or (pending and pending[0].done()):
                        pending.popleft().result()
                    position += len(chunk)
                    self.transferred += len(chunk)
                    self.throttle(len(chunk))
                    self.meter.update(position, self.total)
                    unchecked += len(chunk)
                    if unchecked >= SPACE_CHECK_EVERY:
                        unchecked = 0
                        self.check_space(position)
            finally:
                hasher.shutdown(wait=True)
                self._hashed = position
                fh.flush()
                os.fsync(fh.fileno())
        if over:
            # not a resumable partial: the bytes before the limit may be of another, longer file
            # (the declared length is then wrong), so a resume could splice two files together
            self.drop_part()
            raise DownloadTooLargeError(
                f"{self.shown}: the server sent more than {limit} bytes ({why}); stopped there, "
                "nothing kept"
            )
        return self.ended(position)

    def ended(self, position: int) -> _Outcome:
        """What a body that ended at `position` without an error calls for."""
        if self.total is not None and position < self.total:
            self.note(f"the body ended at byte {position} of {self.total}: resume")
            return _Outcome.SHORT
        if self.total is not None and position > self.total:
            self.note(f"the server sent {position} bytes for a file of {self.total}: restart")
            return _Outcome.RESTART
        if self.total is None:
            short = self.expected_size is not None and position < self.expected_size
            if short and not self._length_checked:  # no length from the server and less than
                self._length_checked = True  # the catalogue said: maybe cut; ask for the rest once
                self.note(
                    f"the body ended at byte {position} without a length, the catalogue "
                    f"declares {self.expected_size}: asking for the rest"
                )
                return _Outcome.SHORT
            self.total = position
        return _Outcome.DONE

    def hash_prefix(self, start: int) -> None:
        """Make the running digests cover exactly the part's first `start` bytes (reading them
        from disk when resuming a partial file or after a restart)."""
        if self._hashed == start:
            return
        assert self.part is not None
        self._digests = {algo: hashlib.new(algo) for algo in {*self.checksums, "sha256"}}
        self._hashed = 0
        if start:
            with self.part.open("rb") as fh:
                while self._hashed < start:
                    block = fh.read(min(1024 * 1024, start - self._hashed))
                    if not block:
                        break
                    for digest in self._digests.values():
                        digest.update(block)
                    self._hashed += len(block)
        if self._hashed != start:
            self._hashed = -1  # the file is shorter than it should be: verify reads it again

    def throttle(self, size: int) -> None:
        if not self.rate_limit:
            return
        self._rate_bytes += size
        ahead = self._rate_bytes / self.rate_limit - (time.monotonic() - self._rate_start)
        if ahead > 0:
            self.sleep(ahead)

    # -- the whole transfer --------------------------------------------------------------------

    def run(self) -> DownloadResult:
        found = find_partial(self.folder, self.url)
        if found is not None:
            self.sidecar, self.part = found
            self.total = self.sidecar.size
        resumed_from = self.on_disk()
        self.check_space(resumed_from)
        force_full = False
        failures = 0
        restarts = 0
        retried_whole = False
        while True:
            self.check_cancel()
            try:
                outcome = self.attempt(force_full)
            except _BODY_FAILURES as exc:
                outcome = _Outcome.SHORT
                self.note(f"the connection broke at byte {self.on_disk()} ({type(exc).__name__})")
            except FetchError as exc:
                raise DownloadError(str(exc)) from exc
            force_full = False
            if outcome is _Outcome.DONE:
                verified = self.verify(allow_retry=not retried_whole)
                if verified is not None:
                    return self.finish(verified, resumed_from)
                retried_whole = True
                force_full = True
                continue
            if outcome is _Outcome.RESTART:
                restarts += 1
                if restarts > self.max_retries:
                    raise DownloadError(
                        f"{self.shown}: the server kept answering with parts that do not fit "
                        f"({restarts} restarts)"
                    )
                force_full = True
                continue
            failures += 1
            if failures > self.max_retries:
                raise DownloadError(
                    f"{self.shown}: the connection broke {failures} times; "
                    f"{self.on_disk()} bytes are kept to resume later"
                )
            self.sleep(self.client.backoff(failures - 1))

    def verify(self, *, allow_retry: bool) -> str | None:
        """Check size and checksums; the SHA-256 when good, None to download once more from 0.

        Raises:
            VerificationError: the file is wrong and downloading it again would not help.
        """
        assert self.part is not None
        assert self.sidecar is not None
        size = self.on_disk()
        if self.total is not None and size != self.total:
            self.reject(f"{size} bytes on disk, the server announced {self.total}")
        if self.expected_size is not None and self.expected_size != size:
            self.note(
                f"the catalogue declared {self.expected_size} bytes, the server served {size}; "
                "the served size is kept"
            )
        digests = self._digests
        if self._hashed != size:  # not hashed while received (e.g. a part completed by a 416)
            digests = {algo: hashlib.new(algo) for algo in {*self.checksums, "sha256"}}
            with self.part.open("rb") as fh:
                while block := fh.read(1024 * 1024):
                    for digest in digests.values():
                        digest.update(block)
        for algo, wanted in self.checksums.items():
            got = digests[algo].hexdigest()
            if got != wanted.strip().lower():
                if self.spliced and allow_retry:
                    self.note(f"{algo} mismatch on a resumed file: downloading it again whole")
                    self.spliced = False
                    return None
                self.reject(f"{algo} is {got}, the catalogue says {wanted}")
        return str(digests["sha256"].hexdigest())

    def reject(self, reason: str) -> None:
        """Keep a failed file aside as `<name>.rejected` and raise VerificationError."""
        assert self.part is not None
        assert self.sidecar is not None
        aside = self.folder / (self.sidecar.name + ".rejected")
        os.replace(self.part, aside)
        self.drop_sidecar()
        fsync_dir(self.folder)
        raise VerificationError(
            f"{self.shown}: {reason}; not delivered, kept aside as {aside.name}"
        )

    def finish(self, sha256: str, resumed_from: int) -> DownloadResult:
        """Rename the verified part to its final name without overwriting a different file."""
        assert self.part is not None
        assert self.sidecar is not None
        size = self.on_disk()
        self.meter.update(size, size, final=True)
        same = _same_file(self.folder, self.sidecar.name, size, sha256)
        if same is not None:
            final = same
            self.note(f"{final.name} was already there with the same content")
            self.part.unlink()
        else:
            while True:
                final = unique_path(self.folder, self.sidecar.name)
                try:
                    os.link(self.part, final)  # fails rather than overwrite a file made meanwhile
                except FileExistsError:
                    continue
                except OSError:  # a file system without hard links
                    os.replace(self.part, final)
                    break
                self.part.unlink()
                break
        self.drop_sidecar()
        fsync_dir(self.folder)
        return DownloadResult(
            path=final,
            url=self.shown,
            size=size,
            sha256=sha256,
            attempts=self.attempts,
            transferred=self.transferred,
            resumed_from=resumed_from,
            notes=tuple(self.notes),
        )


def _body(response: requests.Response, size: int) -> Iterator[bytes]:
    """The body in pieces of at most `size` bytes, each handed over as soon as it arrives.

    `iter_content` gathers a whole chunk before yielding it, so a dropped connection loses up to a
    chunk; `read1` returns what one socket read gave, so nothing that arrived is lost. Chunked
    bodies, and urllib3 versions without `read1`, go through `iter_content`.
    """
    raw = response.raw
    read1 = getattr(raw, "read1", None)
    if read1 is None or "Content-Length" not in response.headers:
        yield from response.iter_content(size)
        return
    try:
        while data := read1(size):
            yield data
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise requests.exceptions.ConnectionError(exc) from exc
    except urllib3.exceptions.HTTPError as exc:  # IncompleteRead, ProtocolError...
        raise requests.exceptions.ChunkedEncodingError(exc) from exc


def _mb(size: int) -> str:
    """A size for people in decimal megabytes, as disks are sold: ``2,147 MB``, ``1.0 MB``."""
    return f"{size / 1e6:,.1f} MB" if size < 10**7 else f"{size / 1e6:,.0f} MB"


def _same_file(folder: Path, name: str, size: int, sha256: str) -> Path | None:
    """`name`, `name (1)`... the first existing one with this content, or None."""
    stem, ext = split_extension(name)
    counter = 0
    while True:
        candidate = folder / (name if counter == 0 else f"{stem} ({counter}){ext}")
        if not candidate.exists():
            return None
        if candidate.stat().st_size == size and _sha256(candidate) == sha256:
            return candidate
        counter += 1


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def download(
    url: str,
    target_folder: Path | str,
    *,
    client: HttpClient | None = None,
    filename: str | None = None,
    expected_size: int | None = None,
    checksums: Mapping[str, str] | None = None,
    progress: Callable[[Progress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    rate_limit: float | None = None,
    max_retries: int = 5,
    auth: Auth | None = None,
    max_size: int = MAX_SIZE,
    min_free: int = MIN_FREE,
) -> DownloadResult:
    """Download `url` into `target_folder`, resuming an earlier partial download of the same URL.

    Args:
        url: an http or https URL (credentials in it are used, never stored or logged).
        target_folder: the folder the file is saved in (created if missing).
        client: the HTTP client (its policy, credentials, host limits and sleep); a new one if None.
        filename: a name to use instead of the server's (sanitised the same way).
        expected_size: the size a catalogue declared; a different served size is noted, not fatal.
        checksums: algorithm → hex digest (`sha256`, `md5`, `sha1`, `sha512`) to verify.
        progress: called with a `Progress` at most every 0.1 s and once at the end.
        cancel: polled between chunks; when it returns True the download stops with
            DownloadCancelled and keeps its partial file for a later resume.
        rate_limit: the most bytes per second to receive, for metered links.
        max_retries: broken connections (and restarts) tolerated before giving up.
        auth: credentials for this download (e.g. a catalogue's `ChallengeAuth`), sent only to
            the URL's host; they win over the client's and the URL's.
        max_size: the most bytes the file may have: a larger announced size is refused, and a
            body without a declared length stops there. A declared length (the server's, else
            `expected_size`) stops the body at that length plus 1 % (at least 64 KiB).
        min_free: the free bytes to leave on the disk of `target_folder`, checked before the
            request (counting the bytes still expected) and every 8 MiB written.

    Returns:
        The verified file under its final name.

    Raises:
        DownloadError: the URL is refused, the server fails, or the connection keeps breaking.
        VerificationError: the size or a checksum is wrong (the file is kept aside, not delivered).
        DownloadTooLargeError: the body passed its limit (stopped there, nothing kept).
        LowDiskSpaceError: the disk would keep less than `min_free` (the partial file is kept).
        DownloadCancelled: `cancel` returned True.
    """
    wanted = {algo.lower(): digest for algo, digest in (checksums or {}).items()}
    unknown = set(wanted) - SUPPORTED_CHECKSUMS
    if unknown:
        raise DownloadError(f"unsupported checksum algorithm {sorted(unknown)[0]!r} for {url!r}")
    try:
        check_url(url)
    except FetchError as exc:
        raise DownloadError(str(exc)) from exc
    folder = Path(target_folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # what a person reads is theirs
    own = client is None
    http = client or HttpClient()
    try:
        job = _Download(
            url=url,
            folder=folder,
            client=http,
            filename=filename,
            expected_size=expected_size,
            checksums=wanted,
            cancel=cancel,
            rate_limit=rate_limit,
            max_retries=max_retries,
            max_size=max_size,
            min_free=min_free,
            auth=auth,
            sleep=http.sleep,
            meter=_Meter(progress),
        )
        return job.run()
    finally:
        if own:
            http.close()
