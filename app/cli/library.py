"""`mutolaa import|list|show|remove|reindex|unlock|doctor`: the books in the library."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from app.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    Cli,
    Commands,
    add_command,
    counted,
    moment,
    read_password,
)
from app.core.models import Book
from app.library.shelves import ShelfStore
from app.services.library.doctor import run_doctor
from app.services.library.importer import Importer, iter_failures
from app.services.library.removing import remove_book_for
from app.services.session import Session


def add_book_commands(commands: Commands) -> None:
    """`import`, `list` and `show`: the books in the library."""
    sub = add_command(
        commands, "import", "import books from files and folders (recursively)", cmd_import
    )
    sub.add_argument("paths", nargs="+", metavar="PATH")
    sub = add_command(commands, "list", "list the books in the library", cmd_list)
    sub.add_argument("--sort", choices=("added", "title"), default="added")
    sub = add_command(commands, "show", "show one book's details", cmd_show)
    sub.add_argument("id", metavar="ID")


def add_upkeep_commands(commands: Commands) -> None:
    """`remove`, `reindex`, `unlock` and `doctor`: the library's upkeep."""
    sub = add_command(commands, "remove", "remove a book from the library", cmd_remove)
    sub.add_argument("id", metavar="ID")
    add_command(commands, "reindex", "rebuild the full-text index from the library", cmd_reindex)
    sub = add_command(
        commands,
        "unlock",
        "give the password of an encrypted book (prompt or stdin)",
        cmd_unlock,
    )
    sub.add_argument("id", metavar="ID")
    sub = add_command(
        commands,
        "doctor",
        "check the library, its files and its index; repair what can be",
        cmd_doctor,
    )
    sub.add_argument("--full", action="store_true", help="also verify every file's SHA-256")


def book_dict(book: Book) -> dict[str, Any]:
    """A book as JSON-ready data."""
    data = asdict(book)
    data["state"] = book.state.value
    data["toc"] = [[e.level, e.title, e.page] for e in book.toc]
    return data


def cmd_import(cli: Cli, session: Session) -> int:
    """`mutolaa import PATH…`: import files and folders, and finish an interrupted import."""
    progress = cli.progress()
    # the PDFs' own annotations become the importing person's at once (the window adopts
    # them for everyone else when they open the book)
    with Importer(session.library, profile_id=session.profile_id) as importer:
        resumed = importer.resume(progress)
        report = importer.run(cli.args.paths, progress=progress)
    cli.done_progress()
    for book in report.added:
        cli.say(f"added      {book.short_id}  {book.title} ({counted(book.page_count, 'page')})")
    for book in report.duplicates:
        cli.say(f"already in {book.short_id}  {book.title}")
    for book in report.locked:
        cli.say(
            f"locked     {book.short_id}  {book.title} — encrypted; run "
            f"`mutolaa unlock {book.short_id}`"
        )
    for line in iter_failures(report):
        print(line, file=cli.err)
    for title, problem in resumed:
        print(f"{title}: {problem}", file=cli.err)
    for title, why in importer.removed:
        cli.say(f"removed    {title} — left by an earlier import, it cannot be read ({why})")
    if report.skipped:
        cli.warn(f"{len(report.skipped)} skipped (not books): " + ", ".join(report.skipped[:5]))
    if cli.json:
        cli.emit(
            {
                "added": [book_dict(b) for b in report.added],
                "duplicates": [book_dict(b) for b in report.duplicates],
                "locked": [book_dict(b) for b in report.locked],
                "failures": [{"path": p, "error": e} for p, e in report.failures],
                "skipped": report.skipped,
                "removed": [{"title": t, "error": e} for t, e in importer.removed],
            }
        )
    else:
        cli.say(
            f"{len(report.added)} added, {len(report.duplicates)} already there, "
            f"{len(report.locked)} locked, {len(report.failures)} failed"
            + (f", {len(report.skipped)} skipped (not books)" if report.skipped else "")
        )
    return EXIT_OK if report.ok and not resumed else EXIT_FAILED


def cmd_list(cli: Cli, session: Session) -> int:
    """`mutolaa list`: the books, one a line (not those the person hid)."""
    hidden = set(ShelfStore(session.library.store, session.profile_id).hidden())
    books = [b for b in session.library.store.books(order=cli.args.sort) if b.id not in hidden]
    if cli.json:
        cli.emit([book_dict(b) for b in books])
    elif not books:
        cli.say("The library is empty. Add books with `mutolaa import PATH`.")
    for book in books:
        cli.say(_book_line(book))
    if hidden:
        cli.say(f"({counted(len(hidden), 'book')} you hid: `mutolaa library hidden`)")
    return EXIT_OK


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


def cmd_show(cli: Cli, session: Session) -> int:
    """`mutolaa show ID`: one book's details and contents."""
    library = session.library
    book = library.store.resolve(cli.args.id)
    if cli.json:
        cli.emit(book_dict(book))
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
        cli.say(f"{name + ':':<11}{value}")
    if book.toc:
        cli.say("Contents:")
        for entry in book.toc[:200]:
            page = f"p. {entry.page}" if entry.page > 0 else ""
            cli.say(f"  {'  ' * (entry.level - 1)}{entry.title}  {page}")
    return EXIT_OK


def cmd_remove(cli: Cli, session: Session) -> int:
    """`mutolaa remove ID`: the book, its file and its index entries."""
    book = session.library.store.resolve(cli.args.id)
    remove_book_for(session, book.id)
    if cli.json:
        cli.emit({"removed": book_dict(book)})
    cli.say(f"removed {book.short_id}  {book.title}")
    return EXIT_OK


def cmd_reindex(cli: Cli, session: Session) -> int:
    """`mutolaa reindex`: the full-text index rebuilt from the library."""
    library = session.library
    library.rebuild_index()
    with library.indexing() as indexer:
        pages = indexer.catch_up(cli.progress())
    cli.done_progress()
    if cli.json:
        cli.emit({"indexed_pages": pages, "books": library.store.count()})
    cli.say(f"indexed {counted(pages, 'page')} of {counted(library.store.count(), 'book')}")
    return EXIT_OK


def cmd_unlock(cli: Cli, session: Session) -> int:
    """`mutolaa unlock ID`: an encrypted book's password, from a prompt or standard input."""
    library = session.library
    book = library.store.resolve(cli.args.id)
    password = read_password(f"Password for {book.title}: ")
    with Importer(library, profile_id=session.profile_id) as importer:
        unlocked = importer.unlock(book, password, cli.progress())
    cli.done_progress()
    if cli.json:
        cli.emit(book_dict(unlocked))
    pages = counted(unlocked.page_count, "page")
    cli.say(f"unlocked   {unlocked.short_id}  {unlocked.title} ({pages})")
    return EXIT_OK


def cmd_doctor(cli: Cli, session: Session) -> int:
    """`mutolaa doctor [--full]`: check the library and repair what can be."""
    report = run_doctor(session.library, cli.progress(), verify_files=cli.args.full)
    cli.done_progress()
    if cli.json:
        cli.emit(asdict(report) | {"healthy": report.healthy})
    else:
        cli.say(f"checked {report.checked_books} books")
        for line in report.repaired:
            cli.say(f"repaired: {line}")
        for line in report.notes:
            cli.say(f"note: {line}")
        for line in report.problems:
            cli.say(f"problem: {line}")
        cli.say("the library is healthy" if report.healthy else "problems remain (above)")
    return EXIT_OK if report.healthy else EXIT_FAILED
