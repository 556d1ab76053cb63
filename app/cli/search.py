"""`mutolaa search QUERY`: the full text, titles, authors and notes of every book."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.base import EXIT_OK, Cli, Commands, add_command
from app.services.annotations.note_search import NoteHit
from app.services.library.searching import SearchResults, search
from app.services.session import Session
from sync.terminal import printable


def add_search_command(commands: Commands) -> None:
    """`search QUERY [--book ID] [--lang L] [--format FMT] [--limit N] [--page N]`."""
    sub = add_command(
        commands, "search", "search the full text, titles and authors of every book", cmd_search
    )
    sub.add_argument("query", metavar="QUERY")
    sub.add_argument("--book", metavar="ID", help="only this book")
    sub.add_argument("--lang", choices=("uz", "ru", "en"), help="only pages in this language")
    sub.add_argument("--format", metavar="FMT", help="only books of this format (pdf, epub, …)")
    sub.add_argument("--limit", type=_positive, default=10, metavar="N", help="hits per page")
    sub.add_argument("--page", type=_positive, default=1, metavar="N", help="page of results")


def cmd_search(cli: Cli, session: Session) -> int:
    """`mutolaa search`: the index caught up first, then one page of hits grouped by book."""
    library = session.library
    args = cli.args
    book_id = library.store.resolve(args.book).id if args.book else None
    with library.indexing() as indexer:
        indexer.catch_up(cli.progress())
    cli.done_progress()
    results = search(
        session,
        args.query,
        book=book_id,
        lang=args.lang,
        fmt=args.format,
        limit=args.limit,
        offset=(args.page - 1) * args.limit,
    )
    if cli.json:
        cli.emit(_results_dict(results))
    elif not results.groups and not results.notes:
        cli.say(f"Nothing found for {args.query!r}.")
    else:
        _show_results(cli, results)
    return EXIT_OK


def _show_results(cli: Cli, results: SearchResults) -> None:
    """The hits for people: each book's pages, then its notes; the count and the next page.

    A snippet's line is printed as it is (``styled``), for its highlight colours: its own text,
    the book's words, is made printable piece by piece.
    """
    marks = ("\x1b[1;33m", "\x1b[0m") if cli.out.isatty() else ("[", "]")
    notes: dict[str, list[NoteHit]] = {}
    for note in results.notes:  # listed under their book, after its pages
        notes.setdefault(note.book.id, []).append(note)
    for group in results.groups:
        book = group.book
        extra = "  (title/author match)" if group.title_match else ""
        cli.say(f"{book.short_id}  {book.title}{extra}")
        for match in group.pages:
            snippet = match.snippet.marked(*marks, printable)
            cli.say(f"  p. {match.page + 1}: {snippet}", styled=True)
        for note in notes.pop(book.id, []):
            cli.say(_note_line(note, marks), styled=True)
    for book_notes in notes.values():
        cli.say(f"{book_notes[0].book.short_id}  {book_notes[0].book.title}")
        for note in book_notes:
            cli.say(_note_line(note, marks), styled=True)
    if results.notes:
        cli.say(f"{len(results.notes)} of {results.total_notes} matching note(s) shown.")
    if results.groups:
        cli.say(_hits_line(results, cli.args.page))


def _hits_line(results: SearchResults, page: int) -> str:
    """``Hits 1–10 of about 40 matching page(s). Next: --page 2``."""
    first = results.offset + 1
    last = results.offset + sum(len(g.pages) for g in results.groups)
    about = "" if results.total_exact else "about "
    return f"Hits {first}–{last} of {about}{results.total_pages} matching page(s)." + (
        f" Next: --page {page + 1}" if last < results.total_pages else ""
    )


def _note_line(note: NoteHit, marks: tuple[str, str]) -> str:
    """One note hit: kind, page, colour and the marked snippet, each made printable."""
    color = f" ({printable(note.color)})" if note.color else ""
    snippet = note.snippet.marked(*marks, printable)
    return f"  {printable(note.kind.value)} p. {note.page + 1}{color}: {snippet}"


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


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value
