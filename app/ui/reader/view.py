"""A book in a tab: the place in it, navigation and modes; its parts are public attributes.

The view holds the place in the book (page, page count, layout, rotation, mode, colours) and
says what happens to it in past-tense signals (``laid_out``, ``navigated``, ``rotated``…). Each
part is an attribute made with the view as its context (a ``typing.Protocol`` in the part's
module names what it may use of the view), wires the controls it owns and reacts to those
signals: the drawing of pages (``drawing``), their words (``words``), the layouts and font sizes
(``layouts``), the zoom (``zoom``), find (``finder``), the side panel (``sidebar``), the controls
(``toolbar``) and the annotations (``annotations``). See docs/reader.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from app.core.models import Book, PageLayout, PageText
from app.core.positions import format_position, parse_position
from app.documents.formats import REFLOWABLE_FORMATS
from app.documents.worker import DocumentWorker
from app.ui.annotations.editor import AnnotationEditor
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.reader.annotations import ReaderAnnotations
from app.ui.reader.drawing import PageDrawing
from app.ui.reader.find import ReaderFind
from app.ui.reader.layout import DEFAULT_FONT_SIZE, ReaderLayouts
from app.ui.reader.page_images import THEMES, Key
from app.ui.reader.page_view import PagesView
from app.ui.reader.sidebar import ReaderSidebar
from app.ui.reader.source import BookSource
from app.ui.reader.toolbar import ReaderToolbar
from app.ui.reader.words import PageWords
from app.ui.reader.zoom import DEFAULT_ZOOM, ReaderZoom

MODES = ("continuous", "single")


class ReaderView(QWidget):
    """One open book: its pages, page controls, zoom, contents, thumbnails and find.

    Rendering runs in the shared MuPDF worker process through ``runner``; pages on screen
    and the next ones are drawn ahead, and recent pages are kept in a bounded cache. A page
    or a book MuPDF cannot draw shows a message here; the window is never affected.

    ``start_page`` is a page as the library numbers it (a search hit); ``start_position``
    a position saved from ``position`` (it wins when given). With ``annotations`` (the
    window's editor) the book's bookmarks, highlights and notes are shown and can be made
    (``annotations``, ``app/ui/reader/annotations.py``).

    Signals:
        page_shown(int): the page now on screen (0-based) is drawn there.
        failed(str): the page on screen cannot be drawn.
        laid_out(int): the book was laid out (again); its page count.
        page_drawn(int): the page on screen was drawn at the current zoom (its size is known).
        navigated(int): the reader went to a page (a turn, a jump, a scroll).
        rotated(int): the pages were turned; now this many degrees clockwise.
        resized(): the reader changed size.
        theme_changed(str): the pages are shown in these colours from now on.
        language_changed(): the interface language was switched.
    """

    page_shown = Signal(int)
    failed = Signal(str)
    laid_out = Signal(int)
    page_drawn = Signal(int)
    navigated = Signal(int)
    rotated = Signal(int)
    resized = Signal()
    theme_changed = Signal(str)
    language_changed = Signal()

    def __init__(
        self,
        book: Book,
        path: Path,
        runner: TaskRunner,
        worker: DocumentWorker,
        *,
        start_page: int = 0,
        start_position: str = "",
        password: str | None = None,
        zoom: float = DEFAULT_ZOOM,
        theme: str = "day",
        mode: str = "continuous",
        font_size: float = DEFAULT_FONT_SIZE,
        page_texts: Callable[[], list[PageText]] | None = None,
        annotations: AnnotationEditor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.source = BookSource(runner, worker, path, password)
        self._reflowable = book.format in REFLOWABLE_FORMATS
        start, start_font = max(0, start_page), None
        if start_position:
            start, start_font = parse_position(start_position)
        self._page = start if not self._reflowable else 0
        self._page_count = max(1, book.page_count)
        self._layout: PageLayout | None = None
        self._mode = mode if mode in MODES else "continuous"
        self._rotation = 0
        self._theme = theme if theme in THEMES else "day"
        self._shown_key: Key | None = None
        font = float(font_size) if self._reflowable else None

        # the parts, each with this view as its context; the view follows the drawing and the
        # page view before the other parts do
        self.toolbar = ReaderToolbar(self._reflowable, self)
        self.layouts = ReaderLayouts(self, self, font=font, origin=(start, start_font))
        self.drawing = PageDrawing(self, self)
        self.view = PagesView(self.drawing.image_for, self)
        self._follow_pages()
        self.zoom = ReaderZoom(self, self, zoom)
        self.zoom.changed.connect(self._on_zoom_changed)
        self.words = PageWords(self, self)
        self.sidebar = ReaderSidebar(self, self)
        self.annotations = (
            ReaderAnnotations(self, annotations, self) if annotations is not None else None
        )
        self.finder = ReaderFind(self, self, page_texts=page_texts)

        self._build()
        self._retranslate()
        self._open()

    # --- building --------------------------------------------------------------------------

    def _follow_pages(self) -> None:
        """Hear the layouts, the drawing and the page view, for the place in the book."""
        self.layouts.laid_out.connect(self._on_layouts_laid_out)
        self.layouts.failed.connect(self._on_layouts_failed)
        self.drawing.drawn.connect(self._on_drawing_drawn)
        self.drawing.draw_failed.connect(self._on_drawing_draw_failed)
        self.view.set_continuous(self._mode == "continuous")
        self.view.set_theme(self._theme)
        self.view.wanted.connect(self._on_view_wanted)
        self.view.current_changed.connect(self._on_view_current_changed)
        self.view.turn.connect(self._on_view_turn)

    def _build(self) -> None:
        """Lay the tab out, and join the controls of the place in the book to what they do."""
        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)
        self.body = body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(self.sidebar)
        body.addWidget(self.stack)
        body.setStretchFactor(1, 4)
        body.setSizes([self.sidebar.opening_width(), 900])
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(body, 1)

        bar = self.toolbar
        for button, slot in (
            (bar.previous_button, self.previous_page),
            (bar.next_button, self.next_page),
            (bar.mode_button, self._on_mode_button_clicked),
            (bar.theme_button, self.next_theme),
            (bar.rotate_button, self.rotate),
        ):
            button.clicked.connect(slot)
        bar.mode_button.setChecked(self._mode == "continuous")
        bar.page_box.setRange(1, self._page_count)
        bar.page_box.editingFinished.connect(lambda: self.go_to(bar.page_box.value() - 1))
        keys: tuple[tuple[QKeySequence, Callable[[], object]], ...] = (
            (QKeySequence(QKeySequence.StandardKey.MoveToNextPage), self.next_page),
            (QKeySequence(QKeySequence.StandardKey.MoveToPreviousPage), self.previous_page),
            (QKeySequence(QKeySequence.StandardKey.Copy), self.view.copy_selection),
            (QKeySequence(Qt.Key.Key_Home), lambda: self.go_to(0)),
            (QKeySequence(Qt.Key.Key_End), lambda: self.go_to(self._page_count - 1)),
        )
        for key, action in keys:
            self.add_shortcut(key, action)

    def add_shortcut(self, key: QKeySequence, slot: Callable[[], object]) -> None:
        """Call ``slot`` on ``key`` while this tab has the focus.

        Every open book has the same keys; only the tab with the focus answers them.
        """
        QShortcut(key, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _open(self) -> None:
        """Show the first page (a fixed-page book at once), and ask for the layout."""
        if self._reflowable:
            self.stack.setCurrentWidget(self.message)
            self.message.setText(ui_text("Laying the book out…"))
            self.layouts.lay_out(*self.layouts.origin)
        else:
            self.go_to(self._page)
            self.layouts.lay_out(self._page, None)

    def _retranslate(self) -> None:
        """Set the tab's own texts in the interface language (each part sets its own)."""
        self.view.setAccessibleName(ui_text("Pages"))
        self.toolbar.count_label.setText(ui_text("of {n}").format(n=self._page_count))

    def changeEvent(self, event: QEvent) -> None:
        """Take the new interface language when it is switched, and tell the parts."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.language_changed.emit()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Say that the tab changed size (a fitting zoom fits again)."""
        super().resizeEvent(event)
        self.resized.emit()

    # --- laying the book out ---------------------------------------------------------------

    def _on_layouts_laid_out(self, layout: PageLayout) -> None:
        self._layout = layout
        self._page_count = max(1, layout.page_count)
        bar = self.toolbar
        bar.page_box.setRange(1, self._page_count)
        bar.page_box.set_labels(layout.labels)
        bar.count_label.setText(ui_text("of {n}").format(n=self._page_count))
        # a fixed-page book was shown at once; the user may have turned pages since
        page = layout.start if self._reflowable else self._page
        self._page = min(page, self._page_count - 1)
        self.view.set_pages(list(layout.sizes))
        if self._reflowable:
            self.stack.setCurrentWidget(self.view)
        self._show_page(self._page)
        self.laid_out.emit(self._page_count)

    def _on_layouts_failed(self, error: BaseException) -> None:
        if self._reflowable or (self._layout is None and not self.drawing.images):
            self._show_message(ui_text("This book cannot be shown: {reason}").format(reason=error))

    @property
    def reflowable(self) -> bool:
        """True for books laid out again when the font size changes."""
        return self._reflowable

    @property
    def page_layout(self) -> PageLayout | None:
        """The current layout: pages, their sizes and labels (None until it is known)."""
        return self._layout

    @property
    def position(self) -> str:
        """Where the reader is, to save and give back as ``start_position``."""
        font = self.layouts.font
        if self._reflowable and font is not None:
            return format_position(self._page, font)
        return format_position(self._page)

    @property
    def page_count(self) -> int:
        """Pages in the book as laid out now."""
        return self._page_count

    # --- modes, colours, rotation ----------------------------------------------------------

    def _on_mode_button_clicked(self) -> None:
        self.set_mode("continuous" if self.toolbar.mode_button.isChecked() else "single")

    def set_mode(self, mode: str) -> None:
        """Show pages in one ``continuous`` column, or a ``single`` page at a time."""
        self._mode = mode if mode in MODES else "continuous"
        self.toolbar.mode_button.setChecked(self._mode == "continuous")
        self.view.set_continuous(self._mode == "continuous")
        self.view.show_page(self._page)

    @property
    def mode(self) -> str:
        """``continuous`` or ``single``."""
        return self._mode

    def rotate(self) -> None:
        """Turn pages a quarter turn clockwise."""
        self._rotation = (self._rotation + 90) % 360
        self.view.set_rotation(self._rotation)
        self.rotated.emit(self._rotation)
        self._show_page(self._page)

    @property
    def rotation(self) -> int:
        """How far pages are turned, in degrees clockwise."""
        return self._rotation

    def next_theme(self) -> None:
        """Switch between day, night (inverted) and sepia pages."""
        self.set_theme(THEMES[(THEMES.index(self._theme) + 1) % len(THEMES)])

    def set_theme(self, theme: str) -> None:
        """Show pages in ``theme``: day, night or sepia."""
        theme = theme if theme in THEMES else "day"
        if theme != self._theme:
            self._theme = theme
            self.theme_changed.emit(theme)
        self.view.set_theme(theme)  # repaints

    @property
    def theme(self) -> str:
        """The page colours in use."""
        return self._theme

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

    def go_to(self, page: int, top: float | None = None) -> None:
        """Show ``page`` (0-based, clamped to the book); ``top``: a height on it in points."""
        page = min(max(0, page), self._page_count - 1)
        self.navigated.emit(page)
        self._show_page(page, top)

    def _show_page(self, page: int, top: float | None = None) -> None:
        self._page = min(max(0, page), self._page_count - 1)
        self.toolbar.page_box.setValue(self._page + 1)
        if self.view.page_count != self._page_count:  # before the first layout arrives
            size = self.view.page_size(0)
            self.view.set_pages([size] * self._page_count)
        self.view.show_page(self._page, top)
        if self.stack.currentWidget() is self.message and self._layout is not None:
            self.stack.setCurrentWidget(self.view)
        self._shown_key = None
        self.drawing.want([self._page])
        self._announce_if_drawn()

    def _on_view_current_changed(self, page: int) -> None:
        self._page = page
        self.navigated.emit(page)
        self.toolbar.page_box.setValue(page + 1)
        self._announce_if_drawn()

    def _on_view_turn(self, direction: int) -> None:
        self.go_to(self._page + direction)
        if direction < 0:
            bar = self.view.verticalScrollBar()
            bar.setValue(bar.maximum())

    def _announce_if_drawn(self) -> None:
        key = self.drawing.key(self._page)
        if key in self.drawing.images and key != self._shown_key:
            self._shown_key = key
            self.page_shown.emit(self._page)

    def _on_zoom_changed(self, _zoom: float) -> None:
        self._shown_key = None
        self.drawing.want([self._page])

    # --- drawing ---------------------------------------------------------------------------

    def _on_view_wanted(self, pages: list[int]) -> None:
        self.drawing.visible = pages
        self.drawing.want(pages)
        self._announce_if_drawn()

    def _on_drawing_drawn(self, key: Key, image: QImage) -> None:
        if self._layout is None and key[3] == self.layouts.font:
            scale = key[1] * self.devicePixelRatioF()
            size = (image.width() / scale, image.height() / scale)
            if key[2] % 180:
                size = (size[1], size[0])
            if abs(size[0] - self.view.page_size(0)[0]) > 0.5:
                self.view.set_pages([size] * self._page_count)
                self.view.show_page(self._page)
        current = self.drawing.key(self._page)
        if self.stack.currentWidget() is self.message and key == current:
            self.stack.setCurrentWidget(self.view)
        self.view.refresh()
        if key == current:
            self.page_drawn.emit(self._page)
        self._announce_if_drawn()

    def _on_drawing_draw_failed(self, key: Key, error: BaseException) -> None:
        if key == self.drawing.key(self._page):
            text = ui_text("This page cannot be shown: {reason}").format(reason=error)
            self._show_message(text)
            self.failed.emit(str(error))

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def drawn_image(self) -> QImage | None:
        """The current page as drawn now at the current zoom (None: still being drawn)."""
        key = self.drawing.key(self._page)
        return self.drawing.image_for(self._page) if key in self.drawing.images else None
