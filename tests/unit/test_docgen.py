"""Tests of the test-support corpus and document generators (real files opened with PyMuPDF)."""

from __future__ import annotations

import itertools
import random
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pymupdf
import pytest

from tests.support import corpus, docgen

APOSTROPHES = "Oʻzbekiston gʻalaba oʻqituvchi taʼlim ‘ ’ ʼ ' ` қ ғ ў ҳ Ёлка ёж «Жизнь» — …"


def flat(text: str) -> str:
    """Text with all runs of whitespace (line wraps, paragraph breaks) made single spaces."""
    return " ".join(text.split())


def page_texts(doc: pymupdf.Document) -> list[str]:
    return [flat(page.get_text()) for page in doc]


# --------------------------------------------------------------------------- corpus


@pytest.mark.parametrize("lang", corpus.LANGS)
def test_corpus_is_deterministic_and_sized(lang: str) -> None:
    first = corpus.page_text(lang, random.Random(7))
    assert first == corpus.page_text(lang, random.Random(7))
    assert first != corpus.page_text(lang, random.Random(8))
    assert 0.85 * 1800 <= len(first) <= 1800
    assert "\n\n" in first
    assert first[0].isupper()
    assert first.rstrip()[-1] in ".?!…"
    short = corpus.page_text(lang, random.Random(1), chars=300)
    assert 0 < len(short) <= 300
    para = corpus.paragraph(lang, random.Random(2), words=30)
    assert len(para.split()) >= 30
    assert "\n" not in para


@pytest.mark.parametrize("lang", corpus.LANGS)
def test_corpus_vocabulary_is_large(lang: str) -> None:
    assert len(corpus.vocabulary(lang)) >= 150


def test_corpus_uzbek_forms_and_apostrophes() -> None:
    vocab = set(corpus.vocabulary("uz"))
    for word in ("kitob", "kitoblar", "kitobning", "kitobga", "kutubxona", "kutubxonalar",
                 "oʻquv", "oʻqituvchi", "taʼlim", "gʻalaba", "maktab", "talaba"):  # fmt: skip
        assert word in vocab
    text = "".join(corpus.page_text("uz", random.Random(seed)) for seed in range(5))
    for mark in ("ʻ", "‘", "'", "`", "ʼ"):
        assert mark in text
    cyrl = "".join(corpus.page_text("uz-cyrl", random.Random(seed)) for seed in range(5))
    for letter in "ўқғҳъ":
        assert letter in cyrl
    assert "китоб" in set(corpus.vocabulary("uz-cyrl"))
    assert "кутубхона" in set(corpus.vocabulary("uz-cyrl"))
    assert not any(c.isascii() and c.isalpha() for c in cyrl)
    assert {"книга", "книги", "книгу", "библиотеке"} <= set(corpus.vocabulary("ru"))


def test_corpus_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        corpus.page_text("de", random.Random(0))


# --------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("lang", corpus.LANGS)
def test_pdf_text_round_trip(tmp_path: Path, lang: str) -> None:
    rng = random.Random(lang)
    pages = [corpus.page_text(lang, rng) for _ in range(3)]
    path = docgen.make_pdf(tmp_path / "a.pdf", pages)
    with pymupdf.open(path) as doc:
        assert doc.page_count == 3
        assert page_texts(doc) == [flat(p) for p in pages]
        page = doc[0]
        assert page.rect == pymupdf.Rect(0, 0, docgen.PAGE_WIDTH, docgen.PAGE_HEIGHT)
        margin = docgen.MARGIN - 1
        inner = pymupdf.Rect(margin, margin, page.rect.width - margin, page.rect.height)
        words = page.get_text("words")
        assert len(words) == len(pages[0].split())
        assert all(pymupdf.Rect(w[:4]) in inner for w in words)
        assert len({round(w[1]) for w in words}) > 15  # wrapped onto many lines


