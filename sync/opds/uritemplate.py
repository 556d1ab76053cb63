"""A small RFC 6570 expander for the templates OPDS uses ({var}, {+var}, {?a,b}, {&a}, {#a})."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

_EXPRESSION = re.compile(r"\{([^{}]*)\}")
_RESERVED = ":/?#[]@!$&'()*+,;="


def expand(template: str, values: Mapping[str, str]) -> str:
    """Expand ``template`` with ``values``; variables without a value are dropped.

    Values are encoded as UTF-8 and percent-encoded (spaces as %20), so Uzbek and
    Cyrillic text survives: "Oʻzbek" -> "O%CA%BBzbek".
    """

    def replace(match: re.Match[str]) -> str:
        expression = match.group(1)
        operator = expression[:1] if expression[:1] in "+#?&/." else ""
        names = [name.strip().rstrip("*") for name in expression[len(operator) :].split(",")]
        names = [name.split(":")[0] for name in names if name]
        safe = _RESERVED if operator in ("+", "#") else ""
        defined = [(name, values[name]) for name in names if values.get(name) is not None]
        if not defined:
            return ""
        if operator in ("?", "&"):
            pairs = "&".join(f"{name}={quote(value, safe=safe)}" for name, value in defined)
            return operator + pairs
        joined = ",".join(quote(value, safe=safe) for _, value in defined)
        if operator in ("#", "/", "."):
            return operator + joined
        return joined

    return _EXPRESSION.sub(replace, template)
