"""Tests of app.index.analysis: the per-language Whoosh analyzers, on a real index."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from whoosh import fields, index
from whoosh import query as wq
from whoosh.qparser import QueryParser

from app.core.textfold import fold
from app.index import analysis
from app.index.analysis import (
    LANGUAGES,
    analyzer_for,
    prefix_term,
    query_term,
    query_terms,
    stem_english,
)

UZ_PAGE = (
    "Oʻzbekiston Respublikasi kutubxonalarida oʻquvchilar uchun yangi kitoblar bor. Taʼlim "
    "tizimida bu kitoblar juda muhim. Kutubxonachi har bir o‘quvchiga kitob tanlashda yordam "
    "beradi."
)
UZ_CYRILLIC_PAGE = (
    "Ғалаба куни шаҳримиз кутубхонасида китобхонлар учрашуви бўлди. Ўқувчилар "
    "шеърлар ўқиди, маъно ҳақида суҳбатлашди."
)
RU_PAGE = (
    "В городской библиотеке читатели могут взять новые книги. Библиотекарь помогает "
    "каждому ученику выбрать книгу, а зал библиотеки открыт до вечера."
)
EN_PAGE = (
    "The city library offers new books to its readers. Public libraries help every student "
    "choose a book."
)


def terms(lang: str, text: str) -> list[str]:
    return [t.text for t in analyzer_for(lang)(text)]


# --- the guarantees -------------------------------------------------------------------------


def test_languages() -> None:
    assert LANGUAGES == ("uz", "ru", "en")
    for lang in (*LANGUAGES, "name"):
        assert analyzer_for(lang) is analyzer_for(lang)
    with pytest.raises(ValueError, match="xx"):
        analyzer_for("xx")
    with pytest.raises(ValueError, match="xx"):
        prefix_term("xx", "kitob")


def test_uz_field_ignores_script_and_case() -> None:
    term = query_term("uz", "kutubxona")
    assert term == "kutubxona"
    assert query_term("uz", "кутубхона") == term
    assert query_term("uz", "KUTUBXONA") == term
    assert query_term("uz", "КУТУБХОНА") == term


def test_uz_field_ignores_the_apostrophe_form() -> None:
    forms = ["o'quv", "o‘quv", "oʻquv", "o`quv", "oʼquv", "o’quv", "O´QUV", "ўқув", "ЎҚУВ"]
    assert {query_term("uz", form) for form in forms} == {"o'quv"}


def test_uz_field_stems_inflection() -> None:
    term = query_term("uz", "kitob")
    for form in ("kitoblar", "kitobning", "kitobga", "KITOBLARIMIZDAN", "китобда"):
        assert query_term("uz", form) == term
    assert query_term("uz", "o'quvchilar") == "o'quvchi"
    assert query_term("uz", "o'quvchi") != query_term("uz", "o'quv")


def test_ru_field_stems_russian_and_does_not_transliterate() -> None:
    term = query_term("ru", "библиотека")
    assert term is not None
    assert term.startswith("библиотек")
    assert query_term("ru", "Библиотеки") == term
    assert query_term("ru", "библиотекой") == term
    assert query_term("ru", "БИБЛИОТЕКЕ") == term
    assert query_term("ru", "ёлка") == query_term("ru", "елка")
    assert query_term("ru", "kitoblar") == "kitoblar"  # Latin words are not Russian-stemmed


def test_en_field_stems_english() -> None:
    assert query_term("en", "libraries") == query_term("en", "library") == stem_english("library")
    assert query_term("en", "Readers") == query_term("en", "reader")
    assert query_term("en", "library’s") == query_term("en", "library's")
    assert query_term("en", "кутубхона") == "кутубхона"  # no transliteration


def test_name_field_folds_but_never_stems() -> None:
    assert terms("name", "Kitoblar OLAMI") == ["kitoblar", "olami"]
    assert terms("name", "Китоблар олами") == ["kitoblar", "olami"]
    assert terms("name", "Oʻtkir Hoshimov") == terms("name", "Ўткир Ҳошимов")


def test_stem_helpers() -> None:
    assert query_terms("ru", "библиотекой") == query_terms("ru", "библиотеки") == ["библиотек"]
    assert stem_english("libraries") == "librari"


# --- query helpers --------------------------------------------------------------------------


def test_query_term_of_nothing_is_none() -> None:
    for lang in (*LANGUAGES, "name"):
        assert query_term(lang, "") is None
        assert query_term(lang, " ,.— ") is None


def test_query_term_takes_the_first_word() -> None:
    assert query_term("uz", "kitoblar va daftarlar") == "kitob"


def test_query_terms_analyse_a_phrase_like_indexing() -> None:
    assert query_terms("uz", "Oʻzbekiston kutubxonalarida") == ["o'zbekiston", "kutubxona"]
    assert query_terms("uz", "ўзбекистон кутубхоналарида") == ["o'zbekiston", "kutubxona"]
    assert query_terms("ru", "новые книги") == ["нов", "книг"]  # Snowball's stems
    assert query_terms("en", "") == []


def test_prefix_term_folds_but_never_stems() -> None:
    assert prefix_term("uz", "kitobla") == "kitobla"
    assert prefix_term("uz", "KITOBLAR*") == "kitoblar"
    assert prefix_term("uz", "ўқув") == "o'quv"
    assert prefix_term("uz", "oʻ") == "o'"
    assert prefix_term("ru", "Библиотек*") == "библиотек"
    assert prefix_term("en", " Librar* ") == "librar"
    assert prefix_term("name", "Китоб") == "kitob"


# --- the Whoosh tokenizer protocol -----------------------------------------------------------


def test_positions_count_every_word() -> None:
    tokens = [(t.text, t.pos) for t in analyzer_for("uz")("Bu kitob, u kitoblar!", positions=True)]
    assert tokens == [("bu", 0), ("kitob", 1), ("u", 2), ("kitob", 3)]
    shifted = [t.pos for t in analyzer_for("en")("the books", positions=True, start_pos=5)]
    assert shifted == [5, 6]


def test_chars_are_offsets_into_the_folded_text() -> None:
    folded = fold("Ўқув  КИТОБЛАРИ")
    tokens = [
        (t.text, t.original, t.startchar, t.endchar, t.pos)
        for t in analyzer_for("uz")(
            "Ўқув  КИТОБЛАРИ", chars=True, positions=True, keeporiginal=True
        )
    ]
    assert tokens == [("o'quv", "o'quv", 0, 5, 0), ("kitob", "kitoblari", 7, 16, 1)]
    assert [folded[s:e] for _t, _o, s, e, _p in tokens] == ["o'quv", "kitoblari"]
    offset = [t.startchar for t in analyzer_for("en")("a book", chars=True, start_char=10)]
    assert offset == [10, 12]


@pytest.mark.parametrize("lang", [*LANGUAGES, "name"])
@pytest.mark.parametrize("text", [UZ_PAGE, UZ_CYRILLIC_PAGE, RU_PAGE, EN_PAGE])
def test_the_fast_path_and_the_offsets_path_agree(lang: str, text: str) -> None:
    analyzer = analyzer_for(lang)
    fast = [(t.text, t.pos) for t in analyzer(text, positions=True)]
    slow = [(t.text, t.pos) for t in analyzer(text, positions=True, chars=True)]
    assert fast == slow
    assert len(fast) > 10


def test_tokenize_false_yields_the_whole_value() -> None:
    tokens = [t.text for t in analyzer_for("uz")("Kitoblar", tokenize=False)]
    assert tokens == ["kitob"]


def test_no_morph_skips_stemming() -> None:
    analyzer = analyzer_for("uz")
    assert [t.text for t in analyzer("kitoblar", no_morph=True)] == ["kitoblar"]
    assert analyzer.has_morph()
    assert not analyzer_for("name").has_morph()


def test_removestops_and_mode_are_accepted_and_nothing_is_stopped() -> None:
    text = "the book and the library"
    for removestops in (True, False):
        tokens = list(analyzer_for("en")(text, removestops=removestops, mode="query"))
        assert len(tokens) == 5


def test_the_stem_cache_is_bounded_and_stays_correct(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "_CACHE_LIMIT", 3)
    words = "kitoblar kutubxonaga maktablarda shahrida daryolar tillar"
    assert terms("uz", words) == ["kitob", "kutubxona", "maktab", "shahar", "daryo", "til"]
    assert len(analysis._CACHES["uz"]) <= 3


def test_analyzers_pickle_by_language() -> None:
    for lang in (*LANGUAGES, "name"):
        clone = pickle.loads(pickle.dumps(analyzer_for(lang)))
        assert clone == analyzer_for(lang)
        assert clone != analyzer_for("name" if lang != "name" else "uz")
        assert [t.text for t in clone(UZ_PAGE)] == terms(lang, UZ_PAGE)
    assert len(pickle.dumps(analyzer_for("uz"))) < 200


# --- a real Whoosh index --------------------------------------------------------------------


def _schema() -> fields.Schema:
    return fields.Schema(
        page=fields.ID(stored=True, unique=True),
        text_uz=fields.TEXT(analyzer=analyzer_for("uz"), phrase=True),
        text_ru=fields.TEXT(analyzer=analyzer_for("ru"), phrase=True),
        text_en=fields.TEXT(analyzer=analyzer_for("en"), phrase=True),
        title=fields.TEXT(analyzer=analyzer_for("name"), phrase=True),
    )


@pytest.fixture(scope="module")
def ix_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ix")
    ix = index.create_in(str(folder), _schema())
    with ix.writer() as writer:
        writer.add_document(page="uz-latin", text_uz=UZ_PAGE, title="Kitoblar olami")
        writer.add_document(page="uz-cyrillic", text_uz=UZ_CYRILLIC_PAGE, title="Ғалаба куни")
        writer.add_document(page="ru", text_ru=RU_PAGE, title="Библиотека")
        writer.add_document(page="en", text_en=EN_PAGE, title="Public libraries")
    ix.close()
    return folder


def _find(folder: Path, q: wq.Query) -> set[str]:
    # The index is reopened from disk, so the analyzers come from the pickled schema.
    ix = index.open_dir(str(folder))
    try:
        with ix.searcher() as searcher:
            return {hit["page"] for hit in searcher.search(q, limit=None)}
    finally:
        ix.close()


def _any_field(word: str) -> wq.Query:
    """A query word analysed by each field's analyzer and OR-ed across the fields."""
    parts = [wq.Term(f"text_{lang}", t) for lang in LANGUAGES if (t := query_term(lang, word))]
    return wq.Or(parts)


