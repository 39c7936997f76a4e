"""Declarative charts on models: GROUP BY in the database, served as JSON (docs/CHARTS.md).

    register(Chart(
        "tickets_by_severity", Ticket, _l("Open tickets by severity"),
        dimension="severity", where=lambda: Ticket.status.in_(OPEN), kind="pie",
    ))
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import clock
from .chart_sql import chart_query, column_of
from .date_buckets import BUCKETS, bucket_label, bucket_start, next_bucket
from .models.base import CodeEnum

KINDS = ("bar", "line", "pie", "hbar")
MEASURES = ("count", "sum", "avg")
VALUE_FORMATS = ("number", "percent", "hours")


# --- the declaration ------------------------------------------------------------------
@dataclass
class Chart:
    """One chart: model, dimension (column, `relation.column` or date bucket), measure, filter."""

    name: str
    model: type
    title: Any
    dimension: str
    measure: str = "count"
    value_column: str | Callable[[], Any] | None = None  # sum / avg of a column or an expression
    value_format: str = "number"  # number / percent (0–1) / hours: how the page shows values
    bucket: str | None = None  # day / week / month when the dimension is a timestamp
    series: str | None = None  # a second dimension: one series (stack) per value
    where: Callable[[], Any] | None = None  # called per request, so "now" is fresh
    period_column: str | None = None  # filtered by the ?from=&to= of the request
    kind: str = "bar"
    stack: bool = False
    limit: int | None = None  # top N by measure
    resource: str | None = None  # policy resource; default: the model's table name
    permission: tuple[str, str] | None = None  # explicit (view, permission) instead
    own_rows: str | None = None  # column restricted to a field engineer's own rows
    unit_label: Any = None

    def __post_init__(self):
        if self.measure not in MEASURES:
            raise ValueError(f"{self.name}: measure must be one of {MEASURES}")
        if self.measure != "count" and not self.value_column:
            raise ValueError(f"{self.name}: {self.measure} needs value_column")
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: kind must be one of {KINDS}")
        if self.value_format not in VALUE_FORMATS:
            raise ValueError(f"{self.name}: value_format must be one of {VALUE_FORMATS}")
        if self.bucket is not None and self.bucket not in BUCKETS:
            raise ValueError(f"{self.name}: bucket must be one of {BUCKETS}")
        self.resource = self.resource or self.model.__tablename__


CHARTS: dict[str, Chart] = {}


def register(chart: Chart) -> Chart:
    """Add a chart to the registry (its name is its URL: /api/v1/chart/<name>)."""
    if chart.name in CHARTS and CHARTS[chart.name] is not chart:
        raise ValueError(f"chart {chart.name!r} is declared twice")
    CHARTS[chart.name] = chart
    return chart


# --- the answer -----------------------------------------------------------------------
def _enum_of(col):
    enum_cls = getattr(getattr(col, "type", None), "enum_class", None)
    return enum_cls if enum_cls and issubclass(enum_cls, CodeEnum) else None


def _number(value):
    if value is None:
        return None
    as_float = float(value)
    return int(as_float) if chart_is_integral(value) else round(as_float, 4)


def chart_is_integral(value) -> bool:
    return isinstance(value, int) or (hasattr(value, "is_integer") and value.is_integer())


def chart_data(chart: Chart, period: tuple[date, date] | None = None, own_ids=None) -> dict:
    """The JSON the page draws: categories, one or more series, and `empty` when there is no row."""
    rows = chart_query(chart, period, own_ids)
    dim_col, _ = column_of(chart.model, chart.dimension)
    ser_col, _ = column_of(chart.model, chart.series) if chart.series else (None, None)
    dim_enum = None if chart.bucket else _enum_of(dim_col)
    ser_enum = _enum_of(ser_col) if ser_col is not None else None

    keys = _dimension_keys(chart, rows, dim_enum, period)
    series_keys = _ordered({r.ser for r in rows}, ser_enum) if chart.series else [None]
    table = {(r.dim, r.ser if chart.series else None): r.value for r in rows}
    series = []
    for skey in series_keys:
        name = _display(skey, ser_enum) if chart.series else str(chart.unit_label or chart.title)
        # a missing count is 0; a missing average is a gap, not 0 h / 0 %
        gap = None if chart.measure == "avg" else 0
        data = [_number(table.get((key, skey), gap)) for key in keys]
        series.append({"key": skey, "name": name, "data": data})
    if chart.limit and chart.series:  # top N categories by their total across series
        totals = {k: sum(s["data"][i] or 0 for s in series) for i, k in enumerate(keys)}
        keep = sorted(keys, key=lambda k: -totals[k])[: chart.limit]
        idx = [keys.index(k) for k in keep]
        keys = keep
        for s in series:
            s["data"] = [s["data"][i] for i in idx]
    categories = [
        bucket_label(date.fromisoformat(str(k)[:10]), chart.bucket) if chart.bucket
        else _display(k, dim_enum) for k in keys
    ]
    return {
        "name": chart.name,
        "title": str(chart.title),
        "kind": chart.kind,
        "stack": chart.stack,
        "value_format": chart.value_format,
        "keys": [str(k) for k in keys],
        "categories": categories,
        "series": series,
        "empty": not rows,
    }


def _dimension_keys(chart, rows, dim_enum, period) -> list:
    present = {r.dim for r in rows}
    if chart.bucket:
        return _fill_buckets(present, chart.bucket, period)
    if dim_enum is not None:
        return _ordered(present, dim_enum)
    if chart.limit:  # rows come ordered by measure already
        seen = []
        for r in rows:
            if r.dim not in seen:
                seen.append(r.dim)
        return seen
    return sorted(present, key=lambda v: (v is None, str(v)))


def _fill_buckets(present: set, unit: str, period) -> list[str]:
    """Every bucket from the first to the last (or over the period), so gaps show as 0."""
    days = sorted(date.fromisoformat(str(v)[:10]) for v in present)
    if period is not None:
        first, last = bucket_start(period[0], unit), period[1]
    elif days:
        first, last = days[0], days[-1]
    else:
        return []
    keys, day = [], bucket_start(first, unit)
    while day <= last and len(keys) < 1000:
        keys.append(day.isoformat())
        day = next_bucket(day, unit)
    return keys


def _ordered(values: set, enum_cls) -> list:
    if enum_cls is None:
        return sorted(values, key=lambda v: (v is None, str(v)))
    order = {m.value: i for i, m in enumerate(enum_cls)}
    return sorted(values, key=lambda v: order.get(str(v), len(order)))


def _display(value, enum_cls) -> str:
    if value is None:
        return "—"
    if enum_cls is not None:
        try:
            return enum_cls(value).label
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        return clock.format_datetime(value)
    if isinstance(value, date):
        return clock.format_date(value)
    return str(value)
