"""The areas' dashboard widgets and role panels on hand-made data; KPI page = KPI API; bounded SQL."""
import re
from datetime import date, timedelta

import pytest

from app import clock
from app.extensions import db
from app.models import Complaint, ToolLoan
from app.models.base import utcnow
from app.services import stock
from tests.conftest import count_queries
from tests.parts_helpers import make_part, make_warehouse
from tests.records import customer_named
from tests.test_kpi import october  # noqa: F401  (fixture: hand-made October 2026 tickets)


def _series(body):
    return dict(zip(body["categories"], body["series"][0]["data"], strict=True))


# --- one definition of "on time" --------------------------------------------------------
def test_dashboard_on_time_rate_equals_kpi_summary(client, api, october):  # noqa: F811
    q = "from=2026-10-01&to=2026-10-31"
    kpi = client.get(f"/api/v1/kpi/summary?{q}", headers=api("manager")).json
    chart = client.get(f"/api/v1/chart/sla_on_time_monthly?{q}", headers=api("manager")).json
    assert kpi["on_time_rate"] == 0.6
    assert chart["keys"] == ["2026-10-01"] and chart["series"][0]["data"] == [kpi["on_time_rate"]]


def test_kpi_page_numbers_previous_period_and_change(app, client, as_user, api, october):  # noqa: F811
    as_user("manager")
    html = client.get("/kpi/?from=2026-10-01&to=2026-10-31").get_data(as_text=True)
    rows = {k: (a, b, c) for k, a, b, c in re.findall(
        r'id="kpi-(\w+)"><th>[^<]+</th><td class="kpi-this">([^<]*)</td>'
        r'<td class="kpi-previous">([^<]*)</td><td class="kpi-change">([^<]*)</td>', html)}
    api_now = client.get("/api/v1/kpi/summary?from=2026-10-01&to=2026-10-31", headers=api("manager")).json
    # previous period of equal length: 31 days before October 1st
    api_prev = client.get("/api/v1/kpi/summary?from=2026-08-31&to=2026-09-30", headers=api("manager")).json
    assert rows["tickets"] == (str(api_now["tickets"]), str(api_prev["tickets"]), "+5")  # 6 vs F only
    assert rows["on_time_rate"] == ("60.0 %", "100.0 %", "-40.0 pp")
    assert rows["satisfaction"][1] == "0.0 %" and rows["complaint_satisfaction"] == ("—", "—", "—")
    assert "2026-08-31" in html


def test_kpi_page_empty_period_and_bad_input(client, as_user):
    as_user("manager")
    resp = client.get("/kpi/?from=2020-01-01&to=2020-01-31")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="kpi-on_time_rate"><th>Repair on-time rate</th><td class="kpi-this">—' in html
    resp = client.get("/kpi/?from=2026-13-01")
    assert resp.status_code == 400 and "YYYY-MM-DD" in resp.get_data(as_text=True) or "real date" in resp.get_data(as_text=True)
    resp = client.get("/kpi/?from=2026-10-31&to=2026-10-01")
    assert resp.status_code == 400 and "must not be after" in resp.get_data(as_text=True)


# --- complaints ------------------------------------------------------------------------
def _complaints(app):
    with app.app_context():
        c = customer_named("投诉客户")
        today = clock.today_local()
        for n, (status, deadline) in enumerate([("handling", today - timedelta(days=2)),
                                               ("received", today + timedelta(days=5)),
                                               ("closed", today - timedelta(days=9))], 1):
            db.session.add(Complaint(number=f"TS-{n}", customer_id=c.id, subject=f"投诉{n}", content="x",
                                     status=status, deadline=deadline,
                                     closed_at=utcnow() if status == "closed" else None))
        db.session.commit()


def test_open_complaints_counts_and_list(app, client, as_user):
    _complaints(app)
    as_user("cs")
    html = client.get("/").get_data(as_text=True)
    panel = html.split('id="panel-open_complaints"')[1]
    counts = re.findall(r'<span class="h3">(\d+)</span><br><span class="text-muted">([^<]+)<', panel)
    assert counts[:2] == [("2", "Open complaints"), ("1", "Overdue complaints")]
    table = panel.split("</table>")[0]
    assert table.index("TS-1") < table.index("TS-2") and "TS-3" not in table  # overdue first
    assert 'id="panel-requisitions_to_issue"' not in html


