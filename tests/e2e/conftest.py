"""End-to-end fixtures: a private Xvfb display and a folder of screenshots that outlives the run."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.xdesktop import APT_PACKAGES, XServer, missing_tools, start_xvfb, stop_process

SCREENSHOTS = Path(tempfile.gettempdir()) / "mutolaa-screenshots"
KEEP_RUNS = 10  # older screenshot folders are removed
_FOLDERS = pytest.StashKey[list[Path]]()


@pytest.fixture
def x_server(tmp_path: Path) -> Iterator[XServer]:
    """Our own Xvfb on a free display; stopped (by its pid) after the test, whatever happens.

    Skips, saying what to install, where Xvfb, xdotool, ImageMagick or Qt's xcb libraries are
    missing; under CI (``CI`` set), where ``.ci/test.sh`` installs them, that is a failure.
    """
    missing = missing_tools()
    if missing:
        reason = (
            f"the end-to-end test needs {', '.join(missing)}: install them with "
            f"`sudo apt-get install {APT_PACKAGES}` (bash .ci/test.sh does it when run as root)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    server = start_xvfb(tmp_path / "xvfb.log")
    try:
        yield server
    finally:
        stop_process(server.process)
    assert server.process.poll() is not None, "Xvfb is still running"


@pytest.fixture
def screenshot_dir(request: pytest.FixtureRequest) -> Path:
    """A new folder under $TMPDIR/mutolaa-screenshots/, kept after the run and reported."""
    SCREENSHOTS.mkdir(exist_ok=True)
    folder = SCREENSHOTS / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    folder.mkdir()
    old = sorted(p for p in SCREENSHOTS.iterdir() if p.is_dir() and p != folder)
    for stale in old[: max(0, len(old) - (KEEP_RUNS - 1))]:
        shutil.rmtree(stale, ignore_errors=True)
    request.config.stash.setdefault(_FOLDERS, []).append(folder)
    print(f"\nscreenshots: {folder}")
    return folder


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """Say where the screenshots are, also without ``-s``."""
    for folder in config.stash.get(_FOLDERS, []):
        terminalreporter.write_line(f"end-to-end screenshots: {folder}")
