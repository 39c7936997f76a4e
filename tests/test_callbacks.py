"""Callback plans, generation of due callbacks, callback records, the due list, follow-up tickets."""
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app import clock
from app.extensions import db
from app.models import CallbackPlan, CallbackRecord, CallbackStatus, Importance, Ticket
from app.models.inspections import InspectionRecord, InspectionStatus, Phase
from app.services import callbacks as svc
from tests.conftest import csrf_token
from tests.records import make_customer, make_ticket
from tests.registers_helpers import count, get


def make_plan(app, customer_id, frequency=4, year=None):
    with app.app_context():
        plan = CallbackPlan(customer_id=customer_id, year=year or clock.today_local().year, target="信息科科长",
                            frequency_per_year=frequency, method="phone", content="设备使用情况与满意度")
        db.session.add(plan)
        db.session.commit()
        return plan.id


# --- plans ------------------------------------------------------------------------------

@pytest.mark.parametrize("importance, expected", [
    (Importance.key, 12), (Importance.important, 4), (Importance.normal, 2),
])
def test_plan_frequency_defaults_from_customer_importance(app, client, api, importance, expected):
    cid = make_customer(app, importance=importance)
    resp = client.post("/api/v1/callback_plan/", json={
        "customer": cid, "year": 2026, "target": "主任", "method": "phone", "content": "回访",
    }, headers=api("cs"))
    assert resp.status_code == 201, resp.json
    assert resp.json["result"]["frequency_per_year"] == expected


def test_plan_with_zero_callbacks_a_year_is_refused(app, client, api, as_user):
    cid = make_customer(app)
    body = {"customer": cid, "year": 2026, "target": "主任", "method": "phone", "content": "回访",
            "frequency_per_year": 0}
    resp = client.post("/api/v1/callback_plan/", json=body, headers=api("cs"))
    assert resp.status_code == 422 and "frequency_per_year" in resp.json["message"]
    web = as_user("cs")
    token = csrf_token(web, "/callbackplanview/add")
    resp = web.post("/callbackplanview/add", data={**body, "customer": str(cid), "csrf_token": token})
    assert resp.status_code == 200
    assert "Number must be between 1 and 52" in resp.get_data(as_text=True)
    assert count(app, CallbackPlan) == 0


def test_html_plan_left_empty_gets_suggested_frequency(app, as_user):
    cid = make_customer(app, importance=Importance.key)
    web = as_user("cs")
    token = csrf_token(web, "/callbackplanview/add")
    resp = web.post("/callbackplanview/add", data={
        "customer": str(cid), "year": "2026", "target": "主任", "method": "site", "content": "实地回访",
        "frequency_per_year": "", "active": "y", "csrf_token": token,
    })
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(CallbackPlan.frequency_per_year)) == 12


def test_due_dates_spread_over_the_year():
    assert svc.due_dates(2026, 4) == [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)]
    five = svc.due_dates(2026, 5)
    assert len(five) == 5 and five == sorted(five) and five[-1] == date(2026, 12, 31)
    assert len(set(svc.due_dates(2024, 52))) == 52


# --- generation -------------------------------------------------------------------------

def test_generation_creates_due_callbacks_once(app):
    cid = make_customer(app)
    pid = make_plan(app, cid, frequency=12, year=2026)
    with app.app_context():
        assert svc.generate_due_callbacks(date(2026, 6, 15), horizon_days=30) == 6  # Jan–Jun month ends
        db.session.commit()
        assert svc.generate_due_callbacks(date(2026, 6, 15), horizon_days=30) == 0
        assert svc.generate_due_callbacks(date(2026, 7, 15), horizon_days=30) == 1
        db.session.commit()
        dues = db.session.scalars(sa.select(CallbackRecord.due_date).where(CallbackRecord.plan_id == pid)).all()
    assert sorted(dues)[0] == date(2026, 1, 31) and len(dues) == 7 == len(set(dues))


def test_generation_through_the_api_is_idempotent(app, client, api):
    cid = make_customer(app)
    make_plan(app, cid, frequency=12)
    h = api("cs")
    first = client.post("/api/v1/callback_plan/generate", headers=h)
    assert first.status_code == 200 and first.json["created"] >= 1
    again = client.post("/api/v1/callback_plan/generate", headers=h)
    assert again.json["created"] == 0
    assert count(app, CallbackRecord) == first.json["created"]
    assert client.post("/api/v1/callback_plan/generate", headers=api("field1")).status_code == 403


def test_inactive_plans_generate_nothing(app):
    cid = make_customer(app)
    pid = make_plan(app, cid, frequency=12)
    with app.app_context():
        db.session.get(CallbackPlan, pid).active = False
        db.session.commit()
        assert svc.generate_due_callbacks() == 0


