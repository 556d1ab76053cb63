"""Each person's own settings over the machine's file (issue 14): the merge, saving each part
where it belongs, `Session.open` giving the person's."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

from app.core.paths import resolve_paths
from app.core.settings import (
    PERSONAL_KEYS,
    Settings,
    load_settings,
    own_settings,
    save_settings,
    with_machine,
    with_own,
)
from app.library.profiles import ProfileStore
from app.services.person_settings import person_settings, save_person_settings
from app.services.session import Library, Session

MACHINE = Settings(language="en", zoom=1.1, theme="sepia", idle_minutes=3.0, library_view="grid")


def test_the_personal_keys_are_settings_and_the_rest_the_machines() -> None:
    names = {f.name for f in fields(Settings)}
    assert set(PERSONAL_KEYS) <= names
    machine = names - set(PERSONAL_KEYS)
    assert machine == {
        "library_folder",
        "download_rate_limit",
        "max_download_bytes",
        "min_free_disk_bytes",
        "idle_minutes",
    }


def test_a_persons_keys_override_and_a_missing_one_keeps_the_files() -> None:
    merged = with_own(MACHINE, {"language": "uz", "zoom": 1.5})
    assert (merged.language, merged.zoom) == ("uz", 1.5)
    assert (merged.theme, merged.library_view) == ("sepia", "grid")  # not set: the file's
    assert with_own(MACHINE, {}) == MACHINE


def test_machine_keys_and_bad_values_in_a_persons_json_are_ignored() -> None:
    merged = with_own(
        MACHINE,
        {"idle_minutes": 0, "library_folder": "/elsewhere", "zoom": "big", "font_size": 99},
    )
    assert (merged.idle_minutes, merged.library_folder) == (3.0, "")
    assert merged.zoom == 1.1  # the wrong type: the default
    assert merged.font_size == 36.0  # out of range: brought into it


def test_own_and_machine_parts_split_the_settings() -> None:
    mine = Settings(language="ru", zoom=2.0, download_rate_limit=64, idle_minutes=1.0)
    assert own_settings(mine) == {key: getattr(mine, key) for key in PERSONAL_KEYS}
    kept = with_machine(MACHINE, mine)
    assert (kept.download_rate_limit, kept.idle_minutes) == (64, 1.0)  # the machine's, changed
    assert (kept.language, kept.zoom) == ("en", 1.1)  # the file's personal defaults stay


def test_saving_puts_personal_keys_in_the_row_and_machine_keys_in_the_file(
    tmp_path: Path,
) -> None:
    paths = resolve_paths(tmp_path / "lib")
    save_settings(paths.settings, MACHINE)
    with Library(paths) as library:
        profiles = ProfileStore(library.store)
        ali = profiles.list()[0].id
        vali = profiles.add("Vali").id
        profiles.set_settings(ali, {"home": "shelves"})  # a key of someone else's: kept
        ali_settings = person_settings(library.store, ali, load_settings(paths.settings))
        assert ali_settings == MACHINE  # nothing of their own yet: the file's
        changed = replace(ali_settings, language="uz", zoom=1.5, download_rate_limit=128)
        save_person_settings(library.store, paths.settings, ali, changed)

        assert profiles.settings(ali)["language"] == "uz"
        assert profiles.settings(ali)["zoom"] == 1.5
        assert profiles.settings(ali)["home"] == "shelves"
        assert profiles.settings(vali) == {}
        on_file = load_settings(paths.settings)
        assert (on_file.language, on_file.zoom) == ("en", 1.1)  # the defaults did not move
        assert on_file.download_rate_limit == 128  # the machine's key did
        vali_settings = person_settings(library.store, vali, on_file)
        assert (vali_settings.language, vali_settings.zoom) == ("en", 1.1)
        assert vali_settings.download_rate_limit == 128


def test_session_open_gives_the_chosen_persons_settings(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "lib")
    save_settings(paths.settings, MACHINE)
    with Library(paths) as library:
        profiles = ProfileStore(library.store)
        ali = profiles.list()[0].id
        vali = profiles.add("Vali").id
        profiles.update_settings(vali, {"language": "ru", "zoom": 1.0})
    with Session.open(paths, vali) as session:
        assert (session.settings.language, session.settings.zoom) == ("ru", 1.0)
        assert session.settings.idle_minutes == 3.0
    with Session.open(paths, ali) as session:
        assert (session.settings.language, session.settings.zoom) == ("en", 1.1)
