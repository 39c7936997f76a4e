"""Excel of the pages that are not model lists: the reorder list, faulty parts owed, overdue
tools, stock valuation and a part's stock card.

Each page declares once what it shows (`table()`: title, columns, rows as plain values); the
page and its "Export to Excel" button read the same rows, so the workbook holds exactly what
the page shows — labels in the reader's language, local times, numbers as numbers. The route
is `<page>/export.xlsx` with the page's own arguments, permission `can_export` on the page.
"""
from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, request, send_file, url_for
from flask_babel import gettext
from markupsafe import Markup, escape

from ..clock import today_local
from ..services.export import Column, write_table
from .endpoints import screen_action
from .export import XLSX


@dataclass
class Table:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    name: str  # the file name's stem


class TableExport:
    """Mixed into a BaseView page whose `table(**request.args)` returns a `Table`."""

    def table(self, **args) -> Table:  # pragma: no cover - each page defines it
        raise NotImplementedError

    @screen_action("/export.xlsx", "export", methods=["GET"])
    def export_xlsx(self):
        """The page's rows as an .xlsx download."""
        table = self.table(**request.args.to_dict())
        fh = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
        try:
            write_table(fh, table.title, table.columns, table.rows)
        except BaseException:
            fh.close()
            raise
        fh.seek(0)
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", table.name)
        return send_file(fh, mimetype=XLSX, as_attachment=True, download_name=f"{stem}-{today_local():%Y%m%d}.xlsx")


def export_button(view_name: str, **args) -> Markup:
    """The page's "Export to Excel" button (nothing when the login may not export it)."""
    if not current_app.appbuilder.sm.has_access("can_export", view_name):
        return Markup("")
    href = url_for(f"{view_name}.export_xlsx", **{k: v for k, v in args.items() if v not in (None, "")})
    return Markup(
        '<a href="{href}" class="btn btn-sm btn-default export-xlsx pull-right" rel="nofollow" '
        'title="{title}"><i class="fa fa-file-excel"></i> {label}</a>'
    ).format(href=escape(href), title=gettext("Export the rows of this page to Excel"),
             label=gettext("Export to Excel"))


def init_app(app) -> None:
    app.jinja_env.globals["export_button"] = export_button
