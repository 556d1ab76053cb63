"""ISO 8601 times in UTC that carry a Unix time exactly, both ways.

``created`` of an annotation is a float (``time.time()``). Written with every digit of the
float's shortest representation (``2025-03-01T10:20:30.1234567Z``), it reads back as the
very same float, so a W3C round trip keeps created times equal, not merely close.
"""

from __future__ import annotations

import calendar
import re
import time
from decimal import Decimal, InvalidOperation

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,30}))?)?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$"
)


def iso_time(stamp: float) -> str:
    """A Unix time as ISO 8601 UTC, with the float's exact digits."""
    exact = Decimal(repr(float(stamp)))
    seconds = int(exact.to_integral_value(rounding="ROUND_FLOOR"))
    fraction = exact - seconds
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    if fraction:
        digits = format(fraction, "f").split(".", 1)[1].rstrip("0")
        text += "." + digits
    return text + "Z"


def parse_iso_time(text: str) -> float:
    """An ISO 8601 date-time as a Unix time (no zone means UTC).

    Raises:
        ValueError: it is not an ISO 8601 date and time.
    """
    match = _ISO.match(text.strip())
    if not match:
        raise ValueError(f"{text[:40]!r} is not an ISO 8601 date and time")
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60 and second < 61):
        raise ValueError(f"{text[:40]!r} is not a valid date and time")
    try:
        whole = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
        fraction = Decimal("0." + match.group(7)) if match.group(7) else Decimal(0)
    except (OverflowError, InvalidOperation) as exc:
        raise ValueError(f"{text[:40]!r} is not a valid date and time") from exc
    if match.group(9):
        offset = (int(match.group(10)) * 60 + int(match.group(11))) * 60
        whole += -offset if match.group(9) == "+" else offset
    return float(Decimal(whole) + fraction)
