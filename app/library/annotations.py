"""Annotations of each profile: bookmarks, highlights and notes, never lost.

Every change is one durable SQLite transaction holding the change and its entry in the
change log (``app/library/changes.py``). A delete leaves a tombstone (``deleted_at``) that
the sync ships and undo can restore.
"""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from collections.abc import Sequence
from typing import Any

from app.core.errors import UserError
from app.core.models import (
    Anchor,
    Annotation,
    AnnotationKind,
    Change,
)
from app.library import changes
from app.library.store import LibraryStore

_COLUMNS = (
    "id, profile_id, book_id, kind, anchor, quote, color, body, parent_id, created_at, "
    "updated_at, deleted_at, detached, origin"
)
#: What an edit may change; the rest (id, profile, book, kind, times) is fixed.
EDITABLE = frozenset({"anchor", "quote", "color", "body", "parent_id", "detached", "origin"})


def anchor_to_json(anchor: Anchor) -> str:
    """The anchor as stored (compact JSON)."""
    return json.dumps(dataclasses.asdict(anchor), ensure_ascii=False, separators=(",", ":"))


def anchor_from_json(text: str) -> Anchor:
    """An anchor read back; unknown keys are ignored, missing ones take their defaults."""
    data = json.loads(text)
    known = {f.name for f in dataclasses.fields(Anchor)}
    values = {k: v for k, v in data.items() if k in known}
    values["quads"] = tuple(tuple(float(c) for c in quad) for quad in values.get("quads", ()))
    return Anchor(**values)


def to_record(annotation: Annotation) -> dict[str, Any]:
    """The annotation as plain data (the change log's snapshot and the exports' input)."""
    record = dataclasses.asdict(annotation)
    record["kind"] = annotation.kind.value
    return record


def _annotation(row: Sequence[Any]) -> Annotation:
    return Annotation(
        id=str(row[0]),
        profile_id=int(row[1]),
        book_id=str(row[2]),
        kind=AnnotationKind(row[3]),
        anchor=anchor_from_json(row[4]),
        quote=str(row[5]),
        color=str(row[6]),
        body=str(row[7]),
        parent_id=None if row[8] is None else str(row[8]),
        created_at=float(row[9]),
        updated_at=float(row[10]),
        deleted_at=None if row[11] is None else float(row[11]),
        detached=bool(row[12]),
        origin=str(row[13]),
    )


