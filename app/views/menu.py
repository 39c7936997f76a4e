"""Registers every screen and API of the menu table (`MENU`, `NO_MENU`, `APIS` in
app/security/policy.py, beside the role POLICY table) with AppBuilder, in the table's order.

A register's screen brings its API (`build` puts it on the screen class as `spec_api`), so a new
register is named once, by its menu entry; `APIS` lists only the APIs that are no register's.
"""
from __future__ import annotations

import importlib

from ..security.policy import APIS, MENU, NO_MENU


def resolve(ref: str) -> type:
    module, _sep, name = ref.partition(":")
    return getattr(importlib.import_module(f"app.views.{module}"), name)


def register_menu(appbuilder) -> None:
    """Every screen of MENU with its menu entry, the NO_MENU screens, then the registers' APIs (in the
    order of their screens) and the other APIs."""
    apis: list[type] = []  # a register's API once, though its screen may have two entries

    def brings(view: type) -> type:
        api = vars(view).get("spec_api")  # the register's own screen, not a subclass of it
        if api is not None and api not in apis:
            apis.append(api)
        return view

    for category in MENU:
        for item in category.items:
            view = brings(resolve(item.view))
            if item.href is None:
                appbuilder.add_view(view, item.name, label=item.label, icon=item.icon, category=category.name,
                                    category_label=category.label)
            else:
                appbuilder.add_link(item.name, href=item.href, label=item.label, icon=item.icon,
                                    category=category.name, category_label=category.label)
            appbuilder.sm.register_menu(item.name, item.access or view.__name__, category.name)
    for ref in NO_MENU:
        appbuilder.add_view_no_menu(brings(resolve(ref)))
    for api in [*apis, *map(resolve, APIS)]:
        appbuilder.add_api(api)
