"""A book's annotations as Markdown: by chapter, with pages and a citation line.

The layout (see docs/annotations.md)::

    # Title
    Authors
    Citation: Authors, *Title* (PDF). Accessed via Mutolaa, 2025-03-01.

    ## Chapter › Section
    **p. 12** · Highlight (yellow)
    > the quoted text
    *Note:* the note attached to it

Everything written depends only on the arguments, so the same annotations give the same
file (the date is an argument).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence

from app.core.models import Annotation, AnnotationKind, Book, TocEntry
from app.services.annotations.exports.threads import Thread, threads

DETACHED_TITLE = "Detached annotations"
DETACHED_NOTE = (
    "Their text could not be found in the book any more; each is shown at the page where "
    "it last stood."
)
_KIND_NAMES = {
    AnnotationKind.HIGHLIGHT: "Highlight",
    AnnotationKind.NOTE: "Note",
    AnnotationKind.BOOKMARK: "Bookmark",
}
_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_ENTITY = re.compile(r"&(#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#>+\-=~]|\d+[.)])")


def escape(text: str) -> str:
    """``text`` shown literally in Markdown (no emphasis, links, headings or lists)."""
    lines = []
    for line in text.splitlines():
        plain = _ENTITY.sub(r"\\&\1", _INLINE.sub(r"\\\1", line))
        lines.append(_LINE_START.sub(_escape_start, plain))
    return "\n".join(lines)


def _escape_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():
        return f"{match.group(1)}{marker[:-1]}\\{marker[-1]}"
    return f"{match.group(1)}\\{marker}"


def citation(book: Book, accessed: datetime.date) -> str:
    """The citation line for coursework: ``Authors, *Title* (FORMAT). Accessed via …``."""
    title = f"*{escape(book.title)}*" if book.title else "*Untitled*"
    authors = "; ".join(escape(a) for a in book.authors if a.strip())
    lead = f"{authors}, {title}" if authors else title
    return f"{lead} ({book.format.upper()}). Accessed via Mutolaa, {accessed.isoformat()}."


def export_markdown(
    book: Book,
    annotations: Sequence[Annotation],
    accessed: datetime.date,
    labels: Mapping[int, str] | None = None,
) -> str:
    """The Markdown export of one book's live annotations (one profile's).

    Args:
        book: the book (its title, authors, format and table of contents).
        annotations: the live annotations, in book order (``AnnotationStore.of_book``).
        accessed: the date in the citation line.
        labels: page labels of a PDF by 0-based page (``xii``), shown instead of numbers.
    """
    labels = labels or {}
    live = [a for a in annotations if not a.deleted]
    lines = [f"# {escape(book.title) or 'Untitled'}", ""]
    if book.authors:
        lines += [", ".join(escape(a) for a in book.authors), ""]
    lines += [f"Citation: {citation(book, accessed)}", ""]
    lines += [_summary(live), ""]
    placed = threads([a for a in live if not a.detached])
    detached = threads([a for a in live if a.detached])
    groups: dict[int, list[Thread]] = {}
    for thread in placed:
        groups.setdefault(_chapter_of(book.toc, thread.head.anchor.page + 1), []).append(thread)
    for index in sorted(groups):
        heading = _chapter_heading(book, index)
        lines += [f"## {heading}", ""]
        for thread in groups[index]:
            lines += _thread_lines(thread, labels)
    if detached:
        lines += [f"## {DETACHED_TITLE}", "", DETACHED_NOTE, ""]
        for thread in detached:
            lines += _thread_lines(thread, labels)
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary(live: Sequence[Annotation]) -> str:
    if not live:
        return "No annotations yet."
    counts = {kind: sum(1 for a in live if a.kind == kind) for kind in AnnotationKind}
    parts = [
        f"{counts[AnnotationKind.HIGHLIGHT]} highlight(s)",
        f"{counts[AnnotationKind.NOTE]} note(s)",
        f"{counts[AnnotationKind.BOOKMARK]} bookmark(s)",
    ]
    return ", ".join(parts) + "."


def _chapter_of(toc: Sequence[TocEntry], page: int) -> int:
    """The index of the contents entry a 1-based page falls under (-1: before the first)."""
    best, best_page = -1, 0
    for index, entry in enumerate(toc):
        if 0 < entry.page <= page and entry.page >= best_page:
            best, best_page = index, entry.page
    return best


def _chapter_heading(book: Book, index: int) -> str:
    """The entry's title with the titles of the entries above it: ``Part › Chapter``."""
    if index < 0:
        return escape(book.title) or "Untitled"
    path = [book.toc[index]]
    for entry in reversed(book.toc[:index]):
        if entry.level < path[0].level:
            path.insert(0, entry)
    return " › ".join(escape(e.title) or "Untitled" for e in path)


def _page(annotation: Annotation, labels: Mapping[int, str]) -> str:
    page = annotation.anchor.page
    label = labels.get(page, "")
    if label and label != str(page + 1):
        return f"p. {escape(label)} ({page + 1})"
    return f"p. {page + 1}"


def _thread_lines(thread: Thread, labels: Mapping[int, str]) -> list[str]:
    head = thread.head
    title = f"**{_page(head, labels)}** · {_KIND_NAMES[head.kind]}"
    texts: list[tuple[str, str]] = []  # (label, text) under the title
    if head.kind == AnnotationKind.BOOKMARK:
        if head.body.strip():
            title += f": {escape(head.body.strip())}"
    else:
        if head.color:
            title += f" ({escape(head.color)})"
        if head.body.strip():
            texts.append(("" if head.kind == AnnotationKind.NOTE else "*Note:* ", head.body))
    texts += [("*Note:* ", note.body) for note in thread.notes if note.body.strip()]
    lines = [title, ""]
    if head.quote.strip():
        lines += ["> " + line if line else ">" for line in escape(head.quote.strip()).split("\n")]
        lines.append("")
    for label, text in texts:
        lines += [label + escape(text.strip()), ""]
    return lines
