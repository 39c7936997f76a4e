"""Maintenance plans and records, completion rate, upgrade requests and their workflow."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import MaintenancePlan, MaintenanceRecord, MaintenanceStatus, UpgradeRequest
from app.services import maintenance as svc
from tests.conftest import csrf_token
from tests.registers_helpers import count, get


def make_plan(app, start=date(2026, 1, 5), end=date(2026, 1, 20), status=MaintenanceStatus.planned, **kw):
    with app.app_context():
        plan = MaintenancePlan(title=kw.pop("title", "服务器季度维护"), kind="hardware", content="清洁、性能检测",
                               planned_start=start, planned_end=end, status=status,
                               completed_on=start if status == MaintenanceStatus.completed else None, **kw)
        db.session.add(plan)
        db.session.commit()
        return plan.id


def test_plan_dates_out_of_order(app, client, api, as_user):
    resp = client.post("/api/v1/maintenance_plan/", json={
        "title": "t", "kind": "software", "content": "c", "planned_start": "2026-03-01",
        "planned_end": "2026-02-01"}, headers=api("tech"))
    assert resp.status_code == 422 and "planned_end" in resp.json["message"]
    web = as_user("tech")
    token = csrf_token(web, "/maintenanceplanview/add")
    resp = web.post("/maintenanceplanview/add", data={
        "title": "t", "kind": "software", "content": "c", "planned_start": "2026-03-01",
        "planned_end": "2026-02-01", "status": "planned", "csrf_token": token})
    assert "The planned end must not be before the planned start." in resp.get_data(as_text=True)
    assert count(app, MaintenancePlan) == 0


def test_a_done_record_completes_its_plan(app, client, api, staff):
    pid = make_plan(app)
    h = api("field1")
    resp = client.post("/api/v1/maintenance_record/", json={
        "plan": pid, "performed_on": "2026-01-08", "content": "更换风扇，清洁滤网", "outcome": "partial",
        "performed_by": staff["field1"]}, headers=h)
    assert resp.status_code == 201, resp.json
    assert get(app, MaintenancePlan, pid)["status"] == "planned"
    resp = client.post("/api/v1/maintenance_record/", json={
        "plan": pid, "performed_on": "2026-01-12", "content": "性能检测通过", "outcome": "done"}, headers=h)
    assert resp.status_code == 201
    row = get(app, MaintenancePlan, pid)
    assert row["status"] == "completed" and row["completed_on"] == date(2026, 1, 12)


def test_record_before_the_plan_or_in_the_future_is_refused(app, client, api):
    pid = make_plan(app)
    h = api("field1")
    for day in ("2026-01-01", (clock.today_local() + timedelta(days=3)).isoformat()):
        resp = client.post("/api/v1/maintenance_record/", json={
            "plan": pid, "performed_on": day, "content": "c", "outcome": "done"}, headers=h)
        assert resp.status_code == 422 and "performed_on" in resp.json["message"]
    assert count(app, MaintenanceRecord) == 0 and get(app, MaintenancePlan, pid)["status"] == "planned"


def test_cancelled_plan_takes_no_records(app, client, api):
    pid = make_plan(app, status=MaintenanceStatus.cancelled)
    resp = client.post("/api/v1/maintenance_record/", json={
        "plan": pid, "performed_on": "2026-01-08", "content": "c", "outcome": "done"}, headers=api("field1"))
    assert resp.status_code == 409 and count(app, MaintenanceRecord) == 0


def test_html_record_completes_the_plan(app, as_user, staff):
    pid = make_plan(app)
    web = as_user("field2")
    token = csrf_token(web, "/maintenancerecordview/add")
    resp = web.post("/maintenancerecordview/add", data={
        "plan": str(pid), "performed_on": "2026-01-10", "content": "系统补丁升级", "outcome": "done",
        "tested": "y", "csrf_token": token})
    assert resp.status_code == 302
    assert get(app, MaintenancePlan, pid)["status"] == "completed"


def test_completion_rate(app):
    make_plan(app, end=date(2026, 3, 10), status=MaintenanceStatus.completed, title="a")
    make_plan(app, end=date(2026, 3, 20), title="b")
    make_plan(app, end=date(2026, 3, 25), status=MaintenanceStatus.cancelled, title="c")
    make_plan(app, end=date(2026, 4, 2), status=MaintenanceStatus.completed, title="d")
    with app.app_context():
        assert svc.maintenance_completion_rate(date(2026, 3, 1), date(2026, 3, 31)) == 0.5
        assert svc.maintenance_completion_rate(date(2026, 3, 1), date(2026, 4, 30)) == round(2 / 3, 4)
        assert svc.maintenance_completion_rate(date(2025, 1, 1), date(2025, 12, 31)) is None


# --- upgrade requests ---------------------------------------------------------------------

def raise_request(client, h, **kw):
    resp = client.post("/api/v1/upgrade_request/", json={
        "title": "影像处理软件增加批量拼接", "source": "customer", "need": "function",
        "description": "客户希望一次处理多景影像", **kw}, headers=h)
    assert resp.status_code == 201, resp.json
    return resp.json["id"]


def move(client, h, pk, to, note=None):
    return client.post(f"/api/v1/upgrade_request/{pk}/transition", json={"to": to, "note": note}, headers=h)


def test_upgrade_workflow(app, client, api, staff):
    pk = raise_request(client, api("cs"))
    assert get(app, UpgradeRequest, pk)["status"] == "submitted"
    tech, mgr = api("tech"), api("manager")
    resp = move(client, tech, pk, "evaluated")
    assert resp.status_code == 422 and {"feasibility", "cost_benefit", "priority"} <= set(resp.json["message"])
    client.put(f"/api/v1/upgrade_request/{pk}", json={
        "feasibility": "high", "cost_benefit": "开发 10 人日，可减少现场处理时间 50%", "priority": "medium",
        "estimated_cost": "12000.00"}, headers=tech)
    assert move(client, tech, pk, "evaluated").status_code == 200
    row = get(app, UpgradeRequest, pk)
    assert row["evaluated_by_id"] == staff["tech"] and row["evaluated_on"] == clock.today_local()
    assert move(client, tech, pk, "approved").status_code == 403  # the manager decides
    resp = move(client, mgr, pk, "approved")
    assert resp.status_code == 422 and "plan_steps" in resp.json["message"]
    client.put(f"/api/v1/upgrade_request/{pk}", json={
        "plan_goal": "支持批量拼接", "plan_steps": "开发→测试→试点→推广", "test_plan": "三景影像回归测试",
        "risk_measures": "升级前备份数据", "planned_start": "2026-05-01", "planned_end": "2026-06-30"}, headers=mgr)
    assert move(client, mgr, pk, "approved", "同意实施").status_code == 200
    assert get(app, UpgradeRequest, pk)["decided_by_id"] == staff["manager"]
    assert move(client, tech, pk, "implemented").status_code == 200
    assert move(client, tech, pk, "submitted").status_code == 409


def test_rejection_needs_a_reason(app, client, api, staff):
    pk = raise_request(client, api("field1"), feasibility="low", cost_benefit="成本过高", priority="low")
    mgr = api("manager")
    move(client, mgr, pk, "evaluated")
    assert move(client, mgr, pk, "rejected").status_code == 422
    assert move(client, mgr, pk, "rejected", "投入产出比低，暂缓").status_code == 200
    assert "暂缓" in get(app, UpgradeRequest, pk)["decision_note"]


def test_upgrade_plan_dates_and_cost(app, client, api):
    resp = client.post("/api/v1/upgrade_request/", json={
        "title": "t", "source": "market", "description": "d", "planned_start": "2026-06-01",
        "planned_end": "2026-05-01", "estimated_cost": "-5"}, headers=api("tech"))
    assert resp.status_code == 422
    assert {"planned_end", "estimated_cost"} <= set(resp.json["message"])
    assert count(app, UpgradeRequest) == 0


def test_html_upgrade_buttons_follow_the_role(app, as_user, client, staff):
    with app.app_context():
        req = UpgradeRequest(title="t", source="market", description="d", status="evaluated")
        db.session.add(req)
        db.session.commit()
        pk = req.id
    web = as_user("manager")
    page = web.get(f"/upgraderequestview/show/{pk}").get_data(as_text=True)
    assert "Move to: Approved" in page and "Move to: Rejected" in page
    token = csrf_token(web, "/upgraderequestview/add")
    web.post(f"/upgraderequestview/transition/{pk}", data={"to": "rejected", "note": "不符合产品路线",
                                                           "csrf_token": token})
    assert get(app, UpgradeRequest, pk)["status"] == "rejected"


@pytest.mark.parametrize("login, resource, status", [
    ("keeper", "upgrade_request", 403), ("keeper", "maintenance_plan", 403),
    ("cs", "maintenance_plan", 200), ("field1", "maintenance_record", 200),
])
def test_who_sees_maintenance(client, api, login, resource, status):
    assert client.get(f"/api/v1/{resource}/", headers=api(login)).status_code == status


def test_field_engineer_cannot_plan_maintenance(app, client, api):
    resp = client.post("/api/v1/maintenance_plan/", json={
        "title": "t", "kind": "software", "content": "c", "planned_start": "2026-03-01",
        "planned_end": "2026-03-02"}, headers=api("field1"))
    assert resp.status_code == 403


def test_html_upgrade_request_by_a_field_engineer(app, as_user):
    web = as_user("field1")
    token = csrf_token(web, "/upgraderequestview/add")
    resp = web.post("/upgraderequestview/add", data={
        "title": "巡检记录移动端填报", "source": "after_sales", "need": "function", "description": "现场填写更方便",
        "requested_on": "", "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        req = db.session.scalar(sa.select(UpgradeRequest))
        assert req.requested_on == clock.today_local() and req.status == "submitted"


def test_completed_plan_needs_its_date(app, client, api):
    resp = client.post("/api/v1/maintenance_plan/", json={
        "title": "t", "kind": "software", "content": "c", "planned_start": "2026-03-01",
        "planned_end": "2026-03-05", "status": "completed"}, headers=api("tech"))
    assert resp.status_code == 422 and "completed_on" in resp.json["message"]
    assert count(app, MaintenancePlan) == 0
