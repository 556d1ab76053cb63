"""The real program under Xvfb, driven with real key presses through the library, a book and a
search, with a screenshot of every step (the folder is printed at the end of the run).

The library is made with the real command line first. Every wait is bounded and waits for
something: the screen to change and settle, the program's database to record a page, or the
mark of a search hit to appear on the page.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

from tests.conftest import DOCUMENTS
from tests.e2e.xdesktop import (
    WIDTH,
    Desktop,
    Frame,
    XServer,
    bands,
    changed,
    colour_pixels,
    save_png,
    stop_process,
    variety,
)
from tests.support import docgen
from tests.support.corpus import page_text
from tests.support.samples import Samples

ROOT = Path(__file__).resolve().parents[2]
QUERY = "qo'lyozma"  # typed with an ASCII apostrophe; the books write qoʻlyozma, qo‘lyozma, қўлёзма
FILTER = "ertak"  # Latin letters that find the Cyrillic title «Ўзбек халқ эртаклари»
TALES_TITLE = "Ўзбек халқ эртаклари"
STEP_TIMEOUT = 20.0
POLL = 0.15
# The current search hit is painted violet (140, 60, 255) at alpha 150 over the page (find marks
# take a hue no highlight colour has: app/ui/reader/page_view.py FIND_COLORS): on white, this.
HIT_MARK = (187, 140, 255)
# Rows of the screen inside the page view, below the tabs and the reader's tool bar.
WINDOW_TOP_OF_PAGE, WINDOW_BOTTOM_OF_PAGE = 150, 600
REAL_FIXTURES = ("pdf/pdfjs/tracemonkey.pdf", "pdf/pymupdf/2201.00069.pdf")

T = TypeVar("T")


@dataclass(frozen=True)
class Hit:
    """The first search hit, as the command line reports it."""

    book_id: str
    title: str
    page: int  # 0-based
    page_count: int


def _make_books(folder: Path, samples: Samples) -> list[Path]:
    """Generated books (Uzbek in both scripts, Russian, English) and a few real ones."""
    folder.mkdir()

    def filler(lang: str, seed: int) -> str:
        return page_text(lang, random.Random(seed), 1300)

    history_pages = [filler("uz", 100 + i) for i in range(12)]
    history_pages[6] = (
        "Qadimiy qoʻlyozma kutubxonada saqlanadi. Bu qoʻlyozma XV asrda koʻchirilgan. "
        + history_pages[6]
    )
    history_pages[9] = "Sharq qo‘lyozma fondi haqida. " + history_pages[9]
    tales_pages = [filler("uz-cyrl", 200 + i) for i in range(8)]
    tales_pages[2] = "Бу эртак эски қўлёзмада сақланган. " + tales_pages[2]
    books = [
        # imported first, so the oldest: the filter, not the order, puts it at the top
        docgen.make_pdf(
            folder / "ertaklar.pdf", tales_pages, title=TALES_TITLE, author="Ғайрат Тўхтаев"
        ),
        docgen.make_pdf(
            folder / "kutubxona-tarixi.pdf",
            history_pages,
            title="Kutubxona tarixi",
            author="Dilnoza Yoʻldosheva",
            toc=[(1, "Kirish", 1), (1, "Qoʻlyozmalar", 7)],
        ),
        docgen.make_book_pdf(folder / "ru.pdf", 20, "ru", seed=11),
        docgen.make_book_pdf(folder / "en.pdf", 10, "en", seed=12),
        samples.multilingual,
        samples.epub,
        samples.fb2,
    ]
    books += [DOCUMENTS / name for name in REAL_FIXTURES if (DOCUMENTS / name).is_file()]
    return books


def _environment(home: Path, server: XServer) -> dict[str, str]:
    """The program's environment: our display through xcb, and every folder in ``home``."""
    env = server.env()
    for name in ("QT_QPA_PLATFORM", "MUTOLAA_HOME", "QT_SCALE_FACTOR", "QT_SCREEN_SCALE_FACTORS"):
        env.pop(name, None)  # tests/conftest.py sets offscreen for pytest itself
    runtime = home / "runtime"
    runtime.mkdir(parents=True, mode=0o700)
    env.update(
        QT_QPA_PLATFORM="xcb",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_RUNTIME_DIR=str(runtime),
        XAUTHORITY=str(home / ".Xauthority"),
        MUTOLAA_LANGUAGE="en",
        LANG="C.UTF-8",
        PYTHONUNBUFFERED="1",
    )
    return env


