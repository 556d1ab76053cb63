"""The task runner hands results back on the UI thread, and not to a deleted widget."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.ui.common.tasks import TaskRunner


class _Shown(QLabel):
    def show_result(self, value: object) -> None:
        self.setText(str(value))  # raises RuntimeError once the C++ label is deleted


def test_results_come_back_on_the_ui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    label = _Shown()
    qtbot.addWidget(label)
    threads: list[threading.Thread] = []

    def work() -> int:
        threads.append(threading.current_thread())
        return 42

    runner.submit(work, label.show_result)
    qtbot.waitUntil(lambda: label.text() == "42")
    assert threads[0] is not threading.main_thread()


def test_a_widget_deleted_before_its_result_is_not_called(qtbot: QtBot, runner: TaskRunner) -> None:
    label = _Shown()
    release = threading.Event()
    seen: list[object] = []
    runner.submit(lambda: release.wait(10), label.show_result)
    runner.submit(lambda: "after", seen.append)  # a plain function is still called
    label.deleteLater()
    qtbot.waitUntil(lambda: not _alive(label))
    release.set()
    qtbot.waitUntil(lambda: seen == ["after"])


def _alive(widget: QLabel) -> bool:
    import shiboken6  # noqa: PLC0415

    return shiboken6.isValid(widget)
