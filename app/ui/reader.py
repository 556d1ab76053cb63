"""A book in a tab: pages drawn by the MuPDF worker process, never on the UI thread."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QPainter,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.findtext import count_in_text, query_words, word_runs
from app.core.models import Book, PageText, RenderedPage
from app.documents.worker import DocumentWorker
from app.ui.i18n import ui_text
from app.ui.tasks import TaskRunner

CACHE_PAGES = 24
THEMES = ("day", "night", "sepia")
SEPIA = QColor(244, 236, 216)
MATCH = QColor(255, 214, 0, 90)
MATCH_CURRENT = QColor(255, 120, 0, 130)
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0)
DEFAULT_ZOOM = 1.25
MODES = ("continuous", "single")
DEFAULT_FONT_SIZE = 11.0


class ReaderView(QWidget):
    """One open book: the current page, page controls and zoom.

    Rendering runs in the shared MuPDF worker process through ``runner``; the next and
    previous pages are drawn ahead, and recent pages are kept in a bounded cache. A page
    or a book MuPDF cannot draw shows a message here; the window is never affected.
    """

    page_shown = Signal(int)  # 0-based page now on screen
    failed = Signal(str)
    found = Signal(int)  # pages holding what was searched with find_text()

    def __init__(
        self,
        book: Book,
        path: Path,
        runner: TaskRunner,
        worker: DocumentWorker,
        *,
        start_page: int = 0,
        password: str | None = None,
        zoom: float = DEFAULT_ZOOM,
        theme: str = "day",
        mode: str = "continuous",
        font_size: float = DEFAULT_FONT_SIZE,
        page_texts: Callable[[], list[PageText]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self._path = path
        self._runner = runner
        self._worker = worker
        self._page = max(0, start_page)
        self._password = password  # kept in memory while the tab is open, never stored
        self._page_count = max(1, book.page_count)
        self._zoom = zoom
        self._theme = theme if theme in THEMES else "day"
        self._mode = mode if mode in MODES else "continuous"
        self._font_size = font_size
        self._page_texts = page_texts
        self._find_words: list[str] = []
        self._find_generation = 0
        self._hit_pages: list[int] = []
        self._hit_boxes: dict[int, list[tuple[float, float, float, float]]] = {}
        self._current_hit: tuple[int, int] | None = None  # (page, index of the box)
        self._rotation = 0
        self._fit = ""  # "", "width" or "page": the zoom follows the window
        self._page_points: tuple[float, float] | None = None  # size of the page shown
        self._cache: OrderedDict[tuple[int, float, int], QImage] = OrderedDict()
        self._requested: set[tuple[int, float, int]] = set()
        self._build()
        self.go_to(self._page)

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.previous_button = self._tool("◀", ui_text("Previous page"), self.previous_page)
        self.next_button = self._tool("▶", ui_text("Next page"), self.next_page)
        self.page_box = QSpinBox(self)
        self.page_box.setRange(1, self._page_count)
        self.page_box.setAccessibleName(ui_text("Page number"))
        self.page_box.editingFinished.connect(lambda: self.go_to(self.page_box.value() - 1))
        self.count_label = QLabel(ui_text("of {n}").format(n=self._page_count), self)
        self.zoom_out_button = self._tool("−", ui_text("Zoom out"), self.zoom_out)
        self.zoom_in_button = self._tool("+", ui_text("Zoom in"), self.zoom_in)
        self.zoom_label = QLabel(self)
        self.contents_button = self._tool("☰", ui_text("Table of contents"), self.toggle_contents)
        self.contents_button.setCheckable(True)
        self.theme_button = self._tool("◐", ui_text("Day, night or sepia"), self.next_theme)
        self.rotate_button = self._tool("↻", ui_text("Rotate the page"), self.rotate)
        self.fit_width_button = self._tool("↔", ui_text("Fit width"), lambda: self.fit("width"))
        self.fit_page_button = self._tool("⤢", ui_text("Fit page"), lambda: self.fit("page"))
        self.find_box = QLineEdit(self)
        self.find_box.setPlaceholderText(ui_text("Find in this book"))
        self.find_box.setAccessibleName(ui_text("Find in this book"))
        self.find_box.setClearButtonEnabled(True)
        self.find_box.returnPressed.connect(self._on_find_box_return_pressed)
        self.find_previous_button = self._tool("↑", ui_text("Previous match"), self.previous_hit)
        self.find_next_button = self._tool("↓", ui_text("Next match"), self.next_hit)
        self.find_status = QLabel(self)

        bar = QHBoxLayout()
        controls: tuple[QWidget, ...] = (
            self.contents_button,
            self.previous_button,
            self.page_box,
            self.count_label,
            self.next_button,
            self.zoom_out_button,
            self.zoom_label,
            self.zoom_in_button,
            self.theme_button,
            self.rotate_button,
            self.fit_width_button,
            self.fit_page_button,
        )
        for control in controls:
            bar.addWidget(control)
        bar.addStretch(1)
        finding: tuple[QWidget, ...] = (
            self.find_box,
            self.find_previous_button,
            self.find_next_button,
            self.find_status,
        )
        for control in finding:
            bar.addWidget(control)

        self.image = QLabel(self)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setAccessibleName(ui_text("Page"))
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidget(self.image)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area.viewport().installEventFilter(self)
        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.scroll_area)
        self.stack.addWidget(self.message)

        self.contents = QTreeWidget(self)
        self.contents.setHeaderHidden(True)
        self.contents.setAccessibleName(ui_text("Table of contents"))
        self.contents.itemActivated.connect(self._on_contents_item_activated)
        self._fill_contents()
        self.contents.setVisible(False)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(self.contents)
        body.addWidget(self.stack)
        body.setStretchFactor(1, 4)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(body)
        shortcuts = (
            (QKeySequence.StandardKey.MoveToNextPage, self.next_page),
            (QKeySequence.StandardKey.MoveToPreviousPage, self.previous_page),
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
        )
        for key, slot in shortcuts:
            QShortcut(QKeySequence(key), self, slot)
        QShortcut(QKeySequence(Qt.Key.Key_Home), self, lambda: self.go_to(0))
        QShortcut(QKeySequence(Qt.Key.Key_End), self, lambda: self.go_to(self._page_count - 1))

    def _tool(self, text: str, name: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(name)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    def _fill_contents(self) -> None:
        parents: list[QTreeWidgetItem] = []
        for entry in self.book.toc:
            item = QTreeWidgetItem([entry.title])
            item.setData(0, Qt.ItemDataRole.UserRole, entry.page - 1)
            depth = max(1, entry.level)
            del parents[depth - 1 :]
            if parents:
                parents[-1].addChild(item)
            else:
                self.contents.addTopLevelItem(item)
            parents.append(item)
        self.contents_button.setEnabled(bool(self.book.toc))

    def toggle_contents(self) -> None:
        """Show or hide the table of contents."""
        self.contents.setVisible(not self.contents.isVisible())
        self.contents_button.setChecked(self.contents.isVisible())

    def _on_contents_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        page = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(page, int) and page >= 0:
            self.go_to(page)

    def rotate(self) -> None:
        """Turn pages a quarter turn clockwise."""
        self._rotation = (self._rotation + 90) % 360
        self.go_to(self._page)

    @property
    def rotation(self) -> int:
        """How far pages are turned, in degrees clockwise."""
        return self._rotation

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+wheel zooms; the wheel past the end of a page turns it."""
        if watched is self.scroll_area.viewport() and isinstance(event, QWheelEvent):
            steps = event.angleDelta().y()
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                if steps > 0:
                    self.zoom_in()
                else:
                    self.zoom_out()
                return True
            bar = self.scroll_area.verticalScrollBar()
            if steps < 0 and bar.value() >= bar.maximum() and self._page < self._page_count - 1:
                self.next_page()
                bar.setValue(0)
                return True
            if steps > 0 and bar.value() <= bar.minimum() and self._page > 0:
                self.previous_page()
                bar.setValue(bar.maximum())
                return True
        return super().eventFilter(watched, event)

    def next_theme(self) -> None:
        """Switch between day, night (inverted) and sepia pages."""
        self.set_theme(THEMES[(THEMES.index(self._theme) + 1) % len(THEMES)])

    def set_theme(self, theme: str) -> None:
        """Show pages in ``theme``: day, night or sepia."""
        self._theme = theme if theme in THEMES else "day"
        self.go_to(self._page)

    @property
    def theme(self) -> str:
        """The page colours in use."""
        return self._theme

    # --- find in the book -------------------------------------------------------------------

    def _on_find_box_return_pressed(self) -> None:
        words = query_words(self.find_box.text())
        if words != self._find_words:
            self.find_text(self.find_box.text())
        else:
            self.next_hit()

    def find_text(self, query: str) -> None:
        """Find ``query`` in the whole book (case, script and apostrophes ignored).

        The pages holding it are found from the saved page texts in the background; the
        first one from the current page on is shown with every match marked.
        """
        self._find_words = query_words(query)
        self._find_generation += 1
        self._hit_pages, self._hit_boxes, self._current_hit = [], {}, None
        if self.find_box.text() != query:
            self.find_box.setText(query)
        if not self._find_words or self._page_texts is None:
            self.find_status.setText("")
            self.go_to(self._page)
            return
        generation, wanted, source = self._find_generation, list(self._find_words), self._page_texts
        self.find_status.setText(ui_text("Searching…"))

        def work() -> list[int]:
            return [p.page for p in source() if count_in_text(p.text, wanted)]

        self._runner.submit(work, lambda pages: self._on_hit_pages_found(generation, pages))

    def _on_hit_pages_found(self, generation: int, pages: list[int]) -> None:
        if generation != self._find_generation:
            return
        self._hit_pages = sorted(pages)
        if not pages:
            self.find_status.setText(ui_text("Not found"))
            self.found.emit(0)
            return
        self.find_status.setText(ui_text("{n} page(s)").format(n=len(pages)))
        target = next((p for p in self._hit_pages if p >= self._page), self._hit_pages[0])
        self._go_to_hit(target, 0)
        self.found.emit(len(pages))

    def _go_to_hit(self, page: int, index: int) -> None:
        self._current_hit = (page, index)
        if page in self._hit_boxes:
            self.go_to(page)
            return
        generation, path, worker, password = (
            self._find_generation,
            self._path,
            self._worker,
            self._password,
        )
        self._runner.submit(
            lambda: worker.words(path, page, password),
            lambda words: self._on_words_read(generation, page, words),
        )

    def _on_words_read(
        self, generation: int, page: int, words: list[tuple[float, float, float, float, str]]
    ) -> None:
        if generation != self._find_generation:
            return
        boxes = []
        for start, end in word_runs([w[4] for w in words], self._find_words):
            run = words[start:end]
            boxes.append(
                (
                    min(w[0] for w in run),
                    min(w[1] for w in run),
                    max(w[2] for w in run),
                    max(w[3] for w in run),
                )
            )
        self._hit_boxes[page] = boxes
        self.go_to(page)

    def next_hit(self) -> None:
        """Step to the next match, across pages, wrapping at the end."""
        self._step_hit(+1)

    def previous_hit(self) -> None:
        """Step to the previous match, across pages, wrapping at the start."""
        self._step_hit(-1)

    def _step_hit(self, direction: int) -> None:
        if not self._hit_pages or self._current_hit is None:
            return
        page, index = self._current_hit
        count = len(self._hit_boxes.get(page, []))
        if 0 <= index + direction < count:
            self._current_hit = (page, index + direction)
            self.go_to(page)
            return
        position = self._hit_pages.index(page) if page in self._hit_pages else 0
        following = self._hit_pages[(position + direction) % len(self._hit_pages)]
        last = len(self._hit_boxes.get(following, [])) - 1 if direction < 0 else 0
        self._go_to_hit(following, max(0, last))

    @property
    def current_hit(self) -> tuple[int, int] | None:
        """(page, match on that page) now marked as current."""
        return self._current_hit

    def hit_boxes(self, page: int) -> list[tuple[float, float, float, float]]:
        """The boxes (in points) of the matches on ``page`` found so far."""
        return list(self._hit_boxes.get(page, []))

    # --- navigation ------------------------------------------------------------------------

    @property
    def page(self) -> int:
        """The page on screen (0-based)."""
        return self._page

    def next_page(self) -> None:
        """Turn to the next page."""
        self.go_to(self._page + 1)

    def previous_page(self) -> None:
        """Turn to the previous page."""
        self.go_to(self._page - 1)

    def fit(self, mode: str) -> None:
        """Make pages fit the view's ``width`` or whole ``page``, and keep fitting on resize."""
        self._fit = mode if mode in ("width", "page") else ""
        self._apply_fit()

    def _apply_fit(self) -> None:
        if not self._fit or self._page_points is None:
            return
        width, height = self._page_points
        view = self.scroll_area.viewport().size()
        margin = 8
        zoom = (view.width() - margin) / max(1.0, width)
        if self._fit == "page":
            zoom = min(zoom, (view.height() - margin) / max(1.0, height))
        zoom = round(min(4.0, max(0.25, zoom)), 2)
        if abs(zoom - self._zoom) > 0.011:  # pixel rounding must not make it refit forever
            self._set_zoom(zoom, keep_fit=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Refit the page when the window changes size."""
        super().resizeEvent(event)
        self._apply_fit()

    def zoom_in(self) -> None:
        """Draw pages larger."""
        self._set_zoom(min((z for z in ZOOM_STEPS if z > self._zoom), default=self._zoom))

    def zoom_out(self) -> None:
        """Draw pages smaller."""
        self._set_zoom(max((z for z in ZOOM_STEPS if z < self._zoom), default=self._zoom))

    def _set_zoom(self, zoom: float, *, keep_fit: bool = False) -> None:
        if not keep_fit:
            self._fit = ""  # a chosen zoom ends fitting
        if zoom != self._zoom:
            self._zoom = zoom
            self.go_to(self._page)

    def go_to(self, page: int) -> None:
        """Show ``page`` (0-based, clamped to the book), drawing it if needed."""
        self._page = min(max(0, page), self._page_count - 1)
        self.page_box.setValue(self._page + 1)
        self.zoom_label.setText(f"{round(self._zoom * 100)} %")
        key = (self._page, self._zoom, self._rotation)
        if key in self._cache:
            self._show(self._cache[key])
        else:
            self._request(self._page)
        for neighbour in (self._page + 1, self._page - 1):
            if 0 <= neighbour < self._page_count:
                self._request(neighbour)

    # --- drawing ---------------------------------------------------------------------------

    def _scale(self) -> float:
        return self._zoom * self.devicePixelRatioF()  # sharp on high-DPI screens

    def _request(self, page: int) -> None:
        key = (page, self._zoom, self._rotation)
        if key in self._cache or key in self._requested:
            return
        self._requested.add(key)
        path, scale, worker, password = self._path, self._scale(), self._worker, self._password
        rotation = self._rotation
        self._runner.submit(
            lambda: worker.render(path, page, scale, password, rotation),
            lambda rendered: self._on_rendered(key, rendered),
            lambda error: self._on_render_failed(key, error),
        )

    def _on_rendered(self, key: tuple[int, float, int], rendered: RenderedPage) -> None:
        self._requested.discard(key)
        image = QImage(
            rendered.samples,
            rendered.width,
            rendered.height,
            rendered.stride,
            QImage.Format.Format_RGB888,
        ).copy()  # own the pixels: the bytes object goes away
        image.setDevicePixelRatio(self.devicePixelRatioF())
        scale = key[1] * self.devicePixelRatioF()
        self._page_points = (rendered.width / scale, rendered.height / scale)
        self._cache[key] = image
        while len(self._cache) > CACHE_PAGES:
            self._cache.popitem(last=False)
        if rendered.page_count != self._page_count:
            self._page_count = rendered.page_count
            self.page_box.setRange(1, self._page_count)
            self.count_label.setText(ui_text("of {n}").format(n=self._page_count))
        if key == (self._page, self._zoom, self._rotation):
            self._show(image)
            self._apply_fit()

    def _on_render_failed(self, key: tuple[int, float, int], error: BaseException) -> None:
        self._requested.discard(key)
        if key == (self._page, self._zoom, self._rotation):
            text = ui_text("This page cannot be shown: {reason}").format(reason=error)
            self.message.setText(text)
            self.stack.setCurrentWidget(self.message)
            self.failed.emit(str(error))

    def _show(self, image: QImage) -> None:
        shown = _themed(image, self._theme)
        boxes = self._hit_boxes.get(self._page) if self._rotation == 0 else None
        if boxes:
            shown = shown.copy() if shown is image else shown
            current = (
                self._current_hit[1]
                if self._current_hit and self._current_hit[0] == self._page
                else -1
            )
            _mark(shown, boxes, self._zoom * image.devicePixelRatio(), current)
        self.image.setPixmap(QPixmap.fromImage(shown))
        self.stack.setCurrentWidget(self.scroll_area)
        self.page_shown.emit(self._page)


def _themed(image: QImage, theme: str) -> QImage:
    """The page in the reader's colours (the cache keeps day pages)."""
    if theme == "night":
        night = image.copy()
        night.invertPixels()
        return night
    if theme == "sepia":
        sepia = image.copy()
        painter = QPainter(sepia)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        painter.fillRect(sepia.rect(), SEPIA)
        painter.end()
        return sepia
    return image


def _mark(
    image: QImage, boxes: list[tuple[float, float, float, float]], scale: float, current: int
) -> None:
    """Draw translucent marks over the matches; the current one in a stronger colour."""
    painter = QPainter(image)
    for number, (x0, y0, x1, y1) in enumerate(boxes):
        colour = MATCH_CURRENT if number == current else MATCH
        painter.fillRect(
            QRectF(x0 * scale, y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale), colour
        )
    painter.end()