@pytest.mark.parametrize(
    ("word", "pages"),
    [
        ("kutubxona", {"uz-latin", "uz-cyrillic"}),
        ("КУТУБХОНА", {"uz-latin", "uz-cyrillic"}),
        ("кутубхонасида", {"uz-latin", "uz-cyrillic"}),
        ("tizimida", {"uz-latin"}),
        ("ўқувчилар", {"uz-latin", "uz-cyrillic"}),
        ("o`quvchi", {"uz-latin", "uz-cyrillic"}),
        ("kitob", {"uz-latin"}),
        ("shahar", {"uz-cyrillic"}),
        ("ma'no", {"uz-cyrillic"}),
        ("g‘alaba", {"uz-cyrillic"}),
        ("библиотека", {"ru"}),
        ("БИБЛИОТЕКОЙ", {"ru"}),
        ("library", {"en"}),
        ("Libraries", {"en"}),
        ("dinozavr", set()),
    ],
)
def test_terms_find_pages_in_a_real_index(ix_dir: Path, word: str, pages: set[str]) -> None:
    assert _find(ix_dir, _any_field(word)) == pages


def test_phrases_find_pages_in_a_real_index(ix_dir: Path) -> None:
    def phrase(lang: str, text: str) -> wq.Query:
        return wq.Phrase(f"text_{lang}", query_terms(lang, text))

    assert _find(ix_dir, phrase("uz", "Oʻzbekiston Respublikasi kutubxonalarida")) == {"uz-latin"}
    assert _find(ix_dir, phrase("uz", "ЯНГИ КИТОБЛАР")) == {"uz-latin"}
    assert _find(ix_dir, phrase("uz", "kitoblar yangi")) == set()
    assert _find(ix_dir, phrase("uz", "kutubxonasida kitobxonlar uchrashuvi")) == {"uz-cyrillic"}
    assert _find(ix_dir, phrase("ru", "новую книгу")) == {"ru"}
    assert _find(ix_dir, phrase("en", "public library")) == {"en"}
    assert _find(ix_dir, phrase("en", "the city libraries")) == {"en"}
    assert _find(ix_dir, phrase("en", "library city")) == set()


