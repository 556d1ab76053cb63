"""Where pages stand on screen: rotation, the column of pages, words under the pointer."""

from __future__ import annotations

import pytest

from app.ui.reader.page_geometry import (
    Column,
    box_on_view,
    point_on_page,
    turned,
    word_at,
    words_text,
)

A4 = (595.0, 842.0)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_points_and_boxes_turn_together(rotation: int) -> None:
    box = (100.0, 200.0, 150.0, 220.0)
    x0, y0, x1, y1 = box_on_view(box, A4, rotation, 2.0)
    width, height = turned(A4, rotation)
    assert 0 <= x0 < x1 <= width * 2
    assert 0 <= y0 < y1 <= height * 2
    # the centre of the box on screen is the centre of the box on the page
    x, y = point_on_page((x0 + x1) / 2, (y0 + y1) / 2, A4, rotation, 2.0)
    assert x == pytest.approx(125.0)
    assert y == pytest.approx(210.0)


def test_quarter_turn_puts_the_top_of_the_page_on_the_right() -> None:
    x0, _y0, x1, _y1 = box_on_view((0.0, 0.0, 595.0, 10.0), A4, 90, 1.0)
    assert (x0, x1) == (832.0, 842.0)


def test_a_column_of_pages_finds_what_is_on_screen() -> None:
    sizes = [A4] * 10 + [(842.0, 595.0)]  # a landscape page at the end
    column = Column.of(sizes, 0.5, 0, 10.0)
    assert column.tops[0] == 10.0
    assert column.tops[1] == pytest.approx(10 + 421 + 10)
    assert column.height == pytest.approx(10 + 10 * 431 + 297.5 + 10)
    assert column.width == pytest.approx(421 + 20)
    assert list(column.visible(0, 500)) == [0, 1]
    assert list(column.visible(431 * 3 + 5, 100)) == [3]
    assert column.most_visible(431 * 3 + 400, 431) == 4
    assert column.index_at(10_000) == 10
    assert Column.of([], 1.0, 0, 10.0).visible(0, 100) == range(0)


def test_words_are_chosen_by_line_first_and_joined_by_lines() -> None:
    words = [
        (10.0, 10.0, 40.0, 20.0, "Oʻquv"),
        (45.0, 10.0, 80.0, 20.0, "yili"),
        (10.0, 25.0, 40.0, 35.0, "boshlandi."),
    ]
    assert word_at(words, 50.0, 15.0) == 1
    assert word_at(words, 200.0, 14.0) == 1  # far right on the first line: its last word
    assert word_at(words, 5.0, 31.0) == 2
    assert word_at([], 1.0, 1.0) == -1
    assert words_text(words) == "Oʻquv yili\nboshlandi."
