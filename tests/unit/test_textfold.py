"""Tests of app.core.textfold: folding, transliteration, language detection, Uzbek stemming."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from app.core.textfold import (
    APOSTROPHES,
    WORD_PATTERN,
    detect_language,
    fold,
    fold_latin,
    fold_russian,
    split_words,
    uzbek_stem,
)

UZ_LATIN = (
    "Oʻzbekiston Respublikasi kutubxonalarida oʻquvchilar uchun yangi kitoblar bor. Taʼlim "
    "tizimida bu kitoblar juda muhim, chunki ular bilan yoshlar gʻalaba sari qadam qoʻyadi. "
    "Kutubxonachi har bir oʻquvchiga kitob tanlashda yordam beradi va ular haqida gapirib beradi."
)
UZ_CYRILLIC = (
    "Ўзбекистон Республикаси кутубхоналарида ўқувчилар учун янги китоблар бор. Таълим "
    "тизимида бу китоблар жуда муҳим, чунки улар билан ёшлар ғалаба сари қадам қўяди. "
    "Кутубхоначи ҳар бир ўқувчига китоб танлашда ёрдам беради ва улар ҳақида гапириб беради."
)
RUSSIAN = (
    "В городской библиотеке читатели могут взять новые книги. Библиотекарь помогает каждому "
    "ученику выбрать книгу, и это очень важно для детей, которые только начинают читать. "
    "Здесь также проходят встречи с писателями, а по субботам работает детский кружок."
)
ENGLISH = (
    "The city library offers new books to its readers. The librarian helps every student "
    "choose a book, and this is very important for children who are only beginning to read. "
    "Meetings with writers are also held there, and on Saturdays there is a club for children."
)


# --- apostrophes and folding --------------------------------------------------------------


def test_apostrophes_holds_every_form_used_in_uzbek_writing() -> None:
    for form in "\u02bb\u2018\u2019\u0027\u0060\u02bc\u00b4":
        assert form in APOSTROPHES
    assert all(len(form) == 1 for form in APOSTROPHES)


@pytest.mark.parametrize("form", sorted(APOSTROPHES))
def test_every_apostrophe_form_folds_to_ascii(form: str) -> None:
    assert fold(f"o{form}quv") == "o'quv"
    assert fold_latin(f"G{form}ALABA") == "g'alaba"
    assert fold_russian(f"ta{form}lim") == "ta'lim"


def test_fold_case_folds_and_normalises() -> None:
    assert fold("KUTUBXONA") == "kutubxona"
    assert fold("Straße") == "strasse"
    assert fold("\ufb01nish") == "finish"  # the ﬁ ligature PDFs produce
    decomposed = unicodedata.normalize("NFD", "Café")
    assert decomposed != "Café"
    assert fold(decomposed) == fold_latin(decomposed) == "cafe"


@pytest.mark.parametrize(
    ("accented", "bare"),
    [
        ("Bézier", "bezier"),
        ("Brontë", "bronte"),
        ("Gödel, Escher", "godel, escher"),
        ("Łódź", "lodz"),
        ("Søren Kierkegaard", "soren kierkegaard"),
        ("NIÑO çà", "nino ca"),
    ],
)
def test_latin_diacritics_fold_away(accented: str, bare: str) -> None:
    assert fold(accented) == fold_latin(accented) == fold_russian(accented) == bare


def test_diacritics_folding_leaves_uzbek_and_russian_letters_alone() -> None:
    assert fold("Oʻzbekiston gʻalaba maʼno") == "o'zbekiston g'alaba ma'no"
    assert fold_russian("Йод и ёж") == "йод и еж"  # й stays й; ё is е by the Russian rule
    assert fold("Йўл ёқади") == "yo'l yoqadi"
    assert fold_latin("Ёлка й") == "ёлка й"


def test_fold_drops_invisible_characters_and_stress_marks() -> None:
    assert fold("kutub\u00adxona") == "kutubxona"
    assert fold("kitob\u200bxon") == "kitobxon"
    assert fold_russian("библиоте\u0301ка") == "библиотека"
    assert fold("Библиоте\u0301ка") == "biblioteka"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("ўқув", "o'quv"),
        ("ғалаба", "g'alaba"),
        ("ҳаёт", "hayot"),
        ("шаҳар", "shahar"),
        ("чой", "choy"),
        ("жўжа", "jo'ja"),
        ("хабар", "xabar"),
        ("цирк", "sirk"),
        ("концерт", "konsert"),
        ("милиция", "militsiya"),
        ("ёз", "yoz"),
        ("юрт", "yurt"),
        ("янги", "yangi"),
        ("ер", "yer"),
        ("келди", "keldi"),
        ("поезд", "poyezd"),
        ("съезд", "syezd"),
        ("пьеса", "pyesa"),
        ("объект", "obyekt"),
        ("подъём", "podyom"),
        ("эшик", "eshik"),
        ("маъно", "ma'no"),
        ("эътибор", "e'tibor"),
        ("январь", "yanvar"),
        ("йўл", "yo'l"),
        ("щётка", "shyotka"),
        ("выход", "vixod"),
        ("ЎЗБЕКИСТОН", "o'zbekiston"),
        ("Ер ва осмон", "yer va osmon"),
    ],
)
def test_fold_transliterates_uzbek_cyrillic(cyrillic: str, latin: str) -> None:
    assert fold(cyrillic) == latin


def test_a_cyrillic_paragraph_folds_like_its_latin_spelling() -> None:
    assert fold(UZ_CYRILLIC) == fold(UZ_LATIN)
    assert fold(UZ_LATIN.replace("ʻ", "‘").replace("ʼ", "’")) == fold(UZ_LATIN)


def test_russian_and_english_folds_do_not_transliterate() -> None:
    assert fold_russian("Ёлка и БИБЛИОТЕКА") == "елка и библиотека"
    assert fold_latin("Ёлка") == "ёлка"
    assert fold_latin("The LIBRARY’s") == "the library's"


@pytest.mark.parametrize("text", [UZ_LATIN, UZ_CYRILLIC, RUSSIAN, ENGLISH, "Ер’ва o`quv ЦИРК"])
def test_folding_is_idempotent(text: str) -> None:
    for folder in (fold, fold_russian, fold_latin):
        once = folder(text)
        assert folder(once) == once


# --- words ----------------------------------------------------------------------------------


def test_word_pattern_keeps_inner_apostrophes_and_marks() -> None:
    word = re.compile(WORD_PATTERN)
    assert word.findall("o'quv, ta'lim va g'alaba") == ["o'quv", "ta'lim", "va", "g'alaba"]
    assert word.findall("'kitob' 2024-yil x_y") == ["kitob", "2024", "yil", "x", "y"]
    assert word.findall("a\u0308b c") == ["a\u0308b", "c"]


def test_split_words_equals_the_word_pattern_on_odd_text() -> None:
    rng = random.Random(7)
    alphabet = (
        "abco'qxyz ўқғҳабв ABC 019 _-.,;:!?«»—…“”()[]/\\@#*+=&%$ \t\n\u00a0\u2009"
        "é\u0301\u0308\u0483 ©™★→ ''' ٣ 漢 ﬁ ß \x01\x7f\u00ad\u200b"
    )
    pattern = re.compile(WORD_PATTERN)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        for folder in (fold, fold_latin):
            folded = folder(text)
            assert split_words(folded) == pattern.findall(folded), repr(folded)


def test_split_words_on_real_paragraphs() -> None:
    for text in (UZ_LATIN, UZ_CYRILLIC, RUSSIAN, ENGLISH):
        folded = fold_latin(text)
        assert split_words(folded) == re.findall(WORD_PATTERN, folded)
    assert split_words(fold(UZ_LATIN))[:4] == [
        "o'zbekiston",
        "respublikasi",
        "kutubxonalarida",
        "o'quvchilar",
    ]


# --- language detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (UZ_LATIN, "uz"),
        (UZ_LATIN.replace("ʻ", "'").replace("ʼ", "'"), "uz"),
        (UZ_LATIN.replace("ʻ", "`"), "uz"),
        (UZ_CYRILLIC, "uz"),
        (RUSSIAN, "ru"),
        (ENGLISH, "en"),
        (UZ_LATIN.upper(), "uz"),
        (RUSSIAN.upper(), "ru"),
        (
            "Men bugun maktabga bordim. Darsdan keyin do‘stlarim bilan bog‘da o‘ynadik, "
            "keyin uyga qaytib, onamga yordam berdim.",
            "uz",
        ),
        (
            "Мен бугун мактабга бордим. Дарсдан кейин дўстларим билан боғда ўйнадик, "
            "кейин уйга қайтиб, онамга ёрдам бердим.",
            "uz",
        ),
        (
            "Вчера мы ходили в музей. Там было много интересных картин, и мы долго "
            "рассматривали каждую из них.",
            "ru",
        ),
        (
            "Yesterday we went to the museum. There were many interesting paintings, and we "
            "looked at each of them for a long time.",
            "en",
        ),
    ],
)
def test_detect_language_on_paragraphs(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_detect_language_lets_the_majority_win_on_mixed_pages() -> None:
    assert detect_language(RUSSIAN * 3 + ENGLISH) == "ru"
    assert detect_language(ENGLISH * 3 + RUSSIAN) == "en"
    assert detect_language(UZ_LATIN * 3 + RUSSIAN) == "uz"
    assert detect_language(RUSSIAN * 3 + UZ_CYRILLIC) == "ru"
    assert detect_language(UZ_CYRILLIC * 3 + RUSSIAN) == "uz"
    assert detect_language(ENGLISH * 3 + UZ_LATIN) == "en"
    assert detect_language(UZ_LATIN * 3 + ENGLISH) == "uz"


def test_detect_language_reads_only_the_start_of_a_page() -> None:
    assert len(RUSSIAN * 30) > 4000
    assert detect_language(RUSSIAN * 30 + ENGLISH * 60) == "ru"


@pytest.mark.parametrize("text", ["", "   ", "12 34 56 — 78", "Salom!", "IV", "• • •", "..."])
def test_detect_language_is_unknown_for_too_little_text(text: str) -> None:
    assert detect_language(text) == ""


# --- Uzbek stemming -------------------------------------------------------------------------

INFLECTED: dict[str, list[str]] = {
    "kitob": [
        "kitoblar", "kitobning", "kitobga", "kitobim", "kitobimiz", "kitoblarimizdan",
        "kitobdagi", "kitobni", "kitobda", "kitobdan", "kitobi", "kitobini", "kitoblari",
        "kitobing", "kitobingiz", "kitobgacha", "kitoblarda", "kitoblarni",
    ],
    "kutubxona": [
        "kutubxonalar", "kutubxonaga", "kutubxonasi", "kutubxonamiz", "kutubxonada",
        "kutubxonadan", "kutubxonaning", "kutubxonani", "kutubxonalarimiz", "kutubxonangiz",
        "kutubxonam", "kutubxonasida",
    ],
    "maktab": ["maktablarda", "maktabda", "maktabga", "maktabning", "maktabimiz", "maktabi"],
    "o'quvchi": [
        "o'quvchilar", "o'quvchini", "o'quvchining", "o'quvchiga", "o'quvchisi",
        "o'quvchilarga", "o'quvchilarimiz",
    ],
    "ona": ["onasi", "onam", "onaning", "onaga", "onalar", "onamiz"],
    "bola": ["bolalar", "bolaning", "bolaga", "bolani", "bolasi", "bolalarimiz"],
    "olma": ["olmalar", "olmani", "olmasi"],
    "daryo": ["daryolar", "daryoga", "daryoda", "daryosi", "daryoning", "daryolarda"],
    "shahar": ["shaharlar", "shaharda", "shahri", "shahrimiz", "shahrida", "shaharning"],
    "tarix": ["tarixi", "tarixni", "tarixda", "tarixning"],
    "til": ["tillar", "tilni", "tili", "tilda"],
    "yurak": ["yurakka", "yurakda", "yurakning"],
    "qishloq": ["qishloqqa", "qishloqda", "qishloqlar", "qishloqning", "qishloqqacha"],
    "yil": ["yillar", "yili", "yilda"],
    "kun": ["kunlar", "kuni", "kunda", "kunlari"],
    "g'alaba": ["g'alabasi", "g'alabaga", "g'alabalar"],
    "ta'lim": ["ta'limi", "ta'limda", "ta'limning"],
    "tog'": ["tog'ga", "tog'lar", "tog'da"],
    "asos": ["asosi", "asosida", "asoslar"],
    "yoshlik": ["yoshligi", "yoshligimiz", "yoshlikda"],
    "kishi": ["kishilar", "kishining", "kishiga"],
}  # fmt: skip


def test_the_inflection_table_is_large_enough() -> None:
    assert sum(map(len, INFLECTED.values())) >= 60


@pytest.mark.parametrize(
    ("base", "form"), [(base, form) for base, forms in INFLECTED.items() for form in forms]
)
def test_inflected_forms_reduce_to_the_stem_of_the_base(base: str, form: str) -> None:
    assert uzbek_stem(form) == uzbek_stem(base)


@pytest.mark.parametrize(
    "word",
    [
        "kitob", "kutubxona", "maktab", "o'quvchi", "ona", "bola", "olma", "daryo", "shahar",
        "tarix", "til", "yurak", "qishloq", "g'alaba", "ta'lim", "asos", "yoshlik", "kishi",
        "bu", "va", "uni", "ular", "u", "kitobxon", "mustaqillik", "kutubxonachi", "ilmiy",
    ],
)  # fmt: skip
def test_base_words_and_derivations_are_left_whole(word: str) -> None:
    assert uzbek_stem(word) == word


def test_chi_derivation_is_not_inflection() -> None:
    assert uzbek_stem("o'quvchi") != uzbek_stem("o'quv")
    assert uzbek_stem("o'quvchilar") == "o'quvchi"
    assert uzbek_stem("kutubxonachilar") == "kutubxonachi"


def test_stems_keep_three_letters() -> None:
    assert uzbek_stem("unga") == "unga"
    assert uzbek_stem("oni") == "oni"
    assert uzbek_stem("ishi") == "ish"
    assert uzbek_stem("ishlar") == "ish"
    assert uzbek_stem("") == ""


def test_stemming_folded_cyrillic_meets_the_latin_stem() -> None:
    assert uzbek_stem(fold("КИТОБЛАРИМИЗДАН")) == "kitob"
    assert uzbek_stem(fold("кутубхонага")) == "kutubxona"
    assert uzbek_stem(fold("Ўқувчиларга")) == "o'quvchi"
