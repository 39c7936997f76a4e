"""The form inputs' attributes are written as WTForms writes them (app/views/html_attributes.py)."""
import pytest
from markupsafe import Markup

from app.views import html_attributes

CASES = [
    {},
    {"name": "number", "id": "number", "value": ""},
    {"value": 'a "quoted" <b>&amp;</b> value', "placeholder": "客户"},
    {"value": Markup("<i>safe</i>"), "class_": "form-control", "for_": "x"},
    {"selected": True, "value": "__None", "disabled": False, "required": True},
    {"data_url": "/lookup/customer?via=TicketView.customer_id", "aria_label": "Open calendar"},
    {"value": 7, "maxlength": 32, "step": 0.5, "min": None, "data_picker": "datetime"},
    {"title": Markup('say "hi"'), "onclick": "x('y')"},
]


@pytest.mark.parametrize("attributes", CASES)
def test_the_same_text_as_wtforms(attributes):
    assert html_attributes.html_params(**attributes) == html_attributes.ORIGINAL(**attributes)
    assert type(html_attributes.html_params(**attributes)) is Markup


def test_installed_for_wtforms_widgets(app):
    from wtforms.widgets import core

    assert core.html_params is html_attributes.html_params
