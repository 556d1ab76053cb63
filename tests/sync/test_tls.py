"""Certificates are verified: a library server on 127.0.0.1 with a self-signed certificate
(tests/support/tls, made with `openssl req -x509 … -subj /CN=127.0.0.1 -addext
subjectAltName=IP:127.0.0.1`) is refused in one line, at once, unless its authority is given."""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.engine import SyncFailed, SyncServer, Unreachable
from sync.errors import UntrustedCertificateError
from sync.http import HttpClient, HttpPolicy

TLS = Path(__file__).resolve().parents[1] / "support" / "tls"
PROBE = b'{"server": "mutolaa", "protocol": 1}'


class _Probe(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(PROBE)))
        self.end_headers()
        self.wfile.write(PROBE)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def https_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Probe)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "cert.pem", TLS / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_self_signed_certificate_is_refused_in_one_line_without_retrying(
    https_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MUTOLAA_CA_FILE", raising=False)
    waits: list[float] = []
    with (
        HttpClient(HttpPolicy(max_retries=4), sleep=waits.append) as http,
        pytest.raises(UntrustedCertificateError) as refused,
    ):
        http.fetch(https_url + "api/v1/probe")
    assert str(refused.value) == (
        f"{https_url}api/v1/probe: the server's certificate is not trusted "
        "(self-signed certificate)"
    )
    assert waits == []  # not retried: trying again cannot make it trusted


def test_the_sync_says_the_certificate_not_offline(
    https_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MUTOLAA_CA_FILE", raising=False)
    with HttpClient() as http:
        server = SyncServer(https_url, http, token="t")
        with pytest.raises(SyncFailed) as failed:
            server.pull(0, quick=True)
    assert not isinstance(failed.value, Unreachable)
    assert "certificate is not trusted (self-signed certificate)" in str(failed.value)


def test_the_authority_given_in_the_policy_or_the_environment_is_trusted(
    https_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MUTOLAA_CA_FILE", raising=False)
    with HttpClient(HttpPolicy(ca_file=str(TLS / "cert.pem"))) as http:
        assert http.fetch(https_url + "api/v1/probe").content == PROBE
        assert SyncServer(https_url, http).probe()  # the probe's quick client keeps the policy
    monkeypatch.setenv("MUTOLAA_CA_FILE", str(TLS / "cert.pem"))
    with HttpClient() as http:
        assert http.fetch(https_url + "api/v1/probe").content == PROBE
        assert SyncServer(https_url, http).probe()  # its own quick client trusts it too
