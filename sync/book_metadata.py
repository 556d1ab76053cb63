"""What a book file says about itself: EPUB package and FictionBook metadata, cleaned.

Pure Python (zip and defusedxml, no MuPDF), shared by the library server's catalogue
(`sync.server.book_facts`) and the application's import (`app.documents`): an EPUB's package
document (every ``dc:creator``, ``dc:language``…), a FictionBook's title-info (plain or zipped),
and the cleaning every metadata field gets (`clean_text`, `language_tag`, `split_authors`, and
the placeholders broken producers write instead of a value, `is_placeholder`).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_tree

from sync.terminal import printable

#: The most bytes read from one member of an EPUB or zipped FB2 (a zip bomb stops here).
MAX_MEMBER = 64 * 1024 * 1024
MAX_TITLE = 500
MAX_SUMMARY = 4000
# What XML forbids beyond the control characters `printable` removes: non-characters, surrogates.
_XML_INVALID = re.compile("[\ufffe\uffff\ud800-\udfff]")
# Line breaks that are controls: kept as breaks (then white space) rather than removed.
_BREAKS = str.maketrans({"\r": "\n", "\x85": "\n"})
_ISSUED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_FB2 = "{http://www.gribuser.ru/xml/fictionbook/2.0}"
# What broken producers write where a value is missing: Perl's stringified references
# (ARRAY(0x2c7cf020)), "Unknown", "N/A", "(null)"...
_PLACEHOLDER = re.compile(
    r"^(?:(?:array|hash|scalar|code|glob)\(0x[0-9a-f]+\)|unknown(?: author)?|\(unknown\)|"
    r"n/?a|none|null|\(null\)|undefined|untitled|anonymous author|-+|—|–|\?+)$",
    re.IGNORECASE,
)


class BadBook(Exception):
    """A file that cannot be served as a book; the message says why in a few words."""


def clean_text(text: str, limit: int = MAX_TITLE, *, lines: bool = False) -> str:
    """Text a feed can carry and a terminal can print: NFC, no control characters (`printable`)
    and none XML forbids, white space collapsed (one line unless `lines`), at most `limit`
    characters."""
    text = unicodedata.normalize("NFC", text).translate(_BREAKS)
    text = _XML_INVALID.sub("", printable(text))
    if not lines:
        text = " ".join(text.split())
    kept = [" ".join(line.split()) for line in text.splitlines()]
    joined = "\n".join(line for line in kept if line)
    return joined if len(joined) <= limit else joined[: limit - 1].rstrip() + "…"


def language_tag(value: str) -> str:
    """A BCP 47 tag with the usual casing ("UZ-cyrl" → "uz-Cyrl"), "" when it is not one."""
    parts = [part for part in value.strip().replace("_", "-").split("-") if part]
    if not parts or not parts[0].isalpha() or not 2 <= len(parts[0]) <= 8:
        return ""
    shaped = [parts[0].lower()]
    for part in parts[1:]:
        if not part.isalnum() or len(part) > 8:
            break
        if len(part) == 4 and part.isalpha():
            shaped.append(part.title())
        elif len(part) == 2 and part.isalpha():
            shaped.append(part.upper())
        else:
            shaped.append(part.lower())
    return "-".join(shaped)


def issued_date(value: str) -> str:
    """The "YYYY", "YYYY-MM" or "YYYY-MM-DD" at the start of a date, "" when there is none."""
    match = _ISSUED.match(value.strip())
    if not match:
        return ""
    text = match.group(0)
    try:  # a month 13 or a day 32 would make readers drop the whole entry
        parts = [int(p) for p in text.split("-")]
        datetime(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return ""
    return text


def is_placeholder(value: str) -> bool:
    """True for what broken producers write instead of a value (ARRAY(0x2c7cf020), Unknown)."""
    return bool(_PLACEHOLDER.match(value.strip()))


def _value(text: str) -> str:
    """``text``, or "" when it is a placeholder."""
    return "" if is_placeholder(text) else text


def split_authors(text: str) -> tuple[str, ...]:
    """Author names from one metadata field ("A; B", "A & B", "A and B"), placeholders left
    out."""
    for separator in (";", "&", " and "):
        if separator in text:
            parts = (clean_text(part) for part in text.split(separator))
            return tuple(n for n in parts if n and not is_placeholder(n))
    name = clean_text(text)
    return (name,) if name and not is_placeholder(name) else ()


def _read_member(archive: zipfile.ZipFile, name: str, limit: int = MAX_MEMBER) -> bytes:
    with archive.open(name) as source:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise BadBook(f"{name} inside the archive is larger than {limit // (1024 * 1024)} MB")
    return data


def _xml(data: bytes, what: str) -> Element:
    try:
        root: Element = safe_tree.fromstring(data, forbid_dtd=False, forbid_entities=True)
    except Exception as exc:  # defusedxml and ElementTree raise several kinds
        raise BadBook(f"{what} is not readable XML ({type(exc).__name__})") from None
    return root


def _texts(root: Element, path: str) -> list[str]:
    return [clean_text("".join(e.itertext())) for e in root.iterfind(path)]


def epub_facts(path: Path) -> tuple[dict[str, Any], bytes]:
    """The OPF metadata of an EPUB (title, creators, language, description, date) and its
    cover image's bytes (b"" when it declares none)."""
    with zipfile.ZipFile(path) as archive:
        container = _xml(_read_member(archive, "META-INF/container.xml", 1 << 20), "container")
        rootfile = container.find(f".//{_CONTAINER}rootfile")
        if rootfile is None or not rootfile.get("full-path"):
            raise BadBook("the EPUB has no package document")
        opf_name = str(rootfile.get("full-path"))
        opf = _xml(_read_member(archive, opf_name, 8 << 20), "the package document")
        metadata = opf.find(f"{_OPF}metadata")
        facts: dict[str, Any] = {}
        if metadata is not None:
            facts = {
                "title": _value(next(iter(_texts(metadata, f"{_DC}title")), "")),
                "authors": tuple(
                    n for n in _texts(metadata, f"{_DC}creator") if n and not is_placeholder(n)
                ),
                "language": language_tag(next(iter(_texts(metadata, f"{_DC}language")), "")),
                "summary": next(
                    (
                        clean_text("".join(e.itertext()), MAX_SUMMARY, lines=True)
                        for e in metadata.iterfind(f"{_DC}description")
                    ),
                    "",
                ),
                "issued": next(iter(_texts(metadata, f"{_DC}date")), ""),
            }
        cover = b""
        href = _epub_cover_href(opf)
        if href:
            member = posixpath.normpath(posixpath.join(posixpath.dirname(opf_name), unquote(href)))
            if member in archive.namelist():
                cover = _read_member(archive, member, 16 << 20)
    return facts, cover


