"""The manager's KPI page: the same numbers as GET /api/v1/kpi/summary, with the previous period."""
from __future__ import annotations

from datetime import date, timedelta

from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .. import clock
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
DASH = "—"


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of equal length just before [start, end]."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def is_rate(key: str) -> bool:
    return key.endswith("_rate") or key.endswith("satisfaction")


def show(key: str, value) -> str:
    """A KPI as the page prints it: rates in %, empty as a dash."""
    if value is None:
        return DASH
    return f"{value * 100:.1f} %" if is_rate(key) else str(value)


def change(key: str, now, before) -> str:
    """This period minus the previous one: percentage points for rates, a dash when either is empty."""
    if now is None or before is None:
        return DASH
    diff = now - before
    if is_rate(key):
        return gettext("%(diff)s pp", diff=f"{diff * 100:+.1f}")
    return f"{diff:+.1f}" if isinstance(diff, float) else f"{diff:+d}"


def comparison(start: date, end: date) -> tuple[list[dict], tuple[date, date]]:
    """Rows of (label, this period, previous period, change) and the previous period."""
    prev = previous_period(start, end)
    this, before = kpi.summary_now(start, end), kpi.summary_now(*prev)
    rows = [{"key": key, "label": label, "this": show(key, this[key]), "previous": show(key, before[key]),
             "change": change(key, this[key], before[key])} for key, label in ROWS]
    return rows, prev


class KpiView(BaseView):
    """KPI summary of a period against the previous period of equal length, for the manager."""

    route_base = "/kpi"
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        error, rows, prev = None, None, None
        end = clock.today_local()
        start = end - timedelta(days=DEFAULT_DAYS - 1)
        try:
            end = parse_day("to", end)
            start = parse_day("from", end - timedelta(days=DEFAULT_DAYS - 1))
            if start > end:
                raise ValueError(gettext("'from' must not be after 'to'."))
            rows, prev = comparison(start, end)
        except ValueError as err:
            error = str(err)
        body = self.render_template("tickets/kpi.html", rows=rows, error=error, start=start, end=end,
                                    prev=prev)
        return body, 400 if error else 200
