"""Whoosh analyzers built on app.core.textfold: fold once, split once, stem through a cache."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem as _porter_stem
from whoosh.lang.snowball.russian import RussianStemmer

from app.core.textfold import (
    WORD_PATTERN,
    cjk_bigrams,
    fold,
    fold_latin,
    fold_russian,
    has_cjk,
    split_words,
    uzbek_stem,
)

#: The languages a page can be indexed as; each has its own text field.
LANGUAGES = ("uz", "ru", "en")
#: The analysis of titles and authors: folded like Uzbek, never stemmed.
NAME = "name"

_WORD = re.compile(WORD_PATTERN)
# Stem caches are bounded: a library's vocabulary is large but a page reuses most of its words.
_CACHE_LIMIT = 200_000
_russian_stem: Callable[[str], str] = RussianStemmer().stem


def _stem_cyrillic_words(word: str) -> str:
    # Latin words on a Russian page (names, terms) are left alone rather than Russian-stemmed.
    return _russian_stem(word) if "а" <= word[0] <= "я" else word


def stem_english(word: str) -> str:
    """The Porter stem of a word already folded with ``fold_latin``."""
    result: str = _porter_stem(word)
    return result


class _StemCache(dict[str, str]):
    """word -> stem; a hit is a C-level lookup, only a miss calls the stemmer."""

    def __init__(self, stemmer: Callable[[str], str]) -> None:
        super().__init__()
        self.stemmer = stemmer

    def __missing__(self, word: str) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        stem = self[word] = self.stemmer(word)
        return stem


_FOLDERS: dict[str, Callable[[str], str]] = {
    "uz": fold,
    "ru": fold_russian,
    "en": fold_latin,
    NAME: fold,
}
_CACHES: dict[str, _StemCache] = {
    "uz": _StemCache(uzbek_stem.__wrapped__),
    "ru": _StemCache(_stem_cyrillic_words),
    "en": _StemCache(stem_english),
}


class FoldingAnalyzer(Tokenizer):  # type: ignore[misc]
    """Fold, tokenize and stem in one generator (a filter chain costs ~40 % more).

    The instance holds only the language name, so it pickles into the index's schema
    cheaply; the fold function, stemmer and cache are looked up per call. It is a whole
    analyzer: the fast path does not reset ``stopped``/``boost`` per token, so do not chain
    filters that change them.
    """

    def __init__(self, lang: str) -> None:
        if lang not in _FOLDERS:
            raise ValueError(f"no analysis for language {lang!r}")
        self.lang = lang

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and getattr(other, "lang", None) == self.lang

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.lang))

    def has_morph(self) -> bool:
        """True when the analysis stems (every language but names)."""
        return self.lang != NAME

    def __call__(  # noqa: PLR0917 - Whoosh's tokenizer signature
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Any]:
        """Yield one reused Token per word (Whoosh's tokenizer protocol).

        Character offsets are offsets into the folded text, which can differ from the
        original (ў becomes two characters); snippets are made with our own matching.
        """
        text = _FOLDERS[self.lang](value)
        cache = None if kwargs.get("no_morph") else _CACHES.get(self.lang)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = text if cache is None else cache.stemmer(text)
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(text)
            yield t
            return
        # Han, kana, Hangul: indexed and searched as overlapping pairs of characters (a
        # Russian page holds none worth the scan)
        cjk = self.lang != "ru" and has_cjk(text)
        if chars or keeporiginal:
            matches: Iterable[_Piece | re.Match[str]] = (
                _pieces(text) if cjk else _WORD.finditer(text)
            )
            for pos, match in enumerate(matches, start_pos):
                word = match.group()
                t.text = word if cache is None else cache[word]
                t.original = word
                t.stopped = False
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = start_char + match.start()
                    t.endchar = start_char + match.end()
                yield t
            return
        # The hot path of indexing: splitting and the cache lookups (map) run in C, leaving one
        # attribute store or two per token in Python.
        words = cjk_bigrams(split_words(text)) if cjk else split_words(text)
        terms = words if cache is None else map(cache.__getitem__, words)
        if positions:
            for pos, term in enumerate(terms, start_pos):
                t.text = term
                t.pos = pos
                yield t
        else:
            for term in terms:
                t.text = term
                yield t


class _Piece:
    """A word of folded text, or a pair of CJK characters in it, with its offsets (what
    ``re.Match`` gives the offset path of the analyzer)."""

    def __init__(self, text: str, start: int) -> None:
        self._text, self._start = text, start

    def group(self) -> str:
        return self._text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._start + len(self._text)


def _pieces(text: str) -> Iterator[_Piece]:
    """The words of ``text`` with their offsets, CJK runs as overlapping pairs."""
    for match in _WORD.finditer(text):
        word, offset = match.group(), match.start()
        at = 0
        for piece in cjk_bigrams([word]):
            at = word.find(piece, at)
            yield _Piece(piece, offset + at)
            at += 1 if has_cjk(piece) else len(piece)


_ANALYZERS = {lang: FoldingAnalyzer(lang) for lang in _FOLDERS}


def analyzer_for(lang: str) -> FoldingAnalyzer:
    """The analyzer of a language's text field.

    Args:
        lang: ``"uz"``, ``"ru"``, ``"en"``, or ``"name"`` for titles and authors.

    Raises:
        ValueError: the language has no analysis.
    """
    analyzer = _ANALYZERS.get(lang)
    if analyzer is None:
        raise ValueError(f"no analysis for language {lang!r}")
    return analyzer


def query_terms(lang: str, text: str) -> list[str]:
    """The indexed terms of a phrase in a language's field, in order (as indexing makes them).

    Args:
        lang: a language of :data:`LANGUAGES` or ``"name"``.
        text: the words of the phrase as typed.
    """
    return [t.text for t in analyzer_for(lang)(text, mode="query")]


def query_term(lang: str, word: str) -> str | None:
    """The indexed term one query word becomes in a language's field.

    Args:
        lang: a language of :data:`LANGUAGES` or ``"name"``.
        word: the word as typed; when it holds several words, the first one counts.

    Returns:
        The folded and stemmed term, or None when the word has no letters or digits.
    """
    for t in analyzer_for(lang)(word, mode="query"):
        text: str = t.text
        return text
    return None


def prefix_term(lang: str, word: str) -> str:
    """The folded form of a ``word*`` prefix: folded like the field's text, never stemmed.

    Stemming would cut a prefix short or change it (kitobla* must not become kitob*); the
    prefix is matched against indexed stems, so it finds words whose stem starts with it.

    Args:
        lang: a language of :data:`LANGUAGES` or ``"name"``.
        word: the prefix as typed, with or without the trailing ``*``.
    """
    analyzer_for(lang)
    return _FOLDERS[lang](word.strip().rstrip("*").strip())
