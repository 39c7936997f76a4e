"""Inspection plans, generation of due inspections, checklist results, tickets from abnormal items."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import (
    Cycle,
    InspectionChecklistItem,
    InspectionItemResult,
    InspectionPlan,
    InspectionRecord,
    ItemResult,
    Phase,
    Ticket,
)
from app.services import inspections as svc
from tests.conftest import csrf_token
from tests.records import make_customer, make_equipment
from tests.registers_helpers import count, get

CHECKS = ["接收站天线外观与紧固", "服务器运行指示灯", "UPS 电池电压", "机房温湿度"]


def make_plan(app, customer_id, engineer_id=None, cycle=Cycle.monthly, start=None, cycle_days=None):
    with app.app_context():
        plan = InspectionPlan(customer_id=customer_id, site="机房", cycle=cycle, cycle_days=cycle_days,
                              phase=Phase.middle, start_date=start or date(2026, 1, 10), engineer_id=engineer_id)
        plan.items = [InspectionChecklistItem(position=i, text=t) for i, t in enumerate(CHECKS, 1)]
        db.session.add(plan)
        db.session.commit()
        return plan.id


def test_plan_dates_per_cycle(app):
    cid = make_customer(app)
    with app.app_context():
        plan = InspectionPlan(customer_id=cid, site="s", cycle=Cycle.quarterly, phase=Phase.early,
                              start_date=date(2026, 1, 31))
        assert list(svc.plan_dates(plan, date(2026, 12, 31))) == [
            date(2026, 1, 31), date(2026, 4, 30), date(2026, 7, 31), date(2026, 10, 31)]
        plan.cycle, plan.cycle_days = Cycle.days, 45
        assert list(svc.plan_dates(plan, date(2026, 4, 1))) == [date(2026, 1, 31), date(2026, 3, 17)]
        plan.cycle, plan.end_date = Cycle.half_yearly, date(2026, 6, 30)
        assert list(svc.plan_dates(plan, date(2027, 12, 31))) == [date(2026, 1, 31)]


@pytest.mark.parametrize("body, field", [
    ({"cycle": "days", "cycle_days": 0}, "cycle_days"),
    ({"cycle": "days"}, "cycle_days"),
    ({"cycle": "monthly", "end_date": "2025-12-31"}, "end_date"),
])
def test_bad_plans_are_refused(app, client, api, body, field):
    cid = make_customer(app)
    resp = client.post("/api/v1/inspection_plan/", json={
        "customer": cid, "site": "机房", "phase": "middle", "start_date": "2026-01-10", **body,
    }, headers=api("tech"))
    assert resp.status_code == 422 and field in resp.json["message"]
    assert count(app, InspectionPlan) == 0


def test_html_plan_cycle_of_zero_days_is_a_form_error(app, as_user):
    cid = make_customer(app)
    web = as_user("manager")
    token = csrf_token(web, "/inspectionplanview/add")
    resp = web.post("/inspectionplanview/add", data={
        "customer": str(cid), "site": "机房", "cycle": "days", "cycle_days": "0", "phase": "late",
        "start_date": "2026-01-10", "csrf_token": token})
    assert resp.status_code == 200 and "The cycle must be at least 1 day." in resp.get_data(as_text=True)
    assert count(app, InspectionPlan) == 0


def test_equipment_of_another_customer_is_refused(app, client, api):
    c1, c2 = make_customer(app, 1), make_customer(app, 2)
    eq = make_equipment(app, c2)
    resp = client.post("/api/v1/inspection_plan/", json={
        "customer": c1, "equipment": eq, "site": "机房", "cycle": "monthly", "phase": "middle",
        "start_date": "2026-01-10"}, headers=api("tech"))
    assert resp.status_code == 422 and "equipment" in resp.json["message"]


def test_generation_copies_the_checklist_and_is_idempotent(app, staff):
    cid = make_customer(app)
    pid = make_plan(app, cid, staff["field1"])
    with app.app_context():
        assert svc.generate_due_inspections(date(2026, 3, 1), horizon_days=14) == 2  # Feb 10, Mar 10 (backlog 31 d)
        db.session.commit()
        assert svc.generate_due_inspections(date(2026, 3, 1), horizon_days=14) == 0
        record = db.session.scalars(sa.select(InspectionRecord).order_by(InspectionRecord.due_date)).first()
        assert record.due_date == date(2026, 2, 10) and record.engineer_id == staff["field1"]
        assert [r.text for r in record.results] == CHECKS
        assert all(r.result == ItemResult.pending for r in record.results)
        assert record.phase == Phase.middle and record.plan_id == pid


def test_generation_through_the_api(app, client, api, staff):
    cid = make_customer(app)
    make_plan(app, cid, staff["field1"], start=clock.today_local())
    h = api("tech")
    assert client.post("/api/v1/inspection_record/generate", headers=h).json["created"] == 1
    assert client.post("/api/v1/inspection_record/generate", headers=h).json["created"] == 0
    assert client.post("/api/v1/inspection_record/generate", headers=api("cs")).status_code == 403


def test_duplicate_inspection_for_the_same_due_date(app, client, api):
    cid = make_customer(app)
    pid = make_plan(app, cid)
    body = {"plan": pid, "customer": cid, "site": "机房", "phase": "middle", "due_date": "2026-02-10"}
    h = api("manager")
    assert client.post("/api/v1/inspection_record/", json=body, headers=h).status_code == 201
    resp = client.post("/api/v1/inspection_record/", json=body, headers=h)
    assert resp.status_code == 409 and count(app, InspectionRecord) == 1


def _generated(app, pid, due=date(2026, 2, 10)):
    with app.app_context():
        plan = db.session.get(InspectionPlan, pid)
        record = svc.new_record(plan, due)
        db.session.add(record)
        db.session.commit()
        return record.id, [r.id for r in record.results]


def test_done_needs_every_item_checked_and_a_date(app, client, api, as_user, staff):
    cid = make_customer(app)
    pid = make_plan(app, cid, staff["field1"])
    rid, items = _generated(app, pid)
    h = api("field1")
    resp = client.put(f"/api/v1/inspection_record/{rid}", json={"status": "done", "inspected_on": "2026-02-10"},
                      headers=h)
    assert resp.status_code == 422 and "4 checklist items are not checked yet." in resp.json["message"]["status"]
    for pk in items[:3]:
        assert client.put(f"/api/v1/inspection_item_result/{pk}", json={"result": "ok"}, headers=h).status_code == 200
    resp = client.put(f"/api/v1/inspection_item_result/{items[3]}", json={"result": "abnormal"}, headers=h)
    assert resp.status_code == 422 and "note" in resp.json["message"]
    client.put(f"/api/v1/inspection_item_result/{items[3]}", json={"result": "abnormal", "note": "温度 32℃ 偏高"},
               headers=h)
    resp = client.put(f"/api/v1/inspection_record/{rid}", json={"status": "done"}, headers=h)
    assert resp.status_code == 422 and "inspected_on" in resp.json["message"]
    resp = client.put(f"/api/v1/inspection_record/{rid}", json={
        "status": "done", "inspected_on": "2026-02-10", "dust_cleaned": True, "hidden_dangers": "空调老化",
        "customer_questions": "询问影像导出格式"}, headers=h)
    assert resp.status_code == 200, resp.json
    assert get(app, InspectionRecord, rid)["status"] == "done"


def test_html_done_with_unchecked_items_is_a_form_error(app, as_user, staff):
    cid = make_customer(app)
    pid = make_plan(app, cid, staff["field1"])
    rid, _ = _generated(app, pid)
    web = as_user("field1")
    token = csrf_token(web, f"/inspectionrecordview/edit/{rid}")
    resp = web.post(f"/inspectionrecordview/edit/{rid}", data={
        "plan": str(pid), "customer": str(cid), "site": "机房", "phase": "middle", "due_date": "2026-02-10",
        "status": "done", "inspected_on": "2026-02-10", "csrf_token": token})
    assert resp.status_code == 200 and "checklist items are not checked yet" in resp.get_data(as_text=True)
    assert get(app, InspectionRecord, rid)["status"] == "due"


def test_abnormal_item_opens_a_ticket_once(app, client, api, as_user, staff):
    cid = make_customer(app)
    pid = make_plan(app, cid, staff["field1"])
    rid, items = _generated(app, pid)
    h = api("field1")
    resp = client.post(f"/api/v1/inspection_record/{rid}/items/{items[0]}/open_ticket", headers=h)
    assert resp.status_code == 409 and count(app, Ticket) == 0  # still pending, not abnormal
    client.put(f"/api/v1/inspection_item_result/{items[2]}", json={"result": "abnormal", "note": "电池鼓包"},
               headers=h)
    resp = client.post(f"/api/v1/inspection_record/{rid}/items/{items[2]}/open_ticket", headers=h)
    assert resp.status_code == 200, resp.json
    with app.app_context():
        ticket = db.session.get(Ticket, resp.json["ticket"]["id"])
        assert ticket.customer_id == cid and "UPS" in ticket.title and "电池鼓包" in ticket.description
        assert db.session.get(InspectionItemResult, items[2]).ticket_id == ticket.id
    assert client.post(f"/api/v1/inspection_record/{rid}/items/{items[2]}/open_ticket", headers=h).status_code == 409
    assert client.post(f"/api/v1/inspection_record/{rid}/items/99999/open_ticket", headers=h).status_code == 404
    assert count(app, Ticket) == 1


def test_html_open_ticket_button_on_the_inspection(app, as_user, staff):
    cid = make_customer(app)
    pid = make_plan(app, cid, staff["field1"])
    rid, items = _generated(app, pid)
    with app.app_context():
        item = db.session.get(InspectionItemResult, items[1])
        item.result, item.note = ItemResult.abnormal, "指示灯红色告警"
        db.session.commit()
    web = as_user("tech")
    page = web.get(f"/inspectionrecordview/show/{rid}").get_data(as_text=True)
    assert "Open a ticket for item 2" in page and "Open a ticket for item 1" not in page
    token = csrf_token(web, "/inspectionrecordview/add")
    resp = web.post(f"/inspectionrecordview/open_ticket/{rid}/{items[1]}", data={"csrf_token": token},
                    follow_redirects=True)
    assert "Ticket SR-" in resp.get_data(as_text=True)
    assert count(app, Ticket) == 1
    assert "Open a ticket for item 2" not in web.get(f"/inspectionrecordview/show/{rid}").get_data(as_text=True)


def test_field_engineers_see_only_their_own_inspections(app, client, api, as_user, staff):
    cid = make_customer(app)
    mine = _generated(app, make_plan(app, cid, staff["field1"]))[0]
    theirs, their_items = _generated(app, make_plan(app, cid, staff["field2"]))
    helped = _generated(app, make_plan(app, cid, staff["field2"]), date(2026, 3, 1))[0]
    with app.app_context():
        from app.models import Staff
        record = db.session.get(InspectionRecord, helped)
        record.engineers.append(db.session.get(Staff, staff["field1"]))
        db.session.commit()
    h = api("field1")
    ids = {r["id"] for r in client.get("/api/v1/inspection_record/", headers=h).json["result"]}
    assert ids == {mine, helped}
    assert client.get(f"/api/v1/inspection_record/{theirs}", headers=h).status_code == 404
    assert client.put(f"/api/v1/inspection_record/{theirs}", json={"summary": "x"}, headers=h).status_code == 404
    assert client.put(f"/api/v1/inspection_item_result/{their_items[0]}", json={"result": "ok"},
                      headers=h).status_code == 404
    assert client.post(f"/api/v1/inspection_record/{theirs}/items/{their_items[0]}/open_ticket",
                       headers=h).status_code == 404
    assert len(client.get("/api/v1/inspection_record/", headers=api("tech")).json["result"]) == 3
    web = as_user("field1")
    assert web.get(f"/inspectionrecordview/show/{theirs}").status_code == 404
    assert web.get(f"/inspectionrecordview/show/{mine}").status_code == 200


@pytest.mark.parametrize("login, status", [("keeper", 403), ("cs", 200)])
def test_who_sees_inspections(client, api, login, status):
    assert client.get("/api/v1/inspection_record/", headers=api(login)).status_code == status


def test_cs_cannot_write_inspections(app, client, api):
    cid = make_customer(app)
    resp = client.post("/api/v1/inspection_record/", json={
        "customer": cid, "site": "机房", "phase": "early", "due_date": "2026-02-10"}, headers=api("cs"))
    assert resp.status_code == 403


def test_future_inspection_date_is_refused(app, client, api):
    cid = make_customer(app)
    resp = client.post("/api/v1/inspection_record/", json={
        "customer": cid, "site": "机房", "phase": "early", "due_date": "2026-02-10",
        "inspected_on": (clock.today_local() + timedelta(days=2)).isoformat()}, headers=api("manager"))
    assert resp.status_code == 422 and "inspected_on" in resp.json["message"]


def test_html_item_result_edit_is_limited_to_own_inspections(app, as_user, client, staff):
    cid = make_customer(app)
    rid, items = _generated(app, make_plan(app, cid, staff["field1"]))
    web = as_user("field1")
    token = csrf_token(web, f"/inspectionitemresultview/edit/{items[0]}")
    resp = web.post(f"/inspectionitemresultview/edit/{items[0]}", data={
        "result": "abnormal", "note": "天线螺栓松动", "csrf_token": token})
    assert resp.status_code == 302
    assert get(app, InspectionItemResult, items[0])["result"] == "abnormal"
    resp = web.post(f"/inspectionitemresultview/edit/{items[1]}", data={"result": "abnormal", "csrf_token": token})
    assert resp.status_code == 200 and "Describe what is abnormal." in resp.get_data(as_text=True)
    assert f"/inspectionrecordview/show/{rid}" in web.get("/inspectionrecordview/list/").get_data(as_text=True)
    web.get("/logout/")
    other = as_user("field2")
    assert other.get(f"/inspectionitemresultview/edit/{items[0]}").status_code == 404
    assert f"/inspectionrecordview/show/{rid}" not in other.get("/inspectionrecordview/list/").get_data(as_text=True)


def test_cs_cannot_open_tickets_from_inspections(app, client, api, staff):
    cid = make_customer(app)
    rid, items = _generated(app, make_plan(app, cid, staff["field1"]))
    with app.app_context():
        item = db.session.get(InspectionItemResult, items[0])
        item.result, item.note = ItemResult.abnormal, "x"
        db.session.commit()
    resp = client.post(f"/api/v1/inspection_record/{rid}/items/{items[0]}/open_ticket", headers=api("cs"))
    assert resp.status_code == 403 and count(app, Ticket) == 0
