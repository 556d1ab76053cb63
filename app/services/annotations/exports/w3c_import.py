"""Importing a W3C Web Annotation file into a profile's annotations.

The file is untrusted: every item is checked (shape, book, page, attached-to annotation)
before anything is stored, a bad item costs one line saying what and where, and the rest
is imported. An annotation whose id is already in the library (live or deleted) is skipped,
so importing the same file twice adds nothing and never undoes a later edit or deletion.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import UserError
from app.core.models import Annotation, Book
from app.services.annotations.exports.w3c import (
    ItemError,
    ParsedAnnotation,
    items_of,
    parse_annotation,
)
from app.services.session import Library, Session

MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass
class ImportResult:
    """What an import did: annotations added, ids already there, one line per bad item."""

    imported: list[Annotation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no item failed."""
        return not self.problems


def read_w3c_file(path: Path) -> list[object]:
    """The annotation objects of a W3C JSON-LD file.

    Raises:
        UserError: the file cannot be read, is not JSON, or is not a W3C annotation document.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(f"{path}: too large ({size / 2**20:.0f} MB; at most 64 MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    except RecursionError as exc:
        raise UserError(f"{path}: JSON nested too deeply") from exc
    try:
        return items_of(document)
    except ItemError as exc:
        raise UserError(f"{path}: {exc}") from exc


def import_w3c(session: Session, path: Path) -> ImportResult:
    """Import the annotations of a W3C JSON-LD file into ``profile_id``'s annotations.

    Items are numbered from 1 in the messages, in the order the file holds them. An item
    attached to another (``mutolaa:parent``) is imported after it.

    Raises:
        UserError: the file as a whole is unusable (unreadable, not JSON, not W3C).
    """
    library, profile_id = session.library, session.profile_id
    result = ImportResult()
    parsed: list[tuple[int, ParsedAnnotation]] = []
    books: dict[str, Book | None] = {}
    for number, item in enumerate(read_w3c_file(path), 1):
        try:
            annotation = parse_annotation(item)
            _check_book(library, annotation, books)
        except ItemError as exc:
            result.problems.append(f"{path}: item {number}{_id_hint(item)}: {exc}")
            continue
        parsed.append((number, annotation))

    in_file = {a.id for _n, a in parsed}
    done: set[str] = set()
    failed: set[str] = set()
    pending = parsed
    while pending:
        waiting = []
        for number, annotation in pending:
            parent = annotation.parent_id
            if parent is not None and parent in in_file and parent not in done | failed:
                waiting.append((number, annotation))
                continue
            where = f"{path}: item {number} ({annotation.id})"
            if parent is not None and parent in failed:
                result.problems.append(
                    f"{where}: the annotation it is attached to was not imported"
                )
                failed.add(annotation.id)
                continue
            if library.annotations.get(annotation.id) is not None:
                result.skipped.append(annotation.id)
                done.add(annotation.id)
                continue
            if parent is not None and library.annotations.get(parent) is None:
                result.problems.append(
                    f"{where}: attached to {parent}, which is neither in the file nor in "
                    "the library"
                )
                failed.add(annotation.id)
                continue
            result.imported.append(_store(library, annotation, profile_id))
            done.add(annotation.id)
        if len(waiting) == len(pending):  # attached to each other in a circle
            for number, annotation in waiting:
                result.problems.append(
                    f"{path}: item {number} ({annotation.id}): attached in a circle"
                )
            break
        pending = waiting
    return result


def _id_hint(item: object) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f" ({item['id'][:80]})"
    return ""


def _check_book(
    library: Library, annotation: ParsedAnnotation, books: dict[str, Book | None]
) -> None:
    if annotation.book_id not in books:
        books[annotation.book_id] = library.store.get(annotation.book_id)
    book = books[annotation.book_id]
    if book is None:
        raise ItemError(
            f"its book {annotation.book_id[:10]}… is not in this library; import the book first"
        )
    if book.page_count > 0 and annotation.anchor.page >= book.page_count:
        raise ItemError(
            f"page {annotation.anchor.page + 1} is beyond the book's {book.page_count} pages"
        )


def _store(library: Library, annotation: ParsedAnnotation, profile_id: int) -> Annotation:
    """Save an imported annotation as it was (detached ones too), in one logged change."""
    created = annotation.created_at if annotation.created_at is not None else time.time()
    return library.annotations.add(
        Annotation(
            id=annotation.id,
            profile_id=profile_id,
            book_id=annotation.book_id,
            kind=annotation.kind,
            anchor=annotation.anchor,
            quote=annotation.quote,
            color=annotation.color,
            body=annotation.body,
            parent_id=annotation.parent_id,
            created_at=created,
            detached=annotation.detached,
            origin=annotation.origin,
        )
    )
