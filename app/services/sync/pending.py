"""What a sync left for the person to decide: notes edited on two devices, positions behind.

A note edited on two devices is kept twice: the note and its conflict copy (an annotation whose
``origin`` is ``conflict:<id of the note>``). Keeping one deletes the other (the deletion is
synced like any other); keeping both turns the copy into an ordinary note (its origin edited,
synced like any edit, so the other devices stop listing the pair too). A position question is
answered by going to the other device's position or staying; both forget the question
(docs/sync-protocol.md, conflict rules 1 and 3). Every function reads or writes the store: call
them off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.models import Annotation
from app.library.sync_state import Question, SyncState
from app.services.session import Session
from app.services.sync.server_sync import CONFLICT_ORIGIN


@dataclass(frozen=True)
class NoteConflict:
    """A note edited on two devices: the note as the server kept it and the other text."""

    original: Annotation
    copy: Annotation
    book_title: str


@dataclass(frozen=True)
class PositionQuestion:
    """A reading position another device had behind this one, with the book's title."""

    question: Question
    book_title: str


@dataclass(frozen=True)
class Pending:
    """Everything left to decide."""

    conflicts: tuple[NoteConflict, ...] = ()
    questions: tuple[PositionQuestion, ...] = ()


def find_conflicts(session: Session) -> list[NoteConflict]:
    """The live conflict copies whose note is live too.

    A copy whose note was deleted is an ordinary note now: the person kept it.
    """
    library = session.library
    notes = library.annotations
    found: list[NoteConflict] = []
    for copy in notes.search(session.profile_id, origin_prefix=CONFLICT_ORIGIN):
        original = notes.get(copy.origin[len(CONFLICT_ORIGIN) :])
        if original is None or original.deleted:
            continue
        book = library.store.get(copy.book_id)
        found.append(NoteConflict(original, copy, book.title if book else copy.book_id[:12]))
    return found


def read_questions(session: Session) -> list[PositionQuestion]:
    """The position questions a sync asked, oldest first."""
    store = session.library.store
    asked: list[PositionQuestion] = []
    for question in SyncState(store, session.profile_id).questions():
        book = store.get(question.object_id)
        asked.append(PositionQuestion(question, book.title if book else question.object_id[:12]))
    return asked


def read_pending(session: Session) -> Pending:
    """The conflicts and the questions."""
    return Pending(tuple(find_conflicts(session)), tuple(read_questions(session)))


def keep_one(session: Session, conflict: NoteConflict, kept: Annotation) -> None:
    """Keep ``kept`` (the note or its copy) and delete the other one."""
    other = conflict.copy if kept.id == conflict.original.id else conflict.original
    session.library.annotations.delete(other.id)


def keep_both(session: Session, conflict: NoteConflict) -> None:
    """Keep both texts: the copy becomes an ordinary note (synced like any edit)."""
    session.library.annotations.update(conflict.copy.id, origin="mutolaa")


def answer_question(session: Session, question: Question, *, go: bool) -> None:
    """Go to the other device's position (``go``) or stay here; the question is forgotten."""
    store = session.library.store
    if go:
        store.set_progress(
            question.object_id,
            str(question.data.get("position", "")),
            float(question.data.get("fraction", 0.0)),
            session.profile_id,
        )
    SyncState(store, session.profile_id).forget_question(question.id)