class AnnotationStore:
    """The annotations table and its change log, over one library's database."""

    def __init__(self, store: LibraryStore) -> None:
        self._store = store

    def create(
        self,
        book_id: str,
        kind: AnnotationKind,
        anchor: Anchor,
        *,
        quote: str = "",
        color: str = "",
        body: str = "",
        parent_id: str | None = None,
        origin: str = "mutolaa",
        profile_id: int,
        annotation_id: str | None = None,
        created_at: float | None = None,
    ) -> Annotation:
        """Save a new annotation (``annotation_id``/``created_at`` when it comes from an
        import or another device) and log it."""
        now = time.time()
        return self.add(
            Annotation(
                id=annotation_id or uuid.uuid4().hex,
                profile_id=profile_id,
                book_id=book_id,
                kind=AnnotationKind(kind),
                anchor=anchor,
                quote=quote,
                color=color,
                body=body,
                parent_id=parent_id,
                created_at=created_at if created_at is not None else now,
                updated_at=now,
                origin=origin,
            )
        )

    def add(self, annotation: Annotation, *, updated_at: float | None = None) -> Annotation:
        """Save a whole annotation record as it is (an import, a redo) and log it.

        Its ``updated_at`` becomes ``updated_at`` (an import keeps the file's time of the
        last change), else now; a record given as deleted is stored live.

        Raises:
            UserError: an annotation with that id exists already (live or deleted).
        """
        changed = time.time() if updated_at is None else updated_at
        annotation = dataclasses.replace(annotation, updated_at=changed, deleted_at=None)
        with self._store.transaction(durable=True) as db:
            if db.execute("SELECT 1 FROM annotations WHERE id = ?", (annotation.id,)).fetchone():
                raise UserError(f"annotation {annotation.id} exists already")
            db.execute(
                f"INSERT INTO annotations({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    annotation.id,
                    annotation.profile_id,
                    annotation.book_id,
                    annotation.kind.value,
                    anchor_to_json(annotation.anchor),
                    annotation.quote,
                    annotation.color,
                    annotation.body,
                    annotation.parent_id,
                    annotation.created_at,
                    annotation.updated_at,
                    None,
                    int(annotation.detached),
                    annotation.origin,
                ),
            )
            changes.record(
                db,
                "annotation",
                annotation.id,
                action="create",
                profile_id=annotation.profile_id,
                data=to_record(annotation),
            )
        return annotation

    def update(self, annotation_id: str, **edits: Any) -> Annotation:
        """Change some of ``EDITABLE`` (colour, note text, anchor…) and log it.

        Raises:
            UserError: no such live annotation, or a field that cannot be edited.
        """
        unknown = set(edits) - EDITABLE
        if unknown:
            raise UserError(f"cannot edit {', '.join(sorted(unknown))} of an annotation")
        with self._store.transaction(durable=True) as db:
            current = self._get(db, annotation_id)
            if current is None or current.deleted:
                raise UserError(f"no annotation {annotation_id}")
            changed = dataclasses.replace(current, **edits, updated_at=time.time())
            db.execute(
                "UPDATE annotations SET anchor = ?, quote = ?, color = ?, body = ?, "
                "parent_id = ?, detached = ?, origin = ?, updated_at = ? WHERE id = ?",
                (
                    anchor_to_json(changed.anchor),
                    changed.quote,
                    changed.color,
                    changed.body,
                    changed.parent_id,
                    int(changed.detached),
                    changed.origin,
                    changed.updated_at,
                    annotation_id,
                ),
            )
            changes.record(
                db,
                "annotation",
                annotation_id,
                action="update",
                profile_id=changed.profile_id,
                data=to_record(changed),
            )
        return changed

    def delete(self, annotation_id: str) -> Annotation:
        """Delete an annotation (a tombstone is kept), and the notes attached to it."""
        return self._mark_deleted(annotation_id, time.time(), "delete")

    def restore(self, annotation_id: str) -> Annotation:
        """Bring a deleted annotation back (undo), with the notes deleted together with it."""
        return self._mark_deleted(annotation_id, None, "restore")

    def _mark_deleted(self, annotation_id: str, at: float | None, action: str) -> Annotation:
        with self._store.transaction(durable=True) as db:
            current = self._get(db, annotation_id)
            if current is None:
                raise UserError(f"no annotation {annotation_id}")
            if current.deleted == (at is not None):
                return current  # already so: deleting twice is harmless
            now = time.time()
            children = [
                _annotation(row)
                for row in db.execute(
                    f"SELECT {_COLUMNS} FROM annotations WHERE parent_id = ? AND "
                    + ("deleted_at IS NULL" if at is not None else "deleted_at = ?"),
                    (annotation_id,) if at is not None else (annotation_id, current.deleted_at),
                )
            ]
            result = current
            for item in [current, *children]:
                changed = dataclasses.replace(item, deleted_at=at, updated_at=now)
                db.execute(
                    "UPDATE annotations SET deleted_at = ?, updated_at = ? WHERE id = ?",
                    (at, now, item.id),
                )
                changes.record(
                    db,
                    "annotation",
                    item.id,
                    action=action,
                    profile_id=item.profile_id,
                    data=to_record(changed),
                )
                if item is current:
                    result = changed
        return result

    def write_remote(self, db: Any, annotation: Annotation) -> None:
        """Store an annotation as the library server holds it, inside the caller's transaction
        (a sync applies a whole page at once). Logged as a remote change: never pushed back."""
        current = self._get(db, annotation.id)
        if current is None:
            action = "create"
        elif annotation.deleted and not current.deleted:
            action = "delete"
        elif current.deleted and not annotation.deleted:
            action = "restore"
        else:
            action = "update"
        db.execute(
            f"INSERT OR REPLACE INTO annotations({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                annotation.id,
                annotation.profile_id,
                annotation.book_id,
                annotation.kind.value,
                anchor_to_json(annotation.anchor),
                annotation.quote,
                annotation.color,
                annotation.body,
                annotation.parent_id,
                annotation.created_at,
                annotation.updated_at,
                annotation.deleted_at,
                int(annotation.detached),
                annotation.origin,
            ),
        )
        changes.record(
            db,
            "annotation",
            annotation.id,
            action=action,
            profile_id=annotation.profile_id,
            data=to_record(annotation),
            remote=True,
        )

    def live_count(self, profile_id: int) -> int:
        """How many live annotations the profile has."""
        rows = self._store.query(
            "SELECT COUNT(*) FROM annotations WHERE profile_id = ? AND deleted_at IS NULL",
            (profile_id,),
        )
        return int(rows[0][0])

    def get(self, annotation_id: str) -> Annotation | None:
        """One annotation, live or deleted."""
        rows = self._store.query(
            f"SELECT {_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
        )
        return _annotation(rows[0]) if rows else None

    @staticmethod
    def _get(db: Any, annotation_id: str) -> Annotation | None:
        row = db.execute(
            f"SELECT {_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
        ).fetchone()
        return _annotation(row) if row else None

    def of_book(self, book_id: str, profile_id: int) -> list[Annotation]:
        """The live annotations of a book, in the order they stand in it."""
        rows = self._store.query(
            f"SELECT {_COLUMNS} FROM annotations WHERE profile_id = ? AND book_id = ? "
            "AND deleted_at IS NULL",
            (profile_id, book_id),
        )
        return sorted((_annotation(r) for r in rows), key=_place)

    def search(
        self,
        profile_id: int,
        *,
        book_id: str | None = None,
        color: str | None = None,
        kind: AnnotationKind | None = None,
        text: str = "",
        origin_prefix: str = "",
    ) -> list[Annotation]:
        """Live annotations across the library, filtered; ``text`` (folded like search)
        matches the quote and the note; ``origin_prefix`` keeps those whose origin starts so
        (``conflict:`` — the sync's conflict copies)."""
        from app.core.textfold import fold  # noqa: PLC0415 - only for a text filter

        where = ["profile_id = ?", "deleted_at IS NULL"]
        params: list[str | int] = [profile_id]
        for column, value in (("book_id", book_id), ("color", color), ("kind", kind)):
            if value:
                where.append(f"{column} = ?")
                params.append(str(value))
        if origin_prefix:
            where.append("substr(origin, 1, ?) = ?")
            params.extend([len(origin_prefix), origin_prefix])
        rows = self._store.query(
            f"SELECT {_COLUMNS} FROM annotations WHERE {' AND '.join(where)} "
            "ORDER BY book_id, created_at",
            params,
        )
        found = [_annotation(r) for r in rows]
        needle = fold(text.strip())
        if needle:
            found = [a for a in found if needle in fold(f"{a.quote} {a.body}")]
        return sorted(found, key=lambda a: (a.book_id, _place(a)))

    def changes(self, after: int = 0, limit: int = 1000) -> list[Change]:
        """Entries of the change log after sequence number ``after``, oldest first."""
        rows = self._store.query(
            f"SELECT {changes.CHANGE_COLUMNS} FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?",
            (after, limit),
        )
        return changes.read(rows)

    def problems(self) -> list[str]:
        """What is wrong with the stored annotations (empty when sound): for the doctor."""
        found = []
        for row in self._store.query(f"SELECT {_COLUMNS} FROM annotations"):
            try:
                _annotation(row)
            except (ValueError, TypeError, KeyError) as exc:
                found.append(f"annotation {row[0]}: unreadable ({exc})")
        orphans = self._store.query(
            "SELECT a.id FROM annotations a WHERE a.parent_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM annotations p WHERE p.id = a.parent_id)"
        )
        found += [
            f"annotation {r[0]}: attached to an annotation that does not exist" for r in orphans
        ]
        return found


def _place(annotation: Annotation) -> tuple[int, int, float, float, float]:
    anchor = annotation.anchor
    top = min((q[1] for q in anchor.quads), default=0.0)
    left = min((q[0] for q in anchor.quads), default=0.0)
    return (anchor.page, anchor.start, top, left, annotation.created_at)
