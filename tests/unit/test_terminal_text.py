"""Text from outside made printable: one rule for the command line, stored names and metadata."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.index.snippets import Snippet
from sync.book_metadata import clean_text
from sync.terminal import PrintableStream, json_printable, printable
from tests.support.hostile_text import assert_printable

# no example database: a `.hypothesis` folder in the tree makes pytest's collection warn (an error)
FUZZ = settings(database=None, max_examples=500)


def test_printable_removes_what_a_terminal_obeys_and_keeps_the_words() -> None:
    assert printable("esc\x1b[2Jfeed") == "esc[2Jfeed"
    assert printable("\x1b]0;title\x07Kitob") == "]0;titleKitob"
    assert printable("O\x9b2J\x7fkitob\x85") == "O2Jkitob"
    assert printable("a\u202eb\u2066c\u2069") == "abc"
    assert printable("qator 1\r\nqator 2\tuzun") == "qator 1\nqator 2\tuzun"
    # the words of our languages, and the marks that only place neutral characters, stay
    words = "Oʻzbekiston Ўзбекистон Россия \u200fكتاب\u200e"
    assert printable(words) == words


@FUZZ
@given(st.text())
def test_printable_output_is_always_safe(text: str) -> None:
    assert_printable(printable(text))


@FUZZ
@given(st.dictionaries(st.text(), st.text()))
def test_json_printable_is_safe_and_reads_back_the_same(data: dict[str, str]) -> None:
    text = json_printable(json.dumps(data, ensure_ascii=False, indent=2))
    assert_printable(text)
    assert json.loads(text) == data


def test_a_printable_stream_cleans_what_is_written_and_not_its_raw_side() -> None:
    raw = io.StringIO()
    stream = PrintableStream(raw)
    print("kitob\x1b[2J", file=stream)
    stream.raw.write("\x1b[0m")
    assert raw.getvalue() == "kitob[2J\n\x1b[0m"


def test_a_snippet_is_cleaned_piece_by_piece_and_its_marks_kept() -> None:
    snippet = Snippet("bir \x1b]0;x\x07soʻz\x9b ikki", ((10, 15),))
    marked = snippet.marked("\x1b[1m", "\x1b[0m", printable)
    assert marked == "bir ]0;x\x1b[1msoʻz\x1b[0m ikki"


def test_metadata_is_cleaned_by_the_same_rule() -> None:
    # a PDF's or EPUB's title at import, and the library server's feeds
    assert clean_text("Kitob\x1b[2J\x9b nomi\u202e\r\nikkinchi") == "Kitob[2J nomi ikkinchi"
    assert clean_text("bir\rikki\x85uch", lines=True) == "bir\nikki\nuch"
