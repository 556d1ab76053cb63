"""Two people take turns at one PC under Xvfb: "Who is reading?", a PIN, File › Switch person…,
each reading as themselves (issue 14); a screenshot of every step.

The people are made with the real command line; the program is driven by real key presses.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from tests.e2e.test_desktop import ROOT, Run, Session, _cli, _environment, _program
from tests.e2e.xdesktop import Desktop, Frame, XServer, save_png
from tests.support.samples import Samples

PIN = "2468"
CHOOSER = "^Who is reading\\? — Mutolaa$"


def _people(run: Run) -> dict[str, int]:
    listed = _cli(run.library, run.env, "profiles", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return {person["name"]: person["id"] for person in json.loads(listed.stdout)}


def _add_with_pin(run: Run, name: str) -> None:
    command = [sys.executable, "-m", "app.cli", "--library", str(run.library)]
    added = subprocess.run(
        [*command, "profiles", "add", name, "--pin"],
        cwd=ROOT,
        env=run.env,
        input=f"{PIN}\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert added.returncode == 0, added.stdout + added.stderr


def _positions(run: Run, profile: int) -> int:
    with closing(sqlite3.connect(f"file:{run.database}?mode=ro", uri=True, timeout=5)) as db:
        row = db.execute("SELECT count(*) FROM progress WHERE profile_id = ?", (profile,))
        return int(row.fetchone()[0])


def _shot(app: Session, name: str, frame: Frame) -> None:
    # not Session.shot: it counts any window but "Mutolaa" as a stranger, and the chooser is one
    path = save_png(frame, app.run.folder / f"{len(app.run.shots) + 1:02d}-{name}.png")
    app.run.shots.append((path, frame))


def _chooser(app: Session, before: Frame | None) -> Frame:
    windows = app.wait_for("the chooser to show", lambda: app.desktop.windows(CHOOSER))
    app.desktop.park_pointer()
    app.desktop.focus(windows[0])
    return app.settle("the chooser's tiles", before, quiet=1.0)


def test_two_people_take_turns_in_a_real_window(
    tmp_path: Path, samples: Samples, x_server: XServer, screenshot_dir: Path
) -> None:
    env = _environment(tmp_path / "home", x_server)
    run = Run(
        Desktop(x_server), env, tmp_path / "library", screenshot_dir, tmp_path / "output.txt", []
    )
    imported = _cli(run.library, env, "import", str(samples.txt))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    first = next(iter(_people(run)))
    assert _cli(run.library, env, "profiles", "rename", first, "Ali").returncode == 0
    _add_with_pin(run, "Vali")
    people = _people(run)

    with _program(run) as app:
        frame = _chooser(app, None)
        _shot(app, "chooser", frame)
        app.desktop.keys("Tab", "Return")  # from Ali's tile to Vali's, who has a PIN
        app.wait_for("the PIN to be asked", lambda: app.desktop.windows("^PIN$"))
        app.desktop.type(PIN)
        app.desktop.keys("Return")
        frame = app.open_window()
        _shot(app, "vali-library", frame)
        app.open_only_book("eslatma", frame)  # the one book: Vali reads it
        app.wait_for("Vali's position to be stored", lambda: _positions(run, people["Vali"]))
        frame = app.settle("Vali's book", frame)
        _shot(app, "vali-book", frame)

        app.desktop.keys("alt+f", "w")  # File › Switch person…
        frame = _chooser(app, frame)
        _shot(app, "chooser-again", frame)
        app.desktop.keys("Return")  # Ali: no PIN
        frame = app.open_window()
        _shot(app, "ali-library", frame)
        assert _positions(run, people["Ali"]) == 0  # Vali's reading is not Ali's
        app.quit()
    assert _positions(run, people["Vali"]) == 1
