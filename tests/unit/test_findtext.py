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
