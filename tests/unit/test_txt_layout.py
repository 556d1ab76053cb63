"""TXT books in the reader: set in the reading font, not MuPDF's monospace, their text unchanged.

MuPDF lays a TXT book out as one ``<pre>``, in its monospace font (issue 12, item 24). The user
stylesheet is one for the whole process but is read when a document is opened, so the worker
gives the TXT rule only while opening a TXT book (`app/documents/extract.py` `TXT_CSS`): that
book alone changes, an EPUB's own ``<pre>`` keeps its monospace font, and the TXT book's text
(its places, its search) is the same (docs/reader.md).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from app.documents.extract import READING_CSS, open_document
from app.documents.render import REFLOW_HEIGHT, REFLOW_WIDTH
from tests.support.docgen import make_epub, make_txt

TEXT = "Kutubxona — bilim manbai.\n    Ichkariga surilgan qator\nКутубхона ва ўқув маркази.\n"


def _fonts(doc: Any, size: float = 11) -> dict[str, set[str]]:
    """The fonts of a document laid out as the reader does, and the text set in each."""
    doc.layout(width=REFLOW_WIDTH, height=REFLOW_HEIGHT, fontsize=size)
    fonts: dict[str, set[str]] = {}
    for page in doc:
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    fonts.setdefault(span["font"], set()).add(span["text"].strip()[:9])
    return fonts


@pytest.fixture
def reading_css() -> Iterator[None]:
    """The reading stylesheet in place before and after the test (it is the process's)."""
    pymupdf.mupdf.fz_set_user_css(READING_CSS)
    yield
    pymupdf.mupdf.fz_set_user_css(READING_CSS)


def _epub_with_pre(folder: Path) -> Path:
    """An EPUB whose chapter ends in a ``<pre>`` block (program code in a textbook)."""
    path = make_epub(folder / "pre.epub", [("Bob", "Matn")], title="t", author="a", lang="uz")
    with zipfile.ZipFile(path) as book:
        files = {name: book.read(name) for name in book.namelist()}
    chapter = next(name for name in files if name.endswith("chapter001.xhtml"))
    files[chapter] = files[chapter].replace(b"</body>", b"<pre>print(kitob)</pre></body>")
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", files.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            book.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_a_txt_book_is_set_in_the_reading_font_and_an_epubs_pre_stays_monospace(
    tmp_path: Path, reading_css: None
) -> None:
    txt = make_txt(tmp_path / "eslatma.txt", TEXT * 5)
    doc, _locked = open_document(txt)
    assert not any("Mono" in font for font in _fonts(doc)), _fonts(doc)
    assert not any("Mono" in font for font in _fonts(doc, 16))  # laid out again: still so
    assert "    Ichkariga" in doc[0].get_text()  # its lines and spaces kept
    pymupdf.mupdf.fz_set_user_css(READING_CSS)
    monospace = pymupdf.open(txt)  # how MuPDF sets it on its own
    assert all("Mono" in font for font in _fonts(monospace))
    assert _same_words(doc, monospace)  # the same text: places and search unchanged
    epub, _locked = open_document(_epub_with_pre(tmp_path))
    epub_fonts = _fonts(epub)
    assert any("Mono" in font and "print(kit" in texts for font, texts in epub_fonts.items())


def _same_words(first: Any, second: Any) -> bool:
    """The two documents hold the same text, whatever their page breaks."""
    return (
        "".join(p.get_text() for p in first).split()
        == "".join(p.get_text() for p in second).split()
    )
