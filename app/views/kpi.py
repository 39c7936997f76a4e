"""GET /api/v1/kpi/summary?from=YYYY-MM-DD&to=YYYY-MM-DD (API.md "KPIs")."""
from __future__ import annotations

from datetime import date, timedelta

from flask import request
from flask_appbuilder.api import BaseApi
from flask_babel import gettext as _

from .. import clock
from ..services import kpi
from ..services.report_period import parse_date
from .endpoints import api_action

DEFAULT_DAYS = 30


def parse_day(name: str, default: date) -> date:
    """A YYYY-MM-DD query argument; ValueError with a message when malformed."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    return parse_date(name, raw)


class KpiApi(BaseApi):
    resource_name = "kpi"
    openapi_spec_tag = "KPI"

    @api_action("/summary", "summary", methods=["GET"])
    def summary(self):
        """KPI summary of the tickets received in a period (both days included; default: last 30 days).
        ---
        get:
          parameters:
          - {in: query, name: from, schema: {type: string, format: date}}
          - {in: query, name: to, schema: {type: string, format: date}}
          responses:
            200:
              description: The KPI figures of the tickets received in the period
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      tickets: {type: integer}
                      closed: {type: integer}
                      avg_response_minutes: {type: number, nullable: true}
                      on_time_rate: {type: number, nullable: true}
                      success_rate: {type: number, nullable: true}
                      satisfaction: {type: number, nullable: true}
                      complaint_satisfaction: {type: number, nullable: true}
            400: {$ref: '#/components/responses/400'}
        """
        try:
            end = parse_day("to", clock.today_local())
            start = parse_day("from", end - timedelta(days=DEFAULT_DAYS - 1))
        except ValueError as err:
            return self.response_400(message=str(err))
        if start > end:
            return self.response_400(message=_("'from' must not be after 'to'."))
        return self.response(200, **kpi.summary_now(start, end))
