"""A book in a tab: pages drawn by the MuPDF worker process, never on the UI thread."""

from __future__ import annotations

from collections import OrderedDict
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
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.findtext import count_in_text, query_words
from app.core.models import Book, PageLayout, PageText, RenderedPage
from app.core.positions import format_position, parse_position
from app.documents.formats import REFLOWABLE_FORMATS
from app.documents.worker import DocumentWorker
from app.ui.annotation_editor import AnnotationEditor
from app.ui.find_hits import Hits
from app.ui.i18n import ui_text
from app.ui.page_geometry import Box, Word
from app.ui.page_images import THEMES, Key, PageImages
from app.ui.page_view import PagesView
from app.ui.reader_annotations import ReaderAnnotations
from app.ui.reader_toolbar import ReaderToolbar
from app.ui.tasks import TaskRunner
from app.ui.thumbnails import THUMB_WIDTH, ThumbnailList, ThumbnailModel

THUMBNAILS = 400
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0)
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0
DEFAULT_ZOOM = 1.25
MODES = ("continuous", "single")
DEFAULT_FONT_SIZE = 11.0
FONT_SIZES = (6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 14.0, 16.0, 18.0, 20.0, 24.0, 28.0, 32.0, 36.0)
PREFETCH = 2  # pages drawn ahead beyond those on screen


