"""The page number box: shows and accepts a PDF's page labels (``xii``, ``A-3``) or numbers."""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QSpinBox, QWidget


class PageBox(QSpinBox):
    """A 1-based page number that reads and shows page labels where the book has them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: tuple[str, ...] = ()
        self._by_label: dict[str, int] = {}
        self.setKeyboardTracking(False)

    def set_labels(self, labels: tuple[str, ...]) -> None:
        """Use these labels (one per page; empty: plain numbers)."""
        self._labels = labels if any(labels) else ()
        self._by_label = {}
        for number, label in enumerate(self._labels, start=1):
            self._by_label.setdefault(label.casefold(), number)
        self.setValue(self.value())
        self.lineEdit().setText(self.textFromValue(self.value()))
        self.updateGeometry()

    def label(self, page: int) -> str:
        """The label of a 0-based page (its number when it has none)."""
        if 0 <= page < len(self._labels) and self._labels[page]:
            return self._labels[page]
        return str(page + 1)

    def textFromValue(self, value: int) -> str:
        """The label of page ``value`` (1-based)."""
        return self.label(value - 1)

    def valueFromText(self, text: str) -> int:
        """The page a label or a number names (a label first: a PDF may label page 5 "1")."""
        found = self._find(text)
        return found if found is not None else self.value()

    def validate(self, text: str, position: int) -> tuple[QValidator.State, str, int]:
        """Any label or number in range is acceptable; other text is still being typed."""
        if self._find(text) is not None:
            return (QValidator.State.Acceptable, text, position)
        return (QValidator.State.Intermediate, text, position)

    def _find(self, text: str) -> int | None:
        text = text.strip()
        number = self._by_label.get(text.casefold())
        if number is not None:
            return number
        if text.isdigit() and self.minimum() <= int(text) <= self.maximum():
            return int(text)
        return None
