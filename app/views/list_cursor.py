"""Where a deep list page starts, carried by the pager's links: the sort value and key of the row
before it (keyset paging).

A page found by its number alone is reached by walking the sort index past every row before it:
page 20 061 of the ledger walks 500 000 index entries, ~250 ms on PostgreSQL. The pager's links
to the next pages carry the last row of the page before each ("after_<View>"), so the database
seeks to it in the index instead. A link whose cursor does not fit the page asked for (another
page, page size, sort, or a value that does not parse) is ignored: the page is then found by its
number, as before. Only a sort on a plain column that is never empty can seek this way.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import g, request, url_for
from sqlalchemy.orm import InstrumentedAttribute

PARSERS = {datetime: datetime.fromisoformat, date: date.fromisoformat, int: int, str: str, Decimal: Decimal}


@dataclass(frozen=True)
class Seek:
    """The order a list is read in, when its rows can be sought by (sort value, key)."""

    column: InstrumentedAttribute
    key: InstrumentedAttribute
    descending: bool
    parse: object

    def after(self, value, key) -> sa.ColumnElement[bool]:
        """The rows after (value, key) in this order."""
        here, there = sa.tuple_(self.column, self.key), sa.tuple_(sa.literal(value, self.column.type),
                                                                  sa.literal(key, self.key.type))
        return here < there if self.descending else here > there


def seek_for(model: type, keys: list, order_column: str, order_direction: str) -> Seek | None:
    """How to seek this list's order, or None where only walking finds a page (a related column,
    a sort by meaning, an empty-able column, a two-column key)."""
    if len(keys) != 1 or not order_column or "." in order_column:
        return None
    attr = getattr(model, order_column, None)
    if not isinstance(attr, InstrumentedAttribute) or not isinstance(attr.expression, sa.Column):
        return None
    column = attr.expression
    parse = PARSERS.get(_python_type(column))
    if column.nullable or parse is None:
        return None
    return Seek(attr, getattr(model, keys[0].key), order_direction == "desc", parse)


def token(page: int, page_size: int, order: tuple[str, str], value, key) -> str:
    """The cursor of the page `page`: the row before it."""
    raw = json.dumps([page, page_size, *order, value.isoformat() if hasattr(value, "isoformat") else str(value), key])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def read(text: str | None, seek: Seek | None, page: int, page_size: int, order: tuple[str, str]):
    """(sort value, key) from a cursor made for exactly this page, size and order; else None."""
    if not text or seek is None:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        made_for, size, column, direction, value, key = raw
        if [made_for, size, column, direction] != [page, page_size, *order] or not isinstance(key, int):
            return None
        return seek.parse(value), key  # type: ignore[operator]
    except (ValueError, TypeError, InvalidOperation, binascii.Error, UnicodeDecodeError):
        return None


def _python_type(column: sa.Column) -> type | None:
    kind = column.type
    if isinstance(kind, sa.TypeDecorator):  # UtcDateTime, SystemTextColumn: the type they store
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def install(app) -> None:
    """FAB's `link_page` filter (the pager's links), with the cursor of the page linked to."""
    app.jinja_env.filters["link_page"] = link_page


def link_page(page: int, view_name: str) -> str:
    """This list's URL at `page`: FAB's link (view args and query kept, page set) with that page's
    cursor where this page found one, and without the cursor of the page shown now."""
    args = request.args.to_dict()
    args.pop(f"after_{view_name}", None)
    args[f"page_{view_name}"] = page
    cursor = g.get("page_cursors", {}).get(view_name, {}).get(page)
    if cursor:
        args[f"after_{view_name}"] = cursor
    return url_for(request.endpoint, **{**(request.view_args or {}), **args})
