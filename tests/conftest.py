"""Shared fixtures: every standard folder points into a temporary one; real documents."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from app.core.paths import resolve_paths
from app.services.session import Library
from tests.support.samples import Samples, make_samples

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No test reaches the machine's credential store (CI has none; a developer's must stay
# untouched): secrets' keys go to the library's secret.key, in this process and its children.
os.environ["MUTOLAA_KEYRING"] = "off"

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "fixtures"
DOCUMENTS = FIXTURES / "documents"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test touches the real home: HOME, XDG folders and MUTOLAA_HOME are temporary."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.delenv("MUTOLAA_HOME", raising=False)


@pytest.fixture
def documents() -> Path:
    """The shared real-document fixtures (skips with a reason when they are absent)."""
    if not DOCUMENTS.is_dir():
        pytest.skip(f"fixture documents not found at {DOCUMENTS} (../shared/fixtures)")
    return DOCUMENTS


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    """An empty library folder."""
    folder = tmp_path / "library"
    folder.mkdir()
    return folder


@pytest.fixture
def library(library_dir: Path) -> Iterator[Library]:
    """An open Library in a temporary folder."""
    lib = Library(resolve_paths(library_dir))
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    """The generated sample documents, made once per test session."""
    return make_samples(tmp_path_factory.mktemp("samples"))


#: Folders whose tests are all slow: whole processes, real servers, many documents, Xvfb.
SLOW_FOLDERS = ("integration", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests of the slow folders ``slow`` (`-m "not slow"` is the quick loop)."""
    for item in items:
        folder = Path(item.path).relative_to(ROOT / "tests").parts[0]
        if folder in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


# Property-based tests (tests/property, docs/testing.md). "ci", the default: a bounded number of
# examples, chosen the same way on every run (a failure in CI is the same failure here), no
# deadline (two shared cores make timings noise). "thorough": many random examples, for a
# developer's hunt: HYPOTHESIS_PROFILE=thorough pytest tests/property.
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
