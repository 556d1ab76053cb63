"""Ranking of pages: BM25's saturating term frequency times IDF, without length normalisation.

Pages are of similar length, so BM25's length normalisation changes little, while reading
each page's field length costs Whoosh a column lookup per scored page (4x slower for a
single common word). Without it the score depends on the posting's weight alone, which
also lets Whoosh skip whole posting blocks whose best score cannot reach the top hits.
"""

from __future__ import annotations

from typing import Any

from whoosh import scoring

K1 = 1.2


def _saturate(tf: float) -> float:
    return tf * (K1 + 1.0) / (tf + K1)


class _PageScorer(scoring.BaseScorer):  # type: ignore[misc]
    def __init__(self, idf: float, max_weight: float) -> None:
        self._idf = idf
        self._max = idf * _saturate(max_weight)

    def supports_block_quality(self) -> bool:
        return True

    def score(self, matcher: Any) -> float:
        return self._idf * _saturate(matcher.weight())

    def max_quality(self) -> float:
        return self._max

    def block_quality(self, matcher: Any) -> float:
        return self._idf * _saturate(matcher.block_max_weight())


class PageWeighting(scoring.WeightingModel):  # type: ignore[misc]
    """Saturating TF x IDF: a page that repeats a word ranks higher, with diminishing returns."""

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: int = 1) -> _PageScorer:
        parent = searcher.get_parent()  # IDF is a statistic of the whole index
        idf = float(parent.idf(fieldname, text))
        return _PageScorer(idf, float(searcher.term_info(fieldname, text).max_weight()))
