"""Date and date-time entry on every form and list filter: typed in APP_TIMEZONE, kept as naive UTC.

FAB 5.3 renders date-times with a date-only bootstrap-datepicker (a typed time is cut off on
blur, Tab over a filled field writes today) while its DateTimeField parses seconds. Here one
field per kind reads what a person types (`YYYY-MM-DD HH:mm`, also with seconds or `T`), one
widget renders a plain text box that `static/js/date_entry.js` gives a flatpickr calendar in
the page's language, and the list filters on timestamp columns read the typed value as local
time. `install()` makes FAB's model-form converter use them, so every add / edit / search form
of every ModelView gets them without listing columns.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_appbuilder import forms as fab_forms
from flask_appbuilder.models.sqla.filters import (
    FilterEqual,
    FilterGreater,
    FilterNotEqual,
    FilterSmaller,
    SQLAFilterConverter,
    get_field_setup_query,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import Field
from wtforms.widgets import html_params

from .. import clock
from ..typed_dates import local_moment_bounds, parse_date, parse_local_datetime


class Kind(NamedTuple):
    """What a kind of box reads, how it shows a value, the hint inside it when empty (in the page's
    language: "年-月-日 时:分" in Chinese) and what it says when it cannot read the text."""

    read: Callable[[str], object]
    show: Callable[[object], str]
    pattern: object
    unreadable: object


KINDS = {
    "datetime": Kind(parse_local_datetime, clock.format_datetime, _l("YYYY-MM-DD HH:mm"), _l(
        "Could not read this date and time: type it as YYYY-MM-DD HH:mm, for example %(example)s.")),
    "date": Kind(parse_date, clock.format_date, _l("YYYY-MM-DD"), _l(
        "Could not read this date: type it as YYYY-MM-DD, for example %(example)s.")),
}


def kind_of(name: str) -> Kind:
    """A box is a date-time box, or else a date box."""
    return KINDS["datetime" if name == "datetime" else "date"]


class PickerInput:
    """A text box a person types into, with a calendar button; `date_entry.js` adds the picker.

    No `data-provide="datepicker"` and none of FAB's `appbuilder_date*` classes: FAB's scripts
    must not set their own picker on it.
    """

    def __init__(self, kind: str = "datetime"):
        self.kind = kind

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("name", field.name)
        kwargs["class"] = ("form-control " + kwargs.get("class", "")).strip()
        return Markup(render_input(field._value(), kind=self.kind, **kwargs))


def render_input(value: str, kind: str, **attrs) -> str:
    """The HTML of one date / date-time box (forms, filters and hand-made templates alike)."""
    attrs.setdefault("class", "form-control")
    attrs.setdefault("placeholder", str(kind_of(kind).pattern))
    params = html_params(type="text", value=value or "", autocomplete="off", spellcheck="false",
                         data_picker=kind, **attrs)
    label = escape(_("Open calendar"))
    return (f'<div class="input-group date-entry"><input {params}>'
            f'<span class="input-group-btn"><button type="button" class="btn btn-default" data-picker-open'
            f' tabindex="-1" title="{label}" aria-label="{label}"><i class="fa fa-calendar"></i></button>'
            f"</span></div>")


class _TypedField(Field):
    """Keeps what was typed when it cannot be read, so the form shows it back with the message."""

    kind = "datetime"

    def __init__(self, label=None, validators=None, widget=None, **kwargs):
        super().__init__(label, validators, widget=widget or PickerInput(self.kind), **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return kind_of(self.kind).show(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = (valuelist[0] or "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = kind_of(self.kind).read(text)
        except ValueError:
            self.data = None
            unreadable = kind_of(self.kind).unreadable
            raise ValueError(str(unreadable) % {"example": kind_of(self.kind).show(clock.now_utc())}) from None


class LocalDateTimeField(_TypedField):
    """A date-time typed in APP_TIMEZONE; `.data` is naive UTC (what the columns store)."""

    kind = "datetime"


class LocalDateField(_TypedField):
    """A calendar date typed as YYYY-MM-DD."""

    kind = "date"


# --- list filters on timestamp columns: the typed value is local time ----------------------------

class _LocalTime:
    def _bounds(self, query, value):
        query, field = get_field_setup_query(query, self.model, self.column_name)
        bounds = value if isinstance(value, tuple) else local_moment_bounds(str(value))
        return query, field, bounds


class FilterLocalTimeEqual(_LocalTime, FilterEqual):
    """Within the typed day / minute (a stored 19:30:42 is "equal to 19:30")."""

    def apply(self, query, value):
        query, field, bounds = self._bounds(query, value)
        return query if bounds is None else query.filter(field >= bounds[0], field < bounds[1])


class FilterLocalTimeNotEqual(_LocalTime, FilterNotEqual):
    def apply(self, query, value):
        query, field, bounds = self._bounds(query, value)
        if bounds is None:
            return query
        return query.filter(sa.or_(field.is_(None), field < bounds[0], field >= bounds[1]))


class FilterLocalTimeGreater(_LocalTime, FilterGreater):
    """Later than the typed moment (a typed day: after it began)."""

    def apply(self, query, value):
        query, field, bounds = self._bounds(query, value)
        return query if bounds is None else query.filter(field > bounds[0])


class FilterLocalTimeSmaller(_LocalTime, FilterSmaller):
    def apply(self, query, value):
        query, field, bounds = self._bounds(query, value)
        return query if bounds is None else query.filter(field < bounds[0])


class LocalTimeFilterConverter(SQLAFilterConverter):
    """FAB's filters, with the timestamp ones reading local time (names and URL codes unchanged)."""

    conversion_table = tuple(
        (marker, [FilterLocalTimeEqual, FilterLocalTimeGreater, FilterLocalTimeSmaller, FilterLocalTimeNotEqual]
         if marker == "is_datetime" else filters)
        for marker, filters in SQLAFilterConverter.conversion_table
    )


def date_input(name: str, value="", kind: str = "date", **attrs) -> Markup:
    """Jinja `date_input("due_on", required=True)`: the same box on hand-made forms."""
    if isinstance(value, datetime):
        value = kind_of(kind).show(value)
    elif isinstance(value, date):
        value = clock.format_date(value)
    attrs.setdefault("id", name)
    return Markup(render_input(value or "", kind=kind, name=name, **attrs))


def init_app(app) -> None:
    """Before AppBuilder builds any form (FAB's own views too): our fields, filters and boxes."""
    install()
    app.jinja_env.globals["date_input"] = date_input


def install() -> None:
    """Every form FAB builds from a model (ours and its own) uses these fields for dates and times."""
    table = []
    for marker, field, widget in fab_forms.FieldConverter.conversion_table:
        if marker == "is_date":
            field, widget = LocalDateField, (lambda: PickerInput("date"))
        elif marker == "is_datetime":
            field, widget = LocalDateTimeField, (lambda: PickerInput("datetime"))
        table.append((marker, field, widget))
    fab_forms.FieldConverter.conversion_table = tuple(table)

