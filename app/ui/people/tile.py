"""A person's tile in the chooser: initials in a coloured circle, the name, a lock for a PIN."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QLineF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QWidget

from app.library.profiles import Profile
from app.ui.common.i18n import ui_text

# Colours of the circles, dark enough for white initials; a name always gets the same one.
CIRCLE_COLOURS = ("#1f6f8b", "#8e44ad", "#c0392b", "#27764a", "#b9770e", "#2e4053", "#a04000")
CIRCLE = 72
TILE = QSize(132, 124)


def initials(name: str) -> str:
    """Up to two letters for a name: the first of its first two words (``Ali Vali`` → ``AV``)."""
    words = [word for word in name.split() if word[:1].isalnum()] or name.split()
    return "".join(word[0] for word in words[:2]).upper() or "?"


def circle_colour(name: str) -> QColor:
    """The colour of a name's circle (the same in every run: not Python's salted hash)."""
    index = zlib.crc32(name.casefold().encode("utf-8")) % len(CIRCLE_COLOURS)
    return QColor(CIRCLE_COLOURS[index])


class PersonTile(QAbstractButton):
    """One person, as a button the chooser reacts to."""

    def __init__(self, person: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person = person
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setText(person.name)
        self.setToolTip(person.name)
        self.retranslate()

    @property
    def locked(self) -> bool:
        """Whether the tile shows the lock (the person has a PIN)."""
        return self.person.has_pin

    def retranslate(self) -> None:
        """The name read aloud, with the lock said in words."""
        name = self.person.name
        self.setAccessibleName(
            ui_text("{name}, protected by a PIN").format(name=name) if self.locked else name
        )

    def sizeHint(self) -> QSize:
        return TILE

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter chooses, as Space does for any button: a keyboard alone reaches everyone
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        if self.hasFocus() or self.underMouse():
            painter.setPen(QPen(palette.highlight().color(), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 8, 8)
        circle = QRectF((self.width() - CIRCLE) / 2, 8, CIRCLE, CIRCLE)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(circle_colour(self.person.name))
        painter.drawEllipse(circle)
        font = QFont(self.font())
        font.setPixelSize(CIRCLE * 2 // 5)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, initials(self.person.name))
        if self.locked:
            _draw_lock(painter, QRectF(circle.right() - 20, circle.bottom() - 24, 22, 26))
        painter.setFont(self.font())
        painter.setPen(palette.windowText().color())
        below = QRectF(
            4, circle.bottom() + 6, self.width() - 8, self.height() - circle.bottom() - 8
        )
        shown = painter.fontMetrics().elidedText(
            self.person.name, Qt.TextElideMode.ElideRight, int(below.width())
        )
        painter.drawText(below, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, shown)
        painter.end()


def _draw_lock(painter: QPainter, box: QRectF) -> None:
    """A padlock in ``box``: a shackle over a body, dark on a light badge (no emoji font needed)."""
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#fdfefe"))
    painter.drawRoundedRect(box, 5, 5)
    body = QRectF(
        box.left() + 4, box.top() + box.height() * 0.45, box.width() - 8, box.height() * 0.45
    )
    shackle = QRectF(body.left() + 3, box.top() + 3, body.width() - 6, box.height() * 0.55)
    painter.setPen(QPen(QColor("#2c3e50"), 2.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(shackle, 0, 180 * 16)
    middle = shackle.center().y()
    painter.drawLine(QLineF(shackle.left(), middle, shackle.left(), body.top()))
    painter.drawLine(QLineF(shackle.right(), middle, shackle.right(), body.top()))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#2c3e50"))
    painter.drawRoundedRect(body, 2, 2)
    painter.restore()
