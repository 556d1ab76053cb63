"""A process that edits annotations until it is killed: the subject of the kill test.

``python -m tests.support.annotation_worker LIBRARY --seed S --run R`` opens the library,
then runs a random (seeded by ``S`` and ``R``) stream of operations through
``Library.annotations``: create highlights, notes and bookmarks, change colours and texts,
delete and restore. Targets are chosen from what the store holds, so a restarted worker goes
on from the stored state. Every operation prints two JSON lines on stdout, flushed:

- ``{"event": "begin", "step": N, "op": ..., "id": ..., "args": {...}}`` before the call;
- ``{"event": "ack", "step": N, "op": ..., "id": ..., "state": {...}}`` after it returned,
  with the annotation as the call returned it (``to_record``).

Faults to inject (``--pause-at N:row`` / ``N:log``): at step N the worker stops inside the
write transaction (after the annotation's row was written but before its change-log entry,
or after both but before the commit), prints ``{"event": "inside", ...}`` and waits to be
killed. ``--import PATH`` imports a book in a thread of the same process meanwhile (the
store's single writer serves both).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from app.core.models import Anchor, AnnotationKind
from app.core.paths import resolve_paths
from app.library import changes
from app.library.annotations import to_record
from app.services.library.importer import Importer
from app.services.session import Library

#: Books annotated by the worker (not in the library: their notes are kept all the same).
BOOKS = ("a" * 64, "b" * 64, "c" * 64)
PROFILES = (1, 1, 1, 2)
QUOTES = (
    "Kutubxona — bilim manbai",
    "oʻquv zalida kitoblarni oʻqiydilar",
    "Кутубхона ва ўқув маркази",
    "Библиотека университета",
    "ta'lim va g‘alaba haqida",
)
BODIES = ("Muhim!", "Imtihonga", "Takrorlash kerak", "Важно", "see chapter 2", "")
COLORS = ("yellow", "green", "blue", "pink", "orange")
WEIGHTS = {
    "highlight": 3.0,
    "note": 2.0,
    "bookmark": 1.0,
    "color": 2.0,
    "body": 2.0,
    "delete": 1.5,
    "restore": 1.0,
}


def _say(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
    sys.stdout.flush()


def _pause_inside(step_of: list[int], pause_step: int, where: str) -> None:
    """Wrap the change log's ``record`` so that step ``pause_step`` stops inside its
    transaction (a fault injected to kill the process at exactly that point)."""
    real = changes.record

    def record(*args: Any, **kwargs: Any) -> str:
        if step_of[0] == pause_step and where == "row":
            _say({"event": "inside", "step": pause_step, "where": where})
            time.sleep(600)
        op_id = real(*args, **kwargs)
        if step_of[0] == pause_step and where == "log":
            _say({"event": "inside", "step": pause_step, "where": where})
            time.sleep(600)
        return op_id

    changes.record = record


def _anchor(rng: random.Random) -> Anchor:
    page = rng.randrange(0, 40)
    if rng.random() < 0.5:
        x, y = rng.uniform(50, 300), rng.uniform(50, 700)
        return Anchor(page=page, quads=((x, y, x + rng.uniform(20, 200), y + 12.0),))
    start = rng.randrange(0, 5000)
    return Anchor(page=page, chapter=rng.randrange(0, 5), start=start, end=start + 20)


def _choose(
    rng: random.Random, rows: list[tuple[str, str, bool, str | None]]
) -> tuple[str, str, dict[str, Any]]:
    """The next operation: (op, target id, arguments)."""
    live = [r for r in rows if not r[2]]
    dead = [r for r in rows if r[2]]
    highlights = [r for r in live if r[1] == "highlight"]
    texts = [r for r in live if r[1] in {"note", "bookmark"}]
    possible = dict(WEIGHTS)
    for op, targets in (
        ("color", highlights),
        ("body", texts),
        ("delete", live),
        ("restore", dead),
    ):
        if not targets:
            del possible[op]
    op = rng.choices(list(possible), weights=list(possible.values()))[0]
    if op in {"highlight", "note", "bookmark"}:
        args: dict[str, Any] = {
            "book_id": rng.choice(BOOKS),
            "profile_id": rng.choice(PROFILES),
            "anchor_seed": rng.randrange(1 << 30),
        }
        if op == "highlight":
            args |= {"quote": rng.choice(QUOTES), "color": rng.choice(COLORS)}
        elif op == "note":
            args["body"] = rng.choice(BODIES) or "Izoh"
            if highlights and rng.random() < 0.6:
                parent = rng.choice(highlights)
                args["parent_id"] = parent[0]
        else:
            args["body"] = f"Bob {rng.randrange(1, 30)}"
        return op, uuid.UUID(int=rng.getrandbits(128)).hex, args
    if op == "color":
        return op, rng.choice(highlights)[0], {"color": rng.choice(COLORS)}
    if op == "body":
        return op, rng.choice(texts)[0], {"body": f"{rng.choice(BODIES)} {rng.randrange(100)}"}
    if op == "delete":
        return op, rng.choice(live)[0], {}
    return op, rng.choice(dead)[0], {}


def _apply(library: Library, op: str, target: str, args: dict[str, Any]) -> dict[str, Any]:
    notes = library.annotations
    if op in {"highlight", "note", "bookmark"}:
        parent = args.get("parent_id")
        if parent:  # a note on a highlight stands where the highlight stands
            parent_row = notes.get(parent)
            assert parent_row is not None
            anchor = parent_row.anchor
            book_id, profile_id = parent_row.book_id, parent_row.profile_id
        else:
            anchor = _anchor(random.Random(args["anchor_seed"]))
            book_id, profile_id = args["book_id"], args["profile_id"]
        made = notes.create(
            book_id,
            AnnotationKind(op),
            anchor,
            quote=args.get("quote", ""),
            color=args.get("color", ""),
            body=args.get("body", ""),
            parent_id=parent,
            profile_id=profile_id,
            annotation_id=target,
        )
        return to_record(made)
    if op == "color":
        return to_record(notes.update(target, color=args["color"]))
    if op == "body":
        return to_record(notes.update(target, body=args["body"]))
    if op == "delete":
        return to_record(notes.delete(target))
    return to_record(notes.restore(target))


def _import_in_thread(library: Library, path: Path) -> threading.Thread:
    def work() -> None:
        with Importer(library) as importer:
            report = importer.run([path])
        _say({"event": "import-done", "ok": report.ok})

    thread = threading.Thread(target=work, name="import", daemon=True)
    thread.start()
    return thread


def main(argv: list[str] | None = None) -> int:
    """Run the worker (see the module's docstring)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("library")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--run", type=int, required=True)
    parser.add_argument("--ops", type=int, default=1000, help="stop after this many")
    parser.add_argument("--pause-at", default="", metavar="N:row|log")
    parser.add_argument("--import", dest="import_path", default="")
    args = parser.parse_args(argv)
    rng = random.Random(f"{args.seed}:{args.run}")
    step = [0]
    if args.pause_at:
        at, where = args.pause_at.split(":")
        _pause_inside(step, int(at), where)
    library = Library(resolve_paths(args.library))
    with library.store.transaction() as db:  # a second person, whose notes are theirs
        db.execute("INSERT OR IGNORE INTO profiles(id, name, created_at) VALUES (2, 'ikkinchi', 0)")
    importing = _import_in_thread(library, Path(args.import_path)) if args.import_path else None
    _say({"event": "ready"})
    for number in range(args.ops):
        step[0] = number
        rows = [
            (str(r[0]), str(r[1]), bool(r[2]), r[3])
            for r in library.store.query(
                "SELECT id, kind, deleted_at IS NOT NULL, parent_id FROM annotations ORDER BY id"
            )
        ]
        op, target, op_args = _choose(rng, rows)
        _say({"event": "begin", "step": number, "op": op, "id": target, "args": op_args})
        state = _apply(library, op, target, op_args)
        _say({"event": "ack", "step": number, "op": op, "id": target, "state": state})
    if importing is not None:
        importing.join()
    library.close()
    _say({"event": "done"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
