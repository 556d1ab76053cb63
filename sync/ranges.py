"""What HTTP answers say about a file's version and range: validators and Content-Range."""

from __future__ import annotations

import re

_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(?:(\d+)-(\d+)|\*)\s*/\s*(\d+|\*)\s*$", re.IGNORECASE)


def strong_etag(value: str | None) -> str | None:
    """The ETag when it is strong (`"abc"`), None for a weak one (`W/"abc"`) or none at all."""
    if not value:
        return None
    value = value.strip()
    if value.startswith(("W/", "w/")):
        return None
    return value


def parse_content_range(value: str | None) -> tuple[int | None, int | None, int | None] | None:
    """`bytes 100-199/1000` → (100, 199, 1000); `bytes */1000` → (None, None, 1000); bad → None."""
    if not value:
        return None
    match = _CONTENT_RANGE.match(value)
    if not match:
        return None
    first, last, total = match.groups()
    return (
        int(first) if first is not None else None,
        int(last) if last is not None else None,
        int(total) if total not in (None, "*") else None,
    )
