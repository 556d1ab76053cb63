"""The search results' text column: the part of a snippet around its first match that fits.

A snippet is longer than the column is wide. Cut at the right as Qt cuts (``ElideRight``), a
match in the middle of it would not be seen; the column shows instead the text around the first
marked word, with "…" where it was cut on either side.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

#: The item role holding (start, end) of the first marked word in the column's text.
MATCH_ROLE = Qt.ItemDataRole.UserRole + 2
ELLIPSIS = "…"


def cut_around(
    advances: Sequence[int], start: int, end: int, room: int, ellipsis: int
) -> tuple[int, int]:
    """The [lo, hi) of a text to show in ``room`` pixels, holding [start, end) near its middle.

    Args:
        advances: the width of each character of the text, in pixels.
        start: where the part to keep in sight starts.
        end: where it ends.
        room: the pixels there are.
        ellipsis: the width of the "…" written where the text is cut.

    Returns:
        The whole text when it fits; else as much context on either side as fits, the side
        with less so far grown first.
    """
    count = len(advances)
    if sum(advances) <= room:
        return 0, count
    lo, hi = start, end
    left = right = 0
    used = sum(advances[start:end])

    def fits(extra: int, new_lo: int, new_hi: int) -> bool:
        cuts = (new_lo > 0) + (new_hi < count)
        return used + extra + cuts * ellipsis <= room

    while True:
        can_left = lo > 0 and fits(advances[lo - 1], lo - 1, hi)
        can_right = hi < count and fits(advances[hi], lo, hi + 1)
        if can_left and (left <= right or not can_right):
            lo -= 1
            left += advances[lo]
            used += advances[lo]
        elif can_right:
            used += advances[hi]
            right += advances[hi]
            hi += 1
        else:
            return lo, hi


class SnippetDelegate(QStyledItemDelegate):
    """Draws a snippet cut to its column around its first match (``MATCH_ROLE``)."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        match = index.data(MATCH_ROLE)
        width = option.rect.width()
        if not isinstance(match, tuple) or width <= 0:
            return
        text: str = option.text
        metrics = option.fontMetrics
        widget = option.widget
        style = widget.style() if widget is not None else None
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) if style else 3
        room = width - 2 * (margin + 1)
        advances = [metrics.horizontalAdvance(character) for character in text]
        lo, hi = cut_around(advances, match[0], match[1], room, metrics.horizontalAdvance(ELLIPSIS))
        shown = (ELLIPSIS if lo > 0 else "") + text[lo:hi] + (ELLIPSIS if hi < len(text) else "")
        option.text = shown
