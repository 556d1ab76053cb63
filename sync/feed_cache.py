"""The offline cache of the catalogue client: every feed, description and cover fetched, on disk.

One file per URL in the caller's folder, named by the SHA-256 of the URL (credentials stripped):
``<hash>.entry`` holds one line of JSON (the metadata: URL, final URL, content type, ETag,
Last-Modified, fetch time, kind) followed by the body. A file is written to a temporary name,
flushed to disk and renamed, so a crash leaves the old copy or the new one, never half of one.
The folder listing is the index: `entries()` reads only the metadata lines.

The cache is bounded (`max_bytes`, 256 MiB unless told): when a write takes it over, covers go
first, oldest first, then feeds and descriptions, oldest first (the copy last fetched or
revalidated longest ago), until it is back under 90 % of the bound. The copy just written is
never the one evicted.

Nothing secret is stored: URLs are kept without their user information, and no request header
(so no Authorization) is ever written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sync.http import redact_url

log = logging.getLogger(__name__)

SUFFIX = ".entry"
#: The default bound of a cache folder.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class CachedMeta:
    """What the cache knows about a stored body.

    Attributes:
        url: the URL asked for (credentials stripped); the cache key.
        final_url: the URL after redirects (relative links resolve against it).
        content_type: the Content-Type the server sent.
        etag: the ETag validator, "" when none.
        last_modified: the Last-Modified validator, "" when none.
        fetched_at: when the body was fetched or last revalidated (UTC, ISO 8601).
        kind: "feed", "opensearch" or "cover".
        size: the body's length in bytes.
    """

    url: str
    final_url: str
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    fetched_at: str = ""
    kind: str = "feed"
    size: int = 0

    @property
    def fetched(self) -> datetime | None:
        """`fetched_at` as a datetime, or None when unreadable."""
        try:
            return datetime.fromisoformat(self.fetched_at)
        except ValueError:
            return None


@dataclass(frozen=True)
class Cached:
    """A stored body with its metadata."""

    meta: CachedMeta
    body: bytes


def cache_key(url: str) -> str:
    """The file name stem of `url`: SHA-256 of the URL without credentials."""
    return hashlib.sha256(redact_url(url).encode("utf-8")).hexdigest()


def now_iso() -> str:
    """The current time in UTC as ISO 8601 (seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class FeedCache:
    """Feeds, OpenSearch descriptions and covers by URL, with their validators, in `folder`.

    Safe to share between threads: every write is a whole-file rename, and readers see the old
    file or the new one. A damaged file (cut, not JSON) reads as absent and is logged once.
    """

    def __init__(self, folder: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes

    def path_for(self, url: str) -> Path:
        """The file that holds `url`."""
        return self.folder / (cache_key(url) + SUFFIX)

    def get(self, url: str) -> Cached | None:
        """The stored copy of `url`, or None."""
        return self._read(self.path_for(url), with_body=True)

    def put(
        self,
        url: str,
        body: bytes,
        *,
        final_url: str = "",
        content_type: str = "",
        etag: str = "",
        last_modified: str = "",
        kind: str = "feed",
    ) -> CachedMeta:
        """Store `body` for `url` (replacing any older copy) and return its metadata."""
        meta = CachedMeta(
            url=redact_url(url),
            final_url=redact_url(final_url or url),
            content_type=content_type,
            etag=etag,
            last_modified=last_modified,
            fetched_at=now_iso(),
            kind=kind,
            size=len(body),
        )
        self._write(self.path_for(url), meta, body)
        self.trim(keep=self.path_for(url))
        return meta

    def size(self) -> int:
        """The bytes the cache's files take."""
        total = 0
        with os.scandir(self.folder) as found:
            for item in found:
                if item.name.endswith(SUFFIX) and item.is_file():
                    total += item.stat().st_size
        return total

    def trim(self, keep: Path | None = None) -> int:
        """Evict copies until the cache is under its bound (covers first, oldest first).

        Returns how many copies were evicted.
        """
        total = self.size()
        if total <= self.max_bytes:
            return 0
        goal = self.max_bytes * 9 // 10
        victims: list[tuple[int, str, Path, int]] = []
        for path in self.folder.glob("*" + SUFFIX):
            found = self._read(path, with_body=False)
            try:
                length = path.stat().st_size
            except OSError:
                continue
            if path == keep:
                continue
            if found is None:  # damaged: first to go
                victims.append((-1, "", path, length))
                continue
            order = 0 if found.meta.kind == "cover" else 1
            victims.append((order, found.meta.fetched_at, path, length))
        evicted = 0
        for _order, _when, path, length in sorted(victims):
            if total <= goal:
                break
            path.unlink(missing_ok=True)
            total -= length
            evicted += 1
        if evicted:
            log.info(
                "feed cache: evicted %d copies to stay under %d bytes", evicted, self.max_bytes
            )
        return evicted

    def touch(self, url: str) -> Cached | None:
        """Mark the stored copy of `url` as just revalidated (a 304); return it, or None."""
        cached = self.get(url)
        if cached is None:
            return None
        meta = CachedMeta(**{**asdict(cached.meta), "fetched_at": now_iso()})
        self._write(self.path_for(url), meta, cached.body)
        return Cached(meta, cached.body)

    def entries(self, kind: str | None = None) -> Iterator[CachedMeta]:
        """The metadata of every stored copy (of one `kind` when given), in no set order."""
        for path in sorted(self.folder.glob("*" + SUFFIX)):
            found = self._read(path, with_body=False)
            if found is not None and (kind is None or found.meta.kind == kind):
                yield found.meta

    # -- files ---------------------------------------------------------------------------------

    def _write(self, path: Path, meta: CachedMeta, body: bytes) -> None:
        header = json.dumps(asdict(meta), ensure_ascii=True).encode("ascii")
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(header + b"\n" + body)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _read(self, path: Path, *, with_body: bool) -> Cached | None:
        try:
            with path.open("rb") as source:
                header = source.readline()
                body = source.read() if with_body else b""
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("feed cache: cannot read %s: %s", path.name, exc)
            return None
        try:
            fields = json.loads(header)
            meta = CachedMeta(**fields)
        except (ValueError, TypeError):
            log.warning("feed cache: %s is damaged; ignored", path.name)
            return None
        if with_body and len(body) != meta.size:
            log.warning("feed cache: %s is cut short; ignored", path.name)
            return None
        return Cached(meta, body)
