"""The one clock: "now" and "today" for every rule, and the conversions at the edges.

Inside the application every timestamp is a *naive UTC* ``datetime`` (what the
columns store; PostgreSQL columns are ``timestamptz`` and the column type turns
them back into naive UTC). People see and type times in ``APP_TIMEZONE``
(default Asia/Shanghai); the API sends ISO 8601 with the offset. Convert only at
those edges, with the functions below — never ``datetime.now()`` or
``date.today()`` in a rule.

Tests move the clock with ``frozen(at)``.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import overload
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M"

_frozen: datetime | None = None


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_name() -> str:
    if has_app_context():
        return current_app.config.get("APP_TIMEZONE") or DEFAULT_TIMEZONE
    return os.environ.get("APP_TIMEZONE") or DEFAULT_TIMEZONE


def local_zone() -> ZoneInfo:
    """The zone people live in (APP_TIMEZONE)."""
    return _zone(zone_name())


def now_utc() -> datetime:
    """Now, as naive UTC (the stored form)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC).replace(tzinfo=None)


def now_local() -> datetime:
    """Now, as an aware datetime in APP_TIMEZONE."""
    return to_local(now_utc())


def today_local() -> date:
    """Today's date in APP_TIMEZONE: what "today" means for due lists, overdue flags, periods."""
    return now_local().date()


def to_utc(value: datetime) -> datetime:
    """Naive UTC from any datetime: an aware one is converted, a naive one is taken as UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


@overload
def to_local(value: datetime) -> datetime: ...
@overload
def to_local(value: None) -> None: ...
@overload
def to_local(value: datetime | None) -> datetime | None: ...
def to_local(value: datetime | None) -> datetime | None:
    """Aware local time of a stored value (naive = UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(local_zone())


def local_wall_time(value: datetime) -> datetime:
    """Naive local wall time of a stored value: for writers that carry no zone (Excel cells)."""
    return to_local(value).replace(tzinfo=None)


@overload
def from_local(value: datetime) -> datetime: ...
@overload
def from_local(value: None) -> None: ...
@overload
def from_local(value: datetime | None) -> datetime | None: ...
def from_local(value: datetime | None) -> datetime | None:
    """Naive UTC of a typed value: a naive value is local wall time, an aware one keeps its offset."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone())
    return value.astimezone(UTC).replace(tzinfo=None)


def local_day_start(day: date) -> datetime:
    """Naive UTC of local midnight at the start of ``day`` (period bounds on timestamp columns)."""
    return from_local(datetime.combine(day, time.min))


def local_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Naive UTC [start, end) covering the local days first..last inclusive."""
    return local_day_start(first), local_day_start(last + timedelta(days=1))


def format_datetime(value: datetime | None) -> str:
    """``YYYY-MM-DD HH:mm`` in APP_TIMEZONE (the one display form of a date-time)."""
    return to_local(value).strftime(DATETIME_FORMAT) if value is not None else ""


def format_date(value: date | datetime | None) -> str:
    """``YYYY-MM-DD`` (a datetime shows its local date)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return value.strftime(DATE_FORMAT)


def isoformat(value: datetime | None) -> str | None:
    """ISO 8601 with the offset, in APP_TIMEZONE (the API's form): 2026-12-01T19:30:00+08:00."""
    return to_local(value).isoformat(timespec="seconds") if value is not None else None


@contextlib.contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    """Tests: make now_utc() answer ``at`` (naive UTC, or aware) inside the block."""
    global _frozen
    previous, _frozen = _frozen, to_utc(at)
    try:
        yield _frozen
    finally:
        _frozen = previous
