"""Text folding for search: canonical case, apostrophes and Uzbek Cyrillic→Latin, plus a stemmer."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from sync.folding import strip_latin_diacritics

#: Every character used as the Uzbek apostrophe (oʻ, gʻ and the tutuq belgisi ʼ). Besides the
#: official ʻ (U+02BB) and ʼ (U+02BC), typists use the quotes ‘ ’, the ASCII ' and `, the acute
#: accent ´, and fonts or converters produce the modifier primes ʹ ʾ ʿ and the prime ′.
APOSTROPHES: frozenset[str] = frozenset(
    "\u02bb\u2018\u2019\u0027\u0060\u02bc\u00b4\u02b9\u02be\u02bf\u2032"
)

#: One word of folded text: letters and digits (with combining marks), internal apostrophes
#: kept so that o'quv, ta'lim and g'alaba stay one word. Hyphens and underscores separate words.
WORD_PATTERN: str = (
    r"(?:[^\W_]|[\u0300-\u036f\u0483-\u0489\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+"
    r"(?:'(?:[^\W_]|[\u0300-\u036f\u0483-\u0489\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+)*"
)

# Apostrophe forms other than the canonical ASCII one; str.replace per form is several times
# faster than str.translate with a dict (which costs ~0.1 µs per character in CPython).
_OTHER_APOSTROPHES = tuple(sorted(APOSTROPHES - {"'"}))
# Invisible characters PDFs leave inside words (soft hyphen, zero-width space/joiners, BOM).
# Stress marks of Russian and Uzbek textbooks (библиоте́ка): left over after NFC only where no
# precomposed letter exists, so é in Latin text is untouched.
_INVISIBLE = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u0301", "\u0300")

# Uzbek Cyrillic (and the Russian letters found in Uzbek loanwords) to the official Latin
# alphabet of 1995. Context rules (е, ц, ъ, ь) are applied by regexes before this table.
_CYRILLIC_TO_LATIN: tuple[tuple[str, str], ...] = (
    ("а", "a"),
    ("б", "b"),
    ("в", "v"),
    ("г", "g"),
    ("д", "d"),
    ("е", "e"),
    ("ё", "yo"),
    ("ж", "j"),
    ("з", "z"),
    ("и", "i"),
    ("й", "y"),
    ("к", "k"),
    ("л", "l"),
    ("м", "m"),
    ("н", "n"),
    ("о", "o"),
    ("п", "p"),
    ("р", "r"),
    ("с", "s"),
    ("т", "t"),
    ("у", "u"),
    ("ф", "f"),
    ("х", "x"),
    ("ц", "s"),
    ("ч", "ch"),
    ("ш", "sh"),
    ("щ", "sh"),
    ("ъ", "'"),
    ("ы", "i"),
    ("ь", ""),
    ("э", "e"),
    ("ю", "yu"),
    ("я", "ya"),
    ("ў", "o'"),
    ("қ", "q"),
    ("ғ", "g'"),
    ("ҳ", "h"),
)
_CYRILLIC_VOWELS = "аеёиоуэюяўы"
_HAS_CYRILLIC = re.compile("[\u0400-\u04ff]")
# е is "ye" at the start of a word and after a vowel (ъе/ье are replaced before). Each pattern
# starts with its letter and looks behind from there: ~15x faster than a leading lookbehind.
_YE = re.compile(rf"е(?:(?<![^\W\d_]е)|(?<=[{_CYRILLIC_VOWELS}]е))")
# ц is "ts" after a vowel (militsiya), "s" elsewhere (sirk, konsert): the official rule.
_TS = re.compile(rf"ц(?<=[{_CYRILLIC_VOWELS}]ц)")
# ъ before ё/ю/я only separates (подъём → podyom); elsewhere it is the tutuq belgisi (маъно).
_HARD_SIGN_BEFORE_IOTATED = re.compile("ъ(?=[ёюя])")


def _canonical_apostrophes(text: str) -> str:
    for form in _OTHER_APOSTROPHES:
        if form in text:
            text = text.replace(form, "'")
    for form in _INVISIBLE:
        if form in text:
            text = text.replace(form, "")
    return text


def fold_latin(text: str) -> str:
    """Fold text for search without transliteration (English and other Latin-script text).

    Args:
        text: any text.

    Returns:
        The text in NFC, case-folded, Latin letters without their diacritics (é → e, ë → e,
        ø → o), every apostrophe form as ASCII ``'``.
    """
    folded = _canonical_apostrophes(unicodedata.normalize("NFC", text).casefold())
    # after the apostrophes: Uzbek Latin is then ASCII, and costs no scan for diacritics
    return strip_latin_diacritics(folded)


def fold_russian(text: str) -> str:
    """Fold Russian text for search: like :func:`fold_latin`, and ё is written е.

    Args:
        text: any text.

    Returns:
        The folded text; Cyrillic stays Cyrillic.
    """
    folded = fold_latin(text)
    return folded.replace("ё", "е") if "ё" in folded else folded


def fold(text: str) -> str:
    """The canonical search form of Uzbek (either script) and of names.

    NFC, case-folded, every apostrophe form as ASCII ``'``, and Uzbek Cyrillic transliterated
    to Uzbek Latin by the official rules (ў→o', ғ→g', қ→q, ҳ→h, ш→sh, ч→ch, ж→j, х→x,
    ц→ts after a vowel else s, ё→yo, ю→yu, я→ya, е→ye at a word start and after a vowel or
    ъ/ь else e, э→e, ъ→', ь dropped, й→y).

    Args:
        text: any text.

    Returns:
        The folded text.
    """
    text = fold_latin(text)
    if _HAS_CYRILLIC.search(text) is None:
        return text
    if "е" in text:
        if "ъе" in text:
            text = text.replace("ъе", "ye")
        if "ье" in text:
            text = text.replace("ье", "ye")
        text = _YE.sub("ye", text)
    if "ц" in text:
        text = _TS.sub("ts", text)
    if "ъ" in text:
        text = _HARD_SIGN_BEFORE_IOTATED.sub("", text)
    if "ь" in text:
        text = text.replace("ьо", "yo")
    for cyrillic, latin in _CYRILLIC_TO_LATIN:
        if cyrillic in text:
            text = text.replace(cyrillic, latin)
    return text


# Separators turned into spaces before str.split(): ASCII punctuation (but the apostrophe) and
# control characters, and the non-ASCII punctuation common in books. Any other non-word
# character sends the text to the regex (see split_words).
_ASCII_SEPARATORS = "".join(
    c for c in map(chr, range(128)) if not c.isalnum() and not c.isspace() and c != "'"
)
_PRINTABLE_ASCII_SEPARATORS = tuple(c for c in _ASCII_SEPARATORS if c.isprintable())
_ASCII_SEPARATOR_TABLE = str.maketrans(_ASCII_SEPARATORS, " " * len(_ASCII_SEPARATORS))
_OTHER_SEPARATORS = tuple("«»„“”‟‹›—–‒‐‑−…•·№§©®°×÷→←↑↓\u00a0\u2009\u202f")
_WORD = re.compile(WORD_PATTERN)
# An apostrophe not between two letters/digits is not part of a word.
_LOOSE_APOSTROPHE = re.compile(r"'(?:(?<![^\W_]')|(?![^\W_]))")


def split_words(folded: str) -> list[str]:
    """The words of folded text: exactly ``re.findall(WORD_PATTERN, folded)``, faster.

    The regex costs ~40 ns per character in CPython; turning known punctuation into spaces
    (str.translate has a fast path for ASCII text) and calling str.split() is 2-3x faster.
    When anything but letters, digits and inner apostrophes is left (symbols, combining
    marks), the page goes through the regex.

    Args:
        folded: text from :func:`fold`, :func:`fold_russian` or :func:`fold_latin`.

    Returns:
        The words in order.
    """
    text = folded
    if not text.isascii():
        for separator in _OTHER_SEPARATORS:
            if separator in text:
                text = text.replace(separator, " ")
    if text.isascii():
        text = text.translate(_ASCII_SEPARATOR_TABLE)
    else:
        # Control characters are left to the regex fallback: rare, and each scan costs.
        for separator in _PRINTABLE_ASCII_SEPARATORS:
            if separator in text:
                text = text.replace(separator, " ")
    if "'" in text:
        text = _LOOSE_APOSTROPHE.sub(" ", text)
    words = text.split()
    if "".join(words).replace("'", "").isalnum():
        return words
    return _WORD.findall(folded)


# Han, kana and Hangul: written without spaces, so a "word" between punctuation is a clause.
_CJK = re.compile("[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")


def has_cjk(text: str) -> bool:
    """True when ``text`` holds Han, kana or Hangul (one scan; ASCII text costs nothing)."""
    return not text.isascii() and _CJK.search(text) is not None


def cjk_bigrams(words: list[str]) -> list[str]:
    """``words`` with every run of CJK characters cut into overlapping pairs ("山路を登" →
    "山路", "路を", "を登"), so that any part of a clause can be searched; a lone CJK character
    stays itself and other words are kept as they are. The words must be in order (a phrase
    of pairs is then the clause).

    Args:
        words: words from :func:`split_words` of a text :func:`has_cjk` said yes to.
    """
    out: list[str] = []
    for word in words:
        if word.isascii() or _CJK.search(word) is None:
            out.append(word)
            continue
        last = 0
        for run in _CJK.finditer(word):
            if run.start() > last:
                out.append(word[last : run.start()])
            chars = run.group()
            pairs = [chars[i : i + 2] for i in range(len(chars) - 1)]
            out.extend(pairs or [chars])
            last = run.end()
        if last < len(word):
            out.append(word[last:])
    return out


# ---------------------------------------------------------------------------------------------
# Language detection

_SAMPLE_CHARS = 4000
_MIN_LETTERS = 20
_UZ_WORDS = frozenset(
    [
        "va",
        "bu",
        "bilan",
        "uchun",
        "ham",
        "bir",
        "edi",
        "emas",
        "deb",
        "esa",
        "yoki",
        "bo'lgan",
        "haqida",
        "lekin",
        "shu",
        "ular",
        "biz",
        "siz",
        "kabi",
        "bo'lib",
        "qilib",
        "etib",
        "har",
        "hamda",
        "ya'ni",
        "faqat",
        "endi",
        "yana",
        "o'z",
        "juda",
        "boshqa",
        "hech",
        "kerak",
        "bor",
        "yo'q",
        "bo'ladi",
        "bo'yicha",
        "orqali",
        "mumkin",
        "hamma",
        "ko'p",
        "katta",
        "yangi",
        "ва",
        "бу",
        "билан",
        "учун",
        "ҳам",
        "бир",
        "эди",
        "эмас",
        "деб",
        "эса",
        "ёки",
        "бўлган",
        "ҳақида",
        "лекин",
        "шу",
        "улар",
        "биз",
        "сиз",
        "каби",
        "бўлиб",
        "қилиб",
        "этиб",
        "ҳар",
        "ҳамда",
        "яъни",
        "фақат",
        "энди",
        "яна",
        "ўз",
        "жуда",
        "бошқа",
        "ҳеч",
        "керак",
        "бор",
        "йўқ",
        "бўлади",
        "бўйича",
        "орқали",
        "мумкин",
        "ҳамма",
        "кўп",
        "катта",
        "янги",
    ]
)
_RU_WORDS = frozenset(
    [
        "и",
        "в",
        "не",
        "на",
        "что",
        "с",
        "он",
        "как",
        "а",
        "то",
        "все",
        "она",
        "так",
        "его",
        "но",
        "да",
        "ты",
        "к",
        "же",
        "вы",
        "за",
        "бы",
        "по",
        "только",
        "ее",
        "мне",
        "было",
        "вот",
        "от",
        "меня",
        "еще",
        "нет",
        "из",
        "ему",
        "теперь",
        "когда",
        "для",
        "это",
        "был",
        "были",
        "который",
        "которые",
        "их",
        "при",
        "также",
        "или",
        "уже",
        "чем",
        "этого",
        "может",
        "быть",
        "если",
        "они",
        "мы",
        "где",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "in",
        "that",
        "it",
        "was",
        "for",
        "on",
        "are",
        "as",
        "with",
        "his",
        "he",
        "be",
        "at",
        "by",
        "this",
        "had",
        "not",
        "but",
        "from",
        "or",
        "have",
        "an",
        "they",
        "which",
        "you",
        "were",
        "her",
        "she",
        "there",
        "we",
        "been",
        "has",
        "their",
        "would",
        "will",
        "what",
        "can",
        "all",
        "when",
        "who",
        "its",
        "into",
        "more",
    ]
)


def detect_language(text: str) -> str:
    """Guess the language of a page from its first 4000 characters.

    Evidence is counted per language: letters only that language uses (Uzbek: oʻ gʻ q x and
    ў қ ғ ҳ; Russian: ы щ ь ц; English: w and c outside "ch") and its common short words.
    Each kind of evidence grows with the amount of text in that language, so on a mixed page
    the language with most text wins.

    Args:
        text: the text of one page.

    Returns:
        ``"uz"``, ``"ru"``, ``"en"``, or ``""`` when there is too little text to tell.
    """
    sample = fold_latin(text[:_SAMPLE_CHARS])
    words = split_words(sample)
    if sum(map(len, words)) < _MIN_LETTERS or _mostly_other_scripts(sample):
        return ""
    counts = Counter(words)
    uz = sum(counts[w] for w in _UZ_WORDS.intersection(counts))
    ru = sum(counts[w] for w in _RU_WORDS.intersection(counts))
    en = sum(counts[w] for w in _EN_WORDS.intersection(counts))
    # Function words are about three times rarer than marker letters; weigh them alike.
    uz *= 3
    ru *= 3
    en *= 3
    uz += sample.count("o'") + sample.count("g'") + sample.count("q") + sample.count("x")
    uz += sample.count("ў") + sample.count("қ") + sample.count("ғ") + sample.count("ҳ")
    ru += sample.count("ы") + sample.count("щ") + sample.count("ь") + sample.count("ц")
    en += sample.count("w") + sample.count("c") - sample.count("ch")
    best = max(uz, ru, en)
    if best <= 0:
        return ""
    if uz == best:
        return "uz" if best > max(ru, en) else ""
    if ru == best:
        return "ru" if best > en else ""
    return "en"


_LATIN_OR_CYRILLIC = re.compile("[a-z\u00e0-\u024f\u0400-\u04ff]")
# Letters of the scripts none of our languages is written in: Greek, Armenian, Hebrew, Arabic,
# the Indic and South-East Asian scripts, Georgian, Hangul, kana, CJK...
_OTHER_SCRIPTS = re.compile(
    "[\u0370-\u03ff\u0530-\u1cff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufb1d-\ufdff\ufe70-\ufefc]"
)


def _mostly_other_scripts(sample: str) -> bool:
    """True when most letters are in scripts none of our languages is written in (Arabic,
    CJK, Greek…): such a page is not called English because of a few Latin words."""
    if sample.isascii() or _OTHER_SCRIPTS.search(sample) is None:
        return False  # one scan for the pages of our own languages
    other = len(_OTHER_SCRIPTS.findall(sample))
    return len(_LATIN_OR_CYRILLIC.findall(sample)) < other


# ---------------------------------------------------------------------------------------------
# Uzbek stemming

_MIN_STEM = 3
_VOWELS = frozenset("aeiou")
# Case endings, tried first (rightmost in the word). (suffix, characters to keep of it): the
# dative after k/q is -ka/-qa (yurakka, qishloqqa), matched with the consonant before it.
_CASE_SUFFIXES: tuple[tuple[str, int], ...] = (
    ("ning", 0),
    ("dagi", 0),
    ("gacha", 0),
    ("kkacha", 1),
    ("qqacha", 1),
    ("dan", 0),
    ("kka", 1),
    ("qqa", 1),
    ("ga", 0),
    ("da", 0),
    ("ni", 0),
)
# Possessive endings: (suffix, what must precede it: "v" vowel, "c" consonant, "" anything).
_POSSESSIVE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ingiz", "c"),
    ("ngiz", "v"),
    ("imiz", "c"),
    ("miz", "v"),
    ("ing", "c"),
    ("ng", "v"),
    ("im", "c"),
    ("m", "v"),
    ("si", "v"),
    ("i", "c"),
)
# One C-level endswith() rules out most words before the loops (the stemmer runs per new word).
_CASE_ENDINGS = tuple(suffix for suffix, _keep in _CASE_SUFFIXES)
_POSSESSIVE_ENDINGS = tuple(suffix for suffix, _before in _POSSESSIVE_SUFFIXES)
# Words that merely look inflected, and stems they are the base of: stripping stops there.
_PROTECTED = frozenset(
    [
        "kishi",
        "foyda",
        "qoida",
        "ifoda",
        "parda",
        "banda",
        "mayda",
        "hamda",
        "dollar",
        "odam",
        "olam",
        "salom",
        "islom",
        "qalam",
        "qadam",
        "ilhom",
        "ta'lim",
        "bilim",
        "tizim",
        "kiyim",
        "muallim",
        "hokim",
        "hakim",
        "asos",
        "nafas",
        "havas",
        "qafas",
    ]
)
# Nouns that lose a vowel before a possessive ending (shahar → shahri, og'iz → og'zi).
_ELIDED = {
    "shahr": "shahar",
    "og'z": "og'iz",
    "burn": "burun",
    "o'g'l": "o'g'il",
    "qorn": "qorin",
    "ko'ngl": "ko'ngil",
    "o'rn": "o'rin",
    "singl": "singil",
    "bag'r": "bag'ir",
    "qayn": "qayin",
}


def _letters(word: str) -> int:
    return len(word) - word.count("'")


def _strip_case(word: str) -> str | None:
    if not word.endswith(_CASE_ENDINGS):
        return None
    for suffix, keep in _CASE_SUFFIXES:
        if word.endswith(suffix):
            stem = word[: len(word) - len(suffix) + keep]
            if _letters(stem) >= _MIN_STEM:
                return stem
    return None


def _strip_possessive(word: str) -> str | None:
    if not word.endswith(_POSSESSIVE_ENDINGS):
        return None
    for suffix, before in _POSSESSIVE_SUFFIXES:
        if not word.endswith(suffix):
            continue
        stem = word[: len(word) - len(suffix)]
        if _letters(stem) < _MIN_STEM:
            continue
        last = stem[-1]
        if before == "v" and last not in _VOWELS:
            continue
        if before == "c":
            if last in _VOWELS or last == "'":
                continue
            # -chi makes a new noun (o'quvchi, ishchi): derivation, kept.
            if suffix == "i" and stem.endswith("ch"):
                continue
        # The possessive turns a final -lik into -lig (yoshligi, yoshligimiz).
        if stem.endswith("lig"):
            stem = stem[:-1] + "k"
        return stem
    return None


def _strip_plural(word: str) -> str | None:
    if word.endswith("lar") and _letters(word) - 3 >= _MIN_STEM:
        return word[:-3]
    return None


@lru_cache(maxsize=1 << 16)
def uzbek_stem(word: str) -> str:
    """Strip Uzbek inflection from a folded Latin word (a light, dictionary-free stemmer).

    Endings are removed right to left: case (-ning -ni -ga/-ka/-qa -da -dan -dagi -gacha),
    then possessive (-im/-m -ing/-ng -i/-si -imiz/-miz -ingiz/-ngiz), then plural (-lar),
    repeated until nothing more comes off, so that a word and its inflected forms meet.
    Derivational endings (-chi, -lik, -li, -siz) stay. A stem keeps at least three letters.

    Args:
        word: one word of :func:`fold` output.

    Returns:
        The stem (the word itself when nothing applies).
    """
    if _letters(word) <= _MIN_STEM or word in _PROTECTED:
        return word
    while True:
        if word[-1] == "i" and word[:-1] in _PROTECTED:
            # asosi is asos + i, not aso + si.
            word = word[:-1]
            break
        stem = _strip_case(word) or _strip_possessive(word) or _strip_plural(word)
        if stem is None:
            break
        word = stem
        if word in _PROTECTED:
            break
    return _ELIDED.get(word, word)
