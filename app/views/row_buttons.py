"""A list row's show / edit / delete buttons, built from pieces made once per list.

FAB's list draws each row's buttons with three macros, each building its link with `url_for`,
translating its two titles and asking for the page's nonce: ~25 calls a row, a fifth of a list
page's time. The links differ only by the row's key, so each is made once with a stand-in key
and the row's key put in its place (quoted as Werkzeug quotes a path part). The HTML is FAB's.
"""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

KEY = "__row_key__"
# what werkzeug's path converter leaves unquoted in a URL part
SAFE = "!$&'()*+,/:;=@"

LINK = ('<a href="{href}" class="btn btn-sm btn-default" data-toggle="tooltip" rel="tooltip" title="{title}">'
        '<span class="sr-only">{label}</span><i class="fa {icon}"></i></a>')
DELETE = (
    '<a id="btn-delete-{href}" href="#" class="btn btn-sm btn-default confirm" rel="tooltip" title="{title}">'
    '<span class="sr-only">{label}</span><i class="fa fa-trash"></i></a>'
    '<script nonce="{nonce}">document.getElementById("btn-delete-{href}").addEventListener("click", function () {{'
    " const adminAction = new AdminActions(); return adminAction.execute_single_delete('{href}','{question}'); }})"
    "</script>"
)


def row_buttons(view_name: str, filters, can_show: bool, can_edit: bool, can_delete: bool,
                nonce: str = "") -> Callable[[object], Markup]:
    """pk → the row's buttons cell content, as FAB's `lib.btn_crud` draws it."""
    pieces: list[tuple[str, str]] = []  # (format, link with the stand-in key)
    link_filters = _link_filters(filters)
    if can_show and (href := _link(f"{view_name}.show")):
        pieces.append((LINK.format(href="{href}", title=escape(_("Show record")), label=escape(_("Show")),
                                   icon="fa-search"), href + link_filters))
    if can_edit and (href := _link(f"{view_name}.edit")):
        pieces.append((LINK.format(href="{href}", title=escape(_("Edit record")), label=escape(_("Edit")),
                                   icon="fa-edit"), href + link_filters))
    if can_delete and (href := _link(f"{view_name}.delete")):
        pieces.append((DELETE.format(href="{href}", title=escape(_("Delete record")), label=escape(_("Delete")),
                                     nonce=escape(nonce),
                                     question=escape(_("Are you sure you want to delete this item?"))), href))

    def draw(pk) -> Markup:
        key = quote(str(pk), safe=SAFE)
        cells = "".join(fmt.replace("{href}", str(escape(href.replace(KEY, key)))) for fmt, href in pieces)
        return Markup(f'<div class="btn-group btn-group-xs" style="display: flex;">{cells}</div>')

    return draw


def _link(endpoint: str) -> str | None:
    try:
        return url_for(endpoint, pk=KEY)
    except BuildError:  # a view without that page (FAB's safe_url_for)
        return None


def _link_filters(filters) -> str:
    """FAB's `set_link_filters`: the related view's filters carried on show / edit links."""
    parts = [f"_flt_0_{flt.column_name}={value}" for flt, value in filters.get_filters_values()
             if flt.is_related_view]
    return ("?" + "&".join(parts)) if parts else ""
