"""WTForms' `html_params` (every form input's and every select option's attributes) without
`Markup.format`.

WTForms writes each attribute through `Markup('{k}="{v}"').format(...)`, Python's string
formatter run for every attribute of every input and option: on the ticket list (its search
form holds five selects with ~60 options and five inputs) the largest single cost left in a page
(~7 %). This writes the same text — the value escaped and its quotes as `&quot;`, the name
escaped, `True` as the bare name, `False` left out, sorted by name — with one f-string.
tests/test_html_attributes.py compares the two on every kind of value.
"""
from __future__ import annotations

from markupsafe import Markup, escape
from wtforms.widgets import core

QUOTE, QUOTED = Markup('"'), Markup("&quot;")


def html_params(**kwargs) -> Markup:
    params = []
    for key, value in sorted(kwargs.items()):
        key = core.clean_key(key)
        if value is True:
            params.append(key)
        elif value is not False:
            params.append(Markup(f'{escape(key)}="{escape(value).replace(QUOTE, QUOTED)}"'))
    return Markup(" ").join(params)


ORIGINAL = core.html_params


def install() -> None:
    """WTForms' own widgets look the function up in their module at each call."""
    core.html_params = html_params
