"""The window's "Remove" obeys the administrator: refused for the others (one line in the
status bar, the book stays), done for the administrator."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from app.core.models import ImportReport
from app.core.settings import Settings
from app.library.profiles import ProfileStore
from app.services.session import Library, Session
from app.ui.window.main_window import MainWindow
from tests.support.samples import Samples

MakeLibrary = Callable[..., tuple[Library, ImportReport]]


def _window(qtbot: QtBot, library: Library, profile_id: int) -> MainWindow:
    window = MainWindow(Session(library, profile_id, Settings()))
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    window.confirm = lambda _question: True  # type: ignore[assignment]
    return window


def test_only_the_administrator_removes_a_book_from_the_window(
    qtbot: QtBot, make_library: MakeLibrary, samples: Samples
) -> None:
    library, report = make_library(samples.epub, samples.fb2)
    assert report.ok
    book = report.added[0]
    profiles = ProfileStore(library.store)
    admin = profiles.add("Opa", pin="2468", admin=True)

    other = _window(qtbot, library, library.store.first_profile_id())
    qtbot.waitUntil(lambda: other.library_panel.model.rowCount() == 2)
    removed: list[str] = []
    other.book_removed.connect(removed.append)
    other.remove_book(book.id)
    line = "only the administrator, Opa, removes books from this library"
    qtbot.waitUntil(lambda: line in other.statusBar().currentMessage(), timeout=20_000)
    assert f"mutolaa library hide {book.short_id}" in other.statusBar().currentMessage()
    assert removed == []
    assert library.store.get(book.id) is not None
    other.close()

    opa = _window(qtbot, library, admin.id)
    qtbot.waitUntil(lambda: opa.library_panel.model.rowCount() == 2)
    with qtbot.waitSignal(opa.book_removed, timeout=20_000):
        opa.remove_book(book.id)
    assert library.store.get(book.id) is None
    qtbot.waitUntil(lambda: opa.library_panel.model.rowCount() == 1)
    opa.close()
