"""Laying books out in the MuPDF worker: page sizes, labels, font sizes, places kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import BadDocumentError
from app.documents.worker import DocumentWorker
from tests.support import docgen
from tests.support.samples import Samples


@pytest.fixture(scope="module")
def worker() -> DocumentWorker:
    with DocumentWorker() as running:
        yield running  # type: ignore[misc]


def _long_epub(folder: Path) -> Path:
    text = " ".join(f"Gap{n:04d} talaba kutubxonada kitob oʻqidi." for n in range(700))
    return docgen.make_epub(
        folder / "uzun.epub",
        [("Bir", text), ("Ikki", text.replace("Gap", "Soz")), ("Uch", "Qisqa bob.")],
        title="Uzun",
        author="Test",
        lang="uz",
    )


def test_a_font_size_lays_a_reflowable_book_out_again(
    worker: DocumentWorker, tmp_path: Path
) -> None:
    book = _long_epub(tmp_path)
    imported = worker.layout(book)
    larger = worker.layout(book, None, 20.0)
    smaller = worker.layout(book, None, 8.0)
    assert imported.reflowable
    assert smaller.page_count < imported.page_count < larger.page_count
    assert set(larger.sizes) == {(400.0, 600.0)}
    assert larger.labels == ()

    # every page of the import's layout is carried to the page holding its first word
    pages = list(range(0, imported.page_count, 7))
    carried = worker.convert(book, pages, None, 20.0)
    assert carried == sorted(carried)
    for page, target in zip(pages, carried, strict=True):
        first = worker.words(book, page)[0][4]
        assert first in [w[4] for w in worker.words(book, target, None, 20.0)], page
    # a place survives going there and back: at most the page before, never after
    back = worker.convert(book, carried, 20.0, None)
    assert all(page - 1 <= again <= page for page, again in zip(pages, back, strict=True))
    # a layout asked with a start carries it too; the third chapter starts a page
    middle = worker.layout(book, None, 14.0, start=carried[3], start_font_size=20.0)
    assert middle.start > 0
    last = worker.convert(book, [imported.page_count - 1], None, 14.0)[0]
    assert last == middle.page_count - 1


def test_fixed_pages_keep_their_sizes_and_labels(worker: DocumentWorker, tmp_path: Path) -> None:
    plain = docgen.make_pdf(tmp_path / "plain.pdf", ["Bir", "Ikki", "Uch"])
    labelled = docgen.make_pdf(
        tmp_path / "labels.pdf", [f"Sahifa {n}" for n in range(8)], page_labels=True
    )
    layout = worker.layout(plain, None, 20.0, start=2)  # a font size means nothing here
    assert not layout.reflowable
    assert layout.page_count == 3
    assert layout.start == 2
    assert layout.labels == ()
    assert layout.sizes[0] == pytest.approx((595.0, 842.0), abs=1)
    labels = worker.layout(labelled).labels
    front = docgen.ROMAN_FRONT_PAGES
    assert labels[:3] == ("i", "ii", "iii")
    assert labels[front] == "1"
    assert worker.convert(plain, [0, 9], None, 12.0) == [0, 2]  # clamped to the book


def test_real_epubs_lay_out_and_find_words(worker: DocumentWorker, documents: Path) -> None:
    books = sorted((documents / "epub").rglob("*.epub"), key=lambda p: p.stat().st_size)[-3:]
    assert books
    for book in books:
        try:
            imported = worker.layout(book)
        except BadDocumentError:
            continue  # a fixture MuPDF refuses is covered by the import tests
        larger = worker.layout(book, None, 18.0)
        assert larger.page_count >= imported.page_count, book
        assert worker.find(book, ["zzzqqqxxx"], None, 18.0) == []


def test_a_damaged_book_gives_a_clear_error(worker: DocumentWorker, tmp_path: Path) -> None:
    broken = tmp_path / "broken.epub"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(BadDocumentError, match=r"not a readable document|cannot"):
        worker.layout(broken, None, 14.0)


def test_fb2_and_txt_are_reflowable_too(worker: DocumentWorker, samples: Samples) -> None:
    for book in (samples.fb2, samples.txt):
        imported = worker.layout(book)
        larger = worker.layout(book, None, 28.0)
        assert imported.reflowable, book
        assert larger.page_count > imported.page_count, book
        first = worker.words(book, imported.page_count - 1)[0][4]
        last = worker.convert(book, [imported.page_count - 1], None, 28.0)[0]
        assert first in [w[4] for w in worker.words(book, last, None, 28.0)], book
