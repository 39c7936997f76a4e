"""The SQL of a chart (app/charts.py): one aggregate query, shaped so a big table is read once.

Two shapes besides the plain `SELECT dim, series, measure … GROUP BY dim, series`, both for
the year-long charts at a real department's size (docs/PERFORMANCE.md):

- **Date buckets over a period** join the period's buckets as a small table of UTC bounds
  (`WITH bucket(key, lo, hi) AS (VALUES …)`, computed in Python with the zone's rules) to an
  index range scan of the timestamp, instead of computing the local day / week / month of
  every row in SQL (SQLite parses each stored text for that). The bounds are exact in every
  zone, daylight saving included; the per-row `date_bucket` is kept for charts without a
  period or with more buckets than a VALUES list should carry.
- **A dimension on a many-to-one relation** (`customer.name`) is grouped by the foreign key
  first, from the covering index, and the few thousand groups are joined to their names after,
  instead of joining every ticket to its customer row; groups with the same name then add up
  as before (a sum of counts / sums; an average as Σ value / Σ count).
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from . import clock
from .date_buckets import bucket_bounds, date_bucket
from .extensions import db

if TYPE_CHECKING:
    from .charts import Chart

# above this many buckets (a daily chart over years) the per-row bucket expression is used
MAX_JOINED_BUCKETS = 400


def column_of(model, path: str):
    """`severity` → Ticket.severity; `customer.region` → (Customer.region, join Ticket.customer)."""
    if "." not in path:
        return getattr(model, path), None
    rel_name, col_name = path.split(".", 1)
    rel = getattr(model, rel_name)
    target = sa.orm.aliased(rel.property.mapper.class_, name=f"{rel_name}_dim")
    return getattr(target, col_name), (target, rel.of_type(target))


def _value(chart: Chart):
    if chart.measure == "count":
        return None
    return chart.value_column() if callable(chart.value_column) else getattr(chart.model, chart.value_column)


def _filters(chart: Chart, period: tuple[date, date] | None, own_ids, bucketed: bool) -> list:
    """The WHERE of the rows counted: the chart's own filter, the period, a field engineer's rows."""
    model, where = chart.model, []
    if chart.where is not None:
        where.append(chart.where())
    if period is not None and chart.period_column and not bucketed:  # buckets carry the period
        start, end = period
        col = getattr(model, chart.period_column)
        if isinstance(col.type, sa.Date) and not isinstance(col.type, sa.DateTime):
            where += [col >= start, col <= end]
        else:  # a timestamp: the local days first..last, as UTC bounds
            first, after = clock.local_day_bounds(start, end)
            where += [col >= first, col < after]
    if own_ids is not None and chart.own_rows:
        where.append(getattr(model, chart.own_rows).in_(own_ids))
    return where


def _is_timestamp(col) -> bool:
    kind = getattr(col, "type", None)
    return isinstance(kind, sa.DateTime) or isinstance(getattr(kind, "impl", None), sa.DateTime)


def _bucket_table(chart: Chart, dim_col, period):
    """The period's buckets as a CTE (key, lo, hi), or None when the per-row expression applies."""
    if not (chart.bucket and period is not None and chart.period_column == chart.dimension
            and _is_timestamp(dim_col)):
        return None
    bounds = bucket_bounds(period[0], period[1], chart.bucket)
    if not bounds or len(bounds) > MAX_JOINED_BUCKETS:
        return None
    return sa.values(sa.column("key", sa.String()), sa.column("lo", dim_col.type),
                     sa.column("hi", dim_col.type), name="bucket").data(bounds).cte("bucket")


def _foreign_key(chart: Chart):
    """The local foreign-key column of a `relation.column` dimension, when its groups may be pushed down."""
    if "." not in chart.dimension or (chart.series and "." in chart.series):
        return None
    prop = getattr(chart.model, chart.dimension.split(".", 1)[0]).property
    pairs = list(prop.local_remote_pairs or [])
    if prop.direction.name != "MANYTOONE" or len(pairs) != 1:
        return None
    local, remote = pairs[0]
    return getattr(chart.model, local.key), remote


def chart_query(chart: Chart, period: tuple[date, date] | None = None,
                own_ids=None) -> list[tuple]:
    """Rows of (dimension, series or None, value), aggregated by the database."""
    dim_col, dim_join = column_of(chart.model, chart.dimension)
    ser_col = column_of(chart.model, chart.series)[0] if chart.series else None
    pushed = _foreign_key(chart)
    if pushed is not None:
        return _grouped_by_key_first(chart, dim_col, dim_join[0], ser_col, pushed, period, own_ids)
    return _one_pass(chart, dim_col, dim_join, period, own_ids)


def _measure(chart: Chart):
    value = _value(chart)
    return sa.func.count() if value is None else getattr(sa.func, chart.measure)(value)


def _one_pass(chart: Chart, dim_col, dim_join, period, own_ids) -> list[tuple]:
    model = chart.model
    buckets = _bucket_table(chart, dim_col, period)
    if buckets is not None:
        dim_expr = buckets.c.key
    else:
        dim_expr = date_bucket(dim_col, chart.bucket) if chart.bucket else dim_col
    ser_col, ser_join = column_of(model, chart.series) if chart.series else (None, None)
    measure = _measure(chart)
    query = sa.select(dim_expr.label("dim"), (ser_col if ser_col is not None else sa.null()).label("ser"),
                      measure.label("value"))
    if buckets is not None:
        query = query.select_from(buckets).join(model, sa.and_(dim_col >= buckets.c.lo, dim_col < buckets.c.hi))
    else:
        query = query.select_from(model)
    for join in (dim_join, ser_join):
        if join is not None:
            query = query.outerjoin(join[1])
    query = query.where(*_filters(chart, period, own_ids, buckets is not None))
    group = [dim_expr] + ([ser_col] if ser_col is not None else [])
    query = query.where(dim_col.is_not(None)).group_by(*group)
    if chart.limit and not chart.series:
        query = query.order_by(measure.desc(), dim_expr).limit(chart.limit)
    return list(db.session.execute(query).all())


def _grouped_by_key_first(chart: Chart, dim_col, target, ser_col, pushed, period, own_ids) -> list[tuple]:
    """GROUP BY the foreign key (and series) over the big table, then by the related column."""
    fk, remote = pushed
    value = _value(chart)
    parts: list[Any] = [fk.label("fk"), (ser_col if ser_col is not None else sa.null()).label("ser")]
    if value is None:
        parts.append(sa.func.count().label("n"))
    else:
        parts += [sa.func.sum(value).label("s"), sa.func.count(value).label("n")]
    inner = (sa.select(*parts).where(fk.is_not(None), *_filters(chart, period, own_ids, False))
             .group_by(fk, *([ser_col] if ser_col is not None else [])).subquery("by_key"))
    if chart.measure == "count":
        measure = sa.cast(sa.func.sum(inner.c.n), sa.Integer)
    elif chart.measure == "sum":
        measure = sa.func.sum(inner.c.s)
    else:  # avg: Σ value / Σ non-null count of every group with the same related value
        measure = sa.cast(sa.func.sum(inner.c.s), sa.Float) / sa.func.nullif(sa.func.sum(inner.c.n), 0)
    query = (sa.select(dim_col.label("dim"), inner.c.ser.label("ser"), measure.label("value"))
             .select_from(inner).join(target, getattr(target, remote.key) == inner.c.fk)
             .where(dim_col.is_not(None)).group_by(dim_col, inner.c.ser))
    if chart.limit and not chart.series:
        query = query.order_by(measure.desc(), dim_col).limit(chart.limit)
    return list(db.session.execute(query).all())
