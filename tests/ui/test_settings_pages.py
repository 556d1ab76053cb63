"""The settings dialog's General page on its own (app/ui/settings/general_page.py): it shows the
settings given, gives them back as edited with the rest kept, names every control and follows
a change of language; the dialog without a library is that page alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.core.paths import Paths
from app.core.settings import Settings
from app.services.session import Library
from app.ui.settings.dialog import SettingsDialog
from app.ui.settings.general_page import GeneralPage
from tests.support.sessions import session_of


def test_the_general_page_shows_the_settings_and_gives_them_back_edited(qtbot: QtBot) -> None:
    given = Settings(
        library_folder="/srv/kitoblar",
        language="uz",
        theme="sepia",
        zoom=1.5,
        reading_mode="single",
        font_size=14.0,
        library_view="grid",
    )
    page = GeneralPage(given)
    qtbot.addWidget(page)
    assert page.library_folder.text() == "/srv/kitoblar"
    assert (page.language.currentData(), page.theme.currentData()) == ("uz", "sepia")
    assert page.reading_mode.currentData() == "single"
    assert (page.zoom.value(), page.font_size.value()) == (150, 14.0)
    assert page.edited(given) == given  # nothing touched: the same settings

    page.library_folder.setText("  /home/talaba/kitoblar  ")
    page.language.setCurrentIndex(page.language.findData("ru"))
    page.theme.setCurrentIndex(page.theme.findData("night"))
    page.reading_mode.setCurrentIndex(page.reading_mode.findData("continuous"))
    page.zoom.setValue(200)
    page.font_size.setValue(18)
    edited = page.edited(given)
    assert (edited.library_folder, edited.language, edited.theme) == (
        "/home/talaba/kitoblar",
        "ru",
        "night",
    )
    assert (edited.reading_mode, edited.zoom, edited.font_size) == ("continuous", 2.0, 18.0)
    assert edited.library_view == "grid"  # not on the page: kept


def test_the_general_page_names_its_controls_and_follows_the_language(qtbot: QtBot) -> None:
    page = GeneralPage(Settings())
    qtbot.addWidget(page)
    fields = (page.library_folder, page.language, page.reading_mode, page.font_size, page.theme)
    assert all(field.accessibleName() for field in (*fields, page.zoom, page.browse_button))
    labels = {label.buddy(): label for label in page.findChildren(QLabel) if label.buddy()}
    assert labels[page.zoom].text() == "Default zoom"
    assert [page.theme.itemText(i) for i in range(page.theme.count())] == ["Day", "Night", "Sepia"]
    labels[page.zoom].setText("x")
    page.theme.setItemText(0, "x")
    QCoreApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert labels[page.zoom].text() == "Default zoom"
    assert page.theme.itemText(0) == "Day"


def test_without_a_library_the_dialog_is_the_general_page(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(theme="night"))
    qtbot.addWidget(dialog)
    assert (dialog.pages, dialog.library_servers, dialog.account) == (None, None, None)
    assert dialog.general.parent() is dialog
    assert dialog.windowTitle() == "Settings"
    dialog.general.zoom.setValue(250)
    assert dialog.result_settings() == Settings(theme="night", zoom=2.5).cleaned()
    assert dialog.finish_work(1000)


def test_a_library_given_at_start_is_the_folder_shown(qtbot: QtBot, library: Library) -> None:
    # issue 12, item 21: started with --library DIR (or MUTOLAA_HOME), the page said
    # "The standard folder"
    dialog = SettingsDialog(Settings(library_folder="/elsewhere"), session=session_of(library))
    qtbot.addWidget(dialog)
    folder = dialog.library_folder
    assert folder.text() == str(library.paths.data)
    assert folder.isReadOnly()
    assert not dialog.general.browse_button.isEnabled()
    assert str(library.paths.data) in dialog.general.note.text()
    assert "--library" in dialog.general.note.text()
    assert dialog.result_settings().library_folder == "/elsewhere"  # the setting is kept


def test_the_folder_in_use_is_named_beside_the_setting(qtbot: QtBot, tmp_path: Path) -> None:
    standard = Paths(
        data=tmp_path / "data", cache=tmp_path / "cache", logs=tmp_path / "logs", config=tmp_path
    )
    page = GeneralPage(Settings(), paths=standard)
    qtbot.addWidget(page)
    assert page.library_folder.text() == ""
    assert not page.library_folder.isReadOnly()
    assert page.library_folder.placeholderText() == "The standard folder"
    assert page.note.text() == (
        f"In use: {tmp_path / 'data'}. Another folder applies at the next start."
    )
    page.library_folder.setText("/srv/kitoblar")
    assert page.edited(Settings()).library_folder == "/srv/kitoblar"


def test_numbers_have_no_needless_decimals(qtbot: QtBot) -> None:
    # issue 12, item 24: "125.00 %" and "11.0 pt"
    page = GeneralPage(Settings(zoom=1.25, font_size=11.0))
    qtbot.addWidget(page)
    assert page.zoom.text() == "125 %"
    assert page.font_size.text() == "11 pt"
    page.font_size.setValue(10.5)
    page.zoom.setValue(133.33)
    assert page.font_size.text() == "10.5 pt"
    assert page.zoom.text() == "133.33 %"
    assert page.edited(Settings()).zoom == pytest.approx(1.3333)
    page.zoom.lineEdit().setText("150 %")  # typed: read back as the number it shows
    page.zoom.interpretText()
    assert page.zoom.value() == 150
