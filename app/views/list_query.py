"""How every list reads a page: a count over the filtered table, the page's ids sorted and cut
first, then only those rows with the related records the list shows.

The models load no relation eagerly by themselves (a ticket that eager-joined six relations on
every read paid for four nobody showed). Each list says what it shows — its columns — and the
loads follow from them (models/loading.py).

Cutting the ids first keeps a deep page cheap: the database walks the sort column's index to the
page and only then reads 25 rows and their joins, instead of building every skipped row.
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import g, request
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.orm import QueryableAttribute

from ..models.loading import load_options
from . import list_cursor

# A screen's list counts its rows up to this many (and a few pages past the one shown): past it the
# page says "more than 10 000". Counting a million movements exactly cost 6 ms on SQLite and ~60 ms
# on PostgreSQL on every page; nobody pages to the end of the ledger, they filter. The API's count
# stays exact (programs page by it).
COUNT_LIMIT = 10_000
PAGES_AHEAD = 4


def count_limit(page: int | None, page_size: int) -> int:
    """How far a screen's list counts: COUNT_LIMIT, or the rows up to a few pages past this one."""
    return max(COUNT_LIMIT, ((page or 0) + 1 + PAGES_AHEAD) * page_size)


def query_page(datamodel, filters=None, order_column: str = "", order_direction: str = "",
               page: int | None = None, page_size: int | None = None,
               columns: Iterable[str] = (), limit: int | None = None,
               after: str | None = None, cursors: dict | None = None) -> tuple[int, list]:
    """(rows matching the filters, this page's records in list order): two statements (the count,
    the page) plus one per to-many relation shown; one for a list without pages (a filter's
    choices), none past the count when it is 0. With `limit` the count stops at limit + 1.
    A deep page starts at its cursor `after` where it has one (views/list_cursor.py) and puts the
    cursors of the pages after it into `cursors` (page number -> cursor)."""
    session, model = datamodel.session, datamodel.obj
    keys = list(sa.inspect(model).primary_key)  # two columns for a balance (part, warehouse)
    inner = datamodel.get_inner_filters(filters)  # as FAB's own list: to-many dotted filters drop
    base = datamodel.apply_filters(session.query(model), inner)
    options = load_options(model, columns)
    if not page_size:
        rows = _in_order(datamodel, base, order_column, order_direction, keys).options(*options).all()
        return len(rows), rows
    # the count needs no order and no related rows: the filtered table's keys, counted with
    # count(*) around them (the keys keep the table in FROM when only a correlated EXISTS of a row
    # rule names it; count(*) lets SQLite count an index instead of reading every row's key:
    # 1 M movements 50 ms → 13 ms)
    ordered_keys = _in_order(datamodel, base, order_column, order_direction, keys).with_entities(*keys)
    offset = (page or 0) * page_size
    if limit and offset >= COUNT_LIMIT:
        # a deep page: its keys and the few pages after it in one walk of the sort index, and the
        # bounded count from them (counting first walked the same index entries a second time);
        # from its cursor the walk starts at the page instead of at the first row
        order = (order_column, order_direction)
        seek = list_cursor.seek_for(model, keys, *order)
        start = list_cursor.read(after, seek, page or 0, page_size, order)
        walk = ordered_keys.add_columns(seek.column) if seek else ordered_keys
        walk = walk.filter(seek.after(*start)) if seek and start else walk.offset(offset)
        ahead = walk.limit(limit - offset + 1).all()
        if ahead:
            if seek and cursors is not None:
                for n in range(page_size, len(ahead), page_size):  # the row before each later page
                    key, value = ahead[n - 1][0], ahead[n - 1][-1]
                    cursors[(page or 0) + n // page_size] = list_cursor.token(
                        (page or 0) + n // page_size, page_size, order, value, key)
            shown = [row[0] if len(keys) == 1 else tuple(row[:len(keys)]) for row in ahead[:page_size]]
            return offset + len(ahead), _rows(datamodel, session, model, keys, shown, order_column,
                                              order_direction, options)
    keyed = base.with_entities(*keys).order_by(None)
    keyed = (keyed.limit(limit + 1) if limit else keyed).subquery()
    count = session.execute(sa.select(sa.func.count()).select_from(keyed)).scalar() or 0
    if not count:
        return 0, []
    # the page's keys sorted and cut first (the sort column's index walked to the page), then
    # only those rows read with their related records, in the same order
    ids = datamodel.apply_pagination(ordered_keys, page, page_size)
    return count, _rows(datamodel, session, model, keys, ids.subquery().select(), order_column, order_direction,
                        options)


def _rows(datamodel, session, model, keys: list, wanted_keys, order_column: str, order_direction: str,
          options) -> list:
    """The records of these keys (a subquery, or a list of key values) with their related records, in list order."""
    wanted = (keys[0] if len(keys) == 1 else sa.tuple_(*keys)).in_(wanted_keys)
    rows = _in_order(datamodel, session.query(model).filter(wanted), order_column, order_direction, keys)
    return rows.options(*options).all()


def _in_order(datamodel, query, order_column: str, order_direction: str, keys: list):
    ordered = datamodel.apply_order_by(query, order_column, order_direction, aliases_mapping={},
                                       bypass_many_to_many=True, add_pk=True)
    if not order_column or len(keys) > 1:
        ordered = ordered.order_by(*keys)  # a stable page even where the list names no order
    return ordered


class PagedInterface(SQLAInterface):
    """FAB's SQLAInterface whose list pages are read the query_page way (screens and APIs)."""

    def get_related_interface(self, col_name):
        """One interface per related column, made once: FAB makes a new one for every choice of a
        related select it draws (36 engineers on the ticket list's search form, ~2 ms a page)."""
        made = self.__dict__.setdefault("_related_interfaces", {})
        if col_name not in made:
            made[col_name] = super().get_related_interface(col_name)
        return made[col_name]

    def query(self, filters=None, order_column="", order_direction="", page=None, page_size=None,
              select_columns=None, outer_default_load=False, count_limit=None, after=None, cursors=None):
        return query_page(self, filters, order_column, order_direction, page, page_size,
                          columns=select_columns or (), limit=count_limit, after=after, cursors=cursors)


class ShownColumnsList:
    """ModelView mixin: FAB's list page, its query told the list's columns (FAB passes none, so
    the rows would come without the related records they show)."""

    def _init_properties(self):
        super()._init_properties()
        # FAB offers a sort on every property in the list (an engineer's names, an average):
        # the database cannot sort by those, and clicking one answered 500
        self.order_columns = [c for c in self.order_columns or [] if _sortable(self.datamodel.obj, c)]

    def _get_list_widget(self, filters, actions=None, order_column="", order_direction="",
                         page=None, page_size=None, widgets=None, **kwargs):
        widgets = widgets or {}
        actions = actions or self.actions
        page_size = page_size or self.page_size
        if not order_column and self.base_order:
            order_column, order_direction = self.base_order
        joined_filters = filters.get_joined_filters(self._base_filters)
        # a bounded count where the list's widget can say "more than …" (views/export.py)
        limit = count_limit(page, page_size) if getattr(self.list_widget, "counts_bounded", False) \
            and isinstance(self.datamodel, PagedInterface) else None
        name = type(self).__name__
        cursors: dict[int, str] = {}
        extra = {"count_limit": limit, "after": request.args.get(f"after_{name}"), "cursors": cursors} \
            if limit else {}
        count, lst = self.datamodel.query(joined_filters, order_column, order_direction, page=page,
                                          page_size=page_size, select_columns=self.list_columns, **extra)
        g.setdefault("page_cursors", {})[name] = cursors  # the pager's links (list_cursor.link_page)
        if limit:
            kwargs.update(count_more=count > limit, count_limit=limit)
        pks = [self._serialize_pk_if_composite(pk) for pk in self.datamodel.get_keys(lst)]
        widgets["list"] = self.list_widget(
            label_columns=self.label_columns, include_columns=self.list_columns,
            value_columns=self.datamodel.get_values(lst, self.list_columns),
            order_columns=self.order_columns, formatters_columns=self.formatters_columns,
            page=page, page_size=page_size, count=count, pks=pks, actions=actions,
            filters=filters, modelview_name=self.__class__.__name__, **kwargs,
        )
        return widgets


def _sortable(model: type, column: str) -> bool:
    if "." in column:
        return True
    attr = getattr(model, column, None)
    return isinstance(attr, QueryableAttribute) or hasattr(attr, "_col_name")
