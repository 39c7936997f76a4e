"""The navbar's menu rendered once per set of entries a login sees and language, not on every page.

Each page (and each 403 / 404 page) drew ~80 menu entries: a url_for, a translation and a macro
call per entry, a third of the time of a small page. What the menu shows depends only on which
entries the login may see (the same `has_access("menu_access", …)` FAB's template asks, asked
here on every page: a role changed on the roles screen counts at once), the language, and the
application root the links are made under; the HTML is kept per those three.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g, render_template, request
from flask_babel import get_locale
from markupsafe import Markup


def _visible(appbuilder) -> tuple:
    """The entries the template would draw, in its order: categories and their children."""
    sm, shown = appbuilder.sm, []
    can = _menu_access(sm)
    for item in appbuilder.menu.get_list():
        if not can(item.name):
            continue
        shown.append(item.name)
        shown.extend((item.name, child.name) for child in item.childs or ()
                     if child and child.name != "-" and can(child.name))
    return tuple(shown)


def _menu_access(sm) -> Callable[[str], bool]:
    """`has_access("menu_access", name)` for each entry. For a page of a session login (FAB sets
    g.user to it before the view) the login is resolved once, not again for each of ~80 entries."""
    user = g.get("user")
    if user is not None and not g.get("_api_key_user") and user.is_authenticated and user.is_active:
        return lambda name: sm._has_view_access(user, "menu_access", name)
    return lambda name: sm.has_access("menu_access", name)


def init_app(app) -> None:
    drawn: dict[tuple, Markup] = {}

    def navbar_menu() -> Markup:
        appbuilder = current_app.appbuilder
        key = (str(get_locale()), request.script_root, _visible(appbuilder))
        html = drawn.get(key)
        if html is None:
            html = drawn[key] = Markup(render_template("appbuilder/navbar_menu.html", menu=appbuilder.menu))
        return html

    app.jinja_env.globals["navbar_menu"] = navbar_menu
