"""The W3C Web Annotation test suite's checks, run on our files with jsonschema.

The suite (``shared/fixtures/annotations/w3c-web-annotation-tests``) states what the model's
MUSTs (and SHOULDs, MAYs) mean as JSON Schema draft-04 files: ``definitions/*.json`` hold the
shared definitions, each ``annotations/**.json`` and ``collections/**.json`` one assertion
(``assertionType`` must/should/may, ``expectedResult`` valid), and the ``*.test`` files list
the assertions a document is held to (``annotationMusts.test``: a single annotation;
``collectionMusts.test``: a collection; ``pageMusts.test``: a page, or a collection with its
first page embedded). ``$ref``s name other files by their ``id`` (``annotations.json#/…``),
so every file is registered under its ``id``.

The schemas say ``format: uri`` and ``format: date-time``; jsonschema checks those only with
extra packages, so the two are checked here: an absolute IRI (a scheme, then no spaces or
characters IRIs exclude) and an RFC 3339 date-time.
"""

from __future__ import annotations

import datetime
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT.parent / "shared" / "fixtures" / "annotations" / "w3c-web-annotation-tests"
ANNOTATION_MUSTS = "annotations/annotationMusts.test"
COLLECTION_MUSTS = "collections/collectionMusts.test"
PAGE_MUSTS = "collections/pages/pageMusts.test"
SAMPLES = SUITE / "tools" / "samples"

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
_FORMATS = jsonschema.FormatChecker(formats=())


@_FORMATS.checks("uri")
def _is_iri(value: object) -> bool:
    return not isinstance(value, str) or bool(_IRI.match(value))


@_FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    match = _DATE_TIME.match(value)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    try:
        datetime.datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return False
    return second <= 60


class Suite:
    """The suite's schemas, ready to check documents against its ``*.test`` lists."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.schemas: dict[str, dict[str, Any]] = {}
        for path in sorted(root.rglob("*.json")):
            if "tools" in path.relative_to(root).parts:
                continue  # the samples, not schemas
            self.schemas[path.relative_to(root).as_posix()] = json.loads(
                path.read_text(encoding="utf-8")
            )
        self.registry: Registry[Any] = Registry().with_resources(
            (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
            for schema in self.schemas.values()
        )

    def assertions(self, test: str) -> list[str]:
        """The assertion files a ``*.test`` file lists (paths from the suite's root)."""
        listed = json.loads((self.root / test).read_text(encoding="utf-8"))["assertions"]
        return [str(name) for name in listed]

    def failures(self, document: Any, test: str) -> list[str]:
        """``assertion file: its error message`` for every assertion of ``test`` that
        ``document`` fails (empty when it meets them all)."""
        failed = []
        for name in self.assertions(test):
            schema = self.schemas[name]
            validator = jsonschema.Draft4Validator(
                schema, registry=self.registry, format_checker=_FORMATS
            )
            if not validator.is_valid(document):
                failed.append(f"{name}: {schema.get('errorMessage', schema.get('title', ''))}")
        return failed


@cache
def _suite(root: Path) -> Suite:
    return Suite(root)


def load_suite() -> Suite:
    """The suite (read once per test session); skips the test when the fixtures are absent."""
    if not (SUITE / "definitions").is_dir():
        pytest.skip(f"the W3C Web Annotation test suite is not at {SUITE} (../shared/fixtures)")
    return _suite(SUITE)
