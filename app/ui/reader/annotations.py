"""The annotations of an open book: made from the selection, drawn, listed, found again.

They are made from the selection, drawn on the pages, listed in a panel of the side panel, and
found again when a reflowable book's text moved.

A fixed-page book's annotation is drawn where its boxes say. A reflowable book's annotation
is a span of characters of a chapter (``app/ui/reader/anchoring.py``): the worker tells where each
page on screen starts in its chapter, and the page's words show which of them the span
covers, at any font size. When the book is opened, every quote is checked against the text
at its place; one that moved is found again by its quote (and the words around it), and
one that cannot be found is marked detached and listed apart, never deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget
from shiboken6 import isValid

from app.core.models import HIGHLIGHT_COLORS, Anchor, Annotation, AnnotationKind, Book
from app.core.quotes import locate
from app.documents.worker import DocumentWorker
from app.ui.annotations.editor import AnnotationEditor
from app.ui.annotations.model import BOOKMARK_COLOR, NOTE_COLOR, color_of, color_title
from app.ui.annotations.panel import AnnotationsPanel, swatch
from app.ui.common.i18n import ui_text
from app.ui.reader.anchoring import (
    context,
    line_boxes,
    quote_matches,
    quote_of,
    span_of,
    words_in,
)
from app.ui.reader.context import PlaceContext
from app.ui.reader.page_geometry import Box, Word
from app.ui.reader.page_view import Mark

if TYPE_CHECKING:
    from app.ui.reader.layout import ReaderLayouts
    from app.ui.reader.page_view import PagesView
    from app.ui.reader.sidebar import ReaderSidebar
    from app.ui.reader.source import BookSource
    from app.ui.reader.toolbar import ReaderToolbar
    from app.ui.reader.words import PageWords

log = logging.getLogger(__name__)
HIGHLIGHT_ALPHA = 95
Place = tuple[int, int]  # (chapter, non-space characters before)
#: (annotation, its new anchor or None: detached) for every quote that moved
Fixes = list[tuple[Annotation, Anchor | None]]


class AnnotationsContext(PlaceContext, Protocol):
    """What the annotations use of the reader they belong to."""

    @property
    def book(self) -> Book:
        """The book annotated."""

    @property
    def source(self) -> BookSource:
        """Where places, pages and a PDF's own annotations are read."""

    @property
    def view(self) -> PagesView:
        """The pages on screen: the selection, the marks drawn, the context menu."""

    @property
    def toolbar(self) -> ReaderToolbar:
        """The controls: the annotation buttons are the annotations'; the page labels."""

    @property
    def sidebar(self) -> ReaderSidebar:
        """The side panel: the list of the book's annotations is one of its panels."""

    @property
    def words(self) -> PageWords:
        """The words of the pages, which highlights cover."""

    @property
    def layouts(self) -> ReaderLayouts:
        """The layout's font size (``font``); an annotation's page is a library page."""


