"""Manager dashboard, chart endpoints (permissions, bad periods), role home panels, offline pages."""
import re
from datetime import timedelta
from pathlib import Path

from app import clock
from app.extensions import db
from app.models import Ticket
from app.models.base import utcnow
from tests.records import customer_named, ticket_received

TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
EXTERNAL_CSS = re.compile(r"""(?:url\(|@import)\s*["']?\s*(?:https?:)?//""", re.I)


def _overdue_fixture(app, staff):
    with app.app_context():
        c = customer_named("东城镇自然资源局")
        now = clock.local_wall_time(utcnow())  # make_ticket takes Beijing wall times
        late = ticket_received(c, now - timedelta(days=3), status="assigned", severity="emergency",
                           resolve_by=now - timedelta(hours=5), assignee_id=staff["field1"],
                           title="接收站无信号")
        ticket_received(c, now - timedelta(days=3), status="closed", resolve_by=now - timedelta(hours=5),
                    title="已关闭的旧单")
        ticket_received(c, now, status="new", resolve_by=now + timedelta(hours=4), title="新来的工单")
        ticket_received(c, now, status="in_progress", resolve_by=now + timedelta(days=3),
                    assignee_id=staff["field2"], title="别人的工单")
        db.session.commit()
        return late.number


def test_manager_dashboard_shows_charts_and_overdue_list(app, as_user, staff):
    number = _overdue_fixture(app, staff)
    client = as_user("manager")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert 'data-chart-url="/api/v1/chart/open_by_status' in html
    assert "/static/vendor/echarts/echarts.min.js" in html
    overdue = html.split('id="widget-overdue"')[1].split('id="widget-due_soon"')[0]
    assert number in overdue and "已关闭的旧单" not in overdue and "新来的工单" not in overdue
    due_soon = html.split('id="widget-due_soon"')[1]
    assert "新来的工单" in due_soon.split("</table>")[0]


def test_dashboard_and_its_charts_are_the_managers(app, as_user, client):
    as_user("cs")
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/api/v1/chart/open_by_status").status_code == 403
    # derived permission: CS may read customers, so the customer charts are open to CS
    assert client.get("/api/v1/chart/customers_by_region").status_code == 200


def test_chart_api_with_jwt_and_without_login(app, client, api, staff):
    _overdue_fixture(app, staff)
    assert client.get("/api/v1/chart/open_by_severity").status_code == 401
    resp = client.get("/api/v1/chart/open_by_severity", headers=api("manager"))
    assert resp.status_code == 200
    body = resp.json
    assert dict(zip(body["keys"], body["series"][0]["data"], strict=True)) == {
        "general": 2, "emergency": 1}
    assert client.get("/api/v1/chart/nope", headers=api("manager")).status_code == 404
    assert client.get("/api/v1/chart/open_by_severity", headers=api("keeper")).status_code == 403


def test_bad_period_is_a_clear_400_and_a_message_on_the_page(app, client, api, as_user):
    resp = client.get("/api/v1/chart/intake_weekly_by_channel?from=2026-05-01&to=2026-04-01",
                      headers=api("manager"))
    assert resp.status_code == 400
    assert "start date" in resp.json["message"]
    resp = client.get("/api/v1/chart/intake_weekly_by_channel?from=yesterday", headers=api("manager"))
    assert resp.status_code == 400 and "YYYY-MM-DD" in resp.json["message"]
    as_user("manager")
    page = client.get("/dashboard/?from=2026-05-01&to=2026-04-01")
    assert page.status_code == 200
    assert "The start date must not be after the end date." in page.get_data(as_text=True)


def test_period_without_data_is_an_empty_chart(app, client, api, staff):
    _overdue_fixture(app, staff)
    resp = client.get("/api/v1/chart/intake_weekly_by_channel?from=2020-01-01&to=2020-02-01",
                      headers=api("manager"))
    assert resp.status_code == 200
    assert resp.json["empty"] is True
    assert all(v == 0 for s in resp.json["series"] for v in s["data"])


def test_field_engineer_chart_counts_only_own_tickets(app, client, api, staff):
    from app.charts import CHARTS
    from app.security.policy import EXTRA

    _overdue_fixture(app, staff)
    # the workload chart is the manager's; grant it for this test to check the row filter
    EXTRA["Field Engineer"].append(("DashboardView", "can_list"))
    app.appbuilder.sm._grants.clear()
    try:
        body = client.get("/api/v1/chart/workload", headers=api("field1")).json
    finally:
        EXTRA["Field Engineer"].remove(("DashboardView", "can_list"))
        app.appbuilder.sm._grants.clear()
    assert CHARTS["workload"].own_rows == "assignee_id"
    assert body["categories"] == ["张伟"] and sum(body["series"][i]["data"][0] for i in range(len(body["series"]))) == 1


def test_home_panels_per_role(app, client, as_user, staff):
    number = _overdue_fixture(app, staff)
    as_user("manager")
    html = client.get("/").get_data(as_text=True)
    assert 'id="panel-overdue"' in html and number in html
    assert 'id="panel-open_by_severity"' in html
    client.get("/logout/")
    as_user("field1")
    html = client.get("/").get_data(as_text=True)
    mine = html.split('id="panel-my_tickets"')[1]
    assert "接收站无信号" in mine and "别人的工单" not in mine
    assert 'id="panel-overdue"' not in html
    client.get("/logout/")
    as_user("cs")
    html = client.get("/").get_data(as_text=True)
    assert "新来的工单" in html.split('id="panel-new_tickets"')[1]
    client.get("/logout/")
    as_user("tech")
    html = client.get("/").get_data(as_text=True)
    assert "新来的工单" in html.split('id="panel-unassigned"')[1]


def test_no_template_references_an_external_url():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {m.group(0)}" for m in EXTERNAL.finditer(text)]
        offenders += [f"{path.name}: {m.group(0)}" for m in EXTERNAL_CSS.finditer(text)]
    assert not offenders


def test_rendered_dashboard_loads_nothing_from_outside(app, as_user, staff):
    _overdue_fixture(app, staff)
    client = as_user("manager")
    for url in ("/dashboard/", "/", "/customerview/list/"):
        html = client.get(url).get_data(as_text=True)
        assert not EXTERNAL.findall(html), url
        assert not EXTERNAL_CSS.findall(html), url
    js = (TEMPLATES.parent / "static" / "js" / "dashboard.js").read_text()
    assert "http" not in js
