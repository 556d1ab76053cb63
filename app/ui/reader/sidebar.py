"""The side panel of an open book: its table of contents, its page thumbnails, and more panels.

The thumbnails are drawn by the MuPDF worker only while they are shown, and kept in a bounded
cache; another part may add a panel of its own with its toolbar button (the annotations do).
The panel is never narrower than its tabs (in any language: none hides behind scroll arrows),
and opens at `WIDTH` or wider.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTabWidget, QToolButton, QTreeWidget, QTreeWidgetItem, QWidget

from app.core.models import Book
from app.ui.common.i18n import ui_text
from app.ui.reader.context import PlaceContext
from app.ui.reader.drawing import page_image
from app.ui.reader.thumbnails import THUMB_WIDTH, ThumbnailList, ThumbnailModel

if TYPE_CHECKING:
    from app.ui.reader.layout import ReaderLayouts
    from app.ui.reader.page_view import PagesView
    from app.ui.reader.source import BookSource
    from app.ui.reader.toolbar import ReaderToolbar

THUMBNAILS = 400  # thumbnails kept drawn
WIDTH = 360  # pixels the panel opens at (the annotations' quote and note columns readable)


class SidebarContext(PlaceContext, Protocol):
    """What the side panel uses of the reader it belongs to."""

    @property
    def book(self) -> Book:
        """The book (its table of contents)."""

    @property
    def source(self) -> BookSource:
        """Where the thumbnails are drawn."""

    @property
    def view(self) -> PagesView:
        """The pages on screen (their sizes)."""

    @property
    def toolbar(self) -> ReaderToolbar:
        """The controls: the contents and thumbnails buttons are the panel's."""

    @property
    def layouts(self) -> ReaderLayouts:
        """The layout's font size (``font``); a contents entry is a library page."""

    @property
    def page_count(self) -> int:
        """Pages in the book as laid out now."""

    def devicePixelRatioF(self) -> float:
        """Device pixels to a logical pixel, where the reader is shown."""


