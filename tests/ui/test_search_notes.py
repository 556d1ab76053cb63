"""The search panel lists matching notes and highlights under their book; choosing one opens it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from app.core.models import Anchor, AnnotationKind, ImportReport
from app.services.session import Library
from app.ui.library.search_panel import ANNOTATION_ROLE
from app.ui.reader.view import ReaderView
from app.ui.window.main_window import MainWindow
from tests.support.samples import Samples
from tests.support.sessions import PROFILE

MakeLibrary = Callable[..., tuple[Library, ImportReport]]
OpenWindow = Callable[[Library], MainWindow]


def _note_items(window: MainWindow) -> dict[str, QTreeWidgetItem]:
    """Annotation id → its item in the results."""
    found = {}
    for i in range(window.search_panel.results.topLevelItemCount()):
        book_item = window.search_panel.results.topLevelItem(i)
        for j in range(book_item.childCount()):
            item = book_item.child(j)
            annotation_id = item.data(0, ANNOTATION_ROLE)
            if annotation_id:
                found[str(annotation_id)] = item
    return found


def test_notes_and_highlights_are_found_marked_as_notes_and_open_their_page(
    qtbot: QtBot, make_library: MakeLibrary, open_window: OpenWindow, samples: Samples
) -> None:
    library, report = make_library(samples.multilingual)
    book = report.added[0]
    highlight = library.annotations.create(
        book.id,
        AnnotationKind.HIGHLIGHT,
        Anchor(page=1),
        quote="Кутубхона ва ўқув маркази",
        color="yellow",
        profile_id=PROFILE,
    )
    note = library.annotations.create(
        book.id,
        AnnotationKind.NOTE,
        Anchor(page=3),
        body="Talabalar oʻquv zalida imtihonga",
        profile_id=PROFILE,
    )
    gone = library.annotations.create(
        book.id, AnnotationKind.NOTE, Anchor(page=5), body="oʻquv", profile_id=PROFILE
    )
    library.annotations.delete(gone.id)
    window = open_window(library)

    with qtbot.waitSignal(window.search_finished, timeout=10_000) as done:
        window.run_search("o'quv")  # ASCII apostrophe: finds the Cyrillic quote and ʻ
    assert done.args[0] is not None
    items = _note_items(window)
    assert set(items) == {highlight.id, note.id}
    assert items[highlight.id].text(0) == "Highlight, p. 2"
    assert items[highlight.id].text(1) == "“Кутубхона ва «ўқув» маркази”"
    swatch = items[highlight.id].data(0, Qt.ItemDataRole.DecorationRole)
    assert QColor(swatch) == QColor("yellow")
    assert items[note.id].text(0) == "Note, p. 4"
    assert items[note.id].parent() is items[highlight.id].parent()  # under their book
    assert items[note.id].parent().text(0) == book.title
    assert "2 matching note(s)" in window.search_panel.summary.text()

    with qtbot.waitSignal(window.search_finished, timeout=10_000):
        window.run_search("imtihonga")  # in a note only, on no page
    assert window.search_panel.results.topLevelItemCount() == 1
    assert set(_note_items(window)) == {note.id}

    with qtbot.waitSignal(window.search_finished, timeout=10_000):
        window.run_search("ўқув")
    item = _note_items(window)[highlight.id]
    with (
        qtbot.waitSignal(window.book_opened, timeout=10_000) as opened,
        qtbot.waitSignal(window.search_panel.note_chosen, timeout=10_000) as chosen,
    ):
        window.search_panel.results.itemActivated.emit(item, 0)
    assert chosen.args == [book.id, highlight.id]
    reader = opened.args[0]
    assert isinstance(reader, ReaderView)
    # the quote's word is marked on the page, as for a page hit
    qtbot.waitUntil(
        lambda: reader.page == 1 and reader.finder.hits.boxes.get(1, []) != [], timeout=10_000
    )
