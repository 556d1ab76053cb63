"""Syncing a profile's reading life with its library server (docs/sync-protocol.md).

`LibraryReplica` is the library's side of `sync.engine.run_sync`: its outbox is the profile's
change log after the last acknowledged entry, one change per object (its latest state), plus
the holdings of this device that the server has not been told about; it applies the server's
push results and pulled pages in one transaction each, moving the positions in the same
transaction, so a sync cut anywhere goes on where it stopped and nothing is applied twice.
Objects a sync writes are logged as remote changes: they are never pushed back.

A book travels as ``{"sha256": …, "entry": …}``; progress and holdings are named by the book's
key: its catalogue entry id where it has one (``entry:<id>``), else its content hash
(``sha256:<hex>``). A pulled annotation of a book this library does not hold is kept under the
book's hash (annotations outlive their books), and shows when the book arrives.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import platform
import sqlite3
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from app.core.models import Annotation, AnnotationKind, Book, Change
from app.core.paths import Paths, resolve_paths
from app.library.annotations import AnnotationStore, anchor_from_json
from app.library.downloads import DownloadQueue
from app.library.profiles import ProfileStore
from app.library.shelves import BUILT_IN, NAMED, Shelf, ShelfStore
from app.library.sync_state import SyncAccount, SyncState
from app.services.session import Library, Session
from app.services.sync.logout import revoke_pending
from sync.conflicts import mass_deletion, pull_progress
from sync.engine import MassDeletion, Outgoing, SyncReport, SyncServer, run_sync
from sync.http import HttpClient, HttpPolicy, client_or_own
from sync.protocol import PullPage, PushResult

log = logging.getLogger(__name__)

#: The network policy of a sync: a few retries, short waits (a sync runs again later anyway).
SYNC_POLICY = HttpPolicy(max_retries=2, backoff_max=8.0)
#: The origin of a conflict copy: this prefix and the id of the note it copies.
CONFLICT_ORIGIN = "conflict:"
_HOLDING_NAMESPACE = uuid.UUID("6f1d5a34-0c3e-4f7d-9a53-2f8e1b7c9d10")


def device_name(paths: Paths, person: str) -> str:
    """This library as the person's other devices name it: ``computer — person`` (a device is
    one person in one library: several people on one PC are several devices), and the library's
    folder when it is not the computer's usual one (several libraries on one PC, a USB stick)."""
    computer = f"{platform.node()[:40] or 'this computer'} — {person}"
    folder = paths.data
    if folder == resolve_paths(None).data:
        return computer
    home = Path.home()
    shown = f"~/{folder.relative_to(home)}" if folder.is_relative_to(home) else str(folder)
    if len(shown) > 60:
        shown = "…" + shown[-59:]
    return f"{computer} ({shown})"


def book_key(sha256: str, entry: str | None) -> str:
    """The name of a book across devices: its catalogue entry where it has one."""
    return f"entry:{entry}" if entry else f"sha256:{sha256}"


