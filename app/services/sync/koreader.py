"""KOReader progress sync: a student's e-ink reader and this desktop agree on the page.

The protocol is in docs/sync-protocol.md, "KOReader progress sync". For each book that matters
(its progress changed here since the last exchange, or it was read or added recently; at most
`MAX_BOOKS` a sync) the server's progress is read and decided on with the sync's conflict rules
(`sync.conflicts.pull_progress`): further than ours is applied, behind ours becomes a question
(`SyncState.ask`, the same questions the window's dialog lists), never a silent move backwards.
Then a position changed here is sent — for fixed-layout books only: a reflowable book's KOReader
position is a CREngine XPointer, which this library cannot make, and KOReader moves to the
XPointer it receives (the percentage only decides whether to move), so a made-up one would throw
the e-ink reader to a wrong place. Received positions are written as remote changes
(`LibraryStore.write_remote_progress`): never pushed to the library server as edits made here,
and never sent back to KOReader.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass, field
from typing import Literal

from app.core.models import Book
from app.core.positions import format_position, parse_position
from app.documents.formats import REFLOWABLE_FORMATS
from app.library.koreader_state import KoreaderAccount, KoreaderBook, KoreaderState
from app.library.sync_state import SyncState
from app.services.session import Library, Session
from sync.conflicts import pull_progress
from sync.http import HttpClient, HttpPolicy, client_or_own
from sync.koreader import (
    KoreaderClient,
    KoreaderError,
    KoreaderUnreachable,
    RemoteProgress,
    partial_md5,
    user_key,
)

log = logging.getLogger(__name__)

#: The most books whose progress one sync reads from the server.
MAX_BOOKS = 200
#: Books read or added this recently (seconds) are asked about even when unchanged here.
RECENT = 60 * 24 * 3600
#: The name KOReader shows for this device ("Sync to latest location 42% from device 'Mutolaa'?").
DEVICE_NAME = "Mutolaa"
#: The network policy: a few retries, short waits (the sync runs again later anyway).
KOREADER_POLICY = HttpPolicy(max_retries=2, backoff_max=8.0)

SKIP_REFLOWABLE = "reflowable book: KOReader needs its own XPointer, so this position is not sent"
SKIP_NO_FILE = "the book's file cannot be read"
SKIP_UNREADABLE = "KOReader's position could not be read"


@dataclass
class KoreaderReport:
    """What one KOReader sync did.

    Attributes:
        server: the server (without credentials).
        sent: positions sent (PUT).
        received: positions further than ours, applied here.
        asked: positions behind ours, left as questions.
        skipped: (book id, reason) of the books not synced.
        more: more books than one sync reads: the next sync goes on.
        offline: the server did not answer: nothing more was tried.
        note: the one-line reason when offline.
    """

    server: str = ""
    sent: int = 0
    received: int = 0
    asked: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    more: bool = False
    offline: bool = False
    note: str = ""


def check_and_turn_on(
    session: Session,
    server_url: str,
    username: str,
    password: str,
    *,
    http: HttpClient | None = None,
) -> KoreaderAccount:
    """Check the user and password with the server (``GET /users/auth``) and turn the sync on,
    keeping the key KOReader's protocol sends (the MD5 of the password), never the password.

    Raises:
        KoreaderError: the server refused or did not answer; nothing is stored.
    """
    library, profile_id = session.library, session.profile_id
    key = user_key(password)
    with client_or_own(http, KOREADER_POLICY) as client:
        KoreaderClient(server_url, username, key, client).authorize()
    return KoreaderState(library.store, profile_id).turn_on(
        server_url.rstrip("/") + "/", username, key
    )


def sync_progress(
    session: Session,
    http: HttpClient | None = None,
    *,
    only_changed: bool = False,
) -> KoreaderReport:
    """One progress sync of the profile with its KOReader sync server.

    ``only_changed``: look only at the books whose position changed here since the last
    exchange (the window's quick sync on exit).

    Raises:
        UserError: the KOReader sync is off.
        KoreaderError: the server refused the user (`KoreaderRefused`) or answered outside the
            protocol; what was decided before stays.
    """
    library, profile_id = session.library, session.profile_id
    state = KoreaderState(library.store, profile_id)
    account = state.require_account()
    with client_or_own(http, KOREADER_POLICY) as client:
        server = KoreaderClient(account.server_url, account.username, account.key, client)
        report = KoreaderReport(server=server.shown)
        try:
            _Sync(library, state, account, server, report).run(only_changed=only_changed)
        except KoreaderUnreachable as exc:
            report.offline = True
            report.note = str(exc)
            state.finished(str(exc))
            return report
        except KoreaderError as exc:
            state.finished(str(exc))
            raise
    state.finished()
    return report


class _Sync:
    """One sync: the books to look at, and for each the remote and the local decision."""

    def __init__(
        self,
        library: Library,
        state: KoreaderState,
        account: KoreaderAccount,
        server: KoreaderClient,
        report: KoreaderReport,
    ) -> None:
        self.store = library.store
        self.state = state
        self.questions = SyncState(library.store, account.profile_id)
        self.account = account
        self.server = server
        self.report = report
        self.profile = account.profile_id

    def run(self, *, only_changed: bool) -> None:
        book_ids = self._candidates(only_changed=only_changed)
        books = self.store.books_by_ids(book_ids)
        known = self.state.books(book_ids)
        for book_id in book_ids:
            book = books.get(book_id)
            if book is not None:
                self._book(book, known.get(book_id))

    def _candidates(self, *, only_changed: bool) -> list[str]:
        """Books changed here since the last exchange first, then those read or added
        recently; at most `MAX_BOOKS`."""
        changed = self.state.changed_books(MAX_BOOKS + 1)
        if len(changed) > MAX_BOOKS:
            self.report.more = True
            return changed[:MAX_BOOKS]
        if only_changed:
            return changed
        since = time.time() - RECENT
        recent = self.store.recently_read(self.profile, since, MAX_BOOKS)
        recent += self.store.recently_added(since, MAX_BOOKS)
        chosen = dict.fromkeys(changed)
        for book_id in recent:
            if len(chosen) >= MAX_BOOKS:
                break
            chosen.setdefault(book_id)
        return list(chosen)

    def _send(self, document: str, local: tuple[str, float]) -> str:
        """PUT a fixed-layout book's position; the fingerprint of what the server holds now."""
        page, _font = parse_position(local[0])
        percentage = min(1.0, max(0.0, local[1]))
        device = self.account.device_id
        stamp = self.server.put_progress(document, str(page + 1), percentage, DEVICE_NAME, device)
        self.report.sent += 1
        sent = RemoteProgress(
            document, str(page + 1), round(percentage, 4), DEVICE_NAME, device, stamp
        )
        return _fingerprint(sent)

    def _book(self, book: Book, known: KoreaderBook | None) -> None:
        """Exchange one book's progress: pull the server's, push ours, keep what was exchanged."""
        entry = self._entry(book, known)
        if entry is None:
            return
        local = self.store.progress(book.id, self.profile)
        remote = self.server.get_progress(entry.document)
        step = _Step(
            exchanged=(entry.position, entry.fraction),
            changed_here=local is not None and (entry.position, entry.fraction) != local,
            seen=_fingerprint(remote),
        )
        if (
            remote is not None
            and step.seen != entry.seen
            and remote.device_id != self.account.device_id
        ):
            self._pull(book, remote, local, step)
        if step.changed_here and local is not None:
            if book.format in REFLOWABLE_FORMATS:
                self.report.skipped.append((book.id, SKIP_REFLOWABLE))
            else:
                step.seen = self._send(entry.document, local)
            step.exchanged = local
        now = KoreaderBook(book.id, entry.document, step.exchanged[0], step.exchanged[1], step.seen)
        if now == known and step.applied is None and step.question is None:
            return  # nothing new: no write
        self._save(now, step)

    def _entry(self, book: Book, known: KoreaderBook | None) -> KoreaderBook | None:
        """What was last exchanged about a book, else a new record with its KOReader document
        id; None (and the book skipped) when its file cannot be read."""
        if known is not None:
            return known
        try:
            return KoreaderBook(book.id, partial_md5(self.store.file_path(book)))
        except OSError as exc:
            log.info("KOReader sync: %s skipped: %s", book.id[:12], exc)
            self.report.skipped.append((book.id, SKIP_NO_FILE))
            return None

    def _pull(
        self, book: Book, remote: RemoteProgress, local: tuple[str, float] | None, step: _Step
    ) -> None:
        """Decide on another device's progress: apply it, ask about it, or note the same place."""
        mapped = _to_local(book, remote)
        if mapped is None:
            self.report.skipped.append((book.id, SKIP_UNREADABLE))
            return
        decision = _decide(local, mapped[1])
        if decision == "apply":
            step.applied = step.exchanged = mapped
            step.changed_here = False  # KOReader is further: nothing of ours to send
        elif decision == "ask":
            step.question = {
                "position": mapped[0],
                "fraction": mapped[1],
                "device": remote.device,
                "source": "koreader",
            }
        elif local is not None:  # the same place already
            step.exchanged = local
            step.changed_here = False

    def _save(self, now: KoreaderBook, step: _Step) -> None:
        """Write a pulled position or question and what was exchanged, in one transaction."""
        with self.store.transaction(durable=True) as db:
            if step.applied is not None:
                self.store.write_remote_progress(
                    db, now.book_id, step.applied[0], step.applied[1], self.profile
                )
                self.report.received += 1
            if step.question is not None:
                self.questions.ask(db, "progress", now.book_id, step.question)
                self.report.asked += 1
            self.state.set_book(db, now)


@dataclass
class _Step:
    """One book's exchange as it is decided.

    Attributes:
        exchanged: the position to record as last exchanged with the server.
        changed_here: our position moved since the last exchange and is still to be sent.
        seen: the fingerprint of the server's progress (after our PUT, if one was sent).
        applied: the server's position, written here.
        question: the server's position behind ours, left for the person to decide.
    """

    exchanged: tuple[str | None, float | None]
    changed_here: bool
    seen: str
    applied: tuple[str, float] | None = None
    question: dict[str, object] | None = None


def _decide(local: tuple[str, float] | None, fraction: float) -> Literal["apply", "ask", "same"]:
    """The conflict rules, at KOReader's precision (it rounds percentages to 4 digits)."""
    mine = None if local is None else {"fraction": round(min(1.0, max(0.0, local[1])), 4)}
    return pull_progress(mine, {"fraction": round(fraction, 4)})


def _to_local(book: Book, remote: RemoteProgress) -> tuple[str, float] | None:
    """KOReader's progress as our (position, fraction), or None when it says nothing usable.

    Fixed layout: its page number (1-based), else the page at its percentage. Reflowable: the
    page at its percentage in the import's layout (``page=N``; the reader carries it into the
    current font size) — an XPointer names a place in CREngine's DOM, which MuPDF does not know.
    """
    fraction = remote.percentage
    if not math.isfinite(fraction) or not 0 <= fraction <= 1:
        return None
    count = max(0, book.page_count)
    page: int | None = None
    if book.format not in REFLOWABLE_FORMATS:
        text = remote.progress.strip()
        if text.isdigit() and int(text) >= 1:
            page = int(text) - 1
    if page is None:
        page = max(0, math.ceil(fraction * count) - 1) if count else 0
    if count:
        page = min(page, count - 1)
    return format_position(page), fraction


def _fingerprint(remote: RemoteProgress | None) -> str:
    """What identifies one remote progress (a new PUT from any device changes it)."""
    if remote is None:
        return ""
    return json.dumps(
        [remote.timestamp, remote.device_id, remote.progress, round(remote.percentage, 4)]
    )
