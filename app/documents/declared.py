"""What a document declares about itself beyond MuPDF's metadata: every author, its language.

MuPDF gives an EPUB's first ``dc:creator`` only and no document's language. The EPUB package
document and the FictionBook title-info are read here (`sync.book_metadata`, shared with the
library server), a PDF's ``/Lang`` from its catalogue. What broken producers write instead of a
value (``ARRAY(0x2c7cf020)``, "Unknown") counts as missing. A file whose metadata cannot be read
still imports: these facts are extras.
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.book_metadata import (
    BadBook,
    clean_text,
    epub_facts,
    fb2_facts,
    is_placeholder,
    language_tag,
    split_authors,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Declared:
    """A document's own title, authors and language ("" and () when it declares none)."""

    title: str = ""
    authors: tuple[str, ...] = ()
    language: str = ""


def declared(doc: Any, path: Path, kind: str) -> Declared:
    """What the open document ``doc`` (read from ``path``, of format ``kind``) declares.

    MuPDF's own metadata fills what the format's metadata lacks.
    """
    meta = doc.metadata or {}
    title = clean_text(str(meta.get("title") or ""))
    found = Declared(
        "" if is_placeholder(title) else title, split_authors(str(meta.get("author") or ""))
    )
    try:
        if kind == "epub":
            facts = epub_facts(path)[0]
        elif kind == "fb2":
            facts = fb2_facts(path.read_bytes())
        elif kind == "pdf":
            facts = {"language": _pdf_language(doc)}
        else:
            facts = {}
    except (BadBook, OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        log.info("%s: metadata not readable (%s)", path.name, exc)
        facts = {}
    return Declared(
        title=str(facts.get("title") or "") or found.title,
        authors=tuple(facts.get("authors") or ()) or found.authors,
        language=language_tag(str(facts.get("language") or "")),
    )


def _pdf_language(doc: Any) -> str:
    """The ``/Lang`` of a PDF's catalogue ("" when it has none)."""
    try:
        kind, value = doc.xref_get_key(doc.pdf_catalog(), "Lang")
    except (RuntimeError, ValueError, AttributeError):
        return ""
    if kind not in ("string", "name"):
        return ""
    return str(value).strip("()/ ")
