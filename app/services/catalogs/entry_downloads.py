"""From a catalogue entry to a queued download: which link, which checksums, whose credentials.

`choose_acquisition` picks the link a reader can use: open-access or plain acquisition before a
sample, a format Mutolaa reads (EPUB, PDF, FB2, MOBI, …) in that order of preference, never a
link that needs payment, a DRM licence (ACSM, LCP) or a template. `queue_entry` queues it with the
entry's identity (so sync knows which catalogue book it was), the declared size and checksums.
`find_entry` finds an entry of a saved catalogue by id, acquisition URL or exact title, in the
feeds already visited (the offline cache), so `mutolaa download ENTRY` works offline too: the
download waits in the queue for the server.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import UserError
from app.core.textfold import fold as fold_text
from app.library.catalogs import Catalog, CatalogStore
from app.library.downloads import DownloadQueue
from sync.auth import origin_of
from sync.catalog import CatalogClient
from sync.naming import BOOK_MEDIA_TYPES
from sync.opds.model import Acquisition, Entry

#: Media types Mutolaa imports, most wanted first by format (EPUB reflows and keeps its
#: structure), every spelling servers use for each (`sync.naming.BOOK_MEDIA_TYPES`).
READABLE_TYPES = tuple(
    sorted(
        BOOK_MEDIA_TYPES,
        key=lambda kind: [
            ".epub",
            ".pdf",
            ".fb2.zip",
            ".fb2",
            ".mobi",
            ".azw3",
            ".azw",
            ".cbz",
            ".oxps",
            ".xps",
            ".txt",
        ].index(BOOK_MEDIA_TYPES[kind]),
    )
)
#: Relations that give the file, best first ("sample" and "preview" give a part of it).
_RELS = ("open-access", "acquisition", "sample", "preview")


@dataclass(frozen=True)
class Choice:
    """The acquisition chosen for an entry, or why there is none."""

    acquisition: Acquisition | None
    reason: str = ""


def _bare(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def choose_acquisition(entry: Entry) -> Choice:
    """The best link of `entry` to download, or a one-line reason why none can be used."""
    usable: list[tuple[int, int, Acquisition]] = []
    seen_types: list[str] = []
    for link in entry.acquisitions:
        kind = _bare(link.type)
        seen_types.append(kind or "?")
        if link.templated or link.indirect or link.rel not in _RELS:
            continue
        rank = READABLE_TYPES.index(kind) if kind in READABLE_TYPES else None
        if rank is None and kind:
            continue
        usable.append(
            (_RELS.index(link.rel), rank if rank is not None else len(READABLE_TYPES), link)
        )
    if usable:
        return Choice(min(usable, key=lambda item: item[:2])[2])
    title = entry.title or entry.id
    if not entry.acquisitions:
        return Choice(None, f"{title!r} has no download link in the catalogue")
    rels = sorted({a.rel for a in entry.acquisitions})
    if set(rels) & {"borrow", "buy", "subscribe"} and not set(rels) & set(_RELS):
        return Choice(None, f"{title!r} must be borrowed or bought on the library's website")
    return Choice(
        None,
        f"{title!r} is offered only as {', '.join(sorted(set(seen_types)))}, "
        "which Mutolaa cannot read or which needs a DRM licence",
    )


def queue_entry(
    queue: DownloadQueue,
    catalog: Catalog | None,
    entry: Entry,
    *,
    priority: int = 0,
    profile_id: int,
) -> str:
    """Queue the chosen file of `entry`; returns the download id.

    Raises:
        UserError: the entry has no link Mutolaa can use (the reason says why).
    """
    choice = choose_acquisition(entry)
    if choice.acquisition is None:
        raise UserError(choice.reason)
    link = choice.acquisition
    return queue.enqueue(
        link.href,
        title=entry.title,
        entry_id=entry.id,
        catalog_id=catalog.id if catalog is not None else None,
        media_type=link.type,
        expected_size=link.length,
        checksums={c.algorithm: c.value for c in link.checksums},
        priority=priority,
        profile_id=profile_id,
        metadata={
            "title": entry.title,
            "subtitle": entry.subtitle,
            "authors": list(entry.authors),
            "language": entry.language,
        },
    )


def catalog_of_url(catalogs: CatalogStore, url: str) -> Catalog | None:
    """The saved catalogue at the origin of `url`, if any (its credentials serve the download)."""
    origin = origin_of(url)
    for catalog in catalogs.list():
        if origin_of(catalog.url) == origin:
            return catalog
    return None


def find_entry(client: CatalogClient, catalog: Catalog, wanted: str) -> Entry | None:
    """The entry of `catalog` whose id, acquisition URL or title is `wanted`, among the feeds of
    the catalogue already visited (the offline cache); None when there is none.

    Raises:
        UserError: more than one entry has that title.
    """
    by_title: list[Entry] = []
    folded = fold_text(wanted)
    for entry in client.cached_entries(catalog.url):
        if entry.id == wanted or any(a.href == wanted for a in entry.acquisitions):
            return entry
        if fold_text(entry.title) == folded:
            by_title.append(entry)
    if len(by_title) > 1:
        raise UserError(
            f"{len(by_title)} entries of {catalog.name!r} are titled {wanted!r}; "
            "give the entry's id (catalog browse --json shows it)"
        )
    return by_title[0] if by_title else None
