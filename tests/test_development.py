"""Staff development: appraisals (scores, weighted total, KPIs measured from tickets) and training."""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import Appraisal, TicketStatus, TrainingAttendance, TrainingRecord
from app.services.development import measure_kpis
from tests.conftest import csrf_token
from tests.records import make_customer, make_ticket

CLOSED = TicketStatus.closed


def hand_made_tickets(app, staff):
    """field1's first quarter of 2026: 2 closed in Q1, 3 resolved in Q1 with a deadline (2 on time).
    Times are Beijing wall times (quarters are made of local days)."""
    cid = make_customer(app)
    me, other = staff["field1"], staff["field2"]

    def d(*parts):
        return clock.from_local(datetime(*parts))
    make_ticket(app, cid, "A", me, CLOSED, closed_at=d(2026, 2, 10, 9), resolved_at=d(2026, 2, 9, 10),
                resolve_by=d(2026, 2, 9, 12))                                   # closed Q1, on time
    make_ticket(app, cid, "B", me, CLOSED, closed_at=d(2026, 3, 31, 23), resolved_at=d(2026, 3, 30, 8),
                resolve_by=d(2026, 3, 29, 8))                                   # closed Q1, late
    make_ticket(app, cid, "C", me, CLOSED, closed_at=d(2026, 4, 1, 0, 30), resolved_at=d(2026, 3, 31, 10),
                resolve_by=d(2026, 4, 2))                                       # closed Q2, resolved Q1 on time
    make_ticket(app, cid, "D", me, TicketStatus.in_progress)                    # not resolved
    make_ticket(app, cid, "E", other, CLOSED, closed_at=d(2026, 2, 1), resolved_at=d(2026, 1, 30),
                resolve_by=d(2026, 2, 1))                                       # someone else's
    make_ticket(app, cid, "F", me, TicketStatus.awaiting_confirmation,
                resolved_at=d(2026, 1, 15))                                     # no deadline: not counted
    make_ticket(app, cid, "G", me, CLOSED, closed_at=d(2025, 12, 31, 23, 59), resolved_at=d(2025, 12, 30),
                resolve_by=d(2025, 12, 31))                                     # last year
    return cid


def test_measure_kpis_on_hand_made_data(app, staff):
    hand_made_tickets(app, staff)
    with app.app_context():
        from datetime import date
        q1 = measure_kpis(staff["field1"], date(2026, 1, 1), date(2026, 3, 31))
        assert q1 == {"tickets_closed": 2, "on_time_rate": Decimal("0.6667"), "satisfaction": None}
        year = measure_kpis(staff["field1"], date(2026, 1, 1), date(2026, 12, 31))
        assert year["tickets_closed"] == 3 and year["on_time_rate"] == Decimal("0.6667")
        nothing = measure_kpis(staff["cs"], date(2026, 1, 1), date(2026, 12, 31))
        assert nothing == {"tickets_closed": 0, "on_time_rate": None, "satisfaction": None}


def test_api_appraisal_scores_total_and_kpis(app, client, api, staff):
    cid = hand_made_tickets(app, staff)
    h = api("manager")
    resp = client.post("/api/v1/appraisal/", json={
        "staff": staff["field1"], "period": "2026-Q1", "self_score": 80, "supervisor_score": 90,
        "customer_score": 70}, headers=h)
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    item = client.get(f"/api/v1/appraisal/{pk}", headers=h).json["result"]
    # weighted total = 20 % self + 50 % supervisor + 30 % customer
    assert Decimal(item["total_score"]) == Decimal("82.0")
    assert item["tickets_closed"] == 2 and Decimal(item["on_time_rate"]) == Decimal("0.6667")
    assert item["satisfaction"] is None and item["period_start"] == "2026-01-01" and item["period_end"] == "2026-03-31"
    # new data, measured again
    make_ticket(app, cid, "H", staff["field1"], CLOSED, closed_at=datetime(2026, 3, 1),
                resolved_at=datetime(2026, 3, 1), resolve_by=datetime(2026, 3, 2))
    resp = client.post(f"/api/v1/appraisal/{pk}/refresh_kpis", headers=h)
    assert resp.status_code == 200, resp.json
    assert resp.json["result"]["tickets_closed"] == 3 and Decimal(resp.json["result"]["on_time_rate"]) == Decimal("0.75")


def test_api_appraisal_bad_input(app, client, api, staff):
    h = api("manager")
    base = {"staff": staff["field2"], "period": "2026", "self_score": 70}
    for bad in ({"self_score": 101}, {"supervisor_score": -1}, {"customer_score": 250},
                {"period": "2026-13"}, {"period": "2026-03"}, {"period": "Q1"}):
        resp = client.post("/api/v1/appraisal/", json={**base, **bad}, headers=h)
        assert resp.status_code == 422, (bad, resp.json)
    assert client.post("/api/v1/appraisal/", json=base, headers=h).status_code == 201
    dup = client.post("/api/v1/appraisal/", json=base, headers=h)
    assert dup.status_code == 409 and "already has an appraisal" in str(dup.json["message"])
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Appraisal)) == 1


