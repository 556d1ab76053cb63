"""OpenSearch description documents, and search URLs built from them or from OPDS 2 templates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree.ElementTree import Element

from sync.errors import CatalogError
from sync.opds.common import Notes, check_size, local_name, parse_xml, plain, resolve
from sync.opds.model import Link
from sync.opds.uritemplate import expand

OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_PARAMETER = re.compile(r"\{([^{}?]+)(\??)\}")

#: Values of the standard required parameters other than the query.
_DEFAULTS = {
    "count": "",
    "startIndex": "1",
    "startPage": "1",
    "language": "*",
    "inputEncoding": "UTF-8",
    "outputEncoding": "UTF-8",
}


@dataclass(frozen=True)
class SearchTemplate:
    """A search URL template of an OpenSearch description.

    Attributes:
        template: the absolute URL with its {searchTerms} (and other) parameters.
        type: the media type of the results ("application/atom+xml;profile=opds-catalog...").
        short_name: the name of the search the server gives.
    """

    template: str
    type: str = ""
    short_name: str = ""

    def url_for(self, query: str) -> str:
        """The search URL for ``query`` (UTF-8, percent-encoded; optional parameters dropped)."""
        return opensearch_url(self.template, query)


def parse_opensearch(data: bytes, url: str) -> SearchTemplate:
    """Read an OpenSearch description and pick the template for OPDS (Atom) results.

    Raises:
        CatalogError: the document is too large, not well-formed XML, declares entities,
            is not an OpenSearch description, or has no usable Url template.
    """
    check_size(data, url, "OpenSearch description")
    root = parse_xml(data, url, "OpenSearch description")
    if local_name(root.tag) != "OpenSearchDescription":
        raise CatalogError(
            url, f"not an OpenSearch description: the root element is <{local_name(root.tag)}>"
        )
    short_name = ""
    candidates: list[SearchTemplate] = []
    notes = Notes()
    for element in root:
        name = local_name(element.tag)
        if name == "ShortName":
            short_name = plain(element.text or "")
        elif name == "Url" and (candidate := _candidate(element, url, notes)):
            candidates.append(candidate)
    if not candidates:
        reason = f" ({notes.lines()[0]})" if notes.lines() else ""
        raise CatalogError(url, f"OpenSearch description has no usable Url template{reason}")
    best = min(candidates, key=_rank)
    return SearchTemplate(best.template, best.type, short_name)


def _candidate(element: Element, base: str, notes: Notes) -> SearchTemplate | None:
    """The template of a ``<Url>`` that takes the search terms, or None."""
    template = element.get("template", "").strip()
    if "{searchTerms}" not in template:
        return None
    absolute = _resolve_template(base, template, notes)
    return SearchTemplate(absolute, element.get("type", "").strip()) if absolute else None


def _rank(candidate: SearchTemplate) -> int:
    """How well a template's results suit us: OPDS Atom first, then Atom, then OPDS 2."""
    lowered = candidate.type.replace(" ", "").lower()
    if "profile=opds-catalog" in lowered:
        return 0
    if lowered.startswith("application/atom+xml"):
        return 1
    if "opds+json" in lowered:
        return 2
    return 3


def _resolve_template(base: str, template: str, notes: Notes) -> str:
    """Resolve a relative template, keeping its braces out of the URL parser's way."""
    marker = "\x00"
    protected = template.replace("{", marker + "(").replace("}", ")" + marker)
    absolute = resolve(base, protected, notes, "OpenSearch Url")
    return absolute.replace(marker + "(", "{").replace(")" + marker, "}")


def opensearch_url(template: str, query: str) -> str:
    """Fill an OpenSearch template: {searchTerms} gets the query, optional {x?} are dropped."""

    def replace(match: re.Match[str]) -> str:
        name, optional = match.group(1), match.group(2)
        if name == "searchTerms":
            return quote(query.strip(), safe="")
        if optional:
            return ""
        return quote(_DEFAULTS.get(name, ""), safe="*")

    return _PARAMETER.sub(replace, template)


def templated_search_url(link: Link, query: str) -> str:
    """The search URL of an OPDS 2 templated link ("...{?query}") or an Atom search link.

    An Atom search link whose href holds {searchTerms} is filled the OpenSearch way.
    """
    if "{searchTerms" in link.href:
        return opensearch_url(link.href, query)
    return expand(link.href, {"query": query.strip()})
