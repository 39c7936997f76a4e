"""1–5 scores (survey, callback, complaint satisfaction, risk likelihood / impact) as a row of five
buttons on every add and edit form, found from the table's CHECK (`x BETWEEN 1 AND 5`,
`x >= 1 AND x <= 5`) so that a new score column gets the picker without anything to write."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import RadioField
from wtforms.validators import InputRequired, Optional

SCALE = range(1, 6)


def is_one_to_five(column) -> bool:
    """True for an integer column its table's CHECK keeps between 1 and 5."""
    if not isinstance(column, sa.Column) or not isinstance(column.type, sa.Integer):
        return False
    name = re.escape(column.name)
    between = re.compile(rf"\b{name}\s+BETWEEN\s+1\s+AND\s+5\b", re.IGNORECASE)
    ranged = re.compile(rf"\b{name}\s*>=\s*1\s+AND\s+{name}\s*<=\s*5\b", re.IGNORECASE)
    for constraint in column.table.constraints:
        if isinstance(constraint, sa.CheckConstraint):
            text = str(constraint.sqltext)
            if between.search(text) or ranged.search(text):
                return True
    return False


class ScoreRowWidget:
    """Five radio buttons in a row (plus "–" where the score may stay empty), each a big target
    on a phone; the look is `.score-row` in static/css/field.css."""

    def __call__(self, field, **kwargs):
        kwargs.pop("class_", None)
        kwargs.pop("class", None)
        items = [Markup('<label class="score-choice">{}<span>{}</span></label>').format(
            option(), escape(option.label.text)) for option in field]
        return Markup('<div class="score-row" id="{}" role="radiogroup" aria-label="{}">{}</div>').format(
            field.id, field.label.text, Markup("").join(items))


class ScoreField(RadioField):
    widget = ScoreRowWidget()


def _to_score(value):
    return int(value) if value not in (None, "") else None


def score_field(label, required: bool, description: str = "") -> ScoreField:
    choices = ([] if required else [("", "–")]) + [(str(n), str(n)) for n in SCALE]
    return ScoreField(label, choices=choices, coerce=_to_score, description=description,
                      invalid_choice_message=_l("A score is a whole number from 1 to 5."),
                      validators=[InputRequired()] if required else [Optional()])


def add_score_fields(view) -> None:
    """The picker for every 1–5 column of the view's model, on its add and edit forms."""
    columns = view.datamodel.list_columns
    for col in view.datamodel.get_columns_list():
        if not is_one_to_five(columns.get(col)):
            continue
        required = not view.datamodel.is_nullable(col)
        description = (view.description_columns or {}).get(col, "")
        for extra in (view.add_form_extra_fields, view.edit_form_extra_fields):
            extra.setdefault(col, score_field(view.label_columns[col], required, description))
