"""The real `mutolaa` command in a subprocess, as a person runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def mutolaa(
    library: Path, *args: str, stdin: str = "", ok: bool = True, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run `mutolaa --library LIBRARY ARGS…` with `stdin`; with ``ok`` it must exit 0 (its
    stderr is the assertion's message)."""
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "--library", str(library), *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if ok:
        assert done.returncode == 0, done.stderr
    return done
