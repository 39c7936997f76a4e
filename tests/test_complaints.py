"""Complaints: intake, investigation team, handling plan, workflow, overdue flag, report, KPI."""
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import Complaint, ComplaintProgress, ComplaintStatus
from app.services import complaints as svc
from tests.conftest import csrf_token
from tests.records import make_customer
from tests.registers_helpers import count, get


def intake(client, h, cid, **kw):
    body = {"customer": cid, "channel": "phone", "complainant": "李主任", "subject": "维修拖延",
            "content": "报修三天无人上门", **kw}
    resp = client.post("/api/v1/complaint/", json=body, headers=h)
    assert resp.status_code == 201, resp.json
    return resp.json["id"]


def move(client, h, pk, to, note=None):
    return client.post(f"/api/v1/complaint/{pk}/transition", json={"to": to, "note": note}, headers=h)


def test_cs_takes_in_a_complaint_with_number_and_receiver(app, client, api, staff):
    cid = make_customer(app)
    pk = intake(client, api("cs"), cid)
    row = get(app, Complaint, pk)
    assert row["number"] == f"TS-{datetime.utcnow():%Y}-001"
    assert row["status"] is ComplaintStatus.received and row["received_by_id"] == staff["cs"]
    assert get(app, Complaint, intake(client, api("cs"), cid))["number"].endswith("-002")


def test_full_workflow_with_progress_entries(app, client, api, staff):
    cid = make_customer(app)
    cs, mgr = api("cs"), api("manager")
    pk = intake(client, cs, cid)
    # no team yet
    resp = move(client, mgr, pk, "investigating")
    assert resp.status_code == 422 and "team" in resp.json["message"]
    client.put(f"/api/v1/complaint/{pk}", json={"team": [staff["manager"], staff["tech"]]}, headers=mgr)
    assert move(client, mgr, pk, "investigating", "成立调查小组").status_code == 200
    # a handling plan needs verification, root cause, measures, owner and deadline
    resp = move(client, mgr, pk, "handling")
    assert resp.status_code == 422
    assert {"verified", "root_cause", "measures", "deadline", "owner"} <= set(resp.json["message"])
    client.put(f"/api/v1/complaint/{pk}", json={
        "verified": True, "root_cause": "工程师排班冲突", "measures": "增派现场工程师，调整排班",
        "owner_department": "技术服务部", "owner": staff["field1"],
        "deadline": (clock.today_local() + timedelta(days=5)).isoformat()}, headers=mgr)
    assert move(client, mgr, pk, "handling").status_code == 200
    # CS calls back: result and satisfaction needed to close
    resp = move(client, cs, pk, "closed")
    assert resp.status_code == 422 and {"result", "satisfaction"} <= set(resp.json["message"])
    client.put(f"/api/v1/complaint/{pk}", json={"result": "已上门修复", "satisfaction": 4}, headers=cs)
    resp = move(client, cs, pk, "closed", "客户认可处理结果")
    assert resp.status_code == 200 and resp.json["result"]["status"] == "closed"
    assert resp.json["result"]["closed_at"]
    with app.app_context():
        notes = db.session.scalars(sa.select(ComplaintProgress.to_status).where(
            ComplaintProgress.complaint_id == pk).order_by(ComplaintProgress.id)).all()
    assert notes == ["investigating", "handling", "closed"]


def test_customer_not_satisfied_reopens(app, client, api, staff):
    cid = make_customer(app)
    with app.app_context():
        c = Complaint(number="TS-2026-009", customer_id=cid, subject="s", content="c", status="handling",
                      verified=True, result="r", satisfaction=2)
        db.session.add(c)
        db.session.commit()
        pk = c.id
    cs = api("cs")
    assert move(client, cs, pk, "closed").status_code == 200
    resp = move(client, cs, pk, "handling")
    assert resp.status_code == 422 and "note" in resp.json["message"]
    assert move(client, cs, pk, "handling", "客户对处理结果不满意").status_code == 200
    row = get(app, Complaint, pk)
    assert row["status"] == "handling" and row["closed_at"] is None and row["satisfaction"] is None