class ReaderAnnotations(QObject):
    """Bookmarks, highlights and notes of the book open in ``reader``.

    Args:
        reader: the reader the annotations belong to.
        editor: the window's annotation editor (saves them, one undo stack).
        parent: the reader's widget (its keys, menus and dialogs).

    Signals:
        loaded(): the book's annotations were read (again) and are shown.
        checked(int): the quotes were checked once the book opened; how many moved or
            were detached.
    """

    loaded = Signal()
    checked = Signal(int)

    def __init__(
        self, reader: AnnotationsContext, editor: AnnotationEditor, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._reader = reader
        self._tab = parent
        self._editor = editor
        self._book_id = reader.book.id
        self.items: list[Annotation] = []
        self.color = HIGHLIGHT_COLORS[0]
        self._places: dict[int, Place] = {}  # page of the current layout -> its place
        self._asked: set[int] = set()
        self._pages: dict[str, int] = {}  # annotation -> its page in the current layout
        self._generation = 0  # of the list of annotations and the layout: older answers wait not
        self._visible: list[int] = []
        self._pending: Annotation | None = None  # to show once the pages are known
        self._pending_id = ""  # to show once the annotations are read
        self._checked = False
        self._areas: dict[int, list[tuple[Annotation, list[Box]]]] = {}  # what is where
        # asks for a note's text (title, initial text); replaced in tests
        self.ask_text: Callable[[str, str], str | None] = self._ask_text

        self.panel = AnnotationsPanel(editor, parent=parent)
        self.panel.model.page_text = self._page_text
        self.panel.chosen.connect(self.show)
        self.highlight_action = self._action(self.highlight, "Ctrl+H")
        self.note_action = self._action(self.add_note, "Ctrl+Shift+N")
        self.bookmark_action = self._action(self.add_bookmark, "Ctrl+D")
        self.color_actions = {
            name: self._action(lambda _on=False, n=name: self.highlight(n))
            for name in HIGHLIGHT_COLORS
        }
        for name, action in self.color_actions.items():
            action.setIcon(swatch(name))
        self.highlight_action.setIcon(swatch(self.color))
        self._add_controls()
        self.retranslate()
        reader.view.context_menu_wanted.connect(self._on_view_context_menu_wanted)
        reader.view.wanted.connect(self._on_view_wanted)
        reader.words.read.connect(self._on_words_read)
        reader.laid_out.connect(self._on_reader_laid_out)
        reader.language_changed.connect(self.retranslate)
        editor.changed.connect(self._on_editor_changed)
        self.load()
        if reader.book.format == "pdf":
            self._adopt()

    def _action(self, slot: Callable[..., object], key: str = "") -> QAction:
        action = QAction(self._tab)
        action.triggered.connect(lambda _on=False: slot())
        if key:
            action.setShortcut(QKeySequence(key))
            # only while this tab has the focus: every open book has the same keys
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self._tab.addAction(action)
        return action

    def _add_controls(self) -> None:
        """The list in the side panel, and the buttons that make annotations and list them."""
        bar = self._reader.toolbar
        self._reader.sidebar.add_panel(self.panel, bar.annotations_button)
        bar.show_annotations(True)
        bar.highlight_button.setDefaultAction(self.highlight_action)
        menu = QMenu(bar.highlight_button)
        menu.addActions(list(self.color_actions.values()))
        bar.highlight_button.setMenu(menu)
        bar.note_button.clicked.connect(self.add_note)
        bar.bookmark_button.clicked.connect(self.add_bookmark)

    def retranslate(self) -> None:
        """Set the texts of the actions and of the panel in the interface language."""
        self._reader.sidebar.set_title(self.panel, ui_text("Annotations"))
        self.highlight_action.setText(ui_text("&Highlight"))
        self.note_action.setText(ui_text("Add &note…"))
        self.bookmark_action.setText(ui_text("Add &bookmark"))
        for name, action in self.color_actions.items():
            action.setText(color_title(name))
        self.panel.retranslate()

    # --- reading them ----------------------------------------------------------------------

    def load(self) -> None:
        """Read the book's annotations from the store (in the background)."""
        self._editor.load_book(self._book_id, self._on_loaded)

    def _adopt(self) -> None:
        """Take in the PDF's own annotations (once per profile), then show them."""
        book, editor = self._reader.book, self._editor

        def adopted(added: int) -> None:
            if added:
                editor.announce(book.id)

        self._reader.source.ask(
            lambda worker, _path, password: editor.adopt_pdf(book, worker, password),
            adopted,
            lambda error: log.info("%s: its own annotations were not read (%s)", book.id, error),
        )

    def _on_editor_changed(self, books: frozenset[str]) -> None:
        if self._book_id in books:
            self.load()

    def _gone(self) -> bool:
        """True when the tab was closed while the background work ran."""
        return not isValid(self) or not isValid(self._tab)

    def _on_loaded(self, items: list[Annotation]) -> None:
        if self._gone():
            return
        self.items = items
        self._generation += 1
        self.panel.show_annotations(items)
        self._pages = {}
        self._find_pages()
        self._on_view_wanted(self._visible)
        self._refresh()
        if not self._checked and self._reader.reflowable:
            self._checked = True
            self._check_quotes()
        if self._pending_id:
            self.show_id(self._pending_id)
        self.loaded.emit()

    def by_id(self, annotation_id: str) -> Annotation | None:
        """A live annotation of the book."""
        return next((a for a in self.items if a.id == annotation_id), None)

    def _page_text(self, annotation: Annotation) -> str:
        if self._reader.reflowable:
            page = self._pages.get(annotation.id)
            return "" if page is None else str(page + 1)
        return self._reader.toolbar.page_box.label(annotation.anchor.page)

    # --- what happens in the reader ----------------------------------------------------------

    def _on_reader_laid_out(self, _page_count: int) -> None:
        """The book was laid out (again): places and pages of the old layout are gone."""
        self._places.clear()
        self._asked.clear()
        self._generation += 1
        if self._reader.reflowable:
            self._pages = {}
            self._find_pages()
        self._refresh()

    def _on_view_wanted(self, pages: list[int]) -> None:
        """These pages are on screen: learn where they start (reflowable) and mark them."""
        self._visible = list(pages)
        if not self._reader.reflowable:
            return
        wanted = [p for p in pages if p not in self._places and p not in self._asked]
        if wanted and self.items:
            self._asked.update(wanted)
            font = self._reader.layouts.font
            self._reader.source.ask(
                lambda w, path, password: w.page_places(path, wanted, password, font),
                lambda places: self._on_places(font, wanted, places),
            )
        self._want_words()

    def _on_places(self, font: float | None, pages: list[int], places: list[Place]) -> None:
        if self._gone():
            return
        self._asked.difference_update(pages)
        if font != self._reader.layouts.font:
            return
        self._places.update(zip(pages, places, strict=False))
        self._want_words()
        self._refresh()

    def _want_words(self) -> None:
        """Read the words of pages on screen that a highlight may cover."""
        spans = [
            (a.anchor.chapter, a.anchor.start, a.anchor.end)
            for a in self.items
            if not a.detached and a.anchor.end > a.anchor.start
        ]
        for page in self._visible:
            place = self._places.get(page)
            if place is None or self._reader.words.of(page) is not None:
                continue
            if any(chapter == place[0] and end > place[1] for chapter, _s, end in spans):
                self._reader.words.fetch(page)

    def _on_words_read(self, _number: int, page: int, _words: list[Word]) -> None:
        """The words of ``page`` arrived: highlights on it can be drawn."""
        if self._reader.reflowable and page in self._places:
            self._refresh()

    # --- drawing ---------------------------------------------------------------------------

    def _refresh(self) -> None:
        """Draw every annotation whose page is known, and list pages in the panel."""
        notes = {a.parent_id for a in self.items if a.kind is AnnotationKind.NOTE}
        live = {a.id for a in self.items}
        areas: dict[int, list[tuple[Annotation, list[Box]]]] = {}
        marks: dict[int, list[Mark]] = {}
        for item in self.items:
            if item.detached or (item.kind is AnnotationKind.NOTE and item.parent_id in live):
                continue  # a highlight's note is drawn with its highlight
            boxes = self._boxes(item)
            has_note = item.kind is AnnotationKind.NOTE or item.id in notes
            for page, page_boxes in boxes.items():
                areas.setdefault(page, []).append((item, page_boxes))
                marks.setdefault(page, []).extend(self._marks(item, page, page_boxes))
            if has_note and boxes:
                page = min(boxes)
                first = boxes[page][0] if boxes[page] else self._corner(page)
                colour = NOTE_COLOR if item.kind is AnnotationKind.NOTE else color_of(item.color)
                marks[page].append(Mark(first, colour, "note"))
        self._areas = areas
        self._reader.view.set_layer("annotations", marks)
        self.panel.model.refresh_pages()

    def _boxes(self, item: Annotation) -> dict[int, list[Box]]:
        """The boxes of an annotation on each page where it can be placed now."""
        anchor = item.anchor
        if not self._reader.reflowable:
            if anchor.quads:
                return {anchor.page: list(anchor.quads)}
            return {anchor.page: []}
        found: dict[int, list[Box]] = {}
        if item.kind is AnnotationKind.HIGHLIGHT or anchor.end > anchor.start:
            for page, (chapter, before) in self._places.items():
                words = self._reader.words.of(page)
                if chapter != anchor.chapter or not words:
                    continue
                covered = words_in(words, before, anchor.start, anchor.end)
                if covered:
                    found[page] = line_boxes([words[i] for i in covered])
        if not found and item.id in self._pages and item.kind is not AnnotationKind.HIGHLIGHT:
            found[self._pages[item.id]] = []
        return found

    def _corner(self, page: int) -> Box:
        width, height = self._reader.view.page_size(page)
        return (0.0, 14.0, width - 14.0, height)

    def _marks(self, item: Annotation, page: int, boxes: list[Box]) -> list[Mark]:
        if item.kind is AnnotationKind.BOOKMARK:
            width, height = self._reader.view.page_size(page)
            return [Mark((0.0, 0.0, width, height), BOOKMARK_COLOR, "bookmark")]
        colour = QColor(color_of(item.color))
        colour.setAlpha(HIGHLIGHT_ALPHA)
        return [Mark(box, colour) for box in boxes]

    def at(self, page: int, x: float, y: float) -> list[Annotation]:
        """The annotations drawn at a point of ``page`` (in points)."""
        return [
            item
            for item, boxes in self._areas.get(page, [])
            if any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in boxes)
        ]

    # --- where annotations are in the current layout ----------------------------------------

    def _find_pages(self) -> None:
        """Learn the page of every annotation of a reflowable book in the current layout."""
        reader = self._reader
        if not reader.reflowable or not self.items or reader.page_layout is None:
            return
        items = list(self.items)
        generation, font = self._generation, reader.layouts.font

        def work(worker: DocumentWorker, path: Path, password: str | None) -> dict[str, int]:
            placed = [a for a in items if a.anchor.chapter >= 0]
            unplaced = [a for a in items if a.anchor.chapter < 0]
            found = worker.place_pages(
                path, [(a.anchor.chapter, a.anchor.start) for a in placed], password, font
            )
            carried = worker.convert(path, [a.anchor.page for a in unplaced], None, font, password)
            pages = dict(zip((a.id for a in placed), found, strict=True))
            pages.update(zip((a.id for a in unplaced), carried, strict=True))
            return pages

        reader.source.ask(work, lambda pages: self._on_pages_found(generation, pages))

    def _on_pages_found(self, generation: int, pages: dict[str, int]) -> None:
        if self._gone():
            return
        if generation != self._generation:
            return
        self._pages.update(pages)
        self._refresh()
        pending, self._pending = self._pending, None
        if pending is not None:
            self.show(pending)

    def show_id(self, annotation_id: str) -> None:
        """Go to the place of the book's annotation ``annotation_id`` (once it is read)."""
        item = self.by_id(annotation_id)
        self._pending_id = "" if item is not None else annotation_id
        if item is not None:
            self.show(item)

    def show(self, annotation: Annotation) -> None:
        """Go to an annotation's place."""
        anchor = annotation.anchor
        if not self._reader.reflowable:
            top = min((q[1] for q in anchor.quads), default=None)
            usable = top is not None and self._reader.rotation == 0
            self._reader.go_to(anchor.page, max(0.0, top - 40) if usable and top else None)
            return
        page = self._pages.get(annotation.id)
        if page is None:
            self._pending = annotation  # shown once the pages are known
            if annotation.id not in {a.id for a in self.items}:
                self._reader.layouts.show_library_page(anchor.page)
            return
        self._reader.go_to(page)

    # --- making them -----------------------------------------------------------------------

    def highlight(self, color: str = "") -> None:
        """Highlight the selected words in ``color`` (the last colour chosen when empty);
        without a selection a colour is only chosen for the next highlight."""
        if color:
            self.color = color
            self.highlight_action.setIcon(swatch(color))
        self._from_selection(AnnotationKind.HIGHLIGHT, "", ui_text("Highlight"))

    def add_note(self) -> None:
        """Ask for a note: on the selected words (highlighted), or on the page."""
        text = self.ask_text(ui_text("Add note"), "")
        if text is None or not text.strip():
            return
        if self._reader.view.selection() is not None:
            self._from_selection(AnnotationKind.NOTE, text, ui_text("Add note"))
        else:
            self._at_page(AnnotationKind.NOTE, text, ui_text("Add note"))

    def add_bookmark(self) -> None:
        """Bookmark the current page, named after its number (or label)."""
        label = self._reader.toolbar.page_box.label(self._reader.page)
        name = ui_text("Page {page}").format(page=label)
        self._at_page(AnnotationKind.BOOKMARK, name, ui_text("Add bookmark"))

    def _from_selection(self, kind: AnnotationKind, note: str, text: str) -> None:
        selection = self._reader.view.selection()
        if selection is None:
            return
        page, first, last = selection
        words = self._reader.words.of(page) or []
        if not words:
            return
        chosen = words[first : last + 1]
        prefix, suffix = context(words, first, last)
        fields = {"quote": quote_of(chosen), "color": self.color}

        def save(anchor: Anchor) -> None:
            mark = self._editor.new(self._book_id, AnnotationKind.HIGHLIGHT, anchor, **fields)
            items = [mark]
            if kind is AnnotationKind.NOTE:
                items.append(
                    self._editor.new(
                        self._book_id, kind, anchor, body=note, parent_id=mark.id, **fields
                    )
                )
            self._editor.create(items, text)

        self._reader.view.clear_selection()
        if not self._reader.reflowable:
            boxes = tuple(line_boxes(chosen))
            save(Anchor(page=page, quads=boxes, prefix=prefix, suffix=suffix))
            return
        font = self._reader.layouts.font

        def work(worker: DocumentWorker, path: Path, password: str | None) -> Anchor:
            chapter, before = worker.page_places(path, [page], password, font)[0]
            start, end = span_of(words, first, last, before)
            library_page = worker.place_pages(path, [(chapter, start)], password, None)[0]
            return Anchor(library_page, (), chapter, start, end, prefix, suffix)

        self._reader.source.ask(work, save, self._editor.failed.emit)

    def _at_page(self, kind: AnnotationKind, body: str, text: str) -> None:
        page = self._reader.page
        if not self._reader.reflowable:
            anchor = Anchor(page=page)
            self._editor.create([self._editor.new(self._book_id, kind, anchor, body=body)], text)
            return
        font = self._reader.layouts.font

        def work(worker: DocumentWorker, path: Path, password: str | None) -> Anchor:
            chapter, before = worker.page_places(path, [page], password, font)[0]
            library_page = worker.place_pages(path, [(chapter, before)], password, None)[0]
            return Anchor(library_page, (), chapter, before, before)

        def save(anchor: Anchor) -> None:
            self._editor.create([self._editor.new(self._book_id, kind, anchor, body=body)], text)

        self._reader.source.ask(work, save, self._editor.failed.emit)

    def _ask_text(self, title: str, initial: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(self._tab, title, ui_text("Note:"), initial)
        return text if ok else None

    def edit_note(self, annotation: Annotation) -> None:
        """Ask for the note of an annotation (a bookmark's name) and save it."""
        note = next(
            (a for a in self.items if a.parent_id == annotation.id),
            None,
        )
        current = note.body if note is not None else annotation.body
        text = self.ask_text(ui_text("Edit note"), current)
        if text is not None:
            self._editor.set_text(annotation, note, text)

    # --- the context menu of a page ----------------------------------------------------------

    def context_menu(self, page: int, x: float, y: float) -> QMenu:
        """The menu for a point of a page: make annotations, or change the ones there."""
        menu = QMenu(self._tab)
        selected = self._reader.view.selection() is not None
        if selected:
            menu.addAction(self.highlight_action)
            colours = menu.addMenu(ui_text("Highlight in colour"))
            for action in self.color_actions.values():
                colours.addAction(action)
        menu.addAction(self.note_action)
        menu.addAction(self.bookmark_action)
        for item in self.at(page, x, y) if page >= 0 else []:
            menu.addSeparator()
            self._item_actions(menu, item)
        return menu

    def _item_actions(self, menu: QMenu, item: Annotation) -> None:
        quote = " ".join(item.quote.split())
        label = quote[:30] + ("…" if len(quote) > 30 else "")
        edit = menu.addAction(ui_text("Edit note on “{quote}”…").format(quote=label))
        edit.triggered.connect(lambda _on=False: self.edit_note(item))
        colours = menu.addMenu(ui_text("Colour of “{quote}”").format(quote=label))
        for name in HIGHLIGHT_COLORS:
            action = colours.addAction(swatch(name), color_title(name))
            action.triggered.connect(lambda _on=False, n=name: self._editor.set_color(item, n))
        delete = menu.addAction(ui_text("Delete highlight “{quote}”").format(quote=label))
        delete.triggered.connect(lambda _on=False: self._editor.delete(item))

    def _on_view_context_menu_wanted(self, page: int, x: float, y: float, where: QPoint) -> None:
        self.context_menu(page, x, y).popup(where)

    # --- checking quotes (reflowable books) ------------------------------------------------

    def _check_quotes(self) -> None:
        """Find again the quotes whose text is no longer at their place; detach the rest."""
        quoted = [a for a in self.items if a.quote.strip()]
        if not quoted:
            self.checked.emit(0)
            return

        def work(worker: DocumentWorker, path: Path, password: str | None) -> Fixes:
            return _check(worker, path, password, quoted)

        self._reader.source.ask(work, self._on_checked, self._editor.failed.emit)

    def _on_checked(self, fixes: Fixes) -> None:
        repairs: list[tuple[Annotation, dict[str, Any]]] = [
            (item, {"detached": True} if anchor is None else {"anchor": anchor, "detached": False})
            for item, anchor in fixes
        ]
        self._editor.repair(self._book_id, repairs)
        if not self._gone():
            self.checked.emit(len(fixes))


def _check(
    worker: DocumentWorker, path: Path, password: str | None, items: list[Annotation]
) -> Fixes:
    """In the drawing thread: which quotes moved (and where to), and which are lost."""
    chapters: dict[int, list[Annotation]] = {}
    unplaced = [a for a in items if a.anchor.chapter < 0]
    if unplaced:  # anchored by a page only (imported): look in that page's chapter
        places = worker.page_places(path, [a.anchor.page for a in unplaced], password, None)
        for item, (chapter, _before) in zip(unplaced, places, strict=True):
            chapters.setdefault(chapter, []).append(item)
    for item in items:
        if item.anchor.chapter >= 0:
            chapters.setdefault(item.anchor.chapter, []).append(item)
    fixes: Fixes = []
    for chapter, group in sorted(chapters.items()):
        text = worker.chapter_text(path, chapter, password, None)
        for item in group:
            anchor = item.anchor
            if anchor.chapter == chapter and quote_matches(
                text, anchor.start, anchor.end, item.quote
            ):
                if item.detached:
                    fixes.append((item, anchor))
                continue
            found = locate(
                text,
                item.quote,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
                near=max(0, anchor.start),
            )
            if found is None:
                if not item.detached:
                    fixes.append((item, None))
                continue
            page = worker.place_pages(path, [(chapter, found[0])], password, None)[0]
            moved = replace(anchor, page=page, chapter=chapter, start=found[0], end=found[1])
            fixes.append((item, moved))
    return fixes
