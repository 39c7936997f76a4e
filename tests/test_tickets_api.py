"""The service-ticket loop through the REST API, as the right roles, and its bad input."""
from datetime import timedelta

import pytest

from app import clock
from app.extensions import db
from app.models import RepairRecord, SatisfactionSurvey, Ticket, TicketEvent
from app.models.base import utcnow
from tests.records import make_customer
from tests.registers_helpers import count
from tests.ticket_helpers import new_ticket, ticket

BODY = {"channel": "phone", "category": "hardware", "severity": "general",
        "title": "接收站无信号", "description": "今早8点起接收站无信号，影响数据接收"}


def create(client, api, cid, who="cs", **kw):
    return client.post("/api/v1/ticket/", json={**BODY, "customer": cid, **kw}, headers=api(who))


def move(client, api, pk, who, to, **kw):
    return client.post(f"/api/v1/ticket/{pk}/transition", json={"to": to, **kw}, headers=api(who))


def test_whole_loop_through_the_api(app, client, api, staff):
    cid = make_customer(app, with_equipment=True)
    # CS rep: intake
    resp = create(client, api, cid)
    assert resp.status_code == 201, resp.json
    t = resp.json["result"]
    pk = resp.json["id"]
    assert t["status"] == "new" and t["number"].startswith(f"SR-{utcnow().year}-")
    received = t["received_at"]
    from datetime import datetime
    r0 = datetime.fromisoformat(received)
    assert datetime.fromisoformat(t["respond_by"]) - r0 == timedelta(hours=2)
    assert datetime.fromisoformat(t["resolve_by"]) - r0 == timedelta(hours=4)
    # tech engineer assigns to field1
    resp = move(client, api, pk, "tech", "assigned", assignee=staff["field1"], note="现场处理")
    assert resp.status_code == 200, resp.json
    assert resp.json["result"]["assignee"]["id"] == staff["field1"]
    # field engineer starts on site, records the repair with sign-off, resolves
    resp = move(client, api, pk, "field1", "in_progress", handling_mode="onsite")
    assert resp.status_code == 200, resp.json
    assert resp.json["result"]["first_response_at"] is not None
    now = utcnow()
    resp = client.post("/api/v1/repair_record/", json={
        "ticket": pk, "engineers": [staff["field1"]], "arrived_at": clock.isoformat(now - timedelta(hours=1)),
        "departed_at": clock.isoformat(now), "work_done": "更换高频头", "parts_replaced": "高频头 x1",
        "result": "fixed", "customer_signer": "李主任", "signed_at": clock.isoformat(now),
    }, headers=api("field1"))
    assert resp.status_code == 201, resp.json
    resp = move(client, api, pk, "field1", "awaiting_confirmation", resolution="更换高频头后恢复")
    assert resp.status_code == 200, resp.json
    assert resp.json["result"]["resolved_at"] is not None
    # CS rep: customer confirmed, close; survey
    resp = move(client, api, pk, "cs", "closed", note="客户确认")
    assert resp.status_code == 200, resp.json
    assert resp.json["result"]["status"] == "closed"
    resp = client.post("/api/v1/satisfaction_survey/", json={
        "ticket": pk, "timeliness": 5, "effectiveness": 4, "attitude": 5, "comment": "满意"}, headers=api("cs"))
    assert resp.status_code == 201, resp.json
    # manager: KPI
    today = clock.today_local().isoformat()
    kpi = client.get(f"/api/v1/kpi/summary?from={today}&to={today}", headers=api("manager")).json
    assert kpi["tickets"] == 1 and kpi["closed"] == 1 and kpi["success_rate"] == 1.0
    assert kpi["on_time_rate"] == 1.0 and kpi["satisfaction"] == 1.0 and kpi["complaint_satisfaction"] is None
    # timeline: intake + 4 moves, each with who / from / to
    events = client.get(f"/api/v1/ticket_event/?q=(filters:!((col:ticket,opr:rel_o_m,value:{pk})))",
                        headers=api("manager")).json["result"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        (None, "new"), ("new", "assigned"), ("assigned", "in_progress"),
        ("in_progress", "awaiting_confirmation"), ("awaiting_confirmation", "closed")]
    assert events[1]["user"]["username"] == "tech" and events[1]["note"] == "现场处理"


