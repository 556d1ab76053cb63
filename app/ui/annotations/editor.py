"""The window's annotations: reading them and changing them through one undo stack.

Every store call runs on the window's query runner (never on the UI thread). When this person's
annotations changed — by one of this editor's commands (once, when it is done), or elsewhere as
the store announces it (pulled by a sync, resolved in the conflicts dialog) — ``changed`` names
their books, and every panel and reader showing one reads them again.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from shiboken6 import isValid

from app.core.models import Anchor, Annotation, AnnotationKind, Book
from app.documents.worker import DocumentWorker
from app.library.annotations import AnnotationStore
from app.library.changes import StoreChange
from app.services.annotations.pdf_annotations import adopt_pdf_annotations
from app.services.session import Session
from app.ui.annotations.commands import CreateCommand, DeleteCommand, EditCommand
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner


class AnnotationEditor(QObject):
    """Reads and changes the annotations of one profile; edits are undoable.

    Signals:
        changed(frozenset): the ids of the books whose annotations changed (as the store
            announced them, or a failed change, to show what the store holds).
        failed(object): a store call failed (the error).
    """

    changed = Signal(object)
    failed = Signal(object)
    _heard = Signal(object)  # books, from the thread that wrote: queued to this one

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._library = session.library
        self._runner = runner
        self.profile_id = session.profile_id
        self.stack = QUndoStack(self)
        # the changes of this person's annotations made elsewhere (pulled by a sync, the
        # conflicts dialog, an import) come from the store; this editor's own commands are
        # announced once each, when done, so a view reloads once, not once per transaction
        self._own = threading.local()
        self._heard.connect(self.changed)
        self._stop_listening = session.library.store.listen(self._on_store_changed)

    def stop(self) -> None:
        """Stop following the store (the window closes before its library)."""
        self._stop_listening()

    def _on_store_changed(self, changes: tuple[StoreChange, ...]) -> None:
        """The store's announcement, on the thread that wrote it."""
        if getattr(self._own, "writing", False):
            return  # one of this editor's commands: ``changed`` follows when it is done
        books = frozenset(
            c.book_id
            for c in changes
            if c.kind == "annotation" and c.profile_id == self.profile_id and c.book_id
        )
        if books and isValid(self):
            self._heard.emit(books)

    # --- reading ---------------------------------------------------------------------------

    def load_book(self, book_id: str, done: Callable[[list[Annotation]], None]) -> None:
        """Read the live annotations of a book, then ``done(annotations)``."""
        store, profile = self._library.annotations, self.profile_id
        self._runner.submit(lambda: store.of_book(book_id, profile), done, self.failed.emit)

    def load_all(self, done: Callable[[tuple[list[Annotation], dict[str, str]]], None]) -> None:
        """Read every live annotation of the profile and the titles of their books."""
        library, profile = self._library, self.profile_id

        def work() -> tuple[list[Annotation], dict[str, str]]:
            found = library.annotations.search(profile)
            titles = {}
            for book_id in {a.book_id for a in found}:
                book = library.store.get(book_id)
                titles[book_id] = book.title if book is not None else book_id[:10]
            return found, titles

        self._runner.submit(work, done, self.failed.emit)

    def adopt_pdf(self, book: Book, worker: DocumentWorker, password: str | None) -> int:
        """Adopt the annotations a PDF holds itself, the first time this profile opens it.

        Runs where ``worker`` may be used (the drawing thread); returns how many were added
        (then announce them with ``announce``).
        """
        return adopt_pdf_annotations(self.session, worker, book, password)

    def announce(self, book_id: str) -> None:
        """Tell every view of a book that its annotations changed."""
        self.changed.emit(frozenset({book_id}))

    # --- changing --------------------------------------------------------------------------

    def new(self, book_id: str, kind: AnnotationKind, anchor: Anchor, **fields: Any) -> Annotation:
        """A new annotation of this profile (not saved yet: give it to ``create``)."""
        now = time.time()
        return Annotation(
            id=uuid.uuid4().hex,
            profile_id=self.profile_id,
            book_id=book_id,
            kind=kind,
            anchor=anchor,
            created_at=now,
            updated_at=now,
            **fields,
        )

    def create(self, items: list[Annotation], text: str) -> None:
        """Save new annotations as one undoable step named ``text``."""
        if items:
            self._push(CreateCommand(self._run, items, text))

    def edit(self, annotation: Annotation, text: str, **changes: Any) -> None:
        """Change fields of an annotation (colour, body…) as one undoable step."""
        changes = {k: v for k, v in changes.items() if getattr(annotation, k) != v}
        if changes:
            self._push(EditCommand(self._run, annotation, text, changes))

    def set_color(self, annotation: Annotation, color: str) -> None:
        """Give a highlight another colour."""
        self.edit(annotation, ui_text("Change colour"), color=color)

    def set_text(self, annotation: Annotation, note: Annotation | None, text: str) -> None:
        """Set the text written on a row: a bookmark's name, a note's text, or the note of a
        highlight (``note``: the note it has; one is added when it has none, and an emptied
        note is deleted)."""
        if annotation.kind is AnnotationKind.BOOKMARK:
            self.edit(annotation, ui_text("Rename bookmark"), body=text.strip())
        elif annotation.kind is AnnotationKind.NOTE:
            self.edit(annotation, ui_text("Edit note"), body=text)
        elif note is not None:
            if text.strip():
                self.edit(note, ui_text("Edit note"), body=text)
            else:
                self.delete(note)
        elif text.strip():
            attached = self.new(
                annotation.book_id,
                AnnotationKind.NOTE,
                annotation.anchor,
                quote=annotation.quote,
                color=annotation.color,
                body=text,
                parent_id=annotation.id,
            )
            self.create([attached], ui_text("Add note"))

    def delete(self, annotation: Annotation) -> None:
        """Delete an annotation (a highlight's note goes with it) as one undoable step."""
        texts = {
            AnnotationKind.BOOKMARK: ui_text("Delete bookmark"),
            AnnotationKind.NOTE: ui_text("Delete note"),
            AnnotationKind.HIGHLIGHT: ui_text("Delete highlight"),
        }
        self._push(DeleteCommand(self._run, annotation, texts[annotation.kind]))

    def repair(self, book_id: str, fixes: list[tuple[Annotation, dict[str, Any]]]) -> None:
        """Save anchors found again, or mark annotations detached (not undoable: the book
        decided, not the reader)."""

        def work(store: AnnotationStore) -> object:
            return [store.update(item.id, **values) for item, values in fixes]

        if fixes:
            self._run(book_id, work)

    def _push(self, command: QUndoCommand) -> None:
        self.stack.push(command)  # runs the command's redo()

    def _run(self, book_id: str, work: Callable[[AnnotationStore], object]) -> None:
        store = self._library.annotations
        books = frozenset({book_id})

        def failed(error: BaseException) -> None:
            self.failed.emit(error)
            self.changed.emit(books)  # show what the store holds

        own = self._own

        def run() -> object:
            own.writing = True  # on the runner's thread: its announcements are this command's
            try:
                return work(store)
            finally:
                own.writing = False

        self._runner.submit(run, lambda _result: self.changed.emit(books), failed)
