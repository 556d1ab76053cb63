"""Annotations with the notes attached to them, as exports list them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.core.models import Annotation


@dataclass
class Thread:
    """An annotation and the live notes attached to it (oldest first)."""

    head: Annotation
    notes: list[Annotation] = field(default_factory=list)


def threads(annotations: Sequence[Annotation]) -> list[Thread]:
    """The annotations in their order, each with its attached notes under it.

    A note whose parent is not among ``annotations`` stands on its own.
    """
    ids = {a.id for a in annotations}
    found = [Thread(a) for a in annotations if a.parent_id is None or a.parent_id not in ids]
    by_id = {t.head.id: t for t in found}
    for annotation in sorted(annotations, key=lambda a: (a.created_at, a.id)):
        if annotation.parent_id is not None and annotation.parent_id in ids:
            parent = by_id.get(annotation.parent_id)
            if parent is None:  # attached to a note that is attached itself: keep it visible
                by_id[annotation.id] = thread = Thread(annotation)
                found.append(thread)
            else:
                parent.notes.append(annotation)
    return found
