"""The kill test: annotations edited by a real process that is SIGKILLed at many points.

A worker process (``tests/support/annotation_worker.py``) runs a seeded random stream of
annotation operations and prints each one before the call (``begin``) and after it returned
(``ack``). The test kills it at many points, keeps a model of every acknowledged change, and
after every kill reopens the library and checks:

- every acknowledged change is there with the acknowledged values, and nothing else is;
- the one operation that was in flight is either wholly there (its row and its change-log
  entry, with the values asked for) or wholly absent, never half;
- the change log holds, per annotation, exactly the changes made, each with the object as it
  stood after that change; its operation ids are unique;
- ``mutolaa doctor --json`` (a real subprocess) reports the library healthy.

The seed is printed; ``MUTOLAA_KILL_SEED=N pytest …`` replays a run.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app.core.paths import resolve_paths
from app.library.annotations import to_record
from app.services.session import Library
from tests.support import docgen
from tests.support.annotation_worker import _anchor
from tests.support.sessions import as_first_person

ROOT = Path(__file__).resolve().parents[2]
KILLS = 24
TIME_BUDGET_S = 60.0
Record = dict[str, Any]
#: The change-log action of each of the worker's operations (delete and restore are their own).
ACTIONS = {
    "highlight": "create",
    "note": "create",
    "bookmark": "create",
    "color": "update",
    "body": "update",
}


def _seed() -> int:
    chosen = os.environ.get("MUTOLAA_KILL_SEED")
    seed = int(chosen) if chosen else random.SystemRandom().randrange(1 << 30)
    print(f"kill test seed: {seed} (replay with MUTOLAA_KILL_SEED={seed})")
    return seed


def _plain(record: Record) -> Record:
    """A record as it reads back from JSON (tuples become lists)."""
    result: Record = json.loads(json.dumps(record, sort_keys=True))
    return result


@dataclass(frozen=True)
class Kill:
    """When to kill the worker.

    ``how``: ``acks`` (after reading ``n`` acknowledged operations), ``begin`` (``delay``
    seconds after the worker announced operation ``n``: usually inside its transaction or its
    commit), ``inside-row`` / ``inside-log`` (the worker stops inside the transaction of
    operation ``n`` after writing the row / the row and its log entry: a fault injected),
    ``time`` (``delay`` seconds after the library was opened), ``startup`` (``delay``
    seconds after the process started: while Python starts or the library opens).
    """

    how: str
    n: int = 0
    delay: float = 0.0

    def describe(self) -> str:
        """One line for the report."""
        if self.how in {"acks", "inside-row", "inside-log"}:
            return f"{self.how} {self.n}"
        if self.how == "begin":
            return f"begin {self.n} +{self.delay * 1000:.1f} ms"
        return f"{self.how} {self.delay * 1000:.0f} ms"


def _plan(rng: random.Random, count: int) -> list[Kill]:
    kinds = ["acks", "begin", "begin", "inside-row", "inside-log", "time", "startup"]
    plan = []
    for number in range(count):
        how = kinds[number % len(kinds)]
        if how == "acks":
            plan.append(Kill(how, n=rng.randrange(0, 40)))
        elif how == "begin":
            plan.append(Kill(how, n=rng.randrange(0, 40), delay=rng.uniform(0, 0.004)))
        elif how.startswith("inside"):
            plan.append(Kill(how, n=rng.randrange(0, 25)))
        elif how == "time":
            plan.append(Kill(how, delay=rng.uniform(0.0, 0.25)))
        else:
            plan.append(Kill(how, delay=rng.uniform(0.05, 0.4)))
    rng.shuffle(plan)
    return plan


@dataclass
class Model:
    """Every annotation as the acknowledged changes left it, and its change history."""

    rows: dict[str, Record] = field(default_factory=dict)
    history: dict[str, list[tuple[str, Record]]] = field(default_factory=dict)
    acks: int = 0

    def apply(self, op: str, target: str, state: Record) -> None:
        """Record an operation whose result is ``state`` (and what it does to notes)."""
        state = _plain(state)
        action = ACTIONS.get(op, op)
        before = self.rows.get(target)
        self._set(target, action, state)
        if action == "delete":
            for child_id, child in list(self.rows.items()):
                if child["parent_id"] == target and child["deleted_at"] is None:
                    moved = child | {
                        "deleted_at": state["deleted_at"],
                        "updated_at": state["updated_at"],
                    }
                    self._set(child_id, "delete", moved)
        elif action == "restore" and before is not None:
            for child_id, child in list(self.rows.items()):
                if child["parent_id"] == target and child["deleted_at"] == before["deleted_at"]:
                    moved = child | {"deleted_at": None, "updated_at": state["updated_at"]}
                    self._set(child_id, "restore", moved)

    def _set(self, target: str, action: str, state: Record) -> None:
        self.rows[target] = state
        self.history.setdefault(target, []).append((action, state))


def _expected_fields(model: Model, begin: dict[str, Any]) -> Record:
    """What an operation asked for (the fields its result must hold)."""
    op, target, args = begin["op"], begin["id"], begin["args"]
    if op in {"highlight", "note", "bookmark"}:
        parent = args.get("parent_id")
        if parent:
            base = model.rows[parent]
            where = {
                "anchor": base["anchor"],
                "book_id": base["book_id"],
                "profile_id": base["profile_id"],
            }
        else:
            where = {
                "anchor": _plain(asdict(_anchor(random.Random(args["anchor_seed"])))),
                "book_id": args["book_id"],
                "profile_id": args["profile_id"],
            }
        return where | {
            "id": target,
            "kind": op,
            "quote": args.get("quote", ""),
            "color": args.get("color", ""),
            "body": args.get("body", ""),
            "parent_id": parent,
            "deleted_at": None,
        }
    before = {k: v for k, v in model.rows[target].items() if k != "updated_at"}
    if op in {"color", "body"}:
        return before | {op: args[op]}
    if op == "restore":
        return before | {"deleted_at": None}
    return {k: v for k, v in before.items() if k != "deleted_at"}  # delete: a time is set


def _stored(library: Library) -> tuple[dict[str, Record], dict[str, list[tuple[str, Record]]]]:
    rows: dict[str, Record] = {}
    for (annotation_id,) in library.store.query("SELECT id FROM annotations"):
        annotation = library.annotations.get(annotation_id)
        assert annotation is not None
        rows[annotation_id] = _plain(to_record(annotation))
    log: dict[str, list[tuple[str, Record]]] = {}
    entries = library.annotations.changes(limit=10**9)
    op_ids = Counter(c.op_id for c in entries)
    assert not [op for op, n in op_ids.items() if n > 1], "an operation id is logged twice"
    for change in entries:
        assert change.object_kind == "annotation", change
        log.setdefault(change.object_id, []).append((change.action, json.loads(change.data)))
    return rows, log


def _settle(model: Model, begin: dict[str, Any] | None, inside: bool, library: Library) -> str:
    """Decide whether the operation in flight at the kill was saved; add it when it was.

    Returns ``"saved"``, ``"not saved"`` or ``"none in flight"``.
    """
    if begin is None:
        return "none in flight"
    rows, log = _stored(library)
    target = begin["id"]
    logged = len(log.get(target, []))
    known = len(model.history.get(target, []))
    assert logged in {known, known + 1}, f"{target}: {logged} log entries, {known} expected"
    if logged == known:
        if begin["op"] in {"highlight", "note", "bookmark"}:
            assert target not in rows, f"{target}: a row without its change-log entry"
        return "not saved"
    assert not inside, f"{target}: a transaction stopped before its commit was saved"
    assert target in rows, f"{target}: a change-log entry without its row"
    row = rows[target]
    expected = _expected_fields(model, begin)
    assert {k: row[k] for k in expected} == expected, f"{target}: saved with other values"
    if begin["op"] == "delete":
        assert row["deleted_at"] is not None
    model.apply(begin["op"], target, row)
    return "saved"


def _check(library_dir: Path, model: Model) -> None:
    with Library(resolve_paths(library_dir)) as library:
        rows, log = _stored(library)
    missing = set(model.rows) - set(rows)
    extra = set(rows) - set(model.rows)
    assert not missing, f"acknowledged annotations lost: {sorted(missing)}"
    assert not extra, f"annotations nobody acknowledged: {sorted(extra)}"
    for annotation_id, expected in model.rows.items():
        assert rows[annotation_id] == expected, f"{annotation_id}: not as acknowledged"
        assert log.get(annotation_id) == model.history[annotation_id], (
            f"{annotation_id}: its change log is not the changes made"
        )
    assert set(log) == set(model.rows)
    doctor = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "--library",
            str(library_dir),
            *as_first_person(library_dir),
            "doctor",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(doctor.stdout)
    assert report["healthy"], report["problems"]
    assert doctor.returncode == 0, doctor.stderr


class Worker:
    """One run of the worker process, its output read by a thread."""

    def __init__(self, library_dir: Path, seed: int, run: int, *extra: str) -> None:
        self.started = time.monotonic()
        self.stderr_path = library_dir.parent / f"worker-{run}.err"
        with self.stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.support.annotation_worker",
                    str(library_dir),
                    "--seed",
                    str(seed),
                    "--run",
                    str(run),
                    *extra,
                ],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        self.lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.events: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for line in self.process.stdout:
                self.lines.put(json.loads(line))
        self.lines.put(None)

    def next_event(self, timeout: float) -> dict[str, Any] | None:
        """The next line (None at the end of the output); fails after ``timeout``."""
        try:
            event = self.lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"the worker said nothing for {timeout} s ({self.stderr()})")
        if event is not None:
            self.events.append(event)
        return event

    def kill(self) -> None:
        """SIGKILL, then read what it printed before it died."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        while self.next_event(10) is not None:
            pass

    def stderr(self) -> str:
        """What the worker wrote to stderr."""
        return self.stderr_path.read_text(errors="replace")[-2000:]


