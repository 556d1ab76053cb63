"""Property: any file given to the W3C Web Annotation import gives a result whose problems are
one line each, or one `UserError` line naming the file — never another exception (issue 13,
tests). The library is real (a module's own folder) and holds no books, so every item that
reads as an annotation still goes through the import's book check."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.core.errors import UserError
from app.core.paths import resolve_paths
from app.services.annotations.exports.w3c import (
    ANNO_CONTEXT,
    CHAPTER_POSITION,
    CHAPTER_SELECTOR,
    RFC3778,
    ItemError,
    ParsedAnnotation,
    parse_annotation,
)
from app.services.annotations.exports.w3c_import import ImportResult, import_w3c
from app.services.session import Library, Session
from tests.property.strategies import (
    assert_one_line,
    encoded_json,
    json_objects,
    json_values,
    numbers,
    outcome,
    random_bytes,
    strings,
)
from tests.support.sessions import session_of

BOOK = "urn:sha256:" + "ab" * 32
W3C_KEYS = [
    "@context",
    "type",
    "id",
    "body",
    "bodyValue",
    "target",
    "source",
    "selector",
    "refinedBy",
    "exact",
    "prefix",
    "suffix",
    "value",
    "conformsTo",
    "motivation",
    "purpose",
    "created",
    "modified",
    "generated",
    "creator",
    "items",
    "first",
    "format",
    "language",
    "styleClass",
    "mutolaa:parent",
    "mutolaa:detached",
    "mutolaa:origin",
    "mutolaa:chapter",
    "mutolaa:start",
    "mutolaa:end",
    "mutolaa:page",
]
w3c_strings = strings | st.sampled_from(
    [
        ANNO_CONTEXT,
        "Annotation",
        "AnnotationCollection",
        "AnnotationPage",
        "TextualBody",
        "SpecificResource",
        "Choice",
        "List",
        "Composite",
        "TextQuoteSelector",
        "FragmentSelector",
        "CssSelector",
        CHAPTER_SELECTOR,
        CHAPTER_POSITION,
        RFC3778,
        "page=3",
        "page=0",
        "page=\u0663",
        "chapter=1&start=0&end=5&page=2",
        "chapter=1&start=9&end=5&page=2",
        "highlighting",
        "commenting",
        "bookmarking",
        "replying",
        "tagging",
        "urn:uuid:" + "1" * 32,
        "urn:mutolaa:annotation:x",
        "not an iri\nsecond line",
        BOOK,
        BOOK + "#page=2",
        "2026-12-08T00:31:21Z",
        "2026-13-45T99:00:00Z",
    ]
)
selectors = json_objects(
    W3C_KEYS,
    {
        "type": w3c_strings,
        "value": w3c_strings | numbers,
        "conformsTo": w3c_strings,
        "exact": w3c_strings,
        "mutolaa:page": numbers,
    },
)
targets = json_objects(
    W3C_KEYS,
    {
        "source": w3c_strings | json_objects(W3C_KEYS, {"id": w3c_strings}),
        "selector": selectors | st.lists(selectors, max_size=3),
    },
)
annotations = json_objects(
    W3C_KEYS,
    {
        "@context": w3c_strings | st.lists(w3c_strings, max_size=2),
        "type": w3c_strings,
        "id": w3c_strings,
        "target": targets | st.lists(targets | w3c_strings, max_size=2) | w3c_strings,
        "motivation": w3c_strings | st.lists(w3c_strings, max_size=2),
        "body": json_values(W3C_KEYS) | w3c_strings,
    },
)
documents = st.one_of(
    annotations,
    st.lists(annotations, max_size=4),
    json_objects(
        W3C_KEYS,
        {
            "@context": st.just(ANNO_CONTEXT),
            "type": st.just("AnnotationCollection"),
            "first": json_objects(W3C_KEYS, {"items": st.lists(annotations, max_size=3)}),
        },
    ),
    json_values(W3C_KEYS),
)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """A real library without books, for the whole module (a library per example would make
    the property slower, not stronger: nothing is imported)."""
    folder = Path(tmp_path_factory.mktemp("w3c-library"))
    library = Library(resolve_paths(folder))
    yield session_of(library)
    library.close()


_files = itertools.count()


@given(data=st.one_of(random_bytes, encoded_json(documents)))
@example(data=b"[" * 100_000)
@example(data=b'[{"type": "Annotation", "id": "a\\nb", "target": 5}]')
def test_any_file(session: Session, tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.getbasetemp() / f"import-{next(_files)}.jsonld"
    path.write_bytes(data)
    result = outcome(lambda: import_w3c(session, path), UserError)
    if isinstance(result, UserError):
        assert_one_line(result)
        assert str(result).startswith(f"{path}: ")
        return
    assert isinstance(result, ImportResult)
    assert result.imported == []  # the library holds no book
    for problem in result.problems:
        assert len(problem.splitlines()) == 1, problem
        assert problem.startswith(f"{path}: item ")


@given(annotations | json_values(W3C_KEYS))
def test_any_item(item: object) -> None:
    parsed = outcome(lambda: parse_annotation(item), ItemError)
    if isinstance(parsed, ItemError):
        assert_one_line(parsed)
        return
    assert isinstance(parsed, ParsedAnnotation)