class LibraryReplica:
    """The library's side of a sync, for one profile's account."""

    def __init__(self, library: Library, account: SyncAccount) -> None:
        self.library = library
        self.account = account
        self.state = SyncState(library.store, account.profile_id)
        self.annotations = AnnotationStore(library.store)
        self.shelves = ShelfStore(library.store, account.profile_id)
        self._pushed_seq = account.pushed_seq
        self._cursor = account.pulled_version
        self._bases: dict[str, int] = {}  # the outbox's annotations: their server versions

    @property
    def device(self) -> str:
        return self.account.device_id

    @functools.cached_property
    def device_name(self) -> str:
        """How the other devices name this library, for this person, in their lists of
        holdings (read once a sync)."""
        person = ProfileStore(self.library.store).get(self.account.profile_id).name
        return device_name(self.library.paths, person)

    @property
    def cursor(self) -> int:
        return self._cursor

    # -- push ----------------------------------------------------------------------------------

    def outbox(self, limit: int) -> list[Outgoing]:
        latest = self._latest_changes(limit)
        books = self.library.store.books_by_ids(
            sorted({c.object_id for c in latest.values() if c.object_kind == "progress"})
            + sorted({_book_of(c) for c in latest.values() if c.object_kind == "annotation"})
            + sorted({b for c in latest.values() if c.object_kind == "shelf" for b in _books_of(c)})
        )
        self._bases = self.state.versions("annotation", [i for k, i in latest if k == "annotation"])
        out: list[Outgoing] = []
        for change in sorted(latest.values(), key=lambda c: c.seq):
            outgoing = self._outgoing(change, books)
            if outgoing is not None:
                out.append(outgoing)
        if len(out) < limit:
            out.extend(self._holdings_outbox(limit - len(out)))
        if not out and latest:  # only changes that travel nowhere (e.g. a book's own)
            with self.library.store.transaction() as db:
                self.state.set_pushed(db, max(c.seq for c in latest.values()))
            self._pushed_seq = max(c.seq for c in latest.values())
            return self.outbox(limit)
        return out

    def _latest_changes(self, limit: int) -> dict[tuple[str, str], Change]:
        """The latest unpushed change of up to `limit` objects, in log order, read from the log
        `limit` entries at a time (an object changed several times is sent once)."""
        latest: dict[tuple[str, str], Change] = {}
        after = self._pushed_seq
        while True:
            chunk = self.state.local_changes(after, limit)
            for change in chunk:
                latest[(change.object_kind, change.object_id)] = change
                if len(latest) >= limit:
                    return latest
            if len(chunk) < limit:
                return latest
            after = chunk[-1].seq

    def _outgoing(self, change: Change, books: Mapping[str, Book]) -> Outgoing | None:
        data = json.loads(change.data)
        if change.object_kind == "annotation":
            book = books.get(str(data.get("book_id", "")))
            payload = {
                key: value
                for key, value in data.items()
                if key not in ("profile_id", "book_id", "deleted_at", "id")
            }
            payload["book"] = _book_ref(str(data.get("book_id", "")), book)
            # a conflict copy kept as an ordinary note ("Keep both") stops naming its note
            origin = str(data.get("origin", ""))
            payload["conflict_of"] = (
                origin[len(CONFLICT_ORIGIN) :] if origin.startswith(CONFLICT_ORIGIN) else None
            )
            return Outgoing(
                op_id=change.op_id,
                kind="annotation",
                id=change.object_id,
                base_version=self._bases.get(change.object_id, 0),
                deleted=data.get("deleted_at") is not None,
                data=payload,
                seq=change.seq,
            )
        if change.object_kind == "progress":
            book = books.get(change.object_id)
            key = book_key(change.object_id, book.source_entry if book else None)
            payload = {
                "book": _book_ref(change.object_id, book),
                "position": data.get("position", ""),
                "fraction": float(data.get("fraction", 0.0)),
                "device": self.device,
            }
            return Outgoing(
                op_id=change.op_id,
                kind="progress",
                id=key,
                base_version=self.state.version("progress", key),
                deleted=False,
                data=payload,
                seq=change.seq,
            )
        if change.object_kind == "shelf":
            return Outgoing(
                op_id=change.op_id,
                kind="shelf",
                id=change.object_id,
                base_version=self.state.version("shelf", change.object_id),
                deleted=data.get("deleted_at") is not None,
                data={
                    "name": data.get("name", ""),
                    "kind": data.get("kind", NAMED),
                    "created_at": data.get("created_at", 0.0),
                    "updated_at": data.get("updated_at", 0.0),
                    "books": [_book_ref(b, books.get(b)) for b in data.get("books", [])],
                },
                seq=change.seq,
            )
        return None  # what stays on this library (a hidden book) travels nowhere

    def _holdings_outbox(self, limit: int) -> list[Outgoing]:
        """Books this device keeps that the server has not heard of, and those it no longer
        keeps (a holding is named ``<device>:<book key>``)."""
        told = self.state.holdings(self.device)
        # where each downloaded book came from (a catalogue's entry or an address), so another
        # device can fetch the same file
        hrefs = {
            d.book_id: d.url
            for d in DownloadQueue(self.library.store).list(self.account.profile_id)
            if d.state == "done" and d.book_id
        }
        # the person's shelves of each book travel with its holding (docs/shelves.md)
        shelved = self.shelves.names_by_book()
        keep: dict[str, dict[str, Any]] = {}
        for book in self.library.store.books():
            object_id = f"{self.device}:{book_key(book.id, book.source_entry)}"
            keep[object_id] = {
                "book": _book_ref(book.id, book),
                "title": book.title,
                "authors": list(book.authors),
                "catalog": book.source if book.source_entry else "",
                "device": self.device,
                "device_name": self.device_name,
            }
            if book.id in hrefs:
                keep[object_id]["href"] = hrefs[book.id]
            if book.id in shelved:
                keep[object_id]["shelves"] = shelved[book.id]
        out: list[Outgoing] = []
        for object_id, data in keep.items():
            known = told.get(object_id)
            if known is None or known[2] or known[1] != data:
                out.append(self._holding(object_id, data, deleted=False))
        for object_id, (_device, data, deleted) in told.items():
            if object_id not in keep and not deleted:
                out.append(self._holding(object_id, data, deleted=True))
        return out[:limit]

    def _holding(self, object_id: str, data: dict[str, Any], *, deleted: bool) -> Outgoing:
        base = self.state.version("holding", object_id)
        # the same holding change gets the same op_id until the server acknowledged it
        op_id = uuid.uuid5(_HOLDING_NAMESPACE, f"{object_id}:{base}:{deleted}").hex
        return Outgoing(op_id, "holding", object_id, base, deleted, data, seq=0)

    def acknowledge(self, sent: Sequence[Outgoing], results: Sequence[PushResult]) -> None:
        pushed = max((o.seq for o in sent), default=0)
        with self.library.store.transaction(durable=True) as db:
            for result in results:
                self.state.set_version(db, result.kind, result.id, result.version)
                if result.kind == "holding" and result.status in ("applied", "merged", "duplicate"):
                    self.state.set_holding(
                        db, result.id, self.device, dict(result.data), result.deleted
                    )
                elif result.status in ("merged", "kept", "created"):
                    # the server's copy is the truth now, unless this device changed it again
                    local_id = self._local_id(result.kind, result.id, result.data)
                    if not self.state.pending(db, result.kind, local_id, pushed):
                        self._write(db, result.kind, result.id, result.deleted, result.data)
            self.state.set_pushed(db, pushed)
        self._pushed_seq = max(self._pushed_seq, pushed)

    # -- pull ----------------------------------------------------------------------------------

    def apply(self, page: PullPage, *, allow_deletions: bool) -> int:
        if not allow_deletions:
            self._check_deletions(page)
        changed = 0
        known = {
            kind: self.state.versions(kind, [i.id for i in page.changes if i.kind == kind])
            for kind in {i.kind for i in page.changes}
        }
        with self.library.store.transaction(durable=True) as db:
            for item in page.changes:
                if known[item.kind].get(item.id, 0) >= item.version:
                    continue  # already here at that version: this device pushed it
                self.state.set_version(db, item.kind, item.id, item.version)
                if item.kind == "holding":
                    if not item.id.startswith(self.device + ":"):
                        self.state.set_holding(
                            db,
                            item.id,
                            str(item.data.get("device", "")),
                            dict(item.data),
                            item.deleted,
                        )
                    continue
                local_id = self._local_id(item.kind, item.id, item.data)
                if local_id and self.state.pending(db, item.kind, local_id, self._pushed_seq):
                    continue  # changed here since: the next push merges it on the server
                changed += self._write(db, item.kind, item.id, item.deleted, item.data)
            self.state.set_pulled(db, page.next)
        self._cursor = page.next
        return changed

    def _check_deletions(self, page: PullPage) -> None:
        deleting = 0
        for item in page.changes:
            if item.kind == "annotation" and item.deleted:
                current = self.annotations.get(item.id)
                deleting += current is not None and not current.deleted
        live = self.annotations.live_count(self.account.profile_id)
        if mass_deletion(live, deleting):
            raise MassDeletion(
                f"the server would delete {deleting} of your {live} annotations here; "
                "nothing was changed (run `mutolaa sync --allow-deletions` if that is right)"
            )

    # -- writing the server's objects ----------------------------------------------------------

    def _write(
        self,
        db: sqlite3.Connection,
        kind: str,
        object_id: str,
        deleted: bool,
        data: Mapping[str, Any],
    ) -> int:
        """Store an object as the server holds it; 1 when something changed here."""
        if kind == "annotation":
            return self._write_annotation(db, object_id, deleted, data)
        if kind == "progress":
            return self._write_progress(db, data)
        if kind == "shelf":
            return self._write_shelf(db, object_id, deleted, data)
        return 0

    def _write_shelf(
        self, db: sqlite3.Connection, object_id: str, deleted: bool, data: Mapping[str, Any]
    ) -> int:
        kind = str(data.get("kind", NAMED))
        built_in = {shelf_id for shelf_id, _name in BUILT_IN.values()}
        refs = data.get("books", [])
        if (
            kind not in (*BUILT_IN, NAMED)
            or (kind == NAMED) == (object_id in built_in)
            or (kind != NAMED and BUILT_IN[kind][0] != object_id)
            or not isinstance(refs, list)
            or not str(data.get("name", "")).strip()
        ):
            log.warning("sync: shelf %s from the server skipped: not a shelf", object_id)
            return 0
        try:
            shelf = Shelf(
                id=object_id,
                name=str(data["name"]).strip()[:200],
                kind=kind,
                created_at=float(data.get("created_at", 0.0)),
                updated_at=float(data.get("updated_at", 0.0)),
                deleted_at=time.time() if deleted else None,
            )
        except (TypeError, ValueError) as exc:
            log.warning("sync: shelf %s from the server skipped: %s", object_id, exc)
            return 0
        book_ids = [self._book_id({"book": ref}) for ref in refs if isinstance(ref, Mapping)]
        return int(self.shelves.write_remote(db, shelf, [b for b in book_ids if b]))

    def _write_annotation(
        self, db: sqlite3.Connection, object_id: str, deleted: bool, data: Mapping[str, Any]
    ) -> int:
        profile = self.account.profile_id
        current = self.annotations._get(db, object_id)
        if deleted and current is not None:  # a tombstone: this device's copy, deleted
            if current.deleted:
                return 0
            annotation = dataclasses.replace(current, deleted_at=time.time())
        else:
            try:
                annotation = _annotation(
                    object_id, profile, self._book_id(data), deleted=deleted, data=data
                )
            except (KeyError, TypeError, ValueError) as exc:  # a bad object: not this page
                log.warning("sync: annotation %s from the server skipped: %s", object_id, exc)
                return 0
        if current is not None and _same(current, annotation):
            return 0
        self.annotations.write_remote(db, annotation)
        return 1

    def _write_progress(self, db: sqlite3.Connection, data: Mapping[str, Any]) -> int:
        profile = self.account.profile_id
        book_id = self._book_id(data)
        if not book_id:
            return 0
        if self.library.store.get(book_id) is None:  # kept: applied when the book arrives
            self.state.wait_for_book(db, book_id, "progress", dict(data))
            return 0
        local = self.library.store.progress(book_id, profile)
        mine = {"fraction": local[1], "position": local[0]} if local else None
        try:
            decision = pull_progress(mine, data)
        except ValueError as exc:  # an unreadable position from the server: not this one
            log.warning("sync: reading position of %s skipped: %s", book_id, exc)
            return 0
        if decision == "apply":
            self.library.store.write_remote_progress(
                db,
                book_id,
                str(data.get("position", "")),
                float(data.get("fraction", 0.0)),
                profile,
            )
            return 1
        if decision == "ask":
            self.state.ask(db, "progress", book_id, dict(data))
        return 0

    def _local_id(self, kind: str, object_id: str, data: Mapping[str, Any]) -> str:
        """The id the change log uses for an object: a progress is logged under its book."""
        return self._book_id(data) if kind == "progress" else object_id

    def _book_id(self, data: Mapping[str, Any]) -> str:
        """The local book an object is about: by content hash, else by catalogue entry."""
        ref = data.get("book") or {}
        sha = str(ref.get("sha256") or "")
        entry = str(ref.get("entry") or "")
        if sha and self.library.store.get(sha) is not None:
            return sha
        if entry:
            books = self.library.store.books_with_entries([entry]).get(entry)
            if books:
                return books[0]  # the first added
        return sha or (f"entry:{entry}" if entry else "")


