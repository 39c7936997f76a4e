"""Pure rules of the customer's story page: warranty state of a project or a piece of
equipment on a local day, and the satisfaction trend (average score per quarter)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from .. import clock

EXPIRES_SOON_DAYS = 60  # a warranty ending within two months is worth a word to the customer


@dataclass(frozen=True)
class WarrantyState:
    level: str  # "in" | "soon" | "expired" | "future" | "none"
    label: str
    until: date | None

    @property
    def css(self) -> str:
        return {"in": "label-success", "soon": "label-warning", "expired": "label-default",
                "future": "label-info"}.get(self.level, "label-default")


def warranty_state(start: date | None, end: date | None, today: date) -> WarrantyState:
    """In warranty / expires on a day soon / expired, judged on the local calendar day."""
    if end is None:
        return WarrantyState("none", _("No warranty on record"), None)
    if start is not None and today < start:
        return WarrantyState("future", _("Warranty from %(day)s", day=clock.format_date(start)), end)
    if today > end:
        return WarrantyState("expired", _("Expired on %(day)s", day=clock.format_date(end)), end)
    if (end - today).days <= EXPIRES_SOON_DAYS:
        return WarrantyState("soon", _("Expires on %(day)s", day=clock.format_date(end)), end)
    return WarrantyState("in", _("In warranty until %(day)s", day=clock.format_date(end)), end)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def last_quarters(today: date, count: int = 4) -> list[tuple[int, int]]:
    """The current quarter and the ones before it, oldest first."""
    year, q = quarter_of(today)
    out = []
    for _i in range(count):
        out.append((year, q))
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)
    return out[::-1]


def year_ago(today: date) -> date:
    """The first day of the oldest quarter of the trend."""
    year, q = last_quarters(today)[0]
    return date(year, (q - 1) * 3 + 1, 1)


@dataclass(frozen=True)
class TrendPoint:
    label: str
    count: int
    average: float | None

    @property
    def percent(self) -> int:
        """Width of the inline bar: the average on the 1–5 scale as a share of 5."""
        return round((self.average or 0) / 5 * 100)


def satisfaction_trend(rows: list[tuple[datetime, float]], today: date) -> list[TrendPoint]:
    """(surveyed_at UTC, average score) rows → one point per quarter of the last year."""
    buckets: dict[tuple[int, int], list[float]] = {q: [] for q in last_quarters(today)}
    for at, score in rows:
        key = quarter_of(clock.to_local(at).date())
        if key in buckets and score is not None:
            buckets[key].append(score)
    return [TrendPoint(_("%(year)s Q%(quarter)s", year=y, quarter=q), len(v),
                       round(sum(v) / len(v), 2) if v else None)
            for (y, q), v in buckets.items()]
