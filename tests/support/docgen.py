"""Writers of real PDF, EPUB, FB2 and TXT files for tests and benchmarks."""

from __future__ import annotations

import os
import random
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import pymupdf

from tests.support.corpus import LANGS, chapter_title, page_text

PathLike = str | os.PathLike[str]

PAGE_WIDTH = 595.0  # A4 in points
PAGE_HEIGHT = 842.0
MARGIN = 56.0
FONT_SIZE = 11.0
LINE_SPACING = 1.35  # line height as a multiple of the font size
PARAGRAPH_GAP = 0.5  # extra space between paragraphs, in lines
MIN_FONT_SIZE = 4.0
ROMAN_FRONT_PAGES = 4  # page_labels=True: this many front pages get i, ii, iii, iv
CHAPTER_EVERY = 20  # make_book_pdf: a chapter starts about every this many pages
SCAN_DPI = 72  # resolution of the image on image_only_pages

_FONT_RES = "F0"
_BCP47 = {"uz": "uz", "uz-cyrl": "uz-Cyrl", "ru": "ru", "en": "en"}
_AUTHORS: dict[str, tuple[str, ...]] = {
    "uz": ("Aziz Karimov", "Dilnoza Yoʻldosheva", "Gʻayrat Toʻxtayev", "Nodira Rahimova"),
    "uz-cyrl": ("Азиз Каримов", "Дилноза Йўлдошева", "Ғайрат Тўхтаев", "Нодира Раҳимова"),
    "ru": ("Иван Петров", "Анна Смирнова", "Пётр Ёлкин", "Мария Кузнецова"),
    "en": ("John Smith", "Mary Brown", "Robert Taylor", "Alice Walker"),
}
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)
_EPUB_MODIFIED = "2024-01-01T00:00:00Z"


# --------------------------------------------------------------------------- text layout


class _Typesetter:
    """Lays text out in lines and writes it as a raw PDF content stream with one embedded font.

    The font is MuPDF's built-in Noto Serif (``pymupdf.Font()``), which covers Latin, Latin-1,
    Cyrillic including the Uzbek letters, U+02BB/U+02BC and typographic quotes. It is embedded
    once per document as a Type0/Identity-H font whose ToUnicode CMap covers the whole font, so
    writing glyph ids directly round-trips through ``page.get_text()``. This is ~10x faster than
    ``TextWriter`` or ``insert_htmlbox``.
    """

    _font: pymupdf.Font | None = None

    def __init__(self) -> None:
        if _Typesetter._font is None:
            _Typesetter._font = pymupdf.Font()  # MuPDF's built-in Noto Serif
        self.font = _Typesetter._font
        self._glyph: dict[str, str] = {}  # char -> 4 hex digits of the glyph id
        self._advance: dict[str, float] = {}  # char -> advance at size 1
        self._word_width: dict[str, float] = {}

    def _load(self, ch: str) -> None:
        gid = self.font.has_glyph(ord(ch))
        if not gid:
            raise ValueError(f"character {ch!r} (U+{ord(ch):04X}) is not in the built-in font")
        self._glyph[ch] = f"{gid:04x}"
        self._advance[ch] = self.font.glyph_advance(ord(ch))

    def hex(self, text: str) -> str:
        glyph = self._glyph
        try:
            return "".join([glyph[c] for c in text])
        except KeyError:
            for c in text:
                if c not in glyph:
                    self._load(c)
            return "".join([glyph[c] for c in text])

    def width(self, word: str) -> float:
        """Width of `word` at font size 1."""
        w = self._word_width.get(word)
        if w is None:
            self.hex(word)  # loads and validates every character
            w = sum(self._advance[c] for c in word)
            self._word_width[word] = w
        return w

    def _wrap(self, text: str, size: float, width: float) -> list[str | None]:
        """Lines of text; None marks a paragraph gap."""
        space = self.width(" ") * size
        lines: list[str | None] = []
        for raw in text.split("\n"):
            words = raw.split()
            if not words:
                if lines and lines[-1] is not None:
                    lines.append(None)
                continue
            current: list[str] = []
            used = 0.0
            for word in words:
                w = self.width(word) * size
                if current and used + space + w > width:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                if w > width:  # a word wider than the line: break it by characters
                    for ch in word:
                        cw = self.width(ch) * size
                        if current and used + cw > width:
                            lines.append("".join(current))
                            current, used = [], 0.0
                        current.append(ch)
                        used += cw
                    lines.append("".join(current))
                    current, used = [], 0.0
                    continue
                used += (space if current else 0.0) + w
                current.append(word)
            if current:
                lines.append(" ".join(current))
        while lines and lines[-1] is None:
            lines.pop()
        return lines

    def content(self, text: str, page_width: float, page_height: float) -> bytes:
        """A content stream showing `text` wrapped in the page, shrinking the font to fit."""
        width = page_width - 2 * MARGIN
        height = page_height - 2 * MARGIN
        size = FONT_SIZE
        while True:
            lines = self._wrap(text, size, width)
            leading = size * LINE_SPACING
            needed = sum(leading * (PARAGRAPH_GAP if ln is None else 1.0) for ln in lines)
            if needed <= height or size <= MIN_FONT_SIZE:
                break
            size = max(MIN_FONT_SIZE, size * 0.9)
        if not lines:
            return b""
        parts = [f"BT /{_FONT_RES} {size:.2f} Tf"]
        y = page_height - MARGIN - self.font.ascender * size
        for line in lines:
            if line is None:
                y -= leading * PARAGRAPH_GAP
                continue
            parts.append(f"1 0 0 1 {MARGIN:.2f} {y:.2f} Tm <{self.hex(line)}> Tj")
            y -= leading
        parts.append("ET")
        return "\n".join(parts).encode("ascii")