def _book_of(change: Change) -> str:
    try:
        return str(json.loads(change.data).get("book_id", ""))
    except ValueError:
        return ""


def _books_of(change: Change) -> list[str]:
    """The book ids a logged shelf holds."""
    try:
        return [str(b) for b in json.loads(change.data).get("books", [])]
    except (ValueError, TypeError):
        return []


def _book_ref(sha256: str, book: Book | None) -> dict[str, str]:
    if sha256.startswith("entry:"):  # a shelved book pulled before it was held here
        return {"entry": sha256[len("entry:") :]}
    ref = {"sha256": sha256}
    if book is not None and book.source_entry:
        ref["entry"] = book.source_entry
    return ref


def _annotation(
    object_id: str, profile_id: int, book_id: str, *, deleted: bool, data: Mapping[str, Any]
) -> Annotation:
    """An annotation as the server sent it (``ValueError``/``TypeError`` when it is malformed)."""
    anchor = dict(data.get("anchor") or {})
    anchor.setdefault("page", 0)
    return Annotation(
        id=object_id,
        profile_id=profile_id,
        book_id=book_id,
        kind=AnnotationKind(str(data.get("kind", "highlight"))),
        anchor=anchor_from_json(json.dumps(anchor)),
        quote=str(data.get("quote", "")),
        color=str(data.get("color", "")),
        body=str(data.get("body", "")),
        parent_id=data.get("parent_id") or None,
        created_at=float(data.get("created_at", 0.0)),
        updated_at=float(data.get("updated_at", 0.0)),
        deleted_at=time.time() if deleted else None,
        detached=bool(data.get("detached", False)),
        # a conflict copy made by the server names the note it copies (docs/sync-protocol.md)
        origin=f"{CONFLICT_ORIGIN}{data['conflict_of']}"
        if data.get("conflict_of")
        else str(data.get("origin", "mutolaa")),
    )


