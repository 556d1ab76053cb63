"""PDF annotations as plain records, their colours and dates (no MuPDF here).

The records travel through the worker's pipe, so this module must not import PyMuPDF: the
parent process unpickles them without loading MuPDF.
"""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass

from app.core.models import HIGHLIGHT_COLORS, HIGHLIGHT_RGB8

Box = tuple[float, float, float, float]
Rgb = tuple[float, float, float]

#: The highlight colours as RGB in 0..1, for PDF and CSS (``HIGHLIGHT_RGB8`` scaled).
HIGHLIGHT_RGB: dict[str, Rgb] = {
    name: (r / 255, g / 255, b / 255) for name, (r, g, b) in HIGHLIGHT_RGB8.items()
}
DEFAULT_COLOR = "yellow"

#: PDF annotation types adopted as highlights (text markup, and ink by its bounding box).
MARKUP_TYPES = frozenset({"Highlight", "Underline", "StrikeOut", "Squiggly", "Ink"})
#: PDF annotation types adopted as notes.
NOTE_TYPES = frozenset({"Text", "FreeText"})


@dataclass(frozen=True)
class FoundAnnotation:
    """An annotation found inside a PDF, as read in the worker.

    Attributes:
        page: 0-based page.
        xref: the annotation's object number (stable: book files never change).
        type: the PDF subtype (``Highlight``, ``Text``, ``Ink``, …).
        rect: its rectangle in page points.
        quads: the boxes of the marked text (text markup), else the rectangle.
        vertices: an ink annotation's strokes (points), else empty.
        color: its stroke colour (RGB 0..1), None when it has none.
        content: the note text (``/Contents``).
        author: ``/T``, who wrote it.
        created: ``/CreationDate`` as a Unix time, None when absent or unreadable.
        modified: ``/M`` as a Unix time, None when absent or unreadable.
        quote: the words under the quads (text markup and ink).
        in_reply_to: the xref of the annotation this one answers (``/IRT``), 0 for none.
    """

    page: int
    xref: int
    type: str
    rect: Box
    quads: tuple[Box, ...] = ()
    vertices: tuple[tuple[tuple[float, float], ...], ...] = ()
    color: Rgb | None = None
    content: str = ""
    author: str = ""
    created: float | None = None
    modified: float | None = None
    quote: str = ""
    in_reply_to: int = 0


@dataclass(frozen=True)
class MarkToWrite:
    """One annotation to write into an annotated copy of a PDF.

    Attributes:
        kind: ``highlight`` (a Highlight over ``quads``), ``note`` (a Text annotation with a
            popup at the first quad or the page's corner) or ``bookmark`` (an outline entry).
        page: 0-based page.
        quads: boxes in page points.
        color: RGB 0..1 (highlights).
        content: the note text (a highlight's attached notes), or a bookmark's name.
        name: the annotation's id, written as ``/NM``.
        created: Unix time written as ``/CreationDate``.
        modified: Unix time written as ``/M``.
    """

    kind: str
    page: int
    quads: tuple[Box, ...] = ()
    color: Rgb | None = None
    content: str = ""
    name: str = ""
    created: float = 0.0
    modified: float = 0.0


@dataclass(frozen=True)
class ExistingEdit:
    """What to do in the copy with an annotation the PDF already holds (by its xref).

    ``remove`` deletes it; otherwise a colour and a content that are not None replace its own.
    """

    xref: int
    remove: bool = False
    color: Rgb | None = None
    content: str | None = None


def nearest_color(rgb: Rgb | None) -> str:
    """The highlight colour name closest to ``rgb`` (yellow when there is none)."""
    if rgb is None:
        return DEFAULT_COLOR
    return min(
        HIGHLIGHT_COLORS,
        key=lambda name: sum((a - b) ** 2 for a, b in zip(HIGHLIGHT_RGB[name], rgb, strict=True)),
    )


def color_rgb(name: str) -> Rgb:
    """The RGB of a highlight colour name (yellow for a name we do not know)."""
    return HIGHLIGHT_RGB.get(name, HIGHLIGHT_RGB[DEFAULT_COLOR])


def css_color(name: str) -> str:
    """The colour as CSS ``#rrggbb``."""
    return "#" + "".join(f"{round(c * 255):02x}" for c in color_rgb(name))


_PDF_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"(?:([Zz+-])(?:(\d{2})'?(\d{2})?'?)?)?"
)


def pdf_date(text: str) -> float | None:
    """A PDF date (``D:20240131120000+05'00'``) as a Unix time; None when unreadable."""
    match = _PDF_DATE.match(text.strip())
    if not match:
        return None
    parts = match.groups()
    year = int(parts[0])
    month, day = int(parts[1] or 1), int(parts[2] or 1)
    hour, minute, second = int(parts[3] or 0), int(parts[4] or 0), int(parts[5] or 0)
    try:
        stamp = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
        time.gmtime(stamp)  # out-of-range values raise here
    except (ValueError, OverflowError):
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60 and second < 61):
        return None
    sign, off_hours, off_minutes = parts[6], int(parts[7] or 0), int(parts[8] or 0)
    offset = (off_hours * 60 + off_minutes) * 60
    if sign == "+":
        stamp -= offset
    elif sign == "-":
        stamp += offset
    return float(stamp)


def pdf_date_text(stamp: float) -> str:
    """A Unix time as a PDF date in UTC (``D:20240131070000+00'00'``)."""
    return time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime(stamp))
