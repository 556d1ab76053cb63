"""The conflict rules of the sync protocol: pure functions over plain data (docs/sync-protocol.md).

`resolve` says what the server stores when a pushed change (`Incoming`) arrives over its current
copy of the object (`Stored`); the client uses the same function when a pulled object meets an
unpushed local edit. Only versions and data decide, never the times written in the data
(`updated_at`, `created_at` travel as data and win or lose with their side like any field).

The rules, in the order they are tried:

- No current copy: the change is ``applied`` as sent (a delete of an unknown object is stored
  as a tombstone).
- ``base_version == current.version`` (the client saw the server's copy): ``applied`` as sent,
  for every kind, deletes and edits of a tombstone included.
- A stale base (any other ``base_version``; one *newer* than the server's is treated as stale
  too, since the server's copy is then not the one the client edited):
  - a delete is ``kept``. Over a live copy, that copy changed after the client's base: an
    edit beats a delete (annotations), a holding edited since stays, a progress is never
    deleted by a device that did not see the latest position. Over a tombstone, the one
    tombstone stays as it is (delete and delete: nothing new to store, the same every time);
  - an edit of a tombstone is ``merged``: the object comes back with the pushed data (an edit
    beats a delete), for every kind;
  - progress keeps the furthest position (larger ``fraction``): a further push is ``merged``
    with the pushed data, one behind or level is ``kept`` (a stored progress without a valid
    fraction counts as behind; a pushed one without it is refused, whatever the versions);
  - a holding edit is ``merged`` with the pushed data (holdings are a union);
  - a shelf edit is ``merged``: its name and kind as pushed, its ``books`` merged against
    ``base`` as sets (a book put on one side and not taken off on the other stays; without a
    base, the union), so a book shelved on each of two devices is on the shelf for both;
  - an annotation edit is merged field by field against ``base`` (the object's data at
    ``base_version``, None when the server no longer knows it, and then every differing field
    counts as changed on both sides). A field changed on one side only takes that side's
    value; changed on both, the pushed value wins (the server accepts it last), except
    ``body``: two different texts keep the server's in the object and make a conflict copy
    (`Copy`, id `conflict_copy_id(op_id)`, the merged data with the pushed body and
    ``conflict_of`` = the object's id). A text never loses to an empty body, whichever side
    is empty, so no text is ever lost.

Everything is deterministic: the same inputs give the same `Resolution`, and a retried push
makes the same conflict copy (same id), so retries are harmless.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

KINDS: Final = ("annotation", "progress", "holding", "shelf")
"""The kinds of object the protocol knows."""

CONFLICT_COPY_NAMESPACE: Final = uuid.UUID("aed52915-4575-401d-b605-956c5c5fd975")
"""The UUID5 namespace of conflict-copy ids; never change it (a retried push must make the
same copy)."""

MASS_DELETION_MINIMUM: Final = 10
"""A deletion of at most this many objects never counts as a mass deletion."""

_MISSING: Final = object()


@dataclass(frozen=True)
class Stored:
    """The server's current copy of an object (or the client's, when it resolves a pull)."""

    kind: str
    id: str
    version: int
    deleted: bool
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Incoming:
    """A pushed change: `base_version` is the version the edit was based on (0: never seen)."""

    op_id: str
    kind: str
    id: str
    base_version: int
    deleted: bool
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Copy:
    """A conflict copy to create: a new object of the incoming change's kind."""

    id: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Resolution:
    """What to store: the object's state after the change, and any conflict copies to create.

    For ``kept`` the state is the current one, unchanged (nothing new needs storing).
    """

    status: Literal["applied", "merged", "kept"]
    deleted: bool
    data: Mapping[str, Any]
    copies: tuple[Copy, ...] = ()


