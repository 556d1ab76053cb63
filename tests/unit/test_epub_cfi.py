"""EPUB CFIs of places in an EPUB: spine steps, element and text steps, offsets, ranges, and
files that are odd or broken (issue 12 item 12)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from app.services.annotations.exports.epub_cfi import CfiError, EpubCfi
from tests.support.epub_cfi_check import text_at

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OPS/pkg/book.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""

# the spine is the package's fourth element (/8); an itemref naming no manifest item is no
# chapter (as MuPDF); the second itemref has an id (asserted as [ref2])
OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.w3.org/1999/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>
<dc:title>T</dc:title><dc:language>uz</dc:language></metadata>
<manifest>
<item id="a" href="../text/one%20a.xhtml" media-type="application/xhtml+xml"/>
<item id="b" href="../text/two.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<guide/>
<spine>
<itemref idref="missing"/>
<itemref idref="a"/>
<itemref id="ref2" idref="b"/>
</spine>
</package>"""

ONE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Bir</title>
<style>p { margin: 0 }</style></head>
<body id="b1">
<h1>Bir</h1>
<!-- a comment between texts -->
<p id="p[1]">Kitob&nbsp;va <em>kutubxona</em> haqida: <ruby>漢<rt>kan</rt></ruby>字 va 𝐀 harf.</p>
</body></html>"""

TWO = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Ikki</title></head>
<body><div><p>Ikkinchi bob matni.</p></div></body></html>"""


def make(folder: Path, one: str = ONE, opf: str = OPF) -> Path:
    path = folder / "odd.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OPS/pkg/book.opf", opf)
        archive.writestr("OPS/text/one a.xhtml", one)
        archive.writestr("OPS/text/two.xhtml", TWO)
    return path


def test_cfis_step_through_the_spine_elements_and_text_to_the_characters(tmp_path: Path) -> None:
    path = make(tmp_path)
    with EpubCfi.open(path) as epub:
        assert epub.chapters == 2
        # "Bir" (3) then "Kitob va " (7): "kutubxona" is characters 10..19 of chapter 0
        cfi = epub.cfi(0, 10, 19)
        assert cfi == "epubcfi(/8/4!/4[b1]/4[p^[1^]]/2,/1:0,/1:9)"
        assert text_at(path, cfi or "") == "kutubxona"
        # across elements; the ruby reading (rt) holds no place, 𝐀 is two UTF-16 units
        cfi = epub.cfi(0, 8, 32, quote="va kutubxona haqida: 漢字 va 𝐀")
        assert cfi == "epubcfi(/8/4!/4[b1]/4[p^[1^]],/1:6,/5:7)"  # 𝐀: 2 units
        assert text_at(path, cfi or "") == "va kutubxona haqida: 漢kan字 va 𝐀"
        # a point (a bookmark): the first letter of the chapter
        assert epub.cfi(0, 0, 0) == "epubcfi(/8/4!/4[b1]/2/1:0)"
        cfi = epub.cfi(1, 8, 11, quote="bob")
        assert cfi == "epubcfi(/8/6[ref2]!/4/2/2,/1:9,/1:12)"
        assert text_at(path, cfi or "") == "bob"
        assert epub.cfi(2, 0, 1) is None  # no such chapter


def test_a_quote_near_the_place_wins_over_a_count_that_is_off(tmp_path: Path) -> None:
    path = make(tmp_path)
    with EpubCfi.open(path) as epub:
        cfi = epub.cfi(0, 7, 16, quote="kutubxona")  # three characters early
        assert text_at(path, cfi or "") == "kutubxona"
        cfi = epub.cfi(0, 10, 19, quote="not in the chapter")  # then the count decides
        assert text_at(path, cfi or "") == "kutubxona"


def test_a_broken_chapter_gives_no_cfi_and_a_broken_package_is_one_error(tmp_path: Path) -> None:
    path = make(tmp_path, one="<html><body><p>unclosed")
    with EpubCfi.open(path) as epub:
        assert epub.cfi(0, 0, 3) is None
        assert epub.cfi(1, 0, 3) == "epubcfi(/8/6[ref2]!/4/2/2,/1:0,/1:3)"
    with pytest.raises(CfiError, match="package cannot be read"):
        EpubCfi.open(make(tmp_path, opf="<package"))
    not_zip = tmp_path / "x.epub"
    not_zip.write_bytes(b"%PDF-1.7")
    with pytest.raises(CfiError, match="not a readable EPUB"):
        EpubCfi.open(not_zip)
    entity = make(tmp_path, opf=OPF.replace("<guide/>", '<!DOCTYPE p [<!ENTITY e "x">]>'))
    with pytest.raises(CfiError):
        EpubCfi.open(entity)
