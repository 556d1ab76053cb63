"""The `mutolaa` command line, over the same services the window uses."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app import __version__
from app.cli.base import EXIT_FAILED, EXIT_OK, moment, read_password
from app.cli.catalogs import CatalogCommands, add_catalog_commands
from app.cli.downloads import DownloadCommands
from app.cli.holdings import HoldingsCommands, add_holdings_command
from app.cli.syncing import SyncCommands, add_sync_commands
from app.core.errors import MutolaaError, UserError
from app.core.models import Annotation, AnnotationKind, Book
from app.core.paths import Paths, resolve_paths
from app.documents.worker import DocumentWorker
from app.library.annotations import to_record
from app.services.annotations.exports.exporting import FORMATS, export_annotations
from app.services.annotations.exports.w3c_import import import_w3c
from app.services.annotations.note_search import NoteHit
from app.services.library.doctor import run_doctor
from app.services.library.importer import Importer, iter_failures
from app.services.library.removing import remove_book
from app.services.library.searching import SearchResults, search
from app.services.session import Session


def book_dict(book: Book) -> dict[str, Any]:
    """A book as JSON-ready data."""
    data = asdict(book)
    data["state"] = book.state.value
    data["toc"] = [[e.level, e.title, e.page] for e in book.toc]
    return data


def _book_line(book: Book) -> str:
    authors = ", ".join(book.authors) or "unknown author"
    status = ""
    if book.state.value == "locked":
        status = "  [locked]"
    elif book.state.value == "extracting":
        status = f"  [reading {book.extracted_pages}/{book.page_count}]"
    elif book.indexed_pages < book.extracted_pages:
        status = f"  [indexing {book.indexed_pages}/{book.extracted_pages}]"
    langs = ",".join(book.languages) or "-"
    return (
        f"{book.short_id}  {book.format:<4} {book.page_count:>5} p  {langs:<8} "
        f"{book.title} — {authors}{status}"
    )


class Cli(CatalogCommands, DownloadCommands, SyncCommands, HoldingsCommands):
    """One run of the command line."""

    # --- commands --------------------------------------------------------------------------

    def cmd_import(self, session: Session) -> int:
        library = session.library
        progress = self.progress()
        with Importer(library) as importer:
            resumed = importer.resume(progress)
            report = importer.run(self.args.paths, progress=progress)
        self.done_progress()
        for book in report.added:
            self.say(f"added      {book.short_id}  {book.title} ({book.page_count} pages)")
        for book in report.duplicates:
            self.say(f"already in {book.short_id}  {book.title}")
        for book in report.locked:
            self.say(
                f"locked     {book.short_id}  {book.title} — encrypted; run "
                f"`mutolaa unlock {book.short_id}`"
            )
        for line in iter_failures(report):
            print(line, file=self.err)
        for title, problem in resumed:
            print(f"{title}: {problem}", file=self.err)
        if self.json:
            self.emit(
                {
                    "added": [book_dict(b) for b in report.added],
                    "duplicates": [book_dict(b) for b in report.duplicates],
                    "locked": [book_dict(b) for b in report.locked],
                    "failures": [{"path": p, "error": e} for p, e in report.failures],
                }
            )
        else:
            self.say(
                f"{len(report.added)} added, {len(report.duplicates)} already there, "
                f"{len(report.locked)} locked, {len(report.failures)} failed"
            )
        return EXIT_OK if report.ok and not resumed else EXIT_FAILED

    def cmd_list(self, session: Session) -> int:
        library = session.library
        books = library.store.books(order=self.args.sort)
        if self.json:
            self.emit([book_dict(b) for b in books])
        elif not books:
            self.say("The library is empty. Add books with `mutolaa import PATH`.")
        for book in books:
            self.say(_book_line(book))
        return EXIT_OK

    def cmd_show(self, session: Session) -> int:
        library = session.library
        book = library.store.resolve(self.args.id)
        if self.json:
            self.emit(book_dict(book))
            return EXIT_OK
        fields = [
            ("ID", book.id),
            ("Title", book.title),
            ("Authors", ", ".join(book.authors) or "—"),
            ("Languages", ", ".join(book.languages) or "—"),
            ("Format", book.format),
            ("Pages", str(book.page_count)),
            ("Size", f"{book.size:,} bytes"),
            ("State", book.state.value + (" (encrypted)" if book.encrypted else "")),
            ("Indexed", f"{book.indexed_pages}/{book.extracted_pages} pages"),
            ("Need OCR", f"{book.ocr_pages} pages"),
            ("Added", moment(book.added_at)),
            ("Source", book.source),
            ("File", str(library.store.file_path(book))),
        ]
        for name, value in fields:
            self.say(f"{name + ':':<11}{value}")
        if book.toc:
            self.say("Contents:")
            for entry in book.toc[:200]:
                page = f"p. {entry.page}" if entry.page > 0 else ""
                self.say(f"  {'  ' * (entry.level - 1)}{entry.title}  {page}")
        return EXIT_OK

    def cmd_search(self, session: Session) -> int:
        library = session.library
        book_id = library.store.resolve(self.args.book).id if self.args.book else None
        with library.indexing() as indexer:
            indexer.catch_up(self.progress())
        self.done_progress()
        results = search(
            session,
            self.args.query,
            book=book_id,
            lang=self.args.lang,
            fmt=self.args.format,
            limit=self.args.limit,
            offset=(self.args.page - 1) * self.args.limit,
        )
        if self.json:
            self.emit(_results_dict(results))
            return EXIT_OK
        if not results.groups and not results.notes:
            self.say(f"Nothing found for {self.args.query!r}.")
            return EXIT_OK
        marks = ("\x1b[1;33m", "\x1b[0m") if self.out.isatty() else ("[", "]")
        notes: dict[str, list[NoteHit]] = {}
        for note in results.notes:  # listed under their book, after its pages
            notes.setdefault(note.book.id, []).append(note)
        for group in results.groups:
            book = group.book
            extra = "  (title/author match)" if group.title_match else ""
            self.say(f"{book.short_id}  {book.title}{extra}")
            for match in group.pages:
                self.say(f"  p. {match.page + 1}: {match.snippet.marked(*marks)}")
            for note in notes.pop(book.id, []):
                self.say(_note_line(note, marks))
        for book_notes in notes.values():
            self.say(f"{book_notes[0].book.short_id}  {book_notes[0].book.title}")
            for note in book_notes:
                self.say(_note_line(note, marks))
        if results.notes:
            self.say(f"{len(results.notes)} of {results.total_notes} matching note(s) shown.")
        if not results.groups:
            return EXIT_OK
        first = results.offset + 1
        last = results.offset + sum(len(g.pages) for g in results.groups)
        about = "" if results.total_exact else "about "
        self.say(
            f"Hits {first}–{last} of {about}{results.total_pages} matching page(s)."
            + (f" Next: --page {self.args.page + 1}" if last < results.total_pages else "")
        )
        return EXIT_OK

    def cmd_remove(self, session: Session) -> int:
        library = session.library
        book = library.store.resolve(self.args.id)
        remove_book(library, book.id)
        if self.json:
            self.emit({"removed": book_dict(book)})
        self.say(f"removed {book.short_id}  {book.title}")
        return EXIT_OK

    def cmd_reindex(self, session: Session) -> int:
        library = session.library
        library.rebuild_index()
        with library.indexing() as indexer:
            pages = indexer.catch_up(self.progress())
        self.done_progress()
        if self.json:
            self.emit({"indexed_pages": pages, "books": library.store.count()})
        self.say(f"indexed {pages} pages of {library.store.count()} books")
        return EXIT_OK

    def cmd_unlock(self, session: Session) -> int:
        library = session.library
        book = library.store.resolve(self.args.id)
        password = read_password(f"Password for {book.title}: ")
        with Importer(library) as importer:
            unlocked = importer.unlock(book, password, self.progress())
        self.done_progress()
        if self.json:
            self.emit(book_dict(unlocked))
        self.say(f"unlocked   {unlocked.short_id}  {unlocked.title} ({unlocked.page_count} pages)")
        return EXIT_OK

    def cmd_doctor(self, session: Session) -> int:
        library = session.library
        report = run_doctor(library, self.progress(), verify_files=self.args.full)
        self.done_progress()
        if self.json:
            self.emit(asdict(report) | {"healthy": report.healthy})
        else:
            self.say(f"checked {report.checked_books} books")
            for line in report.repaired:
                self.say(f"repaired: {line}")
            for line in report.notes:
                self.say(f"note: {line}")
            for line in report.problems:
                self.say(f"problem: {line}")
            self.say("the library is healthy" if report.healthy else "problems remain (above)")
        return EXIT_OK if report.healthy else EXIT_FAILED

    # --- annotations -----------------------------------------------------------------------

    def cmd_annotations(self, session: Session) -> int:
        library = session.library
        book = library.store.resolve(self.args.id)
        annotations = library.annotations.of_book(book.id, session.profile_id)
        if self.json:
            self.emit([to_record(a) for a in annotations])
            return EXIT_OK
        if not annotations:
            self.say(f"{book.short_id}  {book.title}: no annotations")
            return EXIT_OK
        self.say(f"{book.short_id}  {book.title}: {len(annotations)} annotation(s)")
        for annotation in annotations:
            self.say(_annotation_line(annotation))
        return EXIT_OK

    def cmd_export_annotations(self, session: Session) -> int:
        library = session.library
        book = library.store.resolve(self.args.id)
        with DocumentWorker() as worker:
            result = export_annotations(
                session, worker, book, self.args.format, Path(self.args.output)
            )
        if self.json:
            self.emit(
                {
                    "book": book.id,
                    "format": result.format,
                    "path": str(result.path),
                    "annotations": result.annotations,
                    "skipped": result.skipped,
                }
            )
        self.say(f"wrote {result.path} ({result.annotations} annotation(s), {result.format})")
        if result.skipped:
            print(
                f"mutolaa: {result.skipped} annotation(s) have no place on a page and were "
                "left out",
                file=self.err,
            )
        return EXIT_OK

    def cmd_import_annotations(self, session: Session) -> int:
        result = import_w3c(session, Path(self.args.file))
        for line in result.problems:
            print(line, file=self.err)
        if self.json:
            self.emit(
                {
                    "imported": [to_record(a) for a in result.imported],
                    "skipped": result.skipped,
                    "problems": result.problems,
                }
            )
        self.say(
            f"{len(result.imported)} imported, {len(result.skipped)} already there, "
            f"{len(result.problems)} failed"
        )
        return EXIT_OK if result.ok else EXIT_FAILED

    # --- catalogues (OPDS library servers) -------------------------------------------------


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


def _results_dict(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "total_pages": results.total_pages,
        "total_exact": results.total_exact,
        "offset": results.offset,
        "limit": results.limit,
        "groups": [
            {
                "book": {"id": g.book.id, "title": g.book.title, "authors": list(g.book.authors)},
                "title_match": g.title_match,
                "hits": [
                    {
                        "page": m.page + 1,
                        "score": round(m.score, 4),
                        "snippet": m.snippet.text,
                        "highlights": [list(s) for s in m.snippet.spans],
                    }
                    for m in g.pages
                ],
            }
            for g in results.groups
        ],
        "total_notes": results.total_notes,
        "notes": [
            {
                "book": {"id": n.book.id, "title": n.book.title, "authors": list(n.book.authors)},
                "page": n.page + 1,
                "annotation": n.annotation_id,
                "kind": n.kind.value,
                "color": n.color,
                "snippet": n.snippet.text,
                "highlights": [list(s) for s in n.snippet.spans],
            }
            for n in results.notes
        ],
    }


def _note_line(note: NoteHit, marks: tuple[str, str]) -> str:
    """One note hit of `mutolaa search`: kind, page, colour and the marked snippet."""
    color = f" ({note.color})" if note.color else ""
    return f"  {note.kind.value} p. {note.page + 1}{color}: {note.snippet.marked(*marks)}"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: global options first, then a command and its options."""
    parser = argparse.ArgumentParser(
        prog="mutolaa",
        description="Mutolaa: an offline-first e-library reader (command line).",
    )
    parser.add_argument(
        "--library",
        metavar="DIR",
        help="library folder (default: $MUTOLAA_HOME or the user data folder)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more to stderr")
    parser.add_argument("--version", action="version", version=f"mutolaa {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        return sub

    sub = command("import", "import books from files and folders (recursively)")
    sub.add_argument("paths", nargs="+", metavar="PATH")
    sub = command("list", "list the books in the library")
    sub.add_argument("--sort", choices=("added", "title"), default="added")
    sub = command("show", "show one book's details")
    sub.add_argument("id", metavar="ID")
    sub = command("search", "search the full text, titles and authors of every book")
    sub.add_argument("query", metavar="QUERY")
    sub.add_argument("--book", metavar="ID", help="only this book")
    sub.add_argument("--lang", choices=("uz", "ru", "en"), help="only pages in this language")
    sub.add_argument("--format", metavar="FMT", help="only books of this format (pdf, epub, …)")
    sub.add_argument("--limit", type=_positive, default=10, metavar="N", help="hits per page")
    sub.add_argument("--page", type=_positive, default=1, metavar="N", help="page of results")
    sub = command("remove", "remove a book from the library")
    sub.add_argument("id", metavar="ID")
    command("reindex", "rebuild the full-text index from the library")
    sub = command("unlock", "give the password of an encrypted book (prompt or stdin)")
    sub.add_argument("id", metavar="ID")
    sub = command("doctor", "check the library, its files and its index; repair what can be")
    sub.add_argument("--full", action="store_true", help="also verify every file's SHA-256")
    sub = command("annotations", "list a book's bookmarks, highlights and notes")
    sub.add_argument("id", metavar="ID")
    sub = command(
        "export-annotations",
        "export a book's annotations: Markdown, W3C Web Annotation JSON-LD, or an annotated PDF",
    )
    sub.add_argument("id", metavar="ID")
    sub.add_argument("--format", choices=FORMATS, required=True, help="md, w3c or pdf")
    sub.add_argument("--output", metavar="PATH", required=True, help="the file to write")
    sub = command("import-annotations", "import annotations from a W3C JSON-LD file")
    sub.add_argument("file", metavar="FILE")
    sub = command(
        "download",
        "download a catalogue entry or a URL, verify it and import it "
        "(a saved catalogue's credentials are used)",
    )
    sub.add_argument(
        "what", metavar="ENTRY-OR-URL", help="a URL, or an entry's id or title in a saved catalogue"
    )
    sub.add_argument("--catalog", metavar="NAME", help="look for the entry in this catalogue")
    sub.add_argument("--title", metavar="T", help="the name shown in the queue")
    sub.add_argument("--priority", type=int, default=0, metavar="N", help="higher runs first")
    sub.add_argument(
        "--later", action="store_true", help="only queue it (run with `downloads --resume`)"
    )
    sub.add_argument("--limit-rate", type=float, metavar="KB/S", help="bandwidth limit")
    sub = command(
        "downloads",
        "show the download queue, run it (--resume), or pause, resume, retry, cancel, remove, "
        "reprioritise or move up/down one download",
    )
    sub.add_argument(
        "action",
        nargs="?",
        choices=("pause", "resume", "retry", "cancel", "remove", "priority", "up", "down"),
        help="what to do with the download ID",
    )
    sub.add_argument("id", nargs="?", metavar="ID", help="a download id (or its first characters)")
    sub.add_argument("value", nargs="?", type=int, metavar="N", help="the new priority")
    sub.add_argument("--resume", action="store_true", help="run the queued downloads now")
    sub.add_argument("--limit-rate", type=float, metavar="KB/S", help="bandwidth limit")
    add_catalog_commands(commands)
    add_sync_commands(commands)
    add_holdings_command(commands)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value


_handlers: list[logging.Handler] = []


def _setup_logging(verbose: bool, log_dir: Any) -> None:
    _remove_logging()
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.DEBUG if verbose else logging.WARNING)
    stderr.setFormatter(logging.Formatter("mutolaa: %(message)s"))
    root.addHandler(stderr)
    _handlers.append(stderr)
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_dir / "mutolaa.log", encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    _handlers.append(handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    paths = resolve_paths(args.library)
    try:
        if args.command is None:
            return _open_window(parser, paths)
        _setup_logging(args.verbose, paths.logs)
        return _run_command(args, paths)
    finally:
        _remove_logging()


def _remove_logging() -> None:
    """Take our handlers off the root logger (main() may run again in the same process)."""
    root = logging.getLogger()
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()


def _run_command(args: argparse.Namespace, paths: Paths) -> int:
    cli = Cli(args)
    try:
        with Session.open(paths) as session:
            handler = getattr(cli, f"cmd_{args.command.replace('-', '_')}")
            status: int = handler(session)
            return status
    except UserError as exc:
        cli.done_progress()
        print(f"mutolaa: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except MutolaaError as exc:
        cli.done_progress()
        print(f"mutolaa: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        cli.done_progress()
        print("mutolaa: interrupted; the next run finishes what was started", file=sys.stderr)
        return 130


def _open_window(parser: argparse.ArgumentParser, paths: Paths) -> int:
    """``mutolaa`` with no command opens the desktop window, where there is a display."""
    from app.ui.app import has_display, run_window  # noqa: PLC0415 - Qt only when needed

    if not has_display():
        parser.print_help()
        print(
            "\nmutolaa: no display found, so the window cannot open; use the commands above",
            file=sys.stderr,
        )
        return EXIT_FAILED
    _setup_logging(False, paths.logs)
    return run_window(paths)


if __name__ == "__main__":
    sys.exit(main())