def resolve(
    current: Stored | None, incoming: Incoming, base: Mapping[str, Any] | None = None
) -> Resolution:
    """Decide what the server stores when `incoming` arrives over `current`.

    Args:
        current: the stored copy of the object, or None when there is none.
        incoming: the pushed change.
        base: the object's data at ``incoming.base_version`` when it is still known, else None;
            used only for the field-wise merge of annotations.

    Returns:
        The resolution: ``applied`` (as sent), ``merged`` (the rules made the data) or ``kept``
        (the change lost; the current copy returned), with any conflict copies.

    Raises:
        ValueError: an unknown kind, a current copy of another object, a negative base
            version, or a pushed progress (not a delete) without a ``fraction`` from 0 to 1.
    """
    _check(current, incoming)
    pushed = None
    if incoming.kind == "progress" and not incoming.deleted:
        # checked on every path, so that no stored position lacks a fraction to compare later
        pushed = _fraction(incoming.data, f"{_where(incoming)}: the pushed progress")
    if current is None or incoming.base_version == current.version:
        return Resolution("applied", incoming.deleted, dict(incoming.data))
    if incoming.deleted:
        return _kept(current)
    if current.deleted:
        return Resolution("merged", False, dict(incoming.data))
    if pushed is not None:
        if _is_behind(current.data, pushed):
            return Resolution("merged", False, dict(incoming.data))
        return _kept(current)
    if incoming.kind == "holding":
        return Resolution("merged", False, dict(incoming.data))
    if incoming.kind == "shelf":
        return _merge_shelf(current, incoming, base)
    return _merge_annotation(current, incoming, base)


def conflict_copy_id(op_id: str) -> str:
    """The id of the conflict copy a change makes: UUID5 of its op_id (stable across retries)."""
    if not op_id:
        raise ValueError("conflict_copy_id: the op_id is empty")
    return str(uuid.uuid5(CONFLICT_COPY_NAMESPACE, op_id))


def mass_deletion(live: int, deleting: int) -> bool:
    """True when deleting `deleting` of `live` objects must stop and ask.

    That is more than half of them and more than `MASS_DELETION_MINIMUM` (10).
    """
    if live < 0 or deleting < 0:
        raise ValueError(
            f"mass_deletion: counts must not be negative (live={live}, deleting={deleting})"
        )
    return deleting > MASS_DELETION_MINIMUM and 2 * deleting > live


def pull_progress(
    local: Mapping[str, Any] | None, remote: Mapping[str, Any]
) -> Literal["apply", "ask", "same"]:
    """What a client does with a pulled progress: never move a reader backwards by itself.

    Returns:
        ``apply`` when there is no local progress or the pulled one is further, ``ask`` when it
        is behind the local one (the person is asked whether to go there), ``same`` when both
        are at the same fraction.
    """
    remote_fraction = _fraction(remote, "the pulled progress")
    if local is None:
        return "apply"
    local_fraction = _fraction(local, "the local progress")
    if remote_fraction > local_fraction:
        return "apply"
    if remote_fraction < local_fraction:
        return "ask"
    return "same"


def _check(current: Stored | None, incoming: Incoming) -> None:
    """Refuse inputs the rules cannot decide, each with a one-line message saying where."""
    where = _where(incoming)
    if incoming.kind not in KINDS:
        raise ValueError(f"{where}: unknown kind {incoming.kind!r} (known: {', '.join(KINDS)})")
    if incoming.base_version < 0:
        raise ValueError(f"{where}: base_version {incoming.base_version} is negative")
    if current is not None and (current.kind, current.id) != (incoming.kind, incoming.id):
        raise ValueError(
            f"{where}: the current copy is of another object ({current.kind} {current.id!r})"
        )


def _where(incoming: Incoming) -> str:
    """How a message names a change: its op_id, kind and object id."""
    return f"change {incoming.op_id!r} ({incoming.kind} {incoming.id!r})"


def _kept(current: Stored) -> Resolution:
    """The change lost: the current copy, unchanged."""
    return Resolution("kept", current.deleted, dict(current.data))


