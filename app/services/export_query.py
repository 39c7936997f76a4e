"""Turns a list's columns, filters and order into a streamed query of plain value rows."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from flask_appbuilder.models.sqla.interface import SQLAInterface
from markupsafe import Markup
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models.base import CodeEnum
from ..models.loading import load_options
from .export import BOOLEAN, DATE, DATETIME, EXCEL_MAX_ROWS, INTEGER, MONEY, NUMBER, TEXT, Column, write_table

# Rows fetched per round trip (server-side cursor on PostgreSQL).
YIELD_PER = 2000
# Related objects kept as text between batches; cleared past this so memory stays flat.
RELATED_CACHE_LIMIT = 50_000


# The column kind of a SQL type, first match (a DateTime before a Date, an Enum before its String);
# other types are text, a Numeric that is no Float is money with its decimals.
PLAIN_KINDS: tuple[tuple[type, str], ...] = (
    (sa.Boolean, BOOLEAN), (sa.Enum, TEXT), (sa.DateTime, DATETIME), (sa.Date, DATE), (sa.Integer, INTEGER),
    (sa.Float, NUMBER),
)


def kind_of_type(sql_type: sa.types.TypeEngine[Any]) -> tuple[str, int]:
    """(column kind, decimals) of a SQL column type."""
    if isinstance(sql_type, sa.TypeDecorator):  # our timestamp type (models/base.py) and the like
        sql_type = sql_type.impl_instance
    if isinstance(sql_type, sa.Numeric) and not isinstance(sql_type, sa.Float):
        return MONEY, sql_type.scale if sql_type.scale is not None else 2
    kind = next((kind for sql, kind in PLAIN_KINDS if isinstance(sql_type, sql)), TEXT)
    return kind, 0


def as_text(value: Any) -> str | None:
    """How a value that is not a plain column shows in a cell."""
    if value is None:
        return None
    if isinstance(value, CodeEnum):
        return value.label
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Markup):  # a badge the list shows as HTML (the service level): its words
        return value.striptags()
    return str(value)


def dotted_value(obj: Any, name: str) -> Any:
    """`engineers.id` of a row: the leaf of every related row of a to-many part, in order."""
    if "." not in name:
        return getattr(obj, name, None)
    values = [obj]
    for part in name.split("."):
        nxt: list[Any] = []
        for value in values:
            item = getattr(value, part, None) if value is not None else None
            nxt.extend(item if isinstance(item, (list, tuple, set)) else [item])
        values = nxt
    return [v for v in values if v is not None]


class RelatedNames:
    """str() of related rows by primary key, loaded one batch of keys at a time (no N+1)."""

    def __init__(self, model: type):
        self.model = model
        self.pk: sa.Column[Any] = sa.inspect(model).primary_key[0]
        self.names: dict[Any, str] = {}

    def load(self, keys: set[Any]) -> None:
        missing = [k for k in keys if k is not None and k not in self.names]
        if not missing:
            return
        if len(self.names) + len(missing) > RELATED_CACHE_LIMIT:
            self.names.clear()
            missing = [k for k in keys if k is not None]
        for start in range(0, len(missing), 900):  # under SQLite's bound-parameter limit
            chunk = missing[start:start + 900]
            for obj in db.session.scalars(sa.select(self.model).where(self.pk.in_(chunk))).unique():
                self.names[sa.inspect(obj).identity[0]] = str(obj)



class ExportPlan:
    """The SELECT list and cell kinds of an export, built from a FAB datamodel and column names."""

    def __init__(self, datamodel: SQLAInterface, columns: Sequence[str], labels: dict[str, Any]) -> None:
        self.datamodel = datamodel
        self.model = datamodel.obj
        self.columns: list[Column] = []
        self.exprs: list[Any] = []
        self.joins: list[tuple[Any, Any]] = []
        self.related: list[tuple[int, RelatedNames]] = []
        self._aliases: dict[str, Any] = {}
        self.object_columns: list[str] = []  # read from the loaded row object, not a SQL column
        for name in columns:
            self._add(name, str(labels.get(name) or name))

    def _add(self, name: str, label: str) -> None:
        dm, model = self.datamodel, self.model
        if "." in name:
            root, leaf = name.split(".", 1)
            if dm.is_relation_many_to_one(root) or dm.is_relation_one_to_one(root):
                prop = getattr(model, root).property
                local, remote = list(prop.local_columns), [r.key for _, r in prop.local_remote_pairs]
                if len(local) == 1 and remote == [leaf] and local[0].table is model.__table__:
                    # "customer.id" is the row's own foreign key: no join needed
                    self._plain(getattr(model, local[0].key), label)
                    return
                alias = self._alias(root)
                attr = getattr(alias, leaf)
                self._plain(attr, label)
                return
        elif dm.is_relation_many_to_one(name) or dm.is_relation_one_to_one(name):
            prop = getattr(model, name).property
            local = list(prop.local_columns)
            if len(local) == 1:
                names = RelatedNames(prop.mapper.class_)
                self.related.append((len(self.exprs), names))
                self.exprs.append(getattr(model, local[0].key))
                # the cache dict's own .get: a C call per cell (the dict is cleared, never replaced)
                self.columns.append(Column(label, TEXT, convert=names.names.get))
                return
        elif name in sa.inspect(model).column_attrs:
            self._plain(getattr(model, name), label)
            return
        # properties, functions and to-many relations ("engineers.id") need the loaded object
        self.object_columns.append(name)
        self.exprs.append(model)
        self.columns.append(Column(label, TEXT, convert=lambda obj, n=name: as_text(dotted_value(obj, n))))  # type: ignore[misc]  # n: the name bound now

    def _alias(self, root: str) -> Any:
        if root not in self._aliases:
            alias = aliased(self.datamodel.get_related_model(root), name=f"export_{root}")
            self._aliases[root] = alias
            self.joins.append((alias, getattr(self.model, root)))
        return self._aliases[root]

    def _plain(self, attr: Any, label: str) -> None:
        sql_type = attr.expression.type if hasattr(attr, "expression") else attr.type
        kind, decimals = kind_of_type(sql_type)
        convert: Callable[[Any], Any] | None = None
        enum_cls = getattr(sql_type, "enum_class", None)
        if isinstance(sql_type, sa.Enum) and enum_cls is not None:
            # one translation per member per export, not one per cell
            labels = {m: (m.label if isinstance(m, CodeEnum) else str(m.value)) for m in enum_cls}
            convert = lambda v, labels=labels: labels.get(v, str(v))  # noqa: E731
        elif kind == TEXT:
            convert = None if isinstance(sql_type, sa.String) else as_text
        self.exprs.append(attr)
        self.columns.append(Column(label, kind, convert=convert, decimals=decimals))

    def rows(self, filters: Any = None, order_column: str = "", order_direction: str = "",
             yield_per: int = YIELD_PER) -> Iterator[Sequence[Any]]:
        """The rows the list shows for these filters and order, all pages, streamed."""
        dm = self.datamodel
        query = dm.apply_filters(db.session.query(self.model), dm.get_inner_filters(filters))
        # FAB's list adds the primary key as a tie-breaker for stable pages; a unique order
        # column needs none, and without it the database can walk the column's index instead
        # of sorting every row
        unique = order_column in dm.list_columns and dm.is_unique(order_column)
        query = dm.apply_order_by(query, order_column, order_direction, aliases_mapping={},
                                  bypass_many_to_many=True, add_pk=not unique)
        for alias, relation in self.joins:
            query = query.outerjoin(alias, relation)
        query = query.with_entities(*self.exprs)
        if self.object_columns:
            # the relations the object-read columns show, in batches per yield_per chunk (a
            # joined to-many would need unique(), which streaming cannot do)
            query = query.options(*load_options(self.model, self.object_columns, batched=True))
            # Query.yield_per (not only the execution option) also tells the ORM not to unique rows
            rows: Iterator[Sequence[Any]] = iter(query.yield_per(yield_per).execution_options(stream_results=True))
        else:
            # plain columns only: Core rows on the session's connection (same transaction),
            # a server-side cursor on PostgreSQL; no ORM row processing per row
            conn = db.session.connection().execution_options(stream_results=True, yield_per=yield_per)
            rows = iter(conn.execute(query.statement))
        if not self.related:
            return rows
        return _with_related(rows, self.related, yield_per)


def _with_related(rows: Iterable[Sequence[Any]], related: list[tuple[int, RelatedNames]],
                  size: int) -> Iterator[Sequence[Any]]:
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield from _resolve(batch, related)
            batch = []
    if batch:
        yield from _resolve(batch, related)


def _resolve(batch: list[Sequence[Any]], related: list[tuple[int, RelatedNames]]) -> list[Sequence[Any]]:
    for index, names in related:
        names.load({row[index] for row in batch})
    return batch


PROGRESS_EVERY = 5000


def _counted(rows: Iterable[Sequence[Any]], progress: Callable[[int], None]) -> Iterator[Sequence[Any]]:
    for n, row in enumerate(rows, 1):
        if n % PROGRESS_EVERY == 0:
            progress(n)
        yield row


def export_list(target: Any, title: str, datamodel: SQLAInterface, columns: Sequence[str],
                labels: dict[str, Any], filters: Any = None, order_column: str = "", order_direction: str = "",
                max_rows: int = EXCEL_MAX_ROWS, progress: Callable[[int], None] | None = None) -> int:
    """Write the list's rows (filters, row rules and order applied) to an xlsx; returns rows.

    `progress(rows written so far)` is called every PROGRESS_EVERY rows (background jobs)."""
    plan = ExportPlan(datamodel, columns, labels)
    rows = plan.rows(filters, order_column, order_direction)
    if progress is not None:
        rows = _counted(rows, progress)
    return write_table(target, title, plan.columns, rows, max_rows=max_rows)
