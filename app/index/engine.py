"""Opening the full-text index: create, check, and rebuild it when missing, stale or corrupt."""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from app.core.errors import SearchIndexError
from app.core.private import make_file_private, private_file, private_folder
from app.index.ranking import PageWeighting
from app.index.schema import SCHEMA_VERSION, build_schema

log = logging.getLogger(__name__)
STAMP = "mutolaa-index.json"
BUSY_RETRIES = 10
BUSY_PAUSE = 0.3
INDEX_NAME = "pages"


class _PrivateStorage(FileStorage):  # type: ignore[misc]  # whoosh has no type hints
    """Whoosh's file storage with every file it creates 0600, whatever the umask (the index
    holds the text of a person's books)."""

    def create_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        created = super().create_file(name, *args, **kwargs)
        make_file_private(Path(self._fpath(name)))
        return created

    def lock(self, name: str) -> Any:
        with contextlib.suppress(OSError):  # whoosh's lock opens it with 0777 & ~umask
            private_file(Path(self._fpath(name)))
        return super().lock(name)


class IndexEngine:
    """The index folder. The index is a cache of the store: it can always be rebuilt.

    ``generation`` changes whenever the index is created anew, which tells the store that
    its record of indexed pages no longer holds.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.generation = ""
        self.repaired_reason = ""
        self._ix: Any = None
        self._searcher: Any = None
        self._search_lock = threading.Lock()

    def open(self) -> None:
        """Open the index, creating or rebuilding it (empty) when it cannot be used.

        A damaged-looking index that another process is writing at this moment is not
        rebuilt: it is read again after a pause, and reported busy if it stays unreadable.
        """
        for attempt in range(BUSY_RETRIES + 1):
            reason = self._problem() or self._try_open()
            if not reason:
                return
            if reason == "missing" or not self._being_written():
                break
            if attempt == BUSY_RETRIES:
                raise SearchIndexError(
                    f"{self.folder}: the search index is being written by another Mutolaa "
                    "and cannot be read yet; try again when it ends"
                )
            time.sleep(BUSY_PAUSE)
        if reason != "missing":
            log.warning("full-text index %s: %s; rebuilding it", self.folder, reason)
        self.repaired_reason = reason
        self._create()

    def _try_open(self) -> str:
        try:
            self._ix = _PrivateStorage(str(self.folder)).open_index(INDEX_NAME)
            with self._ix.searcher() as searcher:
                searcher.doc_count()
        except Exception as exc:  # whoosh raises many types on damaged files
            self._ix = None
            return f"unreadable ({type(exc).__name__})"
        return ""

    def _being_written(self) -> bool:
        """True while another process holds the index's writer lock."""
        if not self.folder.exists():
            return False
        lock = _PrivateStorage(str(self.folder)).lock(f"{INDEX_NAME}_WRITELOCK")
        try:
            if lock.acquire(blocking=False):
                lock.release()
                return False
        except OSError:
            return False
        return True

    def _problem(self) -> str:
        stamp = self.folder / STAMP
        if not stamp.exists():
            return "missing"
        try:
            data = json.loads(stamp.read_text("utf-8"))
            version = int(data["schema"])
            self.generation = str(data["generation"])
        except (OSError, ValueError, KeyError, TypeError):
            return "damaged version stamp"
        if version != SCHEMA_VERSION:
            return f"schema {version} is stale (now {SCHEMA_VERSION})"
        try:
            present = whoosh_index.exists_in(str(self.folder), indexname=INDEX_NAME)
        except Exception as exc:  # whoosh raises many types on damaged files
            return f"unreadable ({type(exc).__name__})"
        return "" if present else "index files missing"

    def _create(self) -> None:
        self._drop_searcher()
        if self._ix is not None:
            self._ix.close()
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
        private_folder(self.folder)
        try:
            storage = _PrivateStorage(str(self.folder))
            self._ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
        except OSError as exc:
            raise SearchIndexError(f"{self.folder}: cannot create the index ({exc})") from exc
        self.generation = uuid.uuid4().hex
        stamp = self.folder / STAMP
        temp = stamp.with_suffix(".tmp")
        temp.write_text(
            json.dumps({"schema": SCHEMA_VERSION, "generation": self.generation}), "utf-8"
        )
        make_file_private(temp)
        temp.replace(stamp)

    def rebuild(self) -> None:
        """Throw the index away and start an empty one."""
        self.repaired_reason = "rebuild asked for"
        self._create()

    @property
    def ix(self) -> Any:
        """The open Whoosh index."""
        if self._ix is None:
            self.open()
        return self._ix

    @contextmanager
    def searcher(self) -> Iterator[Any]:
        """A searcher over the latest commit, kept open between searches.

        Opening one reads the term files (tens of milliseconds on a large index), so it is
        reused and only refreshed, which is cheap when nothing was committed meanwhile.
        One search at a time uses it.
        """
        with self._search_lock:
            if self._searcher is None:
                self._searcher = self.ix.searcher(weighting=PageWeighting())
            else:
                try:
                    self._searcher = self._searcher.refresh()
                except TypeError:
                    # Whoosh 2.7 cannot refresh a searcher made on an empty index
                    self._searcher.close()
                    self._searcher = self.ix.searcher(weighting=PageWeighting())
            yield self._searcher

    def _drop_searcher(self) -> None:
        with self._search_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def close(self) -> None:
        """Close the index."""
        self._drop_searcher()
        if self._ix is not None:
            self._ix.close()
            self._ix = None