def _merge_annotation(
    current: Stored, incoming: Incoming, base: Mapping[str, Any] | None
) -> Resolution:
    """Three-way merge of an annotation edit over a live copy edited since its base."""
    merged: dict[str, Any] = {}
    copy_body: Any = _MISSING
    keys = list(dict.fromkeys([*current.data, *incoming.data, *(base or {})]))
    for key in keys:
        theirs = current.data.get(key, _MISSING)
        ours = incoming.data.get(key, _MISSING)
        if theirs == ours:
            value = theirs
        elif base is not None and ours == base.get(key, _MISSING):
            value = theirs  # changed on the server only
        elif base is not None and theirs == base.get(key, _MISSING):
            value = ours  # changed by the push only
        elif key == "body":
            value, copy_body = _merge_bodies(theirs, ours)
        else:
            value = ours  # changed on both sides: the version the server accepts last wins
        if value is not _MISSING:
            merged[key] = value
    copies: tuple[Copy, ...] = ()
    if copy_body is not _MISSING:
        copy_data = {**merged, "body": copy_body, "conflict_of": incoming.id}
        copies = (Copy(conflict_copy_id(incoming.op_id), copy_data),)
    return Resolution("merged", False, merged, copies)


def _merge_shelf(current: Stored, incoming: Incoming, base: Mapping[str, Any] | None) -> Resolution:
    """A shelf edit over a live copy edited since its base: the pushed fields, and its books
    merged as sets against the base (what the push took off goes, what it put on comes, what
    the server's copy gained since stays); no base: the union of both."""
    theirs = _book_list(current.data)
    ours = _book_list(incoming.data)
    was = _book_list(base) if base is not None else []
    ours_keys = {_book_key(b) for b in ours}
    taken_off = {_book_key(b) for b in was} - ours_keys
    books = list(ours)
    for book in theirs:
        key = _book_key(book)
        if key not in ours_keys and key not in taken_off:
            books.append(book)
            ours_keys.add(key)
    return Resolution("merged", False, {**incoming.data, "books": books})


def _book_list(data: Mapping[str, Any]) -> list[Any]:
    """A shelf's ``books`` (a list of book references); anything else counts as none."""
    books = data.get("books")
    return list(books) if isinstance(books, list) else []


def _book_key(book: Any) -> str:
    """How a shelf's merge tells books apart: the reference's content hash, else its entry."""
    if isinstance(book, Mapping):
        return str(book.get("sha256") or book.get("entry") or book)
    return repr(book)


def _merge_bodies(theirs: Any, ours: Any) -> tuple[Any, Any]:
    """Two different bodies changed on both sides: (the object's body, the copy's body or _MISSING).

    Two texts: the server's stays and the pushed one goes to a copy. A text beats an empty
    body (None, missing or blank) on either side, so no text is lost and no empty copy is made.
    """
    if _is_text(ours) and _is_text(theirs):
        return theirs, ours
    if _is_text(ours):
        return ours, _MISSING
    return theirs, _MISSING


def _is_text(value: Any) -> bool:
    """True for a string with something in it other than spaces."""
    return isinstance(value, str) and bool(value.strip())


def _is_behind(stored: Mapping[str, Any], pushed: float) -> bool:
    """True when a stored progress is behind `pushed`; one without a valid fraction always is
    (it has no position worth keeping, and refusing would stop the account's sync for good)."""
    try:
        return _fraction(stored, "the stored progress") < pushed
    except ValueError:
        return True


def _fraction(progress: Mapping[str, Any], what: str) -> float:
    """The progress's ``fraction`` (a number from 0 to 1), or a ValueError saying what is wrong."""
    value = progress.get("fraction", _MISSING)
    if value is _MISSING:
        raise ValueError(f"{what} has no 'fraction'")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} has a 'fraction' that is not a number: {value!r}")
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise ValueError(f"{what} has a 'fraction' outside 0–1: {value!r}")
    return float(value)