def mojibake(text: str) -> str:
    """What a broken PDF extracts for Cyrillic `text`: cp1251 bytes read as Latin-1.

    C1 control characters (U+0080-U+009F, from cp1251 bytes 0x80-0x9F such as the em dash and
    the ellipsis) cannot be shown as text, so they are read as cp1252 like Windows viewers do
    (``—`` becomes ``—``, ``…`` becomes ``…``), or as ``?`` where cp1252 has no character.
    """
    latin = text.encode("cp1251", errors="replace").decode("latin-1")
    out: list[str] = []
    for ch in latin:
        if "\x80" <= ch <= "\x9f":
            try:
                out.append(ch.encode("latin-1").decode("cp1252"))
            except UnicodeDecodeError:
                out.append("?")
        else:
            out.append(ch)
    return "".join(out)


def _stream(doc: pymupdf.Document, data: bytes, header: str = "") -> int:
    """A new Flate-compressed stream object; returns its xref."""
    xref: int = doc.get_new_xref()
    doc.update_object(xref, f"<<{header}>>")
    # zlib level 1 is several times faster than MuPDF's default and the streams are small.
    doc.update_stream(xref, zlib.compress(data, 1), compress=False)  # this drops any /Filter
    doc.xref_set_key(xref, "Filter", "/FlateDecode")
    return xref


def _scan_image(doc: pymupdf.Document, scratch: pymupdf.Document, content: bytes) -> int:
    """A grey image XObject of the page as a scanner would produce it; returns its xref."""
    page = scratch[0]
    scratch.update_stream(page.get_contents()[0], content)
    pix = page.get_pixmap(dpi=SCAN_DPI, colorspace=pymupdf.csGRAY, alpha=False)
    header = (
        f"/Type/XObject/Subtype/Image/Width {pix.width}/Height {pix.height}"
        "/ColorSpace/DeviceGray/BitsPerComponent 8"
    )
    return _stream(doc, bytes(pix.samples_mv), header)


def _scratch_page(typesetter: _Typesetter) -> pymupdf.Document:
    """A one-page document with the font, for rendering pages to images."""
    scratch = pymupdf.open()
    page = scratch.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
    font_xref = page.insert_font(fontname=_FONT_RES, fontbuffer=typesetter.font.buffer)
    contents = _stream(scratch, b"")
    scratch.xref_set_key(page.xref, "Contents", f"{contents} 0 R")
    scratch.xref_set_key(page.xref, "Resources", f"<</Font<</{_FONT_RES} {font_xref} 0 R>>>>")
    return scratch


# --------------------------------------------------------------------------- PDF


