"""Drawing and laying out pages, inside the worker process: documents stay open.

A reflowable book (EPUB, FB2, MOBI, TXT) is laid out by MuPDF for a page size and a font
size; changing the font size changes its page count. The library's page texts and search
hits use the layout the book was imported with (``font_size=None``). A place in a book is
carried from one layout to another as an anchor: the chapter and the number of
non-space characters before the place within it, which no layout changes.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import pymupdf

from app.core.errors import BadDocumentError
from app.core.findtext import count_in_text
from app.core.models import PageLayout, RenderedPage
from app.documents.extract import open_document

OPEN_DOCUMENTS = 6
# MuPDF's own page size for reflowable books (the import reads them at this size)
REFLOW_WIDTH = 400.0
REFLOW_HEIGHT = 600.0
MIN_FONT_SIZE = 6.0
MAX_FONT_SIZE = 36.0

Word = tuple[float, float, float, float, str]
Key = tuple[str, str | None, float | None]


class PageRenderer:
    """Keeps the last few documents open, so turning a page does not reopen the book."""

    def __init__(self) -> None:
        self._open: OrderedDict[Key, Any] = OrderedDict()
        self._last_pixmap: Any = None
        # non-space characters of each page read so far, per open layout (for places)
        self._counts: OrderedDict[int, tuple[Any, dict[int, int]]] = OrderedDict()

    def _document(self, path: Path, password: str | None, font_size: float | None = None) -> Any:
        """The open document, laid out at ``font_size`` when it is reflowable."""
        base = self._cached((str(path), password, None), path, password)
        if font_size is None or not base.is_reflowable:
            return base
        size = min(MAX_FONT_SIZE, max(MIN_FONT_SIZE, float(font_size)))
        key = (str(path), password, size)
        doc = self._open.get(key)
        if doc is None:
            doc = self._cached(key, path, password)
            try:
                doc.layout(width=REFLOW_WIDTH, height=REFLOW_HEIGHT, fontsize=size)
            except (RuntimeError, ValueError) as exc:
                raise BadDocumentError(f"the book cannot be laid out ({exc})") from exc
        self._open.move_to_end(key)
        return doc

    def _cached(self, key: Key, path: Path, password: str | None) -> Any:
        doc = self._open.get(key)
        if doc is None:
            doc, locked = open_document(path, password)
            if locked:
                doc.close()
                raise BadDocumentError("the book is encrypted; its password is needed")
            self._open[key] = doc
            while len(self._open) > OPEN_DOCUMENTS:
                _key, oldest = self._open.popitem(last=False)
                oldest.close()
        self._open.move_to_end(key)
        return doc

    def draw(  # noqa: PLR0917 - the arguments of the worker's request, in order
        self,
        path: Path,
        page: int,
        zoom: float,
        password: str | None,
        rotation: int = 0,
        font_size: float | None = None,
    ) -> tuple[RenderedPage, memoryview]:
        """Draw one page at ``zoom`` (1.0 = 72 dpi), turned ``rotation`` degrees, as RGB.

        The pixels come as a view of MuPDF's buffer (valid until the next call), not in the
        returned page: the worker copies them once, into shared memory or the pipe.
        """
        doc = self._document(path, password, font_size)
        if not 0 <= page < doc.page_count:
            raise BadDocumentError(
                f"page {page + 1} does not exist (the book has {doc.page_count})"
            )
        try:
            matrix = pymupdf.Matrix(zoom, zoom).prerotate(rotation % 360)
            pix = doc[page].get_pixmap(matrix=matrix, alpha=False)
        except (RuntimeError, ValueError) as exc:
            raise BadDocumentError(f"page {page + 1} cannot be drawn ({exc})") from exc
        self._last_pixmap = pix  # keeps the buffer alive for the view
        drawn = RenderedPage(
            page=page,
            width=pix.width,
            height=pix.height,
            stride=pix.stride,
            samples=b"",
            page_count=doc.page_count,
        )
        return drawn, pix.samples_mv

    def words(
        self, path: Path, page: int, password: str | None, font_size: float | None = None
    ) -> list[Word]:
        """The words of a page with their boxes (in points), in reading order."""
        doc = self._document(path, password, font_size)
        if not 0 <= page < doc.page_count:
            return []
        try:
            raw = doc[page].get_text("words", sort=True)
        except (RuntimeError, ValueError) as exc:
            raise BadDocumentError(f"page {page + 1} cannot be read ({exc})") from exc
        return [(float(w[0]), float(w[1]), float(w[2]), float(w[3]), str(w[4])) for w in raw]

    def layout(
        self,
        path: Path,
        password: str | None,
        font_size: float | None = None,
        start: int = 0,
        start_font_size: float | None = None,
    ) -> PageLayout:
        """Page count, sizes and labels at ``font_size``, and where ``start`` falls in it.

        ``start`` is a page of the layout at ``start_font_size`` (None: the import's).
        """
        doc = self._document(path, password, font_size)
        count = doc.page_count
        if doc.is_reflowable:
            sizes = ((REFLOW_WIDTH, REFLOW_HEIGHT),) * count
            labels: tuple[str, ...] = ()
        else:
            sizes = tuple(_page_size(doc, number) for number in range(count))
            labels = _labels(doc)
        first = self.convert(path, password, [start], start_font_size, font_size)[0]
        return PageLayout(
            page_count=count,
            sizes=sizes,
            labels=labels,
            reflowable=bool(doc.is_reflowable),
            start=first,
        )

    def convert(
        self,
        path: Path,
        password: str | None,
        pages: list[int],
        source_font_size: float | None,
        target_font_size: float | None,
    ) -> list[int]:
        """The pages of the target layout holding the start of ``pages`` of the source one."""
        source = self._document(path, password, source_font_size)
        target = self._document(path, password, target_font_size)
        if source is target:
            return [min(max(0, p), max(0, target.page_count - 1)) for p in pages]
        return [_page_of(target, _anchor(source, page)) for page in pages]

    def find(
        self, path: Path, password: str | None, font_size: float | None, words: list[str]
    ) -> list[int]:
        """The pages of this layout on which ``words`` stand in a row (folded like search)."""
        doc = self._document(path, password, font_size)
        found = []
        for number in range(doc.page_count):
            try:
                text = doc[number].get_text()
            except (RuntimeError, ValueError):
                continue
            if count_in_text(text, words):
                found.append(number)
        return found

    # --- places in reflowable books (annotations) ------------------------------------------
    # A place is (chapter, non-space characters before it in the chapter), which no layout
    # changes; annotations of reflowable books are anchored by places.

    def page_places(
        self, path: Path, password: str | None, font_size: float | None, pages: list[int]
    ) -> list[tuple[int, int]]:
        """The place where each of ``pages`` of the layout at ``font_size`` starts."""
        doc = self._document(path, password, font_size)
        found = []
        for wanted in pages:
            page = min(max(0, wanted), max(0, doc.page_count - 1))
            chapter, within = doc.location_from_page_number(page)
            before = sum(
                self._page_characters(doc, doc.page_number_from_location((chapter, i)))
                for i in range(within)
            )
            found.append((int(chapter), before))
        return found

    def place_pages(
        self,
        path: Path,
        password: str | None,
        font_size: float | None,
        places: list[tuple[int, int]],
    ) -> list[int]:
        """The page of the layout at ``font_size`` holding the character at each place."""
        doc = self._document(path, password, font_size)
        found = []
        for wanted, offset in places:
            chapter = min(max(0, wanted), max(0, doc.chapter_count - 1))
            pages = doc.chapter_page_count(chapter)
            number, seen = 0, 0
            for i in range(pages):
                number = int(doc.page_number_from_location((chapter, i)))
                seen += self._page_characters(doc, number)
                if seen > offset:
                    break
            found.append(number)
        return found

    def chapter_text(
        self, path: Path, password: str | None, font_size: float | None, chapter: int
    ) -> str:
        """The text of a chapter, its pages one after another ("" for no such chapter)."""
        doc = self._document(path, password, font_size)
        if not 0 <= chapter < doc.chapter_count:
            return ""
        texts = []
        for i in range(doc.chapter_page_count(chapter)):
            try:
                texts.append(str(doc[doc.page_number_from_location((chapter, i))].get_text()))
            except (RuntimeError, ValueError):
                continue
        return "\n".join(texts)

    def _page_characters(self, doc: Any, number: int) -> int:
        """Non-space characters of a page, remembered while its layout stays open."""
        entry = self._counts.get(id(doc))
        if entry is None or entry[0] is not doc:
            entry = (doc, {})
            self._counts[id(doc)] = entry
            while len(self._counts) > OPEN_DOCUMENTS:
                self._counts.popitem(last=False)
        self._counts.move_to_end(id(doc))
        counts = entry[1]
        if number not in counts:
            counts[number] = _characters(doc, number)
        return counts[number]

    def close(self) -> None:
        """Close every open document."""
        for doc in self._open.values():
            doc.close()
        self._open.clear()


def _page_size(doc: Any, number: int) -> tuple[float, float]:
    try:
        box = doc.page_cropbox(number)
    except (RuntimeError, ValueError):
        return (612.0, 792.0)  # a page MuPDF cannot size is drawn as a letter page
    return (float(box.width), float(box.height))


def _labels(doc: Any) -> tuple[str, ...]:
    """Every page's label, or nothing when the PDF defines none."""
    try:
        if not doc.is_pdf or not doc.get_page_labels():
            return ()
        return tuple(str(doc[number].get_label()) for number in range(doc.page_count))
    except (RuntimeError, ValueError):
        return ()


def _characters(doc: Any, number: int) -> int:
    try:
        text = str(doc[number].get_text())
    except (RuntimeError, ValueError):
        return 0
    return sum(1 for c in text if not c.isspace())


def _anchor(doc: Any, page: int) -> tuple[int, int]:
    """(chapter, non-space characters before ``page`` in that chapter)."""
    page = min(max(0, page), max(0, doc.page_count - 1))
    chapter, within = doc.location_from_page_number(page)
    before = sum(
        _characters(doc, doc.page_number_from_location((chapter, i))) for i in range(within)
    )
    return (int(chapter), before)


def _page_of(doc: Any, anchor: tuple[int, int]) -> int:
    """The page of ``doc`` holding the character at ``anchor``."""
    chapter, offset = anchor
    chapter = min(max(0, chapter), max(0, doc.chapter_count - 1))
    pages = doc.chapter_page_count(chapter)
    seen = 0
    for i in range(pages):
        number = int(doc.page_number_from_location((chapter, i)))
        seen += _characters(doc, number)
        if seen > offset:
            return number
    return int(doc.page_number_from_location((chapter, max(0, pages - 1))))