# --- parts ------------------------------------------------------------------------------
def _parts(app):
    with app.app_context():
        w1, w2 = make_warehouse(1, "总库"), make_warehouse(2, "分库")
        a = make_part(1, name="电源模块", reorder_point=5, is_key=True)
        b = make_part(2, name="风扇", reorder_point=3)
        c = make_part(3, name="螺丝", reorder_point=0)
        stock.receive(a, w1, 10, "12.00", "R1")
        stock.receive(b, w1, 4, "5.00", "R2")
        stock.receive(c, w2, 100, "0.10", "R3")
        stock.issue(a, w1, 6, "I1")   # a: 4 left (≤ 5: reorder), consumed 6 × 12 = 72
        stock.issue(b, w1, 2, "I2")   # b: 2 left (≤ 3: reorder), consumed 2 × 5 = 10
        stock.issue(c, w2, 30, "I3")  # c: consumed 30 × 0.10 = 3
        db.session.commit()


def test_parts_consumption_stock_value_and_reorder(app, client, api, as_user):
    _parts(app)
    h = api("manager")
    qty = client.get("/api/v1/chart/parts_consumption_qty", headers=h).json
    assert list(_series(qty).items()) == [("螺丝", 30), ("电源模块", 6), ("风扇", 2)]
    value = client.get("/api/v1/chart/parts_consumption_value", headers=h).json
    assert list(_series(value).items()) == [("电源模块", 72), ("风扇", 10), ("螺丝", 3)]
    wh = client.get("/api/v1/chart/stock_value_by_warehouse", headers=h).json
    assert _series(wh) == {"总库": 58, "分库": 7}  # 4 × 12 + 2 × 5; 70 × 0.10
    for name in ("parts_consumption_qty", "stock_value_by_warehouse", "satisfaction_monthly"):
        assert client.get(f"/api/v1/chart/{name}", headers=api("cs")).status_code == 403
    as_user("keeper")
    html = client.get("/").get_data(as_text=True)
    panel = html.split('id="panel-reorder"')[1].split("</table>")[0]
    assert panel.index("电源模块") < panel.index("风扇") and "螺丝" not in panel  # key part first
    assert "Parts at or below reorder point" in html and "home_reorder" not in html


def test_field_engineer_panels_tools_and_owed_parts(app, client, as_user, staff):
    from app.models import Tool

    with app.app_context():
        tool = Tool(code="T-1", name="光功率计")
        db.session.add(tool)
        db.session.flush()
        db.session.add(ToolLoan(tool_id=tool.id, borrower_id=staff["field1"], due_on=date(2020, 1, 1)))
        db.session.commit()
    as_user("field1")
    html = client.get("/").get_data(as_text=True)
    assert "光功率计" in html.split('id="panel-tools_held"')[1].split("</table>")[0]
    assert 'id="panel-parts_owed"' in html and 'id="panel-my_inspections"' in html
    assert 'id="panel-overdue_tool_loans"' not in html
    client.get("/logout/")
    as_user("field2")
    html = client.get("/").get_data(as_text=True)
    assert "光功率计" not in html
    client.get("/logout/")
    as_user("keeper")
    html = client.get("/").get_data(as_text=True)
    assert "光功率计" in html.split('id="panel-overdue_tool_loans"')[1].split("</table>")[0]


# --- bounded SQL ------------------------------------------------------------------------
def test_pages_issue_a_bounded_number_of_queries(app, client, as_user, staff):
    _complaints(app)
    _parts(app)
    with app.app_context():
        engine = db.engine
    for user, limit in [("manager", 40), ("cs", 30), ("field1", 30), ("tech", 30), ("keeper", 30)]:
        as_user(user)
        client.get("/")  # warm-up: permission caches
        with count_queries(engine) as q:
            assert client.get("/").status_code == 200
        assert len(q) <= limit, (user, len(q), q)
        client.get("/logout/")
    as_user("manager")
    client.get("/dashboard/")
    with count_queries(engine) as q:
        assert client.get("/dashboard/").status_code == 200
    assert len(q) <= 30, q
    with count_queries(engine) as q:
        client.get("/api/v1/chart/parts_consumption_value")
    assert len(q) <= 5, q


