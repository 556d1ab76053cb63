"""A real X display for end-to-end tests: a private Xvfb, xdotool input, screenshots.

Screens are grabbed as raw RGB with ImageMagick's ``import`` (about 50 ms) and compared in
Python; only the screenshots that are kept are written as PNG (with Qt's QImage, which
needs no QApplication).
"""

from __future__ import annotations

import ctypes.util
import os
import re
import select
import shutil
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QImage

WIDTH, HEIGHT = 1280, 800
# What a fresh Debian machine lacks for this test (see .ci/test.sh, which installs them).
APT_PACKAGES = (
    "xvfb xauth imagemagick xdotool fonts-dejavu-core libx11-xcb1 libxcb-cursor0 libxcb-icccm4 "
    "libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0"
)
_TOOLS = (("Xvfb", "xvfb"), ("xdotool", "xdotool"), ("import", "imagemagick"))
# Qt's xcb platform plugin loads these; without them the program aborts at start.
_XCB_LIBS = (
    "xcb-cursor",
    "xcb-icccm",
    "xcb-image",
    "xcb-keysyms",
    "xcb-render-util",
    "xkbcommon-x11",
)
# A text cursor blinks: a change this small (in pixels) is not a change of the screen.
CARET_WIDTH, CARET_HEIGHT = 6, 40

Frame = bytes  # a whole screen, RGB888, WIDTH x HEIGHT


def missing_tools() -> list[str]:
    """The programs and libraries this test needs that are not installed."""
    missing = [f"{tool} ({package})" for tool, package in _TOOLS if shutil.which(tool) is None]
    missing += [f"lib{name}" for name in _XCB_LIBS if ctypes.util.find_library(name) is None]
    return missing


@dataclass
class XServer:
    """A running Xvfb and the display it serves."""

    display: str
    process: subprocess.Popen[bytes]

    def env(self) -> dict[str, str]:
        """The environment for X clients of this display (and of no other)."""
        env = dict(os.environ)
        env.pop("WAYLAND_DISPLAY", None)
        env["DISPLAY"] = self.display
        return env


