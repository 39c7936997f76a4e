"""The manager's KPI page: the same numbers as GET /api/v1/kpi/summary."""
from __future__ import annotations

from datetime import timedelta

from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ..models.base import utcnow
from ..services import kpi
from .kpi import DEFAULT_DAYS, parse_day

ROWS = [
    ("tickets", _l("Tickets received")),
    ("closed", _l("Closed")),
    ("avg_response_minutes", _l("Average response time (minutes)")),
    ("on_time_rate", _l("Repair on-time rate")),
    ("success_rate", _l("Repair success rate (not reopened)")),
    ("satisfaction", _l("Customer satisfaction (surveys with mean score 4 or more)")),
    ("complaint_satisfaction", _l("Complaint-handling satisfaction")),
]


class KpiView(BaseView):
    """KPI summary of a period, for the manager."""

    route_base = "/kpi"
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        error, numbers = None, None
        end = utcnow().date()
        start = end - timedelta(days=DEFAULT_DAYS - 1)
        try:
            end = parse_day("to", end)
            start = parse_day("from", end - timedelta(days=DEFAULT_DAYS - 1))
            if start > end:
                raise ValueError(gettext("'from' must not be after 'to'."))
            numbers = kpi.summary(start, end)
        except ValueError as err:
            error = str(err)
        body = self.render_template("tickets/kpi.html", rows=ROWS, numbers=numbers, error=error,
                                    start=start, end=end)
        return body, 400 if error else 200
