"""Who is reading?: the chooser at start, PINs, adding a person, switching person, the idle
return (issue 14); a real library, real PINs (scrypt), the real window."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from pytestqt.qtbot import QtBot

from app.core.models import Anchor, AnnotationKind, ImportReport
from app.core.settings import Settings, load_settings
from app.library.annotations import AnnotationStore
from app.library.profiles import Profile, ProfileStore
from app.services.session import Library
from app.ui.common.i18n import interface_language
from app.ui.people.chooser import PersonChooser
from app.ui.people.tile import initials
from app.ui.window.main_window import MainWindow
from app.ui.window.reception import Reception
from tests.support.samples import Samples

PIN = "2468"
TIMEOUT = 15_000


@pytest.fixture
def book_library(
    make_library: Callable[..., tuple[Library, ImportReport]], samples: Samples
) -> tuple[Library, str]:
    """A library with one book; its one person (named after the OS user) is renamed Ali."""
    library, report = make_library(samples.txt)
    profiles = ProfileStore(library.store)
    profiles.rename(profiles.list()[0].id, "Ali")
    return library, report.added[0].id


@pytest.fixture
def reception(qtbot: QtBot) -> Iterator[Callable[..., Reception]]:
    """Make a reception on a library; its window and chooser closed after the test."""
    made: list[Reception] = []

    def make(library: Library, settings: Settings | None = None) -> Reception:
        desk = Reception(library, settings or Settings(idle_minutes=0))
        made.append(desk)
        return desk

    yield make
    closed = []
    for desk in made:
        if desk.idle is not None:
            desk.idle.stop()
        for widget in (desk.window, desk.chooser):
            if widget is not None:
                widget.close()
                closed.append(widget)
        desk.close()
    QCoreApplication.sendPostedEvents()  # the results of work done before the close, first
    for widget in closed:
        widget.deleteLater()  # by Qt while referenced here, as the reception does
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _add(library: Library, name: str, pin: str | None = None, admin: bool = False) -> Profile:
    return ProfileStore(library.store).add(name, pin=pin, admin=admin)


def _chooser(qtbot: QtBot, desk: Reception, people: int) -> PersonChooser:
    qtbot.waitUntil(lambda: desk.chooser is not None and len(desk.chooser.tiles) == people)
    assert desk.chooser is not None
    qtbot.waitUntil(desk.chooser.isVisible)
    return desk.chooser


def _unlock(qtbot: QtBot, chooser: PersonChooser, name: str, pin: str) -> None:
    qtbot.mouseClick(chooser.tile(name), Qt.MouseButton.LeftButton)
    dialog = chooser.pin_dialog
    assert dialog is not None
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.field, pin)
    dialog.check()


def _open_as(qtbot: QtBot, desk: Reception, name: str, pin: str | None = None) -> MainWindow:
    chooser = _chooser(qtbot, desk, len(desk.people) or 2)
    with qtbot.waitSignal(desk.window_opened, timeout=TIMEOUT) as opened:
        if pin is None:
            qtbot.mouseClick(chooser.tile(name), Qt.MouseButton.LeftButton)
        else:
            _unlock(qtbot, chooser, name, pin)
    window = opened.args[0]
    assert isinstance(window, MainWindow)
    return window


def test_two_people_are_tiles_with_a_lock_on_the_protected_one(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    _add(library, "Vali Karimov", PIN)
    desk = reception(library)
    desk.start()
    chooser = _chooser(qtbot, desk, 2)
    assert [tile.person.name for tile in chooser.tiles] == ["Ali", "Vali Karimov"]
    assert not chooser.tile("Ali").locked
    assert chooser.tile("Vali Karimov").locked
    assert chooser.tile("Vali Karimov").accessibleName() == "Vali Karimov, protected by a PIN"
    assert initials("Vali Karimov") == "VK"
    assert initials("ali") == "A"
    assert not chooser.tile("Ali").grab().isNull()  # the painting runs
    assert desk.window is None


def test_a_wrong_pin_is_one_line_and_opens_nothing(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    _add(library, "Vali", PIN)
    desk = reception(library)
    desk.start()
    chooser = _chooser(qtbot, desk, 2)
    _unlock(qtbot, chooser, "Vali", "1111")
    dialog = chooser.pin_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.buttons.isEnabled())
    assert dialog.error.text() == "wrong PIN for Vali"
    assert dialog.isVisible()
    assert dialog.field.text() == ""
    assert desk.window is None


def test_the_growing_wait_is_shown_as_the_store_says(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    vali = _add(library, "Vali", PIN)
    profiles = ProfileStore(library.store)
    for _ in range(3):
        with pytest.raises(Exception, match="wrong PIN"):
            profiles.check_pin(vali.id, "0000")
    desk = reception(library)
    desk.start()
    chooser = _chooser(qtbot, desk, 2)
    _unlock(qtbot, chooser, "Vali", PIN)  # the right one, but during the wait
    dialog = chooser.pin_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.error.isVisible)
    assert dialog.error.text().startswith("too many wrong PINs for Vali; try again in ")
    assert desk.window is None


def test_the_right_pin_opens_the_window_as_that_person(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    vali = _add(library, "Vali", PIN)
    desk = reception(library)
    desk.start()
    window = _open_as(qtbot, desk, "Vali", PIN)
    assert window.session.profile_id == vali.id
    assert window.isVisible()
    assert desk.chooser is not None
    assert not desk.chooser.isVisible()


def test_the_keyboard_alone_chooses_a_person(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    vali = _add(library, "Vali", PIN)
    desk = reception(library)
    desk.start()
    chooser = _chooser(qtbot, desk, 2)
    chooser.activateWindow()
    qtbot.waitUntil(lambda: chooser.focusWidget() is chooser.tile("Ali"))  # the first person
    qtbot.keyClick(chooser.focusWidget(), Qt.Key.Key_Tab)
    assert chooser.focusWidget() is chooser.tile("Vali")
    qtbot.keyClick(chooser.tile("Vali"), Qt.Key.Key_Return)
    dialog = chooser.pin_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.field, "24x68")  # the field takes digits only
    assert dialog.field.text() == PIN
    with qtbot.waitSignal(desk.window_opened, timeout=TIMEOUT) as opened:
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert opened.args[0].session.profile_id == vali.id


def test_one_person_without_a_pin_never_sees_the_chooser(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    desk = reception(library)
    with qtbot.waitSignal(desk.window_opened, timeout=TIMEOUT) as opened:
        desk.start()
    assert opened.args[0].session.profile_id == ProfileStore(library.store).named("Ali").id
    assert desk.chooser is None


def test_one_person_with_a_pin_is_asked_it(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    ali = ProfileStore(library.store).named("Ali")
    ProfileStore(library.store).set_pin(ali.id, PIN)
    desk = reception(library)
    desk.start()
    chooser = _chooser(qtbot, desk, 1)
    assert chooser.tile("Ali").locked
    assert desk.window is None


def test_switching_person_closes_the_window_and_hides_the_notes_of_the_first(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, book_id = book_library
    ali = ProfileStore(library.store).named("Ali")
    vali = _add(library, "Vali", PIN)
    notes = AnnotationStore(library.store)
    for person, quote in ((ali, "Alining belgisi"), (vali, "Valining belgisi")):
        notes.create(
            book_id, AnnotationKind.HIGHLIGHT, Anchor(page=0), quote=quote, profile_id=person.id
        )
    desk = reception(library)
    desk.start()
    first = _open_as(qtbot, desk, "Ali")
    listed = first.show_annotations()
    qtbot.waitUntil(lambda: len(listed.panel.model.rows()) == 1, timeout=TIMEOUT)
    assert listed.panel.model.rows()[0].quote == "Alining belgisi"

    assert first.menus.switch_person_action in first.menus.file_menu.actions()
    with qtbot.waitSignal(desk.chooser_shown, timeout=TIMEOUT):
        first.menus.switch_person_action.trigger()
    assert not first.isVisible()
    assert desk.window is None
    second = _open_as(qtbot, desk, "Vali", PIN)
    assert second is not first
    assert second.session.profile_id == vali.id
    theirs = second.show_annotations()
    qtbot.waitUntil(lambda: len(theirs.panel.model.rows()) >= 1, timeout=TIMEOUT)
    assert [row.quote for row in theirs.panel.model.rows()] == ["Valining belgisi"]
    assert library.store.secrets.held(vali.id) is not None  # her PIN opened her secrets
    with qtbot.waitSignal(desk.chooser_shown, timeout=TIMEOUT):
        second.menus.switch_person_action.trigger()
    assert library.store.secrets.held(vali.id) is None  # and they closed when she left


def test_switching_person_ends_the_old_windows_worker_off_the_ui_thread(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book_id = book_library
    _add(library, "Vali")
    desk = reception(library)
    desk.start()
    first = _open_as(qtbot, desk, "Ali")
    worker = first._render_worker
    qtbot.waitUntil(lambda: worker._process is not None, timeout=TIMEOUT)  # started
    ended_on: list[threading.Thread] = []
    close = worker.close

    def close_noting_the_thread() -> None:
        ended_on.append(threading.current_thread())
        close()

    worker.close = close_noting_the_thread  # type: ignore[method-assign]
    with qtbot.waitSignal(desk.chooser_shown, timeout=TIMEOUT):
        first.menus.switch_person_action.trigger()
    qtbot.waitUntil(lambda: bool(ended_on) and worker._process is None, timeout=TIMEOUT)
    assert ended_on != [threading.main_thread()]  # the chooser did not wait for the process


def test_the_window_returns_to_the_chooser_when_nobody_touches_it(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    _add(library, "Vali")
    desk = reception(library, Settings(idle_minutes=0.005))  # 0.3 s
    desk.start()
    window = _open_as(qtbot, desk, "Ali")
    assert desk.idle is not None
    assert desk.idle.active
    with qtbot.waitSignal(desk.chooser_shown, timeout=TIMEOUT):
        pass
    assert not window.isVisible()
    assert desk.window is None
    assert desk.chooser is not None
    assert desk.chooser.isVisible()


def test_typing_keeps_the_window_and_alone_it_never_returns(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    desk = reception(library, Settings(idle_minutes=0.005))
    with qtbot.waitSignal(desk.window_opened, timeout=TIMEOUT):
        desk.start()
    assert desk.idle is None  # one person: nobody else could come to this window
    qtbot.wait(600)
    assert desk.window is not None
    assert desk.window.isVisible()

    _add(library, "Vali")
    typing = reception(library, Settings(idle_minutes=0.01))  # 0.6 s
    typing.start()
    window = _open_as(qtbot, typing, "Ali")
    window.library_panel.filter_box.setFocus()
    for _ in range(6):  # 1.2 s of someone typing, a key every 0.2 s (as the system sends keys)
        qtbot.keyClick(window.windowHandle(), Qt.Key.Key_A)
        qtbot.wait(200)
    assert typing.window is window
    assert window.isVisible()


def test_adding_a_person_asks_the_administrators_pin(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    _add(library, "Opa", "13579", admin=True)
    desk = reception(library)
    desk.start()
    chooser = _chooser(qtbot, desk, 2)
    dialog = chooser.add_person()
    assert dialog.admin_pin.isVisibleTo(dialog)
    dialog.name.setText("Zilola")
    dialog.pin.setText("1234")
    dialog.pin_again.setText("1243")
    dialog.submit()
    assert dialog.error.text() == "The two PINs differ."
    dialog.pin_again.setText("1234")
    dialog.admin_pin.setText("99999")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.text() == "wrong PIN for Opa", timeout=TIMEOUT)
    dialog.admin_pin.setText("13579")
    dialog.submit()
    qtbot.waitUntil(lambda: len(chooser.tiles) == 3, timeout=TIMEOUT)
    assert chooser.tile("Zilola").locked


def test_adding_a_person_without_an_administrator_needs_no_pin(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    _add(library, "Vali", PIN)
    desk = reception(library)
    desk.start()
    chooser = _chooser(qtbot, desk, 2)
    dialog = chooser.add_person()
    assert not dialog.admin_pin.isVisibleTo(dialog)
    dialog.name.setText("vali")
    dialog.submit()
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert dialog.error.text() == "'Vali' is already a person of this library"
    dialog.name.setText("Zilola")
    dialog.submit()
    qtbot.waitUntil(lambda: len(chooser.tiles) == 3, timeout=TIMEOUT)
    assert not chooser.tile("Zilola").locked


def _set_in_dialog(qtbot: QtBot, window: MainWindow, language: str, zoom: int) -> None:
    """Choose the interface language and the zoom in the settings dialog, OK, saved."""
    dialog = window.edit_settings()
    dialog.language.setCurrentIndex(dialog.language.findData(language))
    dialog.zoom.setValue(zoom)
    with qtbot.waitSignal(window.settings_saved, timeout=TIMEOUT):
        dialog.accept()


def _switch(qtbot: QtBot, desk: Reception, window: MainWindow) -> None:
    with qtbot.waitSignal(desk.chooser_shown, timeout=TIMEOUT):
        window.menus.switch_person_action.trigger()


def test_each_person_gets_their_own_settings_back(
    qtbot: QtBot, book_library: tuple[Library, str], reception: Callable[..., Reception]
) -> None:
    library, _book = book_library
    _add(library, "Vali")
    desk = reception(library, Settings(language="en", idle_minutes=0))
    desk.start()
    ali = _open_as(qtbot, desk, "Ali")
    _set_in_dialog(qtbot, ali, "uz", 150)
    assert interface_language() == "uz"
    _switch(qtbot, desk, ali)
    chooser = desk.chooser
    assert chooser is not None
    # the chooser speaks the machine's language again, not Ali's
    qtbot.waitUntil(lambda: interface_language() == "en", timeout=TIMEOUT)

    vali = _open_as(qtbot, desk, "Vali")
    assert (vali.settings.language, vali.settings.zoom) == ("en", 1.25)  # not Ali's
    _set_in_dialog(qtbot, vali, "ru", 100)
    assert interface_language() == "ru"
    _switch(qtbot, desk, vali)

    again = _open_as(qtbot, desk, "Ali")
    assert (again.settings.language, again.settings.zoom) == ("uz", 1.5)
    assert interface_language() == "uz"
    assert again.menus.file_menu.title() == "&Fayl"
    dialog = again.edit_settings()  # the dialog shows Ali's
    assert (dialog.language.currentData(), dialog.zoom.value()) == ("uz", 150)
    dialog.reject()
    _switch(qtbot, desk, again)
    back = _open_as(qtbot, desk, "Vali")
    assert (back.settings.language, back.settings.zoom) == ("ru", 1.0)
    assert interface_language() == "ru"

    # the file keeps the machine's defaults: no person's choice changed them
    on_file = load_settings(library.paths.settings)
    assert (on_file.language, on_file.zoom) == (Settings().language, Settings().zoom)