def _run_until_killed(worker: Worker, kill: Kill) -> None:
    """Read the worker's lines and kill it as ``kill`` says."""
    acks = 0
    deadline: float | None = None
    if kill.how == "startup":
        deadline = worker.started + kill.delay
    while True:
        timeout = 30.0 if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            event = worker.lines.get(timeout=timeout)
        except queue.Empty:
            break  # the deadline came
        if event is None:
            pytest.fail(f"the worker ended before it was killed: {worker.stderr()}")
        worker.events.append(event)
        kind = event["event"]
        if kind == "ready" and kill.how == "time":
            deadline = time.monotonic() + kill.delay
        elif kind == "ack":
            acks += 1
            if kill.how == "acks" and acks >= kill.n:
                break
        elif kind == "begin" and kill.how == "begin" and event["step"] == kill.n:
            end = time.monotonic() + kill.delay
            while time.monotonic() < end:  # a busy wait: sleep() is too coarse here
                pass
            break
        elif kind == "inside":
            break
        if kill.how == "acks" and kill.n == 0 and kind == "ready":
            break
    worker.kill()


def _account(model: Model, worker: Worker, library_dir: Path) -> str:
    """Add the worker's acknowledged operations to the model, settle the one in flight."""
    begin: dict[str, Any] | None = None
    inside = False
    for event in worker.events:
        if event["event"] == "begin":
            begin = event
            inside = False
        elif event["event"] == "inside":
            inside = True
        elif event["event"] == "ack":
            assert begin is not None
            assert begin["step"] == event["step"]
            model.apply(event["op"], event["id"], event["state"])
            model.acks += 1
            begin = None
    with Library(resolve_paths(library_dir)) as library:
        return _settle(model, begin, inside, library)


