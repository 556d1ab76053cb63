"""Undoable annotation edits: each command runs its store call on the window's query runner.

A command knows everything it needs before it runs (a new annotation's id is made here, not
by the store), so an undo pressed before the store has answered simply queues behind it on
the same single-threaded runner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.core.models import Annotation
from app.library.annotations import AnnotationStore

#: Runs ``work`` with the store in the background, then announces that ``book_id`` changed.
Run = Callable[[str, Callable[[AnnotationStore], object]], None]


def _create(store: AnnotationStore, item: Annotation) -> Annotation:
    existing = store.get(item.id)
    if existing is not None:  # made before and undone: bring it back
        return store.restore(item.id)
    return store.add(item)


class CreateCommand(QUndoCommand):
    """Create annotations (a highlight and its note are one step); undo deletes them."""

    def __init__(self, run: Run, items: list[Annotation], text: str) -> None:
        super().__init__(text)
        self._run = run
        self._items = list(items)

    @property
    def items(self) -> list[Annotation]:
        """The annotations this command creates."""
        return list(self._items)

    def redo(self) -> None:
        items = self._items

        def work(store: AnnotationStore) -> object:
            return [_create(store, item) for item in items]

        self._run(items[0].book_id, work)

    def undo(self) -> None:
        items = self._items

        def work(store: AnnotationStore) -> object:
            return [store.delete(item.id) for item in reversed(items)]

        self._run(items[0].book_id, work)


class EditCommand(QUndoCommand):
    """Change some fields of an annotation; undo puts the previous values back."""

    def __init__(
        self, run: Run, annotation: Annotation, text: str, changes: dict[str, Any]
    ) -> None:
        super().__init__(text)
        self._run = run
        self._annotation = annotation
        self._after = dict(changes)
        self._before = {name: getattr(annotation, name) for name in changes}

    def redo(self) -> None:
        self._apply(self._after)

    def undo(self) -> None:
        self._apply(self._before)

    def _apply(self, values: dict[str, Any]) -> None:
        annotation_id = self._annotation.id
        self._run(self._annotation.book_id, lambda store: store.update(annotation_id, **values))


class DeleteCommand(QUndoCommand):
    """Delete an annotation (and the notes attached to it); undo restores them."""

    def __init__(self, run: Run, annotation: Annotation, text: str) -> None:
        super().__init__(text)
        self._run = run
        self._annotation = annotation

    def redo(self) -> None:
        annotation_id = self._annotation.id
        self._run(self._annotation.book_id, lambda store: store.delete(annotation_id))

    def undo(self) -> None:
        annotation_id = self._annotation.id
        self._run(self._annotation.book_id, lambda store: store.restore(annotation_id))
