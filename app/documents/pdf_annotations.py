"""A PDF's own annotations, read and written, inside the worker process.

Reading gives plain records (``annotation_records.FoundAnnotation``) that the services turn
into a profile's annotations; writing makes an annotated copy of a PDF with real PDF
annotations that other readers show. Runs only in the worker (``worker.py``): a hostile file
costs that file alone.
"""

# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pymupdf

from app.core.errors import BadDocumentError, UserError
from app.documents.annotation_records import (
    MARKUP_TYPES,
    NOTE_TYPES,
    Box,
    ExistingEdit,
    FoundAnnotation,
    MarkToWrite,
    Rgb,
    pdf_date,
    pdf_date_text,
)
from app.documents.extract import open_document

log = logging.getLogger(__name__)

#: Limits on what is read from one (possibly hostile) file.
MAX_ANNOTATIONS = 20_000
MAX_TEXT = 100_000
MAX_POINTS = 20_000
#: Who the written annotations say wrote them (``/T``).
AUTHOR = "Mutolaa"
#: The outline entry under which bookmarks are written.
BOOKMARKS_TITLE = "Bookmarks (Mutolaa)"
NOTE_ICON_SIZE = 20.0
#: How far (points) above or below an ink drawing a word counts as marked by it (an
#: underline drawn a little below the line still marks the line's words).
INK_REACH = 4.0


def _opened(path: Path, password: str | None) -> Any:
    doc, locked = open_document(path, password)
    if locked:
        doc.close()
        raise UserError("the book is encrypted; its password is needed")
    if not doc.is_pdf:
        doc.close()
        raise UserError("only a PDF holds PDF annotations")
    return doc


def read_annotations(path: Path, password: str | None = None) -> list[FoundAnnotation]:
    """The highlights, text markups, ink drawings and notes inside a PDF.

    Other kinds (links, form fields, popups, stamps…) are left out; a page whose
    annotations MuPDF cannot read is skipped with a log line.

    Raises:
        BadDocumentError: the file cannot be opened.
        UserError: it is encrypted (and no password was given) or not a PDF.
    """
    doc = _opened(path, password)
    found: list[FoundAnnotation] = []
    try:
        for number in range(doc.page_count):
            if len(found) >= MAX_ANNOTATIONS:
                log.warning("%s: more than %d annotations; the rest ignored", path, len(found))
                break
            try:
                found += _page_annotations(doc, number)
            except (RuntimeError, ValueError) as exc:
                log.info("%s: page %d: annotations unreadable (%s)", path, number + 1, exc)
    finally:
        doc.close()
    return found[:MAX_ANNOTATIONS]


def _page_annotations(doc: Any, number: int) -> list[FoundAnnotation]:
    page = doc[number]  # kept alive while its annotations are read (GOTCHAS.md)
    wanted = MARKUP_TYPES | NOTE_TYPES
    found = []
    words: list[Any] | None = None
    for annot in page.annots():
        kind = str(annot.type[1])
        if kind not in wanted:
            continue
        rect = _box(annot.rect)
        if rect is None:
            continue
        info = annot.info or {}
        vertices: tuple[tuple[tuple[float, float], ...], ...] = ()
        quads: tuple[Box, ...] = (rect,)
        if kind == "Ink":
            vertices = _strokes(annot.vertices)
            quads = (_bounds(vertices) or rect,)
        elif kind in MARKUP_TYPES:
            quads = _quads(annot.vertices) or (rect,)
        quote = ""
        if kind in MARKUP_TYPES:
            if words is None:
                words = page.get_text("words", sort=True)
            if kind == "Ink":  # a pen stroke under, through or around words
                x0, y0, x1, y1 = quads[0]
                grown = (x0, y0 - INK_REACH, x1, y1 + INK_REACH)
                quote = _words_in(words, (grown,), touching=True)
            else:
                quote = _words_in(words, quads)
        found.append(
            FoundAnnotation(
                page=number,
                xref=int(annot.xref),
                type=kind,
                rect=rect,
                quads=quads,
                vertices=vertices,
                color=_rgb((annot.colors or {}).get("stroke")),
                content=str(info.get("content") or "")[:MAX_TEXT],
                author=str(info.get("title") or "")[:1000],
                created=pdf_date(str(info.get("creationDate") or "")),
                modified=pdf_date(str(info.get("modDate") or "")),
                quote=quote[:MAX_TEXT],
                in_reply_to=int(annot.irt_xref or 0),
            )
        )
    return found


