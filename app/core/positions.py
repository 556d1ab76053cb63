"""A reading position as the library saves it (docs/reader.md).

``page=N`` (0-based), or ``page=N;font=F`` for a reflowable book laid out at font size F.
"""

from __future__ import annotations


def parse_position(position: str) -> tuple[int, float | None]:
    """A saved position as (page, font size or None); what cannot be read counts as page 0."""
    page, font = 0, None
    for part in position.split(";"):
        name, _, value = part.partition("=")
        try:
            if name == "page":
                page = max(0, int(value))
            elif name == "font":
                font = float(value)
        except ValueError:
            continue
    return page, font


def format_position(page: int, font: float | None = None) -> str:
    """The saved form of a position (the inverse of `parse_position`)."""
    return f"page={page};font={font:g}" if font is not None else f"page={page}"
