"""Domain types shared by the store, the documents layer, the index and the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BookState(StrEnum):
    """Where a book stands in its import."""

    EXTRACTING = "extracting"  # file stored, page texts still being read
    READY = "ready"  # every page read; the index may still be catching up
    LOCKED = "locked"  # encrypted; waits for `mutolaa unlock`


@dataclass(frozen=True)
class TocEntry:
    """One line of a table of contents (1-based page, as PyMuPDF gives it)."""

    level: int
    title: str
    page: int


@dataclass(frozen=True)
class DocumentInfo:
    """What a document says about itself, read in the worker process."""

    format: str
    page_count: int
    title: str
    authors: tuple[str, ...]
    encrypted: bool
    toc: tuple[TocEntry, ...] = ()
    language: str = ""  # what the document declares (BCP 47), "" when nothing


@dataclass(frozen=True)
class PageText:
    """The text of one page, repaired and labelled with its language."""

    page: int  # 0-based
    text: str
    lang: str = ""
    needs_ocr: bool = False
    repaired: bool = False
    failed: bool = False  # MuPDF could not read this page


@dataclass(frozen=True)
class Book:
    """A book in the shared library (identity: SHA-256 of its file)."""

    id: str
    title: str
    authors: tuple[str, ...]
    languages: tuple[str, ...]
    format: str
    page_count: int
    size: int
    file_name: str
    original_name: str
    source: str
    added_at: float
    state: BookState
    encrypted: bool
    toc: tuple[TocEntry, ...] = ()
    extracted_pages: int = 0
    indexed_pages: int = 0
    ocr_pages: int = 0
    source_entry: str | None = None

    @property
    def short_id(self) -> str:
        """The first 10 hex digits, enough to be unique in practice."""
        return self.id[:10]


@dataclass
class ImportReport:
    """The outcome of one import batch: one line per file that failed."""

    added: list[Book] = field(default_factory=list)
    duplicates: list[Book] = field(default_factory=list)
    locked: list[Book] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, what is wrong)
    cancelled: bool = False
    skipped: list[str] = field(default_factory=list)  # files of a folder that are not books

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failures


@dataclass(frozen=True)
class PageLayout:
    """How a book's pages are laid out for reading.

    Attributes:
        page_count: pages in this layout (a reflowable book's count follows its font size).
        sizes: every page's (width, height) in points, unrotated.
        labels: every page's label where the PDF defines labels (``"xii"``, ``"A-3"``), else
            empty.
        reflowable: EPUB, FB2, MOBI, TXT and the like: the font size lays them out again.
        start: the page (in this layout) asked to be shown first.
    """

    page_count: int
    sizes: tuple[tuple[float, float], ...]
    labels: tuple[str, ...] = ()
    reflowable: bool = False
    start: int = 0


@dataclass(frozen=True)
class RenderedPage:
    """One drawn page: RGB888 pixels, rows ``stride`` bytes apart."""

    page: int
    width: int
    height: int
    stride: int
    samples: bytes
    page_count: int


class AnnotationKind(StrEnum):
    """What an annotation is."""

    BOOKMARK = "bookmark"  # a named place
    HIGHLIGHT = "highlight"  # marked text, in a colour, maybe with a note
    NOTE = "note"  # a note on a page, or attached to a highlight (``parent_id``)


#: Highlight colours by name (names travel in exports and sync) and the one RGB each is
#: drawn in: by the window (translucent over the page), in an annotated PDF and in CSS.
HIGHLIGHT_RGB8: dict[str, tuple[int, int, int]] = {
    "yellow": (255, 214, 0),
    "green": (60, 190, 75),
    "blue": (60, 140, 255),
    "pink": (255, 90, 170),
    "orange": (255, 140, 20),
}
HIGHLIGHT_COLORS = tuple(HIGHLIGHT_RGB8)  # in the order they are offered


@dataclass(frozen=True)
class Anchor:
    """Where an annotation stands in a book, in terms that survive a new layout.

    Attributes:
        page: the page as the library numbers it (0-based; a reflowable book's page in the
            layout it was imported with), a hint for reflowable books.
        quads: boxes (x0, y0, x1, y1) in page points of the marked text on a fixed page.
        chapter: a reflowable book's chapter (-1 for fixed pages).
        start: non-space characters in the chapter before the marked text (reflowable).
        end: non-space characters in the chapter up to the end of the marked text.
        prefix: a few words before the quote, to find it again (re-anchoring).
        suffix: a few words after it.
    """

    page: int
    quads: tuple[tuple[float, float, float, float], ...] = ()
    chapter: int = -1
    start: int = -1
    end: int = -1
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Annotation:
    """A bookmark, highlight or note of one profile in one book.

    ``id`` is made where the annotation is created (a UUID), so that the sync issue can ship
    it; ``deleted_at`` marks a tombstone (deleted, kept for sync and undo); ``detached``
    an annotation whose text could no longer be found in the book (kept, listed apart).
    """

    id: str
    profile_id: int
    book_id: str
    kind: AnnotationKind
    anchor: Anchor
    quote: str = ""
    color: str = ""
    body: str = ""  # the note's text, or a bookmark's name
    parent_id: str | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    deleted_at: float | None = None
    detached: bool = False
    origin: str = "mutolaa"  # "pdf": found inside the imported PDF

    @property
    def deleted(self) -> bool:
        """True for a tombstone."""
        return self.deleted_at is not None


@dataclass(frozen=True)
class Change:
    """One entry of the change log, in the order changes were made (``seq``).

    ``data`` is the object as it stood after the change (JSON), so a sync can ship the
    log without reading the objects again.
    """

    seq: int
    op_id: str
    object_kind: str  # "annotation" or "progress"
    object_id: str
    action: str  # "create", "update", "delete" or "restore"
    profile_id: int
    at: float
    data: str
