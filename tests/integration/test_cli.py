"""The `mutolaa` command line as a script and a person use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.support.samples import Samples

ROOT = Path(__file__).resolve().parents[2]


def run(
    library_dir: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--library", str(library_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        check=False,
    )


def test_json_output_stays_clean_even_when_mupdf_complains(
    library_dir: Path, samples: Samples, documents: Path
) -> None:
    noisy = [
        documents / "pdf/pdfjs" / n
        for n in ("Pages-tree-refs.pdf", "poppler-90-0-fuzzed.pdf", "xref_command_missing.pdf")
    ]
    result = run(library_dir, "import", str(samples.epub), *map(str, noisy), "--json")
    data = json.loads(result.stdout)  # MuPDF's own error lines must not be in stdout
    assert next(b["title"] for b in data["added"]) == "Hikoyalar toʻplami"
    failures = {f["path"]: f["error"] for f in data["failures"]}
    assert str(noisy[0]) in failures
    assert result.returncode == 1  # some failed
    assert "MuPDF error" not in result.stdout


def test_commands_round_trip(library_dir: Path, samples: Samples) -> None:
    added = run(library_dir, "import", str(samples.fb2), str(samples.txt))
    assert added.returncode == 0, added.stderr
    assert "2 added" in added.stdout
    listing = json.loads(run(library_dir, "list", "--json").stdout)
    assert {b["format"] for b in listing} == {"fb2", "txt"}
    fb2_id = next(b["id"] for b in listing if b["format"] == "fb2")

    shown = run(library_dir, "show", fb2_id[:6])
    assert "Городской роман" in shown.stdout
    assert "Глава первая" in shown.stdout  # contents

    found = json.loads(run(library_dir, "search", "библиотеки", "--json").stdout)
    assert found["groups"][0]["book"]["id"] == fb2_id
    hit = found["groups"][0]["hits"][0]
    assert hit["page"] >= 1
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower().startswith("библиотек")

    text = run(library_dir, "search", "кутубхона", "--limit", "1")
    assert "[Кутубхона]" in text.stdout or "[кутубхона]" in text.stdout
    only_fb2 = json.loads(
        run(library_dir, "search", "кутубхона", "--book", fb2_id[:8], "--json").stdout
    )
    assert only_fb2["groups"] == []

    removed = run(library_dir, "remove", fb2_id[:10], "--json")
    assert json.loads(removed.stdout)["removed"]["id"] == fb2_id
    assert json.loads(run(library_dir, "list", "--json").stdout)[0]["format"] == "txt"
    assert run(library_dir, "doctor").returncode == 0


def test_bad_ids_and_queries_give_one_line(library_dir: Path, samples: Samples) -> None:
    run(library_dir, "import", str(samples.fb2), str(samples.txt))
    for args, words in [
        (("show", "zzz"), "hexadecimal"),
        (("show", "0123456789abcdef"), "no book has this ID"),
        (("show", ""), "hexadecimal"),
        (("search", "NOT kitob"), "at least one word"),
    ]:
        result = run(library_dir, *args)
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert words in lines[0], result.stderr


def test_ambiguous_prefix(library_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.core.models import Book, BookState  # noqa: PLC0415
    from app.core.paths import resolve_paths  # noqa: PLC0415
    from app.services.session import Library  # noqa: PLC0415

    with Library(resolve_paths(library_dir)) as library:
        for suffix in ("1", "2"):
            book_id = "ab" + suffix * 62
            library.store.add_book(
                Book(
                    book_id,
                    "T" + suffix,
                    (),
                    (),
                    "pdf",
                    1,
                    1,
                    f"ab/{book_id}.pdf",
                    "x.pdf",
                    "",
                    0.0,
                    BookState.READY,
                    False,
                ),
                None,
            )
    assert main(["--library", str(library_dir), "show", "ab"]) == 1
    assert "several books" in capsys.readouterr().err
    assert main(["--library", str(library_dir), "show", "ab1"]) == 0


def test_unlock_reads_the_password_from_stdin(library_dir: Path, samples: Samples) -> None:
    imported = json.loads(run(library_dir, "import", str(samples.encrypted), "--json").stdout)
    book_id = imported["locked"][0]["id"]
    wrong = run(library_dir, "unlock", book_id[:8], stdin="nope\n")
    assert wrong.returncode == 1
    assert "wrong password" in wrong.stderr
    right = run(library_dir, "unlock", book_id[:8], "--json", stdin="SaSLprep\n")
    assert right.returncode == 0, right.stderr
    assert json.loads(right.stdout)["state"] == "ready"
    assert "maxfiy" in run(library_dir, "search", "maxfiysoʻz").stdout.lower()


def test_reindex_rebuilds_from_the_store(library_dir: Path, samples: Samples) -> None:
    run(library_dir, "import", str(samples.epub))
    result = json.loads(run(library_dir, "reindex", "--json").stdout)
    assert result["books"] == 1
    assert result["indexed_pages"] >= 1
    assert json.loads(run(library_dir, "search", "kutubxona", "--json").stdout)["total_pages"] >= 1


def test_doctor_repairs_what_it_can_and_reports_the_rest(
    library_dir: Path, samples: Samples
) -> None:
    run(library_dir, "import", str(samples.epub), str(samples.fb2))
    books = json.loads(run(library_dir, "list", "--json").stdout)
    epub = next(b for b in books if b["format"] == "epub")
    (library_dir / "books" / epub["file_name"]).unlink()
    (library_dir / "books" / "ab").mkdir(exist_ok=True)
    (library_dir / "books" / "ab" / ".incoming-stale").write_bytes(b"partial")
    import os  # noqa: PLC0415

    os.utime(library_dir / "books" / "ab" / ".incoming-stale", (0, 0))
    report = run(library_dir, "doctor", "--json")
    data = json.loads(report.stdout)
    assert report.returncode == 1
    assert any("is missing" in p for p in data["problems"])
    assert any("unfinished copy" in r for r in data["repaired"])
    assert not (library_dir / "books" / "ab" / ".incoming-stale").exists()


def test_help_and_global_options(library_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    for command in ("import", "list", "show", "search", "remove", "reindex", "unlock", "doctor"):
        assert command in result.stdout
    empty = run(library_dir, "list")
    assert "library is empty" in empty.stdout
    assert (library_dir / "library.sqlite3").exists()  # --library decided where it went


def test_mutolaa_home_is_used_when_no_library_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MUTOLAA_HOME", str(tmp_path / "home-library"))
    assert main(["list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert (tmp_path / "home-library" / "library.sqlite3").exists()


def test_doctor_full_finds_a_file_changed_on_disk(library_dir: Path, samples: Samples) -> None:
    run(library_dir, "import", str(samples.fb2))
    book = json.loads(run(library_dir, "list", "--json").stdout)[0]
    stored = library_dir / "books" / book["file_name"]
    data = bytearray(stored.read_bytes())
    data[-2] ^= 0xFF  # same size, different content: only the hash can tell
    stored.write_bytes(bytes(data))
    assert run(library_dir, "doctor").returncode == 0  # the quick check looks at sizes only
    full = run(library_dir, "doctor", "--full", "--json")
    assert full.returncode == 1
    assert any("changed or damaged" in p for p in json.loads(full.stdout)["problems"])


def test_progress_bar_only_on_a_terminal_and_never_with_json(
    library_dir: Path, samples: Samples
) -> None:
    import os  # noqa: PLC0415
    import pty  # noqa: PLC0415

    def import_with_terminal_stderr(*extra: str) -> tuple[str, str]:
        parent, child = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--library", str(library_dir), "import", *extra],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=child,
            text=True,
        )
        os.close(child)
        chunks = []
        while True:
            try:
                data = os.read(parent, 4096)
            except OSError:  # the terminal closed: the process ended
                break
            if not data:
                break
            chunks.append(data)
        out, _ = process.communicate(timeout=300)
        os.close(parent)
        return out, b"".join(chunks).decode("utf-8", "replace")

    _out, err = import_with_terminal_stderr(str(samples.big))
    assert "reading" in err
    assert "\r" in err  # one line redrawn in place
    _out, err = import_with_terminal_stderr(str(samples.fb2), "--json")
    assert "reading" not in err
    assert "importing" not in err
    piped = run(library_dir, "import", str(samples.txt))
    assert "\r" not in piped.stderr


@pytest.mark.parametrize("args", [["list"], ["--help"], ["list", "--json"]])
def test_output_piped_into_a_reader_that_stops_ends_quietly(
    library_dir: Path, args: list[str]
) -> None:
    # `mutolaa list | head -1`: the reader is gone before the output is written
    with subprocess.Popen(
        [sys.executable, "-m", "app", "--library", str(library_dir), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()
        error = process.stderr.read().decode()
        status = process.wait(timeout=120)
    assert error == ""  # no BrokenPipeError traceback, no "Exception ignored"
    assert status in (0, 141)