def test_database_refuses_a_second_callback_for_the_same_plan_and_date(app):
    cid = make_customer(app)
    pid = make_plan(app, cid)
    with app.app_context():
        for _ in range(2):
            db.session.add(CallbackRecord(customer_id=cid, plan_id=pid, due_date=date(2026, 3, 31)))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


# --- records ----------------------------------------------------------------------------

def test_duplicate_callback_for_the_same_due_date_is_refused(app, client, api, as_user):
    cid = make_customer(app)
    pid = make_plan(app, cid)
    body = {"customer": cid, "plan": pid, "due_date": "2026-03-31", "method": "phone", "status": "due"}
    h = api("cs")
    assert client.post("/api/v1/callback_record/", json=body, headers=h).status_code == 201
    resp = client.post("/api/v1/callback_record/", json=body, headers=h)
    assert resp.status_code == 409
    assert "already has a callback due" in resp.json["message"]["due_date"]
    web = as_user("cs")
    token = csrf_token(web, "/callbackrecordview/add")
    resp = web.post("/callbackrecordview/add", data={
        "customer": str(cid), "plan": str(pid), "due_date": "2026-03-31", "method": "phone", "status": "due",
        "csrf_token": token,
    })
    assert resp.status_code == 200
    assert "already has a callback due on that date" in resp.get_data(as_text=True)
    assert count(app, CallbackRecord) == 1


@pytest.mark.parametrize("score", [0, 6, -1])
def test_scores_out_of_range_are_refused(app, client, api, as_user, score):
    cid = make_customer(app)
    resp = client.post("/api/v1/callback_record/", json={
        "customer": cid, "due_date": "2026-03-31", "method": "phone", "score_quality": score,
    }, headers=api("cs"))
    assert resp.status_code == 422 and "score_quality" in resp.json["message"]
    web = as_user("cs")
    token = csrf_token(web, "/callbackrecordview/add")
    resp = web.post("/callbackrecordview/add", data={
        "customer": str(cid), "due_date": "2026-03-31", "method": "phone", "status": "due",
        "score_service": str(score), "csrf_token": token,
    })
    assert resp.status_code == 200 and "A score is a whole number from 1 to 5." in resp.get_data(as_text=True)
    assert count(app, CallbackRecord) == 0


def test_recording_a_callback_with_scores(app, client, api, staff):
    cid = make_customer(app)
    pid = make_plan(app, cid)
    h = api("cs")
    pk = client.post("/api/v1/callback_record/", json={
        "customer": cid, "plan": pid, "due_date": "2026-03-31", "method": "phone"}, headers=h).json["id"]
    resp = client.put(f"/api/v1/callback_record/{pk}", json={
        "status": "done", "called_at": "2026-03-30T10:00:00", "contact_person": "李主任",
        "opinions": "响应及时", "score_function": 5, "score_performance": 4, "score_quality": 4,
        "score_service": 5, "new_needs": "希望增加无人机数据处理培训",
    }, headers=h)
    assert resp.status_code == 200, resp.json
    row = get(app, CallbackRecord, pk)
    assert row["status"] is CallbackStatus.done and row["caller_id"] == staff["cs"]
    with app.app_context():
        assert db.session.get(CallbackRecord, pk).average_score == 4.5


def test_done_callback_needs_its_time(app, client, api):
    cid = make_customer(app)
    resp = client.post("/api/v1/callback_record/", json={
        "customer": cid, "due_date": "2026-03-31", "method": "phone", "status": "done"}, headers=api("cs"))
    assert resp.status_code == 422 and "called_at" in resp.json["message"]


def test_plan_of_another_customer_is_refused(app, client, api):
    c1, c2 = make_customer(app, 1), make_customer(app, 2)
    pid = make_plan(app, c2)
    resp = client.post("/api/v1/callback_record/", json={
        "customer": c1, "plan": pid, "due_date": "2026-03-31", "method": "phone"}, headers=api("cs"))
    assert resp.status_code == 422 and "plan" in resp.json["message"]


# --- due list and sources ---------------------------------------------------------------

