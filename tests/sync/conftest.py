"""Fixtures of the sync tests: the real OPDS captures of ../shared/fixtures/opds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES

OPDS = FIXTURES / "opds"


@pytest.fixture
def opds() -> Path:
    """The shared OPDS captures (skips with a reason when they are absent)."""
    if not OPDS.is_dir():
        pytest.skip(f"OPDS fixtures not found at {OPDS} (../shared/fixtures/opds)")
    return OPDS
