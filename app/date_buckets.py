"""Time in chart queries: the date bucket (day / ISO week / month) and the hours between two timestamps as
one SQL expression compiled per dialect, and the buckets' Python twins (app/charts.py groups by them)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

from . import clock

BUCKETS = ("day", "week", "month")


class date_bucket(FunctionElement):
    """The first day ('YYYY-MM-DD') of the day / ISO week / month a value falls in; a timestamp
    (stored UTC) falls in the day of APP_TIMEZONE it happened on, a date in its own day."""

    type = sa.String()
    inherit_cache = True
    name = "date_bucket"
    # unit and zone are part of the statement cache key, or 'week' would reuse the 'day' SQL
    _traverse_internals = FunctionElement._traverse_internals + [
        ("unit", InternalTraversal.dp_string), ("zone", InternalTraversal.dp_string),
        ("shift", InternalTraversal.dp_string)]

    def __init__(self, column, unit: str):
        if unit not in BUCKETS:
            raise ValueError(f"unknown date bucket {unit!r}")
        self.unit = unit
        timestamp = isinstance(getattr(column, "type", None), sa.DateTime) or isinstance(
            getattr(getattr(column, "type", None), "impl", None), sa.DateTime)
        self.zone = clock.zone_name() if timestamp else ""
        # SQLite has no zone rules: today's offset (exact for Asia/Shanghai, which has no DST)
        offset = clock.now_local().utcoffset() if timestamp else None
        self.shift = f"{int(offset.total_seconds() // 60):+d} minutes" if offset is not None else ""
        super().__init__(column)


@compiles(date_bucket)
def _bucket_default(element, compiler, **kw):  # SQLite
    col = compiler.process(list(element.clauses)[0], **kw)
    shift = f", '{element.shift}'" if element.shift else ""
    if element.unit == "day":
        return f"strftime('%Y-%m-%d', {col}{shift})"
    if element.unit == "month":
        return f"strftime('%Y-%m-01', {col}{shift})"
    # 'weekday 0' moves forward to Sunday (or stays); 6 days back is that week's Monday
    return f"date({col}{shift}, 'weekday 0', '-6 days')"


@compiles(date_bucket, "postgresql")
def _bucket_postgresql(element, compiler, **kw):
    col = compiler.process(list(element.clauses)[0], **kw)
    if element.zone:
        col = f"({col} AT TIME ZONE '{_sql_zone(element.zone)}')"
    return f"to_char(date_trunc('{element.unit}', {col}), 'YYYY-MM-DD')"


def _sql_zone(name: str) -> str:
    """A zone name safe to write into SQL (IANA names only hold these characters)."""
    if not all(ch.isalnum() or ch in "/_+-" for ch in name):
        raise ValueError(f"not a time zone name: {name!r}")
    return name


class hours_between(FunctionElement):
    """Hours from one timestamp to another, as a float (NULL when either is NULL)."""

    type = sa.Float()
    inherit_cache = True
    name = "hours_between"


@compiles(hours_between)
def _hours_default(element, compiler, **kw):  # SQLite: julian days
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


@compiles(hours_between, "postgresql")
def _hours_postgresql(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"


def bucket_start(day: date, unit: str) -> date:
    """The Python twin of date_bucket: the first day of the bucket holding `day`."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def bucket_bounds(first: date, last: date, unit: str) -> list[tuple[str, datetime, datetime]]:
    """Every bucket touching the local days first..last: its key (its first day, as date_bucket
    gives it) and the naive UTC [start, end) of its days inside the period, by the zone's rules."""
    bounds, day = [], bucket_start(first, unit)
    while day <= last:
        after = next_bucket(day, unit)
        start, end = clock.local_day_bounds(max(day, first), min(after - timedelta(days=1), last))
        bounds.append((day.isoformat(), start, end))
        day = after
    return bounds


def next_bucket(day: date, unit: str) -> date:
    if unit == "day":
        return day + timedelta(days=1)
    if unit == "week":
        return day + timedelta(days=7)
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def bucket_label(day: date, unit: str) -> str:
    """A bucket's label, the one date form of every screen: '2026-11-23' (a day, a week's
    Monday), '2026-11' (a month)."""
    return day.strftime("%Y-%m") if unit == "month" else clock.format_date(day)
