"""The SQL of a chart (app/charts.py): one aggregate query, shaped so a big table is read once.

Three shapes besides the plain `SELECT dim, series, measure … GROUP BY dim, series`, all for
the half-year charts at a real department's size (100 000 tickets; docs/PERFORMANCE.md). What
costs there is not reading the covering index but GROUP BY: SQLite sorts every row into a
temporary B-tree first (three severities: 83 ms grouped, 38 ms counted as three columns).

- **Enum columns as columns**: a dimension or series that is one of our enums (severity,
  channel, category …) is counted as one aggregate per member (`count(CASE WHEN severity =
  'general' THEN 1 END)`, …) in a single row, and turned back into rows here; no sort at all.
- **Date buckets over a period**: one such select per bucket over its UTC bounds (computed in
  Python by the zone's rules, exact with daylight saving), `UNION ALL`-ed, instead of the local
  day / week / month computed per row in SQL and grouped by. The per-row `date_bucket` stays
  for charts without a period or with more buckets than one statement should carry.
- **A dimension on a many-to-one relation** (`customer.name`) is grouped by the foreign key
  first, from the covering index, and the few thousand groups are joined to their names after,
  instead of joining every ticket to its customer row; groups with the same name then add up
  as before (a sum of counts / sums; an average as Σ value / Σ count).

All three are SQLite's: PostgreSQL groups by hashing, and there they measured slower (a tenth:
weekly intake 16–21 ms grouped, 45–50 ms as 26 selects; the hot spots 6–14 ms joined, 13–21
ms grouped by key first), so it gets the plain GROUP BY.
"""
from __future__ import annotations

from collections import namedtuple
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.sql import util as sql_util

from . import clock
from .date_buckets import bucket_bounds, date_bucket
from .extensions import db
from .models.base import CodeEnum

if TYPE_CHECKING:
    from .charts import Chart

# above this many buckets (a daily chart over years) the per-row bucket expression is used;
# SQLite allows 500 selects in one compound statement
MAX_BUCKET_SELECTS = 400
# above this many cells (dimension members × series members) a chart is grouped by, not pivoted:
# each cell is one CASE per row (open tickets by 6 statuses × 3 severities: faster grouped)
MAX_CELLS = 12

Row = namedtuple("Row", "dim ser value")


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
    return chart.value_column() if callable(chart.value_column) else getattr(chart.model, str(chart.value_column))


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


def _members(chart: Chart, path: str | None) -> list | None:
    """The members of a plain enum column of the chart's model (None: not one)."""
    if not path or "." in path:
        return None
    enum_cls = getattr(getattr(getattr(chart.model, path), "type", None), "enum_class", None)
    return list(enum_cls) if enum_cls and issubclass(enum_cls, CodeEnum) else None


def _bucket_bounds(chart: Chart, dim_col, period) -> list | None:
    """(key, UTC start, UTC end) of each bucket of the period, or None when the per-row expression applies."""
    if not (chart.bucket and period is not None and chart.period_column == chart.dimension
            and _is_timestamp(dim_col)):
        return None
    bounds = bucket_bounds(period[0], period[1], chart.bucket)
    return bounds if 0 < len(bounds) <= MAX_BUCKET_SELECTS else None


def _foreign_key(chart: Chart):
    """The local foreign-key column of a `relation.column` dimension, when its groups may be pushed down."""
    if "." not in chart.dimension or chart.bucket or (chart.series and "." in chart.series):
        return None
    value = _value(chart)  # summed before the join: it may read the chart's own table only
    if value is not None and any(t is not sa.inspect(chart.model).local_table for t in sql_util.find_tables(value)):
        return None
    prop = getattr(chart.model, chart.dimension.split(".", 1)[0]).property
    pairs = list(prop.local_remote_pairs or [])
    if prop.direction.name != "MANYTOONE" or len(pairs) != 1:
        return None
    local, remote = pairs[0]
    return getattr(chart.model, local.key), remote


def chart_query(chart: Chart, period: tuple[date, date] | None = None,
                own_ids=None) -> list[Any]:
    """Rows of (dimension, series or None, value), aggregated by the database."""
    if db.engine.dialect.name == "postgresql":  # hash aggregates: grouping sorts nothing there
        dim_col, dim_join = column_of(chart.model, chart.dimension)
        return _one_pass(chart, dim_col, dim_join, period, own_ids)
    return shaped_query(chart, period, own_ids)


