"""Where pages stand on screen: sizes, rotation and the column of pages (no Qt, no I/O).

Page coordinates are MuPDF's points of the unrotated page (origin top left); view
coordinates are logical pixels of the page drawn at a zoom and turned clockwise.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

Box = tuple[float, float, float, float]
Word = tuple[float, float, float, float, str]


def turned(size: tuple[float, float], rotation: int) -> tuple[float, float]:
    """A page's (width, height) once turned ``rotation`` degrees."""
    width, height = size
    return (height, width) if rotation % 180 else (width, height)


def box_on_view(box: Box, size: tuple[float, float], rotation: int, zoom: float) -> Box:
    """A box in page points, as (x0, y0, x1, y1) on the drawn page."""
    width, height = size
    x0, y0, x1, y1 = box
    turn = rotation % 360
    if turn == 90:
        x0, y0, x1, y1 = height - y1, x0, height - y0, x1
    elif turn == 180:
        x0, y0, x1, y1 = width - x1, height - y1, width - x0, height - y0
    elif turn == 270:
        x0, y0, x1, y1 = y0, width - x1, y1, width - x0
    return (x0 * zoom, y0 * zoom, x1 * zoom, y1 * zoom)


def point_on_page(
    x: float, y: float, size: tuple[float, float], rotation: int, zoom: float
) -> tuple[float, float]:
    """A point on the drawn page (logical pixels), in page points."""
    width, height = size
    x, y = x / zoom, y / zoom
    turn = rotation % 360
    if turn == 90:
        return (y, height - x)
    if turn == 180:
        return (width - x, height - y)
    if turn == 270:
        return (width - y, x)
    return (x, y)


@dataclass(frozen=True)
class Column:
    """Pages stacked top to bottom with ``gap`` pixels around each, at one zoom."""

    tops: tuple[float, ...]  # y of each page's top edge
    heights: tuple[float, ...]
    widths: tuple[float, ...]
    gap: float

    @classmethod
    def of(cls, sizes: list[tuple[float, float]], zoom: float, rotation: int, gap: float) -> Column:
        """The column of ``sizes`` (points) drawn at ``zoom``, turned ``rotation``."""
        tops, heights, widths = [], [], []
        y = gap
        for size in sizes:
            width, height = turned(size, rotation)
            tops.append(y)
            heights.append(height * zoom)
            widths.append(width * zoom)
            y += height * zoom + gap
        return cls(tuple(tops), tuple(heights), tuple(widths), gap)

    @property
    def height(self) -> float:
        """The whole column's height."""
        if not self.tops:
            return 0.0
        return self.tops[-1] + self.heights[-1] + self.gap

    @property
    def width(self) -> float:
        """The widest page plus the gaps beside it."""
        return max(self.widths, default=0.0) + 2 * self.gap

    def index_at(self, y: float) -> int:
        """The page at height ``y`` (the one above when ``y`` falls in a gap)."""
        if not self.tops:
            return 0
        return max(0, bisect_right(self.tops, y) - 1)

    def visible(self, top: float, height: float) -> range:
        """The pages that show between ``top`` and ``top + height``."""
        if not self.tops:
            return range(0)
        first = self.index_at(top)
        if self.tops[first] + self.heights[first] < top:
            first += 1
        last = self.index_at(top + height)
        return range(first, max(first, last + 1))

    def most_visible(self, top: float, height: float) -> int:
        """The page taking most of the view between ``top`` and ``top + height``."""
        best, best_seen = self.index_at(top), -1.0
        for index in self.visible(top, height):
            seen = min(top + height, self.tops[index] + self.heights[index]) - max(
                top, self.tops[index]
            )
            if seen > best_seen + 0.5:
                best, best_seen = index, seen
        return best


def word_at(words: list[Word], x: float, y: float) -> int:
    """The index of the word under (x, y) in points, or the nearest one (-1: no words)."""
    best, best_distance = -1, float("inf")
    for index, (x0, y0, x1, y1, _text) in enumerate(words):
        dx = max(x0 - x, 0.0, x - x1)
        dy = max(y0 - y, 0.0, y - y1)
        distance = dy * 4 + dx  # the same line first
        if distance < best_distance:
            best, best_distance = index, distance
            if distance == 0:
                break
    return best


def words_text(words: list[Word]) -> str:
    """Words in reading order as text: spaces between words, a new line between lines."""
    parts: list[str] = []
    previous: Word | None = None
    for word in words:
        if previous is not None:
            new_line = word[1] >= previous[1] + (previous[3] - previous[1]) * 0.6
            parts.append("\n" if new_line else " ")
        parts.append(word[4])
        previous = word
    return "".join(parts)
