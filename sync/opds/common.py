"""Helpers shared by the OPDS parsers: size limit, links, dates, numbers, notes."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_tree
from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden

from sync.errors import CatalogError

#: The largest catalogue document read (feeds of real servers are well under 1 MB a page).
MAX_DOCUMENT_BYTES = 8 * 1024 * 1024

ACQUISITION_PREFIX = "http://opds-spec.org/acquisition"


class BadValue(ValueError):
    """A value of an entry that cannot be read; the entry is skipped with a note."""


def check_size(data: bytes, url: str, what: str = "catalogue document") -> None:
    """Refuse a document larger than MAX_DOCUMENT_BYTES with a one-line CatalogError."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise CatalogError(
            url,
            f"{what} of {len(data):,} bytes is larger than the limit of "
            f"{MAX_DOCUMENT_BYTES:,} bytes; refused",
        )


class Notes:
    """The notes of one parse: what was skipped and why, each once."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def add(self, line: str) -> None:
        """Record a note (a repeated note is kept once)."""
        if line not in self._lines:
            self._lines.append(line)

    def lines(self) -> tuple[str, ...]:
        """The notes in the order they were made."""
        return tuple(self._lines)


def resolve(base: str, href: str, notes: Notes, where: str) -> str:
    """Resolve ``href`` against ``base``; "" (with a note) when it is not http or https."""
    href = href.strip()
    if not href:
        return ""
    try:
        absolute = urljoin(base, href)
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:  # "http://[::1": the URL parser refuses a broken IPv6 address
        notes.add(f"{where}: link {shorten(href, 80)!r} dropped: not a valid URL")
        return ""
    if scheme not in ("http", "https"):
        shown = absolute if len(absolute) <= 80 else absolute[:77] + "..."
        notes.add(f"{where}: link {shown!r} dropped: only http and https links are followed")
        return ""
    return absolute


_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
# "January 15, 1989", "Jan 1989", "15 January 1989" (Feedbooks' demo and others write these)
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(?:(\d{1,2}),?\s+)?(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})$")


def parse_date(text: str) -> datetime:
    """Read a date or a date and time as real servers write them: ISO 8601 ("1813", "2012-10",
    "2012-10-20", "2012-10-20T01:11:18Z") or in English words ("January 15, 1989", "Jan 1989",
    "15 January 1989"). A year has four digits (calibre-web's "101-01-01" for "no date" is
    refused).

    Raises:
        BadValue: the text is not such a date.
    """
    value = text.strip()
    try:
        if _YEAR.match(value):
            return datetime(int(value), 1, 1, tzinfo=UTC)
        if _YEAR_MONTH.match(value):
            return datetime(int(value[:4]), int(value[5:]), 1, tzinfo=UTC)
        worded = _worded_date(value.lower())
        if worded is not None:
            return worded
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadValue(f"bad date {value[:40]!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _worded_date(value: str) -> datetime | None:
    """A date written with an English month name, or None when it is not one."""
    match = _MONTH_DAY_YEAR.match(value)
    if match is not None:
        month, day, year = match.group(1), match.group(2), match.group(3)
    else:
        match = _DAY_MONTH_YEAR.match(value)
        if match is None:
            return None
        day, month, year = match.group(1), match.group(2), match.group(3)
    if month not in _MONTHS:
        return None
    return datetime(int(year), _MONTHS[month], int(day or 1), tzinfo=UTC)


def parse_issued(text: str) -> str:
    """Check a publication date; ISO 8601 is returned as given (a year stays a year), a date in
    words as ISO 8601 ("January 15, 1989" → "1989-01-15").

    Raises:
        BadValue: the text is not a date.
    """
    value = text.strip()
    if not value:
        return ""
    parsed = parse_date(value)
    if _worded_date(value.lower()) is None:
        return value
    return parsed.date().isoformat()


def optional_date(text: str, notes: Notes, where: str) -> datetime | None:
    """`parse_date`, or None with a note when the date cannot be read: an entry is kept without
    a date it cannot give (calibre-web writes "101-01-01" for every book without one)."""
    if not text.strip():
        return None
    try:
        return parse_date(text)
    except BadValue as error:
        notes.add(f"{where}: {error} ignored")
        return None


def optional_issued(text: str, notes: Notes, where: str) -> str:
    """`parse_issued`, or "" with a note when the publication date cannot be read."""
    try:
        return parse_issued(text)
    except BadValue as error:
        notes.add(f"{where}: publication {error} ignored")
        return ""


def parse_int(text: str | int | float | None, what: str) -> int | None:
    """Read a non-negative whole number ("" and None give None).

    Raises:
        BadValue: the value is not a non-negative whole number.
    """
    if text is None or text == "":
        return None
    if isinstance(text, bool):
        raise BadValue(f"bad {what} {text!r}")
    if isinstance(text, int):
        number = text
    elif isinstance(text, float):
        if not text.is_integer():
            raise BadValue(f"bad {what} {text!r}")
        number = int(text)
    elif isinstance(text, str):
        try:
            number = int(text.strip())
        except ValueError:
            raise BadValue(f"bad {what} {text.strip()[:40]!r}") from None
    else:  # a list or an object where a number belongs (JSON)
        raise BadValue(f"bad {what}: {type(text).__name__}, not a number")
    if number < 0:
        raise BadValue(f"bad {what} {number}")
    return number


def parse_decimal(text: str | int | float, what: str) -> Decimal:
    """Read a price value.

    Raises:
        BadValue: the value is not a finite number.
    """
    if isinstance(text, bool):
        raise BadValue(f"bad {what} {text!r}")
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise BadValue(f"bad {what} {str(text).strip()[:40]!r}") from None
    if not value.is_finite():
        raise BadValue(f"bad {what} {text!r}")
    return value


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\b[^>]*>", re.IGNORECASE)


def html_to_text(markup: str) -> str:
    """A plain-text rendering of an HTML description: tags dropped, entities decoded."""
    text = _BREAK.sub("\n", markup)
    text = html.unescape(_TAG.sub("", text))
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def plain(text: str) -> str:
    """Text with its runs of white space collapsed, as a reader shows a title or a summary."""
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def acquisition_rel(rel: str) -> str:
    """The short name of an acquisition relation, "" when ``rel`` is not one."""
    if rel == ACQUISITION_PREFIX:
        return "acquisition"
    if rel.startswith(ACQUISITION_PREFIX + "/"):
        return rel[len(ACQUISITION_PREFIX) + 1 :]
    return ""


def is_catalog_type(media_type: str) -> bool:
    """Whether a link's media type is an OPDS feed (Atom catalogue or OPDS 2 JSON)."""
    lowered = media_type.replace(" ", "").lower()
    if lowered.startswith("application/atom+xml"):
        return "type=entry" not in lowered
    return lowered.startswith("application/opds+json")


def shorten(text: str, limit: int = 60) -> str:
    """A title or id short enough for a one-line note."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse_xml(data: bytes, url: str, what: str) -> Element:
    """Parse untrusted XML with defusedxml: no entity expansion, no external entities.

    Raises:
        CatalogError: the document is not well-formed, or declares entities or a DTD
            reference that would be expanded or fetched.
    """
    try:
        root: Element = safe_tree.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except EntitiesForbidden:
        raise CatalogError(
            url, f"{what} refused: it declares XML entities (entity expansion is not allowed)"
        ) from None
    except ExternalReferenceForbidden:
        raise CatalogError(
            url, f"{what} refused: it refers to an external entity or DTD (not fetched)"
        ) from None
    except DefusedXmlException as error:
        raise CatalogError(url, f"{what} refused: {type(error).__name__}") from None
    except ParseError as error:
        raise CatalogError(url, f"{what} is not well-formed XML: {error}") from None
    return root


def local_name(tag: str) -> str:
    """The tag without its namespace ("{http://www.w3.org/2005/Atom}feed" -> "feed")."""
    return tag.rsplit("}", 1)[-1]
