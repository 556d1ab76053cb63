"""Where Mutolaa keeps its files: platformdirs by default, one folder when overridden."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app.core.private import private_folder
from app.core.settings import load_settings

APP_NAME = "mutolaa"
HOME_ENV = "MUTOLAA_HOME"


@dataclass(frozen=True)
class Paths:
    """Every location the application writes to.

    Attributes:
        data: the library folder (database and book files).
        cache: rebuildable data (full-text index, thumbnails).
        logs: log files.
        config: the settings file.
    """

    data: Path
    cache: Path
    logs: Path
    config: Path

    @property
    def settings(self) -> Path:
        """The settings file."""
        return self.config / "settings.json"

    @property
    def database(self) -> Path:
        """The SQLite library database."""
        return self.data / "library.sqlite3"

    @property
    def books(self) -> Path:
        """Content-addressed book files, shared by every profile."""
        return self.data / "books"

    @property
    def index(self) -> Path:
        """The Whoosh full-text index (a cache)."""
        return self.cache / "index"

    def ensure(self) -> None:
        """Create the folders that do not exist yet, readable by their owner only (0700)."""
        for folder in (self.data, self.books, self.cache, self.logs):
            private_folder(folder)


def resolve_paths(library: str | os.PathLike[str] | None = None) -> Paths:
    """Choose the folders: ``library`` first, then ``$MUTOLAA_HOME``, then platformdirs.

    An explicit folder holds everything (data, cache, logs and settings) so that tests and
    scripts never touch the user's real home. Otherwise the library folder chosen in the
    settings (if any) holds the data, cache and logs.
    """
    chosen = library if library is not None else os.environ.get(HOME_ENV) or None
    if chosen is not None:
        root = Path(chosen).expanduser().resolve()
        return Paths(data=root, cache=root / "cache", logs=root / "logs", config=root / "config")
    config = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    folder = load_settings(config / "settings.json").library_folder
    if folder:
        root = Path(folder).expanduser().resolve()
        return Paths(data=root, cache=root / "cache", logs=root / "logs", config=config)
    return Paths(
        data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        cache=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        logs=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        config=config,
    )