def test_sigkill_at_many_points_loses_no_acknowledged_annotation_change(
    library_dir: Path,
) -> None:
    seed = _seed()
    rng = random.Random(seed)
    plan = _plan(rng, KILLS)
    model = Model()
    started = time.monotonic()
    outcomes = Counter[str]()
    for run, kill in enumerate(plan):
        extra = ["--pause-at", f"{kill.n}:{kill.how[7:]}"] if kill.how.startswith("inside") else []
        worker = Worker(library_dir, seed, run, *extra)
        _run_until_killed(worker, kill)
        in_flight = _account(model, worker, library_dir)
        outcomes[in_flight] += 1
        print(f"kill {run + 1}: {kill.describe()}: {model.acks} acknowledged, {in_flight}")
        _check(library_dir, model)
    # a last run that ends by itself: the store opens and goes on after every kill
    last = Worker(library_dir, seed, len(plan), "--ops", "20")
    while last.next_event(30) is not None:
        pass
    assert last.process.wait(timeout=30) == 0, last.stderr()
    assert _account(model, last, library_dir) == "none in flight"
    _check(library_dir, model)
    elapsed = time.monotonic() - started
    print(f"{len(plan)} kills, {model.acks} operations acknowledged, {elapsed:.1f} s; {outcomes}")
    assert model.acks >= 100, "too few operations ran to test anything"
    assert outcomes["saved"] + outcomes["not saved"] >= KILLS // 2
    assert elapsed < TIME_BUDGET_S


def test_sigkill_while_books_are_imported_loses_no_annotation_change(
    library_dir: Path, tmp_path: Path
) -> None:
    seed = _seed()
    rng = random.Random(seed)
    books = [docgen.make_mixed_book_pdf(tmp_path / f"book-{n}.pdf", 240, seed=n) for n in range(4)]
    model = Model()
    during_import = 0
    for run, book in enumerate(books):
        other: subprocess.Popen[str] | None = None
        if run == len(books) - 1:  # another process imports; the worker does not
            other = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "app",
                    "--library",
                    str(library_dir),
                    *as_first_person(library_dir),
                    "import",
                    str(book),
                ],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            worker = Worker(library_dir, seed, run)
        else:
            worker = Worker(library_dir, seed, run, "--import", str(book))
        _run_until_killed(worker, Kill("time", delay=rng.uniform(0.3, 0.7)))
        if other is not None:
            importing = other.poll() is None
            _out, err = other.communicate(timeout=120)
            assert other.returncode == 0, err
        else:
            importing = not any(e["event"] == "import-done" for e in worker.events)
        during_import += importing
        in_flight = _account(model, worker, library_dir)
        print(
            f"import kill {run + 1}: {model.acks} acknowledged, {in_flight}, "
            + ("while importing" if importing else "after the import")
        )
        _check(library_dir, model)
    # a book killed before its row was saved is not in the library; importing again adds it
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--library",
            str(library_dir),
            *as_first_person(library_dir),
            "import",
            *map(str, books),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    with Library(resolve_paths(library_dir)) as library:
        assert [b.state.value for b in library.store.books()] == ["ready"] * len(books)
    _check(library_dir, model)
    assert during_import >= 3, "the kills came after the imports had finished"
    assert model.acks >= 20
