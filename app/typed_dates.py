"""Dates and times as people type them (`YYYY-MM-DD`, `YYYY-MM-DD HH:mm`), read in APP_TIMEZONE
into naive UTC: the date boxes of the forms (views/date_entry.py) and the filter-value checks
(security/filter_values.py) read a value the same way."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from . import clock

_TYPED = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:\s+|\s*T\s*)(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def typed_parts(text: str) -> tuple[int, int, int, int | None, int | None, int | None] | None:
    """year, month, day, hour, minute, second of a typed `YYYY-MM-DD[ HH:mm[:ss]]`; None if not."""
    match = _TYPED.match((text or "").strip())
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g is not None else None for g in match.groups())
    assert year is not None and month is not None and day is not None  # the pattern requires them
    return year, month, day, hour, minute, second


def parse_date(text: str) -> date:
    """`2026-12-01` → date; anything else (a time, a 31 November) raises ValueError."""
    parts = typed_parts(text)
    if parts is None or parts[3] is not None:
        raise ValueError(text)
    return date(parts[0], parts[1], parts[2])


def parse_local_datetime(text: str) -> datetime:
    """A typed local wall time (`YYYY-MM-DD HH:mm`, `:ss`, `T`; ISO with an offset) → naive UTC."""
    parts = typed_parts(text)
    if parts is not None and parts[3] is not None:
        year, month, day, hour, minute, second = parts
        # the pattern has the minutes whenever it has the hour
        return clock.from_local(datetime(year, month, day, hour or 0, minute or 0, second or 0))
    text = (text or "").strip()
    if len(text) > 10 and text[10] in "T " and re.search(r"([+-]\d{2}:?\d{2}|Z)$", text):
        return clock.from_local(datetime.fromisoformat(text))  # pasted ISO 8601 keeps its offset
    raise ValueError(text)


def local_moment_bounds(text: str) -> tuple[datetime, datetime] | None:
    """What a filter value means on a timestamp column: [start, end) in naive UTC, or None.

    `2026-12-01` is that local day, `2026-12-01 19:30` that minute, with seconds that second.
    """
    try:
        day = parse_date(text)
    except ValueError:
        pass
    else:
        return clock.local_day_bounds(day, day)
    try:
        start = parse_local_datetime(text)
    except ValueError:
        return None
    seconds = typed_parts(text)
    step = timedelta(minutes=1) if seconds is not None and seconds[5] is None else timedelta(seconds=1)
    return start, start + step
