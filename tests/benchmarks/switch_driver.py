"""A child process that opens the real window as one person and times Switch person (T14).

Run by bench_switch as::

    python -c "import time; t = time.time(); from tests.benchmarks.switch_driver import main;
               raise SystemExit(main(t))" switch LIBRARY --first NAME --to NAME --pin PIN --runs N

The window starts as `run_window` starts it (the library opened, the settings and the
interface language loaded, a `Reception`), without the rest of the command line. The first
person is chosen on "Who is reading?"; then, ``--runs`` times after one warm-up switch:
once the window has been open for ``SETTLE_SECONDS`` (as when someone has read in it), File ›
Switch person… is triggered, the tile of ``--to`` is clicked as soon as the chooser
shows the people, the PIN is typed and checked, and the time runs until the new window is
usable (shown, the first row of its library list has its data: T6's definition). The switch
back to the first person (no PIN) is timed the same way. A person's typing is not counted.

The only thing added is a timing wrapper around the PIN dialog's `choose_person` (the
scrypt check, in the window's task thread), so that the PIN check is reported apart.
Every report is one JSON line on stdout; the last one is ``{"event": "done", ...}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

STEP_TIMEOUT = 120.0
#: How long a window is left open before the switch (its MuPDF worker has started by then).
SETTLE_SECONDS = 1.5


def emit(event: str, **data: Any) -> None:
    """One JSON line for the parent."""
    print(json.dumps({"event": event, "time": time.time(), **data}), flush=True)


def main(started: float | None = None) -> int:
    """Open the window, switch person back and forth, report each switch."""
    del started
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("switch",))
    parser.add_argument("library")
    parser.add_argument("--first", required=True, help="the person the window opens for")
    parser.add_argument("--to", required=True, help="the person switched to (with a PIN)")
    parser.add_argument("--pin", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", default="", help="write a cProfile of the timed switches")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from app.core.paths import resolve_paths  # noqa: PLC0415
    from app.core.settings import load_settings  # noqa: PLC0415
    from app.services.session import Library  # noqa: PLC0415
    from app.ui.common.i18n import chosen_language, use_language  # noqa: PLC0415
    from app.ui.window.reception import Reception  # noqa: PLC0415

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Mutolaa")
    app.setOrganizationName("Mutolaa")
    paths = resolve_paths(Path(args.library))
    driver = Driver(args)
    with Library(paths) as library:
        settings = load_settings(paths.settings)
        use_language(app, settings.language or chosen_language())
        reception = Reception(library, settings)
        QTimer.singleShot(0, lambda: driver.run(reception))
        reception.start()
        try:
            app.exec()
        finally:
            reception.close()
    emit("done", ok=driver.ok, error=driver.error)
    return 0 if driver.ok else 1


class PinTimes:
    """Wraps the PIN dialog's `choose_person` to note when the check began and ended."""

    def __init__(self) -> None:
        from app.ui.people import pin_dialog  # noqa: PLC0415

        self.began = 0.0
        self.ended = 0.0
        inner = pin_dialog.choose_person

        def timed(*args: Any, **kwargs: Any) -> Any:
            self.began = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.ended = time.perf_counter()

        pin_dialog.choose_person = timed  # type: ignore[assignment]