def test_prefixes_find_pages_in_a_real_index(ix_dir: Path) -> None:
    assert _find(ix_dir, wq.Prefix("text_uz", prefix_term("uz", "tizi*"))) == {"uz-latin"}
    assert _find(ix_dir, wq.Prefix("text_uz", prefix_term("uz", "КИТОБХ"))) == {"uz-cyrillic"}
    assert _find(ix_dir, wq.Prefix("text_uz", prefix_term("uz", "ЎҚУВ"))) == {
        "uz-latin",
        "uz-cyrillic",
    }
    assert _find(ix_dir, wq.Prefix("text_ru", prefix_term("ru", "Библ"))) == {"ru"}
    assert _find(ix_dir, wq.Prefix("text_en", prefix_term("en", "LIBR"))) == {"en"}
    assert _find(ix_dir, wq.Prefix("title", prefix_term("name", "китоб"))) == {"uz-latin"}
    assert _find(ix_dir, wq.Prefix("title", prefix_term("name", "g'alab"))) == {"uz-cyrillic"}


def test_whoosh_query_parser_uses_the_same_analysis(ix_dir: Path) -> None:
    ix = index.open_dir(str(ix_dir))
    try:
        parsed = QueryParser("text_uz", ix.schema).parse("KITOBLARIMIZ")
        assert parsed == wq.Term("text_uz", "kitob")
        with ix.searcher() as searcher:
            assert {h["page"] for h in searcher.search(parsed)} == {"uz-latin"}
    finally:
        ix.close()
