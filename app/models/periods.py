"""Reporting periods written as text: a year `2026`, a quarter `2026-Q2`, a month `2026-03`."""
from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

YEAR, QUARTER, MONTH = "year", "quarter", "month"
# The dates a person may type or ask about: outside, it is a slip or a probe (and date
# arithmetic past year 9999 overflows).
EARLIEST = date(1990, 1, 1)
LATEST = date(2099, 12, 31)


def plausible(day: date) -> bool:
    return EARLIEST <= day <= LATEST
_PATTERNS = {
    YEAR: re.compile(r"^(\d{4})$"),
    QUARTER: re.compile(r"^(\d{4})-Q([1-4])$"),
    MONTH: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
}


def period_kind(text: str | None) -> str | None:
    """`year`, `quarter` or `month`, or None when the text is no period."""
    for kind, pattern in _PATTERNS.items():
        if text and pattern.match(text.strip()):
            return kind
    return None


def period_bounds(text: str) -> tuple[date, date]:
    """First and last day (inclusive) of a period; ValueError if it is none."""
    text = (text or "").strip()
    kind = period_kind(text)
    if kind is None:
        raise ValueError(f"not a period: {text!r}")
    match = _PATTERNS[kind].match(text)
    if match is None:  # kind_of matched this pattern already
        raise ValueError(f"not a period: {text!r}")
    year = int(match.group(1))
    if kind == YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    first_month = (int(match.group(2)) - 1) * 3 + 1 if kind == QUARTER else int(match.group(2))
    months = 3 if kind == QUARTER else 1
    start = date(year, first_month, 1)
    nxt = date(year + (first_month + months - 1) // 12, (first_month + months - 1) % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


class Periodic:
    """A record of one period typed as text (a budget, an appraisal), with its first and last day, what
    the queries use, derived from the text on every save (`sync_period`, from the model's `sync_derived`).
    `PERIOD_KINDS`: the kinds of period the record takes."""

    PERIOD_KINDS: tuple[str, ...] = (YEAR, QUARTER, MONTH)
    __field_labels__ = {"period_start": _l("From"), "period_end": _l("To")}

    period: Mapped[str] = mapped_column(sa.String(7), index=True)
    period_start: Mapped[date] = mapped_column(index=True)
    period_end: Mapped[date] = mapped_column()

    def sync_period(self) -> None:
        """The bounds of a well-typed period (the text trimmed); a bad one is left to validation."""
        if period_kind(self.period) in self.PERIOD_KINDS:
            self.period = self.period.strip()
            self.period_start, self.period_end = period_bounds(self.period)