def _finite(values: Sequence[Any]) -> bool:
    return all(isinstance(v, int | float) and math.isfinite(v) for v in values)


def _box(rect: Any) -> Box | None:
    values = (float(rect.x0), float(rect.y0), float(rect.x1), float(rect.y1))
    if not _finite(values) or values[2] < values[0] or values[3] < values[1]:
        return None
    return values


def _quads(vertices: Any) -> tuple[Box, ...]:
    """The box of every quad (four points) of a text markup annotation."""
    if not vertices:
        return ()
    points = [(float(p[0]), float(p[1])) for p in list(vertices)[:MAX_POINTS]]
    boxes = []
    for start in range(0, len(points) - 3, 4):
        group = points[start : start + 4]
        xs, ys = [p[0] for p in group], [p[1] for p in group]
        if _finite(xs + ys):
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return tuple(boxes)


def _strokes(vertices: Any) -> tuple[tuple[tuple[float, float], ...], ...]:
    strokes = []
    budget = MAX_POINTS
    for stroke in list(vertices or ())[:1000]:
        points = tuple((float(p[0]), float(p[1])) for p in list(stroke)[:budget])
        budget -= len(points)
        strokes.append(points)
        if budget <= 0:
            break
    return tuple(strokes)


def _bounds(strokes: tuple[tuple[tuple[float, float], ...], ...]) -> Box | None:
    """The box around an ink drawing's points (its rectangle adds the pen's width)."""
    xs = [p[0] for stroke in strokes for p in stroke]
    ys = [p[1] for stroke in strokes for p in stroke]
    if not xs or not _finite(xs + ys):
        return None
    return (min(xs), min(ys), max(xs), max(ys))


def _rgb(values: Any) -> Rgb | None:
    """An RGB colour from a PDF colour array (grey and CMYK converted), or None."""
    if not values:
        return None
    numbers = [float(v) for v in values]
    if not _finite(numbers):
        return None
    clipped = [min(1.0, max(0.0, v)) for v in numbers]
    if len(clipped) == 1:
        return (clipped[0], clipped[0], clipped[0])
    if len(clipped) == 3:
        return (clipped[0], clipped[1], clipped[2])
    if len(clipped) == 4:
        c, m, y, k = clipped
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _words_in(words: list[Any], boxes: Sequence[Box], *, touching: bool = False) -> str:
    """The words whose centres lie in one of ``boxes`` (``touching``: that overlap one),
    in reading order."""
    chosen = []
    for word in words:
        x0, y0, x1, y1 = (float(v) for v in word[:4])
        if touching:
            hit = any(b[0] < x1 and x0 < b[2] and b[1] < y1 and y0 < b[3] for b in boxes)
        else:
            x, y = (x0 + x1) / 2, (y0 + y1) / 2
            hit = any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)
        if hit:
            chosen.append(str(word[4]))
    return " ".join(chosen)


def page_labels(path: Path, password: str | None, pages: Sequence[int]) -> dict[int, str]:
    """The labels (``xii``, ``A-3``) of ``pages`` (0-based), where the PDF defines labels."""
    doc = _opened(path, password)
    try:
        if not doc.get_page_labels():
            return {}
        return {
            number: str(doc[number].get_label())
            for number in sorted(set(pages))
            if 0 <= number < doc.page_count
        }
    finally:
        doc.close()


