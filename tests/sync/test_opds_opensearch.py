"""OpenSearch description documents and the search URLs built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.errors import CatalogError
from sync.opds.opensearch import opensearch_url, parse_opensearch
from sync.opds.uritemplate import expand

CATALOG = "https://feedbooks.github.io/opds-test-catalog/catalog/"


def test_feedbooks_opensearch_description(opds: Path) -> None:
    data = (opds / "feedbooks-opds-test-catalog/catalog/opensearch.xml").read_bytes()
    search = parse_opensearch(data, CATALOG + "opensearch.xml")
    assert search.short_name == "OPDS Test Catalog"
    assert search.template == CATALOG + "search/results.xml#{searchTerms}"
    assert "opds-catalog" in search.type
    assert search.url_for("Jane Austen") == CATALOG + "search/results.xml#Jane%20Austen"


def test_openlibrary_description(opds: Path) -> None:
    data = (opds / "feedbooks-opds-test-catalog/demo/openlibrary-search.xml").read_bytes()
    search = parse_opensearch(data, "https://openlibrary.example.org/opensearch.xml")
    url = search.url_for("Oʻtkan kunlar")
    assert url.startswith("http")
    assert "O%CA%BBtkan%20kunlar" in url
    assert "{" not in url


@pytest.mark.parametrize(
    ("query", "encoded"),
    [
        ("Oʻtkan kunlar", "O%CA%BBtkan%20kunlar"),
        ("Gʻafur Gʻulom", "G%CA%BBafur%20G%CA%BBulom"),
        ("Ўтган кунлар", "%D0%8E%D1%82%D0%B3%D0%B0%D0%BD%20%D0%BA%D1%83%D0%BD%D0%BB%D0%B0%D1%80"),
        ("a&b=c/d?", "a%26b%3Dc%2Fd%3F"),
    ],
)
def test_search_terms_percent_encoded(query: str, encoded: str) -> None:
    template = "https://k.example.uz/s?q={searchTerms}&n={count?}&p={startPage?}&l={language}"
    assert opensearch_url(template, query) == f"https://k.example.uz/s?q={encoded}&n=&p=&l=*"


def test_relative_template_resolved_and_best_type_chosen() -> None:
    data = b"""<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
      <ShortName>K</ShortName>
      <Url type="text/html" template="/html?q={searchTerms}"/>
      <Url type="application/atom+xml;profile=opds-catalog"
           template="/opds/search?q={searchTerms}&amp;p={startPage?}"/>
    </OpenSearchDescription>"""
    search = parse_opensearch(data, "https://k.example.uz/opds/opensearch.xml")
    assert search.template == "https://k.example.uz/opds/search?q={searchTerms}&p={startPage?}"
    assert search.url_for("Навоий") == (
        "https://k.example.uz/opds/search?q=%D0%9D%D0%B0%D0%B2%D0%BE%D0%B8%D0%B9&p="
    )


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "not an OpenSearch description"),
        (
            b"<OpenSearchDescription xmlns='http://a9.com/-/spec/opensearch/1.1/'>"
            b"<Url template='file:///s?q={searchTerms}'/></OpenSearchDescription>",
            "no usable Url template",
        ),
        (b"<OpenSearchDescription", "not well-formed XML"),
        (
            b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
            "entities",
        ),
    ],
)
def test_bad_descriptions_one_line_error(data: bytes, problem: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_opensearch(data, "https://k.example.uz/os.xml")
    assert str(caught.value).startswith("https://k.example.uz/os.xml: ")
    assert problem in str(caught.value)
    assert "\n" not in str(caught.value)


def test_uri_template_operators() -> None:
    values = {"query": "kitob", "count": "10", "path": "a/b"}
    assert expand("/s{?query,count,missing}", values) == "/s?query=kitob&count=10"
    assert expand("/s?x=1{&query}", values) == "/s?x=1&query=kitob"
    assert expand("/s/{query}", values) == "/s/kitob"
    assert expand("/s{/path}", values) == "/s/a%2Fb"
    assert expand("/s/{+path}", values) == "/s/a/b"
    assert expand("/s{?missing}", values) == "/s"
