"""Benchmark inputs: real fixture documents, generated books, a shelf of small books, and
the search corpus.

Generated files are cached under ``CACHE`` with their parameters in the name, so a second
run does not generate them again. A cache entry is written to a temporary name first and
renamed when complete, so an interrupted run never leaves a half-written input behind.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.common import CACHE, DOCUMENTS, say
from tests.support.corpus import LANGS, page_text, sentence, vocabulary
from tests.support.docgen import book_content, make_book_pdf, make_mixed_book_pdf, make_pdf

#: Bump when the way inputs are generated changes (invalidates the cache).
INPUT_VERSION = 1

#: Real documents for T1 (the duplicates among them are dropped by content).
FIXTURE_FILES = (
    "pdf/pdfjs/freeculture.pdf",
    "pdf/pdfjs/tracemonkey.pdf",
    "pdf/pdfjs/pdkids.pdf",
    "pdf/pdfjs/TAMReview.pdf",
    "epub/pymupdf/Bezier.epub",
    "epub/pymupdf/test_3615.epub",
    "epub/pymupdf/test_3687.epub",
    "epub/pymupdf/test_open2.epub",
)
QUICK_FIXTURE_FILES = ("pdf/pdfjs/tracemonkey.pdf", "pdf/pdfjs/TAMReview.pdf")

#: The marker word on page 1 of the T2 book: in no other page, any language.
T2_MARKER = "zarafshonqalqon"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fixture_documents(names: tuple[str, ...]) -> list[Path]:
    """The named fixture files that exist, one per distinct content."""
    found: list[Path] = []
    seen: set[str] = set()
    for name in names:
        path = DOCUMENTS / name
        if not path.is_file():
            say(f"fixture {path} not found; left out")
            continue
        digest = _sha256(path)
        if digest in seen:
            say(f"fixture {name} is a copy of an earlier one; left out")
            continue
        seen.add(digest)
        found.append(path)
    return found


def _cached_file(name: str, make: object) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / name
    if not path.exists():
        temp = path.with_name(f".{path.name}.part.pdf")
        say(f"generating {name} (cached for the next runs)")
        make(temp)  # type: ignore[operator]
        temp.replace(path)
    return path


def generated_book(lang: str, pages: int, seed: int) -> Path:
    """A generated PDF book; ``lang`` is one of LANGS or ``"mixed"``."""
    name = f"book-v{INPUT_VERSION}-{lang}-{pages}p-seed{seed}.pdf"
    if lang == "mixed":
        return _cached_file(name, lambda p: make_mixed_book_pdf(p, pages, seed))
    return _cached_file(name, lambda p: make_book_pdf(p, pages, lang, seed))


def small_books(count: int, seed: int = 21) -> Path:
    """A folder of ``count`` small generated PDF books (2–8 pages, all four languages).

    They fill the library of T6 and T7: what those measure depends on how many books the
    library lists, not on their length, and importing a thousand books of this size takes
    about a minute. The folder is cached like every generated input.
    """
    name = f"shelf-books-v{INPUT_VERSION}-{count}-seed{seed}"
    final = cache_entry(name)
    if final.exists():
        return final
    temp = final.with_name(f".{name}.part")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    say(f"generating {count} small books into {final} (cached for the next runs)")
    rng = random.Random(f"bench-shelf:{seed}")
    try:
        for number in range(count):
            lang = LANGS[number % len(LANGS)]
            pages = rng.randint(2, 8)
            path = temp / f"book-{number:04d}-{lang}.pdf"
            if number % 10 == 9:
                make_mixed_book_pdf(path, pages, seed * 10_000 + number)
            else:
                make_book_pdf(path, pages, lang, seed * 10_000 + number)
        publish(temp, final)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return final


def marker_book(pages: int = 500, seed: int = 7) -> Path:
    """A Uzbek book whose first page, and no other, holds ``T2_MARKER``."""
    name = f"marker-v{INPUT_VERSION}-uz-{pages}p-seed{seed}-{T2_MARKER}.pdf"

    def make(path: Path) -> None:
        book = book_content(pages, "uz", seed)
        texts = list(book.pages)
        texts[0] = f"{T2_MARKER} {texts[0]}"
        make_pdf(path, texts, title=book.title, author=book.author, toc=book.toc)

    return _cached_file(name, make)


# --------------------------------------------------------------------------- T3 corpus

#: Words the generated vocabulary never uses; each is put on a few pages only (Zipf-like),
#: like the names and terms that make most of a real library's distinct words.
RARE_WORDS: dict[str, tuple[str, ...]] = {
    "uz": (
        "Navoiy", "Ulugʻbek", "rasadxona", "qoʻlyozma", "xattotlik", "muqova", "bosmaxona",
        "lugʻat", "devon", "Boburnoma", "muzeyshunoslik", "tarjimon", "sharhlovchi", "Zarafshon",
        "karvonsaroy", "zargarlik", "ipakchilik", "astronomiya", "falsafa", "mantiq",
        "tibbiyot", "kimyogar", "meʼmorchilik", "naqqosh", "kulolchilik", "sayohatnoma",
        "qissaxon", "dostonchi", "baxshi", "matbaachilik",
    ),
    "uz-cyrl": (
        "Навоий", "Улуғбек", "расадхона", "қўлёзма", "хаттотлик", "муқова", "босмахона",
        "луғат", "девон", "Бобурнома", "таржимон", "шарҳловчи", "Зарафшон", "карвонсарой",
        "заргарлик", "ипакчилик", "фалсафа", "мантиқ", "тиббиёт", "кимёгар", "наққош",
        "кулолчилик", "саёҳатнома", "қиссахон", "достончи", "бахши", "матбаачилик",
        "меъморчилик", "астрономия", "музейшунослик",
    ),
    "ru": (
        "Ломоносов", "рукопись", "типография", "переплёт", "летопись", "словарь",
        "палеография", "Гутенберг", "инкунабула", "каллиграфия", "библиограф", "обсерватория",
        "астрономия", "философия", "логика", "медицина", "алхимик", "архитектура", "гончарство",
        "путешествие", "сказитель", "переводчик", "комментатор", "караван", "шелководство",
        "ювелир", "орнамент", "миниатюра", "пергамент", "манускрипт",
    ),
    "en": (
        "manuscript", "typography", "bookbinding", "Gutenberg", "palimpsest", "incunabula",
        "calligraphy", "bibliographer", "observatory", "astronomy", "philosophy", "logic",
        "medicine", "alchemist", "architecture", "pottery", "travelogue", "storyteller",
        "translator", "commentator", "caravanserai", "sericulture", "jeweller", "ornament",
        "miniature", "parchment", "lexicon", "almanac", "folio", "colophon",
    ),
}  # fmt: skip
RARE_PAGE_SHARE = 0.03  # about 3 % of pages carry one rare word
#: How the generated (page) language maps to the page language the extractor reports.
PAGE_LANG = {"uz": "uz", "uz-cyrl": "uz", "ru": "ru", "en": "en"}


@dataclass(frozen=True)
class SearchCorpus:
    """The T3 corpus: ``books`` books of ``pages_per_book`` pages, cycling through LANGS."""

    books: int
    pages_per_book: int
    seed: int = 11

    @property
    def pages(self) -> int:
        return self.books * self.pages_per_book

    def book_lang(self, number: int) -> str:
        return LANGS[number % len(LANGS)]

    def book_pages(self, number: int) -> list[str]:
        """The page texts of one book (deterministic; about 1,800 characters a page)."""
        lang = self.book_lang(number)
        rng = random.Random(f"bench-search:{self.seed}:{number}")
        rare = RARE_WORDS[lang]
        weights = [1.0 / (rank + 1) for rank in range(len(rare))]
        texts: list[str] = []
        for _ in range(self.pages_per_book):
            extra = ""
            if rng.random() < RARE_PAGE_SHARE:
                word = rng.choices(rare, weights)[0]
                words = sentence(lang, rng).split()
                words.insert(rng.randrange(1, len(words)), word)
                extra = " ".join(words)
            text = page_text(lang, rng, 1800 - len(extra) - 2)
            if extra:
                paragraphs = text.split("\n\n")
                at = rng.randrange(len(paragraphs))
                paragraphs[at] = f"{paragraphs[at]} {extra}"
                text = "\n\n".join(paragraphs)
            texts.append(text)
        return texts


@dataclass(frozen=True)
class Query:
    """One search: the app's syntax, the equivalent FTS5 MATCH, and its kind."""

    kind: str
    text: str
    fts: str


