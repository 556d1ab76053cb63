"""The pure parts of annotation exports: colours, dates, Markdown escaping, the W3C mapping."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import pytest

from app.core.models import HIGHLIGHT_COLORS, Anchor, Annotation, AnnotationKind
from app.documents.annotation_records import (
    HIGHLIGHT_RGB,
    css_color,
    nearest_color,
    pdf_date,
    pdf_date_text,
)
from app.services.annotations.exports.markdown import escape
from app.services.annotations.exports.output import atomic_target, write_atomically
from app.services.annotations.exports.threads import threads
from app.services.annotations.exports.timestamps import iso_time, parse_iso_time
from app.services.annotations.exports.w3c import (
    ItemError,
    annotation_id_of,
    annotation_iri,
    items_of,
    parse_annotation,
    to_w3c_annotation,
)

BOOK = "ab" * 32


def test_every_highlight_colour_has_an_rgb_and_pdf_colours_find_the_nearest() -> None:
    assert set(HIGHLIGHT_RGB) == set(HIGHLIGHT_COLORS)
    assert nearest_color((1.0, 1.0, 0.0)) == "yellow"
    assert nearest_color((0.0, 1.0, 0.0)) == "green"
    assert nearest_color((0.0, 0.0, 1.0)) == "blue"
    assert nearest_color((1.0, 0.4, 0.7)) == "pink"
    assert nearest_color(None) == "yellow"
    assert all(nearest_color(rgb) == name for name, rgb in HIGHLIGHT_RGB.items())
    assert css_color("yellow") == "#ffd600"
    assert css_color("no such colour") == "#ffd600"


def test_exports_use_the_colours_the_window_draws() -> None:
    from app.ui.annotations.model import COLORS  # noqa: PLC0415 - QColor needs no application

    for name, rgb in HIGHLIGHT_RGB.items():
        assert css_color(name) == COLORS[name].name(), name
        assert len(rgb) == 3


def test_pdf_dates_with_and_without_zones() -> None:
    utc = datetime.datetime(2024, 1, 5, 5, 30, tzinfo=datetime.UTC).timestamp()
    assert pdf_date("D:20240105103000+05'00'") == utc
    assert pdf_date("D:20240105053000Z") == utc
    assert pdf_date("20240105003000-05'00") == utc
    assert pdf_date("D:2024") == datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC).timestamp()
    for bad in ("", "yesterday", "D:20241399000000", "D:20240105256000"):
        assert pdf_date(bad) is None, bad
    assert pdf_date(pdf_date_text(utc)) == utc


def test_iso_times_carry_a_float_exactly() -> None:
    rng = random.Random(4)
    for _ in range(2000):
        stamp = rng.uniform(0, 2e9)
        assert parse_iso_time(iso_time(stamp)) == stamp
    assert iso_time(1704432600.0) == "2024-01-05T05:30:00Z"
    assert parse_iso_time("2024-01-05T10:30:00+05:00") == 1704432600.0
    assert parse_iso_time("2024-01-05T05:30") == 1704432600.0
    for bad in ("2024-01-05", "2024-13-05T00:00:00Z", "soon"):
        with pytest.raises(ValueError, match=r"ISO 8601|not a valid"):
            parse_iso_time(bad)


def test_markdown_escaping_keeps_text_literal() -> None:
    assert escape("# not a heading") == "\\# not a heading"
    assert escape("1. not a list\n- nor this") == "1\\. not a list\n\\- nor this"
    assert escape("*bold* _it_ `code` [link](x) <b>") == (
        "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\<b\\>"
    )
    assert escape("R&D &amp; co") == "R&D \\&amp; co"
    assert escape("oʻquv — Кутубхона") == "oʻquv — Кутубхона"


def _annotation(**fields: object) -> Annotation:
    values: dict[str, object] = {
        "id": "0123456789abcdef0123456789abcdef",
        "profile_id": 1,
        "book_id": BOOK,
        "kind": AnnotationKind.HIGHLIGHT,
        "anchor": Anchor(page=3, quads=((1.0, 2.0, 3.5, 4.25),), prefix="a", suffix="b"),
        "quote": "iqtibos",
        "color": "green",
        "body": "izoh",
        "created_at": 1704432600.125,
        "updated_at": 1704432601.5,
    }
    values.update(fields)
    return Annotation(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "annotation",
    [
        _annotation(),
        _annotation(kind=AnnotationKind.NOTE, color="", quote="", parent_id="f" * 32),
        _annotation(
            kind=AnnotationKind.BOOKMARK,
            anchor=Anchor(page=0, chapter=2, start=10, end=10),
            color="",
            quote="",
            body="Bob",
        ),
        _annotation(id="pdf:7", detached=True, origin="pdf", body=""),
    ],
)
def test_one_annotation_reads_back_as_written(annotation: Annotation) -> None:
    parsed = parse_annotation(to_w3c_annotation(annotation))
    assert parsed.id == annotation.id
    assert (parsed.book_id, parsed.kind, parsed.anchor) == (
        annotation.book_id,
        annotation.kind,
        annotation.anchor,
    )
    assert (parsed.quote, parsed.color, parsed.body) == (
        annotation.quote,
        annotation.color,
        annotation.body,
    )
    assert (parsed.parent_id, parsed.created_at) == (annotation.parent_id, annotation.created_at)
    assert (parsed.detached, parsed.origin) == (annotation.detached, annotation.origin)


def test_ids_round_trip_and_foreign_ids_are_stable() -> None:
    ours = "0123456789abcdef0123456789abcdef"
    assert annotation_iri(ours) == "urn:uuid:01234567-89ab-cdef-0123-456789abcdef"
    assert annotation_id_of(annotation_iri(ours)) == ours
    assert annotation_id_of(annotation_iri("pdf:7 x")) == "pdf:7 x"
    foreign = "https://example.org/anno/7"
    assert annotation_id_of(foreign) == annotation_id_of(foreign) != foreign
    assert len(annotation_id_of(foreign)) == 32


def test_annotations_of_other_tools_are_read_where_they_fit() -> None:
    item = {
        "type": "Annotation",
        "id": "https://example.org/anno/1",
        "motivation": ["oa:tagging", "oa:highlighting"],
        "stylesheet": {"type": "CssStylesheet", "value": ".hl-red { background: #f04040 }"},
        "body": [
            {"type": "TextualBody", "value": "teg", "purpose": "tagging"},
            {"type": "TextualBody", "value": "fikr"},
        ],
        "target": [
            "https://example.org/page",
            {
                "source": f"urn:sha256:{BOOK.upper()}",
                "styleClass": "hl-red",
                "selector": [
                    {
                        "type": "FragmentSelector",
                        "conformsTo": "https://tools.ietf.org/rfc/rfc3778",
                        "value": "page=3&zoom=100",
                    },
                    {"type": "TextQuoteSelector", "exact": "matn"},
                ],
            },
        ],
    }
    parsed = parse_annotation(item)
    assert (parsed.kind, parsed.book_id, parsed.anchor.page) == (AnnotationKind.HIGHLIGHT, BOOK, 2)
    assert (parsed.quote, parsed.body, parsed.color, parsed.created_at) == (
        "matn",
        "fikr",
        "orange",
        None,
    )


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"type": "Note"}, "not 'Annotation'"),
        ({"id": 5}, "id must be a text"),
        ({"mutolaa:detached": "yes"}, "true or false"),
        ({"mutolaa:origin": "x"}, "'mutolaa' or 'pdf'"),
        ({"body": {"type": "TextualBody", "value": "x" * 100_001}}, "longer than 100,000"),
        ({"target": {"source": "urn:sha256:1234"}}, "64 hex digits"),
        # a list where a name belongs (found by tests/property/test_w3c_import.py)
        ({"target": {"type": [], "source": "x:y"}}, "no target with a source"),
        ({"body": {"type": [[]], "items": []}}, "must say its type"),
        ({"body": {"purpose": [{}], "id": "not an iri"}}, "is not an IRI"),
    ],
)
def test_bad_items_say_what_is_wrong(change: dict[str, object], words: str) -> None:
    item = to_w3c_annotation(_annotation()) | change
    with pytest.raises(ItemError, match=words):
        parse_annotation(item)


def test_documents_of_every_shape_give_their_items() -> None:
    context = "http://www.w3.org/ns/anno.jsonld"
    assert items_of([1, 2]) == [1, 2]
    assert items_of({"@context": context, "type": "AnnotationPage", "items": [3]}) == [3]
    assert items_of({"@context": [context], "type": "AnnotationCollection"}) == []
    single = {"@context": context, "type": "Annotation"}
    assert items_of(single) == [single]
    with pytest.raises(ItemError, match="no @context"):
        items_of({"type": "AnnotationCollection"})


def test_notes_stand_under_their_highlight_or_alone() -> None:
    mark = _annotation(id="m")
    note = _annotation(id="n", kind=AnnotationKind.NOTE, parent_id="m", created_at=2.0)
    early = _annotation(id="e", kind=AnnotationKind.NOTE, parent_id="m", created_at=1.0)
    orphan = _annotation(id="o", kind=AnnotationKind.NOTE, parent_id="gone")
    found = threads([mark, note, orphan, early])
    assert [(t.head.id, [n.id for n in t.notes]) for t in found] == [
        ("m", ["e", "n"]),
        ("o", []),
    ]


def test_an_export_file_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("old", encoding="utf-8")

    def fail_halfway() -> None:
        with atomic_target(target) as temp:
            temp.write_text("half", encoding="utf-8")
            raise RuntimeError("the worker died")

    with pytest.raises(RuntimeError):
        fail_halfway()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]
    write_atomically(target, "new ✓".encode())
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]
