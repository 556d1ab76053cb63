"""Annotations in a real reader window: made from a mouse selection, drawn on the page,
listed in the book's panel, edited, deleted, undone and redone; bookmarks; the whole
library's annotations and going to one of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.models import Anchor, Annotation, AnnotationKind, Book, ImportReport
from app.core.quotes import locate
from app.documents.worker import DocumentWorker
from app.services.session import Library
from app.ui.annotations.model import NOTE, PAGE, QUOTE, color_of
from app.ui.reader.view import ReaderView
from app.ui.window.main_window import MainWindow
from tests.support import docgen
from tests.support.samples import Samples
from tests.support.sessions import PROFILE

MakeLibrary = Callable[..., tuple[Library, ImportReport]]
OpenWindow = Callable[[Library], MainWindow]


@dataclass
class Desk:
    """A library holding the multilingual PDF and the EPUB sample, and its window."""

    library: Library
    window: MainWindow
    pdf: Book
    epub: Book


@pytest.fixture
def desk(make_library: MakeLibrary, open_window: OpenWindow, samples: Samples) -> Desk:
    library, report = make_library(samples.multilingual, samples.epub)
    assert report.ok
    pdf = next(b for b in report.added if b.format == "pdf")
    epub = next(b for b in report.added if b.format == "epub")
    return Desk(library, open_window(library), pdf, epub)


def open_reader(qtbot: QtBot, window: MainWindow, book_id: str) -> ReaderView:
    """Open a book in the window and wait until its page and annotations are there."""
    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        window.open_book(book_id)
    reader = opened.args[0]
    assert isinstance(reader, ReaderView)
    assert reader.annotations is not None
    qtbot.waitUntil(lambda: reader.drawn_image() is not None, timeout=15_000)
    return reader


def select_with_mouse(qtbot: QtBot, reader: ReaderView, page: int, first: int, last: int) -> str:
    """Drag the mouse from word ``first`` to word ``last`` of a page; the words selected."""
    words = reader.words.of(page)
    if words is None:
        reader.words.fetch(page)
        qtbot.waitUntil(lambda: reader.words.of(page) is not None, timeout=10_000)
        words = reader.words.of(page)
    assert words
    start_word, end_word = words[first], words[last]
    viewport = reader.view.viewport()
    y0 = (start_word[1] + start_word[3]) / 2
    y1 = (end_word[1] + end_word[3]) / 2
    start = reader.view.view_point(page, start_word[0] + 1, y0).toPoint()
    end = reader.view.view_point(page, end_word[2] - 1, y1).toPoint()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, end)
    qtbot.waitUntil(lambda: reader.view.selected_text() != "", timeout=10_000)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    return " ".join(w[4] for w in words[first : last + 1])


def stored(library: Library, book: Book) -> list[Annotation]:
    return library.annotations.of_book(book.id, profile_id=PROFILE)


def wait_stored(
    qtbot: QtBot, library: Library, book: Book, check: Callable[[list[Annotation]], bool]
) -> list[Annotation]:
    qtbot.waitUntil(lambda: check(stored(library, book)), timeout=10_000)
    return stored(library, book)


def wait_listed(qtbot: QtBot, reader: ReaderView, count: int) -> None:
    assert reader.annotations is not None
    model = reader.annotations.panel.model
    qtbot.waitUntil(lambda: len(model.rows()) == count, timeout=10_000)


def tinted(image: QImage, point: QPoint, color: str) -> bool:
    """True when the pixels around ``point`` lean towards a highlight colour."""
    want = color_of(color)
    for dx in range(-6, 7, 2):
        for dy in range(-3, 4):
            pixel = image.pixelColor(point.x() + dx, point.y() + dy)
            if pixel == want or (
                pixel.red() >= 200
                and abs(pixel.red() - pixel.green()) + abs(pixel.green() - pixel.blue()) > 40
                and _closer(pixel.getRgb()[:3], want.getRgb()[:3])
            ):
                return True
    return False


def _closer(pixel: tuple[int, ...], want: tuple[int, ...]) -> bool:
    white = (255, 255, 255)
    return (
        sum((p - w) ** 2 for p, w in zip(pixel, want, strict=True))
        < sum((p - w) ** 2 for p, w in zip(pixel, white, strict=True))
        or pixel[2] < 200
    )


def test_highlight_note_edit_recolour_delete_with_undo_and_redo(
    qtbot: QtBot, qtmodeltester: ModelTester, desk: Desk
) -> None:
    library, window, book = desk.library, desk.window, desk.pdf
    reader = open_reader(qtbot, window, book.id)
    marks = reader.annotations
    assert marks is not None
    window.activateWindow()

    # select five words with the mouse and highlight them with Ctrl+H (yellow by default)
    quote = select_with_mouse(qtbot, reader, 0, 0, 4)
    reader.view.setFocus()
    qtbot.keyClick(reader.view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    (mark,) = wait_stored(qtbot, library, book, lambda found: len(found) == 1)
    assert mark.kind is AnnotationKind.HIGHLIGHT
    assert mark.quote == quote
    assert mark.color == "yellow"
    assert mark.anchor.page == 0
    assert mark.anchor.quads
    assert mark.anchor.suffix  # the words after it, to find it again
    assert reader.view.selected_text() == ""  # the selection gave way to the highlight

    # drawn over the words, in translucent yellow
    qtbot.waitUntil(lambda: reader.view.marks(0, "annotations") != [], timeout=10_000)
    x0, y0, _x1, y1 = mark.anchor.quads[0]
    point = reader.view.view_point(0, x0 + 2, (y0 + y1) / 2).toPoint()
    qtbot.waitUntil(
        lambda: tinted(reader.view.viewport().grab().toImage(), point, "yellow"), timeout=5_000
    )

    # listed in the book's panel
    reader.sidebar.toggle(marks.panel)
    assert marks.panel.isVisible()
    wait_listed(qtbot, reader, 1)
    model = marks.panel.model
    qtmodeltester.check(model)
    assert model.data(model.index(0, QUOTE)) == quote
    assert model.data(model.index(0, PAGE)) == "1"
    assert window.menus.undo_action.text() == "&Undo Highlight"

    # a note on other selected words: a highlight with a note attached, one undo step
    marks.ask_text = lambda _title, _initial: "Muhim fikr"
    select_with_mouse(qtbot, reader, 0, 6, 8)
    marks.note_action.trigger()
    found = wait_stored(qtbot, library, book, lambda found: len(found) == 3)
    note = next(a for a in found if a.kind is AnnotationKind.NOTE)
    second = next(a for a in found if a.id == note.parent_id)
    assert note.body == "Muhim fikr"
    assert second.kind is AnnotationKind.HIGHLIGHT
    wait_listed(qtbot, reader, 2)  # the note is shown on its highlight's row
    row = model.find(second.id)
    assert model.data(row.siblingAtColumn(NOTE)) == "Muhim fikr"
    assert window.menus.undo_action.text() == "&Undo Add note"

    # edit the note in the panel: F2, type, Return
    marks.panel.view.setFocus()
    marks.panel.view.setCurrentIndex(row)
    qtbot.keyClick(marks.panel.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Juda muhim")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_stored(qtbot, library, book, lambda f: any(a.body == "Juda muhim" for a in f))
    qtbot.waitUntil(lambda: model.data(model.find(second.id).siblingAtColumn(NOTE)) == "Juda muhim")

    # change the colour from the panel's context menu
    marks.panel.view.setCurrentIndex(model.find(second.id))
    menu = marks.panel.context_menu()
    colour_menu = next(a.menu() for a in menu.actions() if a.menu() is not None)
    green = next(a for a in colour_menu.actions() if a.text() == "Green")
    green.trigger()
    wait_stored(qtbot, library, book, lambda f: any(a.color == "green" for a in f))

    # delete it with the Delete key: its note goes with it
    marks.panel.view.setFocus()
    marks.panel.view.setCurrentIndex(model.find(second.id))
    qtbot.keyClick(marks.panel.view, Qt.Key.Key_Delete)
    wait_stored(qtbot, library, book, lambda f: [a.id for a in f] == [mark.id])
    wait_listed(qtbot, reader, 1)
    assert window.menus.undo_action.text() == "&Undo Delete highlight"

    # undo each step back, checking the store and the panel
    def by_id(annotation_id: str) -> Callable[[list[Annotation]], Annotation | None]:
        return lambda f: next((a for a in f if a.id == annotation_id), None)

    window.menus.undo_action.trigger()  # the delete
    wait_stored(qtbot, library, book, lambda f: len(f) == 3)
    wait_listed(qtbot, reader, 2)
    window.menus.undo_action.trigger()  # the colour
    wait_stored(qtbot, library, book, lambda f: by_id(second.id)(f).color == "yellow")  # type: ignore[union-attr]
    window.menus.undo_action.trigger()  # the note's text
    wait_stored(qtbot, library, book, lambda f: by_id(note.id)(f).body == "Muhim fikr")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: model.data(model.find(second.id).siblingAtColumn(NOTE)) == "Muhim fikr")
    window.menus.undo_action.trigger()  # the note and its highlight
    wait_stored(qtbot, library, book, lambda f: [a.id for a in f] == [mark.id])
    wait_listed(qtbot, reader, 1)
    window.menus.undo_action.trigger()  # the first highlight
    wait_stored(qtbot, library, book, lambda f: f == [])
    wait_listed(qtbot, reader, 0)
    qtbot.waitUntil(lambda: reader.view.marks(0, "annotations") == [])
    assert not window.menus.undo_action.isEnabled()
    assert window.menus.redo_action.text() == "&Redo Highlight"

    # and redo them all: the same annotations come back (same ids), then the delete again
    for _step in range(4):
        window.menus.redo_action.trigger()
    found = wait_stored(qtbot, library, book, lambda f: len(f) == 3)
    assert {a.id for a in found} == {mark.id, second.id, note.id}
    wait_stored(qtbot, library, book, lambda f: by_id(second.id)(f).color == "green")  # type: ignore[union-attr]
    assert by_id(note.id)(found) is not None
    window.menus.redo_action.trigger()
    wait_stored(qtbot, library, book, lambda f: [a.id for a in f] == [mark.id])
    assert not window.menus.redo_action.isEnabled()
    qtmodeltester.check(model)
    # every step reached the change log
    actions = [c.action for c in library.annotations.changes()]
    assert actions.count("create") == 3
    assert "restore" in actions


def test_bookmark_and_a_note_on_a_page(qtbot: QtBot, desk: Desk) -> None:
    library, window, book = desk.library, desk.window, desk.pdf
    reader = open_reader(qtbot, window, book.id)
    marks = reader.annotations
    assert marks is not None
    with qtbot.waitSignal(reader.page_shown, timeout=10_000):
        reader.go_to(2)
    reader.view.setFocus()
    qtbot.keyClick(reader.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    (bookmark,) = wait_stored(qtbot, library, book, lambda f: len(f) == 1)
    assert bookmark.kind is AnnotationKind.BOOKMARK
    assert bookmark.body == "Page 3"
    assert bookmark.anchor.page == 2
    qtbot.waitUntil(lambda: [m.shape for m in reader.view.marks(2, "annotations")] == ["bookmark"])

    # rename it in the panel
    wait_listed(qtbot, reader, 1)
    model = marks.panel.model
    assert model.setData(model.index(0, NOTE), "Rus tili")
    wait_stored(qtbot, library, book, lambda f: f[0].body == "Rus tili")
    assert window.menus.undo_action.text() == "&Undo Rename bookmark"

    # a note without a selection is a note on the page, drawn as a marker
    marks.ask_text = lambda _title, _initial: "Bu sahifani qayta oʻqish"
    marks.add_note()
    found = wait_stored(qtbot, library, book, lambda f: len(f) == 2)
    page_note = next(a for a in found if a.kind is AnnotationKind.NOTE)
    assert page_note.parent_id is None
    assert page_note.anchor.page == 2
    qtbot.waitUntil(
        lambda: sorted(m.shape for m in reader.view.marks(2, "annotations")) == ["bookmark", "note"]
    )
    # going to a bookmark from the panel
    with qtbot.waitSignal(reader.page_shown, timeout=10_000):
        reader.go_to(10)
    marks.panel.view.setFocus()
    marks.panel.view.setCurrentIndex(model.find(bookmark.id))
    with qtbot.waitSignal(reader.page_shown, timeout=10_000) as shown:
        qtbot.keyClick(marks.panel.view, Qt.Key.Key_Return)
    assert shown.args == [2]


def test_the_side_panel_opens_wide_enough_for_its_tabs_and_columns(
    qtbot: QtBot, desk: Desk
) -> None:
    # issue 12, item 23: the panel opened at 200 px: "Annotations" behind the tabs' scroll
    # arrows, the quote and note columns only "…"
    reader = open_reader(qtbot, desk.window, desk.pdf.id)
    marks = reader.annotations
    assert marks is not None
    sidebar = reader.sidebar
    sidebar.toggle(marks.panel)
    qtbot.waitUntil(marks.panel.isVisible)
    bar = sidebar.tabBar()
    for index in range(bar.count()):
        assert bar.rect().contains(bar.tabRect(index)), bar.tabText(index)
    header = marks.panel.view.header()
    readable = marks.panel.view.fontMetrics().averageCharWidth() * 12  # a few words of a quote
    assert header.sectionSize(QUOTE) >= readable
    assert header.sectionSize(NOTE) >= readable


def test_the_library_wide_view_filters_and_goes_to_an_annotation(
    qtbot: QtBot, qtmodeltester: ModelTester, desk: Desk
) -> None:
    library, window = desk.library, desk.window
    notes = library.annotations
    notes.create(
        desk.pdf.id,
        AnnotationKind.HIGHLIGHT,
        Anchor(page=3, quads=((72, 90, 300, 104),)),
        quote="The library of the university",
        color="green",
        profile_id=PROFILE,
    )
    notes.create(
        desk.pdf.id, AnnotationKind.BOOKMARK, Anchor(page=20), body="Ilova", profile_id=PROFILE
    )
    words = " ".join(_epub_words(desk, 0)[3:6])
    notes.create(
        desk.epub.id,
        AnnotationKind.HIGHLIGHT,
        Anchor(page=0, chapter=0, start=0, end=1),
        quote=words,
        color="blue",
        profile_id=PROFILE,
    )

    window.activateWindow()
    qtbot.keyClick(
        window,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.annotations_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: len(dialog.panel.model.rows()) == 3, timeout=10_000)
    model = dialog.panel.model
    qtmodeltester.check(model)
    assert model.rowCount() == 2  # one group per book
    titles = {model.data(model.index(row, 0)) for row in range(2)}
    assert any(t.startswith(desk.pdf.title) for t in titles)

    panel = dialog.panel
    panel.color_filter.setCurrentIndex(panel.color_filter.findData("green"))
    assert [a.quote for a in model.rows()] == ["The library of the university"]
    panel.color_filter.setCurrentIndex(0)
    panel.book_filter.setCurrentIndex(panel.book_filter.findData(desk.epub.id))
    assert [a.color for a in model.rows()] == ["blue"]
    panel.book_filter.setCurrentIndex(0)
    panel.text_filter.setText("ILOVA")  # folded like search
    assert [a.body for a in model.rows()] == ["Ilova"]
    qtmodeltester.check(model)
    panel.text_filter.clear()

    # choosing one opens its book at its place
    target = next(a for a in model.rows() if a.body == "Ilova")
    index = model.find(target.id)
    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        panel.view.activated.emit(index)
    reader = opened.args[0]
    qtbot.waitUntil(lambda: reader.page == 20, timeout=10_000)
    assert window.tabs.currentWidget() is reader

    # and an edit there is undone from the window
    panel.view.setCurrentIndex(model.find(target.id))
    panel.delete_action.trigger()
    qtbot.waitUntil(lambda: len(panel.model.rows()) == 2, timeout=10_000)
    window.menus.undo_action.trigger()
    qtbot.waitUntil(lambda: len(panel.model.rows()) == 3, timeout=10_000)


def _epub_words(desk: Desk, page: int) -> list[str]:
    path = desk.library.store.file_path(desk.epub)
    with DocumentWorker() as worker:
        return [w[4] for w in worker.words(path, page)]


@pytest.fixture
def long_epub(tmp_path: Path, make_library: MakeLibrary, open_window: OpenWindow) -> Desk:
    """A library holding a two-chapter EPUB of many pages, and its window."""
    sentences = " ".join(f"Gap{n:04d} oʻquvchi kitobni diqqat bilan oʻqidi." for n in range(900))
    book_file = docgen.make_epub(
        tmp_path / "uzun.epub",
        [("Birinchi bob", sentences), ("Ikkinchi bob", sentences.replace("Gap", "Soz"))],
        title="Uzun kitob",
        author="Test",
        lang="uz",
    )
    library, report = make_library(book_file)
    book = report.added[0]
    return Desk(library, open_window(library), book, book)


def test_an_epub_highlight_survives_a_font_size_change(qtbot: QtBot, long_epub: Desk) -> None:
    library, window, book = long_epub.library, long_epub.window, long_epub.epub
    reader = open_reader(qtbot, window, book.id)
    marks = reader.annotations
    assert marks is not None
    qtbot.waitUntil(lambda: reader.page_count > 20, timeout=15_000)
    with qtbot.waitSignal(reader.page_shown, timeout=10_000):
        reader.go_to(12)
    quote = select_with_mouse(qtbot, reader, 12, 10, 16)
    marks.highlight("pink")
    (mark,) = wait_stored(qtbot, library, book, lambda f: len(f) == 1)
    assert mark.quote == quote
    assert mark.color == "pink"
    anchor = mark.anchor
    assert anchor.chapter == 0
    assert anchor.end - anchor.start == sum(len(w) for w in quote.split())
    assert anchor.quads == ()
    path = library.store.file_path(book)
    with DocumentWorker() as worker:  # the library's page (the import's layout) holds it
        library_words = " ".join(w[4] for w in worker.words(path, anchor.page))
    assert quote.split()[0] in library_words

    def marked_words(font: float, pages: list[int]) -> str:
        """The words under the pink boxes of ``pages``, read at ``font``."""
        inside = []
        with DocumentWorker() as worker:
            for page in pages:
                words = worker.words(path, page, None, font)
                marked = reader.view.marks(page, "annotations")
                boxes = [m.box for m in marked if m.shape == "fill"]
                inside += [
                    w[4]
                    for w in words
                    if any(
                        b[0] - 1 <= w[0] and w[2] <= b[2] + 1 and b[1] <= (w[1] + w[3]) / 2 <= b[3]
                        for b in boxes
                    )
                ]
        return " ".join(inside)

    qtbot.waitUntil(lambda: reader.view.marks(12, "annotations") != [], timeout=10_000)
    assert marked_words(11.0, [12]) == quote

    # laid out again at 20 pt: more pages, and the same words marked on the page holding them
    with qtbot.waitSignal(reader.laid_out, timeout=20_000):
        reader.layouts.set_font_size(20.0)
    qtbot.waitUntil(lambda: reader.drawn_image() is not None, timeout=10_000)
    marks.show(mark)
    qtbot.waitUntil(lambda: reader.view.marks(reader.page, "annotations") != [], timeout=10_000)
    first = reader.page
    assert first > 12
    if marked_words(20.0, [first]) != quote:  # it runs on to the next page at this size
        assert quote.startswith(marked_words(20.0, [first]))
        reader.go_to(first + 1)
        qtbot.waitUntil(lambda: reader.view.marks(first + 1, "annotations") != [], timeout=10_000)
    assert marked_words(20.0, [first, first + 1]) == quote
    model = marks.panel.model
    assert model.data(model.find(mark.id).siblingAtColumn(PAGE)) == str(first + 1)

    # the quote is checked when the book opens: it is where it was, nothing moves
    assert library.annotations.get(mark.id).anchor == anchor  # type: ignore[union-attr]


def test_a_moved_quote_is_found_again_and_a_lost_one_is_listed_apart(
    qtbot: QtBot, qtmodeltester: ModelTester, long_epub: Desk
) -> None:
    library, window, book = long_epub.library, long_epub.window, long_epub.epub
    notes = library.annotations
    # "Gap0300 oʻquvchi" stands in chapter 0, but the anchor says it is at its start
    moved = notes.create(
        book.id,
        AnnotationKind.HIGHLIGHT,
        Anchor(page=0, chapter=0, start=0, end=15, prefix="bilan oʻqidi.", suffix="kitobni"),
        quote="Gap0300 oʻquvchi",
        color="green",
        profile_id=PROFILE,
    )
    lost = notes.create(
        book.id,
        AnnotationKind.HIGHLIGHT,
        Anchor(page=0, chapter=1, start=40, end=60),
        quote="Bunday soʻzlar bu kitobda yoʻq",
        color="orange",
        profile_id=PROFILE,
    )
    reader = open_reader(qtbot, window, book.id)
    marks = reader.annotations
    assert marks is not None
    qtbot.waitUntil(lambda: notes.get(lost.id).detached, timeout=15_000)  # type: ignore[union-attr]
    found = notes.get(moved.id)
    assert found is not None
    assert not found.detached
    text = "".join(
        " ".join(f"Gap{n:04d} oʻquvchi kitobni diqqat bilan oʻqidi." for n in range(300)).split()
    )
    assert found.anchor.start == len("Birinchibob") + len(text)
    assert found.anchor.end == found.anchor.start + len("Gap0300oʻquvchi")
    assert found.anchor.page > 0
    assert len(notes.of_book(book.id, profile_id=PROFILE)) == 2  # detached, never deleted

    # listed apart in the panel; the found one is drawn where it now is
    model = marks.panel.model
    qtbot.waitUntil(lambda: [a.id for a in model.detached()] == [lost.id], timeout=10_000)
    qtmodeltester.check(model)
    assert model.rowCount() == 2  # the placed highlight, then the "Detached" group
    assert model.data(model.index(1, 0)) == "Detached (1)"
    marks.show(notes.get(moved.id))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: reader.view.marks(reader.page, "annotations") != [], timeout=10_000)


def test_a_pdfs_own_annotations_are_shown_and_can_be_edited(
    qtbot: QtBot, tmp_path: Path, make_library: MakeLibrary, open_window: OpenWindow
) -> None:
    source = docgen.make_pdf(
        tmp_path / "izohli.pdf",
        ["Kutubxona bilim manbai. Talabalar oʻquv zalida kitoblarni oʻqiydilar."] * 2,
        title="Izohli kitob",
    )
    doc = pymupdf.open(source)
    page = doc[0]
    words = page.get_text("words", sort=True)
    mark = page.add_highlight_annot(pymupdf.Rect(words[0][:4]) | pymupdf.Rect(words[1][:4]))
    mark.set_colors(stroke=(0.2, 0.8, 0.3))
    mark.set_info(content="Asosiy fikr")
    mark.update()
    doc.save(tmp_path / "annotated.pdf")
    doc.close()
    library, report = make_library(tmp_path / "annotated.pdf")
    book = report.added[0]
    window = open_window(library)

    reader = open_reader(qtbot, window, book.id)
    marks = reader.annotations
    assert marks is not None
    found = wait_stored(qtbot, library, book, lambda f: len(f) == 2)
    highlight = next(a for a in found if a.kind is AnnotationKind.HIGHLIGHT)
    assert highlight.origin == "pdf"
    assert highlight.color == "green"
    assert highlight.quote.startswith("Kutubxona")
    wait_listed(qtbot, reader, 1)
    model = marks.panel.model
    assert model.data(model.find(highlight.id).siblingAtColumn(NOTE)) == "Asosiy fikr"
    qtbot.waitUntil(lambda: reader.view.marks(0, "annotations") != [], timeout=10_000)

    marks.panel.view.setCurrentIndex(model.find(highlight.id))
    marks.panel.recolor_selected("blue")
    wait_stored(qtbot, library, book, lambda f: any(a.color == "blue" for a in f))
    window.menus.undo_action.trigger()
    wait_stored(qtbot, library, book, lambda f: any(a.color == "green" for a in f))


def test_the_context_menu_of_a_page_makes_and_changes_annotations(qtbot: QtBot, desk: Desk) -> None:
    library, window, book = desk.library, desk.window, desk.pdf
    reader = open_reader(qtbot, window, book.id)
    marks = reader.annotations
    assert marks is not None
    select_with_mouse(qtbot, reader, 0, 2, 5)
    words = reader.words.of(0)
    assert words
    x, y = (words[3][0] + words[3][2]) / 2, (words[3][1] + words[3][3]) / 2
    menu = marks.context_menu(0, x, y)
    texts = [a.text() for a in menu.actions()]
    assert texts[:4] == ["&Highlight", "Highlight in colour", "Add &note…", "Add &bookmark"]
    colours = next(a.menu() for a in menu.actions() if a.text() == "Highlight in colour")
    next(a for a in colours.actions() if a.text() == "Orange").trigger()
    (mark,) = wait_stored(qtbot, library, book, lambda f: len(f) == 1)
    assert mark.color == "orange"
    assert marks.color == "orange"  # the next highlight takes the colour chosen last
    qtbot.waitUntil(lambda: marks.at(0, x, y) != [], timeout=10_000)

    # on the highlight: its note, its colour, deleting it
    menu = marks.context_menu(0, x, y)
    texts = [a.text() for a in menu.actions()]
    assert "&Highlight" not in texts  # nothing is selected now
    marks.ask_text = lambda _title, initial: initial + "Izoh"
    next(a for a in menu.actions() if a.text().startswith("Edit note on")).trigger()
    found = wait_stored(qtbot, library, book, lambda f: len(f) == 2)
    assert next(a for a in found if a.kind is AnnotationKind.NOTE).body == "Izoh"
    menu = marks.context_menu(0, x, y)
    next(a for a in menu.actions() if a.text().startswith("Delete highlight")).trigger()
    wait_stored(qtbot, library, book, lambda f: f == [])

    # closing the tab while a highlight is being saved loses nothing and breaks nothing
    select_with_mouse(qtbot, reader, 0, 7, 9)
    marks.highlight()
    window.tabs.tabCloseRequested.emit(window.tabs.indexOf(reader))
    (kept,) = wait_stored(qtbot, library, book, lambda f: len(f) == 1)
    assert kept.color == "orange"
    window.menus.undo_action.trigger()
    wait_stored(qtbot, library, book, lambda f: f == [])


def test_a_note_found_by_the_library_search_opens_at_its_words(
    qtbot: QtBot, long_epub: Desk
) -> None:
    library, window, book = long_epub.library, long_epub.window, long_epub.epub
    window.settings = replace(window.settings, font_size=20.0)
    path = library.store.file_path(book)
    with DocumentWorker() as worker:
        text = worker.chapter_text(path, 1)
        for number in range(500, 900):  # words not on the first page of the library's page
            quote = f"Soz{number:04d} oʻquvchi"
            start, end = locate(text, quote) or (0, 0)
            (library_page,) = worker.place_pages(path, [(1, start)])
            (page,) = worker.place_pages(path, [(1, start)], None, 20.0)
            if worker.convert(path, [library_page], None, 20.0) != [page]:
                break
    mark = library.annotations.create(
        book.id,
        AnnotationKind.HIGHLIGHT,
        Anchor(page=library_page, chapter=1, start=start, end=end),
        quote=quote,
        color="blue",
        profile_id=PROFILE,
    )
    library.annotations.create(
        book.id,
        AnnotationKind.NOTE,
        mark.anchor,
        quote=mark.quote,
        body="Beshyuzinchi gap",
        parent_id=mark.id,
        profile_id=PROFILE,
    )
    with qtbot.waitSignal(window.search_finished, timeout=10_000):
        window.run_search("beshyuzinchi")
    results = window.search_panel.results
    item = results.topLevelItem(0).child(0)
    with qtbot.waitSignal(window.book_opened, timeout=10_000) as opened:
        results.itemActivated.emit(item, 0)
    reader = opened.args[0]
    qtbot.waitUntil(lambda: reader.page == page, timeout=15_000)
    qtbot.waitUntil(lambda: reader.view.marks(page, "annotations") != [], timeout=10_000)
    assert [m.shape for m in reader.view.marks(page, "annotations")] == ["fill", "note"]