def _fts_word(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _plain(word: str) -> str:
    return word.strip(".,?!…;:«»“”—").strip()


def _typed(word: str, rng: random.Random) -> str:
    """How a person types a word: lower case, and often an ASCII apostrophe for ʻ and ʼ."""
    word = word.lower() if rng.random() < 0.8 else word
    if rng.random() < 0.5:
        word = word.replace("ʻ", "'").replace("ʼ", "'")
    return word


def make_queries(count: int = 200, seed: int = 5) -> list[Query]:
    """A realistic mix of ``count`` searches over all four languages (deterministic).

    Shares: 20 % common single words, 15 % rare single words (a few that no page holds),
    20 % two-word AND, 15 % phrases taken from generated sentences, 15 % prefixes, 15 % OR.
    """
    rng = random.Random(f"bench-queries:{seed}")
    plan = {"common": 40, "rare": 30, "and": 40, "phrase": 30, "prefix": 30, "or": 30}
    queries: list[Query] = []
    missing = ("kitobxonlik123", "библиотекарша", "bookwormery", "qoʻlyozmachilik")
    for kind, n in plan.items():
        for i in range(n):
            lang = LANGS[i % len(LANGS)]
            vocab = vocabulary(lang)
            if kind == "common":
                word = _typed(rng.choice(vocab), rng)
                queries.append(Query(kind, word, _fts_word(word)))
            elif kind == "rare":
                word = missing[i % len(missing)] if i % 8 == 7 else rng.choice(RARE_WORDS[lang])
                word = _typed(word, rng)
                queries.append(Query(kind, word, _fts_word(word)))
            elif kind == "and":
                a, b = (_typed(w, rng) for w in rng.sample(vocab, 2))
                queries.append(Query(kind, f"{a} {b}", f"{_fts_word(a)} AND {_fts_word(b)}"))
            elif kind == "phrase":
                words = [_plain(w) for w in sentence(lang, rng).split()]
                words = [w for w in words if w]
                size = 2 if rng.random() < 0.7 else 3
                start = rng.randrange(max(1, len(words) - size + 1))
                phrase = " ".join(_typed(w, rng) for w in words[start : start + size])
                queries.append(Query(kind, f'"{phrase}"', _fts_word(phrase)))
            elif kind == "prefix":
                word = rng.choice(vocab).lower()
                stem = word[: max(3, min(len(word) - 1, rng.randint(4, 6)))]
                stem = _typed(stem, rng)
                queries.append(Query(kind, f"{stem}*", f"{_fts_word(stem)}*"))
            else:
                a, b = (_typed(w, rng) for w in rng.sample(vocab, 2))
                queries.append(Query(kind, f"{a} OR {b}", f"{_fts_word(a)} OR {_fts_word(b)}"))
    rng.shuffle(queries)
    if count < len(queries):
        # Keep the mix in a smaller run: take every k-th query of the shuffled list.
        step = len(queries) / count
        queries = [queries[int(i * step)] for i in range(count)]
    return queries


def cache_entry(name: str) -> Path:
    """A cached folder's final path (present only when complete)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    return CACHE / name


def publish(temp: Path, final: Path) -> None:
    """Move a completed cache folder into place, replacing an older one."""
    if final.exists():
        shutil.rmtree(final)
    temp.rename(final)
