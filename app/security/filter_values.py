"""Values of list filters and paging, checked against their columns before any query runs.

Screens take `_flt_<n>_<column>=value` (and `page_` / `psize_`), the API a rison `q` with
`filters: [{col, opr, value}]`, `page` and `page_size` (lists and export.xlsx alike). A filter
value must be one its column's type can take: a whole number within the column's range, a
finite number, yes / no, a date or a local date-time (read as the date boxes read them), a known
code, a record id for a relation, text for text. Anything else answers 400 naming the field, so
the database never sees it — and an error raised while a query runs is our own bug: a 500, logged.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import prison
import sqlalchemy as sa
from flask import Flask, abort, current_app, request
from flask_appbuilder.api import BaseApi
from flask_appbuilder.models.sqla import filters as fab_filters
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models.labels import label_for
from ..typed_dates import local_moment_bounds, parse_date

# Operators comparing the value with the column as its type; operators matching text patterns;
# relation operators (the value is the related record's id). Others (ours: ovd, opn…) ignore it.
COMPARED = frozenset({"eq", "neq", "gt", "lt", "in", "not_in"})
PATTERNS = frozenset({"sw", "ew", "ct", "nsw", "new", "nct"})
RELATED = frozenset({"rel_o_m", "nrel_o_m", "rel_m_m"})
# bits of each integer type (PostgreSQL's smallint / integer / bigint; SQLite takes 64)
INTEGER_BITS = ((sa.SmallInteger, 15), (sa.BigInteger, 63), (sa.Integer, 31))
PAGE_MAX = 2**31 - 1  # page × page size stays within a 64-bit OFFSET
_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", re.ASCII)
_HTML_FILTER = re.compile(r"_flt_(\d)_(.*)")  # FAB's own reading of the argument names
_SCALARS = (str, int, float, bool, type(None))


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return repr(text[:40] + "…" if len(text) > 40 else text)


def _whole(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() or isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value)
    return None


def _reads(parse: Callable[[str], object], value: Any) -> bool:
    """The project's own date readers (the date boxes'): a year 1 or 9999 has no local day around it."""
    try:
        return isinstance(value, str) and parse(value) is not None
    except (ValueError, OverflowError):
        return False


def _number_ok(kind: Any, value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) \
            or not _NUMBER.fullmatch(str(value).strip()):  # also refuses NaN and Infinity
        return False
    number = Decimal(str(value).strip())
    # Numeric(p, s) holds fewer than p - s digits before the point (PostgreSQL binds it so);
    # floats end near 1e308
    whole = kind.precision - (kind.scale or 0) if kind.precision and not isinstance(kind, sa.Float) else 300
    return number == 0 or -300 < number.adjusted() < whole


def _integer_ok(kind: Any, value: Any) -> bool:
    number = _whole(value)
    bits = next((b for t, b in INTEGER_BITS if isinstance(kind, t)), 63)
    return number is not None and -(2**bits) <= number < 2**bits


# (column type, check, message): the first type the column is decides
KINDS: tuple[tuple[type[Any], Callable[[Any, Any], bool], Any], ...] = (
    # what FAB turns into True / False before binding ("y" from a ticked box)
    (sa.Boolean, lambda k, v: v == "y" or (isinstance(v, (bool, int)) and v in (0, 1)),
     _l("%(field)s: %(value)s is not a yes / no value (true or false).")),
    (sa.Enum, lambda k, v: isinstance(v, str) and v in k.enums,
     _l("%(field)s: %(value)s is not one of the codes %(codes)s.")),
    (sa.Integer, _integer_ok, _l("%(field)s: %(value)s is not a whole number in range.")),
    (sa.Numeric, _number_ok, _l("%(field)s: %(value)s is not a number in range.")),
    (sa.DateTime, lambda k, v: _reads(local_moment_bounds, v),
     _l("%(field)s: %(value)s is not a date or a date and time (YYYY-MM-DD HH:mm).")),
    (sa.Date, lambda k, v: _reads(parse_date, v), _l("%(field)s: %(value)s is not a date (YYYY-MM-DD).")),
    (sa.String, lambda k, v: isinstance(v, str), _l("%(field)s: %(value)s is not text.")),
)


def _problem(column: sa.Column[Any], value: Any, field: str) -> str | None:
    """Why the column cannot take the value (a translated sentence naming the field), or None."""
    kind = column.type.impl if isinstance(column.type, sa.TypeDecorator) else column.type  # UtcDateTime
    if value is None:
        return None  # compared as IS NULL
    for base, fits, message in KINDS:
        if isinstance(kind, base):
            if fits(kind, value):
                return None
            return str(message) % {"field": field, "value": _shown(value),
                                   "codes": ", ".join(getattr(kind, "enums", ()))}
    return None


def check_filter(view: Any, column: str, opr: str, value: Any) -> str | None:
    """Why `value` does not fit filter `opr` on the view's `column` (a message), or None."""
    datamodel = view.datamodel
    field = str(view.label_columns.get(column) or label_for(datamodel.obj, column))
    values = value if isinstance(value, list) else [value]
    if opr in ("in", "not_in") and not isinstance(value, (list, str)) or not all(
            isinstance(v, _SCALARS) for v in values):
        return _("%(field)s: %(value)s is not a value or a list of values.", field=field, value=_shown(value))
    if datamodel.is_relation(column):
        if opr not in RELATED | COMPARED:
            return None
        target = sa.inspect(datamodel.get_related_model(column)).primary_key[0]
        if all(_problem(target, v, field) is None for v in values):
            return None
        return _("%(field)s must be a record id (a number).", field=field)
    target = datamodel.list_columns.get(column)
    if not isinstance(target, sa.Column):
        return None  # a dotted or computed name: FAB refuses or ignores it
    if opr in PATTERNS:  # FAB glues the value into a LIKE pattern: text only
        bad = next((v for v in values if not isinstance(v, str)), "")
        return None if bad == "" else str(KINDS[-1][2]) % {"field": field, "value": _shown(bad)}
    if opr not in COMPARED:
        return None
    return next((p for p in (_problem(target, v, field) for v in values) if p), None)


