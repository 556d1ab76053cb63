"""The rules of sync/server/safe_files.py on their own: download names, links, FIFOs."""

from __future__ import annotations

import os
from email.message import Message
from pathlib import Path
from urllib.parse import unquote

import pytest

from sync.server.safe_files import NotRegular, content_disposition, open_regular, outside

ODD_NAMES = [
    "kitob.pdf",
    "line\nbreak.pdf",
    "tab\there\r.pdf",
    "Ўтган кунлар.epub",
    "Oʻtgan kunlar.pdf",
    'quote " back \\ slash.pdf',
    "100% ; semi=colon, comma.pdf",
    "emoji 📚.fb2",
    "\u202eevil\u202dfdp.txt",  # right-to-left override
    "nul\x00.pdf",
    "  spaces  ",
    "\x7f\x1b[31m.pdf",
    "ﬁ ligature ½.pdf",
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_any_name_makes_an_ascii_header_that_gives_the_name_back(name: str) -> None:
    header = content_disposition(name)
    assert header.isascii()
    assert all(" " <= c <= "~" for c in header)  # no newline, no control character
    message = Message()
    message["Content-Disposition"] = header
    fallback = message.get_param("filename", header="Content-Disposition")
    assert isinstance(fallback, str)
    assert fallback
    if "filename*=" in header:
        encoded = header.split("filename*=UTF-8''", 1)[1]
        assert unquote(encoded, errors="strict") == name
    else:
        assert fallback == name


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("kitob.pdf", 'attachment; filename="kitob.pdf"'),
        ("café.epub", "attachment; filename=\"cafe.epub\"; filename*=UTF-8''caf%C3%A9.epub"),
        ('a "b".pdf', "attachment; filename=\"a _b_.pdf\"; filename*=UTF-8''a%20%22b%22.pdf"),
        ("\n", "attachment; filename=\"_\"; filename*=UTF-8''%0A"),
        ("Ж", "attachment; filename=\"_\"; filename*=UTF-8''%D0%96"),
    ],
)
def test_download_names(name: str, header: str) -> None:
    assert content_disposition(name) == header


def test_outside_resolves_links_and_dot_dots(tmp_path: Path) -> None:
    root = tmp_path / "books"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "secret").write_bytes(b"x")
    (root / "in.pdf").symlink_to(root / "sub" / "a.pdf")
    (root / "out.pdf").symlink_to(tmp_path / "secret")
    (tmp_path / "books2").mkdir()  # a sibling whose name starts like the folder's
    (root / "sibling.pdf").symlink_to(tmp_path / "books2")
    assert not outside(root / "in.pdf", root)
    assert outside(root / "out.pdf", root)
    assert outside(root / "sibling.pdf", root)
    assert outside(root / ".." / "secret", root)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.pdf")
    with pytest.raises(NotRegular, match="not a regular file"):
        open_regular(tmp_path / "pipe.pdf")  # a plain open() would wait for a writer forever
    (tmp_path / "book.pdf").write_bytes(b"%PDF-1.7")
    with os.fdopen(open_regular(tmp_path / "book.pdf"), "rb") as handle:
        assert handle.read() == b"%PDF-1.7"