def test_unverified_complaint_is_closed_without_a_plan(app, client, api, staff):
    cid = make_customer(app)
    with app.app_context():
        c = Complaint(number="TS-2026-010", customer_id=cid, subject="s", content="c", status="investigating")
        db.session.add(c)
        db.session.commit()
        pk = c.id
    mgr = api("manager")
    assert move(client, mgr, pk, "closed").status_code == 422
    client.put(f"/api/v1/complaint/{pk}", json={"verified": False, "result": "经核实为客户误操作，已培训"}, headers=mgr)
    assert move(client, mgr, pk, "closed").status_code == 200


def test_moves_not_in_the_workflow_and_wrong_roles(app, client, api, staff):
    cid = make_customer(app)
    pk = intake(client, api("cs"), cid)
    assert move(client, api("manager"), pk, "closed").status_code == 409
    assert move(client, api("manager"), pk, "nonsense").status_code == 422
    assert move(client, api("cs"), pk, "investigating").status_code == 403
    assert move(client, api("tech"), pk, "investigating").status_code == 403
    assert get(app, Complaint, pk)["status"] == "received"
    assert client.post(f"/api/v1/complaint/{pk}/transition", data="x", headers=api("manager")).status_code == 400


@pytest.mark.parametrize("score", [0, 6])
def test_satisfaction_out_of_range(app, client, api, as_user, score):
    cid = make_customer(app)
    resp = client.post("/api/v1/complaint/", json={
        "customer": cid, "subject": "s", "content": "c", "satisfaction": score}, headers=api("cs"))
    assert resp.status_code == 422 and "satisfaction" in resp.json["message"]
    assert count(app, Complaint) == 0


def test_deadline_before_intake_is_refused(app, client, api, as_user):
    cid = make_customer(app)
    resp = client.post("/api/v1/complaint/", json={
        "customer": cid, "subject": "s", "content": "c", "received_at": "2026-05-10T09:00:00",
        "deadline": "2026-05-01"}, headers=api("cs"))
    assert resp.status_code == 422 and "deadline" in resp.json["message"]
    web = as_user("manager")
    token = csrf_token(web, "/complaintview/add")
    resp = web.post("/complaintview/add", data={
        "customer": str(cid), "subject": "s", "content": "c", "channel": "phone",
        "received_at": "2026-05-10 09:00:00", "deadline": "2026-05-01", "csrf_token": token})
    assert resp.status_code == 200
    assert "The deadline must not be before the complaint was received." in resp.get_data(as_text=True)
    assert count(app, Complaint) == 0


def test_overdue_complaints_are_flagged_and_listed(app, client, api, as_user):
    cid = make_customer(app)
    past = clock.today_local() - timedelta(days=3)
    with app.app_context():
        db.session.add_all([
            Complaint(number="TS-1", customer_id=cid, subject="逾期投诉甲", content="c", status="handling",
                      received_at=datetime(2020, 1, 1), deadline=past),
            Complaint(number="TS-2", customer_id=cid, subject="已关闭投诉乙", content="c", status="closed",
                      received_at=datetime(2020, 1, 1), deadline=past, closed_at=datetime.utcnow()),
            Complaint(number="TS-3", customer_id=cid, subject="未到期投诉丙", content="c", status="handling",
                      received_at=datetime(2020, 1, 1), deadline=clock.today_local() + timedelta(days=3)),
        ])
        db.session.commit()
        assert db.session.scalars(sa.select(Complaint.number).where(svc.overdue_clause())).all() == ["TS-1"]
    listing = client.get("/api/v1/complaint/", headers=api("manager")).json["result"]
    assert {c["number"]: c["overdue"] for c in listing} == {"TS-1": True, "TS-2": False, "TS-3": False}
    page = as_user("manager").get("/overduecomplaints/list/").get_data(as_text=True)
    assert "逾期投诉甲" in page and "已关闭投诉乙" not in page and "未到期投诉丙" not in page


