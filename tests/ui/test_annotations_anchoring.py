"""Places of annotations in reflowable books (no window): the worker's page places, and the
quote checks and searches of app/ui/reader/anchoring.py."""

from __future__ import annotations

from pathlib import Path

from app.core.quotes import locate
from app.documents.worker import DocumentWorker
from app.ui.reader.anchoring import (
    context,
    line_boxes,
    quote_matches,
    span_of,
    text_at,
    words_in,
)
from tests.support import docgen

SENTENCES = " ".join(f"Gap{n:04d} oʻquvchi kitobni diqqat bilan oʻqidi." for n in range(900))


def _book(folder: Path) -> Path:
    return docgen.make_epub(
        folder / "uzun.epub",
        [("Birinchi bob", SENTENCES), ("Ikkinchi bob", SENTENCES.replace("Gap", "Soz"))],
        title="Uzun kitob",
        author="Test",
        lang="uz",
    )


def test_a_span_of_words_is_the_same_text_at_every_font_size(tmp_path: Path) -> None:
    path = _book(tmp_path)
    with DocumentWorker() as worker:
        words = worker.words(path, 12, None, 11.0)
        (chapter, before), *_ = worker.page_places(path, [12], None, 11.0)
        start, end = span_of(words, 10, 16, before)
        quote = " ".join(w[4] for w in words[10:17])
        text = worker.chapter_text(path, chapter)
        assert quote_matches(text, start, end, quote)
        assert text_at(text, start, end) == "".join(quote.split())

        # at 20 pt the place is on a later page; that page's words there are the same words
        (page,) = worker.place_pages(path, [(chapter, start)], None, 20.0)
        assert page > 12
        bigger = worker.words(path, page, None, 20.0)
        (_chapter, page_before), (_next_chapter, next_before) = worker.page_places(
            path, [page, page + 1], None, 20.0
        )
        covered = words_in(bigger, page_before, start, end)
        if page_before + sum(len(w[4]) for w in bigger) < end:  # runs on to the next page
            following = worker.words(path, page + 1, None, 20.0)
            covered_next = words_in(following, next_before, start, end)
            found = [bigger[i][4] for i in covered] + [following[i][4] for i in covered_next]
        else:
            found = [bigger[i][4] for i in covered]
        assert " ".join(found) == quote

        # the library's page (the import's layout) holds the start too
        (library_page,) = worker.place_pages(path, [(chapter, start)])
        library_words = [w[4] for w in worker.words(path, library_page)]
        assert quote.split()[0] in library_words
        assert worker.chapter_text(path, 7) == ""  # no such chapter


def test_a_quote_is_found_again_by_its_words_and_surroundings() -> None:
    text = "Kitob oʻqing. Bu kitob yaxshi. Yana bir Kitob: yaxshi kitob!"
    # case, spaces and apostrophe forms do not matter
    where = locate(text, "KITOB  YAXSHI")
    assert where == (len("Kitoboʻqing.Bu"), len("Kitoboʻqing.Bukitobyaxshi"))
    assert locate(text, "oʼqing") == (5, 11)  # another apostrophe form
    # several "kitob": the prefix decides, then the distance to where it was
    first = locate(text, "kitob", prefix="Yana bir")
    assert first is not None
    assert text_at(text, *first) == "Kitob"
    assert first[0] == len("Kitoboʻqing.Bukitobyaxshi.Yanabir")
    last = len("Kitoboʻqing.Bukitobyaxshi.YanabirKitob:yaxshi")
    assert locate(text, "kitob", near=40) == (last, last + 5)
    assert locate(text, "lugʻat") is None
    assert locate(text, "   ") is None
    assert not quote_matches(text, 0, 5, "Lugʻat")
    assert quote_matches(text, 0, 5, "kitob")


def test_line_boxes_and_context() -> None:
    words = [
        (10.0, 10.0, 30.0, 20.0, "Bir"),
        (35.0, 10.0, 60.0, 20.0, "ikki"),
        (10.0, 22.0, 40.0, 32.0, "uch"),
        (45.0, 22.0, 70.0, 32.0, "toʻrt"),
    ]
    assert line_boxes(words) == [(10.0, 10.0, 60.0, 20.0), (10.0, 22.0, 70.0, 32.0)]
    assert context(words, 1, 2) == ("Bir", "toʻrt")
    assert span_of(words, 1, 2, 100) == (103, 110)
    assert words_in(words, 100, 103, 110) == [1, 2]
    assert words_in(words, 100, 110, 111) == [3]
