"""Checks of the stored annotations against their change log, for the doctor (report only).

Nothing here repairs anything: annotations hold a person's words, and a wrong guess would
lose them. The doctor reports what these checks find and leaves the data as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.library.annotations import AnnotationStore, to_record
from app.library.store import LibraryStore

#: The actions each kind of object may have in the change log.
KNOWN_CHANGES: dict[str, frozenset[str]] = {
    "annotation": frozenset({"create", "update", "delete", "restore"}),
    "progress": frozenset({"update"}),
}


@dataclass(frozen=True)
class KeptAnnotations:
    """Live annotations of a book that is no longer in the library (kept on purpose)."""

    book_id: str
    count: int


def change_log_problems(store: LibraryStore) -> list[str]:
    """What disagrees between the annotations and the change log (empty when they agree).

    Every annotation (a tombstone too: the sync ships deletions) must be in the log, and its
    last entry must hold the annotation exactly as it is stored; every logged annotation must
    exist; every entry must be of a kind and action this Mutolaa knows.
    """
    problems = []
    for kind, action, count in store.query(
        "SELECT object_kind, action, COUNT(*) FROM change_log GROUP BY object_kind, action "
        "ORDER BY object_kind, action"
    ):
        if action not in KNOWN_CHANGES.get(str(kind), frozenset()):
            problems.append(
                f"change log: {count} entr{'y' if count == 1 else 'ies'} of an unknown kind "
                f"({kind!s} {action!s}), written by another program or a newer Mutolaa"
            )
    last = {
        str(object_id): str(data)
        for object_id, data in store.query(
            "SELECT c.object_id, c.data FROM change_log c JOIN (SELECT MAX(seq) AS seq "
            "FROM change_log WHERE object_kind = 'annotation' GROUP BY object_id) m "
            "ON c.seq = m.seq"
        )
    }
    annotations = AnnotationStore(store)
    stored = [str(r[0]) for r in store.query("SELECT id FROM annotations ORDER BY id")]
    for annotation_id in stored:
        try:
            annotation = annotations.get(annotation_id)
        except (ValueError, TypeError, KeyError):
            continue  # unreadable: AnnotationStore.problems() reports it
        if annotation is None:
            continue
        data = last.get(annotation_id)
        if data is None:
            problems.append(
                f"annotation {annotation_id}: missing from the change log (the sync would "
                "never send it)"
            )
            continue
        try:
            snapshot = json.loads(data)
        except ValueError:
            problems.append(f"annotation {annotation_id}: its last change-log entry is unreadable")
            continue
        if snapshot != json.loads(json.dumps(to_record(annotation))):
            problems.append(
                f"annotation {annotation_id}: differs from its last change-log entry (it was "
                "changed without being logged)"
            )
    problems += [
        f"change log: annotation {annotation_id} is logged but not stored"
        for annotation_id in sorted(set(last) - set(stored))
    ]
    return problems


def kept_for_missing_books(store: LibraryStore) -> list[KeptAnnotations]:
    """Live annotations whose book is not in the library, per book (most first)."""
    rows = store.query(
        "SELECT book_id, COUNT(*) FROM annotations WHERE deleted_at IS NULL AND book_id NOT IN "
        "(SELECT id FROM books) GROUP BY book_id ORDER BY COUNT(*) DESC, book_id"
    )
    return [KeptAnnotations(str(book_id), int(count)) for book_id, count in rows]
