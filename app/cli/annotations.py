"""`mutolaa annotations|export-annotations|import-annotations`: a book's bookmarks and notes."""

from __future__ import annotations

from pathlib import Path

from app.cli.base import EXIT_FAILED, EXIT_OK, Cli, Commands, add_command
from app.core.models import Annotation, AnnotationKind
from app.documents.worker import DocumentWorker
from app.library.annotations import to_record
from app.services.annotations.exports.exporting import FORMATS, export_annotations
from app.services.annotations.exports.w3c_import import import_w3c
from app.services.session import Session


def add_annotation_commands(commands: Commands) -> None:
    """`annotations ID`, `export-annotations ID --format F --output PATH`, `import-annotations`."""
    sub = add_command(
        commands,
        "annotations",
        "list a book's bookmarks, highlights and notes",
        cmd_annotations,
    )
    sub.add_argument("id", metavar="ID")
    sub = add_command(
        commands,
        "export-annotations",
        "export a book's annotations: Markdown, W3C Web Annotation JSON-LD, or an annotated PDF",
        cmd_export_annotations,
    )
    sub.add_argument("id", metavar="ID")
    sub.add_argument("--format", choices=FORMATS, required=True, help="md, w3c or pdf")
    sub.add_argument("--output", metavar="PATH", required=True, help="the file to write")
    sub = add_command(
        commands,
        "import-annotations",
        "import annotations from a W3C JSON-LD file",
        cmd_import_annotations,
    )
    sub.add_argument("file", metavar="FILE")


def cmd_annotations(cli: Cli, session: Session) -> int:
    """`mutolaa annotations ID`: the acting person's annotations of one book."""
    library = session.library
    book = library.store.resolve(cli.args.id)
    annotations = library.annotations.of_book(book.id, session.profile_id)
    if cli.json:
        cli.emit([to_record(a) for a in annotations])
        return EXIT_OK
    if not annotations:
        cli.say(f"{book.short_id}  {book.title}: no annotations")
        return EXIT_OK
    cli.say(f"{book.short_id}  {book.title}: {len(annotations)} annotation(s)")
    for annotation in annotations:
        cli.say(_annotation_line(annotation))
    return EXIT_OK


def cmd_export_annotations(cli: Cli, session: Session) -> int:
    """`mutolaa export-annotations ID --format md|w3c|pdf --output PATH`."""
    book = session.library.store.resolve(cli.args.id)
    with DocumentWorker() as worker:
        result = export_annotations(session, worker, book, cli.args.format, Path(cli.args.output))
    if cli.json:
        cli.emit(
            {
                "book": book.id,
                "format": result.format,
                "path": str(result.path),
                "annotations": result.annotations,
                "skipped": result.skipped,
            }
        )
    cli.say(f"wrote {result.path} ({result.annotations} annotation(s), {result.format})")
    if result.skipped:
        cli.warn(f"{result.skipped} annotation(s) have no place on a page and were left out")
    return EXIT_OK


def cmd_import_annotations(cli: Cli, session: Session) -> int:
    """`mutolaa import-annotations FILE`: W3C Web Annotation JSON-LD; known ids are skipped."""
    with DocumentWorker() as worker:  # places annotations that give a quote only
        result = import_w3c(session, Path(cli.args.file), worker)
    for line in result.problems:
        print(line, file=cli.err)
    if cli.json:
        cli.emit(
            {
                "imported": [to_record(a) for a in result.imported],
                "skipped": result.skipped,
                "problems": result.problems,
            }
        )
    cli.say(
        f"{len(result.imported)} imported, {len(result.skipped)} already there, "
        f"{len(result.problems)} failed"
    )
    return EXIT_OK if result.ok else EXIT_FAILED


def _annotation_line(annotation: Annotation) -> str:
    """One annotation for people: page, kind, colour, quote and note, on one line."""
    page = f"p. {annotation.anchor.page + 1}"
    kind = annotation.kind.value + (" (detached)" if annotation.detached else "")
    parts = [f"{annotation.id[:8]}  {page:<8} {kind:<10} {annotation.color or '-':<7}"]
    if annotation.quote:
        parts.append(f"“{_shorten(annotation.quote, 60)}”")
    if annotation.body:
        label = "" if annotation.kind == AnnotationKind.BOOKMARK else "note: "
        parts.append(f"{label}{_shorten(annotation.body, 60)}")
    return "  ".join(parts)


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
