"""The manager dashboard page and the JSON endpoints that feed its charts."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, g, request
from flask_appbuilder import BaseView, expose
from flask_appbuilder.api import BaseApi
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_jwt_extended import verify_jwt_in_request
from flask_login import current_user

from .. import clock, dashboard, figures
from ..actor import current_user_id
from ..charts import CHARTS, Chart, chart_data
from ..models.base import utcnow
from ..models.periods import EARLIEST, LATEST, plausible
from ..replica import reporting
from ..security.policy import api_name, view_name
from ..security.rows import my_staff_ids, restricted_to_own_rows
from .endpoints import screen_action

DEFAULT_DAYS = 180


class PeriodError(ValueError):
    """A bad ?from=&to= period (message is shown to the user)."""


def parse_period(args) -> tuple[date, date]:
    """The period of ?from=YYYY-MM-DD&to=YYYY-MM-DD (default: the last 180 days)."""
    today = clock.today_local()
    try:
        start = date.fromisoformat(args["from"]) if args.get("from") else today - timedelta(days=DEFAULT_DAYS)
        end = date.fromisoformat(args["to"]) if args.get("to") else today
    except ValueError:
        raise PeriodError(gettext("Dates must be written as YYYY-MM-DD.")) from None
    for name, day in (("from", start), ("to", end)):
        if not plausible(day):
            raise PeriodError(gettext("'%(name)s' must lie between %(start)s and %(end)s.", name=name,
                                      start=EARLIEST.isoformat(), end=LATEST.isoformat()))
    if start > end:
        raise PeriodError(gettext("The start date must not be after the end date."))
    if (end - start).days > 3660:
        raise PeriodError(gettext("The period must not be longer than ten years."))
    return start, end


def may_see(chart_or_widget) -> bool:
    """Explicit permission if declared, else read access to the chart's model resource."""
    sm = current_app.appbuilder.sm
    if chart_or_widget.permission:
        view, perm = chart_or_widget.permission
        return sm.has_access(perm, view)
    resource = chart_or_widget.resource
    return sm.has_access("can_get", api_name(resource)) or sm.has_access("can_list", view_name(resource))


def own_ids():
    """The staff ids a field engineer is limited to, else None (sees every row)."""
    return my_staff_ids() if restricted_to_own_rows() else None


def _chart_on_replica(chart, period, own) -> dict:
    with reporting():
        return chart_data(chart, period, own)


class ChartApi(BaseApi):
    """GET /api/v1/chart/<name>?from=&to= → the chart's aggregated data."""

    resource_name = "chart"
    openapi_spec_tag = "Charts"
    allow_browser_login = True

    @expose("/<name>", methods=["GET"])
    def get_chart(self, name: str):
        """The data of one chart; 401 without login, 403 without access, 400 on a bad period."""
        if not current_user.is_authenticated:
            verify_jwt_in_request()  # raises → 401 JSON
        chart: Chart | None = CHARTS.get(name)
        if chart is None:
            return self.response_404()
        if not may_see(chart):
            return self.response_403()
        try:
            period = parse_period(request.args)
        except PeriodError as err:
            return self.response_400(message=str(err))
        own = own_ids()
        # rows limited to one's own: the answer is that login's alone
        parts = {"chart": name, "period": period, "own": current_user_id() if own is not None else None}
        return self.response(200, **figures.remember("chart", parts, lambda: _chart_on_replica(chart, period, own)))


class DashboardView(BaseView):
    """The manager's morning: charts and overdue lists on one page."""

    route_base = "/dashboard"
    default_view = "show"

    @screen_action("/", "list", methods=["GET"])
    def show(self):
        error = None
        try:
            start, end = parse_period(request.args)
        except PeriodError as err:
            error = str(err)
            start, end = parse_period({})
        ctx = {"now": utcnow(), "today": clock.today_local(), "user": g.user, "period": (start, end)}
        sections = []
        for key, title in dashboard.SECTIONS.items():
            widgets = [w for w in dashboard.WIDGETS if w.section == key and may_see(w.chart or w)]
            if widgets:
                tables = {w.name: w.rows(ctx) for w in widgets if w.rows is not None}
                sections.append({"title": title, "widgets": widgets, "tables": tables})
        return self.render_template(
            "dashboard.html", sections=sections, start=start, end=end, error=error,
            query={"from": start.isoformat(), "to": end.isoformat()},
        )


def register_dashboard(appbuilder) -> None:
    """The dashboard menu item (top level) and the chart API."""
    dashboard.load()
    appbuilder.add_view(DashboardView, "Dashboard", label=_l("Dashboard"), icon="fa-chart-bar")
    appbuilder.sm.register_menu("Dashboard", "DashboardView", None)
    appbuilder.add_api(ChartApi)
