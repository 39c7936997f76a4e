"""Report periods: a month / quarter / year around a day, or an explicit from–to, and the one before."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext

from ..models.periods import EARLIEST, LATEST, plausible

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PERIODS = ("month", "quarter", "year")
MAX_DAYS = 366 * 5  # an explicit range longer than five years is a typo, not a report


@dataclass(frozen=True)
class Period:
    """A reporting period (both days included) and the previous period of the same kind."""

    kind: str  # month / quarter / year / range
    start: date
    end: date
    previous_start: date
    previous_end: date

    @property
    def name(self) -> str:
        """`2026-03`, `2026-Q1`, `2026`, or `2026-03-01 – 2026-03-15`."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start} – {self.end}"


def _first_of(year: int, month: int) -> date:
    year += (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def period_of(kind: str, day: date) -> Period:
    """The month / quarter / year holding `day`, and the one before it."""
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    first_month = 1 if kind == "year" else day.month - (day.month - 1) % months
    start = date(day.year, first_month, 1)
    end = _first_of(start.year, start.month + months) - timedelta(days=1)
    previous_start = _first_of(start.year, start.month - months)
    return Period(kind, start, end, previous_start, start - timedelta(days=1))


def range_period(start: date, end: date) -> Period:
    """An explicit range; the previous period is as many days just before it."""
    days = (end - start).days + 1
    return Period("range", start, end, start - timedelta(days=days), start - timedelta(days=1))


def parse_date(name: str, raw: str) -> date:
    """A YYYY-MM-DD argument; ValueError with a message when malformed."""
    if not DATE.match(raw):
        raise ValueError(gettext("'%(name)s' must be a date written YYYY-MM-DD, not %(raw)r.", name=name, raw=raw))
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(gettext("'%(name)s' is not a real date: %(raw)r.", name=name, raw=raw)) from None
    if not plausible(day):
        raise ValueError(gettext("'%(name)s' must lie between %(start)s and %(end)s.", name=name,
                                 start=EARLIEST.isoformat(), end=LATEST.isoformat()))
    return day


def parse_period(args: Mapping[str, str], today: date) -> Period:
    """`period=month|quarter|year&date=…` (default: this month) or `from=…&to=…`; ValueError on bad input."""
    raw_from, raw_to = args.get("from") or "", args.get("to") or ""
    if raw_from or raw_to:
        if not (raw_from and raw_to):
            raise ValueError(gettext("Give both 'from' and 'to', or a period and a date."))
        start, end = parse_date("from", raw_from), parse_date("to", raw_to)
        if start > end:
            raise ValueError(gettext("'from' must not be after 'to'."))
        if (end - start).days > MAX_DAYS:
            raise ValueError(gettext("A report covers at most five years."))
        return range_period(start, end)
    kind = args.get("period") or "month"
    if kind not in PERIODS:
        raise ValueError(gettext("Unknown period %(raw)r: use month, quarter or year.", raw=kind))
    raw_day = args.get("date") or ""
    return period_of(kind, parse_date("date", raw_day) if raw_day else today)
