"""Whether every visible text of a window fits its widget: labels, buttons, combos, tabs, headers.

Each check measures the text with the widget's own font metrics against the room the widget
gives it (a style's sub-rectangle, or the widget's size hint where Qt computes one from the
text). A text Qt elides ("Найти в этой кн…") or cuts is a text that does not fit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QTabBar,
    QToolButton,
    QWidget,
)

#: Pixels of slack a measurement may be off by (rounding of fractional advances).
SLACK = 1


def _shown(text: str) -> str:
    """A widget text as drawn: mnemonics' ampersands dropped, ``&&`` kept as one."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _width(widget: QWidget, text: str) -> int:
    metrics = widget.fontMetrics()
    return max(metrics.horizontalAdvance(line) for line in _shown(text).split("\n"))


def _label(label: QLabel) -> list[str]:
    text = label.text()
    if not text or label.wordWrap() or GuiQt.mightBeRichText(text) or label.pixmap() is not None:
        return []
    room = label.contentsRect().width() - 2 * label.margin() - max(0, label.indent())
    if _width(label, text) > room + SLACK:
        return [f"label {text!r}: {_width(label, text)} px in {room} px"]
    return []


def _button(button: QAbstractButton) -> list[str]:
    text = button.text()
    if not text:
        return []
    if (
        isinstance(button, QToolButton)
        and button.toolButtonStyle() is Qt.ToolButtonStyle.ToolButtonIconOnly
        and not button.icon().isNull()
    ):
        return []
    if button.width() + SLACK < button.sizeHint().width():
        return [f"button {text!r}: {button.width()} px, needs {button.sizeHint().width()} px"]
    return []


def _combo(combo: QComboBox) -> list[str]:
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox,
        option,
        QStyle.SubControl.SC_ComboBoxEditField,
        combo,
    )
    room = field.width() - (4 if combo.isEditable() else 0)
    found = []
    for index in range(combo.count()):
        text = combo.itemText(index)
        if text and _width(combo, text) > room + SLACK:
            found.append(f"combo item {text!r}: {_width(combo, text)} px in {room} px")
    return found


def _line_edit(edit: QLineEdit) -> list[str]:
    text = edit.placeholderText()
    if not text or edit.text():
        return []
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    room = contents.width() - margins.left() - margins.right() - 4  # Qt's horizontal margin
    for action in edit.actions():  # the clear button and other actions take room on the side
        for shown in action.associatedObjects():
            if isinstance(shown, QWidget) and shown.parent() is edit and shown.isVisible():
                room -= shown.width()
    if _width(edit, text) > room + SLACK:
        return [f"placeholder {text!r}: {_width(edit, text)} px in {room} px"]
    return []


def _tab_bar(bar: QTabBar) -> list[str]:
    found = []
    for index in range(bar.count()):
        text = bar.tabText(index)
        if not text or not bar.isTabVisible(index):
            continue
        rect = bar.tabRect(index)
        if rect.width() + SLACK < bar.tabSizeHint(index).width():
            found.append(f"tab {text!r}: {rect.width()} px, needs {bar.tabSizeHint(index).width()}")
        elif not bar.rect().contains(rect):
            found.append(f"tab {text!r}: out of sight behind the scroll arrows")
    return found


def _header(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or header.isHidden():
        return []
    found = []
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        text = model.headerData(logical, header.orientation())
        if not text or header.orientation() is not Qt.Orientation.Horizontal:
            continue
        needed = header.sectionSizeFromContents(logical).width()
        if header.sectionSize(logical) + SLACK < needed:
            found.append(f"header {text!r}: {header.sectionSize(logical)} px, needs {needed}")
    return found


def clipped_texts(root: QWidget) -> list[str]:
    """Every visible text under ``root`` (and ``root``'s own) that does not fit its widget."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel):
            found += _label(widget)
        elif isinstance(widget, QAbstractButton):
            found += _button(widget)
        elif isinstance(widget, QComboBox):
            found += _combo(widget)
        elif isinstance(widget, QLineEdit):
            found += _line_edit(widget)
        elif isinstance(widget, QTabBar):
            found += _tab_bar(widget)
        elif isinstance(widget, QHeaderView):
            found += _header(widget)
    return found