def test_due_list_has_due_callbacks_closed_tickets_and_done_inspections(app, client, api, as_user):
    cid = make_customer(app)
    pid = make_plan(app, cid)
    tid = make_ticket(app, cid, 1)
    make_ticket(app, cid, 2, status="in_progress")
    with app.app_context():
        db.session.add(CallbackRecord(customer_id=cid, plan_id=pid, due_date=clock.today_local()))
        insp = InspectionRecord(customer_id=cid, site="机房", phase=Phase.late, due_date=clock.today_local(),
                                status=InspectionStatus.done, inspected_on=clock.today_local())
        db.session.add(insp)
        db.session.commit()
        iid = insp.id
    due = client.get("/api/v1/callback_record/due", headers=api("cs")).json
    assert [t["id"] for t in due["tickets"]] == [tid]
    assert [i["id"] for i in due["inspections"]] == [iid]
    assert len(due["callbacks"]) == 1
    web = as_user("cs")
    page = web.get("/callbackrecordview/due").get_data(as_text=True)
    assert "T-TEST-1" in page and "T-TEST-2" not in page and "机房" in page
    token = csrf_token(web, "/callbackrecordview/add")
    resp = web.post("/callbackrecordview/start", data={"ticket": str(tid), "csrf_token": token})
    assert resp.status_code == 302 and "/callbackrecordview/edit/" in resp.headers["Location"]
    assert count(app, CallbackRecord, CallbackRecord.ticket_id == tid) == 1
    again = client.post("/api/v1/callback_record/start", json={"ticket": tid}, headers=api("cs"))
    assert again.status_code == 409
    due = client.get("/api/v1/callback_record/due", headers=api("cs")).json
    assert due["tickets"] == []
    resp = client.post("/api/v1/callback_record/start", json={"inspection": iid}, headers=api("cs"))
    assert resp.status_code == 201 and resp.json["result"]["inspection_id"] == iid


def test_open_ticket_is_not_a_callback_source(app, client, api):
    cid = make_customer(app)
    tid = make_ticket(app, cid, status="in_progress")
    resp = client.post("/api/v1/callback_record/start", json={"ticket": tid}, headers=api("cs"))
    assert resp.status_code == 409 and count(app, CallbackRecord) == 0


# --- follow-up ticket -------------------------------------------------------------------

def test_open_a_ticket_from_a_callback_once(app, client, api, as_user, staff):
    cid = make_customer(app)
    h = api("cs")
    pk = client.post("/api/v1/callback_record/", json={
        "customer": cid, "due_date": "2026-03-31", "method": "phone"}, headers=h).json["id"]
    empty = client.post(f"/api/v1/callback_record/{pk}/open_ticket", headers=h)
    assert empty.status_code == 422 and count(app, Ticket) == 0
    client.put(f"/api/v1/callback_record/{pk}", json={"follow_up": "接收站信号弱，需上门检查天线"}, headers=h)
    resp = client.post(f"/api/v1/callback_record/{pk}/open_ticket", headers=h)
    assert resp.status_code == 200, resp.json
    with app.app_context():
        ticket = db.session.get(Ticket, resp.json["ticket"]["id"])
        assert ticket.customer_id == cid and ticket.status == "new" and "天线" in ticket.description
        assert ticket.received_by_id == staff["cs"]
    assert client.post(f"/api/v1/callback_record/{pk}/open_ticket", headers=h).status_code == 409
    web = as_user("cs")
    token = csrf_token(web, "/callbackrecordview/add")
    web.post(f"/callbackrecordview/open_ticket/{pk}", data={"csrf_token": token})
    assert count(app, Ticket) == 1
    assert client.post(f"/api/v1/callback_record/{pk}/open_ticket", headers=api("tech")).status_code == 403


def test_html_open_ticket_button(app, as_user):
    cid = make_customer(app)
    with app.app_context():
        rec = CallbackRecord(customer_id=cid, due_date=date(2026, 3, 31), new_needs="需要新增影像拼接功能")
        db.session.add(rec)
        db.session.commit()
        pk = rec.id
    web = as_user("cs")
    page = web.get(f"/callbackrecordview/show/{pk}").get_data(as_text=True)
    assert "Open a ticket from this callback" in page
    token = csrf_token(web, "/callbackrecordview/add")
    resp = web.post(f"/callbackrecordview/open_ticket/{pk}", data={"csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(CallbackRecord, pk).follow_up_ticket.category == "suggestion"


# --- roles ------------------------------------------------------------------------------

@pytest.mark.parametrize("login, status", [("field1", 403), ("keeper", 403), ("tech", 200), ("manager", 200)])
def test_who_sees_callbacks(client, api, login, status):
    assert client.get("/api/v1/callback_record/", headers=api(login)).status_code == status


def test_tech_reads_but_does_not_write_callbacks(app, client, api):
    cid = make_customer(app)
    resp = client.post("/api/v1/callback_plan/", json={
        "customer": cid, "year": 2026, "target": "主任", "method": "phone", "content": "回访"}, headers=api("tech"))
    assert resp.status_code == 403 and count(app, CallbackPlan) == 0


def test_html_callback_done_records_the_caller(app, as_user, staff):
    cid = make_customer(app)
    web = as_user("cs")
    token = csrf_token(web, "/callbackrecordview/add")
    resp = web.post("/callbackrecordview/add", data={
        "customer": str(cid), "due_date": "2026-03-31", "method": "email", "status": "done",
        "called_at": "2026-03-30 10:00:00", "score_function": "4", "opinions": "满意", "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        rec = db.session.scalar(sa.select(CallbackRecord))
        assert rec.caller_id == staff["cs"] and rec.score_function == 4
