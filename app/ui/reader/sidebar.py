"""The side panel of an open book: its table of contents and its page thumbnails, drawn by the
MuPDF worker only while the thumbnails are shown and kept in a bounded cache (the annotations
panel, when there is one, is its third tab).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTabWidget, QTreeWidget, QTreeWidgetItem, QWidget

from app.core.models import PageLayout
from app.ui.common.i18n import ui_text
from app.ui.reader.drawing import BookSource, page_image
from app.ui.reader.thumbnails import THUMB_WIDTH, ThumbnailList, ThumbnailModel

if TYPE_CHECKING:
    from app.ui.reader.view import ReaderView

THUMBNAILS = 400  # thumbnails kept drawn


class ReaderSidebar(QTabWidget):
    """The contents and the thumbnails of the book open in ``reader``, as tabs."""

    def __init__(self, reader: ReaderView, source: BookSource) -> None:
        super().__init__(reader)
        self._reader = reader
        self._runner, self._worker, self._path, self._password = source
        self._thumbs: OrderedDict[int, QImage] = OrderedDict()
        self._thumbs_requested: set[int] = set()
        self.thumbnails_shown = False  # read by the drawing thread
        self.contents = QTreeWidget(self)
        self.contents.setHeaderHidden(True)
        self.contents.itemActivated.connect(self._on_contents_item_activated)
        self._fill_contents()
        self.thumbnail_model = ThumbnailModel(self._thumbnail_for, self)
        self.thumbnails = ThumbnailList(self.thumbnail_model, self)
        self.thumbnails.activated.connect(lambda index: reader.go_to(index.row()))
        self.thumbnails.clicked.connect(lambda index: reader.go_to(index.row()))
        self.addTab(self.contents, "")
        self.addTab(self.thumbnails, "")

    def retranslate(self) -> None:
        """Set the texts of the panel in the interface language."""
        self.contents.setAccessibleName(ui_text("Table of contents"))
        self.thumbnails.setAccessibleName(ui_text("Page thumbnails"))
        self.setTabText(0, ui_text("Contents"))
        self.setTabText(1, ui_text("Pages"))

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
        reader = self._reader
        showing = self.isVisible() and self.currentWidget() is panel
        self.setCurrentWidget(panel)
        self.setVisible(not showing)
        self.thumbnails_shown = not showing and panel is self.thumbnails
        reader.toolbar.contents_button.setChecked(not showing and panel is self.contents)
        reader.toolbar.thumbnails_button.setChecked(not showing and panel is self.thumbnails)
        marks = reader.annotations.panel if reader.annotations is not None else None
        reader.toolbar.annotations_button.setChecked(not showing and panel is marks)
        if panel is self.thumbnails and not showing:
            self.thumbnails.setCurrentIndex(self.thumbnail_model.index(reader.page))

    def _on_contents_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        page = item.data(0, Qt.ItemDataRole.UserRole)
        if not isinstance(page, int) or page < 0:
            return
        if self._reader.reflowable and self._reader.font_size is not None:
            # contents pages are those of the import's layout
            self._reader.show_library_page(page)
        else:
            self._reader.go_to(page)

    def laid_out(self, layout: PageLayout, page_count: int) -> None:
        """The book was laid out: thumbnails of its ``page_count`` pages, drawn anew."""
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
            path, worker, password, font = (
                self._path,
                self._worker,
                self._password,
                reader.font_size,
            )

            def work() -> QImage | None:
                if not self.thumbnails_shown or font != reader.font_size:
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
        if image is None or font != self._reader.font_size:
            return
        image.setDevicePixelRatio(self._reader.devicePixelRatioF())
        self._thumbs[page] = image
        while len(self._thumbs) > THUMBNAILS:
            self._thumbs.popitem(last=False)
        self.thumbnail_model.thumbnail_ready(page)

    def thumbnail(self, page: int) -> QImage | None:
        """The thumbnail of ``page`` drawn so far (None: not drawn yet)."""
        return self._thumbs.get(page)
