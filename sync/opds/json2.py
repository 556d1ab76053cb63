"""OPDS 2.0 (JSON) feeds and publications read into the model."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sync.errors import CatalogError
from sync.jsondoc import TooDeepError, loads
from sync.opds.common import (
    BadValue,
    Notes,
    acquisition_rel,
    check_size,
    html_to_text,
    optional_date,
    optional_issued,
    parse_date,
    parse_decimal,
    parse_int,
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

CHECKSUM_NAMES = ("md5", "sha1", "sha256", "sha512")


def parse_json(data: bytes, url: str) -> Feed:
    """Read an OPDS 2.0 feed (or a single publication) served from ``url``.

    Raises:
        CatalogError: the document is too large, not valid JSON, nested deeper than
            `sync.jsondoc.MAX_DEPTH`, or not an OPDS 2 feed.
    """
    check_size(data, url, "OPDS 2 feed")
    try:
        document = loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise CatalogError(url, f"OPDS 2 feed is not UTF-8: {error.reason}") from None
    except TooDeepError as error:
        raise CatalogError(url, f"OPDS 2 feed is {error}") from None
    except json.JSONDecodeError as error:
        raise CatalogError(
            url,
            f"OPDS 2 feed is not valid JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno}",
        ) from None
    if not isinstance(document, dict):
        raise CatalogError(url, "not an OPDS 2 feed: the document is not a JSON object")
    notes = Notes()
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        raise CatalogError(url, "not an OPDS 2 feed: it has no metadata object")
    lists = ("navigation", "publications", "groups", "facets")
    if not any(key in document for key in lists):
        if "links" in document:
            return _single_publication(document, url, notes)
        raise CatalogError(url, "not an OPDS 2 feed: no navigation, publications, groups or facets")

    entries = _publications(document.get("publications"), url, notes, "publication")
    navigation = _navigation(document.get("navigation"), url, notes, "navigation")
    groups = _groups(document.get("groups"), url, notes)
    facets = _facets(document.get("facets"), url, notes)
    try:
        total = parse_int(metadata.get("numberOfItems"), "numberOfItems")
        per_page = parse_int(metadata.get("itemsPerPage"), "itemsPerPage")
        page = parse_int(metadata.get("currentPage"), "currentPage")
    except BadValue as error:
        notes.add(f"feed paging: {error}; paging ignored")
        total = per_page = page = None
    has_publications = bool(entries) or any(group.entries for group in groups)
    return Feed(
        url=url,
        title=_string(metadata.get("title")),
        id=_string(metadata.get("identifier")),
        updated=_feed_updated(metadata, notes),
        kind="acquisition" if has_publications else "navigation",
        links=_links(document.get("links"), url, notes, "feed"),
        entries=entries,
        groups=groups,
        facets=facets,
        navigation=navigation,
        notes=notes.lines(),
        total_results=total,
        items_per_page=per_page,
        current_page=page,
    )


def _single_publication(document: dict[str, Any], url: str, notes: Notes) -> Feed:
    entries = _publications([document], url, notes, "publication")
    return Feed(
        url=url,
        title=entries[0].title if entries else "",
        id=entries[0].id if entries else "",
        kind="acquisition",
        links=_links(document.get("links"), url, notes, "publication"),
        entries=entries,
        notes=notes.lines(),
    )


def _feed_updated(metadata: dict[str, Any], notes: Notes) -> datetime | None:
    text = _string(metadata.get("modified"))
    if not text:
        return None
    try:
        return parse_date(text)
    except BadValue as error:
        notes.add(f"feed modified: {error}; ignored")
        return None


def _as_list(value: Any, notes: Notes, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        notes.add(f"{where}: not a list; skipped")
        return []
    return value


def _links(value: Any, base: str, notes: Notes, where: str) -> tuple[Link, ...]:
    links: list[Link] = []
    for item in _as_list(value, notes, f"{where} links"):
        for link in _link(item, base, notes, where):
            links.append(link)
    return tuple(links)


def _rels(item: dict[str, Any]) -> list[str]:
    rel = item.get("rel")
    if isinstance(rel, str):
        return [rel.strip()]
    if isinstance(rel, list):
        return [r.strip() for r in rel if isinstance(r, str)] or [""]
    return [""]


def _link(item: Any, base: str, notes: Notes, where: str) -> list[Link]:
    """One Link per relation of a link object (none, with a note, when it is unusable)."""
    if not isinstance(item, dict) or not isinstance(item.get("href"), str):
        notes.add(f"{where}: a link without an href skipped")
        return []
    templated = item.get("templated") is True
    href = _href(item["href"], base, notes, where, templated)
    if not href:
        return []
    return [
        Link(
            href=href,
            rel=rel,
            type=_string(item.get("type")),
            title=_string(item.get("title")),
            templated=templated,
        )
        for rel in _rels(item)
    ]


def _href(href: str, base: str, notes: Notes, where: str, templated: bool) -> str:
    if not templated:
        return resolve(base, href, notes, where)
    # Resolve the part before the first expression; the template itself stays as given.
    cut = href.find("{")
    head, tail = (href, "") if cut < 0 else (href[:cut], href[cut:])
    resolved = resolve(base, head or ".", notes, where)
    if not resolved:
        return ""
    if not head:
        resolved = resolved.split("?", 1)[0]
    return resolved + tail


def _navigation(value: Any, base: str, notes: Notes, where: str) -> tuple[NavigationItem, ...]:
    items: list[NavigationItem] = []
    for index, item in enumerate(_as_list(value, notes, where), start=1):
        links = _link(item, base, notes, f"{where} item {index}")
        if not links:
            continue
        link = links[0]
        if not link.title:
            notes.add(f"{where} item {index}: no title; skipped")
            continue
        count = _number_of_items(item, notes, f"{where} item {index} ({shorten(link.title)!r})")
        items.append(NavigationItem(link.title, link.href, link.type, link.rel, "", count))
    return tuple(items)


def _publications(value: Any, base: str, notes: Notes, where: str) -> tuple[Entry, ...]:
    entries: list[Entry] = []
    for index, item in enumerate(_as_list(value, notes, where + "s"), start=1):
        name = f"{where} {index}"
        if isinstance(item, dict) and isinstance(item.get("metadata"), dict):
            label = _string(item["metadata"].get("title")) or _string(
                item["metadata"].get("identifier")
            )
            if label:
                name += f" ({shorten(label)!r})"
        try:
            entries.append(_publication(item, base, notes, name))
        except BadValue as error:
            notes.add(f"{name} skipped: {error}")
    return tuple(entries)


def _publication(item: Any, base: str, notes: Notes, where: str) -> Entry:
    if not isinstance(item, dict):
        raise BadValue("not a JSON object")
    metadata = item.get("metadata")
    if not isinstance(metadata, dict):
        raise BadValue("it has no metadata")
    title = _string(metadata.get("title"))
    if not title:
        raise BadValue("it has no title")
    raw_links = item.get("links")
    if not isinstance(raw_links, list):
        raise BadValue("it has no links")

    acquisitions: list[Acquisition] = []
    other: list[Link] = []
    for raw in raw_links:
        links = _link(raw, base, notes, where)
        for link in links:
            short = acquisition_rel(link.rel)
            if short:
                acquisitions.append(_acquisition(raw, link, short))
            else:
                other.append(link)
    self_link = next((link.href for link in other if link.rel == "self"), "")
    ident = _string(metadata.get("identifier")) or self_link
    if not ident:
        raise BadValue("it has no identifier and no self link")

    modified = _string(metadata.get("modified"))
    cover, thumbnail = _images(item.get("images"), base, notes, where)
    return Entry(
        id=ident,
        title=title,
        subtitle=_string(metadata.get("subtitle")),
        authors=_names(metadata.get("author")),
        language=_language(metadata.get("language")),
        summary=html_to_text(_string(metadata.get("description"))),
        issued=optional_issued(_string(metadata.get("published")), notes, where),
        updated=optional_date(modified, notes, f"{where}: modified"),
        categories=_names(metadata.get("subject")),
        cover=cover,
        thumbnail=thumbnail,
        acquisitions=tuple(acquisitions),
        links=tuple(other),
    )


def _acquisition(raw: dict[str, Any], link: Link, rel: str) -> Acquisition:
    properties = raw.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    price = None
    raw_price = properties.get("price")
    if isinstance(raw_price, dict):
        value = raw_price.get("value")
        if not isinstance(value, (int, float, str)):
            raise BadValue(f"bad price {value!r}")
        price = Price(parse_decimal(value, "price"), _string(raw_price.get("currency")).upper())
    length = raw.get("length", properties.get("length"))
    checksums = tuple(
        Checksum(name, properties[name].strip())
        for name in CHECKSUM_NAMES
        if isinstance(properties.get(name), str) and properties[name].strip()
    )
    return Acquisition(
        rel=rel,
        href=link.href,
        type=link.type,
        title=link.title,
        length=parse_int(length, "length") if isinstance(length, (int, float, str)) else None,
        price=price,
        indirect=_indirect(properties.get("indirectAcquisition")),
        checksums=checksums,
        templated=link.templated,
    )


def _indirect(value: Any, depth: int = 0) -> tuple[IndirectAcquisition, ...]:
    if not isinstance(value, list) or depth > 8:
        return ()
    return tuple(
        IndirectAcquisition(item["type"].strip(), _indirect(item.get("child"), depth + 1))
        for item in value
        if isinstance(item, dict) and isinstance(item.get("type"), str) and item["type"].strip()
    )


def _images(value: Any, base: str, notes: Notes, where: str) -> tuple[str, str]:
    """The cover (the largest image) and a thumbnail (the smallest, when there are several)."""
    images: list[tuple[int, str]] = []
    for raw in _as_list(value, notes, f"{where} images"):
        links = _link(raw, base, notes, where)
        if not links:
            continue
        width = raw.get("width") if isinstance(raw.get("width"), int) else 0
        height = raw.get("height") if isinstance(raw.get("height"), int) else 0
        images.append((width * height, links[0].href))
    if not images:
        return "", ""
    if all(area == 0 for area, _ in images):
        return images[0][1], images[-1][1] if len(images) > 1 else ""
    sized = sorted((image for image in images if image[0]), key=lambda image: image[0])
    return sized[-1][1], sized[0][1] if len(sized) > 1 else ""


def _groups(value: Any, base: str, notes: Notes) -> tuple[Group, ...]:
    groups: list[Group] = []
    for index, item in enumerate(_as_list(value, notes, "groups"), start=1):
        if not isinstance(item, dict) or not isinstance(item.get("metadata"), dict):
            notes.add(f"group {index}: no metadata; skipped")
            continue
        title = _string(item["metadata"].get("title"))
        where = f"group {index}" + (f" ({shorten(title)!r})" if title else "")
        links = _links(item.get("links"), base, notes, where)
        more = next((link.href for link in links if link.rel == "self"), "")
        groups.append(
            Group(
                title=title,
                href=more,
                entries=_publications(item.get("publications"), base, notes, where + " item"),
                navigation=_navigation(item.get("navigation"), base, notes, where),
            )
        )
    return tuple(groups)


def _facets(value: Any, base: str, notes: Notes) -> tuple[Facet, ...]:
    facets: list[Facet] = []
    for index, item in enumerate(_as_list(value, notes, "facets"), start=1):
        if not isinstance(item, dict) or not isinstance(item.get("metadata"), dict):
            notes.add(f"facet group {index}: no metadata; skipped")
            continue
        group = _string(item["metadata"].get("title"))
        for raw in _as_list(item.get("links"), notes, f"facet group {index}"):
            links = _link(raw, base, notes, f"facet group {index}")
            if not links:
                continue
            count = _number_of_items(raw, notes, f"facet {shorten(links[0].title)!r}")
            active = any(link.rel == "self" for link in links)
            facets.append(Facet(group, links[0].title, links[0].href, active, count))
    return tuple(facets)


def _string(value: Any) -> str:
    """A string field; a language map gives its English (else first) value."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, dict):
        for key in ("en", "und"):
            if isinstance(value.get(key), str):
                return plain(value[key])
        for item in value.values():
            if isinstance(item, str):
                return plain(item)
    return ""


def _names(value: Any) -> tuple[str, ...]:
    """Names from a string, a {name: ...} object, or a list of those."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _string(item.get("name")) if isinstance(item, dict) else _string(item)
        if name:
            names.append(name)
    return tuple(names)


def _language(value: Any) -> str:
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, str)), "")
    return value.strip() if isinstance(value, str) else ""


def _number_of_items(item: dict[str, Any], notes: Notes, where: str) -> int | None:
    """A link's ``properties.numberOfItems`` (a bad one is ignored with a note)."""
    properties = item.get("properties")
    if not isinstance(properties, dict):
        return None
    try:
        return parse_int(properties.get("numberOfItems"), "numberOfItems")
    except BadValue as error:
        notes.add(f"{where}: {error}; ignored")
        return None
