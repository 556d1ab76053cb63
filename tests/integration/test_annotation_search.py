"""Notes and highlighted text in the library search: folded like search, per profile, live."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.models import Anchor, Annotation, AnnotationKind, Book
from app.core.paths import resolve_paths
from app.services.library.importer import Importer
from app.services.library.searching import search
from app.services.session import Library, Session
from tests.support.samples import Samples
from tests.support.sessions import PROFILE, as_first_person, session_of

ROOT = Path(__file__).resolve().parents[2]
OTHER_PROFILE = 2


@dataclass
class Annotated:
    """A library with two books, a highlight in Cyrillic and a note in Latin."""

    library: Library
    folder: Path
    txt: Book
    fb2: Book
    highlight: Annotation
    note: Annotation


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory, samples: Samples) -> Iterator[Annotated]:
    folder = tmp_path_factory.mktemp("annotated")
    library = Library(resolve_paths(folder))
    with Importer(library) as importer:
        report = importer.run([samples.txt, samples.fb2])
    txt = next(b for b in report.added if b.format == "txt")
    fb2 = next(b for b in report.added if b.format == "fb2")
    with library.store.transaction() as db:
        db.execute("INSERT INTO profiles(id, name, created_at) VALUES (2, 'ikkinchi', 0)")
    notes = library.annotations
    highlight = notes.create(
        txt.id,
        AnnotationKind.HIGHLIGHT,
        Anchor(page=0, quads=((72.0, 80.0, 300.0, 92.0),)),
        quote="Кутубхона ва ўқув маркази",
        color="green",
        profile_id=PROFILE,
    )
    note = notes.create(
        fb2.id,
        AnnotationKind.NOTE,
        Anchor(page=1),
        body="Talabalar oʻquv zalida: imtihonga!",
        profile_id=PROFILE,
    )
    notes.create(fb2.id, AnnotationKind.BOOKMARK, Anchor(page=2), body="Bob 2", profile_id=PROFILE)
    yield Annotated(library, folder, txt, fb2, highlight, note)
    library.close()


def _found(library: Library, query: str, profile_id: int = PROFILE, **kw: object) -> dict[str, str]:
    """Annotation id → snippet with the matched words in brackets, for ``profile_id``."""
    results = search(Session(library, profile_id), query, **kw)  # type: ignore[arg-type]
    return {n.annotation_id: n.snippet.marked() for n in results.notes}


def test_a_word_in_the_other_script_or_with_another_apostrophe_finds_both(
    annotated: Annotated,
) -> None:
    library, highlight, note = annotated.library, annotated.highlight, annotated.note
    latin = _found(library, "o'quv")  # ASCII apostrophe, Latin script
    assert latin == {
        highlight.id: "“Кутубхона ва [ўқув] маркази”",
        note.id: "Talabalar [oʻquv] zalida: imtihonga!",
    }
    assert set(_found(library, "ЎҚУВ")) == {highlight.id, note.id}  # Cyrillic, capitals
    assert set(_found(library, "kutubxona")) == {highlight.id}
    assert set(_found(library, '"oʻquv zalida"')) == {note.id}
    assert set(_found(library, "imtihon*")) == {note.id}
    assert set(_found(library, "o‘quv NOT zal")) == {highlight.id}


def test_note_hits_say_where_they_are_and_what_they_are(annotated: Annotated) -> None:
    results = search(session_of(annotated.library), "marka*")
    (hit,) = results.notes
    assert hit.book.id == annotated.txt.id
    assert (hit.page, hit.kind, hit.color) == (0, AnnotationKind.HIGHLIGHT, "green")
    assert hit.annotation_id == annotated.highlight.id
    assert hit.page_word == "маркази"  # the quote's word, to mark on the page
    assert results.total_notes == 1
    words = {n.kind: n.page_word for n in search(session_of(annotated.library), "o'quv").notes}
    assert words == {AnnotationKind.HIGHLIGHT: "ўқув", AnnotationKind.NOTE: ""}
    by_book = search(session_of(annotated.library), "o'quv", book=annotated.fb2.id)
    assert [n.annotation_id for n in by_book.notes] == [annotated.note.id]
    assert [
        n.book.format for n in search(session_of(annotated.library), "o'quv", fmt="txt").notes
    ] == ["txt"]
    assert search(session_of(annotated.library), "o'quv", offset=10).notes == []  # first page only


def test_another_profile_does_not_find_them_and_finds_its_own(annotated: Annotated) -> None:
    library = annotated.library
    assert _found(library, "o'quv", profile_id=OTHER_PROFILE) == {}
    theirs = library.annotations.create(
        annotated.txt.id,
        AnnotationKind.NOTE,
        Anchor(page=3),
        body="Oʻquv rejasi",
        profile_id=OTHER_PROFILE,
    )
    try:
        assert set(_found(library, "o'quv", profile_id=OTHER_PROFILE)) == {theirs.id}
        assert theirs.id not in _found(library, "o'quv")
    finally:
        library.annotations.delete(theirs.id)


def test_deleted_annotations_are_not_found_until_restored(annotated: Annotated) -> None:
    library, highlight = annotated.library, annotated.highlight
    library.annotations.delete(highlight.id)
    try:
        assert highlight.id not in _found(library, "kutubxona")
    finally:
        library.annotations.restore(highlight.id)
    assert highlight.id in _found(library, "kutubxona")


def _cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--library",
            str(folder),
            *as_first_person(folder),
            "search",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_line_lists_note_hits_under_their_book(annotated: Annotated) -> None:
    found = json.loads(_cli(annotated.folder, "o'quv", "--json").stdout)
    assert found["total_notes"] == 2
    note = next(n for n in found["notes"] if n["kind"] == "note")
    assert note["book"]["id"] == annotated.fb2.id
    assert note["page"] == 2  # 1-based like page hits
    start, end = note["highlights"][0]
    assert note["snippet"][start:end] == "oʻquv"
    text = _cli(annotated.folder, "imtihon*").stdout  # in no page: only the note
    assert "Nothing found" not in text
    assert f"{annotated.fb2.short_id}  {annotated.fb2.title}" in text
    assert "  note p. 2: Talabalar oʻquv zalida: [imtihonga]!" in text
    assert "1 of 1 matching note(s) shown." in text
    text = _cli(annotated.folder, "kutubxona").stdout
    assert "  highlight p. 1 (green): “[Кутубхона] ва ўқув маркази”" in text
