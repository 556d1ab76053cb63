"""Safe file names for downloads: from Content-Disposition (RFC 6266 / 5987) or the URL.

A server chooses the name, so the name is untrusted: it is reduced to one path component with no
separators, no `..`, no control characters, no characters Windows refuses and no reserved device
names, limited in length, and replaced by a fallback when nothing is left. `unique_path` never
overwrites an existing file: it adds ` (1)`, ` (2)`... before the extension.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

FALLBACK_NAME = "download"
MAX_NAME_BYTES = 200
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_PARAM = re.compile(
    r"""\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)\s*(?:;|$)"""
)
#: The media types of the book formats Mutolaa reads, as real servers write them, and the file
#: ending each is saved under (calibre-server says text/fb2+xml, calibre-web application/fb2+zip
#: for what is plain XML: the importer decides by the bytes, this only names the file).
BOOK_MEDIA_TYPES = {
    "application/epub+zip": ".epub",
    "application/pdf": ".pdf",
    "application/x-pdf": ".pdf",
    "application/fb2+zip": ".fb2.zip",
    "application/x-zip-compressed-fb2": ".fb2.zip",
    "application/fb2+xml": ".fb2",
    "application/x-fictionbook+xml": ".fb2",
    "application/x-fictionbook": ".fb2",
    "application/x-fb2+xml": ".fb2",
    "application/fb2": ".fb2",
    "text/fb2+xml": ".fb2",
    "text/x-fb2+xml": ".fb2",
    "application/x-mobipocket-ebook": ".mobi",
    "application/x-mobi8-ebook": ".azw3",
    "application/vnd.amazon.ebook": ".azw",
    "application/vnd.amazon.mobi8-ebook": ".azw3",
    "application/vnd.comicbook+zip": ".cbz",
    "application/x-cbz": ".cbz",
    "application/oxps": ".oxps",
    "application/vnd.ms-xpsdocument": ".xps",
    "text/plain": ".txt",
}
_EXTENSIONS = {**BOOK_MEDIA_TYPES, "text/html": ".html", "application/zip": ".zip"}


def parse_content_disposition(value: str | None) -> str | None:
    """The file name in a Content-Disposition header, unsanitised; `filename*` wins over `filename`.

    `filename*=UTF-8''%D0%9A%D0%B8%D1%82%D0%BE%D0%B1.epub` (RFC 5987) is decoded with its charset;
    a charset that is unknown, is not a text encoding or cannot decode (Python's ``idna``,
    ``punycode``, ``undefined``...) falls back to UTF-8 with replacement characters.
    """
    if not value:
        return None
    _, _, params_text = value.partition(";")
    params: dict[str, str] = {}
    for match in _PARAM.finditer(params_text):
        key, raw = match.group(1).lower(), match.group(2).strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params.setdefault(key, raw)
    extended = params.get("filename*")
    if extended:
        charset, quote, rest = extended.partition("'")
        if quote:
            _language, _, encoded = rest.partition("'")
            try:
                return unquote(encoded, encoding=charset or "utf-8", errors="replace")
            except (LookupError, ValueError):  # ValueError: UnicodeError despite "replace"
                return unquote(encoded, encoding="utf-8", errors="replace")
    plain = params.get("filename")
    return plain or None


def name_from_url(url: str) -> str | None:
    """The last path segment of `url`, percent-decoded, or None when the path ends with `/`."""
    try:
        path = urlsplit(url).path
    except ValueError:  # "http://[::1": not a URL at all
        return None
    segment = path.rsplit("/", 1)[-1]
    return unquote(segment, errors="replace") or None


def sanitize_filename(name: str | None, *, fallback: str = FALLBACK_NAME) -> str:
    """Reduce an untrusted name to one safe path component.

    Only the last component after `/` or `\\` is kept; control and format characters are removed;
    characters Windows refuses become `_`; leading dots and spaces and trailing dots and spaces go
    (so no `..` and no hidden files); reserved device names (CON, NUL, COM1...) get a `_` prefix;
    the name is cut to 200 UTF-8 bytes keeping its extension. An empty result gives `fallback`.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})
    text = _FORBIDDEN.sub("_", text)
    text = text.strip(" .\t")
    if not text:
        text = fallback
    stem = text.split(".", 1)[0]
    if stem.upper().rstrip(" ") in _RESERVED:
        text = "_" + text
    return _limit_length(text)


def _limit_length(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 16:
        stem, ext = name, ""
    suffix = "." + ext if ext else ""
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip(" .")
    return (cut or FALLBACK_NAME) + suffix


def extension_for(content_type: str | None) -> str:
    """A file extension for a media type (`application/epub+zip` → `.epub`), or an empty string."""
    if not content_type:
        return ""
    return _EXTENSIONS.get(content_type.split(";", 1)[0].strip().lower(), "")


def choose_filename(
    url: str, content_disposition: str | None = None, content_type: str | None = None
) -> str:
    """The safe name to save a response under: Content-Disposition, else the URL, else a fallback.

    When the chosen name has no extension, one is added from the media type if known.
    """
    raw = parse_content_disposition(content_disposition) or name_from_url(url)
    name = sanitize_filename(raw)
    if "." not in name:
        name = sanitize_filename(name + extension_for(content_type))
    return name


def unique_path(folder: Path, name: str) -> Path:
    """`folder / name`, or `name (1).ext`, `name (2).ext`... the first that does not exist yet."""
    candidate = folder / name
    if not candidate.exists():
        return candidate
    stem, ext = split_extension(name)
    counter = 1
    while True:
        candidate = folder / f"{stem} ({counter}){ext}"
        if not candidate.exists():
            return candidate
        counter += 1


def split_extension(name: str) -> tuple[str, str]:
    """Split `book.fb2.zip` into (`book`, `.fb2.zip`) and `book.epub` into (`book`, `.epub`)."""
    lower = name.lower()
    for double in (".fb2.zip", ".tar.gz"):
        if lower.endswith(double) and len(name) > len(double):
            return name[: -len(double)], name[-len(double) :]
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return name, ""
    return stem, "." + ext