def start_xvfb(log: Path, timeout: float = 15.0) -> XServer:
    """Start Xvfb on the first free display number (``-displayfd``) and wait until it serves."""
    read_end, write_end = os.pipe()
    with log.open("wb") as out:
        try:
            process = subprocess.Popen(
                [
                    "Xvfb",
                    "-displayfd",
                    str(write_end),
                    "-screen",
                    "0",
                    f"{WIDTH}x{HEIGHT}x24",
                    "-nolisten",
                    "tcp",
                    "-noreset",
                ],
                pass_fds=(write_end,),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            os.close(write_end)
    try:
        number = _read_line(read_end, process, timeout)
    except BaseException:
        stop_process(process)
        raise
    finally:
        os.close(read_end)
    if not number.isdigit():
        stop_process(process)
        raise RuntimeError(f"Xvfb did not give a display number: {log.read_text()!r}")
    return XServer(f":{number}", process)


def _read_line(fd: int, process: subprocess.Popen[bytes], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or process.poll() is not None:
            break
        ready, _, _ = select.select([fd], [], [], min(left, 0.2))
        if ready:
            chunk = os.read(fd, 64)
            if not chunk:
                break
            data += chunk
    return data.decode("ascii", "replace").strip()


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate a process we started (by its pid), killing it when it does not stop."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class Desktop:
    """Keys, typing and screen grabs on one X display."""

    def __init__(self, server: XServer) -> None:
        self._env = server.env()

    def _xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args],
            env=self._env,
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
        if done.returncode != 0 and args[0] != "search":
            raise RuntimeError(f"xdotool {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def windows(self, name: str = "") -> list[str]:
        """Ids of the visible windows whose name matches the regular expression ``name``."""
        return self._xdotool("search", "--onlyvisible", "--name", name).split()

    def window_names(self) -> list[str]:
        """Names of every visible window that has a name."""
        names = []
        for window in self.windows("."):
            names.append(self._xdotool("getwindowname", window).strip())
        return names

    def focus(self, window: str) -> None:
        """Give a window the keyboard (there is no window manager to do it)."""
        self._xdotool("windowfocus", "--sync", window)

    def park_pointer(self) -> None:
        """Move the mouse pointer off the window, so that no tooltip shows."""
        self._xdotool("mousemove", str(WIDTH - 1), str(HEIGHT - 1))

    def double_click(self, x: int, y: int) -> None:
        """Double-click the left button at a point of the screen."""
        self._xdotool("mousemove", "--sync", str(x), str(y))
        self._xdotool("click", "--repeat", "2", "--delay", "120", "1")

    def keys(self, *keys: str) -> None:
        """Press and release keys (X keysym names, ``ctrl+f``) as real input events."""
        self._xdotool("key", "--clearmodifiers", "--delay", "60", *keys)

    def type(self, text: str) -> None:
        """Type text on the keyboard."""
        self._xdotool("type", "--clearmodifiers", "--delay", "60", "--", text)

    def grab(self) -> Frame:
        """The whole screen, as raw RGB."""
        done = subprocess.run(
            ["import", "-window", "root", "-depth", "8", "rgb:-"],
            env=self._env,
            capture_output=True,
            timeout=15,
            check=True,
        )
        if len(done.stdout) != WIDTH * HEIGHT * 3:
            raise RuntimeError(
                f"import gave {len(done.stdout)} bytes for a {WIDTH}x{HEIGHT} screen"
            )
        return done.stdout


def save_png(frame: Frame, path: Path) -> Path:
    """Write a screen grab as a PNG file."""
    image = QImage(frame, WIDTH, HEIGHT, WIDTH * 3, QImage.Format.Format_RGB888).copy()
    if not image.save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def difference(a: Frame, b: Frame) -> tuple[int, int, int, int] | None:
    """The box (x0, y0, x1, y1) holding every pixel that differs, or None when equal."""
    stride = WIDTH * 3
    rows = [
        y
        for y in range(HEIGHT)
        if a[y * stride : (y + 1) * stride] != b[y * stride : (y + 1) * stride]
    ]
    if not rows:
        return None
    if rows[-1] - rows[0] >= CARET_HEIGHT:
        return (0, rows[0], WIDTH, rows[-1] + 1)  # a large change: its width does not matter
    columns = [
        x
        for y in rows
        for x in range(WIDTH)
        if a[y * stride + 3 * x : y * stride + 3 * x + 3]
        != b[y * stride + 3 * x : y * stride + 3 * x + 3]
    ]
    return (min(columns), rows[0], max(columns) + 1, rows[-1] + 1)


def bands(a: Frame, b: Frame) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of the horizontal bands of the screen that differ."""
    stride = WIDTH * 3
    rows = [
        y
        for y in range(HEIGHT)
        if a[y * stride : (y + 1) * stride] != b[y * stride : (y + 1) * stride]
    ]
    found = []
    while rows:
        end = 0
        while end + 1 < len(rows) and rows[end + 1] - rows[end] <= 2:
            end += 1
        band, rows = rows[: end + 1], rows[end + 1 :]
        columns = [
            x
            for x in range(WIDTH)
            if any(
                a[y * stride + 3 * x : y * stride + 3 * x + 3]
                != b[y * stride + 3 * x : y * stride + 3 * x + 3]
                for y in band
            )
        ]
        found.append((min(columns), band[0], max(columns) + 1, band[-1] + 1))
    return found


def changed(a: Frame, b: Frame) -> bool:
    """Whether the screen changed by more than a blinking text cursor."""
    box = difference(a, b)
    if box is None:
        return False
    x0, y0, x1, y1 = box
    return x1 - x0 > CARET_WIDTH or y1 - y0 > CARET_HEIGHT


def colour_pixels(frame: Frame, rgb: tuple[int, int, int], tolerance: int = 3) -> int:
    """How many pixels are within ``tolerance`` of the colour ``rgb`` in every channel."""
    classes = b"".join(
        b"[\\x%02x-\\x%02x]" % (max(0, c - tolerance), min(255, c + tolerance)) for c in rgb
    )
    return sum(1 for m in re.finditer(b"(?=" + classes + b")", frame) if m.start() % 3 == 0)


def variety(frame: Frame, step: int = 5) -> tuple[int, float]:
    """(distinct colours, share of the commonest colour) over a grid of sampled pixels."""
    stride = WIDTH * 3
    samples = Counter(
        frame[y * stride + 3 * x : y * stride + 3 * x + 3]
        for y in range(0, HEIGHT, step)
        for x in range(0, WIDTH, step)
    )
    return len(samples), samples.most_common(1)[0][1] / sum(samples.values())
