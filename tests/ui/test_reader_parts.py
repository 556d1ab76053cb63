"""A reader part on a stand-in for the reader: it needs only what its context protocol names.

The zoom (`app/ui/reader/zoom.py`) is made on a small widget that has the page view, the
toolbar, the place and the four signals of `ZoomContext`, not on a `ReaderView`: it wires its
own controls and refits when the stand-in says the tab was resized, the pages turned or drawn.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.ui.reader.page_view import PagesView
from app.ui.reader.toolbar import ReaderToolbar
from app.ui.reader.zoom import ReaderZoom, ZoomContext

PAGE = (600.0, 800.0)  # points


class StandIn(QWidget):
    """What `ZoomContext` names, and nothing more: a page view, a toolbar, a place, signals."""

    laid_out = Signal(int)
    rotated = Signal(int)
    resized = Signal()
    page_drawn = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.view = PagesView(lambda _page: None, self)
        self.view.set_pages([PAGE] * 3)
        self.view.setGeometry(0, 60, 700, 500)
        self.toolbar = ReaderToolbar(False, self)
        self.page = 0
        self.rotation = 0
        self.reflowable = False

    def add_shortcut(self, key: QKeySequence, slot: Callable[[], object]) -> None:
        QShortcut(key, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)


@pytest.fixture
def stand_in(qtbot: QtBot) -> StandIn:
    widget = StandIn()
    qtbot.addWidget(widget)
    widget.resize(720, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _zoom(context: ZoomContext, parent: QWidget) -> ReaderZoom:
    return ReaderZoom(context, parent, 1.0)


def test_the_zoom_wires_its_own_controls(qtbot: QtBot, stand_in: StandIn) -> None:
    zoom = _zoom(stand_in, stand_in)
    assert stand_in.toolbar.zoom_label.text() == "100 %"  # a fixed-page book: shown at once

    with qtbot.waitSignal(zoom.changed) as changed:
        stand_in.toolbar.zoom_in_button.click()
    assert changed.args == [1.25]
    assert stand_in.toolbar.zoom_label.text() == "125 %"

    with qtbot.waitSignal(zoom.changed) as changed:  # Ctrl+wheel on the page view
        wheel = QWheelEvent(
            QPointF(10, 10),
            QPointF(10, 10),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.ControlModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(stand_in.view.viewport(), wheel)
    assert changed.args == [1.0]


def test_fitting_follows_the_signals_of_the_context(qtbot: QtBot, stand_in: StandIn) -> None:
    zoom = _zoom(stand_in, stand_in)

    def fitted_width() -> float:
        return round((stand_in.view.viewport().width() - 24) / PAGE[0], 2)

    stand_in.toolbar.fit_width_button.click()
    assert zoom.factor == pytest.approx(fitted_width(), abs=0.011)

    stand_in.view.setGeometry(0, 60, 400, 500)  # narrower: nothing refits until it is said
    assert zoom.factor != pytest.approx(fitted_width(), abs=0.011)
    with qtbot.waitSignal(zoom.changed):
        stand_in.resized.emit()
    assert zoom.factor == pytest.approx(fitted_width(), abs=0.011)

    stand_in.rotation = 90  # turned: the page's height now lies across the view
    with qtbot.waitSignal(zoom.changed):
        stand_in.rotated.emit(90)
    across = round((stand_in.view.viewport().width() - 24) / PAGE[1], 2)
    assert zoom.factor == pytest.approx(across, abs=0.011)

    stand_in.toolbar.zoom_out_button.click()  # a chosen zoom ends fitting
    chosen = zoom.factor
    stand_in.rotation = 0
    stand_in.laid_out.emit(3)
    stand_in.page_drawn.emit(0)
    assert zoom.factor == chosen