def test_pdf_special_characters_round_trip(tmp_path: Path) -> None:
    path = docgen.make_pdf(tmp_path / "a.pdf", [APOSTROPHES, f"{APOSTROPHES}\n\n{APOSTROPHES}"])
    with pymupdf.open(path) as doc:
        assert doc[0].get_text() == APOSTROPHES + "\n"
        assert flat(doc[1].get_text()) == f"{APOSTROPHES} {APOSTROPHES}"


def test_pdf_overlong_page_shrinks_to_fit(tmp_path: Path) -> None:
    text = corpus.page_text("ru", random.Random(0), chars=6000)
    path = docgen.make_pdf(tmp_path / "a.pdf", [text, "x" * 500])
    with pymupdf.open(path) as doc:
        assert flat(doc[0].get_text()) == flat(text)
        assert flat(doc[1].get_text()).replace(" ", "") == "x" * 500
        for page in doc:
            assert all(pymupdf.Rect(w[:4]) in page.rect for w in page.get_text("words"))


def test_pdf_metadata_toc_and_labels(tmp_path: Path) -> None:
    toc = [(1, "Kirish", 1), (1, "1-bob. Oʻquv", 2), (2, "Boʻlim", 3), (1, "Глава 2", 6)]
    pages = [f"Sahifa {i}" for i in range(1, 8)]
    path = docgen.make_pdf(
        tmp_path / "a.pdf", pages, title="Oʻzbek tili", author="Алишер Навоий", toc=toc,
        page_labels=True,
    )  # fmt: skip
    with pymupdf.open(path) as doc:
        assert doc.metadata is not None
        assert doc.metadata["title"] == "Oʻzbek tili"
        assert doc.metadata["author"] == "Алишер Навоий"
        assert doc.get_toc() == [list(entry) for entry in toc]
        labels = [page.get_label() for page in doc]
        assert labels == ["i", "ii", "iii", "iv", "1", "2", "3"]
    with pymupdf.open(docgen.make_pdf(tmp_path / "b.pdf", ["x"])) as doc:
        assert doc.get_toc() == []
        assert doc[0].get_label() == ""
        assert doc.metadata is not None
        assert doc.metadata["title"] == ""


def test_pdf_password(tmp_path: Path) -> None:
    text = corpus.page_text("uz", random.Random(1))
    path = docgen.make_pdf(tmp_path / "a.pdf", [text], title="Maxfiy", password="parol")
    doc = pymupdf.open(path)
    try:
        assert doc.needs_pass  # read once, before authenticating (see GOTCHAS.md)
        assert doc.is_encrypted
        assert doc.metadata is None
        assert doc.authenticate("wrong") == 0
        assert doc.authenticate("parol") != 0
        assert doc.metadata is not None
        assert doc.metadata["title"] == "Maxfiy"
        assert "AES" in doc.metadata["encryption"]
        assert "256" in doc.metadata["encryption"]
        assert flat(doc[0].get_text()) == flat(text)
    finally:
        doc.close()


def test_pdf_owner_password(tmp_path: Path) -> None:
    path = docgen.make_pdf(tmp_path / "a.pdf", ["x"], password="user", owner_password="owner")
    with pymupdf.open(path) as doc:
        assert doc.authenticate("owner") & 4  # 4: authenticated as owner
    with pymupdf.open(path) as doc:
        assert doc.authenticate("user") & 2  # 2: authenticated as user


def test_pdf_image_only_pages(tmp_path: Path) -> None:
    rng = random.Random(5)
    pages = [corpus.page_text("ru", rng) for _ in range(3)]
    path = docgen.make_pdf(tmp_path / "a.pdf", pages, image_only_pages=[0, 2])
    with pymupdf.open(path) as doc:
        assert doc[0].get_text() == ""
        assert doc[2].get_text() == ""
        assert flat(doc[1].get_text()) == flat(pages[1])
        assert len(doc[0].get_images()) == 1
        assert doc[1].get_images() == []
        pix = doc[0].get_pixmap(dpi=20, colorspace=pymupdf.csGRAY)
        assert min(pix.samples) < 128  # the "scan" shows dark text on white
        assert sum(pix.samples) / len(pix.samples) > 200


