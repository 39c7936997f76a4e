"""The "Export to Excel" of every list: HTML `/<view>/export.xlsx`, API `/api/v1/<resource>/export.xlsx`."""
from __future__ import annotations

import re
import tempfile
from urllib.parse import urlencode

import jsonschema
import prison
import sqlalchemy as sa
from flask import current_app, g, jsonify, redirect, request, send_file, url_for
from flask_appbuilder.api import get_list_schema
from flask_appbuilder.exceptions import FABException
from flask_appbuilder.urltools import get_filter_args, get_order_args
from flask_appbuilder.widgets import ListWidget
from flask_babel import gettext

from ..clock import today_local
from ..extensions import db
from ..models.labels import label_for
from ..services.export import EXCEL_MAX_ROWS
from ..services.export_query import export_list
from .endpoints import api_action, screen_action
from .rison_check import validate
from .row_buttons import row_buttons

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A filter FAB cannot parse (unknown index, odd value); the values themselves were checked
# against their columns before the view ran (security/filter_values.py).
BAD_FILTER_ERRORS = (ValueError, TypeError, IndexError, KeyError)


def export_columns_labels(view, columns: list[str]) -> dict:
    """Header per column: the view's translated label (ServiceApi: "Customer Name" for dotted)."""
    model = view.datamodel.obj
    return {col: view.label_columns.get(col) or label_for(model, col) for col in columns}


class ExportRefused(ValueError):
    """The export's filters or order cannot be used; the message says why (400)."""


def export_name(view) -> str:
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", view.datamodel.obj.__name__).lower()
    return f"{name}-{today_local():%Y%m%d}.xlsx"


def write_export(view, fh, filters, order_column: str, order_direction: str, progress=None) -> int:
    """The list's rows into an open binary file (inline or in a job)."""
    columns = list(view.export_columns or view.list_columns)
    return export_list(
        fh, str(view.list_title), view.datamodel, columns,
        export_columns_labels(view, columns), filters, order_column, order_direction,
        max_rows=view.export_max_rows, progress=progress,
    )


def xlsx_response(view, filters, order_column: str, order_direction: str):
    """Above EXPORT_INLINE_MAX_ROWS with a queue: a background job (202); else built and streamed."""
    from .. import jobs

    if jobs.enabled():
        rows = count_rows(view, filters, current_app.config["EXPORT_INLINE_MAX_ROWS"] + 1)
        if rows > current_app.config["EXPORT_INLINE_MAX_ROWS"]:
            return job_response(jobs.start(
                "export", {"view": type(view).__name__, "url": request.full_path},
                owner_id=g.user.id, download_name=export_name(view)))
    fh = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    try:
        write_export(view, fh, filters, order_column, order_direction)
    except BaseException:
        fh.close()
        raise
    fh.seek(0)
    return send_file(fh, mimetype=XLSX, as_attachment=True, download_name=export_name(view))


def count_rows(view, filters, bound: int) -> int:
    """How many rows the export would have, counted up to `bound` (cheap on a million rows)."""
    dm = view.datamodel
    query = dm.apply_filters(db.session.query(dm.obj), dm.get_inner_filters(filters))
    limited = query.with_entities(sa.inspect(dm.obj).primary_key[0]).limit(bound).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(limited))


def job_response(job):
    """202 {"job", "status_url"} for a program (or a page's script); a browser goes to the job page."""
    status_url = url_for("JobApi.status", job_id=job.id)
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json" \
            or request.blueprint and request.path.startswith("/api/"):
        return jsonify(job=job.id, status_url=status_url), 202
    return redirect(url_for("JobView.show", job_id=job.id), 303)


class ExportListWidget(ListWidget):
    """FAB's list widget with an "Export to Excel" link carrying the list's filters and order."""

    template = "export/list_widget.html"
    counts_bounded = True  # shows "more than 10 000" for a count cut at list_query.COUNT_LIMIT

    def __call__(self, **kwargs):
        name = self.template_args.get("modelview_name", "")
        kwargs["export_url"] = export_link(name)
        kwargs["page_size_url"] = lambda size: page_size_link(name, size)
        kwargs["page_sizes"] = PAGE_SIZES
        kwargs["row_buttons"] = row_buttons
        return super().__call__(**kwargs)


PAGE_SIZES = (25, 50, 100)


def page_size_link(view_name: str, size: int) -> str:
    """This page with the list's page size set, back on its first page (page 3 of 25 rows is
    past the end of a list of 50-row pages); filters and order kept."""
    args = {key: value for key, value in request.args.items() if key != f"page_{view_name}"}
    args[f"psize_{view_name}"] = size
    return url_for(request.endpoint, **{**(request.view_args or {}), **args})


