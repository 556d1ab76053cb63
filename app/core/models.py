"""Domain types shared by the store, the documents layer, the index and the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

DEFAULT_PROFILE_ID = 1


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
