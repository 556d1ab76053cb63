"""The Account page and issue 13 item 5: the warning under an address that would carry the
password in clear (shown before the password is sent), and "Sign out" revoking the token at the
real library server on 127.0.0.1 — or, with the server away, leaving it to the next sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from pytestqt.qtbot import QtBot

from app.core.paths import resolve_paths
from app.library.sync_state import SyncState
from app.services.session import Library
from app.services.sync.server_sync import login
from app.ui.settings.account_page import AccountPage
from tests.support.library_server import serving
from tests.support.sessions import PROFILE, session_of

USER, PASSWORD = "talaba", "kitob-oqish-yaxshi"
IN_CLEAR = (
    "This address is not encrypted (http://): the password would cross the network in clear. "
    "Use https:// unless the server is on this computer or your own network."
)


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    opened = Library(resolve_paths(tmp_path / "pc"))
    yield opened
    opened.close()


def _pull(url: str, token: str) -> int:
    answer = requests.get(
        f"{url}/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return answer.status_code


def test_the_page_warns_under_an_address_that_carries_the_password_in_clear(
    qtbot: QtBot, library: Library
) -> None:
    page = AccountPage(session_of(library))
    qtbot.addWidget(page)
    page.show()
    assert page.in_clear.isHidden()
    for url, warned in (
        ("http://203.0.113.5/", True),
        ("http://kutubxona.example.org/", True),
        ("https://kutubxona.example.org/", False),
        ("http://127.0.0.1:8080/", False),
        ("http://192.168.1.5/", False),
        ("http://[::1]/", False),
    ):
        page.url.setText(url)  # as typed, before any password is asked or sent
        assert page.in_clear.isVisible() is warned, url
    page.url.setText("http://203.0.113.5/")
    assert page.in_clear.text() == IN_CLEAR
    # the KOReader form on the same page warns the same way (its key is the password's MD5)
    page.koreader.url.setText("http://203.0.113.5/")
    assert page.koreader.in_clear.isVisible()


def test_signing_out_revokes_the_token_or_leaves_it_to_the_next_sync(
    qtbot: QtBot, tmp_path: Path, library: Library
) -> None:
    data = tmp_path / "server"
    with serving(data) as server:
        server.add_user(USER, PASSWORD)
        login(session_of(library), server.url, USER, PASSWORD)
        state = SyncState(library.store, PROFILE)
        token = state.require_account().token
        page = AccountPage(session_of(library))
        qtbot.addWidget(page)
        qtbot.waitUntil(page.sign_out_button.isEnabled)
        with qtbot.waitSignal(page.signed_out, timeout=30_000):
            page.sign_out_button.click()
        assert page.message.text() == "Signed out. Your notes stay on this computer."
        assert _pull(server.url, token) == 401
        assert state.revocations() == []
        login(session_of(library), server.url, USER, PASSWORD)
        token = state.require_account().token

    page.reload()
    qtbot.waitUntil(page.sign_out_button.isEnabled)
    with qtbot.waitSignal(page.signed_out, timeout=30_000):
        page.sign_out_button.click()  # the server is away now
    assert page.message.text() == (
        "Signed out. The server does not answer: it will be told to stop accepting this "
        "computer at the next sync. Your notes stay on this computer."
    )
    signed_out = state.account()
    assert signed_out is not None
    assert signed_out.token == ""  # forgotten here in every case
    assert [r.token for r in state.revocations()] == [token]
    assert not page.sign_out_button.isEnabled()