def _cli(library: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--library", str(library), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _first_hit(library: Path, env: dict[str, str]) -> Hit:
    found = _cli(library, env, "search", QUERY, "--json", "--limit", "50")
    assert found.returncode == 0, found.stderr
    group = json.loads(found.stdout)["groups"][0]
    books = json.loads(_cli(library, env, "list", "--json").stdout)
    pages = next(b["page_count"] for b in books if b["id"] == group["book"]["id"])
    return Hit(group["book"]["id"], group["book"]["title"], group["hits"][0]["page"] - 1, pages)


def _book_id(library: Path, env: dict[str, str], title: str) -> str:
    books = json.loads(_cli(library, env, "list", "--json").stdout)
    return str(next(b["id"] for b in books if b["title"] == title))


def _progress(database: Path, book_id: str) -> tuple[int, float] | None:
    """(page, time stored) of where the program says this profile stopped reading a book."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as db:
        row = db.execute(
            "SELECT position, updated_at FROM progress WHERE book_id = ? "
            "AND profile_id = (SELECT min(id) FROM profiles)",
            (book_id,),
        ).fetchone()
    if row is None:
        return None
    parts = dict(part.partition("=")[::2] for part in str(row[0]).split(";"))
    assert parts.get("page", "").isdigit(), row[0]  # "page=N", maybe more after a ";"
    return int(parts["page"]), float(row[1])


def _saved_page(database: Path, book_id: str) -> int | None:
    progress = _progress(database, book_id)
    return None if progress is None else progress[0]


def _group_members(pgid: int) -> list[str]:
    """Live (not zombie) processes in a process group, as 'pid command'."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(f"{stat.parent.name} {text[text.index('(') + 1 : text.rindex(')')]}")
    return members


@dataclass
class Run:
    """What every start of the program shares: the screen, its folders, the screenshots."""

    desktop: Desktop
    env: dict[str, str]
    library: Path
    folder: Path
    output: Path  # the program's stdout and stderr, all runs
    shots: list[tuple[Path, Frame]]

    @property
    def database(self) -> Path:
        return self.library / "library.sqlite3"

    @property
    def log(self) -> Path:
        return self.library / "logs" / "mutolaa.log"


class Session:
    """One start of the program: waits, checks and screenshots while it runs."""

    def __init__(self, run: Run, process: subprocess.Popen[bytes]) -> None:
        self.run = run
        self.process = process
        self.desktop = run.desktop

    def diagnostics(self) -> str:
        """The program's output, the end of its log and the visible windows."""
        parts = []
        for name, path in (("program output", self.run.output), ("log", self.run.log)):
            text = path.read_text(errors="replace") if path.exists() else "(none)"
            parts.append(f"--- {name} (the last 3000 characters)\n{text[-3000:]}")
        try:
            parts.append(f"--- visible windows: {self.desktop.window_names()}")
        except (RuntimeError, subprocess.SubprocessError) as error:
            parts.append(f"--- visible windows: unknown ({error})")
        return "\n".join(parts)

    def fail(self, what: str) -> NoReturn:
        """Fail the test with a screenshot of the moment and what the program said."""
        where = ""
        try:
            name = f"FAILED-{len(self.run.shots) + 1:02d}.png"
            where = f"; the screen is in {save_png(self.desktop.grab(), self.run.folder / name)}"
        except (RuntimeError, OSError, subprocess.SubprocessError):
            pass
        pytest.fail(f"{what}{where}\n{self.diagnostics()}", pytrace=False)

    def check_alive(self) -> None:
        """The program must still run, and show no window but its own."""
        status = self.process.poll()
        if status is not None:
            self.fail(f"the program exited with status {status}")
        strangers = [name for name in self.desktop.window_names() if name != "Mutolaa"]
        if strangers:
            self.fail(f"unexpected windows: {strangers}")

    def wait_for(
        self,
        what: str | Callable[[], str],
        condition: Callable[[], T | None],
        timeout: float = STEP_TIMEOUT,
    ) -> T:
        """Poll ``condition`` until it gives something true, for ``timeout`` seconds at most."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                self.check_alive()
            result = condition()
            if result:
                return result
            if time.monotonic() > deadline:
                self.fail(f"waited {timeout:.0f} s for {what if isinstance(what, str) else what()}")
            time.sleep(POLL)

    def wait_for_page(self, book_id: str, page: int, after: float = 0.0) -> None:
        """Wait until the program stores ``page`` (0-based) as where the book was left.

        It stores it once the page is drawn; ``after`` asks for a store later than that time.
        """
        seen: list[tuple[int, float] | None] = [None]

        def stored() -> bool:
            seen[0] = progress = _progress(self.run.database, book_id)
            return progress is not None and progress[0] == page and progress[1] > after

        self.wait_for(lambda: f"page {page + 1} to be stored (stored: {seen[0]})", stored)

    def settle(self, what: str, changed_from: Frame | None = None, quiet: float = 0.6) -> Frame:
        """Wait until the screen differs from ``changed_from``, then stays the same ``quiet`` s."""
        previous: Frame | None = None
        since = time.monotonic()

        def settled() -> Frame | None:
            nonlocal previous, since
            frame = self.desktop.grab()
            if previous is None or changed(previous, frame):
                since = time.monotonic()
            previous = frame
            moved = changed_from is None or changed(changed_from, frame)
            return frame if moved and time.monotonic() - since >= quiet else None

        return self.wait_for(what, settled)

    def shot(self, name: str, frame: Frame) -> Frame:
        """Keep a screenshot, after checking that it shows something, and something new."""
        self.check_alive()
        shots = self.run.shots
        colours, commonest = variety(frame)
        path = save_png(frame, self.run.folder / f"{len(shots) + 1:02d}-{name}.png")
        print(f"  {path.name}: {colours} colours sampled, the commonest on {commonest:.0%}")
        if colours < 8 or commonest > 0.9:
            self.fail(f"{path.name} is (nearly) uniform: {colours} colours, {commonest:.0%}")
        if shots and not changed(shots[-1][1], frame):
            self.fail(f"{path.name} shows the same as {shots[-1][0].name}")
        shots.append((path, frame))
        return frame

    def open_window(self) -> Frame:
        """Wait for the window, give it the keyboard, and wait for its first settled look."""
        windows = self.wait_for("the window to show", lambda: self.desktop.windows("^Mutolaa$"))
        self.desktop.park_pointer()
        self.desktop.focus(windows[0])
        return self.settle("the library list", quiet=1.0)  # the rows come from a thread

    def open_only_book(self, text: str, frame: Frame) -> Frame:
        """Type ``text`` into the library filter, which must leave one book, and double-click it.

        The book's row is found on the screen as what goes away when one more letter makes
        the filter match nothing. Returns the screen with the one book listed.
        """
        self.desktop.type(text)
        one = self.settle(f"the library filtered by {text!r}", frame)
        self.desktop.type("q")  # no title or author has "tarixq" or "ertakq"
        none = self.settle("the library with no book shown", one)
        self.desktop.keys("BackSpace")
        again = self.settle("the book listed again", none)
        if changed(one, again):
            self.fail("the list filtered the same way shows something else")
        rows = bands(one, none)
        if not rows:
            self.fail(f"no book row to open found by filtering for {text!r}")
        x0, y0, _x1, y1 = max(rows, key=lambda box: box[2] - box[0])  # the row: the widest
        self.desktop.double_click(x0 + 4, (y0 + y1) // 2)
        self.desktop.park_pointer()
        return one

    def quit(self) -> None:
        """Ctrl+Q: the program must exit with status 0 and leave no process behind."""
        self.desktop.keys("ctrl+q")
        try:
            status = self.process.wait(timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail("the program did not exit within 20 s of Ctrl+Q")
        if status != 0:
            self.fail(f"the program exited with status {status}")
        # its MuPDF worker and multiprocessing helpers go with it
        deadline = time.monotonic() + STEP_TIMEOUT
        while _group_members(self.process.pid) and time.monotonic() < deadline:
            time.sleep(POLL)
        left = _group_members(self.process.pid)
        assert not left, f"the program left processes running: {left}"


@contextmanager
def _program(run: Run) -> Iterator[Session]:
    """Start the program's window on the library; end all of its processes afterwards."""
    log_start = run.log.stat().st_size if run.log.exists() else 0
    with run.output.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "--library", str(run.library)],
            cwd=ROOT,
            env=run.env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: its helpers are found and ended
        )
    try:
        yield Session(run, process)
    finally:
        _end_process_group(process)
    with run.log.open(encoding="utf-8", errors="replace") as lines:
        lines.seek(log_start)
        logged = lines.read()
    bad = [line for line in logged.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert not bad, logged
    assert "Traceback" not in logged, logged


def _end_process_group(process: subprocess.Popen[bytes]) -> None:
    """Whatever happened, leave none of the program's processes running."""
    stop_process(process)
    for _ in range(50):
        if not _group_members(process.pid):
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def test_library_book_and_search_in_a_real_window(
    tmp_path: Path, samples: Samples, x_server: XServer, screenshot_dir: Path
) -> None:
    started = time.monotonic()
    env = _environment(tmp_path / "home", x_server)
    run = Run(
        Desktop(x_server), env, tmp_path / "library", screenshot_dir, tmp_path / "output.txt", []
    )
    imported = _cli(run.library, env, "import", *map(str, _make_books(tmp_path / "b", samples)))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    hit = _first_hit(run.library, env)
    tales = _book_id(run.library, env, TALES_TITLE)
    assert hit.page > 0, "the best hit should be past the first page, where a book opens anyway"
    assert _progress(run.database, hit.book_id) is None
    assert _progress(run.database, tales) is None
    print(f"\nfirst hit for {QUERY!r}: {hit.title!r}, page {hit.page + 1} of {hit.page_count}")

    with _program(run) as app:
        end_of_book = _browse(app, hit, tales)
        app.quit()

    # where this profile stopped in each book, as the program stored it
    assert _saved_page(run.database, hit.book_id) == hit.page_count - 1
    assert _saved_page(run.database, tales) == 0

    with _program(run) as app:
        _reopen(app, hit, end_of_book)
        app.quit()

    output = run.output.read_text(errors="replace")
    assert "Traceback" not in output, output
    if output.strip():
        print(f"the program's output:\n{output}")
    print(f"screenshots in {screenshot_dir} ({time.monotonic() - started:.1f} s)")


def _browse(app: Session, hit: Hit, tales: str) -> Frame:
    """Library, filter, a book, a search, its first hit, paging: a screenshot of each step.

    Returns the screen at the end of the book.
    """
    desktop = app.desktop
    frame = app.shot("library", app.open_window())

    # the filter box has the keyboard when the window opens; Latin letters find a Cyrillic title
    # (which is then the only book in the list); a double-click on it opens it
    frame = app.shot("library-filtered", app.open_only_book(FILTER, frame))
    app.wait_for_page(tales, 0)
    frame = app.shot("book-from-library", app.settle("the book on screen", frame))

    # back to the library tab, search every book with Ctrl+F
    desktop.keys("ctrl+Tab")
    frame = app.settle("the library tab", frame)
    desktop.keys("ctrl+f")
    desktop.type(QUERY)
    desktop.keys("Return")
    # a longer quiet time: "Searching…" shows first, the results come from a background thread
    frame = app.shot("search-results", app.settle("the search results", frame, quiet=1.2))

    # into the results; the first book is current, Down is its first page; Return opens it
    desktop.keys("Tab", "Down", "Return")
    app.wait_for_page(hit.book_id, hit.page)
    app.wait_for(
        "the search hit to be marked on the page",
        lambda: colour_pixels(desktop.grab(), HIT_MARK) >= 150,
    )
    frame = app.settle("the page with its marked hit", frame)
    marked = colour_pixels(frame, HIT_MARK)
    assert marked >= 150, f"the current hit is not marked ({marked} pixels of its colour)"
    frame = app.shot("book-at-hit", frame)

    desktop.keys("Next", "Next", "Next")
    app.wait_for_page(hit.book_id, min(hit.page + 3, hit.page_count - 1))
    frame = app.shot("page-down", app.settle("the page after Page Down", frame))

    desktop.keys("End")
    app.wait_for_page(hit.book_id, hit.page_count - 1)
    end_of_book = app.shot("end-of-book", app.settle("the last page on screen", frame))

    desktop.keys("ctrl+Tab")  # from the last tab round to the library
    app.shot("library-again", app.settle("the library tab again", end_of_book))
    return end_of_book


def _reopen(app: Session, hit: Hit, end_of_book: Frame) -> None:
    """A new start: the book opened from the library shows the page where it was left."""
    frame = app.open_window()
    stored = _progress(app.run.database, hit.book_id)
    assert stored is not None
    frame = app.open_only_book("tarix", frame)  # only «Kutubxona tarixi» has it in its title
    app.wait_for_page(hit.book_id, hit.page_count - 1, after=stored[1])
    frame = app.shot("reopened-where-it-stopped", app.settle("the book reopened", frame))
    # the page itself (below the tabs and the reader's tool bar) looks as when it was left
    rows = slice(WINDOW_TOP_OF_PAGE * WIDTH * 3, WINDOW_BOTTOM_OF_PAGE * WIDTH * 3)
    assert frame[rows] == end_of_book[rows], (
        "the reopened book does not show the page it was left at"
    )