def write_annotated(
    source: Path,
    target: Path,
    marks: Sequence[MarkToWrite],
    edits: Sequence[ExistingEdit] = (),
    password: str | None = None,
) -> int:
    """Write a copy of the PDF ``source`` to ``target`` holding ``marks`` as PDF annotations.

    Highlights become Highlight annotations in their colour with the note text as their
    content; notes become Text annotations (an icon with a popup); bookmarks become outline
    entries under ``BOOKMARKS_TITLE`` at the end of the book's outline. ``edits`` change or
    remove annotations the PDF already holds. Returns how many marks were written; a mark
    outside its page's range is skipped.

    Raises:
        BadDocumentError: the file cannot be opened or the copy cannot be written.
        UserError: the book is encrypted or not a PDF.
    """
    doc = _opened(source, password)
    written = 0
    try:
        _apply_edits(doc, edits)
        bookmarks: list[MarkToWrite] = []
        for mark in marks:
            if not 0 <= mark.page < doc.page_count:
                log.info("annotation %s: page %d is not in the book", mark.name, mark.page + 1)
                continue
            if mark.kind == "bookmark":
                bookmarks.append(mark)
                written += 1
                continue
            page = doc[mark.page]
            annot = _add(page, mark)
            if annot is None:
                continue
            annot.set_info(
                content=mark.content,
                title=AUTHOR,
                creationDate=pdf_date_text(mark.created),
                modDate=pdf_date_text(mark.modified),
            )
            annot.update()
            if mark.name:
                doc.xref_set_key(annot.xref, "NM", pymupdf.get_pdf_str(mark.name))
            written += 1
        if bookmarks:
            _add_bookmarks(doc, bookmarks)
        try:
            doc.save(str(target), garbage=1, deflate=True)
        except (RuntimeError, ValueError, OSError) as exc:
            raise BadDocumentError(f"cannot write the annotated copy ({exc})") from exc
    finally:
        doc.close()
    return written


def _add(page: Any, mark: MarkToWrite) -> Any:
    """The new annotation for one highlight or note on ``page`` (None: nothing to draw)."""
    bounds = page.rect
    if mark.kind == "highlight":
        quads = [
            pymupdf.Rect(q).intersect(bounds).quad
            for q in mark.quads
            if not pymupdf.Rect(q).intersect(bounds).is_empty
        ]
        if not quads:
            return None
        annot = page.add_highlight_annot(quads=quads)
        if mark.color is not None:
            annot.set_colors(stroke=mark.color)
        return annot
    if mark.kind == "note":
        if mark.quads:  # the icon just above the start of its place
            x, y = mark.quads[0][0], mark.quads[0][1] - NOTE_ICON_SIZE
        else:
            x, y = bounds.x0 + 8, bounds.y0 + 8
        x = min(max(x, bounds.x0), bounds.x1 - NOTE_ICON_SIZE)
        y = min(max(y, bounds.y0), bounds.y1 - NOTE_ICON_SIZE)
        annot = page.add_text_annot((x, y), mark.content, icon="Note")
        if mark.color is not None:
            annot.set_colors(stroke=mark.color)
        return annot
    return None


def _apply_edits(doc: Any, edits: Sequence[ExistingEdit]) -> None:
    wanted = {edit.xref: edit for edit in edits}
    if not wanted:
        return
    for number in range(doc.page_count):
        page = doc[number]  # kept alive while its annotations are changed
        doomed = []
        for annot in page.annots():
            edit = wanted.get(int(annot.xref))
            if edit is None:
                continue
            if edit.remove:
                doomed.append(int(annot.xref))
                continue
            if edit.color is not None:
                annot.set_colors(stroke=edit.color)
            if edit.content is not None:
                annot.set_info(content=edit.content)
            annot.update()
        for xref in doomed:
            page.delete_annot(page.load_annot(xref))


def _add_bookmarks(doc: Any, bookmarks: Sequence[MarkToWrite]) -> None:
    toc = doc.get_toc(simple=False)
    first = min(mark.page for mark in bookmarks)
    toc.append([1, BOOKMARKS_TITLE, first + 1])
    for mark in sorted(bookmarks, key=lambda m: m.page):
        entry: list[Any] = [2, mark.content or f"Page {mark.page + 1}", mark.page + 1]
        if mark.quads:
            entry.append({"kind": pymupdf.LINK_GOTO, "to": pymupdf.Point(0, mark.quads[0][1])})
        toc.append(entry)
    doc.set_toc(toc)