def make_pdf(
    path: PathLike,
    pages: list[str],
    *,
    title: str | None = None,
    author: str | None = None,
    toc: list[tuple[int, str, int]] | None = None,
    password: str | None = None,
    owner_password: str | None = None,
    image_only_pages: Iterable[int] = (),
    mojibake_pages: Iterable[int] = (),
    page_labels: bool = False,
) -> Path:
    """Write an A4 PDF with one page per string of `pages` and return its path.

    Text is wrapped inside the margins (the font shrinks if a page would overflow) and
    ``page.get_text()`` returns it with line breaks where it wrapped (compare with whitespace
    normalised). Page indexes in `image_only_pages` and `mojibake_pages` are 0-based; image-only
    pages carry a grey raster of the text and no text layer; mojibake pages show ``mojibake(text)``.
    `toc` entries are ``(level, title, 1-based page)``. `password` encrypts with AES-256 as the
    user password and, unless `owner_password` is given, as the owner password too.
    `page_labels` labels the first ``ROMAN_FRONT_PAGES`` pages i, ii, ... and the rest 1, 2, ...
    """
    if not pages:
        raise ValueError("a PDF needs at least one page (PyMuPDF cannot save zero pages)")
    out = Path(path)
    images = set(image_only_pages)
    broken = set(mojibake_pages)
    for index in images | broken:
        if not 0 <= index < len(pages):
            raise IndexError(f"page index {index} out of range for {len(pages)} pages")
    typesetter = _Typesetter()
    doc = pymupdf.open()
    scratch: pymupdf.Document | None = None
    try:
        # The page tree is written directly: Document.new_page() and Page.xref get slower with
        # every page (0.3 ms each at 2,500 pages). The first page comes from new_page() to
        # create the tree and embed the font.
        first = doc.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
        font_xref = first.insert_font(fontname=_FONT_RES, fontbuffer=typesetter.font.buffer)
        pages_xref = int(doc.xref_get_key(doc.pdf_catalog(), "Pages")[1].split()[0])
        text_resources = f"<</Font<</{_FONT_RES} {font_xref} 0 R>>>>"
        kids: list[str] = []
        for index, text in enumerate(pages):
            shown = mojibake(text) if index in broken else text
            content = typesetter.content(shown, PAGE_WIDTH, PAGE_HEIGHT)
            resources = text_resources
            if index in images:
                if scratch is None:
                    scratch = _scratch_page(typesetter)
                image = _scan_image(doc, scratch, content)
                resources = f"<</XObject<</Im0 {image} 0 R>>>>"
                content = f"q {PAGE_WIDTH} 0 0 {PAGE_HEIGHT} 0 0 cm /Im0 Do Q".encode("ascii")
            contents = _stream(doc, content)
            page_xref = first.xref if index == 0 else doc.get_new_xref()
            doc.update_object(
                page_xref,
                f"<</Type/Page/Parent {pages_xref} 0 R/MediaBox[0 0 {PAGE_WIDTH} {PAGE_HEIGHT}]"
                f"/Contents {contents} 0 R/Resources{resources}>>",
            )
            kids.append(f"{page_xref} 0 R")
        doc.xref_set_key(pages_xref, "Kids", "[" + " ".join(kids) + "]")
        doc.xref_set_key(pages_xref, "Count", str(len(pages)))
        metadata = {"creator": "Mutolaa test docgen", "producer": "PyMuPDF"}
        if title is not None:
            metadata["title"] = title
        if author is not None:
            metadata["author"] = author
        doc.set_metadata(metadata)
        if toc:
            doc.set_toc([[level, name, page_no] for level, name, page_no in toc])
        if page_labels:
            front = min(ROMAN_FRONT_PAGES, max(1, len(pages) - 1))
            labels = [{"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1}]
            if front < len(pages):
                labels.append({"startpage": front, "prefix": "", "style": "D", "firstpagenum": 1})
            doc.set_page_labels(labels)
        out.parent.mkdir(parents=True, exist_ok=True)
        if password is None:
            doc.save(str(out), garbage=1)
        else:
            doc.save(
                str(out),
                garbage=1,
                encryption=pymupdf.PDF_ENCRYPT_AES_256,
                user_pw=password,
                owner_pw=owner_password if owner_password is not None else password,
                permissions=int(pymupdf.PDF_PERM_ACCESSIBILITY | pymupdf.PDF_PERM_PRINT),
            )
    finally:
        doc.close()
        if scratch is not None:
            scratch.close()
    return out


@dataclass(frozen=True)
class BookContent:
    """What a generated book contains, for checking extraction against."""

    title: str
    author: str
    lang: str  # one of LANGS, or "mixed"
    pages: list[str]
    toc: list[tuple[int, str, int]]


def _book_title(lang: str, rng: random.Random) -> str:
    return chapter_title(lang, rng, 1).split(". ", 1)[1]


def _chapters(n_pages: int, langs: list[str], rng: random.Random) -> BookContent:
    pages: list[str] = []
    toc: list[tuple[int, str, int]] = []
    next_chapter = 0
    number = 0
    for index in range(n_pages):
        lang = langs[index % len(langs)]
        if index == next_chapter:
            number += 1
            heading = chapter_title(lang, rng, number)
            toc.append((1, heading, index + 1))
            span = rng.randint(CHAPTER_EVERY - 5, CHAPTER_EVERY + 5)
            if span >= 10 and index + span // 2 < n_pages:
                toc.append((2, f"{number}.1", index + span // 2 + 1))
            next_chapter = index + span
            body = page_text(lang, rng, 1800 - len(heading) - 2)
            pages.append(f"{heading}\n\n{body}")
        else:
            pages.append(page_text(lang, rng, 1800))
    main = langs[0]
    return BookContent(
        title=_book_title(main, rng),
        author=rng.choice(_AUTHORS[main]),
        lang=main if len(langs) == 1 else "mixed",
        pages=pages,
        toc=toc,
    )


def book_content(n_pages: int, lang: str, seed: int = 0) -> BookContent:
    """The deterministic content `make_book_pdf` writes for these arguments."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    return _chapters(n_pages, [lang], random.Random(f"book:{lang}:{seed}"))


def mixed_book_content(n_pages: int, seed: int = 0) -> BookContent:
    """The deterministic content `make_mixed_book_pdf` writes: page i is in LANGS[i % 4]."""
    return _chapters(n_pages, list(LANGS), random.Random(f"mixed:{seed}"))


def _write_book(path: PathLike, book: BookContent, kw: dict[str, Any]) -> Path:
    kw.setdefault("title", book.title)
    kw.setdefault("author", book.author)
    kw.setdefault("toc", book.toc)
    return make_pdf(path, book.pages, **kw)


def make_book_pdf(path: PathLike, n_pages: int, lang: str, seed: int = 0, **kw: Any) -> Path:
    """A book of `n_pages` pages (see `book_content`); `kw` goes to `make_pdf` and wins."""
    return _write_book(path, book_content(n_pages, lang, seed), kw)


def make_mixed_book_pdf(path: PathLike, n_pages: int, seed: int = 0, **kw: Any) -> Path:
    """A book whose pages rotate through uz, uz-cyrl, ru, en (see `mixed_book_content`)."""
    return _write_book(path, mixed_book_content(n_pages, seed), kw)


# --------------------------------------------------------------------------- EPUB, FB2, TXT


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _xhtml(title: str, body: str, lang: str, extra_ns: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"{extra_ns} xml:lang="{lang}" lang="{lang}">\n'
        f'<head><meta charset="UTF-8"/><title>{escape(title)}</title></head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def make_epub(
    path: PathLike,
    chapters: list[tuple[str, str]],
    *,
    title: str,
    author: str,
    lang: str,
    more_authors: Iterable[str] = (),
) -> Path:
    """Write an EPUB 3 (with an EPUB 2 NCX too): one XHTML file per ``(title, text)`` chapter.

    Paragraphs of a chapter's text are separated by blank lines; ``more_authors`` are further
    ``dc:creator`` elements.
    """
    out = Path(path)
    code = _BCP47.get(lang, lang)
    ident = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'mutolaa-test:{title}:{author}')}"
    files = [f"chapter{i:03d}.xhtml" for i in range(1, len(chapters) + 1)]

    docs: dict[str, str] = {}
    for name, (heading, text) in zip(files, chapters, strict=True):
        body = f"<h1>{escape(heading)}</h1>\n" + "\n".join(
            f"<p>{escape(p)}</p>" for p in _paragraphs(text)
        )
        docs[name] = _xhtml(heading, body, code)

    nav_items = "\n".join(
        f'<li><a href="{name}">{escape(heading)}</a></li>'
        for name, (heading, _) in zip(files, chapters, strict=True)
    )
    nav = _xhtml(
        title,
        f'<nav epub:type="toc" id="toc"><h1>{escape(title)}</h1>\n<ol>\n{nav_items}\n</ol></nav>',
        code,
        ' xmlns:epub="http://www.idpf.org/2007/ops"',
    )
    manifest = "\n".join(
        f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, name in enumerate(files, 1)
    )
    spine = "\n".join(f'<itemref idref="c{i}"/>' for i in range(1, len(files) + 1))
    opf = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="{code}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="bookid">{ident}</dc:identifier>
<dc:title>{escape(title)}</dc:title>
<dc:creator id="author">{escape(author)}</dc:creator>
{"".join(f"<dc:creator>{escape(name)}</dc:creator>" for name in more_authors)}
<dc:language>{code}</dc:language>
<meta property="dcterms:modified">{_EPUB_MODIFIED}</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
{manifest}
</manifest>
<spine toc="ncx">
{spine}
</spine>
</package>
"""  # noqa: E501
    points = "\n".join(
        f'<navPoint id="p{i}" playOrder="{i}"><navLabel><text>{escape(heading)}</text>'
        f'</navLabel><content src="{name}"/></navPoint>'
        for i, (name, (heading, _)) in enumerate(zip(files, chapters, strict=True), 1)
    )
    ncx = f"""<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="{code}">
<head>
<meta name="dtb:uid" content="{ident}"/>
<meta name="dtb:depth" content="1"/>
<meta name="dtb:totalPageCount" content="0"/>
<meta name="dtb:maxPageNumber" content="0"/>
</head>
<docTitle><text>{escape(title)}</text></docTitle>
<docAuthor><text>{escape(author)}</text></docAuthor>
<navMap>
{points}
</navMap>
</ncx>
"""
    container = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as zf:

        def add(name: str, data: str, compress: int = zipfile.ZIP_DEFLATED) -> None:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = compress
            zf.writestr(info, data.encode("utf-8"))

        add("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        add("META-INF/container.xml", container)
        add("OEBPS/content.opf", opf)
        add("OEBPS/nav.xhtml", nav)
        add("OEBPS/toc.ncx", ncx)
        for name in files:
            add(f"OEBPS/{name}", docs[name])
    return out


def make_fb2(
    path: PathLike, sections: list[tuple[str, str]], *, title: str, author: str, lang: str
) -> Path:
    """Write a FictionBook 2 file (UTF-8) with one body section per ``(title, text)`` pair.

    The author's first word becomes first-name and the rest last-name (a single word becomes
    a nickname). Paragraphs of a section's text are separated by blank lines.
    """
    out = Path(path)
    names = author.split()
    if len(names) >= 2:
        author_xml = (
            f"<first-name>{escape(names[0])}</first-name>"
            f"<last-name>{escape(' '.join(names[1:]))}</last-name>"
        )
    else:
        author_xml = f"<nickname>{escape(author)}</nickname>"
    code = lang.split("-", maxsplit=1)[0]
    body = "\n".join(
        f"<section>\n<title><p>{escape(heading)}</p></title>\n"
        + "\n".join(f"<p>{escape(p)}</p>" for p in _paragraphs(text))
        + "\n</section>"
        for heading, text in sections
    )
    ident = uuid.uuid5(uuid.NAMESPACE_URL, f"mutolaa-test:{title}:{author}")
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0" xmlns:l="http://www.w3.org/1999/xlink">
<description>
<title-info>
<genre>prose</genre>
<author>{author_xml}</author>
<book-title>{escape(title)}</book-title>
<lang>{code}</lang>
</title-info>
<document-info>
<author><nickname>Mutolaa test docgen</nickname></author>
<date value="2024-01-01">2024</date>
<id>{ident}</id>
<version>1.0</version>
</document-info>
</description>
<body>
<title><p>{escape(title)}</p></title>
{body}
</body>
</FictionBook>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(xml, encoding="utf-8")
    return out


def make_txt(path: PathLike, text: str, *, encoding: str = "utf-8") -> Path:
    """Write `text` as a plain-text file (UTF-8 unless `encoding` says otherwise)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(text.encode(encoding))
    return out