class ReaderSidebar(QTabWidget):
    """The contents and the thumbnails of the book open in ``reader``, as tabs (hidden at first).

    Args:
        reader: the reader the panel belongs to.
        parent: the reader's widget.
    """

    def __init__(self, reader: SidebarContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._reader = reader
        self._runner, self._worker, self._path, self._password = reader.source
        self._thumbs: OrderedDict[int, QImage] = OrderedDict()
        self._thumbs_requested: set[int] = set()
        self._buttons: dict[QWidget, QToolButton] = {}  # panel -> the button showing it
        self.thumbnails_shown = False  # read by the drawing thread
        self.contents = QTreeWidget(self)
        self.contents.setHeaderHidden(True)
        self.contents.itemActivated.connect(self._on_contents_item_activated)
        self._fill_contents()
        self.thumbnail_model = ThumbnailModel(self._thumbnail_for, self)
        self.thumbnails = ThumbnailList(self.thumbnail_model, self)
        self.thumbnails.activated.connect(lambda index: reader.go_to(index.row()))
        self.thumbnails.clicked.connect(lambda index: reader.go_to(index.row()))
        self.add_panel(self.contents, reader.toolbar.contents_button)
        self.add_panel(self.thumbnails, reader.toolbar.thumbnails_button)
        self.setVisible(False)
        reader.laid_out.connect(self._on_reader_laid_out)
        self.retranslate()

    def add_panel(self, panel: QWidget, button: QToolButton) -> None:
        """Add ``panel`` as a tab, shown or hidden by ``button``."""
        self.addTab(panel, "")  # the panel names its tab (set_title)
        self._buttons[panel] = button
        button.clicked.connect(lambda: self.toggle(panel))
        self.fit_tabs()

    def fit_tabs(self) -> None:
        """Be no narrower than the tabs' titles need (after each change of their texts)."""
        frame = self.style().pixelMetric(self.style().PixelMetric.PM_DefaultFrameWidth, None, self)
        self.setMinimumWidth(self.tabBar().sizeHint().width() + 2 * frame)

    def opening_width(self) -> int:
        """The width the panel opens at: `WIDTH`, or what its tabs need when more."""
        return max(WIDTH, self.minimumWidth())

    def retranslate(self) -> None:
        """Set the texts of the panel in the interface language."""
        self.contents.setAccessibleName(ui_text("Table of contents"))
        self.thumbnails.setAccessibleName(ui_text("Page thumbnails"))
        self.set_title(self.contents, ui_text("Contents"))
        self.set_title(self.thumbnails, ui_text("Pages"))

    def set_title(self, panel: QWidget, title: str) -> None:
        """Name ``panel``'s tab ``title``; the side panel stays as wide as its tabs need."""
        self.setTabText(self.indexOf(panel), title)
        self.fit_tabs()

    def changeEvent(self, event: QEvent) -> None:
        """Take the new interface language when it is switched."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _fill_contents(self) -> None:
        parents: list[QTreeWidgetItem] = []
        for entry in self._reader.book.toc:
            item = QTreeWidgetItem([entry.title])
            item.setData(0, Qt.ItemDataRole.UserRole, entry.page - 1)
            depth = max(1, entry.level)
            del parents[depth - 1 :]
            if parents:
                parents[-1].addChild(item)
            else:
                self.contents.addTopLevelItem(item)
            parents.append(item)

    def toggle(self, panel: QWidget) -> None:
        """Show ``panel`` (contents, thumbnails or annotations), or hide it when it is shown."""
        showing = self.isVisible() and self.currentWidget() is panel
        self.setCurrentWidget(panel)
        self.setVisible(not showing)
        self.thumbnails_shown = not showing and panel is self.thumbnails
        for shown, button in self._buttons.items():
            button.setChecked(not showing and panel is shown)
        if panel is self.thumbnails and not showing:
            self.thumbnails.setCurrentIndex(self.thumbnail_model.index(self._reader.page))

    def _on_contents_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        page = item.data(0, Qt.ItemDataRole.UserRole)
        if not isinstance(page, int) or page < 0:
            return
        reader = self._reader
        if reader.reflowable and reader.layouts.font is not None:
            # contents pages are those of the import's layout
            reader.layouts.show_library_page(page)
        else:
            reader.go_to(page)

    def _on_reader_laid_out(self, page_count: int) -> None:
        """The book was laid out: thumbnails of its ``page_count`` pages, drawn anew."""
        layout = self._reader.page_layout
        if layout is None:
            return
        width, height = layout.sizes[0] if layout.sizes else (1.0, 1.4)
        self.thumbnail_model.set_pages(page_count, layout.labels, height / max(1.0, width))
        self.thumbnails.set_ratio(self.thumbnail_model.ratio)
        self._thumbs.clear()
        self._thumbs_requested.clear()

    def _thumbnail_for(self, page: int) -> QImage | None:
        image = self._thumbs.get(page)
        if image is not None:
            self._thumbs.move_to_end(page)
            return image
        if page not in self._thumbs_requested:
            self._thumbs_requested.add(page)
            reader = self._reader
            width = reader.view.page_size(page)[0]
            scale = THUMB_WIDTH / max(1.0, width) * reader.devicePixelRatioF()
            path, worker, password = self._path, self._worker, self._password
            font = reader.layouts.font

            def work() -> QImage | None:
                if not self.thumbnails_shown or font != reader.layouts.font:
                    return None
                return page_image(worker.render(path, page, scale, password, 0, font))

            self._runner.submit(
                work,
                lambda rendered: self._on_thumbnail(font, page, rendered),
                lambda _error: self._thumbs_requested.discard(page),
            )
        return None

    def _on_thumbnail(self, font: float | None, page: int, image: QImage | None) -> None:
        self._thumbs_requested.discard(page)
        if image is None or font != self._reader.layouts.font:
            return
        image.setDevicePixelRatio(self._reader.devicePixelRatioF())
        self._thumbs[page] = image
        while len(self._thumbs) > THUMBNAILS:
            self._thumbs.popitem(last=False)
        self.thumbnail_model.thumbnail_ready(page)

    def thumbnail(self, page: int) -> QImage | None:
        """The thumbnail of ``page`` drawn so far (None: not drawn yet)."""
        return self._thumbs.get(page)
