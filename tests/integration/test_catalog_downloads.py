"""`mutolaa download ENTRY` from a saved catalogue, and `mutolaa downloads ACTION ID`, as real
subprocesses against a catalogue served on 127.0.0.1 behind HTTP Digest or Basic.

The catalogue is written here: an acquisition feed whose entries are an EPUB with its sha256, a
zipped FB2 served as ``application/fb2+zip`` (as many Russian-language servers do), a book
offered only through a DRM licence, and one offered only for borrowing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.catalog_server import CatalogServer
from tests.support.docgen import make_epub, make_fb2

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "kutub-ʻxona:7"


def run(library_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--library", str(library_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        check=False,
    )


def ok(library_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = run(library_dir, *args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    return result


def _feed(epub_sha: str, epub_size: int) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opds="http://opds-spec.org/2010/catalog">
  <id>urn:mutolaa:test:books</id>
  <title>Yangi kitoblar</title>
  <updated>2026-11-01T00:00:00Z</updated>
  <link rel="self" href="/books.xml"
        type="application/atom+xml;profile=opds-catalog;kind=acquisition"/>
  <entry>
    <id>urn:uuid:oq-kema</id>
    <title>Oq kema</title>
    <author><name>Chingiz Aytmatov</name></author>
    <updated>2026-11-01T00:00:00Z</updated>
    <link rel="http://opds-spec.org/acquisition/sample" type="application/epub+zip"
          href="files/oq-kema-sample.epub"/>
    <link rel="http://opds-spec.org/acquisition/open-access" type="application/epub+zip"
          href="files/oq-kema.epub" length="{epub_size + 999}"
          sha256="{epub_sha}"/>
  </entry>
  <entry>
    <id>urn:uuid:ertaklar-fb2</id>
    <title>Ўзбек халқ эртаклари</title>
    <author><name>Xalq ijodi</name></author>
    <updated>2026-11-01T00:00:00Z</updated>
    <link rel="http://opds-spec.org/acquisition" type="application/fb2+zip"
          href="/catalog-files/ertaklar.fb2.zip"/>
  </entry>
  <entry>
    <id>urn:uuid:drm-only</id>
    <title>Qulflangan kitob</title>
    <updated>2026-11-01T00:00:00Z</updated>
    <link rel="http://opds-spec.org/acquisition" type="application/vnd.adobe.adept+xml"
          href="files/locked.acsm">
      <opds:indirectAcquisition type="application/epub+zip"/>
    </link>
  </entry>
  <entry>
    <id>http://library.example.org/book/borrow-only</id>
    <title>Faqat ijaraga</title>
    <updated>2026-11-01T00:00:00Z</updated>
    <link rel="http://opds-spec.org/acquisition/borrow" type="application/atom+xml;type=entry"
          href="borrow/1"/>
  </entry>
</feed>
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "files").mkdir(parents=True)
    (root / "catalog-files").mkdir()
    epub = make_epub(
        root / "files" / "oq-kema.epub",
        [("Birinchi bob", "Oq kema haqida ertak. Suvsar va bola daryo bo'yida.")],
        title="Oq kema",
        author="Chingiz Aytmatov",
        lang="uz",
    )
    fb2 = make_fb2(
        tmp_path / "ertaklar.fb2",
        [("Ur toqmoq", "Bir bor ekan, bir yo'q ekan, qo'lyozmadagi ertak zumrashaxon.")],
        title="Ўзбек халқ эртаклари",
        author="Xalq ijodi",
        lang="uz",
    )
    with zipfile.ZipFile(root / "catalog-files" / "ertaklar.fb2.zip", "w") as archive:
        archive.write(fb2, "ertaklar.fb2")
    data = epub.read_bytes()
    (root / "books.xml").write_text(
        _feed(hashlib.sha256(data).hexdigest(), len(data)), encoding="utf-8"
    )
    return root


@pytest.fixture
def digest(site: Path) -> Iterator[CatalogServer]:
    server = CatalogServer(site, auth="digest", user="talaba", password=PASSWORD).start()
    yield server
    server.stop()


def _books(library_dir: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(library_dir / "library.sqlite3") as db:
        return db.execute("SELECT title, format, source_entry FROM books ORDER BY title").fetchall()


def test_entries_of_a_saved_catalogue_download_with_its_credentials(
    digest: CatalogServer, library_dir: Path
) -> None:
    url = f"{digest.base}/books.xml"
    ok(
        library_dir,
        "catalog",
        "add",
        url,
        "--name",
        "Kutubxona",
        "--user",
        "talaba",
        stdin=PASSWORD,
    )
    ok(library_dir, "catalog", "browse", "Kutubxona")  # visited: its entries are now known

    by_title = ok(library_dir, "download", "Oq kema", "--json")
    [item] = json.loads(by_title.stdout)
    assert item["state"] == "done", item
    assert item["entry_id"] == "urn:uuid:oq-kema"
    assert item["url"] == f"{digest.base}/files/oq-kema.epub"  # open access, not the sample
    assert "files/oq-kema.epub" in {s.path.lstrip("/") for s in digest.seen if s.authorization}

    by_id = ok(library_dir, "download", "urn:uuid:ertaklar-fb2", "--catalog", "Kutubxona")
    assert "done" in by_id.stdout
    books = _books(library_dir)
    assert books == [
        ("Oq kema", "epub", "urn:uuid:oq-kema"),
        ("Ўзбек халқ эртаклари", "fb2", "urn:uuid:ertaklar-fb2"),
    ]
    found = json.loads(ok(library_dir, "search", "zumrashaxon", "--json").stdout)
    assert found["groups"][0]["book"]["title"] == "Ўзбек халқ эртаклари"  # the text inside the zip

    drm = run(library_dir, "download", "Qulflangan kitob")
    assert drm.returncode == 1
    assert drm.stderr.strip().endswith("which Mutolaa cannot read or which needs a DRM licence")
    assert drm.stderr.count("\n") == 1
    # an Atom id that looks like a URL (feeds do that) is an entry, never fetched as a URL
    borrow = run(library_dir, "download", "http://library.example.org/book/borrow-only")
    assert "must be borrowed or bought" in borrow.stderr
    missing_url = f"{digest.base}/files/missing.epub"
    missing = run(library_dir, "download", missing_url)
    assert missing.returncode == 1
    assert missing.stderr.count(missing_url) == 1  # the URL once, then what the server said
    assert "404" in missing.stderr
    unknown = run(library_dir, "download", "Yo'q kitob")
    assert unknown.returncode == 1
    assert "neither a URL nor an entry of the feeds visited in Kutubxona" in unknown.stderr
    assert _books(library_dir) == books


def test_an_acquisition_url_of_a_saved_catalogue_uses_its_credentials(
    site: Path, library_dir: Path
) -> None:
    server = CatalogServer(site, auth="basic", user="talaba", password=PASSWORD).start()
    try:
        ok(
            library_dir,
            "catalog",
            "add",
            f"{server.base}/books.xml",
            "--name",
            "K",
            "--user",
            "talaba",
            stdin=PASSWORD,
        )
        direct = run(library_dir, "download", f"{server.base}/catalog-files/ertaklar.fb2.zip")
        assert direct.returncode == 0, direct.stderr
        assert server.statuses("/catalog-files/ertaklar.fb2.zip")[-1] == 200
        with sqlite3.connect(library_dir / "library.sqlite3") as db:
            queued = db.execute("SELECT url, catalog_id, state FROM downloads").fetchall()
        assert queued == [(f"{server.base}/catalog-files/ertaklar.fb2.zip", 1, "done")]
    finally:
        server.stop()


def test_a_url_with_a_password_is_not_queued_without_a_saved_catalogue(
    library_dir: Path,
) -> None:
    result = run(library_dir, "download", "http://u:pw@127.0.0.1:9/x.epub", "--later")
    assert result.returncode == 1
    assert "save the server with `mutolaa catalog add` first" in result.stderr
    assert "pw@" not in result.stderr


def test_queue_offline_then_pause_resume_priority_cancel_remove(
    digest: CatalogServer, library_dir: Path
) -> None:
    ok(
        library_dir,
        "catalog",
        "add",
        f"{digest.base}/books.xml",
        "--name",
        "K",
        "--user",
        "talaba",
        stdin=PASSWORD,
    )
    ok(library_dir, "catalog", "browse", "K")
    digest.stop()  # offline from here: the entry is known from the cached feed
    [queued] = json.loads(ok(library_dir, "download", "Oq kema", "--later", "--json").stdout)
    assert (queued["state"], queued["entry_id"]) == ("queued", "urn:uuid:oq-kema")
    short = queued["id"][:8]

    def state(*args: str) -> dict[str, object]:
        return dict(json.loads(ok(library_dir, "downloads", *args, short, "--json").stdout))

    assert state("pause")["state"] == "paused"
    refused = run(library_dir, "downloads", "pause", short)
    assert refused.returncode == 1
    assert f"download {short} is paused; it cannot be paused" in refused.stderr
    assert state("resume")["state"] == "queued"
    changed = json.loads(ok(library_dir, "downloads", "priority", short, "7", "--json").stdout)
    assert changed["priority"] == 7
    nothing = run(library_dir, "downloads", "--resume")  # the server is gone: it stays queued
    assert nothing.returncode == 1
    assert "kept in the queue" in nothing.stderr
    assert state("cancel")["state"] == "cancelled"
    removed = ok(library_dir, "downloads", "remove", short)
    assert removed.stdout.startswith(f"removed    {short}")
    assert json.loads(ok(library_dir, "downloads", "--json").stdout) == []
    missing = run(library_dir, "downloads", "resume")
    assert missing.returncode == 1
    assert "which download?" in missing.stderr
