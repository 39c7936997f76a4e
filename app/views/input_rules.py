"""Input rules the screens and the API take from the column definitions, in one place.

- Length: `String(n)` columns take at most n characters, `Text` columns TEXT_MAX_LENGTH
  (or `info={"max_length": …}`): forms show the length error by the field with what was typed
  kept (hand-made forms too, `length_errors`), the API answers 422 naming the field.
- Dates: every date / date-time a person types lies between EARLIEST and LATEST (a year 1 or
  9999 is a typing slip or a probe, and breaks date arithmetic later): 422 / form error.
- Related fields in API bodies are ids (a number, or a list of numbers for to-many), never objects.
- `_info` choices of a related field obey the row rules of that record's own API list.
"""
from __future__ import annotations

import re
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup
from wtforms.validators import Length

from ..models.labels import label_for
from ..models.periods import EARLIEST, LATEST, plausible

TEXT_MAX_LENGTH = 20_000
_DEFAULT_REPR = re.compile(r"^<[\w.]+ object at 0x[0-9a-fA-F]+>$")


def _text_type(column):
    """The column's String type (through a decorator such as SystemTextColumn), or None."""
    if not isinstance(column, sa.Column):
        return None
    kind = column.type.impl if isinstance(column.type, sa.TypeDecorator) else column.type
    return kind if isinstance(kind, sa.String) and not isinstance(kind, sa.Enum) else None


def max_length(column) -> int | None:
    """The most characters a text column takes (None: not a text column)."""
    kind = _text_type(column)
    if kind is None:
        return None
    return column.info.get("max_length") or kind.length or TEXT_MAX_LENGTH


def is_multiline(column) -> bool:
    """A Text column (no length): what people type there has line breaks worth keeping."""
    kind = _text_type(column)
    return kind is not None and kind.length is None


def text_lines(value) -> Markup:
    """A typed text with its line breaks shown (`.text-lines` is `white-space: pre-line`); escaped."""
    return Markup('<span class="text-lines">{}</span>').format("" if value is None else value)


class _FreshLists(dict):
    """validators_columns whose lists FAB cannot grow: it appends its own rules (Length, InputRequired)
    to the list it is given, once per form built, so the edit form showed each message twice."""

    def get(self, key, default=None):
        value = super().get(key, default)
        return list(value) if isinstance(value, list) else value


def apply_text_rules(view, columns) -> None:
    """A ModelView's texts: lists and record pages show the line breaks of multi-line ones; each form
    field has one length rule from its column (String(n) → n, Text → TEXT_MAX_LENGTH; FAB adds
    String(n)'s own Length itself)."""
    view.formatters_columns = dict(view.formatters_columns or {})
    for col in columns:
        if is_multiline(view.datamodel.list_columns.get(col)):
            view.formatters_columns.setdefault(col, text_lines)
    view.validators_columns = _FreshLists(view.validators_columns or {})
    for col in view.datamodel.get_columns_list():
        column = view.datamodel.list_columns.get(col)
        limit = max_length(column)
        if limit and limit != getattr(column.type, "length", None):
            view.validators_columns[col] = [*view.validators_columns.get(col, []), Length(max=limit)]


def length_errors(model, values: dict) -> dict[str, str]:
    """{field: message} for typed text longer than its column takes (hand-made forms; the
    FAB forms get wtforms Length validators from the same `max_length`)."""
    errors = {}
    columns = sa.inspect(model).columns
    for key, value in (values or {}).items():
        limit = max_length(columns.get(key))
        if limit and isinstance(value, str) and len(value) > limit:
            errors[key] = _("%(field)s takes at most %(max)s characters (%(n)s typed).",
                            field=label_for(model, key), max=limit, n=len(value))
    return errors


def date_range_errors(model, values: dict) -> dict[str, str]:
    """{field: message} for dates outside EARLIEST … LATEST."""
    errors = {}
    columns = sa.inspect(model).columns
    for key, value in (values or {}).items():
        if key not in columns or not isinstance(value, (date, datetime)):
            continue
        day = value.date() if isinstance(value, datetime) else value
        if not plausible(day):
            errors[key] = _("%(field)s must lie between %(start)s and %(end)s.", field=label_for(model, key),
                            start=EARLIEST.isoformat(), end=LATEST.isoformat())
    return errors


def related_shape_errors(datamodel, data) -> dict[str, str]:
    """A related field sent as anything but an id (or a list of ids for to-many): 422 naming it."""
    errors = {}
    for key, value in (data.items() if isinstance(data, dict) else ()):
        if not datamodel.is_relation(key) or value is None:
            continue
        many = datamodel.is_relation_many_to_many(key) or datamodel.is_relation_one_to_many(key)
        items = value if many and isinstance(value, list) else [value]
        if (many and not isinstance(value, list)) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in items):
            errors[key] = (_("%(field)s must be a list of record ids.", field=label_for(datamodel.obj, key))
                           if many else _("%(field)s must be a record id (a number).",
                                          field=label_for(datamodel.obj, key)))
    return errors


def related_choices_rules(appbuilder, model) -> list | None:
    """Base filters (row rules) of a list of `model` the caller may read; None: no such list.

    The record's API list first (`can_get`), else its screen list (`can_list`, e.g. FAB's users
    screen for logins: Admin only).
    """
    sm = appbuilder.sm
    lists = [(view, "can_get" if hasattr(view, "get_list_headless") else "can_list")
             for view in appbuilder.baseviews
             if getattr(getattr(view, "datamodel", None), "obj", None) is model]
    lists.sort(key=lambda pair: pair[1] != "can_get")
    for view, permission in lists:
        if sm.has_access(permission, view.class_permission_name):
            return list(getattr(view, "base_filters", None) or [])
    return None


def related_label(model, value: dict) -> str:
    """The choice's text; a record without a name of its own shows as "<label> <id>", not a repr."""
    text = value.get("value") or ""
    if _DEFAULT_REPR.match(text):
        return f"{re.sub(r'(?<!^)(?=[A-Z])', ' ', model.__name__)} {value.get('id')}"
    return text
