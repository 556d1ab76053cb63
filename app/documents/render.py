"""Drawing pages, inside the worker process: documents stay open between requests."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import pymupdf

from app.core.errors import BadDocumentError
from app.core.models import RenderedPage
from app.documents.extract import open_document

OPEN_DOCUMENTS = 4


class PageRenderer:
    """Keeps the last few documents open, so turning a page does not reopen the book."""

    def __init__(self) -> None:
        self._open: OrderedDict[tuple[str, str | None], Any] = OrderedDict()

    def _document(self, path: Path, password: str | None) -> Any:
        key = (str(path), password)
        doc = self._open.get(key)
        if doc is None:
            doc, locked = open_document(path, password)
            if locked:
                doc.close()
                raise BadDocumentError("the book is encrypted; its password is needed")
            self._open[key] = doc
            while len(self._open) > OPEN_DOCUMENTS:
                _key, oldest = self._open.popitem(last=False)
                oldest.close()
        self._open.move_to_end(key)
        return doc

    def render(
        self, path: Path, page: int, zoom: float, password: str | None, rotation: int = 0
    ) -> RenderedPage:
        """Draw one page at ``zoom`` (1.0 = 72 dpi), turned ``rotation`` degrees, as RGB."""
        doc = self._document(path, password)
        if not 0 <= page < doc.page_count:
            raise BadDocumentError(
                f"page {page + 1} does not exist (the book has {doc.page_count})"
            )
        try:
            matrix = pymupdf.Matrix(zoom, zoom).prerotate(rotation % 360)
            pix = doc[page].get_pixmap(matrix=matrix, alpha=False)
        except (RuntimeError, ValueError) as exc:
            raise BadDocumentError(f"page {page + 1} cannot be drawn ({exc})") from exc
        return RenderedPage(
            page=page,
            width=pix.width,
            height=pix.height,
            stride=pix.stride,
            samples=bytes(pix.samples_mv),
            page_count=doc.page_count,
        )

    def words(
        self, path: Path, page: int, password: str | None
    ) -> list[tuple[float, float, float, float, str]]:
        """The words of a page with their boxes (in points), in reading order."""
        doc = self._document(path, password)
        if not 0 <= page < doc.page_count:
            return []
        try:
            raw = doc[page].get_text("words", sort=True)
        except (RuntimeError, ValueError) as exc:
            raise BadDocumentError(f"page {page + 1} cannot be read ({exc})") from exc
        return [(float(w[0]), float(w[1]), float(w[2]), float(w[3]), str(w[4])) for w in raw]

    def close(self) -> None:
        """Close every open document."""
        for doc in self._open.values():
            doc.close()
        self._open.clear()
