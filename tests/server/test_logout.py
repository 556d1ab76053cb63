"""Logging out revokes the token at the server (issue 13 item 5): `POST /api/v1/logout`."""

from __future__ import annotations

from tests.server.conftest import RunningServer, change


def _logout(server: RunningServer, token: str | None) -> tuple[int, dict[str, object]]:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    answer = server.session.post(f"{server.url}/api/v1/logout", headers=headers, timeout=10)
    return answer.status_code, answer.json()


def test_logout_revokes_the_token_and_only_that_one(server: RunningServer) -> None:
    server.add_user("aziz")
    token = server.login("aziz")
    other = server.login("aziz", device="pc-2")
    assert server.pull(token).status_code == 200

    assert _logout(server, token) == (200, {"revoked": True})

    refused = server.pull(token)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="mutolaa"'
    assert server.push(token, [change("annotation", "a1", {"text": "x"})]).status_code == 401
    assert server.pull(other).status_code == 200  # the other device stays signed in


def test_logout_is_idempotent_and_needs_a_token(server: RunningServer) -> None:
    server.add_user("aziz")
    token = server.login("aziz")
    assert _logout(server, token) == (200, {"revoked": True})
    # again (the client could not tell whether its first try arrived), or a made-up token
    assert _logout(server, token) == (200, {"revoked": False})
    assert _logout(server, "made-up") == (200, {"revoked": False})
    status, body = _logout(server, None)
    assert status == 401
    assert "no token" in str(body["error"])


def test_an_expired_token_logs_out_as_not_revoked(server: RunningServer) -> None:
    server.add_user("aziz")
    token = server.login("aziz")
    server.clock.advance(91 * 24 * 3600)
    assert _logout(server, token) == (200, {"revoked": False})