# --- satisfaction, the next 14 days, tech engineer's panels ------------------------------
def test_satisfaction_upcoming_and_tech_panels(app, client, api, as_user, staff):
    from datetime import datetime

    from app.models import CallbackRecord, InspectionRecord, SatisfactionSurvey
    from app.models.maintenance import MaintenancePlan
    from app.models.ticket_work import FaultAnalysis
    from tests.records import ticket_received

    today = clock.today_local()
    with app.app_context():
        c = customer_named("回访客户")
        t1 = ticket_received(c, datetime(2026, 9, 2, 9), status="closed", title="九月一")
        t2 = ticket_received(c, datetime(2026, 9, 3, 9), status="closed", title="九月二")
        t3 = ticket_received(c, datetime(2026, 10, 3, 9), status="closed", title="十月")
        now = clock.local_wall_time(utcnow())  # make_ticket takes Beijing wall times
        late = ticket_received(c, now - timedelta(days=2), status="assigned", title="超期未派",
                           respond_by=now - timedelta(days=1), resolve_by=now + timedelta(days=1))
        for t, scores, at in [(t1, (5, 5, 5), datetime(2026, 9, 5)), (t2, (3, 3, 3), datetime(2026, 9, 9)),
                              (t3, (4, 4, 5), datetime(2026, 10, 9))]:
            db.session.add(SatisfactionSurvey(ticket_id=t.id, timeliness=scores[0], effectiveness=scores[1],
                                              attitude=scores[2], surveyed_at=at))
        for n, due in enumerate([today - timedelta(days=3), today + timedelta(days=10),
                                 today + timedelta(days=20)], 1):
            db.session.add(CallbackRecord(customer_id=c.id, due_date=due, status="due", content=f"回访{n}"))
            db.session.add(InspectionRecord(customer_id=c.id, site=f"站点{n}", phase="early", due_date=due,
                                            status="due", engineer_id=staff["field1"]))
            db.session.add(MaintenancePlan(title=f"维护{n}", kind="hardware", content="x", planned_start=due,
                                           planned_end=due + timedelta(days=1)))
        db.session.add(FaultAnalysis(ticket_id=t1.id, fault_type="电源故障", phenomenon="x", cause_analysis="y",
                                     analysed_on=today))
        db.session.add(FaultAnalysis(ticket_id=t2.id, fault_type="已整改", phenomenon="x", cause_analysis="y",
                                     corrective_action="换件", analysed_on=today))
        db.session.commit()
        number = late.number
    body = client.get("/api/v1/chart/satisfaction_monthly?from=2026-09-01&to=2026-10-31",
                      headers=api("manager")).json
    assert body["keys"] == ["2026-09-01", "2026-10-01"]
    assert body["series"][0]["data"] == [4.0, pytest.approx(13 / 3, abs=1e-3)]  # (15 + 9) / 6; 13 / 3
    as_user("manager")
    html = client.get("/dashboard/").get_data(as_text=True)
    for widget, first, second, absent in [("upcoming_callbacks", "回访客户", None, None),
                                          ("upcoming_inspections", "站点1", "站点2", "站点3"),
                                          ("upcoming_maintenance", "维护1", "维护2", "维护3")]:
        part = html.split(f'id="widget-{widget}"')[1].split("</table>")[0]
        assert first in part
        if second:
            assert part.index(first) < part.index(second) and absent not in part
    rows = re.findall(r"<tr[ >]", html.split('id="widget-upcoming_callbacks"')[1].split("</table>")[0])
    assert len(rows) == 1 + 2  # the heading and two callbacks (the overdue one marked by its row's class)
    client.get("/logout/")
    as_user("tech")
    html = client.get("/").get_data(as_text=True)
    assert number in html.split('id="panel-escalated"')[1].split("</table>")[0]  # response deadline passed
    review = html.split('id="panel-analyses_to_review"')[1].split("</table>")[0]
    assert "电源故障" in review and "已整改" not in review
    client.get("/logout/")
    as_user("field1")
    mine = client.get("/").get_data(as_text=True).split('id="panel-my_inspections"')[1].split("</table>")[0]
    assert "站点1" in mine and "站点2" in mine and "站点3" not in mine
