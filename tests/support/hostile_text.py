"""A catalogue whose words try to command the terminal, and the check that none got through.

`write_hostile_catalog(root)` writes an OPDS 2 catalogue (`/opds/root.json`, its search results
`/opds/find.json`) whose feed title, navigation, entry titles and authors carry escape sequences
a terminal obeys: ESC CSI (clear the screen), an OSC that sets the window's title ended by BEL,
the one-byte CSI 0x9b, DEL, a carriage return and a bidi override. Served by `CatalogServer`.
"""

from __future__ import annotations

import json
from pathlib import Path

#: The feed's title as the audit found it: the saved catalogue's name came from it.
FEED_TITLE = "esc\x1b[2Jfeed \x1b]0;pwned\x07Kutubxona"
#: What a person sees of it once cleaned (and the name to use on the command line).
FEED_NAME = "esc[2Jfeed ]0;pwnedKutubxona"
ENTRY_TITLE = "O\x9b2Jtkan \x1b[31mkunlar\x1b[0m\x7f"
ENTRY_SEEN = "O2Jtkan [31mkunlar[0m"
AUTHOR = "Abdulla \u202eiyrodaQ\u202c"
AUTHOR_SEEN = "Abdulla iyrodaQ"
FOUND_TITLE = "Topilgan\r\x1b]52;c;cHduZWQ=\x07 kitob"
# (the OPDS parser already read the CR as a space)
FOUND_SEEN = "Topilgan ]52;c;cHduZWQ= kitob"
NAVIGATION = "Yangi\x1b[1A\x1b[2K kitoblar"
NAVIGATION_SEEN = "Yangi[1A[2K kitoblar"
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _publication(title: str, href: str) -> dict[str, object]:
    return {
        "metadata": {"title": title, "author": AUTHOR, "identifier": f"urn:x:{href}"},
        "links": [
            {"rel": "http://opds-spec.org/acquisition", "href": href, "type": "application/pdf"}
        ],
    }


def write_hostile_catalog(root: Path) -> Path:
    """The catalogue under ``root`` (created); returns ``root``."""
    folder = root / "opds"
    folder.mkdir(parents=True, exist_ok=True)
    feed = {
        "metadata": {"title": FEED_TITLE},
        "links": [
            {"rel": "self", "href": "root.json", "type": "application/opds+json"},
            {
                "rel": "search",
                "href": "find.json{?query}",
                "type": "application/opds+json",
                "templated": True,
            },
        ],
        "navigation": [{"title": NAVIGATION, "href": "new.json", "type": "application/opds+json"}],
        "publications": [_publication(ENTRY_TITLE, "kunlar.pdf")],
    }
    found = {
        "metadata": {"title": "Natijalar \x1b[5m"},
        "links": [{"rel": "self", "href": "find.json", "type": "application/opds+json"}],
        "publications": [_publication(FOUND_TITLE, "topilgan.pdf")],
    }
    (folder / "root.json").write_text(json.dumps(feed), encoding="utf-8")
    (folder / "find.json").write_text(json.dumps(found), encoding="utf-8")
    return root


def assert_printable(text: str) -> None:
    """No character a terminal would obey: C0 but newline and tab, DEL, C1, bidi controls."""
    for position, char in enumerate(text):
        code = ord(char)
        bad = (code < 0x20 and char not in "\n\t") or 0x7F <= code <= 0x9F or char in _BIDI
        around = text[max(0, position - 30) : position + 30]
        assert not bad, f"U+{code:04X} at {position}: {around!r}"
