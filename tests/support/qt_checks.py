"""Checks the UI tests share: every control can be named by a screen reader; messages are one
line."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget


def unnamed(top: QWidget) -> list[str]:
    """The controls under `top` a screen reader could not name (a button's text names it; a
    field's label names the field)."""
    return [
        f"{type(w).__name__} {w.objectName()}"
        for w in [top, *top.findChildren(QWidget)]
        if isinstance(w, (QAbstractButton, QLineEdit, QLabel)) or w.focusPolicy().value
        if not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text())
        if not (isinstance(w, QLabel) and w.buddy() is not None)  # a field's label
        if w.parent() is not None
        and type(w).__name__ not in ("QScrollBar", "QWidget", "QDialogButtonBox")
    ]


def assert_one_line(text: str) -> None:
    """A message is there and is one line."""
    assert text
    assert "\n" not in text
