"""The rows of a catalogue feed as a list model, and the covers of its entries, fetched lazily.

A feed becomes one flat list: its navigation items, then each group (a header row followed by
the group's items and entries), then its entries; "Load more" appends the rows of the next
page. Every row gives its size without asking for its cover, so a view asks for a cover only
when it paints the row: covers are fetched for the rows on screen, a few at a time, on the
covers' own task runner, and a bounded number are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QImage, QPainter, QPixmap

from app.ui.common.i18n import ui_text
from app.ui.common.lazy_images import ImageWork, LazyImages
from app.ui.common.tasks import TaskRunner
from sync.opds.model import Entry, Feed, NavigationItem

log = logging.getLogger(__name__)

THUMB = QSize(48, 68)  # the covers in the list
CACHE_THUMBS = 300  # scaled thumbnails kept in memory (about 13 KB each)
BATCH = 6  # covers fetched in one background task: few, so that the first show soon
FRAME = QColor(150, 150, 150)
SUMMARY_CHARS = 140  # of a navigation item's summary in its row

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "navigation", "group" or "entry"
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the entry's id ("" for other rows)
HREF_ROLE = Qt.ItemDataRole.UserRole + 3  # where a navigation item or a group's "more" leads

RowKind = Literal["navigation", "group", "entry"]
#: Gives a cover's bytes (None when there is none); runs in a worker thread, may raise.
CoverFetch = Callable[[str, bool], bytes | None]
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Row:
    """One row of the list: a navigation item, a group's header or an entry."""

    kind: RowKind
    title: str
    href: str = ""
    navigation: NavigationItem | None = None
    entry: Entry | None = None


def feed_rows(feed: Feed) -> list[Row]:
    """The rows of `feed`: navigation items, each group with its items, then the entries."""
    rows = [_navigation_row(item) for item in feed.navigation]
    for group in feed.groups:
        rows.append(Row("group", group.title, href=group.href))
        rows.extend(_navigation_row(item) for item in group.navigation)
        rows.extend(_entry_row(entry) for entry in group.entries)
    rows.extend(_entry_row(entry) for entry in feed.entries)
    return rows


def _navigation_row(item: NavigationItem) -> Row:
    return Row("navigation", item.title, href=item.href, navigation=item)


def _entry_row(entry: Entry) -> Row:
    return Row("entry", entry.title, entry=entry)


def cover_url(entry: Entry) -> str:
    """The image to show in the list: the thumbnail, else the cover ("" when none)."""
    return entry.thumbnail or entry.cover


