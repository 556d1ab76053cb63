"""The user's settings: declared in one place, stored as versioned JSON, never fatal."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from app.core.private import private_folder

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
THEMES = ("day", "night", "sepia")
LANGUAGE_CHOICES = ("", "en", "uz", "ru")  # "" follows the system
READING_MODES = ("continuous", "single")
LIBRARY_VIEWS = ("list", "grid")
FONT_SIZE_RANGE = (6.0, 36.0)  # points, for reflowable books
#: The defaults of the download limits (`sync.downloads.MAX_SIZE` and `MIN_FREE` are the same,
#: for a caller of `download` that passes none; the settings are what the app passes).
MAX_DOWNLOAD_BYTES = 2 * 1024**3
MIN_FREE_DISK_BYTES = 500 * 1000**2
#: The smallest limit a download may be given (a typo of 0 must not refuse every book).
_SMALLEST_MAX_DOWNLOAD = 1024 * 1024
#: Each person's own settings (kept in their `profiles.settings`); every other key is the
#: machine's (the library folder, the download limits, the idle minutes), kept in the file,
#: whose values of these keys are the defaults of a person who has not chosen theirs.
PERSONAL_KEYS = ("language", "theme", "zoom", "reading_mode", "font_size", "library_view")


@dataclass
class Settings:
    """Everything the settings dialog changes.

    Attributes:
        library_folder: where the library lives ("" = the platform's data folder).
        language: interface language ("" = the system's).
        theme: page colours in the reader: day, night or sepia.
        zoom: default zoom of a newly opened book (1.0 = 72 dpi).
        reading_mode: pages one under another ("continuous") or one at a time ("single").
        font_size: font size in points of reflowable books (EPUB, FB2, MOBI, TXT).
        library_view: the library as a "list" or a "grid" of covers.
        download_rate_limit: the most kilobytes a second downloads may take (0 = no limit), for
            metered links.
        max_download_bytes: the most bytes one download may be (at least 1 MiB): a larger
            announced size is refused, a body with no declared length stops there.
        min_free_disk_bytes: the free space downloads leave on the disk of the library.
        idle_minutes: minutes without a key or a mouse move after which the window returns to
            "Who is reading?" when the library has several people (0 = never; a fraction is
            allowed, for tests).
    """

    library_folder: str = ""
    language: str = ""
    theme: str = "day"
    zoom: float = 1.25
    reading_mode: str = "continuous"
    font_size: float = 11.0
    library_view: str = "list"
    download_rate_limit: int = 0
    max_download_bytes: int = MAX_DOWNLOAD_BYTES
    min_free_disk_bytes: int = MIN_FREE_DISK_BYTES
    idle_minutes: float = 10.0

    def cleaned(self) -> Settings:
        """The same settings with every value in its allowed range."""
        return Settings(
            library_folder=str(self.library_folder or ""),
            language=self.language if self.language in LANGUAGE_CHOICES else "",
            theme=self.theme if self.theme in THEMES else "day",
            zoom=min(4.0, max(0.5, float(self.zoom))),
            reading_mode=self.reading_mode if self.reading_mode in READING_MODES else "continuous",
            font_size=min(FONT_SIZE_RANGE[1], max(FONT_SIZE_RANGE[0], float(self.font_size))),
            library_view=self.library_view if self.library_view in LIBRARY_VIEWS else "list",
            download_rate_limit=max(0, int(self.download_rate_limit)),
            max_download_bytes=max(_SMALLEST_MAX_DOWNLOAD, int(self.max_download_bytes)),
            min_free_disk_bytes=max(0, int(self.min_free_disk_bytes)),
            idle_minutes=max(0.0, float(self.idle_minutes)),
        )


def own_settings(settings: Settings) -> dict[str, Any]:
    """The person's own part of ``settings`` (`PERSONAL_KEYS`), as kept in their profile."""
    cleaned = settings.cleaned()
    return {key: getattr(cleaned, key) for key in PERSONAL_KEYS}


def with_own(defaults: Settings, own: Mapping[str, Any]) -> Settings:
    """``defaults`` (the file's) with a person's own values of `PERSONAL_KEYS` in ``own``.

    A key the person has not set, any other key, and a value of the wrong type keep the
    default; a value out of range is brought into it (as `Settings.cleaned` does).
    """
    merged = defaults.cleaned()
    for key in PERSONAL_KEYS:
        if key not in own:
            continue
        try:
            merged = replace(merged, **{key: own[key]}).cleaned()
        except (TypeError, ValueError):
            log.warning(
                "a person's setting %s is unreadable (%r); using the default", key, own[key]
            )
    return merged


def with_machine(settings: Settings, machine: Settings) -> Settings:
    """``settings`` with every key but `PERSONAL_KEYS` (the machine's) taken from ``machine``."""
    return replace(machine, **{key: getattr(settings, key) for key in PERSONAL_KEYS}).cleaned()


def load_settings(path: Path) -> Settings:
    """Read the settings; a missing or unreadable file gives the defaults (and a log line)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        log.warning("%s: settings unreadable (%s); using the defaults", path, exc)
        return Settings()
    if not isinstance(data, dict) or int(data.get("version", 0)) > SETTINGS_VERSION:
        log.warning("%s: settings of another version; using the defaults", path)
        return Settings()
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
    try:
        return Settings(**values).cleaned()
    except (TypeError, ValueError) as exc:
        log.warning("%s: bad settings (%s); using the defaults", path, exc)
        return Settings()


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings atomically (a crash leaves the old file or the new one)."""
    private_folder(path.parent)
    data = {"version": SETTINGS_VERSION, **asdict(settings.cleaned())}
    fd, temp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)  # 0600
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
