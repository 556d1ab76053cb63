"""The HTTP client's rules against a real server on 127.0.0.1: schemes, redirects, retries."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from sync.errors import FetchError, TooLargeError, TooManyRedirectsError, UnsafeURLError
from sync.http import HttpClient, HttpPolicy, parse_retry_after, redact_url
from tests.support.range_server import Fault, RangeServer, running

FAST = HttpPolicy(connect_timeout=2, read_timeout=2, backoff_base=0.01, backoff_max=0.05)


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with running() as srv:
        yield srv


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sleeps: list[float]) -> Iterator[HttpClient]:
    with HttpClient(FAST, sleep=sleeps.append, rng=lambda: 0.5) as http:
        yield http


def test_fetch_returns_the_body(server: RangeServer, client: HttpClient) -> None:
    server.put("/feed.xml", b"<feed/>", content_type="application/atom+xml")
    got = client.fetch(server.url("/feed.xml"))
    assert got.content == b"<feed/>"
    assert got.status == 200
    assert got.headers["Content-Type"] == "application/atom+xml"


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/a.epub", "data:,x", "javascript:x", "//x/y"]
)
def test_only_http_and_https_urls(client: HttpClient, url: str) -> None:
    with pytest.raises(UnsafeURLError, match=r"only http and https|no host"):
        client.fetch(url)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/book.epub"])
def test_redirect_to_another_scheme_is_refused(
    server: RangeServer, client: HttpClient, target: str
) -> None:
    server.redirect("/go", target)
    with pytest.raises(UnsafeURLError, match="refused redirect"):
        client.fetch(server.url("/go"))


def test_redirects_are_followed_and_bounded(server: RangeServer, client: HttpClient) -> None:
    server.put("/end", b"end")
    for i in range(5):
        server.redirect(f"/r{i}", f"/r{i + 1}" if i < 4 else "/end", 301 if i % 2 else 307)
    assert client.fetch(server.url("/r0")).content == b"end"
    server.redirect("/loop", "/loop")
    with pytest.raises(TooManyRedirectsError, match="more than 5 redirects"):
        client.fetch(server.url("/loop"))
    assert len(server.hits("/loop")) == 6


def test_size_limit_stops_the_transfer(server: RangeServer, client: HttpClient) -> None:
    server.put("/big", b"x" * 300_000)
    with pytest.raises(TooLargeError, match="300000 bytes, more than the limit of 1000"):
        client.fetch(server.url("/big"), limit=1000)
    server.put("/chunked", b"y" * 300_000)
    server.fault("/chunked", Fault("truncate", after=200_000))  # no Content-Length at all
    with pytest.raises(TooLargeError, match="more than the limit of 100000"):
        client.fetch(server.url("/chunked"), limit=100_000)


def test_500_then_success_is_retried_with_backoff(
    server: RangeServer, client: HttpClient, sleeps: list[float]
) -> None:
    server.put("/f", b"ok")
    server.fault("/f", Fault("status", status=503, times=2))
    assert client.fetch(server.url("/f")).content == b"ok"
    assert sleeps == [pytest.approx(0.0075), pytest.approx(0.015)]  # 0.01, 0.02 with jitter 0.5


def test_retries_are_bounded(server: RangeServer, client: HttpClient) -> None:
    server.put("/f", b"ok")
    server.fault("/f", Fault("status", status=500, times=99))
    with pytest.raises(FetchError, match=r"answered 500 .* after 5 attempts") as info:
        client.fetch(server.url("/f"))
    assert info.value.status == 500
    assert len(server.hits("/f")) == 5


def test_429_retry_after_is_honoured(
    server: RangeServer, client: HttpClient, sleeps: list[float]
) -> None:
    server.put("/f", b"ok")
    server.fault("/f", Fault("status", status=429, retry_after="3"))
    assert client.fetch(server.url("/f")).content == b"ok"
    assert sleeps == [3.0]


def test_a_too_long_retry_after_fails_clearly(server: RangeServer) -> None:
    server.put("/f", b"ok")
    server.fault("/f", Fault("status", status=429, retry_after="86400"))
    with (
        HttpClient(HttpPolicy(max_retry_after=60), sleep=lambda _: None) as http,
        pytest.raises(FetchError, match="retry after 86400 s"),
    ):
        http.fetch(server.url("/f"))


def test_not_found_is_not_retried(server: RangeServer, client: HttpClient) -> None:
    with pytest.raises(FetchError, match="answered 404") as info:
        client.fetch(server.url("/missing"))
    assert info.value.status == 404
    assert len(server.hits("/missing")) == 1


def test_parse_retry_after() -> None:
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Mon, 01 Jan 2024 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None
    assert parse_retry_after(None) is None


def test_backoff_grows_and_is_capped() -> None:
    http = HttpClient(HttpPolicy(backoff_base=1, backoff_max=8), rng=lambda: 0.999)
    delays = [http.backoff(n) for n in range(6)]
    http.close()
    assert delays == sorted(delays)
    assert delays[-1] <= 8
    assert delays[0] >= 0.5


def test_a_dead_port_fails_after_the_retries(client: HttpClient, sleeps: list[float]) -> None:
    with running() as srv:
        url = srv.url("/f")
    with pytest.raises(FetchError, match=r"no connection .* after 5 attempts"):
        client.fetch(url)
    assert len(sleeps) == 4


def test_timeouts_are_always_set(server: RangeServer) -> None:
    server.put("/slow", b"z" * 100_000)
    server.fault("/slow", Fault("stall", after=10, seconds=5))
    policy = HttpPolicy(read_timeout=0.3, max_retries=0)
    with HttpClient(policy) as http, pytest.raises(FetchError, match="connection broke"):
        http.fetch(server.url("/slow"))


def test_per_host_connection_limit(server: RangeServer) -> None:
    server.put("/f", b"ok")
    server.state.delay = 0.2
    errors: list[BaseException] = []
    with HttpClient(HttpPolicy(per_host_connections=1)) as http:

        def get() -> None:
            try:
                http.fetch(server.url("/f"))
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=get) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert not errors
    assert len(server.hits("/f")) == 4
    assert server.state.max_active == 1


def test_credentials_are_sent_and_never_logged(
    server: RangeServer, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "s3cr3t-Pa55"
    server.put("/private", b"members only")
    server.require_basic("/private", "reader", secret)
    url = server.base.replace("http://", f"http://reader:{secret}@") + "/private"
    caplog.set_level(logging.DEBUG)
    with HttpClient(FAST) as http:
        assert http.fetch(url).content == b"members only"
        with pytest.raises(FetchError) as info:
            http.fetch(url.replace("/private", "/nothing"))
    with HttpClient(FAST, auth=("reader", "wrong-" + secret)) as http, pytest.raises(FetchError):
        http.fetch(server.url("/private"))
    assert secret not in str(info.value)
    assert caplog.records, "the client logs its requests at debug level"
    assert secret not in caplog.text
    assert "reader:" not in caplog.text


def test_credentials_do_not_follow_a_redirect_to_another_host(server: RangeServer) -> None:
    with running() as other:
        other.put("/book", b"b")
        server.redirect("/go", other.url("/book"))
        with HttpClient(FAST, auth=("reader", "pw")) as http:
            assert http.fetch(server.url("/go")).content == b"b"
        assert "authorization" in server.hits("/go")[0].headers
        assert "authorization" not in other.hits("/book")[0].headers


def test_a_token_header_stays_with_its_host_but_range_follows_a_redirect(
    server: RangeServer,
) -> None:
    with running() as other:
        other.put("/book", b"0123456789")
        server.redirect("/go", other.url("/book"))
        sent = {
            "Authorization": "Bearer secret-token",
            "x-auth-key": "0" * 32,
            "Cookie": "session=1",
            "Range": "bytes=4-",
            "Accept": "application/epub+zip",
        }
        with HttpClient(FAST) as http:
            assert http.fetch(server.url("/go"), headers=sent).content == b"456789"
        first = server.hits("/go")[0].headers
        assert {"authorization", "x-auth-key", "cookie", "range"} <= set(first)
        moved = other.hits("/book")[0].headers
        assert not {"authorization", "x-auth-key", "cookie"} & set(moved)
        assert (moved["range"], moved["accept"]) == ("bytes=4-", "application/epub+zip")


def test_redact_url() -> None:
    assert redact_url("https://u:p@host:8080/a?b=1") == "https://host:8080/a?b=1"
    assert redact_url("https://host/a") == "https://host/a"
