"""JSON from outside, read with a limit on nesting: a hostile document is an error, not a crash."""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any, Final

from sync.errors import SyncError

MAX_DEPTH: Final = 100
"""The deepest nesting of arrays and objects read from outside. Real documents (OPDS 2 feeds,
sync answers, W3C annotations) nest about ten levels; Python's parser recurses once a level and
fails with `RecursionError` near 1,000 (fewer on a deep stack), so the limit stays far below."""

_ESCAPE = re.compile(rb"\\.", re.DOTALL)  # a backslash and the byte it escapes
_STRING = re.compile(rb'"[^"]*"')  # a string, once escapes are gone
#: Every byte but the brackets and the quote: deleted before strings are cut out.
_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'[]{}"')
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class TooDeepError(SyncError, ValueError):
    """A JSON document nested deeper than the limit; ``str()`` is the clause
    ``nested deeper than 100 levels`` for the caller to put after what and where.

    It is a ValueError too, as every other "not valid JSON" from `json.loads` is.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(f"nested deeper than {limit} levels")
        self.limit = limit


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH, **options: Any) -> Any:
    """`json.loads`, refusing a document nested deeper than `max_depth` before parsing it.

    Bytes are decoded as `json.loads` decodes them (UTF-8, -16 or -32, detected). `options`
    go to `json.loads` (``parse_constant``...).

    Raises:
        TooDeepError: arrays and objects nest deeper than `max_depth`.
        json.JSONDecodeError: not valid JSON.
        UnicodeDecodeError: bytes that are not text.
    """
    text = data
    if isinstance(text, bytes):  # as json.loads decodes bytes
        text = text.decode(json.detect_encoding(text), "surrogatepass")
    if depth_exceeds(text, max_depth):
        raise TooDeepError(max_depth)
    try:
        return json.loads(text, **options)
    except RecursionError:  # a stack already deep when called: still one clear line
        raise TooDeepError(max_depth) from None


def depth_exceeds(text: str, limit: int) -> bool:
    """True when the arrays and objects of JSON `text` nest deeper than `limit`.

    A scan without recursion and without parsing, on the UTF-8 bytes (no multi-byte character
    holds an ASCII byte): escapes are dropped, then every byte but brackets and quotes, then
    the strings (their brackets do not count), and the brackets left are counted up and down.
    Text that is not valid JSON gets an answer too (the parser then says what is wrong).
    """
    data = text.encode("utf-8", "surrogatepass")
    if data.count(b"[") + data.count(b"{") <= limit:
        return False  # cannot nest deeper than it opens: most documents end here
    if b"\\" in data:
        data = _ESCAPE.sub(b"", data)
    skeleton = _STRING.sub(b"", data.translate(None, _NOT_STRUCTURE))
    return max(accumulate(_STEP[byte] for byte in skeleton), default=0) > limit
