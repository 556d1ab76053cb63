"""Widgets that keep room for their texts when the interface language changes.

Qt sizes a combo box once, when it is first shown, and a line edit for 17 "x" whatever its
placeholder says: after a switch to Uzbek or Russian, "Barcha formatlar" or "Найти в этой
книге" would be cut. These helpers let such widgets grow with their texts.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit

# The characters QLineEdit::sizeHint() counts its text room in.
_HINT_CHARACTERS = 17


def fit_combo(combo: QComboBox) -> None:
    """Size ``combo`` to its longest item whenever its items change (a language switch too)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)


def fit_placeholder(edit: QLineEdit) -> None:
    """Keep ``edit`` at least as wide as its placeholder text needs (call after setting it).

    The room around the text (frame, margins, the clear button) is what the line edit's own
    size hint adds to its 17 characters.
    """
    metrics = edit.fontMetrics()
    around = edit.sizeHint().width() - metrics.horizontalAdvance("x") * _HINT_CHARACTERS
    needed = metrics.horizontalAdvance(edit.placeholderText()) + around + 1
    edit.setMinimumWidth(needed)
