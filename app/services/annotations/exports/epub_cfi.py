"""EPUB CFIs (epubcfi(...)) for places in an EPUB: the spine item, then the characters.

A place of a reflowable book is (chapter, non-space characters of the chapter before it), the
chapter being MuPDF's: the spine's ``itemref`` elements whose ``idref`` names a manifest item,
in order. The CFI steps through the package document to that ``itemref``
(``/6/4[ref]!``), then through the chapter's XHTML elements to the text and the character
offset (``/4/10[para05]/3:10``), as the EPUB Canonical Fragment Identifier specification says:
elements are the even steps, the text between them the odd ones, ``[id]`` asserts an element's
id, offsets count UTF-16 code units (as a browser's DOM does). A highlight is a range
(``epubcfi(/6/4!/4/10,/1:5,/3:2)``), a bookmark or note without a span a point.

The text is walked as the reader lays it out: the ``head``, scripts, styles and ruby readings
(``rt``, ``rp``: left out of our pages) hold none. MuPDF's text and the XHTML's can differ a
little (list numbers, generated text), so where the annotation has a quote, the quote is
looked for near the place and wins. The file is untrusted: sizes are bounded, XML is parsed
with defusedxml, and a chapter that cannot be read gives no CFI (never an error).
"""

from __future__ import annotations

import html.entities
import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from defusedxml import ElementTree

from app.core.quotes import folded, locate_in

log = logging.getLogger(__name__)
CFI_SPEC = "http://www.idpf.org/epub/linking/cfi/epub-cfi.html"
MAX_ENTRY_BYTES = 32 * 1024 * 1024  # a larger package or chapter file is not read
_HIDDEN = frozenset({"head", "script", "style", "template", "rt", "rp", "title"})
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_ESCAPED = re.compile(r"([\^\[\](),;=])")

#: One non-space character of a chapter: its element path (steps from the root element), the
#: odd step of its text chunk in that element, its offset there and its length (UTF-16).
_Char = tuple[tuple[str, ...], int, int, int]


class CfiError(ValueError):
    """The EPUB's package cannot be read (so no CFI can be made)."""


@dataclass(frozen=True)
class _Chapter:
    steps: str  # "/6/4[ref]": the package's spine, then the itemref
    href: str  # the chapter's file inside the zip


@dataclass
class _Text:
    chars: list[_Char]
    haystack: str  # folded, for finding quotes
    origin: list[int]
    first_step: str  # the root element's first child element (the body when there is one)


class EpubCfi:
    """The CFIs of one EPUB file; chapters are read when first asked for.

    Use ``EpubCfi.open(path)``; close it (or use it as a context manager) when done.
    """

    def __init__(self, archive: zipfile.ZipFile, chapters: list[_Chapter]) -> None:
        self._zip = archive
        self._chapters = chapters
        self._texts: dict[int, _Text | None] = {}

    @classmethod
    def open(cls, path: Path) -> EpubCfi:
        """Read the package document of the EPUB at ``path``.

        Raises:
            CfiError: not a zip, no container or package document, or one that cannot be read.
        """
        try:
            archive = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise CfiError(f"{path}: not a readable EPUB ({exc})") from exc
        try:
            return cls(archive, _read_spine(archive))
        except CfiError:
            archive.close()
            raise
        except (KeyError, OSError, zipfile.BadZipFile, ValueError, SyntaxError) as exc:
            archive.close()
            raise CfiError(f"{path}: its package cannot be read ({exc})") from exc

    def close(self) -> None:
        """Close the file."""
        self._zip.close()

    def __enter__(self) -> EpubCfi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def chapters(self) -> int:
        """How many chapters (spine items MuPDF shows) the book has."""
        return len(self._chapters)

    def cfi(
        self,
        chapter: int,
        start: int,
        end: int,
        *,
        quote: str = "",
        prefix: str = "",
        suffix: str = "",
    ) -> str | None:
        """The CFI of non-space characters ``start``..``end`` of ``chapter`` (a point when the
        span is empty), or None when the chapter cannot be read.

        ``quote`` (with ``prefix`` and ``suffix``) is looked for near ``start`` and, when found,
        gives the span.
        """
        if not 0 <= chapter < len(self._chapters):
            return None
        where = self._chapters[chapter]
        text = self._text(chapter)
        if text is None:
            return None
        base = where.steps + "!"
        chars = text.chars
        if not chars:
            return f"epubcfi({base}{text.first_step})" if text.first_step else None
        found = locate_in(
            text.haystack, text.origin, quote, prefix=prefix, suffix=suffix, near=max(0, start)
        )
        if found is not None:
            first, stop = found
        else:
            first = min(max(0, start), len(chars) - 1)
            stop = min(max(first, end), len(chars))
        path, chunk, offset, _units = chars[first]
        point = f"{''.join(path)}/{chunk}:{offset}"
        if stop <= first:
            return f"epubcfi({base}{point})"
        end_path, end_chunk, end_offset, units = chars[stop - 1]
        shared = 0
        while shared < min(len(path), len(end_path)) and path[shared] == end_path[shared]:
            shared += 1
        if shared == 0:  # a range needs a common element below the root
            return f"epubcfi({base}{point})"
        parent = "".join(path[:shared])
        start_local = f"{''.join(path[shared:])}/{chunk}:{offset}"
        end_local = f"{''.join(end_path[shared:])}/{end_chunk}:{end_offset + units}"
        return f"epubcfi({base}{parent},{start_local},{end_local})"

    def _text(self, chapter: int) -> _Text | None:
        if chapter not in self._texts:
            href = self._chapters[chapter].href
            try:
                root = _parse(_read(self._zip, href))
                self._texts[chapter] = _walk(root)
            except (KeyError, OSError, zipfile.BadZipFile, ValueError, SyntaxError) as exc:
                log.info("%s: no CFI for this chapter (%s)", href, exc)
                self._texts[chapter] = None
        return self._texts[chapter]


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _assertion(element: Any) -> str:
    ident = element.get("id")
    if not ident:
        return ""
    escaped = _ESCAPED.sub(r"^\1", ident)
    return f"[{escaped}]"


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_ENTRY_BYTES:
        raise ValueError(f"{name} is larger than {MAX_ENTRY_BYTES // 2**20} MB")
    return archive.read(info)


