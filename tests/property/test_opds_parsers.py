"""Property: any document a catalogue serves gives a feed (or a search template) or one
`CatalogError` line naming the URL — never another exception (issue 13, tests)."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from sync.errors import CatalogError
from sync.opds import parse_feed
from sync.opds.atom import parse_atom
from sync.opds.json2 import parse_json
from sync.opds.model import Feed, Link
from sync.opds.opensearch import SearchTemplate, parse_opensearch, templated_search_url
from tests.property.strategies import (
    assert_one_line,
    encoded_json,
    json_objects,
    json_values,
    outcome,
    random_bytes,
    strings,
    xml_documents,
)

URL = "http://127.0.0.1:8080/opds/root"

ATOM_NAMESPACES = {
    "": "http://www.w3.org/2005/Atom",
    "opds": "http://opds-spec.org/2010/catalog",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
    "thr": "http://purl.org/syndication/thread/1.0",
}
ATOM_ELEMENTS = [
    "entry",
    "title",
    "id",
    "updated",
    "published",
    "link",
    "author",
    "name",
    "category",
    "summary",
    "content",
    "subtitle",
    "dc:language",
    "dcterms:language",
    "dc:issued",
    "dcterms:issued",
    "opds:price",
    "opds:indirectAcquisition",
    "opensearch:totalResults",
    "opensearch:itemsPerPage",
    "opensearch:startIndex",
    "div",
]
ATOM_ATTRIBUTES = [
    "rel",
    "href",
    "type",
    "title",
    "length",
    "thr:count",
    "term",
    "label",
    "currencycode",
    "opds:facetGroup",
    "opds:activeFacet",
    "sha256",
    "md5",
    "xml:lang",
]
atom_feeds = xml_documents("feed", ATOM_NAMESPACES, ATOM_ELEMENTS, ATOM_ATTRIBUTES)
atom_entries = xml_documents("entry", ATOM_NAMESPACES, ATOM_ELEMENTS, ATOM_ATTRIBUTES)
DEEP_XML = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>' + b"<a>" * 50_000 + b"</title>"

OPDS2_KEYS = [
    "metadata",
    "title",
    "identifier",
    "modified",
    "published",
    "numberOfItems",
    "itemsPerPage",
    "currentPage",
    "links",
    "href",
    "rel",
    "type",
    "templated",
    "properties",
    "indirectAcquisition",
    "child",
    "price",
    "value",
    "currency",
    "publications",
    "navigation",
    "groups",
    "facets",
    "images",
    "author",
    "name",
    "language",
    "description",
    "subject",
    "subtitle",
    "length",
    "height",
    "width",
    "belongsTo",
]
opds2_documents = json_objects(
    OPDS2_KEYS,
    {
        "metadata": json_objects(OPDS2_KEYS),
        "publications": st.lists(
            json_objects(OPDS2_KEYS, {"metadata": json_objects(OPDS2_KEYS)}), max_size=3
        ),
        "links": st.lists(json_objects(OPDS2_KEYS, {"href": strings}), max_size=3),
    },
)


def check_feed(data: bytes, read: object = parse_feed) -> None:
    """`read` gives a Feed with one-line notes, or one CatalogError line naming the URL."""
    feed = outcome(lambda: read(data, URL), CatalogError)  # type: ignore[operator]
    if isinstance(feed, CatalogError):
        assert_one_line(feed)
        assert str(feed).startswith(f"{URL}: ")
        return
    assert isinstance(feed, Feed)
    for note in feed.notes:
        assert len(note.splitlines()) == 1, note


@given(st.one_of(random_bytes, atom_feeds, atom_entries))
@example(DEEP_XML)
@example(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title><id>i</id></entry>')
def test_atom(data: bytes) -> None:
    check_feed(data, parse_atom)


@given(
    st.one_of(random_bytes, encoded_json(opds2_documents), encoded_json(json_values(OPDS2_KEYS)))
)
@example(b"[" * 100_000)
def test_opds2_json(data: bytes) -> None:
    check_feed(data, parse_json)


@given(st.one_of(random_bytes, atom_feeds, encoded_json(opds2_documents)), strings)
def test_any_feed_by_its_first_character(data: bytes, content_type: str) -> None:
    feed = outcome(lambda: parse_feed(data, URL, content_type), CatalogError)
    if isinstance(feed, CatalogError):
        assert_one_line(feed)
        return
    assert isinstance(feed, Feed)


OPENSEARCH_NAMESPACES = {"": "http://a9.com/-/spec/opensearch/1.1/"}
opensearch_documents = xml_documents(
    "OpenSearchDescription",
    OPENSEARCH_NAMESPACES,
    ["ShortName", "Description", "Url", "Query", "Image", "InputEncoding"],
    ["template", "type", "rel", "indexOffset", "pageOffset", "role", "searchTerms"],
)


@given(st.one_of(random_bytes, opensearch_documents), strings)
def test_opensearch_description_and_its_search_url(data: bytes, query: str) -> None:
    template = outcome(lambda: parse_opensearch(data, URL), CatalogError)
    if isinstance(template, CatalogError):
        assert_one_line(template)
        assert str(template).startswith(f"{URL}: ")
        return
    assert isinstance(template, SearchTemplate)
    assert "{searchTerms}" in template.template
    assert isinstance(template.url_for(query), str)


@given(strings, strings)
def test_search_templates_of_feeds_fill_any_query(href: str, query: str) -> None:
    assert isinstance(templated_search_url(Link(href=href, templated=True), query), str)
