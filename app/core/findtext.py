"""Find in a book: runs of page words matching a search, ignoring case, script and apostrophes."""

from __future__ import annotations

from collections.abc import Sequence

from app.core.textfold import fold, split_words


def query_words(query: str) -> list[str]:
    """The folded words of what the reader typed."""
    return split_words(fold(query))


def word_runs(words: Sequence[str], wanted: Sequence[str]) -> list[tuple[int, int]]:
    """[start, end) index runs of ``words`` (as on the page) matching ``wanted`` (folded).

    Each page word is split into words as :func:`count_in_text` splits a page's text, so
    punctuation around a word (“piracy”, (kitob), ‘Piracy’) is no part of it and a run
    counted there is also marked here. Each word must start with the wanted word at its
    place (``kitob`` finds ``kitoblar``), and the words must follow each other.
    """
    if not wanted:
        return []
    tokens = [(index, part) for index, word in enumerate(words) for part in split_words(fold(word))]
    size = len(wanted)
    runs: list[tuple[int, int]] = []
    for start in range(len(tokens) - size + 1):
        if all(tokens[start + i][1].startswith(wanted[i]) for i in range(size)):
            run = (tokens[start][0], tokens[start + size - 1][0] + 1)
            if not runs or runs[-1] != run:  # two matches inside one page word: one box
                runs.append(run)
    return runs


def count_in_text(text: str, wanted: Sequence[str]) -> int:
    """How many runs of ``wanted`` a page's text holds."""
    if not wanted:
        return 0
    words = split_words(fold(text))
    size = len(wanted)
    return sum(
        1
        for start in range(len(words) - size + 1)
        if all(words[start + i].startswith(wanted[i]) for i in range(size))
    )