def _parse(data: bytes) -> Any:
    """An XML document's root element; HTML's named entities (``&nbsp;``) are accepted, as
    readers accept them."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ElementTree.fromstring(data)  # another declared encoding: the parser decodes

    def entity(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES or name not in html.entities.name2codepoint:
            return match.group(0)
        return chr(html.entities.name2codepoint[name])

    return ElementTree.fromstring(_ENTITY.sub(entity, text))


def _read_spine(archive: zipfile.ZipFile) -> list[_Chapter]:
    container = _parse(_read(archive, "META-INF/container.xml"))
    rootfile = next((e for e in container.iter() if _local(e.tag) == "rootfile"), None)
    full_path = rootfile.get("full-path") if rootfile is not None else None
    if not full_path:
        raise CfiError("META-INF/container.xml names no package document")
    package = _parse(_read(archive, full_path))
    folder = posixpath.dirname(full_path)
    children = list(package)
    manifest = next((e for e in children if _local(e.tag) == "manifest"), None)
    spine_at = next((i for i, e in enumerate(children) if _local(e.tag) == "spine"), None)
    if manifest is None or spine_at is None:
        raise CfiError(f"{full_path} has no manifest or no spine")
    items = {
        item.get("id"): item.get("href")
        for item in manifest
        if _local(item.tag) == "item" and item.get("id") and item.get("href")
    }
    chapters = []
    for index, itemref in enumerate(children[spine_at]):
        href = items.get(itemref.get("idref")) if _local(itemref.tag) == "itemref" else None
        if href is None:
            continue  # MuPDF makes no chapter of it either
        name = posixpath.normpath(posixpath.join(folder, unquote(href.split("#", 1)[0])))
        steps = f"/{2 * (spine_at + 1)}/{2 * (index + 1)}{_assertion(itemref)}"
        chapters.append(_Chapter(steps, name))
    return chapters


def _walk(root: Any) -> _Text:
    """Every non-space character the reader shows, with its place in the document tree."""
    chars: list[_Char] = []
    visible: list[str] = []

    def add(text: str | None, path: tuple[str, ...], chunk: int) -> None:
        offset = 0
        for char in text or "":
            units = 2 if ord(char) > 0xFFFF else 1
            if not char.isspace():
                chars.append((path, chunk, offset, units))
                visible.append(char)
            offset += units

    def walk(element: Any, path: tuple[str, ...], depth: int) -> None:
        if depth > 200:  # a hostile nesting: what lies deeper holds no place
            return
        add(element.text, path, 1)
        for index, child in enumerate(element):
            if _local(child.tag) not in _HIDDEN:
                walk(child, (*path, f"/{2 * (index + 1)}{_assertion(child)}"), depth + 1)
            add(child.tail, path, 2 * index + 3)

    walk(root, (), 0)
    steps = [
        f"/{2 * (i + 1)}{_assertion(e)}" for i, e in enumerate(root) if _local(e.tag) == "body"
    ]
    if not steps and len(root):
        steps = [f"/2{_assertion(root[0])}"]
    haystack, origin = folded("".join(visible))
    return _Text(chars, haystack, origin, steps[0] if steps else "")