def test_pdf_mojibake_pages(tmp_path: Path) -> None:
    assert docgen.mojibake("Не очень краткое") == "Íå î÷åíü êðàòêîå"
    assert docgen.mojibake("ёлка — да…") == "¸ëêà — äà…"
    rng = random.Random(9)
    pages = ["Не очень краткое", corpus.page_text("ru", rng), corpus.page_text("uz-cyrl", rng)]
    path = docgen.make_pdf(tmp_path / "a.pdf", pages, mojibake_pages=[0, 2])
    with pymupdf.open(path) as doc:
        assert doc[0].get_text() == "Íå î÷åíü êðàòêîå\n"
        assert flat(doc[1].get_text()) == flat(pages[1])
        garbage = flat(doc[2].get_text())
        assert garbage == flat(docgen.mojibake(pages[2]))
        assert not any("\u0400" <= c <= "\u04ff" for c in garbage)


def test_pdf_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one page"):
        docgen.make_pdf(tmp_path / "a.pdf", [])
    with pytest.raises(IndexError):
        docgen.make_pdf(tmp_path / "a.pdf", ["x"], image_only_pages=[1])
    with pytest.raises(ValueError, match="not in the built-in font"):
        docgen.make_pdf(tmp_path / "a.pdf", ["中文"])


def test_book_pdf(tmp_path: Path) -> None:
    book = docgen.book_content(60, "uz", seed=3)
    assert book == docgen.book_content(60, "uz", seed=3)
    assert book.pages != docgen.book_content(60, "uz", seed=4).pages
    path = docgen.make_book_pdf(tmp_path / "book.pdf", 60, "uz", seed=3)
    with pymupdf.open(path) as doc:
        assert doc.page_count == 60
        assert doc.metadata is not None
        assert doc.metadata["title"] == book.title
        assert doc.metadata["author"] == book.author
        toc = doc.get_toc()
        assert toc == [list(entry) for entry in book.toc]
        chapters = [entry for entry in toc if entry[0] == 1]
        assert 2 <= len(chapters) <= 5
        assert chapters[0][2] == 1
        assert all(15 <= b[2] - a[2] <= 25 for a, b in itertools.pairwise(chapters))
        assert page_texts(doc) == [flat(p) for p in book.pages]
        assert flat(doc[0].get_text()).startswith(chapters[0][1])


def test_book_pdf_options_pass_through(tmp_path: Path) -> None:
    path = docgen.make_book_pdf(
        tmp_path / "book.pdf", 5, "en", title="Other", toc=[], mojibake_pages=[1]
    )
    with pymupdf.open(path) as doc:
        assert doc.metadata is not None
        assert doc.metadata["title"] == "Other"
        assert doc.get_toc() == []
        assert doc.page_count == 5


def test_mixed_book_pdf(tmp_path: Path) -> None:
    book = docgen.mixed_book_content(8, seed=1)
    path = docgen.make_mixed_book_pdf(tmp_path / "mixed.pdf", 8, seed=1)
    with pymupdf.open(path) as doc:
        texts = page_texts(doc)
    assert texts == [flat(p) for p in book.pages]
    cyrillic = [any("\u0400" <= c <= "\u04ff" for c in t) for t in texts]
    assert cyrillic == [False, True, True, False] * 2
    assert any(c in texts[0] for c in "ʻ‘'`ʼ")
    assert any(c in texts[1] for c in "ўқғҳ")
    assert not any(c in texts[2] for c in "ўқғҳ")


# --------------------------------------------------------------------------- EPUB, FB2, TXT


def _chapters(lang: str) -> list[tuple[str, str]]:
    rng = random.Random(lang)
    return [(corpus.chapter_title(lang, rng, i), corpus.page_text(lang, rng)) for i in (1, 2, 3)]


