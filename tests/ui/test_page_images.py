"""The drawn-page cache: bounded by bytes, another zoom stands in, colours made once."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from app.ui.reader.page_images import PageImages


def _page(width: int = 100, height: int = 100) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(QColor(255, 255, 255))
    return image


def test_the_oldest_pages_go_once_the_budget_is_spent_but_never_the_last_few() -> None:
    size = _page().sizeInBytes()
    images = PageImages(budget=size * 3, min_pages=2)
    for page in range(5):
        images.add((page, 1.0, 0, None), _page())
    assert len(images) == 3
    assert (0, 1.0, 0, None) not in images
    assert (4, 1.0, 0, None) in images
    assert images.size_in_bytes == size * 3
    images.add((9, 1.0, 0, None), _page(1000, 1000))  # larger than the budget alone
    assert len(images) == 2  # the minimum is kept even then


def test_another_zoom_stands_in_but_not_another_rotation_or_layout() -> None:
    images = PageImages()
    small = _page(50, 50)
    images.add((3, 0.5, 0, 11.0), small)
    assert images.shown((3, 2.0, 0, 11.0)) is small
    assert images.shown((3, 2.0, 90, 11.0)) is None
    assert images.shown((3, 2.0, 0, 14.0)) is None
    assert images.shown((4, 0.5, 0, 11.0)) is None


def test_night_and_sepia_copies_are_made_once_and_the_day_page_kept() -> None:
    images = PageImages()
    key = (0, 1.0, 0, None)
    images.add(key, _page())
    images.set_theme("night")
    night = images.shown(key)
    assert night is not None
    assert night.pixelColor(1, 1).lightness() < 10
    assert images.shown(key) is night  # not inverted again
    images.set_theme("sepia")
    sepia = images.shown(key)
    assert sepia is not None
    assert sepia.pixelColor(1, 1).red() > sepia.pixelColor(1, 1).blue()
    images.set_theme("nonsense")
    day = images.shown(key)
    assert day is not None
    assert day.pixelColor(1, 1).lightness() == 255
