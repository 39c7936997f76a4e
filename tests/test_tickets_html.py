"""The service-ticket loop through the HTML screens (with CSRF tokens), as the right roles."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import RepairRecord, SatisfactionSurvey, Ticket
from app.models.base import utcnow
from tests.conftest import count_queries, csrf_token, login
from tests.records import make_customer
from tests.registers_helpers import count
from tests.ticket_helpers import new_ticket, ticket

FMT = "%Y-%m-%d %H:%M:%S"


def switch(client, who):
    client.get("/logout/")
    assert login(client, who).status_code == 302
    return client


def post_move(client, pk, **form):
    token = csrf_token(client, f"/ticketview/show/{pk}")
    return client.post(f"/ticketview/transition/{pk}", data={**form, "csrf_token": token}, follow_redirects=True)


def test_whole_loop_through_the_screens(app, client, staff):
    cid = make_customer(app, with_equipment=True)
    # CS rep takes the call
    switch(client, "cs")
    token = csrf_token(client, "/ticketview/add")
    resp = client.post("/ticketview/add", data={
        "customer": str(cid), "channel": "phone", "category": "system_fault", "severity": "important",
        "title": "数据处理服务器宕机", "description": "上午9点服务器无法启动，影响全部数据处理",
        "place": "机房", "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        pk = db.session.scalar(sa.select(Ticket.id))
    t = ticket(app, pk)
    assert t["status"] == "new" and t["resolve_by"] - t["received_at"] == timedelta(hours=8)
    page = client.get(f"/ticketview/show/{pk}").get_data(as_text=True)
    assert t["number"] in page and "Cancel" in page and 'value="assigned"' not in page
    # tech engineer assigns the field engineer
    switch(client, "tech")
    html = post_move(client, pk, to="assigned", assignee=str(staff["field1"]), note="请现场处理").get_data(as_text=True)
    assert "is now: Assigned" in html
    # an important ticket is resolved along a solution plan: the tech engineer writes it
    plan_url = f"/solutionplanview/add?_flt_0_ticket={pk}"
    resp = client.post(plan_url, data={"steps": "更换电源模块并复测", "csrf_token": csrf_token(client, plan_url)})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    # field engineer: own list, start on site, repair record with sign-off, resolved
    switch(client, "field1")
    assert t["number"] in client.get("/myticketsview/list/").get_data(as_text=True)
    assert "is now: In progress" in post_move(client, pk, to="in_progress", handling_mode="onsite").get_data(as_text=True)
    now = utcnow().replace(microsecond=0)
    add_url = f"/repairrecordview/add?_flt_0_ticket={pk}"
    token = csrf_token(client, add_url)
    resp = client.post(add_url, data={
        "engineers": [str(staff["field1"]), str(staff["field2"])],
        "arrived_at": (now - timedelta(hours=2)).strftime(FMT), "departed_at": now.strftime(FMT),
        "work_done": "更换电源模块", "parts_replaced": "电源模块 x1", "result": "fixed",
        "customer_signer": "李主任", "signed_at": now.strftime(FMT), "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        record = db.session.scalar(sa.select(RepairRecord))
        assert record.ticket_id == pk and record.is_signed and len(record.engineers) == 2
    html = post_move(client, pk, to="awaiting_confirmation", resolution="更换电源模块后恢复",
                     root_cause="电源老化", prevention="定期巡检电源").get_data(as_text=True)
    assert "Awaiting customer confirmation" in html
    # CS rep: customer confirmed; then the call-back list and the survey
    switch(client, "cs")
    assert "is now: Closed" in post_move(client, pk, to="closed", note="客户确认恢复").get_data(as_text=True)
    assert t["number"] in client.get("/callbackview/list/").get_data(as_text=True)
    add_url = f"/satisfactionsurveyview/add?_flt_0_ticket={pk}"
    token = csrf_token(client, add_url)
    resp = client.post(add_url, data={"timeliness": "5", "effectiveness": "4", "attitude": "5",
                                      "comment": "响应很快", "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        survey = db.session.scalar(sa.select(SatisfactionSurvey))
        assert survey.ticket_id == pk and survey.surveyed_by_id == staff["cs"]
    # the survey's own page, whose message names the ticket (read here, so the list below has none)
    assert resp.headers["Location"].endswith(f"/satisfactionsurveyview/show/{survey.id}")
    assert "saved" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert t["number"] not in client.get("/callbackview/list/").get_data(as_text=True)
    # manager: the ticket page tells the whole story
    switch(client, "manager")
    page = client.get(f"/ticketview/show/{pk}").get_data(as_text=True)
    for text in ("请现场处理", "更换电源模块", "李主任", "客户确认恢复", "响应很快", "电源老化"):
        assert text in page, text
    final = ticket(app, pk)
    assert final["status"] == "closed" and final["handling_mode"] == "onsite"
    assert [e[1] for e in final["events"]] == ["new", "assigned", "in_progress", "awaiting_confirmation", "closed"]
    today = clock.today_local().isoformat()
    html = client.get(f"/kpi/?from={today}&to={today}").get_data(as_text=True)
    rows = dict(re.findall(r"<tr[^>]*><th>([^<]+)</th><td[^>]*>([^<]+)</td>", html))
    assert rows["Tickets received"] == "1" and rows["Closed"] == "1"
    assert rows["Repair on-time rate"] == "100.0 %" and rows["Complaint-handling satisfaction"] == "—"


def test_move_errors_are_shown_and_nothing_changes(app, client, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    switch(client, "manager")
    html = post_move(client, pk, to="assigned").get_data(as_text=True)
    assert "Choose the engineer to assign." in html
    html = post_move(client, pk, to="closed").get_data(as_text=True)
    assert "cannot move" in html
    switch(client, "cs")
    html = post_move(client, pk, to="assigned", assignee=str(staff["field1"])).get_data(as_text=True)
    assert "Your role may not" in html
    t = ticket(app, pk)
    assert t["status"] == "new" and len(t["events"]) == 1


def test_move_without_csrf_token_is_refused(app, client, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    switch(client, "manager")
    resp = client.post(f"/ticketview/transition/{pk}", data={"to": "cancelled"})
    assert resp.status_code == 400
    assert ticket(app, pk)["status"] == "new"


def test_progress_note_on_the_page(app, client, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    switch(client, "manager")
    token = csrf_token(client, f"/ticketview/show/{pk}")
    html = client.post(f"/ticketview/note/{pk}", data={"note": "已联系厂家", "csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    assert "Progress note added." in html and "已联系厂家" in html


def test_html_intake_with_resolve_promise_in_the_past_writes_nothing(app, client):
    cid = make_customer(app, with_equipment=True)
    switch(client, "cs")
    token = csrf_token(client, "/ticketview/add")
    resp = client.post("/ticketview/add", data={
        "customer": str(cid), "channel": "phone", "category": "hardware", "severity": "general",
        "title": "x", "description": "y", "csrf_token": token,
        "promised_feedback_at": (utcnow() - timedelta(hours=1)).strftime(FMT)}, follow_redirects=True)
    assert "promised feedback time is in the past" in resp.get_data(as_text=True)
    assert count(app, Ticket) == 0


def test_html_repair_record_departure_before_arrival(app, client, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    switch(client, "manager")
    add_url = f"/repairrecordview/add?_flt_0_ticket={pk}"
    token = csrf_token(client, add_url)
    now = utcnow().replace(microsecond=0)
    resp = client.post(add_url, data={
        "engineers": [str(staff["field1"])], "arrived_at": now.strftime(FMT),
        "departed_at": (now - timedelta(hours=1)).strftime(FMT), "work_done": "检修", "result": "fixed",
        "csrf_token": token})
    assert resp.status_code == 200
    assert "Departure must not be before arrival." in resp.get_data(as_text=True)
    assert count(app, RepairRecord) == 0


@pytest.mark.parametrize("score", ["0", "6"])
def test_html_survey_score_out_of_range(app, client, api, staff, score):
    from tests.test_tickets_api import closed_ticket

    pk = closed_ticket(app, client, api, staff)
    switch(client, "cs")
    add_url = f"/satisfactionsurveyview/add?_flt_0_ticket={pk}"
    token = csrf_token(client, add_url)
    resp = client.post(add_url, data={"timeliness": score, "effectiveness": "4", "attitude": "5",
                                      "csrf_token": token})
    assert resp.status_code == 200
    assert "A score is a whole number from 1 to 5." in resp.get_data(as_text=True)
    assert count(app, SatisfactionSurvey) == 0


def test_html_survey_on_an_open_ticket(app, client):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    switch(client, "cs")
    add_url = f"/satisfactionsurveyview/add?_flt_0_ticket={pk}"
    token = csrf_token(client, add_url)
    resp = client.post(add_url, data={"timeliness": "5", "effectiveness": "4", "attitude": "5",
                                      "csrf_token": token})
    assert resp.status_code == 200
    assert "Only a closed ticket can be surveyed." in resp.get_data(as_text=True)
    assert count(app, SatisfactionSurvey) == 0


def test_field_engineer_sees_only_own_tickets_on_screens(app, client, api, staff):
    cid = make_customer(app, with_equipment=True)
    mine = new_ticket(app, cid, title="我的工单")
    other = new_ticket(app, cid, title="别人的工单")
    h = api("manager")
    client.post(f"/api/v1/ticket/{mine}/transition", json={"to": "assigned", "assignee": staff["field1"]}, headers=h)
    client.post(f"/api/v1/ticket/{other}/transition", json={"to": "assigned", "assignee": staff["field2"]}, headers=h)
    switch(client, "field1")
    for url in ("/ticketview/list/", "/myticketsview/list/"):
        html = client.get(url).get_data(as_text=True)
        assert "我的工单" in html and "别人的工单" not in html, url
    assert client.get(f"/ticketview/show/{mine}").status_code == 200
    assert client.get(f"/ticketview/show/{other}").status_code == 404
    assert client.get(f"/ticketview/edit/{other}").status_code == 404
    token = csrf_token(client, f"/ticketview/show/{mine}")
    resp = client.post(f"/ticketview/transition/{other}", data={"to": "in_progress", "csrf_token": token})
    assert resp.status_code == 404
    assert ticket(app, other)["status"] == "assigned"
    assert client.get("/ticketview/add").status_code == 403


def test_keeper_has_no_ticket_screens(app, client):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    switch(client, "keeper")
    for url in ("/ticketview/list/", f"/ticketview/show/{pk}", "/repairrecordview/list/"):
        assert client.get(url).status_code == 403, url


def test_list_filters_overdue_and_customer(app, client):
    cid = make_customer(app, 1, with_equipment=True)
    other = make_customer(app, 2, with_equipment=True)
    new_ticket(app, cid, received_at=utcnow() - timedelta(hours=6), title="超时的")
    new_ticket(app, other, title="按时的")
    switch(client, "manager")
    page = client.get("/ticketview/list/").get_data(as_text=True)
    overdue_url = re.search(r'href="([^"]*_flt_\d_resolve_by=1)"', page)
    assert overdue_url, "quick filter link missing"
    html = client.get(overdue_url.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "超时的" in html and "按时的" not in html
    from app.views.ticket_filters import CustomerNameFilter, filter_url_arg

    view = next(v for v in app.appbuilder.baseviews if type(v).__name__ == "TicketView")
    arg = filter_url_arg(view, "customer_id", CustomerNameFilter)
    html = client.get(f"/ticketview/list/?{arg}=客户2").get_data(as_text=True)
    assert "按时的" in html and "超时的" not in html


def test_ticket_list_query_count_is_constant(app, client, staff):
    cid = make_customer(app, with_equipment=True)
    with app.app_context():
        for n in range(60):
            db.session.add(Ticket(number=f"SR-2026-{n:06d}", customer_id=cid, channel="phone",
                                  category="hardware", severity=["general", "important", "emergency"][n % 3],
                                  status="assigned", assignee_id=staff["field1"], received_by_id=staff["cs"],
                                  title=f"T{n}", description="d", received_at=utcnow(),
                                  respond_by=utcnow() + timedelta(hours=1), resolve_by=utcnow() + timedelta(hours=3)))
        db.session.commit()
    for who, url, view in (("manager", "/ticketview/list/", "TicketView"),
                           ("field1", "/myticketsview/list/", "MyTicketsView"),
                           ("manager", "/repairrecordview/list/", "RepairRecordView")):
        switch(client, who)
        counts = []
        for size in (5, 50):
            client.get(f"{url}?psize_{view}=1")
            with app.app_context(), count_queries(db.engine) as statements:
                assert client.get(f"{url}?psize_{view}={size}").status_code == 200
            counts.append(len(statements))
        assert counts[0] == counts[1], (url, counts)


def test_field_engineer_cannot_record_a_repair_on_someone_elses_ticket(app, client, api, staff):
    cid = make_customer(app, with_equipment=True)
    other = new_ticket(app, cid)
    client.post(f"/api/v1/ticket/{other}/transition", json={"to": "assigned", "assignee": staff["field2"]},
                headers=api("manager"))
    switch(client, "field1")
    add_url = f"/repairrecordview/add?_flt_0_ticket={other}"
    token = csrf_token(client, "/repairrecordview/add")
    now = utcnow().replace(microsecond=0)
    resp = client.post(add_url, data={
        "engineers": [str(staff["field1"])], "arrived_at": now.strftime(FMT), "work_done": "检修",
        "result": "fixed", "csrf_token": token}, follow_redirects=True)
    assert "only record repairs on tickets assigned to you" in resp.get_data(as_text=True)
    assert count(app, RepairRecord) == 0


def test_no_repair_record_on_a_closed_ticket(app, client, api, staff):
    from tests.test_tickets_api import closed_ticket

    pk = closed_ticket(app, client, api, staff)
    switch(client, "manager")
    add_url = f"/repairrecordview/add?_flt_0_ticket={pk}"
    token = csrf_token(client, add_url)
    resp = client.post(add_url, data={
        "engineers": [str(staff["field1"])], "arrived_at": utcnow().strftime(FMT), "work_done": "检修",
        "result": "fixed", "csrf_token": token})
    assert "The ticket is closed or cancelled." in resp.get_data(as_text=True)
    assert count(app, RepairRecord) == 0


@pytest.mark.parametrize("url", [
    "/ticketview/list/?_oc_TicketView=customer&_od_TicketView=asc",
    "/repairrecordview/list/?_oc_RepairRecordView=ticket&_od_RepairRecordView=desc",
    "/escalationview/list/?_oc_EscalationView=assignee&_od_EscalationView=asc",
])
def test_crafted_sort_on_a_relationship_is_ignored(app, client, url):
    new_ticket(app, make_customer(app, with_equipment=True))
    switch(client, "manager")
    assert client.get(url).status_code == 200


def test_kpi_page_bad_dates_and_roles(app, client):
    switch(client, "manager")
    resp = client.get("/kpi/?from=2026-10-31&to=2026-10-01")
    assert resp.status_code == 400 and "must not be after" in resp.get_data(as_text=True)
    resp = client.get("/kpi/?from=2026-02-30&to=2026-03-01")
    assert resp.status_code == 400 and "not a real date" in resp.get_data(as_text=True)
    switch(client, "cs")
    assert client.get("/kpi/").status_code == 403


def test_html_intake_unknown_code_and_foreign_equipment_are_form_errors(app, client):
    from app.models import Equipment

    c1, c2 = make_customer(app, 1, with_equipment=True), make_customer(app, 2, with_equipment=True)
    with app.app_context():
        foreign = db.session.query(Equipment).filter_by(customer_id=c2).one().id
    switch(client, "cs")
    token = csrf_token(client, "/ticketview/add")
    base = {"customer": str(c1), "channel": "phone", "category": "hardware", "severity": "general",
            "title": "x", "description": "y", "csrf_token": token}
    resp = client.post("/ticketview/add", data={**base, "severity": "critical"})
    html = resp.get_data(as_text=True)  # the labelled select refuses a code it does not know
    assert resp.status_code == 200 and ("This field is required." in html or "Not a valid choice" in html)
    resp = client.post("/ticketview/add", data={**base, "equipment": str(foreign)})
    assert resp.status_code == 200 and "It belongs to another customer." in resp.get_data(as_text=True)
    assert count(app, Ticket) == 0


def test_html_edit_severity_recomputes_deadlines_and_engineer_edits_own(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    client.post(f"/api/v1/ticket/{pk}/transition", json={"to": "assigned", "assignee": staff["field1"]},
                headers=api("manager"))
    switch(client, "field1")
    token = csrf_token(client, f"/ticketview/edit/{pk}")
    resp = client.post(f"/ticketview/edit/{pk}", data={
        "category": "hardware", "severity": "emergency", "title": "接收站无信号", "description": "描述",
        "root_cause": "高频头进水", "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    t = ticket(app, pk)
    assert t["respond_by"] - t["received_at"] == timedelta(minutes=30)
    assert t["resolve_by"] - t["received_at"] == timedelta(hours=4)