class Driver:
    """Drives the reception once its event loop runs; quits the application at the end."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.ok = False
        self.error = ""
        self.pin = PinTimes()
        self.profiler: Any = None  # --profile: on during the timed switches, not their settling

    def run(self, reception: Any) -> None:
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415

        try:
            self._chooser_ready(reception)
            self._choose(reception, self.args.first, None)
            self._usable(reception)
            for run in range(self.args.runs + 1):  # the first is the warm-up
                if run == 1 and self.args.profile:
                    import cProfile  # noqa: PLC0415

                    self.profiler = cProfile.Profile()
                    self.profiler.enable()
                emit("switch", run=run, pin=True, parts=self.switch(reception, self.args.to))
                emit("switch", run=run, pin=False, parts=self.switch(reception, self.args.first))
            if self.profiler is not None:
                self.profiler.disable()
                self.profiler.dump_stats(self.args.profile)
            self.ok = True
        except Exception as exc:  # reported to the parent, which fails the benchmark
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            if reception.window is not None:
                reception.window.close()
            if reception.chooser is not None:
                reception.chooser.close()
            QApplication.quit()

    def wait(self, condition: Any, signals: list[Any], what: str, poll_ms: int = 0) -> None:
        from tests.benchmarks.common import wait_until  # noqa: PLC0415

        if not wait_until(condition, signals=signals, poll_ms=poll_ms, timeout=STEP_TIMEOUT):
            raise RuntimeError(f"timed out waiting for {what}")

    def _chooser_ready(self, reception: Any) -> list[Any]:
        """Wait until the chooser shows the people as read now; returns them."""
        read: list[Any] = []
        while reception.chooser is None:
            self.wait(lambda: reception.chooser is not None, [reception.chooser_shown], "chooser")
        chooser = reception.chooser
        chooser.people_read.connect(read.append)
        try:
            self.wait(lambda: bool(read), [chooser.people_read], "the people")
        finally:
            chooser.people_read.disconnect(read.append)
        return read[0]

    def _choose(self, reception: Any, name: str, pin: str | None) -> None:
        chooser = reception.chooser
        chooser.tile(name).click()
        if pin is not None:
            dialog = chooser.pin_dialog
            if dialog is None or not dialog.isVisible():
                raise RuntimeError(f"no PIN asked for {name}")
            dialog.field.setText(pin)
            dialog.check()
        self.wait(
            lambda: reception.window is not None and reception.window.isVisible(),
            [reception.window_opened],
            f"the window of {name}",
        )

    def _settle(self) -> None:
        if self.profiler is not None:
            self.profiler.disable()
        start = time.perf_counter()
        done = lambda: time.perf_counter() - start >= SETTLE_SECONDS  # noqa: E731
        self.wait(done, [], "the window to settle", poll_ms=20)
        if self.profiler is not None:
            self.profiler.enable()

    def _usable(self, reception: Any) -> int:
        """Wait until the window's library list shows its first row; the rows listed."""
        model = reception.window.library_panel.model
        loaded: list[int] = []
        model.shelf_loaded.connect(loaded.append)

        def usable() -> bool:
            if not loaded and model.rowCount() == 0:
                return False
            return model.rowCount() == 0 or model.book(0) is not None

        self.wait(usable, [model.shelf_loaded, model.dataChanged], "the first rows")
        return int(model.rowCount())

    def switch(self, reception: Any, name: str) -> dict[str, float]:
        """One switch to ``name``: File › Switch person… until their window is usable."""
        window = reception.window
        self._settle()  # a person reads a while first: the window's start-up work is done
        stamps: dict[str, float] = {}

        def on_chooser_shown() -> None:
            stamps.setdefault("chooser_shown", time.perf_counter())

        def on_switched() -> None:  # queued after Reception.switch_person: it has returned
            stamps["old_closed"] = time.perf_counter()

        reception.chooser_shown.connect(on_chooser_shown)
        window.person_switch_requested.connect(on_switched, _queued())
        person = next(p for p in reception.people if p.name == name)
        pin = self.args.pin if person.has_pin else None
        self.pin.began = self.pin.ended = 0.0
        stamps["start"] = time.perf_counter()
        window.menus.switch_person_action.trigger()
        try:
            people = self._chooser_ready(reception)
            stamps["people_shown"] = time.perf_counter()
            if not any(p.name == name for p in people):
                raise RuntimeError(f"{name} is not on the chooser")
            self._choose(reception, name, pin)
            stamps["window_shown"] = time.perf_counter()
            rows = self._usable(reception)
            stamps["usable"] = time.perf_counter()
        finally:
            reception.chooser_shown.disconnect(on_chooser_shown)
        if pin is not None:
            stamps["pin_began"], stamps["pin_ended"] = self.pin.began, self.pin.ended
        stamps["rows"] = rows
        return {
            key: value - stamps["start"] if key != "rows" else value
            for key, value in stamps.items()
        }


def _queued() -> Any:
    from PySide6.QtCore import Qt  # noqa: PLC0415

    return Qt.ConnectionType.QueuedConnection
