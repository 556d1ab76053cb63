"""OPDS 1.2 (Atom) feeds and entries: untrusted XML read with defusedxml into the model."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element

from sync.errors import CatalogError
from sync.opds.common import (
    BadValue,
    Notes,
    acquisition_rel,
    check_size,
    html_to_text,
    is_catalog_type,
    local_name,
    optional_date,
    optional_issued,
    parse_date,
    parse_decimal,
    parse_int,
    parse_issued,
    parse_xml,
    plain,
    resolve,
    shorten,
)
from sync.opds.model import (
    Acquisition,
    Checksum,
    Entry,
    Facet,
    Feed,
    Group,
    IndirectAcquisition,
    Link,
    NavigationItem,
    Price,
)

ATOM = "{http://www.w3.org/2005/Atom}"
OPDS = "{http://opds-spec.org/2010/catalog}"
DCTERMS = "{http://purl.org/dc/terms/}"
DC = "{http://purl.org/dc/elements/1.1/}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
THR = "{http://purl.org/syndication/thread/1.0}"

FACET_REL = "http://opds-spec.org/facet"
GROUP_RELS = ("collection", "http://opds-spec.org/group")
COVER_RELS = ("http://opds-spec.org/image", "http://opds-spec.org/cover", "x-stanza-cover-image")
THUMBNAIL_RELS = (
    "http://opds-spec.org/image/thumbnail",
    "http://opds-spec.org/thumbnail",
    "x-stanza-cover-image-thumbnail",
)
CHECKSUM_NAMES = ("md5", "sha1", "sha256", "sha512")


def parse_atom(data: bytes, url: str) -> Feed:
    """Read an OPDS 1.x Atom feed (or a single entry document) served from ``url``.

    Broken entries are skipped with a note in ``Feed.notes``; links are made absolute
    against ``url`` and only http and https links are kept.

    Raises:
        CatalogError: the document is too large, not well-formed, declares entities, or is
            not an Atom feed or entry.
    """
    check_size(data, url, "Atom feed")
    root = parse_xml(data, url, "Atom feed")
    notes = Notes()
    if root.tag == ATOM + "entry":
        return _single_entry(root, url, notes)
    if root.tag != ATOM + "feed":
        raise CatalogError(
            url, f"not an OPDS Atom feed: the root element is <{local_name(root.tag)}>"
        )
    return _feed(root, url, notes)


@dataclass
class _GroupBuilder:
    title: str
    href: str
    entries: list[Entry] = field(default_factory=list)
    navigation: list[NavigationItem] = field(default_factory=list)


def _feed(root: Element, url: str, notes: Notes) -> Feed:
    links: list[Link] = []
    facets: list[Facet] = []
    for element in root.findall(ATOM + "link"):
        rel = element.get("rel", "alternate").strip()
        href = resolve(url, element.get("href", ""), notes, "feed")
        if not href:
            continue
        title = plain(element.get("title", ""))
        if rel == FACET_REL:
            try:
                count = parse_int(element.get(THR + "count"), "facet count")
            except BadValue as error:
                notes.add(f"facet {shorten(title)!r}: {error}; count ignored")
                count = None
            facets.append(
                Facet(
                    group=plain(element.get(OPDS + "facetGroup", "")),
                    title=title,
                    href=href,
                    active=element.get(OPDS + "activeFacet", "").strip().lower() == "true",
                    count=count,
                )
            )
            continue
        links.append(Link(href=href, rel=rel, type=element.get("type", "").strip(), title=title))

    entries: list[Entry] = []
    navigation: list[NavigationItem] = []
    groups: dict[str, _GroupBuilder] = {}
    for index, element in enumerate(root.findall(ATOM + "entry"), start=1):
        item = _entry_or_skip(element, url, notes, index)
        if item is None:
            continue
        read, group = item
        builder = None
        if group is not None:
            builder = groups.setdefault(group.href, _GroupBuilder(group.title, group.href))
        if isinstance(read, Entry):
            (builder.entries if builder else entries).append(read)
        else:
            (builder.navigation if builder else navigation).append(read)

    total, per_page, page = _paging(root, notes)
    has_publications = bool(entries) or any(b.entries for b in groups.values())
    return Feed(
        url=url,
        title=plain(_text(root, ATOM + "title")),
        id=_text(root, ATOM + "id").strip(),
        updated=_feed_updated(root, notes),
        kind="acquisition" if has_publications else "navigation",
        links=tuple(links),
        entries=tuple(entries),
        groups=tuple(
            Group(b.title, b.href, tuple(b.entries), tuple(b.navigation)) for b in groups.values()
        ),
        facets=tuple(facets),
        navigation=tuple(navigation),
        notes=notes.lines(),
        total_results=total,
        items_per_page=per_page,
        current_page=page,
    )


def _single_entry(root: Element, url: str, notes: Notes) -> Feed:
    item = _entry_or_skip(root, url, notes, 1)
    entries: tuple[Entry, ...] = ()
    navigation: tuple[NavigationItem, ...] = ()
    if item is not None:
        read = item[0]
        if isinstance(read, Entry):
            entries = (read,)
        else:
            navigation = (read,)
    return Feed(
        url=url,
        title=entries[0].title if entries else "",
        id=entries[0].id if entries else "",
        kind="acquisition" if entries else "navigation",
        entries=entries,
        navigation=navigation,
        notes=notes.lines(),
    )


def _paging(root: Element, notes: Notes) -> tuple[int | None, int | None, int | None]:
    try:
        total = parse_int(_text(root, OPENSEARCH + "totalResults"), "totalResults")
        per_page = parse_int(_text(root, OPENSEARCH + "itemsPerPage"), "itemsPerPage")
        start = parse_int(_text(root, OPENSEARCH + "startIndex"), "startIndex")
    except BadValue as error:
        notes.add(f"feed paging: {error}; paging ignored")
        return None, None, None
    page = None
    if per_page and start:
        page = (start - 1) // per_page + 1
    return total, per_page, page


def _feed_updated(root: Element, notes: Notes) -> datetime | None:
    text = _text(root, ATOM + "updated").strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except BadValue as error:
        notes.add(f"feed updated: {error}; ignored")
        return None


def _entry_or_skip(
    element: Element, url: str, notes: Notes, index: int
) -> tuple[Entry | NavigationItem, Link | None] | None:
    """The entry (or navigation item) and its group link, or None with a note."""
    title = plain(_text(element, ATOM + "title"))
    ident = _text(element, ATOM + "id").strip()
    where = f"entry {index}" + (f" ({shorten(title or ident)!r})" if title or ident else "")
    try:
        return _entry(element, url, notes, where, ident=ident, title=title)
    except BadValue as error:
        notes.add(f"{where} skipped: {error}")
        return None


def _issued(element: Element, notes: Notes, where: str) -> str:
    """The publication date: the first of dcterms:issued, dc:issued and published that reads
    as a date ("" with a note when one was there and none reads)."""
    given = [
        text
        for tag in (DCTERMS + "issued", DC + "issued", ATOM + "published")
        if (text := _text(element, tag).strip())
    ]
    for text in given:
        with contextlib.suppress(BadValue):
            return parse_issued(text)
    return optional_issued(given[0], notes, where) if given else ""


def _entry(
    element: Element, url: str, notes: Notes, where: str, *, ident: str, title: str
) -> tuple[Entry | NavigationItem, Link | None]:
    if not ident:
        raise BadValue("it has no id")
    if not title:
        raise BadValue("it has no title")
    updated = optional_date(_text(element, ATOM + "updated"), notes, f"{where}: updated")
    issued = _issued(element, notes, where)

    links = _EntryLinks()
    for link in element.findall(ATOM + "link"):
        href = resolve(url, link.get("href", ""), notes, where)
        if href:
            links.add(link, href)
    summary = _summary(element)
    if not links.acquisitions and links.catalogs:
        # no book to get, a link to another feed: the entry is a way into the catalogue
        target, count = links.catalogs[0]
        item = NavigationItem(
            title=title,
            href=target.href,
            type=target.type,
            rel=target.rel,
            summary=summary,
            count=count,
        )
        return item, links.group

    authors = tuple(
        plain(name)
        for author in element.findall(ATOM + "author")
        if (name := _text(author, ATOM + "name").strip())
    )
    categories = tuple(
        label
        for category in element.findall(ATOM + "category")
        if (label := plain(category.get("label", "") or category.get("term", "")))
    )
    entry = Entry(
        id=ident,
        title=title,
        authors=authors,
        language=(_text(element, DCTERMS + "language") or _text(element, DC + "language")).strip(),
        summary=summary,
        issued=issued,
        updated=updated,
        categories=categories,
        cover=links.cover,
        thumbnail=links.thumbnail,
        acquisitions=tuple(links.acquisitions),
        links=tuple(links.other),
    )
    return entry, links.group


@dataclass
class _EntryLinks:
    """An entry's links, sorted by what they are for (the first cover, thumbnail, group win)."""

    acquisitions: list[Acquisition] = field(default_factory=list)
    other: list[Link] = field(default_factory=list)
    cover: str = ""
    thumbnail: str = ""
    group: Link | None = None
    catalogs: list[tuple[Link, int | None]] = field(default_factory=list)  # with thr:count

    def add(self, link: Element, href: str) -> None:
        """Sort one ``<link>`` whose address `href` is resolved and safe."""
        rel = link.get("rel", "alternate").strip()
        media_type = link.get("type", "").strip()
        link_title = plain(link.get("title", ""))
        short = acquisition_rel(rel)
        if short:
            self.acquisitions.append(_acquisition(link, short, href, media_type, link_title))
        elif rel in THUMBNAIL_RELS:
            self.thumbnail = self.thumbnail or href
        elif rel in COVER_RELS:
            self.cover = self.cover or href
        elif rel in GROUP_RELS:
            self.group = self.group or Link(href=href, rel=rel, type=media_type, title=link_title)
        else:
            read = Link(href=href, rel=rel, type=media_type, title=link_title)
            self.other.append(read)
            if is_catalog_type(media_type):
                self.catalogs.append((read, parse_int(link.get(THR + "count"), "count")))


