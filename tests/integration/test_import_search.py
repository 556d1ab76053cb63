"""Import real documents of every format, then find them in four languages."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from app.core.errors import UserError
from app.core.models import BookState
from app.core.paths import resolve_paths
from app.services.library.importer import Importer
from app.services.library.searching import search
from app.services.session import Library
from tests.support.docgen import make_epub, make_pdf
from tests.support.samples import Samples
from tests.support.sessions import session_of


def _import(library: Library, *paths: Path) -> None:
    with Importer(library) as importer:
        report = importer.run(paths)
    assert report.ok, report.failures


def _pages_found(library: Library, query: str, fmt: str = "pdf") -> set[int]:
    """0-based pages of the one book of format ``fmt`` that match ``query``."""
    results = search(session_of(library), query, limit=100, fmt=fmt)
    return {m.page for g in results.groups for m in g.pages}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, samples: Samples) -> Iterator[Library]:
    """One library holding the samples, shared by the read-only tests of this module."""
    library = Library(resolve_paths(tmp_path_factory.mktemp("imported")))
    _import(library, samples.multilingual, samples.epub, samples.fb2, samples.txt)
    yield library
    library.close()


def test_pdf_metadata_toc_and_languages(imported: Library, samples: Samples) -> None:
    book = imported.store.resolve(hashlib.sha256(samples.multilingual.read_bytes()).hexdigest()[:8])
    assert book.title == "Oʻzbek tili darsligi"
    assert book.authors == ("Alisher Navoiy", "Abdulla Qodiriy")
    assert book.format == "pdf"
    assert book.page_count == samples.page_count
    assert book.state is BookState.READY
    assert [(e.level, e.title, e.page) for e in book.toc][:2] == [
        (1, "Kirish", 1),
        (1, "Rus tili", 3),
    ]
    assert {"uz", "ru", "en"} <= set(book.languages)
    assert book.indexed_pages == book.extracted_pages == samples.page_count
    assert imported.store.cover(book.id)[:8] == b"\x89PNG\r\n\x1a\n"
    stored = imported.store.file_path(book)
    assert stored.read_bytes() == samples.multilingual.read_bytes()


def test_every_format_imports_with_its_metadata(imported: Library) -> None:
    by_format = {b.format: b for b in imported.store.books()}
    assert set(by_format) == {"pdf", "epub", "fb2", "txt"}
    assert by_format["epub"].title == "Hikoyalar toʻplami"
    assert by_format["epub"].authors == ("Abdulla Qahhor",)
    assert by_format["fb2"].title == "Городской роман"
    assert by_format["txt"].title == "eslatma"  # falls back to the file name


@pytest.mark.parametrize(
    "query",
    ["kutubxona", "кутубхона", "KUTUBXONA", "Kutubxona"],
)
def test_uzbek_scripts_and_case_find_the_same_pages(imported: Library, query: str) -> None:
    assert {0, 1} <= _pages_found(imported, query)


@pytest.mark.parametrize("query", ["o'quv", "o‘quv", "oʻquv", "o`quv", "oʼquv", "ўқув"])
def test_apostrophe_forms_find_the_same_pages(imported: Library, query: str) -> None:
    assert {0, 1} <= _pages_found(imported, query)


@pytest.mark.parametrize("query", ["kitob", "kitoblar", "kitobning", "kitobga"])
def test_uzbek_word_finds_its_suffixed_forms(imported: Library, query: str) -> None:
    assert 0 in _pages_found(imported, query)


def test_russian_and_english_are_stemmed(imported: Library) -> None:
    assert 2 in _pages_found(imported, "библиотеки")
    assert 2 in _pages_found(imported, "библиотекой")
    assert 3 in _pages_found(imported, "library")
    assert 3 in _pages_found(imported, "libraries")


def test_mojibake_page_is_repaired_before_indexing(imported: Library, samples: Samples) -> None:
    book = next(b for b in imported.store.books() if b.format == "pdf")
    page = imported.store.pages(book.id, 4, 5)[0]
    assert page.repaired
    assert "Не очень краткое" in page.text
    assert 4 in _pages_found(imported, '"очень краткое"')
    assert 4 in _pages_found(imported, "мозаику")


def test_page_without_text_layer_is_recorded_as_needing_ocr(imported: Library) -> None:
    book = next(b for b in imported.store.books() if b.format == "pdf")
    assert imported.store.pages(book.id, 5, 6)[0].needs_ocr
    assert book.ocr_pages == 1


def test_query_syntax(imported: Library) -> None:
    assert _pages_found(imported, '"oʻquv zalida"') >= {0}
    assert 0 not in _pages_found(imported, '"zalida oʻquv"')
    assert 0 in _pages_found(imported, "kutub*")
    assert {0, 2} <= _pages_found(imported, "kutubxona OR библиотека")
    assert 0 not in _pages_found(imported, "kutubxona NOT gʻalaba")
    assert 0 not in _pages_found(imported, "kutubxona -taʼlim")
    assert 2 not in _pages_found(imported, "библиотека AND kutubxona")
    with pytest.raises(UserError, match="at least one word"):
        search(session_of(imported), "NOT kitob")


def test_filters_by_book_language_and_format(imported: Library) -> None:
    pdf = next(b for b in imported.store.books() if b.format == "pdf")
    epub = next(b for b in imported.store.books() if b.format == "epub")
    everywhere = search(session_of(imported), "kutubxona", limit=50)
    assert {g.book.id for g in everywhere.groups} >= {pdf.id, epub.id}
    only_epub = search(session_of(imported), "kutubxona", book=epub.id, limit=50)
    assert {g.book.id for g in only_epub.groups} == {epub.id}
    assert {g.book.format for g in search(session_of(imported), "kutubxona", fmt="pdf").groups} == {
        "pdf"
    }
    russian = search(session_of(imported), "библиотека", lang="ru", limit=50)
    for group in russian.groups:
        for match in group.pages:
            assert imported.store.pages(group.book.id, match.page, match.page + 1)[0].lang == "ru"


def test_results_are_grouped_paged_and_highlighted(imported: Library) -> None:
    first = search(session_of(imported), "kutubxona", limit=2)
    second = search(session_of(imported), "kutubxona", limit=2, offset=2)
    shown_first = [(g.book.id, m.page) for g in first.groups for m in g.pages]
    shown_second = [(g.book.id, m.page) for g in second.groups for m in g.pages]
    assert len(shown_first) == 2
    assert not set(shown_first) & set(shown_second)
    assert first.total_pages >= 3
    match = first.groups[0].pages[0] if first.groups[0].pages else first.groups[1].pages[0]
    marked = [match.snippet.text[s:e] for s, e in match.snippet.spans]
    assert marked
    assert all(w.lower() in {"kutubxona", "кутубхона"} for w in marked)


def test_title_and_author_are_searchable(imported: Library) -> None:
    results = search(session_of(imported), "Navoiy")
    assert any(g.title_match and g.book.format == "pdf" for g in results.groups)


def test_same_file_twice_is_one_book(library: Library, samples: Samples, tmp_path: Path) -> None:
    copy = tmp_path / "copy-with-other-name.pdf"
    copy.write_bytes(samples.multilingual.read_bytes())
    _import(library, samples.multilingual)
    with Importer(library) as importer:
        report = importer.run([copy])
    assert not report.added
    assert [b.id for b in report.duplicates] == [library.store.books()[0].id]
    assert library.store.count() == 1


def test_encrypted_pdf_is_locked_until_unlocked(library: Library, samples: Samples) -> None:
    with Importer(library) as importer:
        report = importer.run([samples.encrypted])
    assert [b.state for b in report.locked] == [BookState.LOCKED]
    book = report.locked[0]
    assert not _pages_found(library, "maxfiysoʻz")
    with Importer(library) as importer, pytest.raises(UserError, match="wrong password"):
        importer.unlock(book, "not it")
    assert library.store.get(book.id).state is BookState.LOCKED  # type: ignore[union-attr]
    with Importer(library) as importer:
        unlocked = importer.unlock(book, "SaSLprep")
    assert unlocked.state is BookState.READY
    assert unlocked.title == "Maxfiy hujjat"
    assert 0 in _pages_found(library, "maxfiysoʻz")


def test_aes256_r6_fixture_needs_saslprep(library: Library, documents: Path) -> None:
    with Importer(library) as importer:
        report = importer.run([documents / "pdf/pdfjs/saslprep-r6.pdf"])
        book = report.locked[0]
        unlocked = importer.unlock(book, "SªSL\u00adprep")
    assert unlocked.state is BookState.READY
    assert unlocked.page_count == 1


def test_remove_deletes_book_file_and_hits(library: Library, samples: Samples) -> None:
    _import(library, samples.epub)
    book = library.store.books()[0]
    path = library.store.file_path(book)
    library.store.remove(book.id)
    with Importer(library) as importer:
        importer.indexer.remove_book(book.id)
    assert not path.exists()
    assert not search(session_of(library), "kutubxona").groups


@pytest.mark.parametrize(
    "query",
    [
        "kutubxona talaba*",
        "kutub* OR библиотека",
        "kitob NOT gʻalaba",
        '"oʻquv zalida"',
        '"oʻquv zalida" OR library',
        '"Не очень краткое" OR "краткое очень"',
        "(kitob OR library) -kutubxona",
        "kitob* talaba*",
        'kutubxona NOT "oʻquv zalida"',
        'kutubxona -"zalida oʻquv"',
    ],
)
def test_fast_path_agrees_with_whoosh(imported: Library, query: str) -> None:
    from app.index.fastpath import fast_search  # noqa: PLC0415
    from app.index.query import parse  # noqa: PLC0415
    from app.index.schema import TEXT_FIELDS  # noqa: PLC0415
    from app.index.search import compile_query  # noqa: PLC0415

    node = parse(query)
    with imported.index().searcher() as searcher:
        fast = fast_search(searcher, node, TEXT_FIELDS, [], 100_000)
        assert fast is not None
        ranked, total, _exact = fast
        whoosh_hits = searcher.search(compile_query(node, TEXT_FIELDS), limit=None)
        expected = {hit.docnum for hit in whoosh_hits}
    assert {doc for doc, _ in ranked} == expected
    assert total >= len(expected)
    assert expected, "the query should match something in the samples"


def test_latin_diacritics_do_not_matter_to_search(library: Library, tmp_path: Path) -> None:
    book = make_pdf(
        tmp_path / "egri.pdf",
        ["Bézier curves, as Gödel would not say.", "Jane Eyre by Charlotte Brontë."],
        title="Égri chiziqlar",
        author="Pierre Bézier",
    )
    _import(library, book)
    for query in ("bezier", "BÉZIER", "godel", "bronte", "Brontë", "egri"):
        assert search(session_of(library), query).groups, query
    assert _pages_found(library, "bezier") == {0}
    assert _pages_found(library, "bronte") == {1}


def test_a_books_own_metadata_wins_every_author_its_language_no_placeholders(
    library: Library, tmp_path: Path
) -> None:
    arabic = "بسم الله الرحمن الرحيم. الحمد لله رب العالمين. الكتاب والمكتبة. " * 8
    epub = make_epub(
        tmp_path / "kitob.epub",
        [("الفصل الأول", arabic + " (the library, a library)")],
        title="كتاب المكتبة",
        author="Ali Valiyev",
        more_authors=("Gʻani Oʻrinov", "ARRAY(0x2c7cf020)"),
        lang="ar",
    )
    english = make_pdf(
        tmp_path / "guide.pdf",
        ["Kutubxona kitob talaba oʻquv. The guide to the library and its reading room."] * 3,
        title="The reading room",
        author="ARRAY(0x55d0c1a2b3c8)",
    )
    with pymupdf.open(english) as doc:  # a declared language, as Word and LaTeX write it
        doc.xref_set_key(doc.pdf_catalog(), "Lang", "(en-US)")
        doc.saveIncr()
    _import(library, epub, english)
    books = {b.title: b for b in library.store.books()}
    book = books["كتاب المكتبة"]
    assert book.authors == ("Ali Valiyev", "Gʻani Oʻrinov")  # every dc:creator, no placeholder
    assert book.languages == ("ar",)  # never "en" for a script we do not analyse
    guide = books["The reading room"]
    assert guide.authors == ()
    assert guide.languages == ("en",)  # declared; its pages looked Uzbek to the detector


def _ruby_epub(path: Path) -> Path:
    """A Japanese EPUB whose readings are ruby annotations (<rt>, with <rp> parentheses)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OPS/p.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        archive.writestr(
            "OPS/p.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"'
            ' unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<dc:identifier id="id">urn:kusamakura</dc:identifier><dc:title>草枕</dc:title>'
            "<dc:creator>夏目漱石</dc:creator><dc:language>ja</dc:language></metadata>"
            '<manifest><item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>'
            '</manifest><spine><itemref idref="c"/></spine></package>',
        )
        archive.writestr(
            "OPS/c.xhtml",
            '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
            "<body><p><ruby>山路<rt>やまみち</rt></ruby>を<ruby>登<rp>(</rp><rt>のぼ</rt>"
            "<rp>)</rp></ruby>りながら、こう考えた。<ruby>智<rt>ち</rt></ruby>に働けば角が立つ。"
            "</p></body></html>",
        )
    return path


def test_ruby_readings_stay_out_of_the_text_and_cjk_is_found_by_any_part(
    library: Library, tmp_path: Path
) -> None:
    _import(library, _ruby_epub(tmp_path / "kusamakura.epub"))
    [book] = library.store.books()
    assert book.languages == ("ja",)
    text = library.store.pages(book.id)[0].text
    assert "山路を登りながら、こう考えた。" in text  # not "山路やまみちを登(のぼ)り"
    assert "やまみち" not in text
    for query in ("山路を登りながら", "考えた", "角が立つ", '"智に働けば"'):
        found = search(session_of(library), query)
        assert [g.book.id for g in found.groups] == [book.id], query
    assert not search(session_of(library), "山路を下りながら").groups  # every pair must be there
    [group] = search(session_of(library), "登りながら").groups
    assert "[" in group.pages[0].snippet.marked()
