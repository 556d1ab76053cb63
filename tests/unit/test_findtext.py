"""Find in a book: runs of words across case, script and apostrophe forms."""

from __future__ import annotations

from app.core.findtext import count_in_text, query_words, word_runs


def test_runs_match_every_form() -> None:
    words = ["Oʻquv", "zalida", "kitoblar", "—", "ЎҚУВ", "ЗАЛИ", "o`quv", "zal"]
    assert word_runs(words, query_words("o'quv zal")) == [(0, 2), (4, 6), (6, 8)]
    assert word_runs(words, query_words("kitob")) == [(2, 3)]
    assert word_runs(words, query_words("")) == []
    assert word_runs(words, query_words("zal o'quv")) == [(5, 7)]  # ЗАЛИ, o`quv


def test_count_in_text() -> None:
    text = "Kutubxona katta. Biz kutubxonaga bordik; КУТУБХОНА ёпиқ. kutub"
    assert count_in_text(text, query_words("kutubxona")) == 3
    assert count_in_text(text, query_words("Кутубхона ёпиқ")) == 1
    assert count_in_text(text, []) == 0


def test_a_word_in_quotes_or_brackets_is_marked_as_it_is_counted() -> None:
    # issue 12, item 18: “piracy” was counted on the page but never marked
    words = ["They", "called", "it", "“piracy”", "and", "(piracy)", "too.", "‘Piracy’", "—", "x"]
    wanted = query_words("piracy")
    assert word_runs(words, wanted) == [(3, 4), (5, 6), (7, 8)]
    assert count_in_text(" ".join(words), wanted) == len(word_runs(words, wanted))
    assert word_runs(words, query_words("piracy and")) == [(3, 5)]
    assert word_runs(words, query_words("piracy x")) == [(7, 10)]  # a dash is no word
    assert word_runs(["kitob-kitob"], query_words("kitob")) == [(0, 1)]  # one box for the word