def _epub_cover_href(opf: Element) -> str:
    manifest = opf.find(f"{_OPF}manifest")
    if manifest is None:
        return ""
    items = list(manifest.iterfind(f"{_OPF}item"))
    for item in items:  # EPUB 3
        if "cover-image" in (item.get("properties") or "").split():
            return str(item.get("href") or "")
    cover_id = ""
    for meta in opf.iterfind(f"{_OPF}metadata/{_OPF}meta"):  # EPUB 2
        if meta.get("name") == "cover":
            cover_id = str(meta.get("content") or "")
    for item in items:
        if cover_id and item.get("id") == cover_id:
            return str(item.get("href") or "")
    return ""


def fb2_facts(data: bytes) -> dict[str, Any]:
    """Language, annotation, date and authors of a FictionBook's title-info."""
    root = _xml(data, "the FictionBook")
    info = root.find(f"{_FB2}description/{_FB2}title-info")
    if info is None:
        return {}
    authors = []
    for author in info.iterfind(f"{_FB2}author"):
        parts = [
            "".join(author.findtext(f"{_FB2}{part}") or "")
            for part in ("first-name", "middle-name", "last-name")
        ]
        name = clean_text(" ".join(p for p in parts if p.strip()))
        name = name or clean_text(author.findtext(f"{_FB2}nickname") or "")
        if name and not is_placeholder(name):
            authors.append(name)
    date = info.find(f"{_FB2}date")
    issued = ""
    if date is not None:
        issued = str(date.get("value") or "") or "".join(date.itertext())
    annotation = info.find(f"{_FB2}annotation")
    return {
        "title": _value(clean_text(info.findtext(f"{_FB2}book-title") or "")),
        "authors": tuple(authors),
        "language": language_tag(info.findtext(f"{_FB2}lang") or ""),
        "summary": clean_text("\n".join(annotation.itertext()), MAX_SUMMARY, lines=True)
        if annotation is not None
        else "",
        "issued": issued,
    }


def fb2_from_zip(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".fb2")]
        if not names:
            raise BadBook("the zip archive holds no .fb2 book")
        return _read_member(archive, names[0])
