"""One search box for every related record a form chooses or a list filters by.

`LookupField(kind)` renders a `<select class="lookup-box">` holding only the chosen record (or
nothing): static/js/lookup.js turns it into a Select2 box that asks `/lookup/<kind>` as one types.
The posted value is the record's id; the field loads that record through the same query the
lookup answers from (the login's list rules), so an id one could not have found is refused
("Choose one from the list"), and a crafted or stale one is too. A box narrowed to a customer
(`narrow="customer"`: contact, project, equipment) asks only that customer's rows and is
emptied when the form's customer changes; the model / service rule refusing a record of another
customer still decides on save, its message shown by the field with the choice kept.

ServiceModelView gives every many-to-one form field to one of the lookup kinds such a box, and
every list filter on such a foreign key (`part_id`, `customer_id`…) the box as its value, with
the operators "is" / "is not" (the value sent stays the id, checked by security/filter_values).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_appbuilder.models.sqla.filters import FilterEqual, FilterNotEqual
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import Field
from wtforms.validators import StopValidation

from ..extensions import db
from ..models.base import is_digits
from . import lookups


class LookupWidget:
    def __call__(self, field, **kwargs):
        chosen = field.data
        attrs = {
            "class": ("form-control lookup-box " + kwargs.pop("class", "") + " " + kwargs.pop("class_", "")).strip(),
            "id": kwargs.pop("id", field.id),
            "name": field.name,
            "data-url": url_for("LookupView.lookup", kind=field.kind, **({"via": field.via} if field.via else {})),
            "data-placeholder": str(field.placeholder or _("Type to search…")),
            "data-required": "1" if field.required else "",
        }
        if field.narrow:
            attrs["data-narrow"] = field.narrow
            attrs["data-narrow-value"] = "" if field.narrow_value is None else str(field.narrow_value)
            attrs["data-narrow-first"] = str(_l("Choose the customer first"))
        attrs.update({k.replace("_", "-"): v for k, v in kwargs.items()})
        html = ["<select " + " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items() if v is not None) + ">",
                '<option value=""></option>']
        if chosen is not None:
            html.append(f'<option value="{escape(chosen.id)}" selected>{escape(lookups.text_of(chosen))}</option>')
        elif field.raw_id:
            html.append(f'<option value="{escape(field.raw_id)}" selected>{escape(field.raw_id)}</option>')
        html.append("</select>")
        return Markup("".join(html))


class LookupField(Field):
    """A many-to-one choice by search box; `data` is the chosen record (or None)."""

    widget = LookupWidget()

    def __init__(self, label=None, validators=None, kind: str = "", narrow: str | None = None,
                 required: bool = False, placeholder=None, via: str = "", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.kind, self.narrow, self.required, self.placeholder = kind, narrow, required, placeholder
        self.via = via  # a list filter's "View.column": see lookups.referred
        self.narrow_value = None
        self.raw_id = ""
        self._problem = None
        if required:
            self.flags.required = True

    def process_data(self, value):
        self.data = value

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "") or ""
        raw = raw.strip()
        self.raw_id, self.data, self._problem = "", None, None
        if raw in ("", "__None"):
            return
        if not is_digits(raw) or len(raw) > 10:
            self._problem = _("Choose one from the list.")
            return
        self.data = find(self.kind, int(raw))
        if self.data is None:
            self._problem = _("Choose one from the list.")

    def pre_validate(self, form):
        if self._problem:
            raise StopValidation(self._problem)
        if self.required and self.data is None:
            raise StopValidation(_("This field is required."))

    def _value(self):
        return "" if self.data is None else str(self.data.id)


def find(kind_name: str, pk: int):
    """The record `pk` of a kind if the login could find it by the lookup (its list's rules)."""
    kind = lookups.KINDS[kind_name]
    if not lookups.may_list(kind):
        return db.session.get(kind.model, pk)  # may use the form without that list: plain existence
    return lookups.visible(kind).filter(kind.model.id == pk).one_or_none()


class RecordIs(FilterEqual):
    name = _l("is")


class RecordIsNot(FilterNotEqual):
    name = _l("is not")


def apply_lookup_fields(view) -> None:
    """Many-to-one form fields and foreign-key list filters of the lookup kinds get search boxes."""
    datamodel = view.datamodel
    has_customer = "customer" in (datamodel.list_properties or {})
    for cols, extra in ((view.add_columns or [], view.add_form_extra_fields),
                        (view.edit_columns or [], view.edit_form_extra_fields)):
        for col in cols:
            if col in extra or not datamodel.is_relation_many_to_one(col):
                continue
            kind = lookups.MODEL_KINDS.get(datamodel.get_related_model(col))
            if kind is None:
                continue
            narrow = "customer" if lookups.KINDS[kind].narrow and has_customer and col != "customer" else None
            extra[col] = LookupField(view.label_columns.get(col, col), kind=kind, narrow=narrow,
                                     required=not datamodel.is_nullable(col),
                                     description=(view.description_columns or {}).get(col, ""))
    view.search_form_extra_fields = dict(view.search_form_extra_fields or {})
    for col in view.search_columns or []:
        kind = lookups.fk_kind(datamodel, col) if col not in view.search_form_extra_fields else None
        if kind is None:
            continue
        view.search_form_extra_fields[col] = LookupField(view.label_columns.get(col, col), kind=kind,
                                                         via=f"{type(view).__name__}.{col}")
        filters = view._filters
        mine = [RecordIs(col, datamodel), RecordIsNot(col, datamodel)]
        rest = [f for f in filters._all_filters.get(col, []) if f.arg_name not in ("eq", "neq")]
        filters._all_filters[col] = mine + rest
        filters._search_filters[col] = list(mine)


def narrow_from_item(form, item) -> None:
    """A narrowed box on a form without the customer field (ticket edit) narrows to the record's."""
    if item is None:
        return
    for field in form:
        if isinstance(field, LookupField) and field.narrow and not hasattr(form, field.narrow):
            field.narrow_value = getattr(item, f"{field.narrow}_id", None)


class _Box:
    """What LookupWidget reads of a field, for the hand-made forms (requisition, stock postings)."""

    def __init__(self, kind, name, chosen, required, placeholder, raw_id=""):
        self.kind, self.name, self.id, self.data = kind, name, name, chosen
        self.required, self.placeholder, self.narrow, self.narrow_value = required, placeholder, None, None
        self.raw_id, self.via = raw_id, ""


def lookup_box(kind: str, name: str, chosen=None, required: bool = False, placeholder=None, **attrs) -> Markup:
    """A search box on a hand-made form: `{{ lookup_box("part", "part_0", part) }}`; `chosen` is the
    record (or None); a value that is not one (a code nobody has) is shown as typed."""
    raw = ""
    if chosen is not None and not hasattr(chosen, "id"):
        chosen, raw = None, str(chosen)
    return LookupWidget()(_Box(kind, name, chosen, required, placeholder, raw), **attrs)


def resolve(kind: str, raw) -> object | None:
    """The record a hand-made form's box posted: its id, or (typed by hand, an old link) its code."""
    text = (raw or "").strip() if isinstance(raw, str) else raw
    if not text:
        return None
    spec = lookups.KINDS[kind]
    if isinstance(text, str) and is_digits(text) and len(text) <= 10:
        found = db.session.get(spec.model, int(text))
        if found is not None:
            return found
    code = getattr(spec.model, spec.columns[0])
    return db.session.scalar(sa.select(spec.model).where(code == str(text)))


BLANK = "\u2014"  # what an empty choice reads when no script runs (Select2 shows its placeholder)


def _blank_not_none_text() -> None:
    """FAB's related selects (the ones left: warehouse, plan…) offer their empty choice with an empty
    label, and WTForms prints an empty label as the value: the option read "__None"."""
    from flask_appbuilder.fields import QuerySelectField

    if getattr(QuerySelectField.iter_choices, "_blank_fixed", False):
        return
    original = QuerySelectField.iter_choices

    def iter_choices(self):
        for choice in original(self):
            if choice[0] == "__None" and not choice[1]:
                choice = (choice[0], BLANK, *choice[2:])
            yield choice

    iter_choices._blank_fixed = True
    QuerySelectField.iter_choices = iter_choices


def init_app(app) -> None:
    _blank_not_none_text()
    app.jinja_env.globals["lookup_box"] = lookup_box
