"""The rules of the tree that import-linter cannot see (docs/architecture.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(p for top in ("app", "sync") for p in (ROOT / top).rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_every_module_says_what_it_holds_in_one_line(path: Path) -> None:
    doc = ast.get_docstring(ast.parse(path.read_text("utf-8")), clean=False)
    assert doc, f"{_name(path)}: no module docstring"
    lines = doc.split("\n")
    assert len(lines[0]) <= 100, f"{_name(path)}: the summary is {len(lines[0])} characters"
    assert len(lines) == 1 or not lines[1].strip(), f"{_name(path)}: the summary wraps"


def test_services_use_the_stores_methods_not_sql() -> None:
    raw = [
        f"{_name(p)}:{n}"
        for p in MODULES
        if "services" in p.parts
        for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if re.search(r"\.query\(|\bexecute\(|\bSELECT\b|\bUPDATE\b.*\bSET\b", line)
    ]
    assert raw == []


def test_nobody_acts_for_a_default_person() -> None:
    defaults = [
        f"{_name(p)}:{n}"
        for p in MODULES
        if p.name != "migrations.py"
        for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if re.search(r"DEFAULT_PROFILE|profile_id: int = |profile_id=1\b", line)
    ]
    assert defaults == []
