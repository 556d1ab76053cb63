"""Download names from hostile headers, as the property tests found them
(tests/property/test_headers_and_auth.py): a download never fails on its name."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.downloads import download
from sync.http import HttpClient, HttpPolicy
from sync.naming import choose_filename, name_from_url, parse_content_disposition
from tests.support.range_server import running


@pytest.mark.parametrize("charset", ["idna", "punycode", "undefined"])
def test_a_charset_python_cannot_decode_with_replacements_falls_back_to_utf8(
    charset: str,
) -> None:
    header = f"attachment; filename*={charset}''%FF.epub"
    assert parse_content_disposition(header) == "\ufffd.epub"


def test_a_server_naming_the_idna_charset_still_gets_its_book_downloaded(tmp_path: Path) -> None:
    with running() as server, HttpClient(HttpPolicy(max_retries=0)) as http:
        server.put("/get", b"kitob" * 100, disposition="attachment; filename*=idna''%FF.epub")
        result = download(server.url("/get"), tmp_path, client=http)
    assert result.path.name == "\ufffd.epub"
    assert result.path.read_bytes() == b"kitob" * 100


def test_a_url_that_does_not_parse_gives_no_name_but_the_fallback() -> None:
    assert name_from_url("http://[::1") is None
    assert choose_filename("http://[::1", None, "application/epub+zip") == "download.epub"
