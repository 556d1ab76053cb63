"""Property: a 401's authentication document and challenge, and a download's Content-Disposition,
whatever a server sends, give a result or one line — never another exception (issue 13, tests)."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from sync.auth import (
    AuthDocument,
    AuthDocumentError,
    challenge_realm,
    challenge_scheme,
    parse_auth_document,
)
from sync.naming import MAX_NAME_BYTES, choose_filename, parse_content_disposition
from tests.property.strategies import (
    assert_one_line,
    encoded_json,
    json_objects,
    json_values,
    outcome,
    random_bytes,
    strings,
    texts,
)

URL = "http://127.0.0.1:8080/opds/root"

AUTH_KEYS = [
    "title",
    "id",
    "description",
    "authentication",
    "type",
    "labels",
    "login",
    "password",
    "links",
    "href",
    "rel",
]
auth_documents = json_objects(
    AUTH_KEYS,
    {
        "title": strings,
        "authentication": st.lists(
            json_objects(AUTH_KEYS, {"type": strings, "labels": json_objects(AUTH_KEYS)}),
            max_size=3,
        ),
    },
)


@given(st.one_of(random_bytes, encoded_json(auth_documents), encoded_json(json_values(AUTH_KEYS))))
@example(b"[" * 100_000)
def test_authentication_document(data: bytes) -> None:
    document = outcome(lambda: parse_auth_document(data, URL), AuthDocumentError)
    if isinstance(document, AuthDocumentError):
        assert_one_line(document)
        assert str(document).startswith(f"{URL}: ")
        return
    assert isinstance(document, AuthDocument)
    assert document.title


challenge_parts = st.sampled_from(
    [
        "Basic",
        "Digest",
        "Bearer",
        "basic",
        "realm=",
        'realm="',
        '"',
        ",",
        " ",
        "=",
        "qop=auth",
        "nonce=x",
    ]
)
challenges = st.lists(challenge_parts | strings, max_size=10).map("".join)


@given(st.one_of(challenges, texts))
def test_www_authenticate(header: str) -> None:
    assert isinstance(challenge_scheme(header), str)
    assert isinstance(challenge_realm(header), str)


#: Charsets a server may name in ``filename*``: real ones, and Python codec names that are not
#: text encodings or cannot decode with a replacement (a hostile server picks those).
CHARSETS = [
    "UTF-8",
    "utf-8",
    "ISO-8859-1",
    "windows-1251",
    "koi8-r",
    "utf-16",
    "",
    "unknown-charset",
    "idna",
    "punycode",
    "undefined",
    "rot13",
    "hex",
    "base64",
    "zlib",
    "uu",
    "unicode_escape",
    "utf-7",
]
disposition_parts = st.sampled_from(
    [
        "attachment",
        "inline",
        ";",
        " ",
        "filename=",
        "filename*=",
        "FILENAME*=",
        "''",
        "'",
        '"',
        "\\",
        "%",
        "%FF",
        "%D0%9A",
        "%00",
        "%2F..%2F",
        "..",
        "/etc/passwd",
        "CON.epub",
        ".epub",
        "a" * 300,
    ]
)
dispositions = st.one_of(
    texts,
    st.lists(disposition_parts | strings, max_size=12).map("".join),
    st.tuples(
        st.sampled_from(CHARSETS), strings, st.lists(disposition_parts | strings, max_size=6)
    ).map(lambda parts: f"attachment; filename*={parts[0]}'{parts[1]}'{''.join(parts[2])}"),
)


@given(dispositions, strings, st.none() | strings)
@example("attachment; filename*=idna''%FF", URL, None)
@example("attachment; filename*=punycode''%FF", URL, None)
@example("attachment; filename*=undefined''x", URL, None)
def test_content_disposition(header: str, url: str, content_type: str | None) -> None:
    raw = parse_content_disposition(header)
    assert raw is None or isinstance(raw, str)
    name = choose_filename(url, header, content_type)
    assert name
    assert name not in (".", "..")
    assert "/" not in name
    assert "\\" not in name
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name)