def test_html_appraisal_form_errors_and_refresh_button(app, as_user, staff):
    hand_made_tickets(app, staff)
    browser = as_user("manager")
    token = csrf_token(browser, "/appraisalview/add")
    data = {"staff": str(staff["field1"]), "period": "2026-Q1", "self_score": "150", "csrf_token": token}
    resp = browser.post("/appraisalview/add", data=data)
    assert resp.status_code == 200 and "A score must be from 0 to 100." in resp.get_data(as_text=True)
    resp = browser.post("/appraisalview/add", data={**data, "self_score": "85", "supervisor_score": "88",
                                                    "customer_score": "90"})
    assert resp.status_code == 302
    with app.app_context():
        appraisal = db.session.scalar(sa.select(Appraisal))
        assert appraisal.tickets_closed == 2 and appraisal.total_score == Decimal("88.0")
        pk = appraisal.id
    page = browser.get(f"/appraisalview/show/{pk}").get_data(as_text=True)
    assert "Measure KPIs again" in page and "66.7 %" in browser.get("/appraisalview/list/").get_data(as_text=True)
    resp = browser.post(f"/appraisalview/refresh_kpis/{pk}", data={"csrf_token": token})
    assert resp.status_code == 302
    resp = browser.post("/appraisalview/add", data={**data, "self_score": "60"}, follow_redirects=True)
    assert "already has an appraisal" in resp.get_data(as_text=True)


def test_appraisals_belong_to_the_manager(client, api):
    for login in ("tech", "field1", "cs", "keeper"):
        assert client.get("/api/v1/appraisal/", headers=api(login)).status_code == 403


def test_training_plan_record_attendees(app, client, api, staff):
    h = api("tech")
    bad = client.post("/api/v1/training_plan/", json={
        "kind": "internal", "topic": "x", "planned_start": "2026-05-10", "planned_end": "2026-05-01",
        "trainer": "李明", "audience": "现场工程师"}, headers=h)
    assert bad.status_code == 422
    plan = client.post("/api/v1/training_plan/", json={
        "kind": "vendor", "topic": "RS-3000 接收站维护培训", "planned_start": "2026-05-10",
        "planned_end": "2026-05-11", "trainer": "厂家工程师", "audience": "技术支持与现场工程师"}, headers=h)
    assert plan.status_code == 201, plan.json
    record_body = {"plan": plan.json["id"], "held_on": "2026-05-10", "location": "县城本部会议室"}
    assert client.post("/api/v1/training_record/", json={**record_body, "hours": 0}, headers=h).status_code == 422
    record = client.post("/api/v1/training_record/", json={**record_body, "hours": "6.5"}, headers=h)
    assert record.status_code == 201, record.json
    rid = record.json["id"]
    ok = client.post("/api/v1/training_attendance/", json={
        "record": rid, "staff": staff["field1"], "score": 92, "result": "passed"}, headers=h)
    assert ok.status_code == 201, ok.json
    assert client.post("/api/v1/training_attendance/", json={
        "record": rid, "staff": staff["field2"], "score": 120}, headers=h).status_code == 422
    dup = client.post("/api/v1/training_attendance/", json={"record": rid, "staff": staff["field1"]}, headers=h)
    assert dup.status_code == 409
    assert client.post("/api/v1/training_plan/", json={}, headers=api("field1")).status_code == 403
    with app.app_context():
        record = db.session.get(TrainingRecord, rid)
        assert [(a.staff.username, a.score) for a in record.attendances] == [("field1", 92)]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingAttendance)) == 1


def test_html_training_record_page_lists_attendees(app, client, api, as_user, staff):
    h = api("tech")
    plan = client.post("/api/v1/training_plan/", json={
        "kind": "customer", "topic": "影像处理软件操作培训", "planned_start": "2026-06-01",
        "planned_end": "2026-06-01", "trainer": "李明", "audience": "客户操作员"}, headers=h).json["id"]
    rid = client.post("/api/v1/training_record/", json={"plan": plan, "held_on": "2026-06-01", "hours": 3},
                      headers=h).json["id"]
    browser = as_user("tech")
    token = csrf_token(browser, "/trainingattendanceview/add")
    resp = browser.post("/trainingattendanceview/add", data={
        "record": str(rid), "staff": str(staff["cs"]), "score": "75", "result": "passed", "csrf_token": token})
    assert resp.status_code == 302
    page = browser.get(f"/trainingrecordview/show/{rid}").get_data(as_text=True)
    assert "陈静" in page and "Passed" in page


def test_measure_kpis_satisfaction_from_surveys(app, staff):
    """Surveys of field1's tickets in Q1: means 5 and 3.33 → 4.17; Q2's and field2's do not count."""
    from datetime import date

    from app.models import SatisfactionSurvey, Ticket

    hand_made_tickets(app, staff)
    with app.app_context():
        by_no = {t.number: t for t in db.session.scalars(sa.select(Ticket))}
        a, b, c, e = (next(t for n, t in by_no.items() if n.endswith(x)) for x in "ABCE")
        for ticket, scores, at in ((a, (5, 5, 5), datetime(2026, 2, 11)), (b, (3, 4, 3), clock.from_local(datetime(2026, 3, 31, 23, 30))),
                                   (c, (1, 1, 1), datetime(2026, 4, 2)), (e, (1, 1, 1), datetime(2026, 2, 2))):
            db.session.add(SatisfactionSurvey(ticket_id=ticket.id, timeliness=scores[0],
                                              effectiveness=scores[1], attitude=scores[2], surveyed_at=at))
        db.session.commit()
        q1 = measure_kpis(staff["field1"], date(2026, 1, 1), date(2026, 3, 31))
        assert q1["satisfaction"] == Decimal("4.17")
        assert measure_kpis(staff["field1"], date(2026, 4, 1), date(2026, 6, 30))["satisfaction"] == Decimal("1.00")
        assert measure_kpis(staff["cs"], date(2026, 1, 1), date(2026, 3, 31))["satisfaction"] is None
