"""The open library and the person acting in it: what the entry points make and pass down.

`Library` is one library folder (store, annotations, book files, the index), shared by everyone
on the machine. `Session` adds who is reading and their settings: the command line and the window
make one at start and hand it to every use case that acts for a person.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from app.core.paths import Paths
from app.core.settings import Settings, load_settings
from app.index.engine import IndexEngine
from app.library.annotations import AnnotationStore
from app.library.store import LibraryStore
from app.services.library.indexing import Indexer
from app.services.person_settings import person_settings

log = logging.getLogger(__name__)
GENERATION_KEY = "index_generation"


class Library:
    """The services of one library folder, opened once per process.

    Args:
        paths: where the library lives.
    """

    def __init__(self, paths: Paths) -> None:
        paths.ensure()
        self.paths = paths
        self.store = LibraryStore(paths.database, paths.books)
        self.annotations = AnnotationStore(self.store)
        self.engine = IndexEngine(paths.index)
        self._index_ready = False
        self._indexer = Indexer(self)
        self._index_users = 0
        self._index_lock = threading.Lock()

    def index(self) -> IndexEngine:
        """The index, opened (and repaired if missing, stale or corrupt) on first use.

        When the index was created anew, the store forgets which pages it held, so the
        next catch-up fills it again from the saved page texts.
        """
        if not self._index_ready:
            self.engine.open()
            if self.store.meta(GENERATION_KEY) != self.engine.generation:
                if self.store.meta(GENERATION_KEY) is not None:
                    log.info("index was rebuilt (%s)", self.engine.repaired_reason or "new")
                self.store.reset_index_state()
                self.store.set_meta(GENERATION_KEY, self.engine.generation)
            self._index_ready = True
        return self.engine

    @contextmanager
    def indexing(self) -> Iterator[Indexer]:
        """The process's one index writer, shared by whoever writes the index meanwhile.

        When a user's block ends, what was added is committed (searchable at once, even while
        another user goes on); when the last one's ends, the writer is released too, so another
        process can write between two batches.
        """
        with self._index_lock:
            self._index_users += 1
        try:
            yield self._indexer
        finally:
            with self._index_lock:
                self._index_users -= 1
                last = self._index_users == 0
            if last:
                self._indexer.close()
            else:
                self._indexer.flush()

    def rebuild_index(self) -> None:
        """Start an empty index; the caller then fills it with catch-up."""
        self.engine.rebuild()
        self.store.reset_index_state()
        self.store.set_meta(GENERATION_KEY, self.engine.generation)
        self._index_ready = True

    def close(self) -> None:
        """Commit and close the index, then close the database."""
        self._indexer.close()
        self.engine.close()
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Session:
    """Who is reading in which library; made once by an entry point and passed down.

    Attributes:
        library: the open library folder, shared by everyone on the machine.
        profile_id: the person acting: whose notes, progress, accounts and downloads.
        settings: that person's settings: the machine's (the settings file) with their own
            over them (`app.services.person_settings`); the window replaces them when they
            change.
    """

    library: Library
    profile_id: int
    settings: Settings = field(default_factory=Settings)

    @classmethod
    def open(
        cls, paths: Paths, profile_id: int | Callable[[Library], int] | None = None
    ) -> Session:
        """Open the library at ``paths`` for a person.

        Args:
            paths: where the library lives.
            profile_id: the person; or what chooses them in the open library (the command
                line: by ``--profile``, with their PIN); None: the library's first person
                (tools and tests; the window asks who is reading, `app/ui/window/reception.py`).
        """
        library = Library(paths)
        try:
            if callable(profile_id):
                profile = profile_id(library)
            else:
                profile = library.store.first_profile_id() if profile_id is None else profile_id
            settings = person_settings(library.store, profile, load_settings(paths.settings))
            return cls(library, profile, settings)
        except BaseException:
            library.close()
            raise

    def close(self) -> None:
        """Close the library."""
        self.library.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
