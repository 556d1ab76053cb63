"""Annotations as W3C Web Annotation Data Model JSON-LD, and back (docs/annotations.md).

The mapping, in short: ``motivation`` is the kind (highlighting, commenting, bookmarking);
a note's text or a bookmark's name is a ``TextualBody``; the colour is the target's
``styleClass`` with a ``CssStylesheet`` giving each class its colour; the target's
``source`` is ``urn:sha256:<book id>``, its selectors a ``TextQuoteSelector`` (quote, prefix,
suffix) and a ``FragmentSelector``: RFC 3778 ``page=N`` (1-based) for fixed pages; for
reflowable books our chapter position (``conformsTo`` ``urn:mutolaa:ns:ChapterPosition``),
as the ``refinedBy`` of an EPUB CFI selector for EPUB books. Only the model's standard
selector types are written, so the files pass the W3C test suite's MUST checks. What the
model has no term for travels in properties of the ``mutolaa:`` namespace
(``urn:mutolaa:ns:``): quads, the attached-to annotation, detached and origin.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from app import __version__
from app.core.models import HIGHLIGHT_COLORS, Anchor, Annotation, AnnotationKind, Book
from app.documents.annotation_records import css_color, nearest_color
from app.services.annotations.exports.timestamps import iso_time, parse_iso_time

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NAMESPACE = "urn:mutolaa:ns:"
CONTEXT: list[Any] = [ANNO_CONTEXT, {"mutolaa": NAMESPACE}]
RFC3778 = "http://tools.ietf.org/rfc/rfc3778"
EPUB_CFI = "http://www.idpf.org/epub/linking/cfi/epub-cfi.html"
#: ``conformsTo`` of our own FragmentSelector: ``chapter=C&start=S&end=E&page=P``
CHAPTER_POSITION = NAMESPACE + "ChapterPosition"
CHAPTER_SELECTOR = "mutolaa:ChapterPositionSelector"  # what files before 2026-12 hold
SOURCE_PREFIX = "urn:sha256:"
_ID_PREFIX = "urn:mutolaa:annotation:"  # ids that are not UUIDs
_FOREIGN_IDS = uuid.UUID("0f3cbd5c-6a43-5b39-9b0c-6f0e2f1d8a51")  # uuid5 namespace

MOTIVATIONS = {
    AnnotationKind.HIGHLIGHT: "highlighting",
    AnnotationKind.NOTE: "commenting",
    AnnotationKind.BOOKMARK: "bookmarking",
}
_KINDS = {value: kind for kind, value in MOTIVATIONS.items()} | {"replying": AnnotationKind.NOTE}
#: Limits on what one imported item may hold.
MAX_TEXT = 100_000
MAX_QUADS = 10_000
_CLASS = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,40}$")
_RULE = re.compile(
    r"\.([A-Za-z][A-Za-z0-9_-]*)\s*\{[^}]*?(?:background(?:-color)?)\s*:\s*(#[0-9a-fA-F]{6})"
)


# --------------------------------------------------------------------------- export


def annotation_iri(annotation_id: str) -> str:
    """The ``id`` of an annotation: ``urn:uuid:…`` for our UUIDs."""
    try:
        value = uuid.UUID(annotation_id)
    except ValueError:
        return _ID_PREFIX + quote(annotation_id, safe="")
    if value.hex == annotation_id:
        return value.urn
    return _ID_PREFIX + quote(annotation_id, safe="")


def annotation_id_of(iri: str) -> str:
    """The stored id of an annotation ``id`` read from a file (``annotation_iri`` reversed).

    A foreign IRI (``https://example.org/anno/7``) gets a UUID derived from it, so importing
    the same file twice finds the same ids.
    """
    if iri.lower().startswith("urn:uuid:"):
        try:
            return uuid.UUID(iri[9:]).hex
        except ValueError:
            pass
    if iri.startswith(_ID_PREFIX):
        return unquote(iri[len(_ID_PREFIX) :])
    return uuid.uuid5(_FOREIGN_IDS, iri).hex


#: The EPUB CFI of an annotation of a reflowable book (None when there is none).
CfiOf = Callable[[Annotation], str | None]


def to_w3c(
    book: Book,
    annotations: Sequence[Annotation],
    profile_id: int,
    cfi: CfiOf | None = None,
) -> dict[str, Any]:
    """One book's live annotations as an ``AnnotationCollection`` (JSON-ready).

    Args:
        book: the annotated book.
        annotations: its annotations (deleted ones are left out).
        profile_id: whose they are (the collection's id is derived from it and the book).
        cfi: the EPUB CFI of a reflowable book's annotation, for EPUB books.
    """
    items = [to_w3c_annotation(a, cfi) for a in annotations if not a.deleted]
    collection = uuid.uuid5(_FOREIGN_IDS, f"collection:{book.id}:{profile_id}")
    page = uuid.uuid5(_FOREIGN_IDS, f"page:{book.id}:{profile_id}:0")
    return {
        "@context": CONTEXT,
        "id": collection.urn,
        "type": "AnnotationCollection",
        "label": f"Annotations of {book.title}",
        "generator": {"type": "Software", "name": f"Mutolaa {__version__}"},
        "total": len(items),
        "first": {"id": page.urn, "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def chapter_position(anchor: Anchor) -> str:
    """Our place in a reflowable book as a fragment: ``chapter=C&start=S&end=E&page=P``
    (chapter 0-based, non-space characters, the 1-based page of the import's layout)."""
    return f"chapter={anchor.chapter}&start={anchor.start}&end={anchor.end}&page={anchor.page + 1}"


def to_w3c_annotation(annotation: Annotation, cfi: CfiOf | None = None) -> dict[str, Any]:
    """One annotation as a W3C ``Annotation`` (``cfi`` gives an EPUB book's CFIs)."""
    anchor = annotation.anchor
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": annotation_iri(annotation.id),
        "type": "Annotation",
        "motivation": MOTIVATIONS[annotation.kind],
        "created": iso_time(annotation.created_at),
        "modified": iso_time(annotation.updated_at),
    }
    if annotation.body:
        purpose = "describing" if annotation.kind == AnnotationKind.BOOKMARK else "commenting"
        item["body"] = {
            "type": "TextualBody",
            "value": annotation.body,
            "format": "text/plain",
            "purpose": purpose,
        }
    target: dict[str, Any] = {
        "type": "SpecificResource",
        "source": SOURCE_PREFIX + annotation.book_id,
    }
    if annotation.color:
        target["styleClass"] = annotation.color
        item["stylesheet"] = {
            "type": "CssStylesheet",
            "value": f".{annotation.color} {{ background-color: {css_color(annotation.color)}; }}",
        }
    selectors: list[dict[str, Any]] = []
    if annotation.quote or anchor.prefix or anchor.suffix:
        selectors.append(
            {
                "type": "TextQuoteSelector",
                "exact": annotation.quote,
                "prefix": anchor.prefix,
                "suffix": anchor.suffix,
            }
        )
    if anchor.chapter >= 0:
        place: dict[str, Any] = {
            "type": "FragmentSelector",
            "conformsTo": CHAPTER_POSITION,
            "value": chapter_position(anchor),
        }
        value = cfi(annotation) if cfi is not None else None
        if value:  # the standard selector other tools read, refined by our exact place
            place = {
                "type": "FragmentSelector",
                "conformsTo": EPUB_CFI,
                "value": value,
                "refinedBy": place,
            }
    else:
        place = {
            "type": "FragmentSelector",
            "conformsTo": RFC3778,
            "value": f"page={anchor.page + 1}",
        }
    if anchor.quads:
        place["mutolaa:quads"] = [list(q) for q in anchor.quads]
    selectors.append(place)
    target["selector"] = selectors
    item["target"] = target
    if annotation.parent_id:
        item["mutolaa:parent"] = annotation_iri(annotation.parent_id)
    if annotation.detached:
        item["mutolaa:detached"] = True
    if annotation.origin != "mutolaa":
        item["mutolaa:origin"] = annotation.origin
    return item


# --------------------------------------------------------------------------- import


class ItemError(ValueError):
    """One item of a file cannot be imported; ``str()`` says what is wrong."""


@dataclass(frozen=True)
class ParsedAnnotation:
    """An annotation read from a W3C file, checked for shape (not yet against the library)."""

    id: str
    book_id: str
    kind: AnnotationKind
    anchor: Anchor
    quote: str
    color: str
    body: str
    parent_id: str | None
    created_at: float | None
    detached: bool
    origin: str


def items_of(document: Any) -> list[Any]:
    """The annotation objects of a W3C document: a collection (its pages' items), a page,
    a list of annotations, or one annotation.

    Raises:
        ItemError: the document is none of these.
    """
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise ItemError("the file holds neither an annotation nor a list of them")
    if not _has_anno_context(document.get("@context")):
        raise ItemError(f"not a W3C Web Annotation document (no @context {ANNO_CONTEXT})")
    kind = document.get("type")
    if kind == "AnnotationCollection":
        first = document.get("first")
        if isinstance(first, dict):
            items = first.get("items")
            if isinstance(items, list):
                return items
        if first is None:
            return []
        raise ItemError(
            "the collection's first page holds no items list (pages by link are not read)"
        )
    if kind == "AnnotationPage":
        items = document.get("items")
        if isinstance(items, list):
            return items
        raise ItemError("the annotation page holds no items list")
    return [document]


def _has_anno_context(context: Any) -> bool:
    contexts = context if isinstance(context, list) else [context]
    return any(isinstance(c, str) and c.rstrip("/") == ANNO_CONTEXT for c in contexts)


def parse_annotation(item: Any) -> ParsedAnnotation:
    """Read one W3C annotation object.

    Raises:
        ItemError: it is not an annotation Mutolaa can hold (the message says why).
    """
    if not isinstance(item, dict):
        raise ItemError(f"is {_json_type(item)}, not an annotation object")
    if item.get("type") != "Annotation":
        raise ItemError(f"type is {item.get('type')!r}, not 'Annotation'")
    iri = _text(item, "id", required=True, limit=2000)
    kind = _kind(item.get("motivation"))
    target = _target(item.get("target"))
    book_id = _book_id(target.get("source"))
    quote_selector, place = _selectors(target.get("selector"))
    anchor, quote_text = _anchor(quote_selector, place)
    created = None
    if "created" in item:
        try:
            created = parse_iso_time(_text(item, "created", required=True, limit=100))
        except ValueError as exc:
            raise ItemError(f"created: {exc}") from None
    parent = item.get("mutolaa:parent")
    if parent is not None and not (isinstance(parent, str) and 0 < len(parent) <= 2000):
        raise ItemError("mutolaa:parent must be the id of an annotation")
    detached = item.get("mutolaa:detached", False)
    if not isinstance(detached, bool):
        raise ItemError("mutolaa:detached must be true or false")
    origin = item.get("mutolaa:origin", "mutolaa")
    if origin not in ("mutolaa", "pdf"):
        raise ItemError("mutolaa:origin must be 'mutolaa' or 'pdf'")
    return ParsedAnnotation(
        id=annotation_id_of(iri),
        book_id=book_id,
        kind=kind,
        anchor=anchor,
        quote=quote_text,
        color=_color(item, target),
        body=_body(item.get("body")),
        parent_id=annotation_id_of(parent) if parent else None,
        created_at=created,
        detached=detached,
        origin=origin,
    )


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _text(data: dict[str, Any], key: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise ItemError(f"{key} must be a text")
    if len(value) > limit:
        raise ItemError(f"{key} is longer than {limit:,} characters")
    return value


def _kind(motivation: Any) -> AnnotationKind:
    values = motivation if isinstance(motivation, list) else [motivation]
    for value in values:
        if isinstance(value, str) and value.removeprefix("oa:") in _KINDS:
            return _KINDS[value.removeprefix("oa:")]
    raise ItemError(f"motivation {motivation!r:.60} is not highlighting, commenting or bookmarking")


def _target(target: Any) -> dict[str, Any]:
    candidates = target if isinstance(target, list) else [target]
    for candidate in candidates:
        if not isinstance(candidate, dict):
            continue
        source = candidate.get("source")
        if isinstance(source, str) and source.startswith(SOURCE_PREFIX):
            return candidate
        iri = candidate.get("id")
        if isinstance(iri, str) and iri.startswith(SOURCE_PREFIX):  # the book itself
            return {"source": iri}
    raise ItemError(f"no target with a source {SOURCE_PREFIX}<book id>")


def _book_id(source: Any) -> str:
    value = str(source)[len(SOURCE_PREFIX) :].lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise ItemError(
            f"target source {str(source)[:90]!r} is not {SOURCE_PREFIX} and 64 hex digits"
        )
    return value


MAX_REFINEMENTS = 8  # refinedBy steps followed in one selector


def _refinements(selector: dict[str, Any]) -> list[dict[str, Any]]:
    """A selector and the selectors refining it (``refinedBy``, depth first)."""
    found = [selector]
    pending = selector.get("refinedBy")
    depth = 0
    while isinstance(pending, dict) and depth < MAX_REFINEMENTS:
        found.append(pending)
        pending = pending.get("refinedBy")
        depth += 1
    return found


def _is_position(selector: dict[str, Any]) -> bool:
    kind = selector.get("type")
    return kind == CHAPTER_SELECTOR or (
        kind == "FragmentSelector" and selector.get("conformsTo") == CHAPTER_POSITION
    )


def _selectors(selector: Any) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    values = selector if isinstance(selector, list) else [selector] if selector else []
    quote_selector = place = None
    for value in values:
        if not isinstance(value, dict):
            raise ItemError("a selector must be an object")
        for part in _refinements(value):
            kind = part.get("type")
            if kind == "TextQuoteSelector" and quote_selector is None:
                quote_selector = part
            elif _is_position(part) and (place is None or not _is_position(place)):
                place = part  # a chapter position wins over a page
            elif (
                kind == "FragmentSelector" and part.get("conformsTo") != EPUB_CFI and place is None
            ):
                place = part
    if place is None:
        raise ItemError(
            "no selector gives the place: a FragmentSelector page=N or a chapter position"
        )
    return quote_selector, place


def _integer(data: dict[str, Any], key: str, low: int) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value < 2**31:
        raise ItemError(f"{key} must be a whole number of at least {low}")
    return value


def _position(place: dict[str, Any]) -> tuple[int, int, int, int]:
    """(chapter, start, end, 1-based page) of a chapter position selector."""
    if place.get("type") == CHAPTER_SELECTOR:
        fields = {
            key: _integer(place, f"mutolaa:{key}", low)
            for key, low in (("chapter", 0), ("start", -1), ("end", -1), ("page", 1))
        }
    else:
        value = place.get("value")
        if not isinstance(value, str) or len(value) > 200:
            raise ItemError("the chapter position's value must be one text")
        pairs = dict(part.partition("=")[::2] for part in value.split("&"))
        fields = {}
        for key, low in (("chapter", 0), ("start", -1), ("end", -1), ("page", 1)):
            text = pairs.get(key, "")
            if not re.fullmatch(r"-?\d{1,10}", text) or not low <= int(text) < 2**31:
                raise ItemError(
                    f"chapter position {value[:60]!r}: {key} must be a whole number of at "
                    f"least {low}"
                )
            fields[key] = int(text)
    if fields["end"] < fields["start"]:
        raise ItemError("the chapter position ends before it starts")
    return fields["chapter"], fields["start"], fields["end"], fields["page"]


def _anchor(quote_selector: dict[str, Any] | None, place: dict[str, Any]) -> tuple[Anchor, str]:
    chapter = start = end = -1
    if _is_position(place):
        chapter, start, end, page = _position(place)
    else:
        if place.get("conformsTo") not in (RFC3778, RFC3778.replace("http:", "https:")):
            raise ItemError(f"the FragmentSelector does not conform to {RFC3778}")
        match = re.fullmatch(r"page=(\d{1,9})(?:&.*)?", str(place.get("value", "")))
        if not match or int(match.group(1)) < 1:
            raise ItemError(
                f"FragmentSelector value {str(place.get('value'))[:40]!r} is not page=N"
            )
        page = int(match.group(1))
    quads = _quads(place.get("mutolaa:quads", []))
    exact = prefix = suffix = ""
    if quote_selector is not None:
        exact = _text(quote_selector, "exact")
        prefix = _text(quote_selector, "prefix")
        suffix = _text(quote_selector, "suffix")
    anchor = Anchor(
        page=page - 1,
        quads=quads,
        chapter=chapter,
        start=start,
        end=end,
        prefix=prefix,
        suffix=suffix,
    )
    return anchor, exact


def _quads(value: Any) -> tuple[tuple[float, float, float, float], ...]:
    if not isinstance(value, list) or len(value) > MAX_QUADS:
        raise ItemError(f"mutolaa:quads must be a list of at most {MAX_QUADS:,} boxes")
    boxes = []
    for box in value:
        if not (
            isinstance(box, list)
            and len(box) == 4
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in box)
            and all(math.isfinite(v) and abs(v) < 1e6 for v in box)
        ):
            raise ItemError("every box of mutolaa:quads must be four numbers [x0, y0, x1, y1]")
        x0, y0, x1, y1 = (float(v) for v in box)
        if x1 < x0 or y1 < y0:
            raise ItemError("a box of mutolaa:quads has its corners the wrong way round")
        boxes.append((x0, y0, x1, y1))
    return tuple(boxes)


def _body(body: Any) -> str:
    values = body if isinstance(body, list) else [body] if body is not None else []
    for value in values:
        if not isinstance(value, dict) or value.get("type") != "TextualBody":
            continue
        if value.get("purpose", "commenting") in ("commenting", "describing", "replying"):
            return _text(value, "value")
    return ""


def _color(item: dict[str, Any], target: dict[str, Any]) -> str:
    """The colour name: the target's styleClass when it is ours, else the nearest colour
    of the stylesheet's rule for it; none when nothing says."""
    style = target.get("styleClass")
    if isinstance(style, str) and _CLASS.match(style):
        if style in HIGHLIGHT_COLORS:
            return style
        sheet = item.get("stylesheet")
        css = sheet.get("value") if isinstance(sheet, dict) else None
        if isinstance(css, str):
            for name, hex_value in _RULE.findall(css[:MAX_TEXT]):
                if name == style:
                    rgb = tuple(int(hex_value[i : i + 2], 16) / 255 for i in (1, 3, 5))
                    return nearest_color((rgb[0], rgb[1], rgb[2]))
    return ""
