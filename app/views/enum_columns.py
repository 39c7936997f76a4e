"""Enum columns on lists: filters offer the translated labels, sorts follow the meaning.

Codes (`in_progress`, `emergency`) are for programs; a clerk reads 处理中 and 紧急. Sorting by the
stored code is alphabetical (Emergency, General, Important); an enum's declaration order is its
meaning — a status's lifecycle, a severity's rank — so a sort on an enum column follows that
order, on the screens, the API and the Excel export alike (they share the data interface).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_appbuilder.fieldwidgets import Select2Widget
from wtforms import SelectField
from wtforms.validators import DataRequired, Optional

from ..models.base import CodeEnum, meaning_rank


def code_enum_of(datamodel, col: str) -> type[CodeEnum] | None:
    """The column's CodeEnum class, or None for any other column (dotted ones included)."""
    if "." in col or not datamodel.is_enum(col):
        return None
    enum_cls = datamodel.list_columns[col].type.enum_class
    return enum_cls if enum_cls and issubclass(enum_cls, CodeEnum) else None


def labelled_enum_field(enum_cls: type[CodeEnum], label, required: bool) -> SelectField:
    """A select box of an enum's translated labels, coerced back to the member."""
    choices = ([] if required else [("", "")]) + enum_cls.choices()
    return SelectField(
        label,
        choices=choices,
        coerce=lambda v: enum_cls(v) if v not in (None, "") else None,
        validators=[DataRequired()] if required else [Optional()],
        widget=Select2Widget(),
    )


def labelled_search_fields(view) -> None:
    """The list's filter on an enum column offers its labels (the value sent is still the code)."""
    view.search_form_extra_fields = dict(view.search_form_extra_fields or {})
    for col in view.search_columns or []:
        enum_cls = code_enum_of(view.datamodel, col)
        if enum_cls is not None:
            field = SelectField(view.label_columns.get(col, col), choices=enum_cls.choices(),
                                validators=[Optional()], widget=Select2Widget())
            view.search_form_extra_fields.setdefault(col, field)


def order_by_meaning(datamodel, query, order_column: str, order_direction: str, add_pk: bool):
    """The query sorted by an enum column's meaning, or None when the column is not an enum."""
    enum_cls = code_enum_of(datamodel, order_column) if order_column else None
    if enum_cls is None:
        return None
    direction = sa.asc if order_direction == "asc" else sa.desc
    order = [direction(meaning_rank(getattr(datamodel.obj, order_column), enum_cls))]
    pk = getattr(datamodel.obj, datamodel.get_pk_name(), None)
    if add_pk and pk is not None:
        order.append(direction(pk))
    return query.order_by(*order)
