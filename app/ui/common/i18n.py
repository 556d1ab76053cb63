"""Interface languages: English in the code, Uzbek (Latin) and Russian from Qt .qm files.

Qt's own texts of its standard buttons (OK, Cancel, Yes, No… in every dialog and message box)
are translated in Russian by Qt's ``qtbase_ru.qm``, and in no file at all for Uzbek. Their
sources are listed here (``QT_STANDARD_TEXTS``, in Qt's own contexts) so that lupdate puts them
in our .ts files: the translator installed for the interface then answers Qt's lookups too.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QTranslator,
)

# Where the compiled translations are (resources/translations at the top of the project).
TRANSLATIONS = Path(__file__).resolve().parents[3] / "resources" / "translations"
LANGUAGES = {"en": "English", "uz": "Oʻzbekcha", "ru": "Русский"}
LANGUAGE_ENV = "MUTOLAA_LANGUAGE"

# Qt's texts for the standard buttons (``QPlatformTheme::defaultStandardButtonText``) and a
# message box's details button, as Qt looks them up: (context, source). Only listed, for lupdate.
QT_STANDARD_TEXTS: tuple[object, ...] = (
    QT_TRANSLATE_NOOP("QPlatformTheme", "OK"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Open"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&Yes"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Yes to &All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&No"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "N&o to All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Abort"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Retry"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Ignore"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Close"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Discard"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Help"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Apply"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Reset"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Restore Defaults"),
    QT_TRANSLATE_NOOP("QMessageBox", "Show Details..."),
    QT_TRANSLATE_NOOP("QMessageBox", "Hide Details..."),
)


class _InUse:
    """The language use_language() set, its translators and the data they read from."""

    def __init__(self) -> None:
        self.language = "en"
        self.translators: list[QTranslator] = []
        self.data: list[bytes] = []  # a translator loaded from memory does not copy it


_in_use = _InUse()


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


def interface_language() -> str:
    """The language use_language() set last ("en" when none was set or it was English)."""
    return _in_use.language


def read_translations(language: str) -> list[bytes]:
    """The compiled translations into ``language``: Mutolaa's, then Qt's own where it has one.

    This reads files, so the window calls it off the UI thread. Empty for English and for a
    language Mutolaa has no translation into.
    """
    if language == "en":
        return []
    try:
        files = [(TRANSLATIONS / f"mutolaa_{language}.qm").read_bytes()]
    except OSError:
        return []
    qt_folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    with contextlib.suppress(OSError):  # Qt's standard buttons and dialogs (Russian, no Uzbek)
        files.append((qt_folder / f"qtbase_{language}.qm").read_bytes())
    return files


def use_language(app: QCoreApplication, language: str, files: list[bytes] | None = None) -> str:
    """Speak ``language`` from now on, in place of the language set before; no restart needed.

    The translators installed by the previous call are removed and new ones installed from
    ``files`` (from ``read_translations()``; read here when None, as at start before any
    window exists). Qt then sends ``QEvent.LanguageChange`` to every widget, whose
    ``changeEvent`` re-reads its texts. Returns the language now used ("en" when there is
    no translation into ``language``).
    """
    if files is None:
        files = read_translations(language)
    while _in_use.translators:
        old = _in_use.translators.pop()
        app.removeTranslator(old)
        old.deleteLater()
    _in_use.data.clear()
    for data in files:
        translator = QTranslator(app)
        if translator.load(data):
            _in_use.data.append(data)
            _in_use.translators.append(translator)
            app.installTranslator(translator)
        else:
            translator.deleteLater()
    _in_use.language = language if _in_use.translators else "en"
    return _in_use.language