def test_complaint_report_html_and_api(app, client, api, as_user, staff):
    cid = make_customer(app)
    pk = intake(client, api("cs"), cid)
    client.put(f"/api/v1/complaint/{pk}", json={"team": [staff["manager"]], "root_cause": "备件缺货"},
               headers=api("manager"))
    move(client, api("manager"), pk, "investigating", "开始调查")
    rep = client.get(f"/api/v1/complaint/{pk}/report", headers=api("manager")).json["result"]
    assert rep["root_cause"] == "备件缺货" and rep["team"] == ["王建国"] and rep["process"][0]["note"] == "开始调查"
    web = as_user("manager")
    assert "Complaint report" in web.get(f"/complaintview/show/{pk}").get_data(as_text=True)
    html = web.get(f"/complaintview/report/{pk}").get_data(as_text=True)
    assert "备件缺货" in html and "开始调查" in html and "维修拖延" in html


def test_html_transition_button(app, as_user, staff):
    cid = make_customer(app)
    with app.app_context():
        c = Complaint(number="TS-2026-001", customer_id=cid, subject="s", content="c")
        db.session.add(c)
        db.session.commit()
        pk = c.id
    web = as_user("manager")
    page = web.get(f"/complaintview/show/{pk}").get_data(as_text=True)
    assert "Move to: Investigating" in page
    token = csrf_token(web, "/complaintview/add")
    resp = web.post(f"/complaintview/transition/{pk}", data={"to": "investigating", "csrf_token": token},
                    follow_redirects=True)
    assert "Name the investigation team first." in resp.get_data(as_text=True)
    assert get(app, Complaint, pk)["status"] == "received"
    web.get("/logout/")
    cs_page = as_user("cs").get(f"/complaintview/show/{pk}").get_data(as_text=True)
    assert "Move to:" not in cs_page


def test_complaint_satisfaction_kpi(app):
    cid = make_customer(app)
    with app.app_context():
        assert svc.complaint_satisfaction(date(2026, 1, 1), date(2026, 12, 31)) is None
        for n, (day, score) in enumerate([(date(2026, 3, 1), 5), (date(2026, 3, 31), 3),
                                          (date(2026, 4, 1), 1), (date(2026, 3, 2), None)]):
            db.session.add(Complaint(number=f"TS-{n}", customer_id=cid, subject="s", content="c",
                                     received_at=datetime.combine(day, datetime.min.time()).replace(hour=15),
                                     satisfaction=score))
        db.session.commit()
        assert svc.complaint_satisfaction(date(2026, 3, 1), date(2026, 3, 31)) == 0.5  # 5 and 3: one of two
        assert svc.complaint_satisfaction(date(2026, 4, 1), date(2026, 4, 30)) == 0.0


@pytest.mark.parametrize("login, status", [("field1", 403), ("keeper", 403), ("tech", 200)])
def test_who_sees_complaints(client, api, login, status):
    assert client.get("/api/v1/complaint/", headers=api(login)).status_code == status


def test_progress_entries_by_cs(app, client, api, staff):
    cid = make_customer(app)
    pk = intake(client, api("cs"), cid)
    resp = client.post("/api/v1/complaint_progress/", json={"complaint": pk, "note": "已电话告知客户处理进展"},
                       headers=api("cs"))
    assert resp.status_code == 201, resp.json
    assert get(app, ComplaintProgress, resp.json["id"])["staff_id"] == staff["cs"]


def test_html_intake_by_cs_fills_time_number_and_receiver(app, as_user, staff):
    cid = make_customer(app)
    web = as_user("cs")
    token = csrf_token(web, "/complaintview/add")
    resp = web.post("/complaintview/add", data={
        "customer": str(cid), "subject": "工程师态度差", "content": "电话沟通时不耐烦", "channel": "phone",
        "received_at": "", "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        c = db.session.scalar(sa.select(Complaint))
        assert c.number.startswith("TS-") and c.received_at and c.received_by_id == staff["cs"]
        assert c.status == "received"
