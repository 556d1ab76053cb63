"""The library store's announcements as a Qt signal on the UI thread, for every view to follow.

The store tells its listeners what each committed transaction changed (`LibraryStore.listen`),
on whatever thread wrote. `StoreEvents` turns that into ``changed``, delivered on the thread it
lives on (the UI thread): the sync runner hears local edits there, the annotation views and
the library list hear what a sync pulled, and nobody tells anybody by hand.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from app.library.changes import StoreChange
from app.library.store import LibraryStore


class StoreEvents(QObject):
    """What the store changed, as ``changed(tuple[StoreChange, ...])`` on this object's thread.

    Args:
        store: the library store to listen to.
        parent: the owner (the window); call `stop` before the store closes.
    """

    changed = Signal(object)

    def __init__(self, store: LibraryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = store.listen(self._on_store_changed)

    def stop(self) -> None:
        """Stop listening (the window closes)."""
        self._stop()

    def _on_store_changed(self, changes: tuple[StoreChange, ...]) -> None:
        # any thread: a queued signal carries it to this object's thread
        if isValid(self):
            self.changed.emit(changes)
        else:  # deleted with its window while the store lives on
            self._stop()
