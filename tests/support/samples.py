"""Real sample documents for tests: PDFs in four languages, EPUB, FB2, TXT."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from tests.support import docgen
from tests.support.corpus import page_text

UZ_PAGE = (
    "Kutubxona — bilim manbai. Talabalar oʻquv zalida kitoblarni oʻqiydilar. "
    "Kitobning sahifalari koʻp. Biz kitobga qaytamiz. Taʼlim va gʻalaba haqida. "
)
UZ_CYRL_PAGE = "Кутубхона ва ўқув маркази. Ўқитувчи ғалаба ҳақида гапирди. Китоблар кўп. "
RU_PAGE = "Библиотека университета. Студенты читают книги в библиотеке. Не очень краткое введение. "
EN_PAGE = "The library of the university. Students read libraries of books every day. "
MOJIBAKE_SOURCE = "Не очень краткое введение в мозаику. Ёлка и библиотекарь."


@dataclass(frozen=True)
class Samples:
    """Paths of the generated sample documents."""

    folder: Path
    multilingual: Path
    encrypted: Path
    epub: Path
    fb2: Path
    txt: Path
    big: Path
    page_count: int


def _filler(lang: str, seed: int) -> str:
    return page_text(lang, random.Random(seed), 900)


def make_samples(folder: Path) -> Samples:
    """Generate the sample documents into ``folder`` (pages 0-based: 0 uz, 1 uz-cyrl, 2 ru,
    3 en, 4 mojibake, 5 image only, then filler)."""
    pages = [
        UZ_PAGE + _filler("uz", 1),
        UZ_CYRL_PAGE + _filler("uz-cyrl", 2),
        RU_PAGE + _filler("ru", 3),
        EN_PAGE + _filler("en", 4),
        MOJIBAKE_SOURCE + " " + _filler("ru", 5),
        "scanned page " + _filler("en", 6),
    ] + [_filler(("uz", "ru", "en", "uz-cyrl")[i % 4], 10 + i) for i in range(34)]
    multilingual = docgen.make_pdf(
        folder / "darslik.pdf",
        pages,
        title="Oʻzbek tili darsligi",
        author="Alisher Navoiy; Abdulla Qodiriy",
        toc=[(1, "Kirish", 1), (1, "Rus tili", 3), (2, "Mozaika", 5), (1, "Ilova", 20)],
        mojibake_pages=[4],
        image_only_pages=[5],
    )
    encrypted = docgen.make_pdf(
        folder / "maxfiy.pdf",
        [UZ_PAGE + " maxfiysoʻz", EN_PAGE],
        title="Maxfiy hujjat",
        password="SaSLprep",
    )
    epub = docgen.make_epub(
        folder / "hikoyalar.epub",
        [("Birinchi bob", UZ_PAGE * 3), ("Второй раздел", RU_PAGE * 3)],
        title="Hikoyalar toʻplami",
        author="Abdulla Qahhor",
        lang="uz",
    )
    fb2 = docgen.make_fb2(
        folder / "roman.fb2",
        [("Глава первая", RU_PAGE * 4), ("Глава вторая", "Снег падал на город. " * 20)],
        title="Городской роман",
        author="Иван Петров",
        lang="ru",
    )
    txt = docgen.make_txt(folder / "eslatma.txt", UZ_CYRL_PAGE * 10)
    big = docgen.make_mixed_book_pdf(folder / "katta.pdf", 240, seed=7)
    return Samples(folder, multilingual, encrypted, epub, fb2, txt, big, len(pages))
