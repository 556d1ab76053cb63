"""Interface languages: English in the code, Uzbek (Latin) and Russian from Qt .qm files."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

# Where the compiled translations are (resources/translations at the top of the project).
TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
LANGUAGES = {"en": "English", "uz": "Oʻzbekcha", "ru": "Русский"}
LANGUAGE_ENV = "MUTOLAA_LANGUAGE"


def ui_text(text: str) -> str:
    """The interface text ``text`` in the chosen language.

    Every visible string goes through here; ``pyside6-lupdate -tr-function-alias
    tr+=ui_text`` collects them into resources/translations/*.ts (see docs/translations.md).
    """
    return QCoreApplication.translate("", text)


def chosen_language() -> str:
    """``$MUTOLAA_LANGUAGE`` when set, else the system locale's language, else English."""
    wanted = os.environ.get(LANGUAGE_ENV) or QLocale.system().name().split("_")[0]
    return wanted if wanted in LANGUAGES else "en"


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Load and install the translation of ``language``; None for English or when missing."""
    if language == "en":
        return None
    translator = QTranslator(app)
    if not translator.load(str(TRANSLATIONS / f"mutolaa_{language}.qm")):
        return None
    app.installTranslator(translator)
    return translator
