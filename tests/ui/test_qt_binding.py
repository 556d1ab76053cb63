"""The Qt binding keeps Python's reference counts: a long session must not abort.

PySide6 6.12.0 on Python 3.11 lost a reference to ``True`` on every signal emission and one
to ``None`` on every Qt call returning nothing; after some thousands of page turns Python
deallocated ``True`` and aborted ("bool_dealloc"). pyproject.toml excludes that version;
this test fails on any version that brings the leak back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


class _Sender(QObject):
    sent = Signal(int)


def test_signals_and_calls_returning_nothing_keep_none_and_true(qtbot: QtBot) -> None:
    sender, received = _Sender(), []
    sender.sent.connect(received.append)
    label = QLabel()
    qtbot.addWidget(label)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for number in range(5000):
        sender.sent.emit(number)
        label.setText("oʻquv")
        label.hide()
    assert len(received) == 5000
    assert abs(none_before - sys.getrefcount(None)) < 50
    assert abs(true_before - sys.getrefcount(True)) < 50
