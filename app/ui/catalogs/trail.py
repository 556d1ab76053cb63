"""The feeds walked in the catalogue browser, their breadcrumbs and the offline banner.

Each stop with its pages, the request that leads to one, the breadcrumbs row over them, and the
banner saying which copy of a stop is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from app.library.catalogs import Catalog
from app.ui.common.i18n import ui_text
from sync.catalog import FeedResult
from sync.opds.model import Feed

CRUMBS_SHOWN = 4  # the root, "…", and the last feeds walked
CRUMB_WIDTH = 180  # pixels of a breadcrumb's title before it is elided

Mode = Literal["root", "push", "replace", "more"]


@dataclass
class Stop:
    """A feed walked to: its pages as loaded, the row chosen when it was left."""

    title: str
    url: str
    pages: list[FeedResult]
    terms: str = ""  # a search's words ("" for a feed)
    row: int = -1

    @property
    def feed(self) -> Feed:
        return self.pages[0].feed

    @property
    def next_url(self) -> str:
        return self.pages[-1].feed.next_url

    @property
    def stale(self) -> bool:
        return any(page.stale for page in self.pages)


@dataclass
class Request:
    """What a feed request was for, kept until its answer comes back."""

    generation: int
    mode: Mode
    title: str
    url: str
    terms: str = ""
    catalog: Catalog | None = None


def stop_title(stop: Stop) -> str:
    """The title a stop is shown by: the feed's, or "Search: …" for a search."""
    if stop.terms:
        return ui_text("Search: {terms}").format(terms=stop.terms)
    return stop.title or ui_text("(untitled)")


def _local_time(stamp: str) -> str:
    """An ISO 8601 time (UTC) as local "YYYY-MM-DD HH:MM"; the text itself when it is not one."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class Breadcrumbs(QWidget):
    """The feeds walked as a row: the root, "…" for a long walk, the last few; each feed before
    the one shown is a button back to it."""

    crumb_clicked = Signal(int)  # the position in the trail of the feed to go back to

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: list[QToolButton] = []  # the feeds walked before the one shown
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def rebuild(self, trail: list[Stop]) -> None:
        """Show `trail`, the last stop as the page shown."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.buttons = []
        positions = list(range(len(trail)))
        if len(positions) > CRUMBS_SHOWN + 1:
            positions = [0, -1, *positions[-CRUMBS_SHOWN:]]
        metrics = self.fontMetrics()
        for number, position in enumerate(positions):
            if number:
                self._layout.addWidget(QLabel("›", self))
            if position < 0:
                self._layout.addWidget(QLabel("…", self))
                continue
            title = stop_title(trail[position])
            shown = metrics.elidedText(title, Qt.TextElideMode.ElideRight, CRUMB_WIDTH)
            if position == len(trail) - 1:
                current = QLabel(shown, self)
                current.setTextFormat(Qt.TextFormat.PlainText)
                current.setToolTip(title)
                font = current.font()
                font.setBold(True)
                current.setFont(font)
                current.setAccessibleName(ui_text("Shown: {title}").format(title=title))
                self._layout.addWidget(current)
                continue
            button = QToolButton(self)
            button.setText(shown.replace("&", "&&"))
            button.setToolTip(title)
            button.setAutoRaise(True)
            button.setAccessibleName(ui_text("Back to “{title}”").format(title=title))
            button.clicked.connect(lambda _checked=False, at=position: self.crumb_clicked.emit(at))
            self.buttons.append(button)
            self._layout.addWidget(button)
        self._layout.addStretch(1)


class OfflineBanner(QLabel):
    """Which offline copy of a page is shown (hidden for a page the server just sent)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet("QLabel { background: #fff4c2; color: #3a3000; padding: 4px; }")

    def show_stop(self, stop: Stop) -> None:
        """Say which copy of `stop` is shown, or hide when it is fresh."""
        if not stop.stale:
            self.hide()
            return
        if stop.terms and not stop.pages[0].fetched_at:
            text = ui_text(
                "Found among the catalogue pages saved on this computer "
                "(the catalogue's own search could not be used)."
            )
        else:
            stamp = min((p.fetched_at for p in stop.pages if p.stale and p.fetched_at), default="")
            text = ui_text("Offline copy from {time}: the server was not asked or did not answer.")
            text = text.format(time=_local_time(stamp) if stamp else "?")
        self.setText(text)
        self.setToolTip("\n".join(n for p in stop.pages for n in p.notes))
        self.show()