def shaped_query(chart: Chart, period: tuple[date, date] | None = None, own_ids=None) -> list[Any]:
    """chart_query in the shape that sorts least (portable SQL: the tests run it on both databases)."""
    dim_col, dim_join = column_of(chart.model, chart.dimension)
    ser_col = column_of(chart.model, chart.series)[0] if chart.series else None
    pushed = _foreign_key(chart)
    if pushed is not None:
        return _grouped_by_key_first(chart, dim_col, dim_join[0], ser_col, pushed, period, own_ids)
    ser_members = _members(chart, chart.series)
    pivot_series = ser_members is not None or not chart.series
    bounds = _bucket_bounds(chart, dim_col, period)
    if bounds is not None and pivot_series and not chart.limit and len(ser_members or [None]) <= MAX_CELLS:
        return _per_bucket(chart, dim_col, bounds, ser_members, own_ids)
    dim_members = None if chart.bucket else _members(chart, chart.dimension)
    if (dim_members is not None and pivot_series and not chart.limit
            and len(dim_members) * len(ser_members or [None]) <= MAX_CELLS):
        return _pivoted(chart, dim_members, ser_members, period, own_ids)
    return _one_pass(chart, dim_col, dim_join, period, own_ids)


def _measure(chart: Chart):
    value = _value(chart)
    return sa.func.count() if value is None else getattr(sa.func, chart.measure)(value)


def _cells(chart: Chart, dim_members: list, ser_members: list | None) -> tuple[list, list]:
    """Aggregate columns of one row: per (dimension, series) cell its row count and its measure."""
    value, columns, keys = _value(chart), [], []
    dim_col = None if dim_members == [None] else getattr(chart.model, chart.dimension)
    ser_col = getattr(chart.model, str(chart.series)) if ser_members else None
    for dim in dim_members:
        for ser in ser_members or [None]:
            cond = [c == m for c, m in ((dim_col, dim), (ser_col, ser)) if c is not None]
            if not cond:  # one cell: the whole range
                columns += [sa.func.count()] + ([] if value is None else [getattr(sa.func, chart.measure)(value)])
            else:
                hit = sa.and_(*cond)
                columns.append(sa.func.count(sa.case((hit, sa.literal(1)))))
                if value is not None:
                    columns.append(getattr(sa.func, chart.measure)(sa.case((hit, value))))
            keys.append((dim, ser))
    return columns, keys


def _unpivot(chart: Chart, row, keys: list, dim=None) -> list[Row]:
    """Rows of the cells that hold any row (GROUP BY gives no group for an empty one)."""
    width = 1 if chart.measure == "count" else 2
    out = []
    for i, (dim_key, ser_key) in enumerate(keys):
        n = row[i * width]
        if n:
            out.append(Row(dim if dim is not None else dim_key, ser_key, n if width == 1 else row[i * width + 1]))
    return out


def _pivoted(chart: Chart, dim_members, ser_members, period, own_ids) -> list[Row]:
    columns, keys = _cells(chart, dim_members, ser_members)
    row = db.session.execute(sa.select(*columns).select_from(chart.model)
                             .where(*_filters(chart, period, own_ids, False))).one()
    return _unpivot(chart, row, keys)


def _per_bucket(chart: Chart, dim_col, bounds, ser_members, own_ids) -> list[Row]:
    """One select per bucket over its UTC bounds, the series as columns, all in one statement."""
    columns, keys = _cells(chart, [None], ser_members)
    where = _filters(chart, None, own_ids, True)
    selects = [sa.select(sa.literal(key).label("bucket"), *columns).select_from(chart.model)
               .where(dim_col >= start, dim_col < end, *where) for key, start, end in bounds]
    statement = selects[0] if len(selects) == 1 else sa.union_all(*selects)
    rows = []
    for row in db.session.execute(statement).all():
        rows += _unpivot(chart, row[1:], keys, dim=row[0])
    return rows


def _one_pass(chart: Chart, dim_col, dim_join, period, own_ids) -> list[tuple]:
    model = chart.model
    dim_expr = date_bucket(dim_col, chart.bucket) if chart.bucket else dim_col
    ser_col, ser_join = column_of(model, chart.series) if chart.series else (None, None)
    measure = _measure(chart)
    query = sa.select(dim_expr.label("dim"), (ser_col if ser_col is not None else sa.null()).label("ser"),
                      measure.label("value")).select_from(model)
    for join in (dim_join, ser_join):
        if join is not None:
            query = query.outerjoin(join[1])
    query = query.where(*_filters(chart, period, own_ids, False))
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
    measure: Any
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