def _same(a: Annotation, b: Annotation) -> bool:
    return (a.deleted, a.body, a.color, a.quote, a.anchor, a.parent_id, a.detached, a.origin) == (
        b.deleted,
        b.body,
        b.color,
        b.quote,
        b.anchor,
        b.parent_id,
        b.detached,
        b.origin,
    )


# -- use cases -----------------------------------------------------------------------------------


def login(
    session: Session,
    server_url: str,
    username: str,
    password: str,
    *,
    http: HttpClient | None = None,
) -> SyncAccount:
    """Sign the profile in to a library server and keep the token (never the password); then
    send the tokens waiting to be revoked (`revoke_pending`: a previous token among them)."""
    library, profile_id = session.library, session.profile_id
    state = SyncState(library.store, profile_id)
    previous = state.account()
    device = previous.device_id if previous is not None else uuid.uuid4().hex
    with client_or_own(http, SYNC_POLICY) as client:
        token = SyncServer(server_url, client).login(username, password, device)
        account = state.sign_in(server_url.rstrip("/") + "/", username, token)
        revoke_pending(session, client)
    return account


def sync_now(
    session: Session,
    *,
    allow_deletions: bool = False,
    http: HttpClient | None = None,
) -> SyncReport:
    """One sync of the profile with its library server.

    Raises:
        UserError: not signed in.
        sync.engine.SyncFailed (NotSignedIn, MassDeletion): the sync stopped; what was applied
            stays applied, and the next sync goes on from there.
    """
    library, profile_id = session.library, session.profile_id
    state = SyncState(library.store, profile_id)
    account = state.require_account()
    try:
        with client_or_own(http, SYNC_POLICY) as client:
            server = SyncServer(account.server_url, client, account.token)
            report = run_sync(
                server, LibraryReplica(library, account), allow_deletions=allow_deletions
            )
    except Exception as exc:
        state.finished(str(exc))
        raise
    if report.offline:
        state.finished(report.notes[0] if report.notes else "offline")
    else:
        state.finished()
    return report
