"""A person's settings: the machine's file with their own keys over it, and saving each part."""

from __future__ import annotations

from pathlib import Path

from app.core.settings import (
    Settings,
    load_settings,
    own_settings,
    save_settings,
    with_machine,
    with_own,
)
from app.library.profiles import ProfileStore
from app.library.store import LibraryStore


def person_settings(store: LibraryStore, profile_id: int, defaults: Settings) -> Settings:
    """``defaults`` (the machine's, from the settings file) with the person's own keys over
    them (`PERSONAL_KEYS`, kept in their profile); a key they never set keeps the default."""
    return with_own(defaults, ProfileStore(store).settings(profile_id))


def save_person_settings(
    store: LibraryStore, path: Path, profile_id: int, settings: Settings
) -> None:
    """Keep ``settings`` as a person changed them: their own keys in their profile, the
    machine's keys in the file at ``path`` (whose defaults of the personal keys stay as they
    were; the file is not written when its machine keys did not change)."""
    ProfileStore(store).update_settings(profile_id, own_settings(settings))
    machine = load_settings(path)
    changed = with_machine(machine, settings)
    if changed != machine or not path.exists():
        save_settings(path, changed)
