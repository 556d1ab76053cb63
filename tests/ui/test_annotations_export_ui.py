"""Exporting a book's annotations from the window: Markdown, W3C JSON-LD, annotated PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.models import AnnotationKind, Book
from app.services.annotations.exports.exporting import ExportResult
from app.ui.window.main_window import MainWindow
from tests.support.samples import Samples
from tests.support.sessions import PROFILE
from tests.ui.test_annotations_ui import (
    Desk,
    MakeLibrary,
    OpenWindow,
    open_reader,
    select_with_mouse,
    wait_stored,
)


@pytest.fixture
def desk(make_library: MakeLibrary, open_window: OpenWindow, samples: Samples) -> Desk:
    library, report = make_library(samples.multilingual, samples.epub)
    assert report.ok
    pdf = next(b for b in report.added if b.format == "pdf")
    epub = next(b for b in report.added if b.format == "epub")
    return Desk(library, open_window(library), pdf, epub)


def _export(qtbot: QtBot, window: MainWindow, fmt: str, target: Path) -> ExportResult:
    asked: list[Book] = []

    def choose(book: Book) -> tuple[str, Path]:
        asked.append(book)
        return fmt, target

    window.choose_export = choose  # type: ignore[assignment]
    with qtbot.waitSignal(window.annotations_exported, timeout=20_000) as exported:
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 1
    result = exported.args[0]
    assert isinstance(result, ExportResult)
    assert result.path == target
    assert str(target) in window.statusBar().currentMessage()
    return result


def test_annotations_made_in_the_reader_are_exported_in_every_format(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    library, window, book = desk.library, desk.window, desk.pdf
    assert not window.menus.export_annotations_action.isEnabled()  # the library tab is current
    reader = open_reader(qtbot, window, book.id)
    assert window.menus.export_annotations_action.isEnabled()
    window.activateWindow()
    quote = select_with_mouse(qtbot, reader, 0, 0, 3)
    reader.view.setFocus()
    qtbot.keyClick(reader.view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    (mark,) = wait_stored(qtbot, library, book, lambda found: len(found) == 1)
    library.annotations.create(
        book.id,
        AnnotationKind.NOTE,
        mark.anchor,
        body="Muhim fikr",
        parent_id=mark.id,
        profile_id=PROFILE,
    )

    markdown = _export(qtbot, window, "md", tmp_path / "izohlar.md")
    text = markdown.path.read_text("utf-8")
    assert f"> {quote}" in text
    assert "Muhim fikr" in text
    assert book.title in text

    w3c = _export(qtbot, window, "w3c", tmp_path / "izohlar.jsonld")
    document = json.loads(w3c.path.read_text("utf-8"))
    assert quote in json.dumps(document, ensure_ascii=False)

    copy = _export(qtbot, window, "pdf", tmp_path / "izohli.pdf")
    with pymupdf.open(copy.path) as doc:
        page = doc[0]
        kinds = [annot.type[1] for annot in page.annots()]
    assert "Highlight" in kinds

    # a bad target is one sentence in the status bar; nothing is written
    window.choose_export = lambda _book: ("md", tmp_path / "missing" / "x.md")  # type: ignore[assignment]
    window.export_annotations()
    qtbot.waitUntil(lambda: "could not be exported" in window.statusBar().currentMessage())
    assert not (tmp_path / "missing").exists()
