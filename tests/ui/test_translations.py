"""Interface translations: complete, in step with the code, and used by the window."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from app.services.session import Library
from app.ui.common.i18n import TRANSLATIONS, install_translator, use_language
from app.ui.library.model import column_title
from app.ui.window.main_window import MainWindow
from tests.support.sessions import session_of

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("uz", "ru")
TOOLS = Path(sys.executable).parent


def _messages(ts_file: Path) -> dict[str, ET.Element]:
    tree = ET.parse(ts_file)  # our own file, not untrusted input
    return {m.findtext("source") or "": m for m in tree.iter("message")}


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(TOOLS)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found (it comes with PySide6-Essentials)")
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_string_is_translated(lang: str) -> None:
    messages = _messages(TRANSLATIONS / f"mutolaa_{lang}.ts")
    assert messages
    for source, message in messages.items():
        translation = message.find("translation")
        assert translation is not None, source
        assert translation.get("type") is None, f"{lang}: {source!r} is {translation.get('type')}"
        text = translation.text or ""
        assert text.strip(), f"{lang}: {source!r} has no translation"
        assert set(re.findall(r"{\w+}", source)) == set(re.findall(r"{\w+}", text)), source


def test_translation_files_are_in_step_with_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "app" / "ui").rglob("*.py"))
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            "-locations",
            "none",
            "-tr-function-alias",
            "tr+=ui_text",
            *sources,
            "-ts",
            str(fresh),
        ],
        check=True,
        capture_output=True,
    )
    in_code = set(_messages(fresh))
    for lang in LANGS:
        committed = set(_messages(TRANSLATIONS / f"mutolaa_{lang}.ts"))
        assert in_code - committed == set(), f"untranslated new strings in mutolaa_{lang}.ts"
        assert committed - in_code == set(), f"strings no longer used in mutolaa_{lang}.ts"


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_files_match_the_sources(tmp_path: Path, lang: str) -> None:
    compiled = tmp_path / f"mutolaa_{lang}.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(TRANSLATIONS / f"mutolaa_{lang}.ts"), "-qm", str(compiled)],
        check=True,
        capture_output=True,
    )
    assert compiled.read_bytes() == (TRANSLATIONS / f"mutolaa_{lang}.qm").read_bytes()


@pytest.mark.parametrize(
    ("lang", "file_menu", "title"), [("uz", "&Fayl", "Nomi"), ("ru", "&Файл", "Название")]
)
def test_window_speaks_the_chosen_language(
    qtbot: QtBot, library: Library, lang: str, file_menu: str, title: str
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translator = install_translator(app, lang)
    assert translator is not None
    try:
        window = MainWindow(session_of(library))
        qtbot.addWidget(window)
        menus = [action.text() for action in window.menuBar().actions()]
        assert file_menu in menus
        assert column_title("title") == title
    finally:
        app.removeTranslator(translator)
    assert column_title("title") == "Title"


@pytest.mark.parametrize(
    ("lang", "cancel", "no", "details"),
    [
        ("uz", "Bekor qilish", "&Yoʻq", "Batafsil..."),
        ("ru", "Отмена", "&Нет", "Показать подробности..."),
    ],
)
def test_qt_standard_buttons_follow_a_live_switch(
    qtbot: QtBot, lang: str, cancel: str, no: str, details: str
) -> None:
    # issue 12, item 22: Qt ships no Uzbek for its standard buttons ("Cancel" in Uzbek dialogs)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
    use_language(app, lang)  # a dialog already made takes the new texts (LanguageChange)
    qtbot.waitUntil(
        lambda: buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == cancel,
        timeout=1000,
    )
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "?",
        "?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    box.setDetailedText("…")
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.No).text() == no
    assert any(b.text() == details for b in box.buttons())


def test_search_results_follow_a_live_switch(qtbot: QtBot, shelf_library: Library) -> None:
    # issue 12, item 22: "p. 3" stayed English in Uzbek and Russian results after a switch
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = MainWindow(session_of(shelf_library))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.search_finished, timeout=20_000):
        window.run_search("kitob")
    results = window.search_panel.results

    def first_hit() -> str:
        return results.topLevelItem(0).child(0).text(0)

    assert first_hit().startswith("p. ")
    use_language(app, "uz")
    qtbot.waitUntil(lambda: first_hit().endswith("-bet"), timeout=1000)
    use_language(app, "ru")
    qtbot.waitUntil(lambda: first_hit().startswith("с. "), timeout=1000)
    assert window.search_panel.summary.text().startswith("подходящих страниц")  # the summary too
    window.close()
