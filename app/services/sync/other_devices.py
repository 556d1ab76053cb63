"""The books kept on the person's other devices, as the sync learnt them (holdings).

Every device pushes a holding for each book it keeps (docs/sync-protocol.md); a sync brings the
other devices' holdings here. `books_elsewhere` turns them into a list a person can act on:
each book once, the devices that keep it, whether this library has it, and where it was
downloaded from when it came from a catalogue — or, for a book added from a file there, the entry
of one of this person's catalogues that offers the same file (the same SHA-256, as the catalogue
visited here gives it); `queue_held` puts such a book in this library's download queue (the
window's download runner or `mutolaa downloads --resume` fetches it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.errors import UserError
from app.library.catalogs import CatalogStore
from app.library.downloads import DownloadQueue
from app.library.sync_state import SyncState
from app.services.catalogs.client import catalog_client
from app.services.catalogs.holdings import entry_sha256
from app.services.session import Session


@dataclass
class HeldElsewhere:
    """One book kept on other devices.

    Attributes:
        key: the book's key in the sync (its catalogue entry id, else ``sha256:<hex>``).
        sha256: the content hash of the file ("" when the holding did not say).
        entry: the catalogue entry it came from ("" when none).
        title, authors: as the other device knows them.
        catalog_url: the catalogue it came from ("" when none).
        href: the address its file was downloaded from ("" when not known).
        catalog_name: the saved catalogue of this profile at that URL ("" when none is saved).
        devices: the names of the devices that keep it (their ids when they gave no name).
        here: this library has it too (same content, or from the same entry).
    """

    key: str
    sha256: str
    entry: str
    title: str
    authors: list[str]
    catalog_url: str
    catalog_name: str
    href: str = ""
    devices: list[str] = field(default_factory=list)
    here: bool = False


def books_elsewhere(session: Session, *, include_here: bool = False) -> list[HeldElsewhere]:
    """The books the profile's other devices keep, by title (reads the store: not on the UI
    thread). Books this library has are left out unless ``include_here``."""
    library, profile_id = session.library, session.profile_id
    state = SyncState(library.store, profile_id)
    account = state.account()
    if account is None:
        return []
    here = library.store.books()
    shas = {b.id for b in here}
    entries = {b.source_entry for b in here if b.source_entry}
    catalogs = {c.url.rstrip("/"): c.name for c in CatalogStore(library.store, profile_id).list()}
    found: dict[str, HeldElsewhere] = {}
    for object_id, (device, data, deleted) in state.holdings().items():
        if deleted or device == account.device_id:
            continue
        held = _held(object_id, device, data, catalogs)
        if held is None:
            continue
        known = found.setdefault(held.key, held)
        name = str(data.get("device_name") or "") or device[:8]
        if name not in known.devices:
            known.devices.append(name)
        known.here = (known.sha256 in shas) or (bool(known.entry) and known.entry in entries)
    books = [b for b in found.values() if include_here or not b.here]
    _offer_from_catalogs(session, [b for b in books if not b.href and b.sha256])
    return sorted(books, key=lambda b: (b.title.casefold(), b.key))


def _offer_from_catalogs(session: Session, books: list[HeldElsewhere]) -> None:
    """Give each of ``books`` (known only by content) the entry of a saved catalogue that offers
    the same file, from the feeds visited here (the offline copy: no network)."""
    if not books:
        return
    wanted = {b.sha256: b for b in books}
    catalogs = CatalogStore(session.library.store, session.profile_id).list()
    with catalog_client(session) as client:
        for catalog in catalogs:
            for entry in client.cached_entries(catalog.url):
                book = wanted.pop(entry_sha256(entry), None)
                if book is None:
                    continue
                link = next(a for a in entry.acquisitions if a.checksums)
                book.href, book.entry = link.href, entry.id
                book.catalog_url, book.catalog_name = catalog.url, catalog.name
                if not wanted:
                    return


def _held(
    object_id: str, device: str, data: dict[str, Any], catalogs: dict[str, str]
) -> HeldElsewhere | None:
    """A holding's book, or None when the holding names none (another client's oddity)."""
    book = data.get("book")
    if not isinstance(book, dict):
        return None
    sha = str(book.get("sha256") or "")
    entry = str(book.get("entry") or "")
    if not sha and not entry:
        return None
    key = object_id[len(device) + 1 :] if object_id.startswith(device + ":") else object_id
    catalog_url = str(data.get("catalog") or "")
    authors = data.get("authors")
    return HeldElsewhere(
        key=key,
        sha256=sha,
        entry=entry,
        title=str(data.get("title") or "") or key,
        authors=[str(a) for a in authors] if isinstance(authors, list) else [],
        catalog_url=catalog_url,
        catalog_name=catalogs.get(catalog_url.rstrip("/"), ""),
        href=str(data.get("href") or "") if _web(data.get("href")) else "",
    )


def _web(value: object) -> bool:
    """An address this device may fetch: http or https only (a holding is another client's
    word, not to be trusted further)."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def queue_held(session: Session, held: HeldElsewhere) -> str:
    """Queue the download of a book another device keeps; returns the download id.

    The saved catalogue it came from gives the credentials; without one the download still runs
    for an open server.

    Raises:
        UserError: its download address is not known (a book added from a file there).
    """
    library, profile_id = session.library, session.profile_id
    if not held.href:
        raise UserError(
            f"{held.title}: only on {', '.join(held.devices)} and not downloaded from a "
            "catalogue; copy it from there"
        )
    catalogs = CatalogStore(library.store, profile_id)
    catalog = next((c for c in catalogs.list() if c.name == held.catalog_name), None)
    return DownloadQueue(library.store).enqueue(
        held.href,
        title=held.title,
        entry_id=held.entry,
        catalog_id=catalog.id if catalog is not None else None,
        profile_id=profile_id,
    )