def decode_image(data: bytes | None, size: QSize, ratio: float) -> QImage | None:
    """A framed picture of at most `size` (logical pixels) from image bytes; None when unreadable.

    Runs in a worker thread: QImage, unlike QPixmap, may be used there.
    """
    image = QImage.fromData(data) if data else QImage()
    if image.isNull():
        return None
    room = QSize(max(1, round(size.width() * ratio) - 2), max(1, round(size.height() * ratio) - 2))
    scaled = image.scaled(
        room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    framed = QImage(scaled.width() + 2, scaled.height() + 2, QImage.Format.Format_RGB32)
    framed.fill(FRAME)
    painter = QPainter(framed)
    painter.drawImage(1, 1, scaled)
    painter.end()
    framed.setDevicePixelRatio(ratio)
    return framed


def fetch_images(
    fetch: CoverFetch, urls: list[str], offline: bool, size: QSize, ratio: float
) -> dict[str, QImage | None]:
    """Fetch and decode these images (in a worker thread); a failure costs one image, not all."""
    images: dict[str, QImage | None] = {}
    for url in urls:
        try:
            data = fetch(url, offline)
        except Exception as exc:  # an unreachable, missing or refused cover: shown as none
            log.info("cover %s not shown: %s", url, exc)
            data = None
        images[url] = decode_image(data, size, ratio)
    return images


class CoverCache(LazyImages):
    """Covers and thumbnails by URL, fetched from the library server (or its offline copy) and
    decoded in the background; a `LazyImages` (see there), ``BATCH`` at a time."""

    def __init__(
        self,
        fetch: CoverFetch,
        runner: TaskRunner,
        *,
        size: QSize = THUMB,
        limit: int = CACHE_THUMBS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, limit=limit, batch=BATCH, what="covers", parent=parent)
        self._fetch = fetch
        self._size = QSize(size)
        self.offline = False  # fetch from the offline copy only (the server is not asked)

    @property
    def size(self) -> QSize:
        """The largest size of the images, in logical pixels."""
        return QSize(self._size)

    def work(self, keys: list[str]) -> ImageWork:
        fetch, offline, size, ratio = self._fetch, self.offline, QSize(self._size), self.pixel_ratio
        return lambda: fetch_images(fetch, keys, offline, size, ratio)


class CatalogModel(QAbstractListModel):
    """The rows of the feed shown: navigation items, group headers and entries.

    Entries show their thumbnail (from ``covers``), title, authors and a mark when the library
    already holds the book or its download is queued (``set_holdings``).
    """

    def __init__(self, covers: CoverCache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._covers = covers
        self._rows: list[Row] = []
        self._books: dict[str, str] = {}
        self._queued: dict[str, str] = {}
        self._placeholder: QPixmap | None = None
        self._bold: QFont | None = None
        line = QFontMetrics(QGuiApplication.font()).lineSpacing()
        self._entry_size = QSize(200, max(THUMB.height(), 2 * line) + 8)
        self._navigation_size = QSize(200, 2 * line + 10)
        self._group_size = QSize(200, line + 14)
        covers.covers_loaded.connect(self._on_covers_covers_loaded)

    # --- contents --------------------------------------------------------------------------

    def set_feed(self, feed: Feed) -> None:
        """Show the rows of `feed` in place of the rows shown."""
        self.beginResetModel()
        self._rows = feed_rows(feed)
        self.endResetModel()

    def clear(self) -> None:
        """Show no rows."""
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def append_feed(self, feed: Feed) -> int:
        """Add the rows of a next page at the end; returns how many were added."""
        new = feed_rows(feed)
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        return len(new)

    def set_holdings(self, books: dict[str, str], queued: dict[str, str]) -> None:
        """Mark the entries the library holds (entry id → book id) or has queued (→ download)."""
        self._books.update(books)
        self._queued.update(queued)
        self._changed_all()

    def mark_queued(self, entry_id: str, download_id: str) -> None:
        """Mark an entry whose download has just been queued."""
        self.set_holdings({}, {entry_id: download_id})

    def book_of(self, entry_id: str) -> str | None:
        """The id of the library's book from this entry, if the library holds it."""
        return self._books.get(entry_id)

    def is_queued(self, entry_id: str) -> bool:
        """True when the entry's download is waiting in the queue."""
        return entry_id in self._queued

    def row(self, row: int) -> Row | None:
        """The row at `row` (None outside the list)."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[Row]:
        """Every row, in order."""
        return list(self._rows)

    def entry_ids(self) -> list[str]:
        """The ids of the entries shown."""
        return [e.id for e in self.entries()]

    def entries(self) -> list[Entry]:
        """The entries shown (those with an id)."""
        return [r.entry for r in self._rows if r.entry is not None and r.entry.id]

    def retranslate(self) -> None:
        """Show the marks in the current interface language."""
        self._changed_all()

    def _changed_all(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def _on_covers_covers_loaded(self) -> None:
        # only decorations changed: the sizes do not depend on them
        if self._rows:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._rows) - 1), [Qt.ItemDataRole.DecorationRole]
            )

    # --- Qt's model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """The rows of the feed (a flat list)."""
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Every row can be chosen and opened; none is edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, cover, size, font and tooltip of a row; its kind, entry id and link."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(row)
        if role == Qt.ItemDataRole.SizeHintRole:  # given without the cover: see the docstring
            if row.kind == "entry":
                return self._entry_size
            return self._navigation_size if row.kind == "navigation" else self._group_size
        if role == Qt.ItemDataRole.FontRole and row.kind == "group":
            return self._group_font()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(row).replace("\n", ", ")
        if role == KIND_ROLE:
            return row.kind
        if role == ENTRY_ID_ROLE:
            return row.entry.id if row.entry is not None else ""
        if role == HREF_ROLE:
            return row.href
        return None

    def _text(self, row: Row) -> str:
        title = row.title or ui_text("(untitled)")
        if row.kind == "group":
            return title
        if row.navigation is not None:
            summary = " ".join(row.navigation.summary.split())
            if len(summary) > SUMMARY_CHARS:
                summary = summary[: SUMMARY_CHARS - 1].rstrip() + "…"
            if row.navigation.count is not None:
                count = ui_text("{count} items").format(count=row.navigation.count)
                summary = f"{summary} ({count})" if summary else count
            return f"{title}\n{summary}" if summary else title
        assert row.entry is not None
        second = ", ".join(row.entry.authors)
        mark = ""
        if row.entry.id in self._books:
            mark = ui_text("✓ In your library")
        elif row.entry.id in self._queued:
            mark = ui_text("Queued for download")
        if mark:
            second = f"{second} · {mark}" if second else mark
        return f"{title}\n{second}" if second else title

    def _decoration(self, row: Row) -> QPixmap | None:
        if row.entry is None:
            return None
        pixmap = self._covers.pixmap(cover_url(row.entry))
        return pixmap if pixmap is not None else self._blank()

    def _tooltip(self, row: Row) -> str | None:
        if row.kind == "group":
            return ui_text("Open all of “{title}”").format(title=row.title) if row.href else None
        text = row.entry.summary if row.entry is not None else ""
        if row.navigation is not None:
            text = row.navigation.summary
        text = " ".join(text.split())
        return (text[:400] + "…" if len(text) > 400 else text) or None

    def _blank(self) -> QPixmap:
        """A neutral rectangle where a cover is not (yet) shown, made once."""
        if self._placeholder is None:
            pixmap = QPixmap(THUMB)
            pixmap.fill(QColor(225, 225, 225))
            painter = QPainter(pixmap)
            painter.setPen(FRAME)
            painter.drawRect(0, 0, THUMB.width() - 1, THUMB.height() - 1)
            painter.end()
            self._placeholder = pixmap
        return self._placeholder

    def _group_font(self) -> QFont:
        if self._bold is None:
            self._bold = QFont(QGuiApplication.font())
            self._bold.setBold(True)
        return self._bold
