"""The periodic after-sales report: a page with a period picker, and GET /api/v1/report/after_sales.xlsx."""
from __future__ import annotations

import tempfile

from flask import g, request, send_file
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi

from .. import clock
from ..services.report_period import PERIODS, parse_period
from ..services.report_workbook import write_after_sales_report
from .endpoints import api_action
from .export import XLSX


def report_file(period):
    """The workbook of a period as a download; a background job when there is a queue."""
    from .. import jobs
    from .export import job_response

    if jobs.enabled():
        keys = ("period", "date", "from", "to")
        params = {key: request.args[key] for key in keys if request.args.get(key)}
        name = f"after_sales_{period.start:%Y%m%d}_{period.end:%Y%m%d}.xlsx"
        return job_response(jobs.start("after_sales_report", params, owner_id=g.user.id, download_name=name))
    fh = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    write_after_sales_report(fh, period)
    fh.seek(0)
    name = f"after_sales_{period.start:%Y%m%d}_{period.end:%Y%m%d}.xlsx"
    return send_file(fh, mimetype=XLSX, as_attachment=True, download_name=name)


class AfterSalesReportView(BaseView):
    """The manager's page: pick a month / quarter / year (or a range) and download the workbook."""

    route_base = "/report/after_sales"
    default_view = "list"

    def _page(self, error=None, status=200):
        today = clock.today_local()
        body = self.render_template("report/after_sales.html", periods=PERIODS, error=error,
                                    period=request.args.get("period") or "month",
                                    day=request.args.get("date") or str(today),
                                    start=request.args.get("from") or "", end=request.args.get("to") or "")
        return body, status

    @expose("/")
    @has_access
    def list(self):
        return self._page()

    @expose("/download")
    @has_access
    def download(self):
        """The workbook; bad input shows the page again with the message (400)."""
        try:
            period = parse_period(request.args, clock.today_local())
        except ValueError as err:
            return self._page(str(err), 400)
        return report_file(period)


class AfterSalesReportApi(BaseApi):
    resource_name = "report"
    openapi_spec_tag = "Reports"

    @api_action("/after_sales.xlsx", "after_sales", methods=["GET"])
    def after_sales(self):
        """The periodic after-sales report workbook (000 §八(二)).
        ---
        get:
          parameters:
          - {in: query, name: period, schema: {type: string, enum: [month, quarter, year]}}
          - {in: query, name: date, schema: {type: string, format: date}}
          - {in: query, name: from, schema: {type: string, format: date}}
          - {in: query, name: to, schema: {type: string, format: date}}
          responses:
            200: {description: the xlsx workbook}
            400: {$ref: '#/components/responses/400'}
        """
        try:
            period = parse_period(request.args, clock.today_local())
        except ValueError as err:
            return self.response_400(message=str(err))
        return report_file(period)
