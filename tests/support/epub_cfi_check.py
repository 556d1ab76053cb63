"""Following an EPUB CFI into an EPUB, independently of the code that writes CFIs (tests only).

``text_at(epub, cfi)`` steps through the package document to the spine's ``itemref``, opens its
chapter and returns the text a range CFI covers (or the text from a point CFI to the end of its
text node): what a reading system would mark. Only what our CFIs use is read: element steps,
``[id]`` assertions (checked), text steps with a character offset, simple ranges.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_STEP = re.compile(r"/(\d+)(?:\[((?:\^.|[^\]])*)\])?(?::(\d+))?")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _steps(path: str) -> list[tuple[int, str | None, int | None]]:
    found = []
    at = 0
    while at < len(path):
        match = _STEP.match(path, at)
        assert match, f"not a CFI path: {path[at:]!r}"
        number, ident, offset = match.groups()
        found.append((int(number), ident, None if offset is None else int(offset)))
        at = match.end()
    return found


def _child(element: ElementTree.Element, number: int, ident: str | None) -> ElementTree.Element:
    assert number % 2 == 0, f"step /{number} is not an element"
    child = list(element)[number // 2 - 1]
    if ident is not None:
        assert child.get("id") == re.sub(r"\^(.)", r"\1", ident), (child.get("id"), ident)
    return child


def _chapter(archive: zipfile.ZipFile, package_path: str) -> ElementTree.Element:
    container = ElementTree.fromstring(archive.read("META-INF/container.xml"))
    full_path = next(e for e in container.iter() if _local(e.tag) == "rootfile").get("full-path")
    assert full_path
    package = ElementTree.fromstring(archive.read(full_path))
    spine_step, itemref_step = _steps(package_path)
    spine = _child(package, spine_step[0], spine_step[1])
    assert _local(spine.tag) == "spine"
    itemref = _child(spine, itemref_step[0], itemref_step[1])
    manifest = next(e for e in package if _local(e.tag) == "manifest")
    href = next(e.get("href") for e in manifest if e.get("id") == itemref.get("idref"))
    assert href
    name = posixpath.normpath(posixpath.join(posixpath.dirname(full_path), unquote(href)))
    text = archive.read(name).decode("utf-8")
    # HTML's named entities (&nbsp;), which an XML parser does not know
    text = re.sub(
        r"&(\w+);",
        lambda m: m.group(0) if m.group(1) in XML_ENTITIES else html.unescape(m.group(0)),
        text,
    )
    return ElementTree.fromstring(text)


def _segments(root: ElementTree.Element) -> list[tuple[tuple[int, ...], int, str]]:
    """Every text chunk in document order: (element's child steps, odd step, text)."""
    found: list[tuple[tuple[int, ...], int, str]] = []

    def walk(element: ElementTree.Element, path: tuple[int, ...]) -> None:
        found.append((path, 1, element.text or ""))
        for index, child in enumerate(element):
            walk(child, (*path, 2 * (index + 1)))
            found.append((path, 2 * index + 3, child.tail or ""))

    walk(root, ())
    return found


def _point(
    root: ElementTree.Element, steps: list[tuple[int, str | None, int | None]]
) -> tuple[tuple[int, ...], int, int]:
    element: ElementTree.Element = root
    path: tuple[int, ...] = ()
    for number, ident, offset in steps[:-1]:
        assert offset is None
        element = _child(element, number, ident)
        path = (*path, number)
    number, ident, offset = steps[-1]
    assert number % 2 == 1, "a CFI of ours ends in text"
    assert offset is not None, "a CFI of ours ends with a character offset"
    return path, number, offset


def _at(text: str, units: int) -> int:
    """The index in ``text`` of a CFI offset (UTF-16 code units, as a DOM counts)."""
    seen = 0
    for index, char in enumerate(text):
        if seen >= units:
            return index
        seen += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def text_at(epub: Path, cfi: str) -> str:
    """The text a CFI marks in ``epub`` (see the module's docstring)."""
    match = re.fullmatch(r"epubcfi\((.*)\)", cfi)
    assert match, cfi
    package_path, content = match.group(1).split("!", 1)
    with zipfile.ZipFile(epub) as archive:
        root = _chapter(archive, package_path)
    parts = content.split(",")
    if len(parts) == 1:
        start = _point(root, _steps(parts[0]))
        end = None
    else:
        parent, first, last = parts
        start = _point(root, _steps(parent + first))
        end = _point(root, _steps(parent + last))
    segments = _segments(root)
    keys = [(path, chunk) for path, chunk, _text in segments]
    at = keys.index(start[:2])
    first = segments[at][2]
    if end is None:
        return first[_at(first, start[2]) :]
    stop = keys.index(end[:2])
    last = segments[stop][2]
    if at == stop:
        return first[_at(first, start[2]) : _at(first, end[2])]
    text = first[_at(first, start[2]) :]
    text += "".join(s[2] for s in segments[at + 1 : stop])
    return text + last[: _at(last, end[2])]
