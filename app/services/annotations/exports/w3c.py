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

import functools
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
    """An annotation read from a W3C file, checked for shape (not yet against the library).

    ``placed`` is False when no selector gave the place: the import then finds the quote
    (``quote``, ``anchor.prefix``, ``anchor.suffix``) in the book's text, or puts an
    annotation of the whole book at its first page.
    """

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
    modified_at: float | None = None
    placed: bool = True


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
    """Read one W3C annotation object, as Mutolaa or another tool wrote it.

    Every part is checked, and all that is wrong is said at once (``; `` between), so one
    line tells what to fix.

    Raises:
        ItemError: it is not an annotation Mutolaa can hold (the message says why).
    """
    if not isinstance(item, dict):
        raise ItemError(f"is {_json_type(item)}, not an annotation object")
    problems: list[str] = []

    def check(part: Callable[[], Any]) -> Any:
        try:
            return part()
        except ItemError as exc:
            problems.append(str(exc))
            return None

    check(lambda: _type(item.get("type")))
    iri = check(lambda: _identifier(item.get("id")))
    text = check(lambda: _body_text(item))
    target = check(lambda: _target(item.get("target")))
    book_id = anchor = None
    quote_text = ""
    placed = False
    if target is not None:
        book_id = check(lambda: _book_id(target[0]))
        found = check(lambda: _anchor(target[1], target[0]))
        if found is not None:
            anchor, quote_text, placed = found
    else:  # what else is wrong with the targets is said too
        for candidate in _targets(item.get("target")):
            if isinstance(candidate, dict):
                check(functools.partial(_selectors, candidate))
    created = check(lambda: _time(item, "created"))
    modified = check(lambda: _time(item, "modified"))
    check(lambda: _time(item, "generated"))
    parent = item.get("mutolaa:parent")
    if parent is not None and not (isinstance(parent, str) and 0 < len(parent) <= 2000):
        problems.append("mutolaa:parent must be the id of an annotation")
    detached = item.get("mutolaa:detached", False)
    if not isinstance(detached, bool):
        problems.append("mutolaa:detached must be true or false")
    origin = item.get("mutolaa:origin", "mutolaa")
    if origin not in ("mutolaa", "pdf"):
        problems.append("mutolaa:origin must be 'mutolaa' or 'pdf'")
    kind = check(lambda: _kind(item.get("motivation"), text, quote_text))
    if problems or iri is None or book_id is None or anchor is None or kind is None:
        raise ItemError("; ".join(problems) or "not an annotation")
    return ParsedAnnotation(
        id=annotation_id_of(iri),
        book_id=book_id,
        kind=kind,
        anchor=anchor,
        quote=quote_text,
        color=_color(item, target[1] or {}),
        body=text or "",
        parent_id=annotation_id_of(parent) if parent else None,
        created_at=created,
        detached=detached,
        origin=origin,
        modified_at=modified,
        placed=placed,
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


def _limited(value: str, what: str) -> str:
    if len(value) > MAX_TEXT:
        raise ItemError(f"{what} is longer than {MAX_TEXT:,} characters")
    return value


_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_OA = "http://www.w3.org/ns/oa#"
_COMPOSITES = frozenset({"Choice", "List", "Composite", "Independents"})
_TAG_PURPOSES = frozenset({"tagging", "classifying"})
MAX_NESTING = 8  # bodies and targets inside bodies and targets (Choice, List…)


def _named(value: Any, names: frozenset[str]) -> bool:
    """True when `value` is one of `names` (a list or an object is none, never a TypeError)."""
    return isinstance(value, str) and value in names


def _type(value: Any) -> None:
    values = value if isinstance(value, list) else [value]
    if not any(v in ("Annotation", "oa:Annotation", _OA + "Annotation") for v in values):
        raise ItemError(f"type is {value!r:.60}, not 'Annotation'")


def _identifier(value: Any) -> str:
    if isinstance(value, list):
        if len(value) != 1:
            raise ItemError(f"id must be one IRI, not a list of {len(value)}")
        value = value[0]
    if not isinstance(value, str) or not value:
        raise ItemError("id must be a text")
    if len(value) > 2000:
        raise ItemError("id is longer than 2,000 characters")
    if not _IRI.match(value):
        raise ItemError(f"id {value[:60]!r} is not an IRI (a scheme, a colon, no spaces)")
    return value


def _time(item: dict[str, Any], key: str) -> float | None:
    if key not in item:
        return None
    value = item[key]
    if not isinstance(value, str) or len(value) > 100:
        raise ItemError(f"{key}: {value!r:.40} is not an ISO 8601 date and time (a text)")
    try:
        return parse_iso_time(value)
    except ValueError as exc:
        raise ItemError(f"{key}: {exc}") from None


def _kind(motivation: Any, text: str | None, quote_text: str) -> AnnotationKind:
    """The kind: from a motivation Mutolaa holds; else a text makes a note; without a
    motivation a quote makes a highlight, and nothing at all a bookmark of the book."""
    values = motivation if isinstance(motivation, list) else [motivation]
    foreign = False
    for value in values:
        if value is None and not isinstance(motivation, list):
            continue
        if not isinstance(value, str):
            raise ItemError("motivation must be a name or a list of names")
        name = value.removeprefix("oa:").removeprefix(_OA)
        if name in _KINDS:
            return _KINDS[name]
        foreign = True
    if text:
        return AnnotationKind.NOTE
    if foreign:
        raise ItemError(
            f"motivation {motivation!r:.60} is not highlighting, commenting or bookmarking, "
            "and it has no text to keep as a note"
        )
    return AnnotationKind.HIGHLIGHT if quote_text.strip() else AnnotationKind.BOOKMARK


def _body_text(item: dict[str, Any]) -> str | None:
    """The note's text: ``bodyValue``, or the first body that is not a tag (a TextualBody's
    value; a body given by IRI, written as a plain string or as a resource, is kept as its
    IRI); None when there is none."""
    if "body" in item and "bodyValue" in item:
        raise ItemError("has both body and bodyValue (an annotation has one or the other)")
    if "bodyValue" in item:
        value = item["bodyValue"]
        if not isinstance(value, str):
            raise ItemError("bodyValue must be one text")
        return _limited(value, "bodyValue")
    if "body" not in item:
        return None
    return _body(item["body"], 0)


def _body(body: Any, depth: int) -> str | None:
    if depth > MAX_NESTING:
        raise ItemError("the body is nested too deeply")
    if isinstance(body, list):
        found = [_body(part, depth + 1) for part in body]  # every part is checked
        return next((text for text in found if text is not None), None)
    if isinstance(body, str):
        return _limited(body, "body")
    if not isinstance(body, dict):
        raise ItemError(f"a body is {_json_type(body)}: it must be a text, an IRI or an object")
    kind = body.get("type")
    if isinstance(kind, list):
        if len(kind) != 1:
            raise ItemError(f"a body has several types {kind!r:.60}; it may have one")
        kind = kind[0]
    purposes = body.get("purpose", [])
    tag = any(
        _named(p, _TAG_PURPOSES) for p in (purposes if isinstance(purposes, list) else [purposes])
    )
    if kind == "TextualBody" or (kind is None and "value" in body):
        text = _textual_body(body)
        return None if tag else text
    if _named(kind, _COMPOSITES) or "items" in body:
        return _composite_body(body, kind, depth)
    return _resource_body(body, tag)


def _textual_body(body: dict[str, Any]) -> str:
    """The text of a TextualBody."""
    if "value" not in body:
        raise ItemError("a TextualBody has no value")
    if not isinstance(body["value"], str):
        raise ItemError("a TextualBody's value must be one text")
    return _limited(body["value"], "a TextualBody's value")


def _composite_body(body: dict[str, Any], kind: Any, depth: int) -> str | None:
    """The text of a Choice, List… body: its first item with text (a Choice's default)."""
    items = body.get("items")
    if not _named(kind, _COMPOSITES):
        raise ItemError("a body with items must say its type (Choice, List…)")
    if not isinstance(items, list) or not items:
        raise ItemError(f"a {kind} body has no items")
    return _body(items, depth + 1)


def _resource_body(body: dict[str, Any], tag: bool) -> str | None:
    """A body given as a resource: its IRI is kept as the note's text."""
    source = body.get("source")
    iri = source.get("id") if isinstance(source, dict) else source
    if iri is None:
        iri = body.get("id")
    if iri is None:
        return None
    if not isinstance(iri, str) or not _IRI.match(iri):
        raise ItemError(f"a body's id {str(iri)[:60]!r} is not an IRI")
    return None if tag else _limited(iri, "a body's id")


def _targets(value: Any, depth: int = 0) -> list[Any]:
    """Every resource a target names: lists and the items of Composite, List, Independents
    and Choice targets are opened."""
    if depth > MAX_NESTING:
        return []
    if isinstance(value, list):
        return [found for part in value for found in _targets(part, depth + 1)]
    if isinstance(value, dict) and _named(value.get("type"), _COMPOSITES):
        return _targets(value.get("items", []), depth + 1)
    return [value]


def _target(target: Any) -> tuple[str, dict[str, Any] | None]:
    """(the book's IRI, the target object whose selectors place it, None for the whole book)."""
    if target is None:
        raise ItemError("has no target")
    candidates = _targets(target)
    if not any(isinstance(c, str | dict) for c in candidates):
        raise ItemError(f"the target is {_json_type(target)}: it must be an IRI or an object")
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.startswith(SOURCE_PREFIX):
            return candidate, None
        if not isinstance(candidate, dict):
            continue
        source = candidate.get("source")
        iri = source.get("id") if isinstance(source, dict) else source
        if isinstance(iri, str) and iri.startswith(SOURCE_PREFIX):
            return iri, candidate
        iri = candidate.get("id")
        if source is None and isinstance(iri, str) and iri.startswith(SOURCE_PREFIX):
            return iri, {"styleClass": candidate.get("styleClass")}  # the book itself
    raise ItemError(f"no target with a source {SOURCE_PREFIX}<book id>")


def _book_id(source: str) -> str:
    value = source.split("#", 1)[0][len(SOURCE_PREFIX) :].lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise ItemError(f"target source {source[:90]!r} is not {SOURCE_PREFIX} and 64 hex digits")
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


def _is_pdf_fragment(selector: dict[str, Any]) -> bool:
    return selector.get("type") == "FragmentSelector" and selector.get("conformsTo") in (
        RFC3778,
        RFC3778.replace("http:", "https:"),
    )


def _selectors(target: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(the quote selector, the selector giving the place) among a target's selectors and
    their refinements; a chapter position wins over a page. Selectors that cannot place an
    annotation in a book here (CSS, XPath, SVG, an EPUB CFI without our position, one given
    by IRI) are passed over."""
    selector = target.get("selector")
    values = selector if isinstance(selector, list) else [selector] if selector else []
    quote_selector = place = None
    for value in values:
        if isinstance(value, str):
            continue  # a selector elsewhere, by IRI: nothing to read offline
        if not isinstance(value, dict):
            raise ItemError("a selector must be an object")
        for part in _refinements(value):
            kind = part.get("type")
            if kind == "FragmentSelector" and not isinstance(part.get("value"), str):
                raise ItemError("a FragmentSelector's value must be one text")
            if kind == "TextQuoteSelector" and quote_selector is None:
                quote_selector = part
            elif _gives_place(part, place):
                place = part
    return quote_selector, place


def _gives_place(selector: dict[str, Any], place: dict[str, Any] | None) -> bool:
    """True when ``selector`` places the annotation better than ``place`` (a chapter
    position wins over a page, the first of either kind over the later ones)."""
    if _is_position(selector):
        return place is None or not _is_position(place)
    return place is None and _is_pdf_fragment(selector) and _page_of(selector["value"]) is not None


def _page_of(fragment: str) -> int | None:
    """The page of an RFC 3778 fragment (``page=3&zoom=…``, 1-based); None without one.

    Raises:
        ItemError: its page is not a whole number of at least 1.
    """
    for parameter in fragment.split("&"):
        name, _, value = parameter.partition("=")
        if name.strip() == "page":
            if not re.fullmatch(r"\d{1,9}", value.strip()) or int(value) < 1:
                raise ItemError(f"FragmentSelector value {fragment[:40]!r} is not page=N")
            return int(value)
    return None


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
        value = str(place.get("value"))
        pairs = dict(part.partition("=")[::2] for part in value[:200].split("&"))
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


def _anchor(target: dict[str, Any] | None, source: str) -> tuple[Anchor, str, bool]:
    """(anchor, quote, whether a selector gave the place)."""
    quote_selector, place = _selectors(target) if target is not None else (None, None)
    exact = prefix = suffix = ""
    if quote_selector is not None:
        exact = _text(quote_selector, "exact")
        prefix = _text(quote_selector, "prefix")
        suffix = _text(quote_selector, "suffix")
    chapter = start = end = -1
    page: int | None = None
    quads: tuple[tuple[float, float, float, float], ...] = ()
    if place is not None and _is_position(place):
        chapter, start, end, page = _position(place)
    elif place is not None:
        page = _page_of(place["value"])
        quads = _quads(place.get("mutolaa:quads", []))
    elif "#" in source:  # urn:sha256:…#page=3
        page = _page_of(source.split("#", 1)[1])
    anchor = Anchor(
        page=(page or 1) - 1,
        quads=quads,
        chapter=chapter,
        start=start,
        end=end,
        prefix=prefix,
        suffix=suffix,
    )
    return anchor, exact, page is not None


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
