"""Settings: defaults, a damaged file never fatal, atomic round trip, the library folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.paths import resolve_paths
from app.core.settings import Settings, load_settings, save_settings


def test_round_trip_and_ranges(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    assert load_settings(path) == Settings()
    save_settings(path, Settings(language="uz", theme="sepia", zoom=9.0))
    loaded = load_settings(path)
    assert (loaded.language, loaded.theme, loaded.zoom) == ("uz", "sepia", 4.0)
    assert json.loads(path.read_text("utf-8"))["version"] == 1
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temporaries


@pytest.mark.parametrize(
    "content",
    ["{not json", '["a list"]', '{"version": 99}', '{"zoom": "big"}', '{"theme": "neon"}'],
)
def test_damaged_settings_fall_back_to_defaults(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, "utf-8")
    settings = load_settings(path)
    assert settings.theme == "day"
    assert settings.zoom == Settings().zoom


def test_reading_mode_font_size_and_library_view(tmp_path: Path) -> None:
    defaults = Settings()
    assert (defaults.reading_mode, defaults.font_size, defaults.library_view) == (
        "continuous",
        11.0,
        "list",
    )
    path = tmp_path / "settings.json"
    save_settings(path, Settings(reading_mode="single", font_size=14.5, library_view="grid"))
    loaded = load_settings(path)
    assert (loaded.reading_mode, loaded.font_size, loaded.library_view) == ("single", 14.5, "grid")
    assert Settings(font_size=2).cleaned().font_size == 6.0
    assert Settings(font_size=99).cleaned().font_size == 36.0
    odd = Settings(reading_mode="scroll", library_view="shelf").cleaned()
    assert (odd.reading_mode, odd.library_view) == ("continuous", "list")


def test_old_files_get_defaults_and_unknown_keys_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    # a file written before these settings existed, plus a key from some other version
    path.write_text('{"version": 1, "theme": "night", "toolbar": "hidden"}', "utf-8")
    loaded = load_settings(path)
    assert loaded == Settings(theme="night")
    path.write_text('{"version": 1, "font_size": "large"}', "utf-8")
    assert load_settings(path) == Settings()


def test_library_folder_from_settings(tmp_path: Path) -> None:
    config = Path(resolve_paths().config)
    save_settings(config / "settings.json", Settings(library_folder=str(tmp_path / "books")))
    paths = resolve_paths()
    assert paths.data == (tmp_path / "books").resolve()
    assert paths.config == config
    explicit = resolve_paths(tmp_path / "other")  # --library still wins
    assert explicit.data == (tmp_path / "other").resolve()


def test_idle_minutes_default_to_ten_and_never_go_below_zero(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert Settings().idle_minutes == 10.0
    save_settings(path, Settings(idle_minutes=-3))
    assert load_settings(path).idle_minutes == 0.0  # 0: the window never returns by itself
    save_settings(path, Settings(idle_minutes=0.5))
    assert load_settings(path).idle_minutes == 0.5
