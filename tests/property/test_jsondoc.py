"""Property: the nesting scan of `sync.jsondoc` agrees with the parsed document's depth, for any
JSON (strings full of brackets, quotes and escapes included) and any limit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.jsondoc import TooDeepError, depth_exceeds, loads

tricky_text = st.text(st.sampled_from('[]{}"\\/:, \n\tuʻЎ\u2028') | st.characters(), max_size=12)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | tricky_text,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(tricky_text, children, max_size=3)
    ),
    max_leaves=40,
)


def depth_of(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


@given(values, st.integers(0, 8), st.booleans())
def test_the_scan_agrees_with_the_parsed_depth(value: Any, limit: int, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    deeper = depth_of(value) > limit
    assert depth_exceeds(text, limit) is deeper
    if deeper:
        with pytest.raises(TooDeepError, match=f"^nested deeper than {limit} levels$"):
            loads(text, max_depth=limit)
    else:
        assert loads(text, max_depth=limit) == json.loads(text)
