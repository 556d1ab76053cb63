"""Acknowledged pushes are durable: every commit of a push runs with ``synchronous = FULL``."""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import Any

import pytest

from sync.server import storage
from tests.server.conftest import RunningServer, change

FULL = 2  # what PRAGMA synchronous answers for FULL (NORMAL is 1)


class _Recording(sqlite3.Connection):
    """A connection that notes, at each COMMIT, its synchronous setting and what it wrote."""

    commits: list[tuple[int, bool]]  # (PRAGMA synchronous, wrote a history row)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wrote_history = False

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        if sql.startswith("INSERT INTO history"):
            self._wrote_history = True
        if sql == "COMMIT":
            setting = super().execute("PRAGMA synchronous").fetchone()[0]
            type(self).commits.append((setting, self._wrote_history))
        return super().execute(sql, *args)


def test_a_push_is_committed_with_synchronous_full(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.add_user("alice")
    token = server.login("alice")
    _Recording.commits = []
    monkeypatch.setattr(storage.sqlite3, "connect", partial(sqlite3.connect, factory=_Recording))
    answer = server.push(token, [change("annotation", f"a{n}", {"body": "x"}) for n in range(3)])
    assert answer.status_code == 200
    pushes = [setting for setting, wrote in _Recording.commits if wrote]
    assert pushes == [FULL]  # one transaction, synced to disk before the answer
