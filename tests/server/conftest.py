"""Fixtures of the library server's tests: a real server on 127.0.0.1 with an injected clock."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server

from sync.server.accounts import Accounts
from sync.server.app import create_app
from sync.server.storage import Storage

PASSWORD = "correct horse battery"


class Clock:
    """A clock the test moves by hand (seconds since the epoch)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


@dataclass
class RunningServer:
    """A server answering on `url`, its data folder, its clock and its accounts."""

    url: str
    data_dir: Path
    clock: Clock
    accounts: Accounts
    session: requests.Session = field(default_factory=requests.Session)

    def add_user(self, name: str, password: str = PASSWORD) -> None:
        """Create an account directly in the storage (as `mutolaa-server users add` does)."""
        self.accounts.add(name, password)

    def login(self, name: str, password: str = PASSWORD, device: str = "pc-1") -> str:
        """Log in over HTTP and return the token."""
        answer = self.session.post(
            f"{self.url}/api/v1/login",
            json={"user": name, "password": password, "device": device},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["token"]
        return token

    def push(
        self,
        token: str,
        changes: list[dict[str, Any]],
        *,
        device: str = "pc-1",
        allow_deletions: bool | None = None,
    ) -> requests.Response:
        """POST a push; returns the answer."""
        body: dict[str, Any] = {"device": device, "changes": changes}
        if allow_deletions is not None:
            body["allow_deletions"] = allow_deletions
        return self.session.post(
            f"{self.url}/api/v1/sync/push",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    def pull(self, token: str, since: int = 0, limit: int | None = None) -> requests.Response:
        """GET a pull page; returns the answer."""
        params = {"since": str(since)}
        if limit is not None:
            params["limit"] = str(limit)
        return self.session.get(
            f"{self.url}/api/v1/sync/pull",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )


def change(
    kind: str,
    object_id: str,
    data: dict[str, Any],
    *,
    base_version: int = 0,
    deleted: bool = False,
    op_id: str | None = None,
) -> dict[str, Any]:
    """A pushed change with a fresh op_id unless one is given."""
    return {
        "op_id": op_id or str(uuid.uuid4()),
        "kind": kind,
        "id": object_id,
        "base_version": base_version,
        "deleted": deleted,
        "data": data,
    }


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    """The server (no catalogue) on 127.0.0.1 and a free port, in a thread; stopped at the end."""
    clock = Clock()
    data_dir = tmp_path / "server-data"
    app = create_app(data_dir, catalog=False, clock=clock)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, name="test-server", daemon=True)
    thread.start()
    running = RunningServer(
        url=f"http://127.0.0.1:{http.server_port}",
        data_dir=data_dir,
        clock=clock,
        accounts=Accounts(Storage(data_dir), clock),
    )
    try:
        yield running
    finally:
        running.session.close()
        http.shutdown()
        thread.join(timeout=10)
        http.server_close()