@pytest.mark.parametrize("lang", corpus.LANGS)
def test_epub(tmp_path: Path, lang: str) -> None:
    chapters = _chapters(lang)
    chapters[0] = (chapters[0][0], f"{APOSTROPHES}\n\n<b> & </b>\n\n{chapters[0][1]}")
    title, author = "Oʻtgan kunlar & «Жизнь»", "Abdulla Qodiriy"
    path = docgen.make_epub(tmp_path / "a.epub", chapters, title=title, author=author, lang=lang)
    with zipfile.ZipFile(path) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == b"application/epub+zip"
        names = set(zf.namelist())
        assert {"META-INF/container.xml", "OEBPS/content.opf", "OEBPS/nav.xhtml"} <= names
        assert "OEBPS/toc.ncx" in names
        for name in names - {"mimetype"}:
            ET.fromstring(zf.read(name))  # well-formed XML
        opf = ET.fromstring(zf.read("OEBPS/content.opf"))
        dc = "{http://purl.org/dc/elements/1.1/}"
        assert opf.get("version") == "3.0"
        assert opf.findtext(f".//{dc}title") == title
        assert opf.findtext(f".//{dc}creator") == author
        assert opf.findtext(f".//{dc}language") == {"uz-cyrl": "uz-Cyrl"}.get(lang, lang)
    with pymupdf.open(path) as doc:
        assert doc.is_reflowable
        assert doc.page_count >= 3
        assert doc.metadata is not None
        assert doc.metadata["title"] == title
        assert doc.metadata["author"] == author
        assert [entry[1] for entry in doc.get_toc()] == [c[0] for c in chapters]
        text = flat(" ".join(page.get_text() for page in doc))
    for heading, body in chapters:
        assert flat(heading) in text
        assert flat(body) in text


@pytest.mark.parametrize("lang", corpus.LANGS)
def test_fb2(tmp_path: Path, lang: str) -> None:
    sections = _chapters(lang)
    sections[1] = (sections[1][0], f"{APOSTROPHES}\n\n<i> & </i>")
    title, author = "Sariq devni minib", "Xudoyberdi Toʻxtaboyev"
    path = docgen.make_fb2(tmp_path / "a.fb2", sections, title=title, author=author, lang=lang)
    root = ET.fromstring(path.read_bytes())
    ns = "{http://www.gribuser.ru/xml/fictionbook/2.0}"
    info = root.find(f"{ns}description/{ns}title-info")
    assert info is not None
    assert info.findtext(f"{ns}book-title") == title
    assert info.findtext(f"{ns}author/{ns}first-name") == "Xudoyberdi"
    assert info.findtext(f"{ns}author/{ns}last-name") == "Toʻxtaboyev"
    assert info.findtext(f"{ns}lang") == lang.split("-", maxsplit=1)[0]
    with pymupdf.open(path) as doc:
        assert doc.metadata is not None
        assert doc.metadata["format"] == "FictionBook2"
        assert doc.metadata["title"] == title
        assert doc.metadata["author"] == author
        assert [entry[1] for entry in doc.get_toc()] == [s[0] for s in sections]
        text = flat(" ".join(page.get_text() for page in doc))
    for heading, body in sections:
        assert flat(heading) in text
        assert flat(body) in text


def test_fb2_single_name_author(tmp_path: Path) -> None:
    path = docgen.make_fb2(tmp_path / "a.fb2", [("Bir", "Matn")], title="T", author="Navoiy",
                           lang="uz")  # fmt: skip
    assert b"<nickname>Navoiy</nickname>" in path.read_bytes()
    with pymupdf.open(path) as doc:
        assert "Matn" in doc[0].get_text()


def test_txt(tmp_path: Path) -> None:
    text = f"{APOSTROPHES}\nВторая строка\n"
    path = docgen.make_txt(tmp_path / "a.txt", text)
    assert path.read_bytes() == text.encode("utf-8")
    with pymupdf.open(path) as doc:
        assert flat(doc[0].get_text()) == flat(text)
    legacy = docgen.make_txt(tmp_path / "sub" / "b.txt", "Не очень краткое", encoding="cp1251")
    assert legacy.read_bytes() == "Не очень краткое".encode("cp1251")
