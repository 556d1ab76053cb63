"""Hypothesis strategies for documents from outside: random bytes, and documents built from the
real names of each format (so that the parsers' deep paths are reached, not only their first
"not valid" check)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar
from xml.sax.saxutils import escape, quoteattr

from hypothesis import strategies as st

# -- plain values -----------------------------------------------------------------------------

#: Text of every kind: controls, surrogates excluded (they cannot be encoded), far planes in.
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)

HUGE = "9" * 40

#: Values that real documents hold, and the ones that break parsers of numbers, dates and URLs.
tricky_strings = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e400",
        "NaN",
        HUGE,
        "0.5",
        "12,5",
        "2026-12-08T00:31:21Z",
        "2026-02-30",
        "101-01-01T00:00:00+00:00",
        "Dec 8, 2026",
        "http://127.0.0.1/a/b.epub",
        "https://x/kitob.epub?x=1#f",
        "/root-relative",
        "relative/path.json",
        "//scheme-relative/x",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/plain,x",
        "mailto:a@b",
        "http://[::1",
        "http://x:99999/",
        "application/epub+zip",
        "application/atom+xml;profile=opds-catalog;kind=acquisition",
        "application/opds+json",
        "http://opds-spec.org/acquisition/open-access",
        "http://opds-spec.org/acquisition/buy",
        "http://opds-spec.org/image",
        "http://opds-spec.org/facet",
        "collection",
        "next",
        "self",
        "search",
        "{?query}",
        "{searchTerms}",
        "/s?q={searchTerms}&p={startPage?}&c={count}",
        "/s{?query,page}",
        "{+path}",
        "{#frag}",
        "{",
        "}{",
        "Oʻzbek tilida kitob",
        "Ўзбек китоби",
        "esc\x1b[2Jfeed",
        "line\nbreak",
        "\u2028",
        "urn:sha256:" + "ab" * 32,
    ]
)
strings = tricky_strings | texts
#: Numbers as outside documents carry them: "1e400" and HUGE become bare JSON numbers now and
#: then (`encoded_json`), which Python reads as infinity and as a 40-digit integer.
numbers = (
    st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["1e400", "1e400", "-1e400", HUGE])
    | strings
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | strings
)


def json_values(keys: list[str], *, max_leaves: int = 30) -> st.SearchStrategy[Any]:
    """JSON values whose objects use `keys` (and now and then any key), nested at random."""
    key = st.sampled_from(keys) | texts
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(key, children, max_size=6)
        ),
        max_leaves=max_leaves,
    )


def json_objects(
    keys: list[str], required: dict[str, st.SearchStrategy[Any]] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with `keys`, some of them always there (`required`: key → its values)."""
    value = json_values(keys)
    optional = st.dictionaries(st.sampled_from(keys), value, max_size=8)
    if not required:
        return optional
    fixed = st.fixed_dictionaries(required)
    return st.tuples(fixed, optional).map(lambda pair: {**pair[1], **pair[0]})


def encoded_json(values: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    """`values` written as JSON bytes (non-ASCII kept as UTF-8); now and then the strings
    "1e400" and "999…" become the numbers Python reads as infinity and as a huge integer
    (JSON allows both; `json.dumps` never writes them); mostly they do."""
    return st.tuples(values, st.integers(0, 9).map(bool)).map(_encoded)  # mostly bare


def _encoded(pair: tuple[Any, bool]) -> bytes:
    text = json.dumps(pair[0], ensure_ascii=False)
    if pair[1]:
        text = text.replace('"1e400"', "1e400").replace('"-1e400"', "-1e400")
        text = text.replace(f'"{HUGE}"', HUGE)
    return text.encode()


#: Bytes of any kind, text in any encoding, and JSON-looking prefixes.
random_bytes = (
    st.binary(max_size=600)
    | texts.map(lambda text: text.encode("utf-8"))
    | st.tuples(
        st.sampled_from([b"{", b"[", b"<", b"\xef\xbb\xbf{", b" \n<"]), st.binary(max_size=200)
    ).map(b"".join)
)

# -- XML --------------------------------------------------------------------------------------


def xml_documents(
    root: str,
    namespaces: dict[str, str],
    elements: list[str],
    attributes: list[str],
    *,
    max_leaves: int = 25,
) -> st.SearchStrategy[bytes]:
    """XML documents under `root` (a qualified name such as ``feed``), built from real element
    and attribute names (``prefix:name`` with the prefixes of `namespaces`), random text and
    tricky attribute values; sometimes with a DTD, an entity, a BOM or a broken end."""
    declarations = " ".join(
        f"xmlns{':' + prefix if prefix else ''}={quoteattr(uri)}"
        for prefix, uri in namespaces.items()
    )
    attribute = st.tuples(st.sampled_from(attributes), strings).map(
        lambda pair: f" {pair[0]}={quoteattr(_xml_text(pair[1]))}"
    )
    attrs = st.lists(attribute, max_size=4, unique_by=lambda text: text.split("=")[0]).map("".join)
    text = strings.map(lambda value: escape(_xml_text(value)))

    def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(st.sampled_from(elements), attrs, st.lists(children, max_size=5)).map(
            lambda parts: f"<{parts[0]}{parts[1]}>{''.join(parts[2])}</{parts[0]}>"
        )

    body = st.lists(st.recursive(text, element, max_leaves=max_leaves), max_size=8)
    prolog = st.sampled_from(
        [
            "",
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            "\ufeff",
            '<!DOCTYPE feed [<!ENTITY e "x">]>',
            '<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/x.dtd">',
        ]
    )
    ending = st.sampled_from(["", "", "", "<", "&e;", "</wrong>"])
    return st.tuples(prolog, attrs, body, ending).map(
        lambda parts: (
            f"{parts[0]}<{root} {declarations}{parts[1]}>{''.join(parts[2])}</{root}>{parts[3]}"
        ).encode()
    )


def _xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot hold at all (the rest is escaped)."""
    return "".join(
        ch
        for ch in value
        if ch in "\t\n\r"
        or ("\x20" <= ch <= "\ud7ff")
        or ("\ue000" <= ch <= "\ufffd")
        or ch > "\uffff"
    )


# -- checking ---------------------------------------------------------------------------------

T = TypeVar("T")


def outcome(
    call: Callable[[], T], errors: type[BaseException] | tuple[type[BaseException], ...]
) -> T | BaseException:
    """What `call` returns, or the error of `errors` it raises (any other error propagates: the
    property fails on it)."""
    try:
        return call()
    except errors as error:
        return error


def assert_one_line(error: BaseException) -> None:
    """The error's message is one line of text, not empty."""
    message = str(error)
    assert message.strip(), f"{type(error).__name__} without a message"
    assert len(message.splitlines()) == 1, f"{type(error).__name__} of several lines: {message!r}"
