"""Stepping through the matches of a find: across pages, wrapping, the last match backwards."""

from __future__ import annotations

from app.core.findtext import query_words
from app.ui.reader.find_hits import LAST, Hits
from app.ui.reader.page_geometry import Word


def _words(*texts: str) -> list[Word]:
    return [(10.0 * i, 0.0, 10.0 * i + 8, 10.0, text) for i, text in enumerate(texts)]


def test_matches_are_boxed_and_stepped_through_across_pages() -> None:
    hits = Hits()
    hits.start(query_words("oʻquv yili"))
    assert hits.found([7, 2, 4], here=3) == 4  # the first from the current page on
    assert hits.current == (4, 0)
    boxes = hits.read(4, _words("Yangi", "Oʻquv", "yili", "va", "o'quv", "yili"))
    assert boxes == [(10.0, 0.0, 28.0, 10.0), (40.0, 0.0, 58.0, 10.0)]  # phrase, any apostrophe
    assert hits.current_box() == boxes[0]

    assert hits.step(+1) == 4
    assert hits.current == (4, 1)
    assert hits.step(+1) == 7  # the next page, its boxes not read yet
    assert hits.current == (7, 0)
    assert hits.current_box() is None
    hits.read(7, _words("ўқув", "йили"))  # Cyrillic matches too
    assert hits.current_box() is not None
    assert hits.step(+1) == 2  # wraps to the first page
    assert hits.step(-1) == 7  # back: the last match of a page already read
    assert hits.current == (7, 0)
    assert hits.step(-1) == 4
    assert hits.current == (4, 1)


def test_stepping_back_to_an_unread_page_lands_on_its_last_match() -> None:
    hits = Hits()
    hits.start(query_words("kitob"))
    hits.found([1, 5], here=5)
    hits.read(5, _words("kitob"))
    assert hits.step(-1) == 1
    assert hits.current == (1, LAST)
    hits.read(1, _words("kitob", "va", "kitob", "kitob"))
    assert hits.current == (1, 2)


def test_nothing_found_steps_nowhere() -> None:
    hits = Hits()
    hits.start(query_words("yoʻq"))
    assert hits.found([], here=0) is None
    assert hits.step(+1) is None
    assert hits.current_box() is None
