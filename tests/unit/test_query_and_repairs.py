"""Pure pieces: the query parser, mojibake repair, SASLprep, snippets."""

from __future__ import annotations

import pytest

from app.core.errors import UserError
from app.documents.password import password_candidates, saslprep
from app.documents.textrepair import looks_like_mojibake, repair_mojibake
from app.index.query import All, Any_, Not, Phrase, QuerySyntaxError, Word, parse
from app.index.snippets import make_snippet


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("kitob", Word("kitob")),
        ("o'quv", Word("o'quv")),
        ("oʻquv qoʻllanma", All((Word("oʻquv"), Word("qoʻllanma")))),
        ('"oʻquv qoʻllanma"', Phrase(("oʻquv", "qoʻllanma"))),
        ("«Не очень»", Phrase(("Не", "очень"))),
        ("kitob*", Word("kitob", prefix=True)),
        ("a OR b", Any_((Word("a"), Word("b")))),
        ("a AND b", All((Word("a"), Word("b")))),
        ("a NOT b", All((Word("a"), Not(Word("b"))))),
        ("a -b", All((Word("a"), Not(Word("b"))))),
        ("(a OR b) c", All((Any_((Word("a"), Word("b"))), Word("c")))),
        ("a ) b", All((Word("a"), Word("b")))),
        ("kitob YOKI daftar", Any_((Word("kitob"), Word("daftar")))),
        ("kitob ИЛИ daftar", Any_((Word("kitob"), Word("daftar")))),
        ("kitob yoki daftar", All((Word("kitob"), Word("yoki"), Word("daftar")))),
    ],
)
def test_parse(text: str, tree: object) -> None:
    assert parse(text) == tree


@pytest.mark.parametrize("text", ["", "   ", "NOT a", "-a", "()", '""'])
def test_parse_refuses_searches_with_nothing_to_find(text: str) -> None:
    with pytest.raises(UserError):
        parse(text)


@pytest.mark.parametrize(
    ("text", "position", "token", "problem"),
    [
        ("(a OR", 4, "OR", "nothing_after"),  # issue 12, item 24: searched "a" quietly
        ("(a OR b", 1, "(", "unclosed"),
        ("kitob (a b", 7, "(", "unclosed"),
        ("a OR", 3, "OR", "nothing_after"),
        ("OR a", 1, "OR", "nothing_before"),
        ("a AND", 3, "AND", "nothing_after"),
        ("AND a", 1, "AND", "nothing_before"),
        ("a AND OR b", 3, "AND", "nothing_after"),
        ("a NOT", 3, "NOT", "nothing_after"),
        ("kitob YOKI", 7, "YOKI", "nothing_after"),
        ("a () b", 3, "()", "empty"),
    ],
)
def test_a_syntax_error_says_where_it_is(
    text: str, position: int, token: str, problem: str
) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse(text)
    error = raised.value
    assert (error.position, error.token, error.problem) == (position, token, problem)
    assert isinstance(error, UserError)
    assert f"at character {position}" in str(error)
    assert f'"{text}"' in str(error)


def test_mojibake_is_detected_and_repaired() -> None:
    garbage = "Íå î÷åíü êðàòêîå ââåäåíèå. Áèáëèîòåêà óíèâåðñèòåòà, 2024 ã."
    assert looks_like_mojibake(garbage)
    assert repair_mojibake(garbage) == "Не очень краткое введение. Библиотека университета, 2024 г."


@pytest.mark.parametrize(
    "text",
    [
        "Le château était très élevé, où les élèves étudiaient près de la forêt.",
        "Oʻzbekiston kutubxonalari — bilim manbai.",
        "Обычный русский текст без ошибок кодировки.",
        "Ça",
    ],
)
def test_clean_text_is_not_taken_for_mojibake(text: str) -> None:
    assert not looks_like_mojibake(text)


def test_saslprep() -> None:
    assert saslprep("SªSL\u00adprep") == "SaSLprep"
    assert saslprep("I\u00adX") == "IX"
    assert saslprep("pässwört") == "pässwört"
    assert password_candidates("æøå") == ["æøå"]
    with pytest.raises(UserError):
        saslprep("a\u0007b")


def test_snippet_marks_every_matching_form() -> None:
    text = "Boshqa gap.\n\nKutubxona katta. Biz kutubxonaga bordik; кутубхона ёпиқ эди. Oxiri."
    snippet = make_snippet(text, "uz", frozenset({"kutubxona"}))
    marked = [snippet.text[s:e] for s, e in snippet.spans]
    assert marked == ["Kutubxona", "kutubxonaga", "кутубхона"]
    assert "\n" not in snippet.text
    assert snippet.marked().count("[") == 3


def test_snippet_window_goes_to_the_densest_part() -> None:
    text = "kitob " + "boshqa soʻz " * 200 + "kitob kitoblar kitobga " + "oxir " * 100
    snippet = make_snippet(text, "uz", frozenset({"kitob"}), width=80)
    assert len(snippet.spans) == 3
    assert snippet.text.startswith("…")
    assert snippet.text.endswith("…")


def test_snippet_is_centred_on_the_match_with_context_before_it() -> None:
    # issue 12, item 23: the snippet showed a quarter window before the match, which a
    # narrow results column cut off before the matched word
    before = " ".join(f"oldin{i}" for i in range(60))
    after = " ".join(f"keyin{i}" for i in range(60))
    text = f"{before} Kutubxona {after}"
    snippet = make_snippet(text, "uz", frozenset({"kutubxona"}), width=120)
    ((start, end),) = snippet.spans
    assert snippet.text[start:end] == "Kutubxona"
    context_before, context_after = start, len(snippet.text) - end
    assert context_before > 40
    assert abs(context_before - context_after) <= 20  # the match in the middle
    # at the very start of a page there is nothing before it: the window starts there
    first = make_snippet(f"Kutubxona {after}", "uz", frozenset({"kutubxona"}), width=120)
    assert first.spans[0][0] == 0
    assert len(first.text) >= 110