def export_link(view_name: str) -> str | None:
    """URL of the view's export with the current `_flt_*`, `_oc_`/`_od_` args; None if not allowed."""
    from flask import current_app

    if request.endpoint != f"{view_name}.list":  # not on lists embedded in other pages
        return None
    if not current_app.appbuilder.sm.has_access("can_export", view_name):
        return None
    if f"{view_name}.export_xlsx" not in current_app.view_functions:
        return None
    keep = [
        (key, value) for key, value in request.args.items(multi=True)
        if key.startswith("_flt_") or key in (f"_oc_{view_name}", f"_od_{view_name}")
    ]
    url = url_for(f"{view_name}.export_xlsx")
    return f"{url}?{urlencode(keep)}" if keep else url


def _exportable(view) -> None:
    """A view that declares its permissions still offers the export its route checks."""
    if view.base_permissions is not None and "can_export" not in view.base_permissions:
        view.base_permissions = [*view.base_permissions, "can_export"]
    if view.include_route_methods is not None and "export_xlsx" not in view.include_route_methods:
        view.include_route_methods = {*view.include_route_methods, "export_xlsx"}


class ListExportView:
    """Mixed into ServiceModelView: `/<view>/export.xlsx`, exactly the rows of the list."""

    export_columns: list[str] | None = None  # default: the list's columns
    export_max_rows = EXCEL_MAX_ROWS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _exportable(self)
    list_widget = ExportListWidget

    @screen_action("/export.xlsx", "export", methods=["GET"])
    def export_xlsx(self):
        """The list's rows (filters, row rules, order; all pages) as an .xlsx download."""
        try:
            filters, order_column, order_direction = self.export_query()
        except ExportRefused as exc:
            return str(exc), 400
        return xlsx_response(self, filters, order_column, order_direction)

    def export_query(self):
        """(filters, order column, direction) of this request's list address."""
        order = get_order_args().get(self.__class__.__name__)
        if order and order[0] in self.order_columns:
            order_column, order_direction = order
        else:  # an order the list does not offer (e.g. a relationship) falls back, never 500
            order_column, order_direction = self.base_order or ("", "")
        try:
            # columns not in search_columns are ignored by FAB (logged), as on the list page
            get_filter_args(self._filters)
        except BAD_FILTER_ERRORS:
            raise ExportRefused(gettext("A filter in the address is not valid.")) from None
        return self._filters.get_joined_filters(self._base_filters), order_column, order_direction


def rison_args() -> tuple[dict, str | None]:
    """The request's rison `q` checked against FAB's list schema, or a message why not."""
    value = request.args.get("q")
    if not value:
        return {}, None
    try:
        args = prison.loads(value)
    except Exception:  # prison raises TypeError, not only ParserException, on cut-off input
        return {}, gettext("Not a valid rison argument in `q`.")
    try:
        validate(instance=args, schema=get_list_schema)  # the validator kept (rison_check.py)
    except jsonschema.ValidationError as exc:
        return {}, exc.message
    return args, None


class ListExportApi:
    """Mixed into ServiceApi: `GET /api/v1/<resource>/export.xlsx` with the list's rison `q`."""

    export_columns: list[str] | None = None
    export_max_rows = EXCEL_MAX_ROWS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _exportable(self)

    @api_action("/export.xlsx", "export", methods=["GET"])
    def export_xlsx(self):
        """Export the list as xlsx
        ---
        get:
          description: >-
            Every row matching the rison `q` (filters and order as the list, no page limit)
            as an .xlsx; the first row holds the column labels.
          parameters:
          - in: query
            name: q
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/get_list_schema'
          responses:
            200:
              description: The workbook
              content:
                application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                  schema:
                    type: string
                    format: binary
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
        """
        try:
            filters, order_column, order_direction = self.export_query()
        except ExportRefused as exc:
            return self.response_400(message=str(exc))
        return xlsx_response(self, filters, order_column, order_direction)

    def export_query(self):
        """(filters, order column, direction) of this request's rison `q`."""
        args, problem = rison_args()
        if problem:
            raise ExportRefused(problem)
        try:
            filters = self._handle_filters_args(args)
            order_column, order_direction = self._handle_order_args(args)
        except FABException as exc:
            raise ExportRefused(str(exc)) from None
        except BAD_FILTER_ERRORS:
            raise ExportRefused(gettext("A filter in `q` is not valid.")) from None
        return filters, order_column, order_direction
