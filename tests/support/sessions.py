"""Sessions for tests: a test library's only profile, acting."""

from __future__ import annotations

from app.core.settings import Settings
from app.services.session import Library, Session

#: The profile every library has from its first schema on (the tests make no other).
PROFILE = 1


def session_of(library: Library, settings: Settings | None = None) -> Session:
    """The session of ``library``'s first profile, with ``settings`` (the defaults when None)."""
    return Session(library, library.store.first_profile_id(), settings or Settings())