def _acquisition(link: Element, rel: str, href: str, media_type: str, title: str) -> Acquisition:
    price = None
    price_element = link.find(OPDS + "price")
    if price_element is not None:
        price = Price(
            value=parse_decimal(price_element.text or "", "price"),
            currency=price_element.get("currencycode", "").strip().upper(),
        )
    checksums = tuple(
        Checksum(local_name(name).lower(), value.strip())
        for name, value in link.attrib.items()
        if local_name(name).lower() in CHECKSUM_NAMES and value.strip()
    )
    return Acquisition(
        rel=rel,
        href=href,
        type=media_type,
        title=title,
        length=parse_int(link.get("length"), "length"),
        price=price,
        indirect=_indirect(link),
        checksums=checksums,
    )


def _indirect(element: Element, depth: int = 0) -> tuple[IndirectAcquisition, ...]:
    if depth > 8:  # a chain this deep is not a real one
        return ()
    return tuple(
        IndirectAcquisition(child.get("type", "").strip(), _indirect(child, depth + 1))
        for child in element.findall(OPDS + "indirectAcquisition")
        if child.get("type", "").strip()
    )


def _summary(element: Element) -> str:
    for tag in (ATOM + "summary", ATOM + "content"):
        found = element.find(tag)
        if found is None:
            continue
        kind = found.get("type", "text").strip().lower()
        if kind == "xhtml":
            text = plain(" ".join("".join(found.itertext()).split("\n")))
        elif kind in ("html", "text/html"):
            text = html_to_text(found.text or "")
        else:
            text = plain(found.text or "")
        if text:
            return text
    return ""


def _text(element: Element, tag: str) -> str:
    found = element.find(tag)
    if found is None:
        return ""
    return "".join(found.itertext())