def _page_problem(name: str, value: Any) -> str | None:
    number = _whole(value)
    if number is not None and 0 <= number <= PAGE_MAX:
        return None
    return _("%(arg)s must be a whole number from 0 to %(max)d.", arg=name, max=PAGE_MAX)


def _screen_problems(view: Any) -> Iterator[str | None]:
    for key in request.args:
        if "page_" in key or "psize_" in key:  # FAB reads every such name with int()
            yield _page_problem(key, request.args[key])
    if view is None or isinstance(view, BaseApi):
        return
    for key in request.args:
        match = _HTML_FILTER.findall(key)
        filters = view._filters._all_filters.get(match[0][1]) if match else None
        if not filters:
            continue  # FAB ignores a column without filters
        index = int(match[0][0])
        if index >= len(filters):
            yield _("%(arg)s is not a filter of this list.", arg=key)
            continue
        for value in request.args.getlist(key):
            yield check_filter(view, match[0][1], filters[index].arg_name, value)


def _rison() -> Any:
    """`q` as FAB's @rison reads it (rison, else JSON); {} when it cannot (FAB answers that)."""
    value = request.args.get("q")
    if not value:
        return {}
    try:
        return prison.loads(value)
    except prison.decoder.ParserException:
        try:
            return json.loads(value)
        except ValueError:
            return {}
    except Exception:  # cut-off rison: answered by the API's own check
        return {}


def _api_problems(view: Any) -> Iterator[str | None]:
    if not isinstance(view, BaseApi) or (request.endpoint or "").rsplit(".", 1)[-1] not in ("get_list", "export_xlsx"):
        return
    args = _rison()
    if not isinstance(args, dict):
        return
    for name in ("page", "page_size"):
        if name in args:
            yield _page_problem(name, args[name])
    search = view._filters.get_search_filters()
    filters = args.get("filters")
    for item in filters if isinstance(filters, list) else ():
        if not isinstance(item, dict) or not {"col", "opr", "value"} <= item.keys():
            continue  # FAB's schema refuses it
        col, opr = item["col"], item["opr"]
        if isinstance(col, str) and any(f.arg_name == opr for f in search.get(col, ())):
            yield check_filter(view, col, opr, item["value"])


def _views() -> dict[str, Any]:
    """Blueprint name → the AppBuilder view with a datamodel and filters (found once per app)."""
    found = current_app.extensions.get("filter_value_views")
    if found is None:
        found = current_app.extensions["filter_value_views"] = {
            view.blueprint.name: view for view in current_app.extensions["appbuilder"].baseviews
            if getattr(view, "blueprint", None) is not None and getattr(view, "_filters", None) is not None}
    views: dict[str, Any] = found
    return views


def _unknown_id(view: Any) -> bool:
    """A record id in the path no row can have (`/ticket/abc`, a 30-digit number): not found.
    Every id column of the app is an Integer; `pk` is checked against the view's own."""
    args = request.view_args or {}
    if any(isinstance(v, int) and not _integer_ok(sa.Integer(), v) for v in args.values()):
        return True
    pk = args.get("pk")
    if isinstance(pk, str) and view is not None:
        column = view.datamodel.list_columns.get(view.datamodel.get_pk_name())
        return isinstance(column, sa.Column) and _problem(column, pk, "") is not None
    return False


def refuse_unfit_values() -> None:
    """before_request: 400 with the first value that does not fit (screens: the error page)."""
    view = _views().get(request.blueprint) if request.blueprint else None
    if _unknown_id(view):
        abort(404)
    if not request.args:
        return
    for problem in (*_screen_problems(view), *_api_problems(view)):
        if problem:
            abort(400, description=problem)


_fab_value_to_type = fab_filters.set_value_to_type


def _value_to_type(datamodel: Any, column_name: str, value: Any) -> Any:
    """FAB's conversion of a filter value before it is bound, plus numerics: FAB passes them on
    as the text sent, and PostgreSQL has no `numeric = varchar` (a checked "12.5" bound as 12.5)."""
    if (datamodel.is_numeric(column_name) and not datamodel.is_float(column_name)
            and _number_ok(sa.Numeric(), value)):
        return Decimal(str(value).strip())
    return _fab_value_to_type(datamodel, column_name, value)


def init_app(app: Flask) -> None:
    fab_filters.set_value_to_type = _value_to_type  # FAB's filters look it up when they apply
    app.before_request(refuse_unfit_values)
