"""What a reader shows of a catalogue: feeds, entries, links, facets and groups (plain data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

FeedKind = Literal["navigation", "acquisition"]


@dataclass(frozen=True)
class Link:
    """A link of a feed or an entry, its href absolute (http or https) or a template.

    Attributes:
        href: the absolute URL, or an RFC 6570 template when ``templated``.
        rel: the relation as the server gave it ("self", "next", "http://opds-spec.org/...").
        type: the media type as the server gave it ("" when absent).
        title: the title of the link ("" when absent).
        templated: True for an OPDS 2 templated link (search).
    """

    href: str
    rel: str = ""
    type: str = ""
    title: str = ""
    templated: bool = False


@dataclass(frozen=True)
class Price:
    """A price of a buy or subscribe acquisition."""

    value: Decimal
    currency: str


@dataclass(frozen=True)
class IndirectAcquisition:
    """A media type reached through an acquisition link (nested, e.g. ACSM → EPUB)."""

    type: str
    children: tuple[IndirectAcquisition, ...] = ()


@dataclass(frozen=True)
class Checksum:
    """A checksum the feed gives for a file (algorithm in lower case: "sha256", "md5")."""

    algorithm: str
    value: str


@dataclass(frozen=True)
class Acquisition:
    """A way to get the book of an entry.

    Attributes:
        rel: the short relation: the part after ``http://opds-spec.org/acquisition/``
            (``open-access``, ``borrow``, ``buy``, ``sample``…), ``acquisition`` for the bare one.
        href: the absolute URL.
        type: the media type as given (kept as is: "application/fb2+zip" too).
        title: the title of the link.
        length: the size in bytes the feed declares (may differ from what is served), or None.
        price: the price for buy/subscribe, or None.
        indirect: media types reached through this link (nested).
        checksums: checksums the feed gives, if any.
        templated: True when ``href`` is an RFC 6570 template that needs values the server
            gives elsewhere (a Palace ``{authToken}``): not a URL to fetch as it is.
    """

    rel: str
    href: str
    type: str = ""
    title: str = ""
    length: int | None = None
    price: Price | None = None
    indirect: tuple[IndirectAcquisition, ...] = ()
    checksums: tuple[Checksum, ...] = ()
    templated: bool = False

    @property
    def final_types(self) -> tuple[str, ...]:
        """The media types the reader ends up with (the leaves of the indirect chain)."""
        if not self.indirect:
            return (self.type,) if self.type else ()
        leaves: list[str] = []
        stack = list(self.indirect)
        while stack:
            node = stack.pop(0)
            if node.children:
                stack.extend(node.children)
            else:
                leaves.append(node.type)
        return tuple(leaves)


@dataclass(frozen=True)
class Entry:
    """A publication of an acquisition feed.

    Attributes:
        id: the identifier the server gives (Atom id, OPDS 2 identifier or self link).
        title: the title.
        authors: the author names, in order.
        language: the language code as given ("" when absent).
        summary: the description as plain text.
        issued: the publication date as given (a year, a date or a date and time), "" when absent.
        updated: when the entry last changed, or None.
        categories: the subjects (labels, else terms).
        cover: the absolute URL of the cover image, "" when absent.
        thumbnail: the absolute URL of a thumbnail, "" when absent.
        acquisitions: the ways to get the book.
        links: the other links (alternate full entry, related, ...).
        subtitle: the subtitle (OPDS 2 ``subtitle``), "" when absent.
    """

    id: str
    title: str
    authors: tuple[str, ...] = ()
    language: str = ""
    summary: str = ""
    issued: str = ""
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    cover: str = ""
    thumbnail: str = ""
    acquisitions: tuple[Acquisition, ...] = ()
    links: tuple[Link, ...] = ()
    subtitle: str = ""


@dataclass(frozen=True)
class NavigationItem:
    """An item of a navigation feed: a link to another feed.

    Attributes:
        title: what the reader shows.
        href: the absolute URL of the feed it leads to.
        type: the media type of that feed.
        rel: the relation ("subsection", "http://opds-spec.org/sort/new", ...).
        summary: a description as plain text.
        count: how many items the server says are behind it, or None.
    """

    title: str
    href: str
    type: str = ""
    rel: str = ""
    summary: str = ""
    count: int | None = None


@dataclass(frozen=True)
class Facet:
    """A facet: another view of the same feed (sort order, category, language...)."""

    group: str
    title: str
    href: str
    active: bool = False
    count: int | None = None


@dataclass(frozen=True)
class Group:
    """A group of a feed ("Featured", "New"): a few entries or navigation items, a "more" link."""

    title: str
    href: str = ""
    entries: tuple[Entry, ...] = ()
    navigation: tuple[NavigationItem, ...] = ()


@dataclass(frozen=True)
class Feed:
    """A catalogue feed as a reader shows it.

    Attributes:
        url: the URL the feed was read from (relative links are resolved against it).
        title: the title ("" when absent).
        id: the identifier the server gives ("" when absent).
        updated: when the feed last changed, or None.
        kind: "acquisition" when it lists publications, else "navigation".
        links: the feed's own links (self, start, up, next, previous, search, ...).
        entries: the publications not in a group.
        groups: the groups, in order.
        facets: the facets, in order.
        navigation: the navigation items not in a group.
        notes: one line per part of the document that was skipped, and why.
        total_results: how many items the whole listing has, when the server says.
        items_per_page: the page size, when the server says.
        current_page: the page number (from 1), when the server says.
    """

    url: str
    title: str = ""
    id: str = ""
    updated: datetime | None = None
    kind: FeedKind = "navigation"
    links: tuple[Link, ...] = ()
    entries: tuple[Entry, ...] = ()
    groups: tuple[Group, ...] = ()
    facets: tuple[Facet, ...] = ()
    navigation: tuple[NavigationItem, ...] = ()
    notes: tuple[str, ...] = ()
    total_results: int | None = None
    items_per_page: int | None = None
    current_page: int | None = None

    def link(self, rel: str) -> Link | None:
        """The first feed link with this relation (``rel`` as given, e.g. "next"), or None."""
        for candidate in self.links:
            if candidate.rel == rel:
                return candidate
        return None

    @property
    def next_url(self) -> str:
        """The URL of the next page, "" on the last one."""
        found = self.link("next")
        return found.href if found else ""

    @property
    def search_link(self) -> Link | None:
        """The search link: an OpenSearch description or an OPDS 2 template, or None."""
        return self.link("search")