class ReaderView(QWidget):
    """One open book: its pages, page controls, zoom, contents, thumbnails and find.

    Rendering runs in the shared MuPDF worker process through ``runner``; pages on screen
    and the next ones are drawn ahead, and recent pages are kept in a bounded cache. A page
    or a book MuPDF cannot draw shows a message here; the window is never affected.

    ``start_page`` is a page as the library numbers it (a search hit); ``start_position``
    a position saved from ``position`` (it wins when given). With ``annotations`` (the
    window's editor) the book's bookmarks, highlights and notes are shown and can be made
    (``app/ui/reader_annotations.py``).
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
        self._path = path
        self._runner = runner
        self._worker = worker
        self._password = password  # kept in memory while the tab is open, never stored
        self._reflowable = book.format in REFLOWABLE_FORMATS
        self._font: float | None = float(font_size) if self._reflowable else None
        start, start_font = max(0, start_page), None
        if start_position:
            start, start_font = parse_position(start_position)
        self._origin: tuple[int, float | None] = (start, start_font)  # carried across layouts
        self._page = start if not self._reflowable else 0
        self._page_count = max(1, book.page_count)
        self._layout: PageLayout | None = None
        self._zoom = zoom
        self._images = PageImages()
        self._images.set_theme(theme)
        self._mode = mode if mode in MODES else "continuous"
        self._page_texts = page_texts
        self._hits = Hits()
        self._find_generation = 0
        self._words: dict[int, list[Word]] = {}
        self._rotation = 0
        self._fit = ""  # "", "width" or "page": the zoom follows the window
        self._requested: set[Key] = set()
        self._visible: list[int] = []
        self._thumbs: OrderedDict[int, QImage] = OrderedDict()
        self._thumbs_requested: set[int] = set()
        self._thumbnails_shown = False  # read by the drawing thread
        self._shown_key: Key | None = None
        self.annotations: ReaderAnnotations | None = None
        self._build()
        if annotations is not None:
            self.annotations = self._annotate(annotations)
        self._retranslate()
        if self._reflowable:
            self.stack.setCurrentWidget(self.message)
            self.message.setText(ui_text("Laying the book out…"))
            self._lay_out(*self._origin)
        else:
            self.go_to(self._page)
            self._lay_out(self._page, None)

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
        self.find_box.returnPressed.connect(self._on_find_box_return_pressed)

        self.view = PagesView(self._image_for, self)
        self.view.set_zoom(self._zoom)
        self.view.set_continuous(self._mode == "continuous")
        self.view.night = self._images.theme == "night"
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

        self.contents = QTreeWidget(self)
        self.contents.setHeaderHidden(True)
        self.contents.itemActivated.connect(self._on_contents_item_activated)
        self._fill_contents()
        self.thumbnail_model = ThumbnailModel(self._thumbnail_for, self)
        self.thumbnails = ThumbnailList(self.thumbnail_model, self)
        self.thumbnails.activated.connect(lambda index: self.go_to(index.row()))
        self.thumbnails.clicked.connect(lambda index: self.go_to(index.row()))
        self.side = QTabWidget(self)
        self.side.addTab(self.contents, "")
        self.side.addTab(self.thumbnails, "")
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
        bar.annotations_button.clicked.connect(lambda: self._toggle_side(marks.panel))
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
            self._toggle_side(self.annotations.panel)

    def _retranslate(self) -> None:
        """Set the texts of the tab in the interface language (the toolbar sets its own)."""
        self.view.setAccessibleName(ui_text("Pages"))
        self.contents.setAccessibleName(ui_text("Table of contents"))
        self.thumbnails.setAccessibleName(ui_text("Page thumbnails"))
        self.side.setTabText(0, ui_text("Contents"))
        self.side.setTabText(1, ui_text("Pages"))
        if self.annotations is not None:
            self.side.setTabText(2, ui_text("Annotations"))
            self.annotations.retranslate()
        self.count_label.setText(ui_text("of {n}").format(n=self._page_count))
        if self._hits.pages:
            self.find_status.setText(ui_text("{n} page(s)").format(n=len(self._hits.pages)))

    def changeEvent(self, event: QEvent) -> None:
        """Take the new interface language when it is switched."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

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

    def toggle_contents(self) -> None:
        """Show or hide the table of contents."""
        self._toggle_side(self.contents)

    def toggle_thumbnails(self) -> None:
        """Show or hide the page thumbnails."""
        self._toggle_side(self.thumbnails)

    def _toggle_side(self, panel: QWidget) -> None:
        showing = self.side.isVisible() and self.side.currentWidget() is panel
        self.side.setCurrentWidget(panel)
        self.side.setVisible(not showing)
        self._thumbnails_shown = not showing and panel is self.thumbnails
        self.toolbar.contents_button.setChecked(not showing and panel is self.contents)
        self.toolbar.thumbnails_button.setChecked(not showing and panel is self.thumbnails)
        marks = self.annotations.panel if self.annotations is not None else None
        self.toolbar.annotations_button.setChecked(not showing and panel is marks)
        if panel is self.thumbnails and not showing:
            self.thumbnails.setCurrentIndex(self.thumbnail_model.index(self._page))

    def _on_contents_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        page = item.data(0, Qt.ItemDataRole.UserRole)
        if not isinstance(page, int) or page < 0:
            return
        if self._reflowable and self._font is not None:
            self._carry(page, None)  # contents pages are those of the import's layout
        else:
            self.go_to(page)

    # --- laying the book out ---------------------------------------------------------------

    def _lay_out(self, start: int, start_font: float | None) -> None:
        """Ask the worker for pages, sizes and labels; ``start`` is carried into them."""
        path, worker, password, font = self._path, self._worker, self._password, self._font
        self._runner.submit(
            lambda: worker.layout(path, password, font, start, start_font),
            lambda laid_out: self._on_laid_out(font, laid_out),
            self._on_layout_failed,
        )

    def _on_laid_out(self, font: float | None, layout: PageLayout) -> None:
        if font != self._font:
            return  # the font size changed again meanwhile
        self._layout = layout
        self._page_count = max(1, layout.page_count)
        if self._reflowable:  # words and match boxes were those of the previous layout
            self._words.clear()
            self._hits.forget_boxes()
        self.page_box.setRange(1, self._page_count)
        self.page_box.set_labels(layout.labels)
        self.count_label.setText(ui_text("of {n}").format(n=self._page_count))
        # a fixed-page book was shown at once; the user may have turned pages since
        page = layout.start if self._reflowable else self._page
        self._page = min(page, self._page_count - 1)
        self.view.set_pages(list(layout.sizes))
        width, height = layout.sizes[0] if layout.sizes else (1.0, 1.4)
        self.thumbnail_model.set_pages(self._page_count, layout.labels, height / max(1.0, width))
        self.thumbnails.set_ratio(self.thumbnail_model.ratio)
        self._thumbs.clear()
        self._thumbs_requested.clear()
        if self._reflowable:
            self.stack.setCurrentWidget(self.view)
        self._show_page(self._page)
        self._apply_fit()
        if self.annotations is not None:
            self.annotations.laid_out()
        self.laid_out.emit(self._page_count)
        if self._hits.words and self._reflowable:
            self.find_text(self.find_box.text())

    def _on_layout_failed(self, error: BaseException) -> None:
        if self._reflowable or (self._layout is None and not self._images):
            self._show_message(ui_text("This book cannot be shown: {reason}").format(reason=error))

    @property
    def reflowable(self) -> bool:
        """True for books laid out again when the font size changes."""
        return self._reflowable

    @property
    def font_size(self) -> float | None:
        """The font size of a reflowable book's layout (None for fixed pages)."""
        return self._font

    def set_font_size(self, size: float) -> None:
        """Lay a reflowable book out again at ``size`` points, keeping the place."""
        if not self._reflowable:
            return
        size = min(FONT_SIZES[-1], max(FONT_SIZES[0], float(size)))
        if size == self._font:
            return
        self._font = size
        self._requested.clear()
        self._lay_out(*self._origin)

    def larger_font(self) -> None:
        """Lay the book out with larger text."""
        current = self._font or DEFAULT_FONT_SIZE
        self.set_font_size(min((s for s in FONT_SIZES if s > current), default=current))

    def smaller_font(self) -> None:
        """Lay the book out with smaller text."""
        current = self._font or DEFAULT_FONT_SIZE
        self.set_font_size(max((s for s in FONT_SIZES if s < current), default=current))

    def show_library_page(self, page: int) -> None:
        """Go to ``page`` as the library numbers it (a search hit, a contents entry)."""
        self._carry(page, None)

    def _carry(self, page: int, font: float | None) -> None:
        """Go to ``page`` of the layout at ``font`` (None: the import's), in this layout."""
        if not self._reflowable or font == self._font:
            self.go_to(page)
            return
        path, worker, password, target = self._path, self._worker, self._password, self._font

        def arrived(pages: list[int]) -> None:
            if target == self._font and pages:
                self.go_to(pages[0])
                self._origin = (page, font)

        self._runner.submit(
            lambda: worker.convert(path, [page], font, target, password),
            arrived,
            self._on_layout_failed,
        )

    @property
    def position(self) -> str:
        """Where the reader is, to save and give back as ``start_position``."""
        if self._reflowable and self._font is not None:
            return format_position(self._page, self._font)
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
        self._apply_fit()
        self._show_page(self._page)

    @property
    def rotation(self) -> int:
        """How far pages are turned, in degrees clockwise."""
        return self._rotation

    def next_theme(self) -> None:
        """Switch between day, night (inverted) and sepia pages."""
        theme = self._images.theme
        self.set_theme(THEMES[(THEMES.index(theme) + 1) % len(THEMES)])

    def set_theme(self, theme: str) -> None:
        """Show pages in ``theme``: day, night or sepia."""
        self._images.set_theme(theme)
        self.view.night = self._images.theme == "night"
        self.view.refresh()

    @property
    def theme(self) -> str:
        """The page colours in use."""
        return self._images.theme

    # --- find in the book -------------------------------------------------------------------

    def focus_find(self) -> None:
        """Put the keyboard in the find box, its text selected (Ctrl+F in a book)."""
        self.find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_box.selectAll()

    def _on_find_box_return_pressed(self) -> None:
        words = query_words(self.find_box.text())
        if words != self._hits.words:
            self.find_text(self.find_box.text())
        else:
            self.next_hit()

    def find_text(self, query: str) -> None:
        """Find ``query`` in the whole book (case, script and apostrophes ignored).

        The pages holding it are found in the background (from the saved page texts, or
        in the worker for a reflowable book laid out at another size); the first one from
        the current page on is shown with every match marked.
        """
        self._hits.start(query_words(query))
        self._find_generation += 1
        self._update_marks()
        if self.find_box.text() != query:
            self.find_box.setText(query)
        wanted = list(self._hits.words)
        if not wanted or (self._page_texts is None and not self._reflowable):
            self.find_status.setText("")
            return
        if self._reflowable and self._layout is None:
            return  # searched again once the book is laid out
        generation = self._find_generation
        self.find_status.setText(ui_text("Searching…"))
        source = self._page_texts
        if (self._reflowable and self._font is not None) or source is None:
            path, worker, password, font = self._path, self._worker, self._password, self._font

            def work() -> list[int]:
                return worker.find(path, wanted, password, font)

        else:

            def work() -> list[int]:
                assert source is not None
                return [p.page for p in source() if count_in_text(p.text, wanted)]

        self._runner.submit(work, lambda pages: self._on_hit_pages_found(generation, pages))

    def _on_hit_pages_found(self, generation: int, pages: list[int]) -> None:
        if generation != self._find_generation:
            return
        target = self._hits.found(pages, self._page)
        if target is None:
            self.find_status.setText(ui_text("Not found"))
            self.found.emit(0)
            return
        self.find_status.setText(ui_text("{n} page(s)").format(n=len(self._hits.pages)))
        self._show_hit(target)
        self.found.emit(len(self._hits.pages))

    def _fetch_words(self, page: int) -> None:
        """Read the words of ``page`` (for selecting text and marking matches)."""
        if page in self._words:
            self._on_words_read(self._find_generation, self._font, page, self._words[page])
            return
        generation, path, worker, password, font = (
            self._find_generation,
            self._path,
            self._worker,
            self._password,
            self._font,
        )
        self._runner.submit(
            lambda: worker.words(path, page, password, font),
            lambda words: self._on_words_read(generation, font, page, words),
            lambda _error: None,  # a page without readable words selects nothing
        )

    def _on_words_read(
        self, generation: int, font: float | None, page: int, words: list[Word]
    ) -> None:
        if font != self._font:
            return
        self._words[page] = words
        self.view.set_words(page, words)
        if self.annotations is not None:
            self.annotations.words_read(page)
        if generation != self._find_generation or not self._hits.words:
            return
        self._hits.read(page, words)
        if self._hits.current is not None and self._hits.current[0] == page:
            self._show_hit(page)
        else:
            self._update_marks()

    def _update_marks(self) -> None:
        self.view.set_marks(self._hits.boxes, self._hits.current)

    def next_hit(self) -> None:
        """Step to the next match, across pages, wrapping at the end."""
        page = self._hits.step(+1)
        if page is not None:
            self._show_hit(page)

    def previous_hit(self) -> None:
        """Step to the previous match, across pages, wrapping at the start."""
        page = self._hits.step(-1)
        if page is not None:
            self._show_hit(page)

    def _show_hit(self, page: int) -> None:
        """Show the current match on ``page``, reading the page's words first if needed."""
        if page not in self._hits.boxes:
            self._fetch_words(page)
            return
        self._update_marks()
        box = self._hits.current_box()
        if box is not None and self._mode == "continuous" and self._rotation == 0:
            self.go_to(page, top=max(0.0, box[1] - 40))
        else:
            self.go_to(page)

    @property
    def current_hit(self) -> tuple[int, int] | None:
        """(page, match on that page) now marked as current."""
        return self._hits.current

    @property
    def hit_pages(self) -> list[int]:
        """The pages holding what was last searched with find_text()."""
        return list(self._hits.pages)

    def hit_boxes(self, page: int) -> list[Box]:
        """The boxes (in points) of the matches on ``page`` found so far."""
        return list(self._hits.boxes.get(page, []))

    # --- for the annotations --------------------------------------------------------------

    def ask_worker(
        self,
        call: Callable[[DocumentWorker, Path, str | None], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``call(worker, path, password)`` in the drawing thread, then ``done(result)``."""
        worker, path, password = self._worker, self._path, self._password
        self._runner.submit(lambda: call(worker, path, password), done, failed or _ignore)

    def words_of(self, page: int) -> list[Word] | None:
        """The words of ``page`` in the current layout, when they have been read."""
        return self._words.get(page)

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
        self._origin = (page, self._font)
        self._show_page(page, top)

    def _show_page(self, page: int, top: float | None = None) -> None:
        self._page = min(max(0, page), self._page_count - 1)
        self.page_box.setValue(self._page + 1)
        self.zoom_label.setText(f"{round(self._zoom * 100)} %")
        if self.view.page_count != self._page_count:  # before the first layout arrives
            size = self.view.page_size(0)
            self.view.set_pages([size] * self._page_count)
        self.view.show_page(self._page, top)
        if self.stack.currentWidget() is self.message and self._layout is not None:
            self.stack.setCurrentWidget(self.view)
        self._shown_key = None
        self._want([self._page])
        self._announce_if_drawn()

    def _on_view_current_changed(self, page: int) -> None:
        self._page = page
        self._origin = (page, self._font)
        self.page_box.setValue(page + 1)
        self._announce_if_drawn()

    def _on_view_turn(self, direction: int) -> None:
        self.go_to(self._page + direction)
        if direction < 0:
            bar = self.view.verticalScrollBar()
            bar.setValue(bar.maximum())

    def _announce_if_drawn(self) -> None:
        key = self._key(self._page)
        if key in self._images and key != self._shown_key:
            self._shown_key = key
            self.page_shown.emit(self._page)

    # --- zoom ------------------------------------------------------------------------------

    def fit(self, mode: str) -> None:
        """Make pages fit the view's ``width`` or whole ``page``, and keep fitting on resize."""
        self._fit = mode if mode in ("width", "page") else ""
        self._apply_fit()

    def _apply_fit(self) -> None:
        if not self._fit:
            return
        width, height = self.view.page_size(self._page)
        if self._rotation % 180:
            width, height = height, width
        view = self.view.viewport().size()
        margin = 24
        zoom = (view.width() - margin) / max(1.0, width)
        if self._fit == "page":
            zoom = min(zoom, (view.height() - margin) / max(1.0, height))
        zoom = round(min(MAX_ZOOM, max(MIN_ZOOM, zoom)), 2)
        if abs(zoom - self._zoom) > 0.011:  # pixel rounding must not make it refit forever
            self._set_zoom(zoom, keep_fit=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Refit the page when the window changes size."""
        super().resizeEvent(event)
        self._apply_fit()

    def zoom_in(self) -> None:
        """Draw pages larger."""
        self._set_zoom(min((z for z in ZOOM_STEPS if z > self._zoom + 0.001), default=self._zoom))

    def zoom_out(self) -> None:
        """Draw pages smaller."""
        self._set_zoom(max((z for z in ZOOM_STEPS if z < self._zoom - 0.001), default=self._zoom))

    def zoom_by(self, factor: float) -> None:
        """Multiply the zoom by ``factor`` (a pinch)."""
        if factor > 0:
            self._set_zoom(round(min(MAX_ZOOM, max(MIN_ZOOM, self._zoom * factor)), 3))

    @property
    def zoom(self) -> float:
        """The zoom pages are drawn at (1.0 = 72 dpi)."""
        return self._zoom

    def _set_zoom(self, zoom: float, *, keep_fit: bool = False) -> None:
        if not keep_fit:
            self._fit = ""  # a chosen zoom ends fitting
        if zoom != self._zoom:
            self._zoom = zoom
            self.zoom_label.setText(f"{round(self._zoom * 100)} %")
            self.view.set_zoom(zoom)
            self._shown_key = None
            self._want([self._page])

    # --- drawing ---------------------------------------------------------------------------

    def _key(self, page: int) -> Key:
        return (page, self._zoom, self._rotation, self._font)

    def _scale(self) -> float:
        return self._zoom * self.devicePixelRatioF()  # sharp on high-DPI screens

    def _on_view_wanted(self, pages: list[int]) -> None:
        self._visible = pages
        self._want(pages)
        self._announce_if_drawn()
        if self.annotations is not None:
            self.annotations.pages_shown(pages)
        for page in pages:  # mark the matches of a find on every page that comes into view
            if page in self._hits.pages and page not in self._hits.boxes:
                self._fetch_words(page)

    def _want(self, pages: list[int]) -> None:
        """Draw ``pages`` and the ones just after and before them."""
        if not pages:
            return
        first, last = min(pages), max(pages)
        order = list(pages) + list(range(last + 1, last + 1 + PREFETCH))
        order += list(range(first - 1, first - 1 - PREFETCH // 2, -1))
        for page in order:
            if 0 <= page < self._page_count:
                self._request(page)

    def _still_wanted(self, key: Key) -> bool:
        """Called in the drawing thread: skip pages scrolled past before their turn came."""
        if key[1:] != self._key(0)[1:]:
            return False
        near = [self._page, *self._visible]
        return min(near) - PREFETCH <= key[0] <= max(near) + PREFETCH

    def _request(self, page: int) -> None:
        key = self._key(page)
        if key in self._images or key in self._requested:
            return
        self._requested.add(key)
        path, scale, worker, password = self._path, self._scale(), self._worker, self._password
        rotation, font = self._rotation, self._font

        def work() -> QImage | None:
            if not self._still_wanted(key):
                return None
            return _image(worker.render(path, page, scale, password, rotation, font))

        self._runner.submit(
            work,
            lambda image: self._on_rendered(key, image),
            lambda error: self._on_render_failed(key, error),
        )

    def _on_rendered(self, key: Key, image: QImage | None) -> None:
        self._requested.discard(key)
        if image is None:
            return
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self._images.add(key, image)
        if self._layout is None and key[3] == self._font:
            scale = key[1] * self.devicePixelRatioF()
            size = (image.width() / scale, image.height() / scale)
            if key[2] % 180:
                size = (size[1], size[0])
            if abs(size[0] - self.view.page_size(0)[0]) > 0.5:
                self.view.set_pages([size] * self._page_count)
                self.view.show_page(self._page)
        if self.stack.currentWidget() is self.message and key == self._key(self._page):
            self.stack.setCurrentWidget(self.view)
        self.view.refresh()
        if key == self._key(self._page):
            self._apply_fit()
        self._announce_if_drawn()

    def _on_render_failed(self, key: Key, error: BaseException) -> None:
        self._requested.discard(key)
        if key == self._key(self._page):
            text = ui_text("This page cannot be shown: {reason}").format(reason=error)
            self._show_message(text)
            self.failed.emit(str(error))

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def _image_for(self, page: int) -> QImage | None:
        """The page in the reader's colours; another zoom's image while it is drawn."""
        return self._images.shown(self._key(page))

    # --- thumbnails ------------------------------------------------------------------------

    def _thumbnail_for(self, page: int) -> QImage | None:
        image = self._thumbs.get(page)
        if image is not None:
            self._thumbs.move_to_end(page)
            return image
        if page not in self._thumbs_requested:
            self._thumbs_requested.add(page)
            width = self.view.page_size(page)[0]
            scale = THUMB_WIDTH / max(1.0, width) * self.devicePixelRatioF()
            path, worker, password, font = self._path, self._worker, self._password, self._font

            def work() -> QImage | None:
                if not self._thumbnails_shown or font != self._font:
                    return None
                return _image(worker.render(path, page, scale, password, 0, font))

            self._runner.submit(
                work,
                lambda rendered: self._on_thumbnail(font, page, rendered),
                lambda _error: self._thumbs_requested.discard(page),
            )
        return None

    def _on_thumbnail(self, font: float | None, page: int, image: QImage | None) -> None:
        self._thumbs_requested.discard(page)
        if image is None or font != self._font:
            return
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self._thumbs[page] = image
        while len(self._thumbs) > THUMBNAILS:
            self._thumbs.popitem(last=False)
        self.thumbnail_model.thumbnail_ready(page)

    def drawn_image(self) -> QImage | None:
        """The current page as drawn now at the current zoom (None: still being drawn)."""
        key = self._key(self._page)
        return self._image_for(self._page) if key in self._images else None

    def thumbnail(self, page: int) -> QImage | None:
        """The thumbnail of ``page`` drawn so far (None: not drawn yet)."""
        return self._thumbs.get(page)


def _ignore(_error: BaseException) -> None:
    """A failure nobody needs to hear of (the page simply shows no marks)."""


def _image(rendered: RenderedPage) -> QImage:
    """A page's pixels as an image that owns them (made in the drawing thread: QImage, unlike
    QPixmap, may be; the bytes object goes away)."""
    return QImage(
        rendered.samples,
        rendered.width,
        rendered.height,
        rendered.stride,
        QImage.Format.Format_RGB888,
    ).copy()
