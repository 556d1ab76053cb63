"""`mutolaa doctor` checks the annotations and their change log, and repairs none of them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from app.core.models import Anchor, AnnotationKind
from app.services.library.doctor import run_doctor
from app.services.library.importer import Importer
from app.services.session import Library
from tests.support.samples import Samples
from tests.support.sessions import PROFILE

ROOT = Path(__file__).resolve().parents[2]
GONE = "f" * 64  # a book that was removed from the library (its notes are kept)


def _doctor(library_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--library", str(library_dir), "doctor", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _annotated(library: Library, samples: Samples) -> str:
    with Importer(library) as importer:
        book = importer.run([samples.txt]).added[0]
    notes = library.annotations
    mark = notes.create(
        book.id, AnnotationKind.HIGHLIGHT, Anchor(page=0), quote="Кутубхона", profile_id=PROFILE
    )
    notes.create(
        book.id,
        AnnotationKind.NOTE,
        Anchor(page=0),
        body="Muhim",
        parent_id=mark.id,
        profile_id=PROFILE,
    )
    notes.create(GONE, AnnotationKind.BOOKMARK, Anchor(page=3), body="Bob 2", profile_id=PROFILE)
    notes.delete(notes.create(GONE, AnnotationKind.BOOKMARK, Anchor(page=4), profile_id=PROFILE).id)
    return book.id


def test_a_sound_store_is_healthy_and_notes_annotations_of_removed_books(
    library: Library, library_dir: Path, samples: Samples
) -> None:
    _annotated(library, samples)
    result = _doctor(library_dir, "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0, report
    assert report["healthy"]
    (note,) = [n for n in report["notes"] if "annotation" in n]
    assert note.startswith("1 annotation(s) of 1 book(s) no longer in the library are kept")
    assert GONE[:10] in note
    text = _doctor(library_dir).stdout
    assert "note: 1 annotation(s) of 1 book(s)" in text
    assert "the library is healthy" in text


def test_damaged_annotations_are_reported_and_left_as_they_are(
    library: Library, library_dir: Path, samples: Samples
) -> None:
    book_id = _annotated(library, samples)
    edited = library.annotations.create(
        book_id, AnnotationKind.NOTE, Anchor(page=1), body="Eski", profile_id=PROFILE
    )
    broken = library.annotations.create(
        book_id, AnnotationKind.HIGHLIGHT, Anchor(page=2), profile_id=PROFILE
    )
    # Faults injected behind the store's back, as another program or a bad disk would.
    with sqlite3.connect(library_dir / "library.sqlite3") as db:
        db.execute("UPDATE annotations SET body = 'Yangi' WHERE id = ?", (edited.id,))
        db.execute("UPDATE annotations SET anchor = 'not json' WHERE id = ?", (broken.id,))
        db.execute(
            "INSERT INTO annotations(id, profile_id, book_id, kind, anchor, parent_id, "
            "created_at, updated_at) VALUES ('orphan', 1, ?, 'note', '{\"page\": 0}', "
            "'nobody', 1, 1)",
            (book_id,),
        )
        db.execute(
            "INSERT INTO change_log(op_id, object_kind, object_id, action, profile_id, at, data) "
            "VALUES ('op-x', 'tag', 't1', 'create', 1, 1, '{}'), "
            "('op-y', 'annotation', 'vanished', 'create', 1, 1, '{}')"
        )
        before = db.execute("SELECT * FROM annotations ORDER BY id").fetchall()

    result = _doctor(library_dir, "--json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    expected = [
        f"annotation {edited.id}: differs from its last change-log entry",
        f"annotation {broken.id}: unreadable",
        "annotation orphan: attached to an annotation that does not exist",
        "annotation orphan: missing from the change log",
        "change log: 1 entry of an unknown kind (tag create)",
        "change log: annotation vanished is logged but not stored",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert len(problems) == len(expected), problems
    human = _doctor(library_dir).stdout
    assert f"problem: annotation {edited.id}: differs" in human
    assert "problems remain (above)" in human

    with sqlite3.connect(library_dir / "library.sqlite3") as db:
        assert db.execute("SELECT * FROM annotations ORDER BY id").fetchall() == before
    assert not run_doctor(library).healthy  # the same checks in process
