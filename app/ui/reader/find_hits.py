"""The matches of a find in one book: which pages hold them, their boxes, the current one.

No Qt and no I/O: the reader feeds it the pages found and each page's words as they arrive,
and asks it where stepping forward or back leads.
"""

from __future__ import annotations

from app.core.findtext import word_runs
from app.ui.reader.page_geometry import Box, Word

LAST = -1  # "the last match on the page", resolved once the page's words are known


class Hits:
    """Pages holding the words searched for, the match boxes read so far, and the current one."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.pages: list[int] = []
        self.boxes: dict[int, list[Box]] = {}
        self.current: tuple[int, int] | None = None  # (page, index of the box on it)

    def start(self, words: list[str]) -> None:
        """Forget the last find; look for ``words`` (already split and folded) next."""
        self.words, self.pages, self.boxes, self.current = list(words), [], {}, None

    def forget_boxes(self) -> None:
        """The book was laid out again: boxes and pages must be read anew."""
        self.boxes.clear()

    def found(self, pages: list[int], here: int) -> int | None:
        """Record the pages holding the words; the first from page ``here`` on (wrapping)."""
        self.pages = sorted(pages)
        if not self.pages:
            return None
        target = next((p for p in self.pages if p >= here), self.pages[0])
        self.current = (target, 0)
        return target

    def read(self, page: int, words: list[Word]) -> list[Box]:
        """Record the boxes of the matches among a page's words (in reading order)."""
        if page not in self.boxes:
            boxes = []
            for start, end in word_runs([w[4] for w in words], self.words):
                run = words[start:end]
                boxes.append(
                    (
                        min(w[0] for w in run),
                        min(w[1] for w in run),
                        max(w[2] for w in run),
                        max(w[3] for w in run),
                    )
                )
            self.boxes[page] = boxes
        if self.current is not None and self.current[0] == page and self.current[1] == LAST:
            self.current = (page, max(0, len(self.boxes[page]) - 1))
        return self.boxes[page]

    def step(self, direction: int) -> int | None:
        """Move the current match one forward (+1) or back (-1), across pages and wrapping.

        Returns the page of the new current match (None when there is nothing to step to).
        When its boxes are not read yet, the index is 0 forward or ``LAST`` backward until
        ``read()`` gets them.
        """
        if not self.pages or self.current is None:
            return None
        page, index = self.current
        count = len(self.boxes.get(page, []))
        if 0 <= index + direction < count:
            self.current = (page, index + direction)
            return page
        position = self.pages.index(page) if page in self.pages else 0
        following = self.pages[(position + direction) % len(self.pages)]
        if direction > 0:
            self.current = (following, 0)
        elif following in self.boxes:
            self.current = (following, max(0, len(self.boxes[following]) - 1))
        else:
            self.current = (following, LAST)
        return following

    def current_box(self) -> Box | None:
        """The box of the current match, when its page has been read."""
        if self.current is None:
            return None
        page, index = self.current
        boxes = self.boxes.get(page, [])
        return boxes[index] if 0 <= index < len(boxes) else None
