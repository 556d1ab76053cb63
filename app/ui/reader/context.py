"""What most parts of a book's tab use of it: the place in the book, its layout, moving on."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance

from app.core.models import PageLayout


class PlaceContext(Protocol):
    """The place in the book a part follows and moves: each part's own context adds to it."""

    @property
    def page(self) -> int:
        """The page on screen (0-based, in the current layout)."""

    @property
    def rotation(self) -> int:
        """How far pages are turned, in degrees clockwise."""

    @property
    def reflowable(self) -> bool:
        """True for a book laid out again for a font size (EPUB, FB2, MOBI, TXT)."""

    @property
    def page_layout(self) -> PageLayout | None:
        """The current layout (None until it is known)."""

    @property
    def laid_out(self) -> SignalInstance:
        """``laid_out(int)``: the book was laid out."""

    @property
    def language_changed(self) -> SignalInstance:
        """``language_changed()``: the interface language was switched."""

    def go_to(self, page: int, top: float | None = None) -> None:
        """Show ``page``, ``top`` (a height on it in points) at the top when given."""
