"""Sessions for tests: a test library's only profile, acting."""

from __future__ import annotations

from pathlib import Path

from app.core.paths import resolve_paths
from app.core.settings import Settings
from app.services.session import Library, Session

#: The profile every library has from its first schema on (the tests make no other).
PROFILE = 1


def session_of(library: Library, settings: Settings | None = None) -> Session:
    """The session of ``library``'s first profile, with ``settings`` (the defaults when None)."""
    return Session(library, library.store.first_profile_id(), settings or Settings())


def as_first_person(folder: Path) -> list[str]:
    """``--profile NAME`` of the first person of the library in ``folder``: a command of a
    library with several people acts for the one it is told (its name is the OS user's)."""
    with Library(resolve_paths(folder)) as library:
        rows = library.store.query("SELECT name FROM profiles WHERE id = ?", (PROFILE,))
    return ["--profile", str(rows[0][0])]
