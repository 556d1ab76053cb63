"""A book in a tab: pages drawn by the MuPDF worker process, never on the UI thread.

The tab holds the place in the book and joins its parts: the drawing of pages
(``reader_drawing``), their words (``reader_words``), the layouts and font sizes
(``reader_layout``), the zoom (``reader_zoom``), find (``reader_find``), the side panel
(``reader_sidebar``), the controls (``reader_toolbar``) and the annotations
(``reader_annotations``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.models import Book, PageLayout, PageText
from app.core.positions import format_position, parse_position
from app.documents.formats import REFLOWABLE_FORMATS
from app.documents.worker import DocumentWorker
from app.ui.annotations.editor import AnnotationEditor
from app.ui.common.i18n import ui_text
from app.ui.common.tasks import TaskRunner
from app.ui.reader.annotations import ReaderAnnotations
from app.ui.reader.drawing import BookSource, PageDrawing
from app.ui.reader.find import ReaderFind
from app.ui.reader.layout import DEFAULT_FONT_SIZE, ReaderLayouts
from app.ui.reader.page_geometry import Box, Word
from app.ui.reader.page_images import THEMES, Key
from app.ui.reader.page_view import PagesView
from app.ui.reader.sidebar import ReaderSidebar
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
    (``app/ui/reader/annotations.py``).
    """

    page_shown = Signal(int)  # 0-based page now on screen
    failed = Signal(str)
    found = Signal(int)  # pages holding what was searched with find_text()
    laid_out = Signal(int)  # the page count after the book was laid out

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
        self._source = source = BookSource(runner, worker, path, password)
        self._reflowable = book.format in REFLOWABLE_FORMATS
        start, start_font = max(0, start_page), None
        if start_position:
            start, start_font = parse_position(start_position)
        font = float(font_size) if self._reflowable else None
        self._layouts = ReaderLayouts(self, source, font=font, origin=(start, start_font))
        self._layouts.laid_out.connect(self._on_laid_out)
        self._layouts.failed.connect(self._on_layout_failed)
        self._page = start if not self._reflowable else 0
        self._page_count = max(1, book.page_count)
        self._layout: PageLayout | None = None
        self._zooming = ReaderZoom(self, zoom)
        self._zooming.changed.connect(self._on_zoom_changed)
        self._drawing = PageDrawing(self, source, theme=theme)
        self._drawing.drawn.connect(self._on_rendered)
        self._drawing.draw_failed.connect(self._on_render_failed)
        self._layouts.font_changed.connect(self._drawing.requested.clear)
        self._mode = mode if mode in MODES else "continuous"
        self._find = ReaderFind(self, source, page_texts=page_texts)
        self._find.found.connect(self.found)
        self._words = PageWords(self, source)
        self._words.read.connect(self._on_words_read)
        self._rotation = 0
        self._shown_key: Key | None = None
        self.annotations: ReaderAnnotations | None = None
        self._build()
        if annotations is not None:
            self.annotations = self._annotate(annotations)
        self._retranslate()
        if self._reflowable:
            self.stack.setCurrentWidget(self.message)
            self.message.setText(ui_text("Laying the book out…"))
            self._layouts.lay_out(*self._layouts.origin)
        else:
            self.go_to(self._page)
            self._layouts.lay_out(self._page, None)

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.toolbar = bar = ReaderToolbar(self._reflowable, self)
        actions = (
            (bar.contents_button, self.toggle_contents),
            (bar.thumbnails_button, self.toggle_thumbnails),
            (bar.previous_button, self.previous_page),
            (bar.next_button, self.next_page),
            (bar.zoom_out_button, self.zoom_out),
            (bar.zoom_in_button, self.zoom_in),
            (bar.smaller_font_button, self.smaller_font),
            (bar.larger_font_button, self.larger_font),
            (bar.mode_button, self._on_mode_button_clicked),
            (bar.theme_button, self.next_theme),
            (bar.rotate_button, self.rotate),
            (bar.fit_width_button, lambda: self.fit("width")),
            (bar.fit_page_button, lambda: self.fit("page")),
            (bar.find_previous_button, self.previous_hit),
            (bar.find_next_button, self.next_hit),
        )
        for button, slot in actions:
            button.clicked.connect(slot)
        bar.mode_button.setChecked(self._mode == "continuous")
        self.page_box, self.count_label, self.zoom_label = (
            bar.page_box,
            bar.count_label,
            bar.zoom_label,
        )
        self.find_box, self.find_status = bar.find_box, bar.find_status
        self.page_box.setRange(1, self._page_count)
        self.page_box.editingFinished.connect(lambda: self.go_to(self.page_box.value() - 1))
        self.find_box.returnPressed.connect(self._find.on_find_box_return_pressed)

        self.view = PagesView(self._drawing.image_for, self)
        self.view.set_zoom(self.zoom)
        self.view.set_continuous(self._mode == "continuous")
        self.view.night = self._drawing.images.theme == "night"
        self.view.wanted.connect(self._on_view_wanted)
        self.view.current_changed.connect(self._on_view_current_changed)
        self.view.words_wanted.connect(self._fetch_words)
        self.view.zoom_step.connect(lambda step: self.zoom_in() if step > 0 else self.zoom_out())
        self.view.zoom_by.connect(self.zoom_by)
        self.view.turn.connect(self._on_view_turn)
        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)

        self.side = ReaderSidebar(self, self._source)
        self.contents, self.thumbnails = self.side.contents, self.side.thumbnails
        self.thumbnail_model = self.side.thumbnail_model
        self.body = body = QSplitter(Qt.Orientation.Horizontal, self)
        self.side.setVisible(False)
        body.addWidget(self.side)
        body.addWidget(self.stack)
        body.setStretchFactor(1, 4)
        body.setSizes([200, 900])

        layout = QVBoxLayout(self)
        layout.addWidget(bar)
        layout.addWidget(body, 1)
        shortcuts = (
            (QKeySequence(QKeySequence.StandardKey.MoveToNextPage), self.next_page),
            (QKeySequence(QKeySequence.StandardKey.MoveToPreviousPage), self.previous_page),
            (QKeySequence(QKeySequence.StandardKey.ZoomIn), self.zoom_in),
            (QKeySequence(QKeySequence.StandardKey.ZoomOut), self.zoom_out),
            (QKeySequence(QKeySequence.StandardKey.Copy), self.copy_selection),
            (QKeySequence(Qt.Key.Key_Home), lambda: self.go_to(0)),
            (QKeySequence(Qt.Key.Key_End), lambda: self.go_to(self._page_count - 1)),
            (QKeySequence(QKeySequence.StandardKey.FindNext), self.next_hit),
            (QKeySequence(QKeySequence.StandardKey.FindPrevious), self.previous_hit),
        )
        for key, slot in shortcuts:
            # only while this tab has the focus: every open book has the same shortcuts
            QShortcut(key, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _annotate(self, editor: AnnotationEditor) -> ReaderAnnotations:
        """Show the book's annotations, the panel listing them and the buttons making them."""
        marks = ReaderAnnotations(self, editor)
        self.side.addTab(marks.panel, "")
        bar = self.toolbar
        bar.show_annotations(True)
        bar.annotations_button.clicked.connect(lambda: self.side.toggle(marks.panel))
        bar.highlight_button.setDefaultAction(marks.highlight_action)
        menu = QMenu(bar.highlight_button)
        menu.addActions(list(marks.color_actions.values()))
        bar.highlight_button.setMenu(menu)
        bar.note_button.clicked.connect(marks.add_note)
        bar.bookmark_button.clicked.connect(marks.add_bookmark)
        return marks

    def toggle_annotations(self) -> None:
        """Show or hide the list of the book's annotations."""
        if self.annotations is not None:
            self.side.toggle(self.annotations.panel)

    def _retranslate(self) -> None:
        """Set the texts of the tab in the interface language (the toolbar sets its own)."""
        self.view.setAccessibleName(ui_text("Pages"))
        self.side.retranslate()
        if self.annotations is not None:
            self.side.setTabText(2, ui_text("Annotations"))
            self.annotations.retranslate()
        self.count_label.setText(ui_text("of {n}").format(n=self._page_count))
        self._find.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Take the new interface language when it is switched."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def toggle_contents(self) -> None:
        """Show or hide the table of contents."""
        self.side.toggle(self.contents)

    def toggle_thumbnails(self) -> None:
        """Show or hide the page thumbnails."""
        self.side.toggle(self.thumbnails)

    # --- laying the book out ---------------------------------------------------------------

    def _on_laid_out(self, layout: PageLayout) -> None:
        self._layout = layout
        self._page_count = max(1, layout.page_count)
        if self._reflowable:  # words and match boxes were those of the previous layout
            self._words.forget()
            self._find.hits.forget_boxes()
        self.page_box.setRange(1, self._page_count)
        self.page_box.set_labels(layout.labels)
        self.count_label.setText(ui_text("of {n}").format(n=self._page_count))
        # a fixed-page book was shown at once; the user may have turned pages since
        page = layout.start if self._reflowable else self._page
        self._page = min(page, self._page_count - 1)
        self.view.set_pages(list(layout.sizes))
        self.side.laid_out(layout, self._page_count)
        if self._reflowable:
            self.stack.setCurrentWidget(self.view)
        self._show_page(self._page)
        self._zooming.apply_fit()
        if self.annotations is not None:
            self.annotations.laid_out()
        self.laid_out.emit(self._page_count)
        if self._find.hits.words and self._reflowable:
            self.find_text(self.find_box.text())

    def _on_layout_failed(self, error: BaseException) -> None:
        if self._reflowable or (self._layout is None and not self._drawing.images):
            self._show_message(ui_text("This book cannot be shown: {reason}").format(reason=error))

    @property
    def reflowable(self) -> bool:
        """True for books laid out again when the font size changes."""
        return self._reflowable

    @property
    def font_size(self) -> float | None:
        """The font size of a reflowable book's layout (None for fixed pages)."""
        return self._layouts.font

    def set_font_size(self, size: float) -> None:
        """Lay a reflowable book out again at ``size`` points, keeping the place."""
        self._layouts.set_font_size(size)

    def larger_font(self) -> None:
        """Lay the book out with larger text."""
        self._layouts.larger_font()

    def smaller_font(self) -> None:
        """Lay the book out with smaller text."""
        self._layouts.smaller_font()

    def show_library_page(self, page: int) -> None:
        """Go to ``page`` as the library numbers it (a search hit, a contents entry)."""
        self._layouts.carry(page, None)

    @property
    def position(self) -> str:
        """Where the reader is, to save and give back as ``start_position``."""
        if self._reflowable and self.font_size is not None:
            return format_position(self._page, self.font_size)
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
        self._zooming.apply_fit()
        self._show_page(self._page)

    @property
    def rotation(self) -> int:
        """How far pages are turned, in degrees clockwise."""
        return self._rotation

    def next_theme(self) -> None:
        """Switch between day, night (inverted) and sepia pages."""
        theme = self._drawing.images.theme
        self.set_theme(THEMES[(THEMES.index(theme) + 1) % len(THEMES)])

    def set_theme(self, theme: str) -> None:
        """Show pages in ``theme``: day, night or sepia."""
        self._drawing.images.set_theme(theme)
        self.view.night = self._drawing.images.theme == "night"
        self.view.refresh()

    @property
    def theme(self) -> str:
        """The page colours in use."""
        return self._drawing.images.theme

    # --- find in the book -------------------------------------------------------------------

    def focus_find(self) -> None:
        """Put the keyboard in the find box, its text selected (Ctrl+F in a book)."""
        self._find.focus_find()

    def find_text(self, query: str) -> None:
        """Find ``query`` in the whole book (case, script and apostrophes ignored).

        The pages holding it are found in the background (from the saved page texts, or
        in the worker for a reflowable book laid out at another size); the first one from
        the current page on is shown with every match marked.
        """
        self._find.find_text(query)

    def _fetch_words(self, page: int) -> None:
        """Read the words of ``page`` (for selecting text and marking matches)."""
        self._words.fetch(page, self._find.generation)

    def _on_words_read(self, generation: int, page: int, words: list[Word]) -> None:
        self.view.set_words(page, words)
        if self.annotations is not None:
            self.annotations.words_read(page)
        self._find.words_read(generation, page, words)

    def next_hit(self) -> None:
        """Step to the next match, across pages, wrapping at the end."""
        self._find.next_hit()

    def previous_hit(self) -> None:
        """Step to the previous match, across pages, wrapping at the start."""
        self._find.previous_hit()

    @property
    def current_hit(self) -> tuple[int, int] | None:
        """(page, match on that page) now marked as current."""
        return self._find.hits.current

    @property
    def hit_pages(self) -> list[int]:
        """The pages holding what was last searched with find_text()."""
        return list(self._find.hits.pages)

    def hit_boxes(self, page: int) -> list[Box]:
        """The boxes (in points) of the matches on ``page`` found so far."""
        return list(self._find.hits.boxes.get(page, []))

    # --- for the annotations --------------------------------------------------------------

    def ask_worker(
        self,
        call: Callable[[DocumentWorker, Path, str | None], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``call(worker, path, password)`` in the drawing thread, then ``done(result)``."""
        runner, worker, path, password = self._source
        runner.submit(lambda: call(worker, path, password), done, failed or _ignore)

    def words_of(self, page: int) -> list[Word] | None:
        """The words of ``page`` in the current layout, when they have been read."""
        return self._words.of(page)

    def request_words(self, page: int) -> None:
        """Read the words of ``page`` (``annotations.words_read`` is told when they come)."""
        self._fetch_words(page)

    @property
    def laid_out_now(self) -> bool:
        """True once the current layout (pages, sizes) is known."""
        return self._layout is not None

    # --- selecting text ---------------------------------------------------------------------

    def selected_text(self) -> str:
        """The text selected on the page ("" when none)."""
        return self.view.selected_text()

    def copy_selection(self) -> None:
        """Copy the selected text to the clipboard."""
        self.view.copy_selection()

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
        self._layouts.origin = (page, self.font_size)
        self._show_page(page, top)

    def _show_page(self, page: int, top: float | None = None) -> None:
        self._page = min(max(0, page), self._page_count - 1)
        self.page_box.setValue(self._page + 1)
        self.zoom_label.setText(f"{round(self.zoom * 100)} %")
        if self.view.page_count != self._page_count:  # before the first layout arrives
            size = self.view.page_size(0)
            self.view.set_pages([size] * self._page_count)
        self.view.show_page(self._page, top)
        if self.stack.currentWidget() is self.message and self._layout is not None:
            self.stack.setCurrentWidget(self.view)
        self._shown_key = None
        self._drawing.want([self._page])
        self._announce_if_drawn()

    def _on_view_current_changed(self, page: int) -> None:
        self._page = page
        self._layouts.origin = (page, self.font_size)
        self.page_box.setValue(page + 1)
        self._announce_if_drawn()

    def _on_view_turn(self, direction: int) -> None:
        self.go_to(self._page + direction)
        if direction < 0:
            bar = self.view.verticalScrollBar()
            bar.setValue(bar.maximum())

    def _announce_if_drawn(self) -> None:
        key = self._drawing.key(self._page)
        if key in self._drawing.images and key != self._shown_key:
            self._shown_key = key
            self.page_shown.emit(self._page)

    # --- zoom ------------------------------------------------------------------------------

    def fit(self, mode: str) -> None:
        """Make pages fit the view's ``width`` or whole ``page``, and keep fitting on resize."""
        self._zooming.fit(mode)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Refit the page when the window changes size."""
        super().resizeEvent(event)
        self._zooming.apply_fit()

    def zoom_in(self) -> None:
        """Draw pages larger."""
        self._zooming.zoom_in()

    def zoom_out(self) -> None:
        """Draw pages smaller."""
        self._zooming.zoom_out()

    def zoom_by(self, factor: float) -> None:
        """Multiply the zoom by ``factor`` (a pinch)."""
        self._zooming.zoom_by(factor)

    @property
    def zoom(self) -> float:
        """The zoom pages are drawn at (1.0 = 72 dpi)."""
        return self._zooming.zoom

    def _on_zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(f"{round(self.zoom * 100)} %")
        self.view.set_zoom(zoom)
        self._shown_key = None
        self._drawing.want([self._page])

    # --- drawing ---------------------------------------------------------------------------

    def _on_view_wanted(self, pages: list[int]) -> None:
        self._drawing.visible = pages
        self._drawing.want(pages)
        self._announce_if_drawn()
        if self.annotations is not None:
            self.annotations.pages_shown(pages)
        self._find.pages_shown(pages)

    def _on_rendered(self, key: Key, image: QImage) -> None:
        if self._layout is None and key[3] == self.font_size:
            scale = key[1] * self.devicePixelRatioF()
            size = (image.width() / scale, image.height() / scale)
            if key[2] % 180:
                size = (size[1], size[0])
            if abs(size[0] - self.view.page_size(0)[0]) > 0.5:
                self.view.set_pages([size] * self._page_count)
                self.view.show_page(self._page)
        if self.stack.currentWidget() is self.message and key == self._drawing.key(self._page):
            self.stack.setCurrentWidget(self.view)
        self.view.refresh()
        if key == self._drawing.key(self._page):
            self._zooming.apply_fit()
        self._announce_if_drawn()

    def _on_render_failed(self, key: Key, error: BaseException) -> None:
        if key == self._drawing.key(self._page):
            text = ui_text("This page cannot be shown: {reason}").format(reason=error)
            self._show_message(text)
            self.failed.emit(str(error))

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def drawn_image(self) -> QImage | None:
        """The current page as drawn now at the current zoom (None: still being drawn)."""
        key = self._drawing.key(self._page)
        return self._drawing.image_for(self._page) if key in self._drawing.images else None

    def thumbnail(self, page: int) -> QImage | None:
        """The thumbnail of ``page`` drawn so far (None: not drawn yet)."""
        return self.side.thumbnail(page)


def _ignore(_error: BaseException) -> None:
    """A failure nobody needs to hear of (the page simply shows no marks)."""
