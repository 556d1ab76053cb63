"""Exporting the open book's annotations from the window: choosing a file and a format."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from app.core.models import Book
from app.ui.common.i18n import ui_text


def ask_export(parent: QWidget, book: Book) -> tuple[str, Path] | None:
    """Ask where to export ``book``'s annotations and as what: (format, path), or None.

    The format follows the chosen file type: Markdown, W3C Web Annotation JSON-LD, or (for
    a PDF) a copy of the PDF holding the annotations.
    """
    choices = [
        ("md", ui_text("Markdown notes (*.md)"), ".md"),
        ("w3c", ui_text("Web Annotation JSON-LD (*.jsonld)"), ".jsonld"),
    ]
    if book.format == "pdf":
        choices.append(("pdf", ui_text("A copy of the PDF with the annotations (*.pdf)"), ".pdf"))
    stem = "".join(c if c.isalnum() or c in " -_" else "_" for c in book.title).strip()
    path, chosen = QFileDialog.getSaveFileName(
        parent,
        ui_text("Export the annotations of “{title}”").format(title=book.title),
        str(Path.home() / f"{stem or 'annotations'}{choices[0][2]}"),
        ";;".join(label for _fmt, label, _suffix in choices),
    )
    if not path:
        return None
    fmt, _label, suffix = next((c for c in choices if c[1] == chosen), choices[0])
    target = Path(path)
    return fmt, target if target.suffix else target.with_suffix(suffix)
