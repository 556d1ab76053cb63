"""OPDS catalogues: Atom (1.x) and JSON (2.0) feeds, OpenSearch, read into plain data."""

from __future__ import annotations

from sync.errors import CatalogError
from sync.opds.atom import parse_atom
from sync.opds.common import MAX_DOCUMENT_BYTES, shorten
from sync.opds.json2 import parse_json
from sync.opds.model import Feed

__all__ = ["MAX_DOCUMENT_BYTES", "CatalogError", "Feed", "parse_feed"]


def parse_feed(data: bytes, url: str, content_type: str = "") -> Feed:
    """Read an OPDS feed whatever its version; the content decides, the content type helps.

    Servers label feeds wrongly (Atom as ``application/xml`` or ``text/plain``, JSON as
    ``text/html``), so the first character of the document decides: ``<`` is Atom, ``{`` is
    JSON. Only an empty or unrecognisable document falls back on the content type.

    Raises:
        CatalogError: the document cannot be read as a feed (one line naming the URL).
    """
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return parse_atom(data, url)
    if head.startswith((b"{", b"[")):
        return parse_json(data, url)
    lowered = content_type.lower()
    shown_type = shorten(content_type) or "no content type"  # a header: one line, shortened
    if not head:
        raise CatalogError(url, f"empty document ({shown_type})")
    if "json" in lowered:
        return parse_json(data, url)
    if "xml" in lowered:
        return parse_atom(data, url)
    shown = head[:20].decode("utf-8", "replace")
    raise CatalogError(
        url,
        f"not an OPDS feed: {shown_type}, starts with {shown!r}",
    )