def test_reopen_when_customer_not_satisfied(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    assert move(client, api, pk, "manager", "assigned", assignee=staff["tech"]).status_code == 200
    assert move(client, api, pk, "tech", "in_progress").status_code == 200
    assert move(client, api, pk, "tech", "awaiting_confirmation", note="已远程修复").status_code == 200
    resp = move(client, api, pk, "cs", "in_progress", note="客户反馈仍有问题")
    assert resp.status_code == 200, resp.json
    t = ticket(app, pk)
    assert t["reopen_count"] == 1 and t["resolved_at"] is None and t["resolution"] == "已远程修复"


@pytest.mark.parametrize("who,to,code", [
    ("cs", "assigned", 403),          # CS may not assign
    ("field1", "assigned", 404),      # not their ticket: hidden
    ("keeper", "assigned", 403),      # no ticket access at all
    ("manager", "closed", 409),       # new -> closed is not a move
    ("manager", "in_progress", 409),  # new -> in_progress skips assignment
    ("manager", "finished", 422),     # unknown status code
])
def test_illegal_moves_and_roles(app, client, api, staff, who, to, code):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    resp = move(client, api, pk, who, to, assignee=staff["field1"])
    assert resp.status_code == code, resp.json
    assert "message" in resp.json
    t = ticket(app, pk)
    assert t["status"] == "new" and len(t["events"]) == 1


def test_tech_may_not_close_and_cs_may_not_start(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    move(client, api, pk, "manager", "assigned", assignee=staff["tech"])
    assert move(client, api, pk, "cs", "in_progress").status_code == 403
    move(client, api, pk, "tech", "in_progress")
    move(client, api, pk, "tech", "awaiting_confirmation")
    resp = move(client, api, pk, "tech", "closed")
    assert resp.status_code == 403 and "role" in resp.json["message"]


def test_assign_without_assignee_or_to_a_non_engineer(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    resp = move(client, api, pk, "manager", "assigned")
    assert resp.status_code == 422 and "assignee" in resp.json["message"]
    resp = move(client, api, pk, "manager", "assigned", assignee=staff["keeper"])
    assert resp.status_code == 422 and "assignee" in resp.json["message"]
    resp = move(client, api, pk, "manager", "assigned", assignee=99999)
    assert resp.status_code == 422
    t = ticket(app, pk)
    assert t["status"] == "new" and t["assignee_id"] is None and len(t["events"]) == 1


def test_reassign_and_cancel(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    move(client, api, pk, "manager", "assigned", assignee=staff["field1"])
    resp = move(client, api, pk, "tech", "assigned", assignee=staff["field1"])
    assert resp.status_code == 422  # already theirs
    resp = move(client, api, pk, "tech", "assigned", assignee=staff["field2"], note="东片区忙")
    assert resp.status_code == 200 and ticket(app, pk)["assignee_id"] == staff["field2"]
    assert move(client, api, pk, "cs", "cancelled", note="客户撤回").status_code == 200
    assert move(client, api, pk, "manager", "assigned", assignee=staff["field1"]).status_code == 409


def test_closing_onsite_needs_a_signed_repair_record(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    move(client, api, pk, "manager", "assigned", assignee=staff["field1"])
    move(client, api, pk, "field1", "in_progress", handling_mode="onsite")
    now = utcnow()
    resp = client.post("/api/v1/repair_record/", json={
        "ticket": pk, "engineers": [staff["field1"]], "arrived_at": clock.isoformat(now),
        "work_done": "检查线路", "result": "fixed"}, headers=api("field1"))
    assert resp.status_code == 201, resp.json
    move(client, api, pk, "field1", "awaiting_confirmation")
    resp = move(client, api, pk, "cs", "closed")
    assert resp.status_code == 409 and "signed" in resp.json["message"]
    assert ticket(app, pk)["status"] == "awaiting_confirmation"
    rid = client.get("/api/v1/repair_record/", headers=api("manager")).json["ids"][0]
    resp = client.put(f"/api/v1/repair_record/{rid}", json={
        "customer_signer": "李主任", "signed_at": clock.isoformat(now + timedelta(minutes=30))}, headers=api("field1"))
    assert resp.status_code == 200, resp.json
    assert move(client, api, pk, "cs", "closed").status_code == 200


def test_intake_bad_input_writes_nothing(app, client, api):
    cid = make_customer(app, with_equipment=True)
    past = clock.isoformat(utcnow() - timedelta(hours=1))
    cases = [
        ({"channel": "telegram"}, "channel"),
        ({"category": "other"}, "category"),
        ({"severity": "critical"}, "severity"),
        ({"resolve_by": past}, "resolve_by"),
        ({"promised_feedback_at": past}, "promised_feedback_at"),
        ({"customer": 99999}, "customer"),
        ({"title": None}, "title"),
    ]
    for extra, field in cases:
        resp = create(client, api, cid, **extra)
        assert resp.status_code == 422, (extra, resp.json)
        assert field in resp.json["message"], (extra, resp.json)
    resp = client.post("/api/v1/ticket/", json={"customer": cid}, headers=api("cs"))
    assert resp.status_code == 422
    assert {"channel", "category", "severity", "title", "description"} <= set(resp.json["message"])
    assert count(app, Ticket) == 0 and count(app, TicketEvent) == 0


def test_intake_by_roles(app, client, api):
    cid = make_customer(app, with_equipment=True)
    assert create(client, api, cid, who="manager").status_code == 201
    assert create(client, api, cid, who="field1").status_code == 403
    assert create(client, api, cid, who="tech").status_code == 403
    assert create(client, api, cid, who="keeper").status_code == 403


def test_numbers_are_unique_and_sequential(app, client, api):
    cid = make_customer(app, with_equipment=True)
    numbers = [create(client, api, cid).json["result"]["number"] for _ in range(3)]
    year = utcnow().year
    assert numbers == [f"SR-{year}-000001", f"SR-{year}-000002", f"SR-{year}-000003"]


def test_promised_resolve_by_may_tighten_but_not_loosen(app, client, api):
    cid = make_customer(app, with_equipment=True)
    soon = utcnow() + timedelta(hours=1)
    t = create(client, api, cid, resolve_by=clock.isoformat(soon)).json["result"]
    assert t["resolve_by"].startswith(clock.isoformat(soon)[:16])
    late = utcnow() + timedelta(days=3)
    t = create(client, api, cid, resolve_by=clock.isoformat(late)).json["result"]
    from datetime import datetime
    assert datetime.fromisoformat(t["resolve_by"]) - datetime.fromisoformat(t["received_at"]) == timedelta(hours=4)


def test_field_engineer_sees_only_own_tickets_and_records(app, client, api, staff):
    cid = make_customer(app, with_equipment=True)
    mine, other = new_ticket(app, cid), new_ticket(app, cid)
    move(client, api, mine, "manager", "assigned", assignee=staff["field1"])
    move(client, api, other, "manager", "assigned", assignee=staff["field2"])
    for pk, who in ((mine, "field1"), (other, "field2")):
        move(client, api, pk, who, "in_progress")
        resp = client.post("/api/v1/repair_record/", json={
            "ticket": pk, "engineers": [staff[who]], "arrived_at": clock.isoformat(utcnow()),
            "work_done": "检修", "result": "fixed"}, headers=api(who))
        assert resp.status_code == 201, resp.json
    h = api("field1")
    listing = client.get("/api/v1/ticket/", headers=h).json
    assert listing["count"] == 1 and listing["ids"] == [mine]
    assert client.get(f"/api/v1/ticket/{other}", headers=h).status_code == 404
    assert client.put(f"/api/v1/ticket/{other}", json={"title": "x"}, headers=h).status_code == 404
    assert client.post(f"/api/v1/ticket/{other}/note", json={"note": "x"}, headers=h).status_code == 404
    records = client.get("/api/v1/repair_record/", headers=h).json
    assert records["count"] == 1
    other_record = client.get("/api/v1/repair_record/", headers=api("manager")).json["ids"]
    hidden = [r for r in other_record if r not in records["ids"]][0]
    assert client.get(f"/api/v1/repair_record/{hidden}", headers=h).status_code == 404
    assert client.get("/api/v1/ticket_event/", headers=h).json["count"] == 3
    # a record on someone else's ticket is refused
    resp = client.post("/api/v1/repair_record/", json={
        "ticket": other, "engineers": [staff["field1"]], "arrived_at": clock.isoformat(utcnow()),
        "work_done": "检修", "result": "fixed"}, headers=h)
    assert resp.status_code == 403
    assert count(app, RepairRecord) == 2


def test_repair_record_departure_before_arrival(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    now = utcnow()
    resp = client.post("/api/v1/repair_record/", json={
        "ticket": pk, "engineers": [staff["field1"]], "arrived_at": clock.isoformat(now),
        "departed_at": clock.isoformat(now - timedelta(minutes=5)), "work_done": "检修", "result": "fixed",
    }, headers=api("manager"))
    assert resp.status_code == 422 and "departed_at" in resp.json["message"]
    resp = client.post("/api/v1/repair_record/", json={
        "ticket": pk, "engineers": [], "arrived_at": clock.isoformat(now), "work_done": "检修", "result": "fixed",
        "customer_signer": "李"}, headers=api("manager"))
    assert resp.status_code == 422
    assert {"engineers", "signed_at"} <= set(resp.json["message"])
    assert count(app, RepairRecord) == 0


@pytest.mark.parametrize("scores", [
    {"timeliness": 0, "effectiveness": 4, "attitude": 5},
    {"timeliness": 5, "effectiveness": 6, "attitude": 5},
    {"timeliness": 5, "effectiveness": 4, "attitude": -1},
])
def test_survey_scores_out_of_range(app, client, api, staff, scores):
    pk = closed_ticket(app, client, api, staff)
    resp = client.post("/api/v1/satisfaction_survey/", json={"ticket": pk, **scores}, headers=api("cs"))
    assert resp.status_code == 422, resp.json
    assert count(app, SatisfactionSurvey) == 0


def test_survey_on_an_open_ticket_is_refused(app, client, api):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    resp = client.post("/api/v1/satisfaction_survey/", json={
        "ticket": pk, "timeliness": 5, "effectiveness": 5, "attitude": 5}, headers=api("cs"))
    assert resp.status_code == 422 and "ticket" in resp.json["message"]
    assert count(app, SatisfactionSurvey) == 0


def test_one_survey_per_ticket(app, client, api, staff):
    pk = closed_ticket(app, client, api, staff)
    body = {"ticket": pk, "timeliness": 5, "effectiveness": 5, "attitude": 5}
    assert client.post("/api/v1/satisfaction_survey/", json=body, headers=api("cs")).status_code == 201
    assert client.post("/api/v1/satisfaction_survey/", json=body, headers=api("cs")).status_code == 409
    assert count(app, SatisfactionSurvey) == 1


def test_timeline_is_read_only(app, client, api):
    new_ticket(app, make_customer(app, with_equipment=True))
    h = api("manager")
    assert client.post("/api/v1/ticket_event/", json={"ticket": 1, "note": "x"}, headers=h).status_code == 405
    eid = client.get("/api/v1/ticket_event/", headers=h).json["ids"][0]
    assert client.delete(f"/api/v1/ticket_event/{eid}", headers=h).status_code == 405
    assert client.put(f"/api/v1/ticket_event/{eid}", json={"note": "x"}, headers=h).status_code == 405


def test_progress_note_by_assignee_is_the_first_response(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    move(client, api, pk, "manager", "assigned", assignee=staff["field1"])
    resp = client.post(f"/api/v1/ticket/{pk}/note", json={"note": "已电话联系客户"}, headers=api("field1"))
    assert resp.status_code == 200, resp.json
    assert resp.json["result"]["first_response_at"] is not None
    assert client.post(f"/api/v1/ticket/{pk}/note", json={"note": " "}, headers=api("field1")).status_code == 422


def test_severity_change_recomputes_deadlines(app, client, api):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    before = ticket(app, pk)
    resp = client.put(f"/api/v1/ticket/{pk}", json={"severity": "emergency"}, headers=api("manager"))
    assert resp.status_code == 200, resp.json
    after = ticket(app, pk)
    assert after["respond_by"] - after["received_at"] == timedelta(minutes=30)
    assert after["received_at"] == before["received_at"]


def test_status_cannot_be_set_by_put(app, client, api):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    resp = client.put(f"/api/v1/ticket/{pk}", json={"status": "closed"}, headers=api("manager"))
    assert resp.status_code == 422
    assert ticket(app, pk)["status"] == "new"


def closed_ticket(app, client, api, staff) -> int:
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    for who, to, kw in (("manager", "assigned", {"assignee": staff["tech"]}), ("tech", "in_progress", {}),
                        ("tech", "awaiting_confirmation", {}), ("cs", "closed", {})):
        assert move(client, api, pk, who, to, **kw).status_code == 200
    return pk


def test_contact_or_equipment_of_another_customer_is_refused(app, client, api, staff):
    from app.models import Equipment

    c1, c2 = make_customer(app, 1, with_equipment=True), make_customer(app, 2, with_equipment=True)
    with app.app_context():
        foreign = db.session.query(Equipment).filter_by(customer_id=c2).one().id
    resp = create(client, api, c1, equipment=foreign)
    assert resp.status_code == 422 and "equipment" in resp.json["message"]
    pk = new_ticket(app, c1)
    resp = client.put(f"/api/v1/ticket/{pk}", json={"equipment": foreign}, headers=api("manager"))
    assert resp.status_code == 422 and "equipment" in resp.json["message"]
    assert ticket(app, pk)["status"] == "new"


def test_field_engineer_edits_own_ticket(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    move(client, api, pk, "manager", "assigned", assignee=staff["field1"])
    resp = client.put(f"/api/v1/ticket/{pk}", json={"root_cause": "雷击"}, headers=api("field1"))
    assert resp.status_code == 200, resp.json
    assert client.put(f"/api/v1/ticket/{pk}", json={"root_cause": "x"}, headers=api("field2")).status_code == 404
    assert client.delete(f"/api/v1/ticket/{pk}", headers=api("manager")).status_code == 403


def test_api_filters_overdue_and_open(app, client, api):
    cid = make_customer(app, with_equipment=True)
    late = new_ticket(app, cid, received_at=utcnow() - timedelta(hours=5))
    fresh = new_ticket(app, cid)
    h = api("manager")
    overdue = client.get("/api/v1/ticket/?q=(filters:!((col:resolve_by,opr:ovd,value:1)))", headers=h).json
    assert overdue["ids"] == [late]
    soon = client.get("/api/v1/ticket/?q=(filters:!((col:resolve_by,opr:dsn,value:1)))", headers=h).json
    assert soon["ids"] == []
    with app.app_context():
        db.session.get(Ticket, fresh).status = "cancelled"
        db.session.commit()
    open_ = client.get("/api/v1/ticket/?q=(filters:!((col:status,opr:opn,value:1)))", headers=h).json
    assert open_["ids"] == [late]


def test_solution_plan_only_for_important_and_emergency(app, client, api, staff):
    cid = make_customer(app, with_equipment=True)
    general, emergency = new_ticket(app, cid), new_ticket(app, cid, severity="emergency")
    body = {"consulted_experts": "厂家专家", "steps": "1. 收集日志 2. 会诊", "owner": staff["tech"],
            "milestones": "2小时内定位"}
    resp = client.post("/api/v1/solution_plan/", json={**body, "ticket": general}, headers=api("tech"))
    assert resp.status_code == 422 and "ticket" in resp.json["message"]
    resp = client.post("/api/v1/solution_plan/", json={**body, "ticket": emergency}, headers=api("tech"))
    assert resp.status_code == 201, resp.json
    assert client.post("/api/v1/solution_plan/", json={**body, "ticket": emergency},
                       headers=api("cs")).status_code == 403


def test_fault_analysis_needs_a_ticket_or_equipment(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    body = {"fault_type": "电源故障", "phenomenon": "随机重启", "cause_analysis": "电源老化"}
    resp = client.post("/api/v1/fault_analysis/", json=body, headers=api("tech"))
    assert resp.status_code == 422 and "equipment" in resp.json["message"]
    resp = client.post("/api/v1/fault_analysis/", json={**body, "ticket": pk}, headers=api("tech"))
    assert resp.status_code == 201, resp.json
    assert client.get("/api/v1/fault_analysis/", headers=api("manager")).json["count"] == 1
    assert client.get("/api/v1/fault_analysis/", headers=api("field1")).json["count"] == 0  # not their ticket
    move(client, api, pk, "manager", "assigned", assignee=staff["field1"])
    assert client.get("/api/v1/fault_analysis/", headers=api("field1")).json["count"] == 1
    assert client.post("/api/v1/fault_analysis/", json={**body, "ticket": pk}, headers=api("field1")).status_code == 403


def test_ticket_api_list_query_count_is_constant(app, client, api, staff):
    from tests.conftest import count_queries

    cid = make_customer(app, with_equipment=True)
    for _ in range(30):
        new_ticket(app, cid)
    h = api("manager")
    counts = []
    for size in (3, 30):
        with app.app_context(), count_queries(db.engine) as statements:
            resp = client.get(f"/api/v1/ticket/?q=(page_size:{size})", headers=h)
            assert resp.status_code == 200 and len(resp.json["result"]) == size
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("body", [
    {"to": "assigned", "assignee": "abc"},
    {"to": "assigned", "assignee": {"id": 1}},
    {"to": 5},
    {"to": ["assigned"]},
    {"to": "cancelled", "note": 123},
    {"to": "cancelled", "handling_mode": "teleport"},
    {"to": "cancelled", "resolution": ["x"]},
    {},
])
def test_malformed_transition_bodies_are_4xx(app, client, api, body):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    resp = client.post(f"/api/v1/ticket/{pk}/transition", json=body, headers=api("manager"))
    assert resp.status_code == 422, (body, resp.status_code)
    assert "message" in resp.json
    assert ticket(app, pk)["status"] == "new"
    assert client.post(f"/api/v1/ticket/{pk}/transition", data="to=closed",
                       headers=api("manager")).status_code == 400


def test_blank_title_is_refused(app, client, api):
    resp = create(client, api, make_customer(app, with_equipment=True), title="   ")
    assert resp.status_code == 422 and "title" in resp.json["message"]
    assert count(app, Ticket) == 0
