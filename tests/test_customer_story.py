"""The customer's story page: every register of one customer, limited by the viewer's access."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from app import clock
from app.extensions import db
from app.models import CallbackRecord, Complaint, Contact, Equipment, Project, SatisfactionSurvey, Ticket
from app.services.customer_story import last_quarters, satisfaction_trend, warranty_state
from tests.conftest import count_queries
from tests.records import make_customer
from tests.ticket_helpers import new_ticket

NOW = datetime(2026, 6, 15, 2, 0)  # 10:00 in Asia/Shanghai


def _close(app, pk: int, at: datetime) -> None:
    with app.app_context():
        t = db.session.get(Ticket, pk)
        t.status, t.closed_at = "closed", at
        db.session.commit()


@pytest.fixture
def story(app, staff):
    """Customer 1 with one of everything; customer 2 with rows that must never show on customer 1."""
    cid, other = make_customer(app, 1, with_equipment=True), make_customer(app, 2, with_equipment=True)
    with clock.frozen(NOW):
        mine = new_ticket(app, cid, received_at=datetime(2026, 6, 14), title="现场机的故障",
                          severity="general", assignee_id=staff["field1"])
        urgent = new_ticket(app, cid, received_at=datetime(2026, 6, 14, 1), title="紧急停机",
                            severity="emergency", assignee_id=staff["field2"])
        past = new_ticket(app, cid, received_at=datetime(2026, 2, 1), title="上次的问题")
        foreign = new_ticket(app, other, received_at=datetime(2026, 6, 14), title="别人家的工单")
    _close(app, past, datetime(2026, 2, 3))
    with app.app_context():
        db.session.add_all([
            Contact(customer_id=cid, name="王工", is_primary=False),
            Contact(customer_id=cid, name="李主任", is_primary=True),
            Contact(customer_id=other, name="别家联系人"),
            Project(customer_id=cid, code="P-OLD", name="旧项目", warranty_start=date(2020, 1, 1),
                    warranty_end=date(2022, 12, 31)),
            CallbackRecord(customer_id=cid, due_date=date(2026, 6, 10), status="due"),
            CallbackRecord(customer_id=cid, due_date=date(2026, 3, 1), status="done",
                           called_at=datetime(2026, 3, 1, 3), opinions="很满意"),
            Complaint(number="TS-2026-001", customer_id=cid, subject="响应太慢", content="c"),
            Complaint(number="TS-2026-002", customer_id=other, subject="别家的投诉", content="c"),
            SatisfactionSurvey(ticket_id=past, timeliness=5, effectiveness=4, attitude=3,
                               surveyed_at=datetime(2026, 2, 4)),
        ])
        db.session.commit()
    return {"cid": cid, "mine": mine, "urgent": urgent, "past": past, "foreign": foreign}


def page(as_user, login, cid):
    with clock.frozen(NOW):
        resp = as_user(login).get(f"/customerview/show/{cid}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def section(html: str, name: str) -> str:
    start = html.index(f'id="story-{name}"')
    end = html.find('id="story-', start + 10)
    return html[start:end if end > 0 else len(html)]


def test_sections_show_the_customers_rows_and_never_another_customers(story, as_user):
    html = page(as_user, "manager", story["cid"])
    for name in ("contacts", "projects", "equipment", "open-tickets", "past-tickets", "callbacks",
                 "complaints", "surveys"):
        assert f'id="story-{name}"' in html, name
    contacts = section(html, "contacts")
    assert contacts.index("李主任") < contacts.index("王工")  # the primary contact first
    assert "紧急停机" in section(html, "open-tickets") and "上次的问题" in section(html, "past-tickets")
    assert "上次的问题" not in section(html, "open-tickets")
    opened = section(html, "open-tickets")
    assert opened.index("紧急停机") < opened.index("现场机的故障")  # emergency first
    assert "响应太慢" in html and "很满意" in html
    assert "SN-1" in html and f"?_flt_0_customer_id={story['cid']}" in html
    for foreign in ("别人家的工单", "别家联系人", "别家的投诉", "SN-2"):
        assert foreign not in html, foreign


def test_survey_averages_and_trend(story, as_user):
    html = section(page(as_user, "manager", story["cid"]), "surveys")
    assert "<strong>4.0</strong>" in html  # (5 + 4 + 3) / 3
    assert "2026 Q1" in html and "2025 Q3" in html


def test_field_engineer_sees_only_own_tickets_and_no_complaints(story, as_user):
    html = page(as_user, "field1", story["cid"])
    assert "现场机的故障" in html
    assert "紧急停机" not in html and "上次的问题" not in html
    assert 'id="story-complaints"' not in html and "响应太慢" not in html  # no access: no panel
    assert 'id="story-callbacks"' not in html and 'id="story-surveys"' not in html


def test_keeper_sees_no_ticket_sections(story, as_user):
    html = page(as_user, "keeper", story["cid"])
    assert 'id="story-contacts"' in html and 'id="story-equipment"' in html
    assert 'id="story-open-tickets"' not in html and "紧急停机" not in html


def test_warranty_state_is_judged_on_the_local_day(story, as_user):
    assert warranty_state(date(2025, 1, 1), date(2026, 6, 30), date(2026, 6, 15)).level == "soon"
    assert warranty_state(date(2025, 1, 1), date(2027, 12, 31), date(2026, 6, 15)).level == "in"
    assert warranty_state(date(2025, 1, 1), date(2026, 6, 14), date(2026, 6, 15)).level == "expired"
    assert warranty_state(date(2026, 7, 1), date(2027, 6, 30), date(2026, 6, 15)).level == "future"
    client = as_user("manager")
    url = f"/customerview/show/{story['cid']}"
    with clock.frozen(NOW):
        html = section(client.get(url).get_data(as_text=True), "projects")
    assert "2022-12-31" in html and "2027-12-31" in html
    with clock.frozen(datetime(2028, 1, 1, 1)):  # 09:00 local on the 1st: the project has expired
        late = section(client.get(url).get_data(as_text=True), "projects")
    assert late.count("label-default warranty-state") == 2 == html.count("label-default warranty-state") + 1


def test_trend_buckets_by_local_quarter():
    today = date(2026, 6, 15)
    assert last_quarters(today) == [(2025, 3), (2025, 4), (2026, 1), (2026, 2)]
    # 2026-03-31 17:00 UTC is already 1 April in Shanghai: the second quarter
    points = satisfaction_trend([(datetime(2026, 3, 31, 17), 5.0), (datetime(2026, 3, 30), 3.0)], today)
    assert [(p.count, p.average) for p in points] == [(0, None), (0, None), (1, 3.0), (1, 5.0)]


def test_story_runs_a_bounded_number_of_queries(app, story, as_user):
    client = as_user("manager")
    cid = story["cid"]

    def statements() -> int:
        with clock.frozen(NOW), app.app_context(), count_queries(db.engine) as seen:
            assert client.get(f"/customerview/show/{cid}").status_code == 200
        return len(seen)

    client.get(f"/customerview/show/{cid}")  # warm up
    before = statements()
    with app.app_context():
        for n in range(8):  # more rows must not mean more statements
            db.session.add(Equipment(customer_id=cid, name="站", model="RS", serial_number=f"SN-X{n}"))
            db.session.add(Contact(customer_id=cid, name=f"联系人{n}"))
        db.session.commit()
    for n in range(6):
        new_ticket(app, cid, title=f"批量{n}")
    after = statements()
    assert after == before and after <= 25, (before, after)


def test_unknown_customer_is_404(as_user):
    assert as_user("cs").get("/customerview/show/99999").status_code == 404


def test_ticket_page_and_list_link_the_customer_story(story, as_user):
    client = as_user("cs")
    link = f'href="/customerview/show/{story["cid"]}"'
    assert link in client.get(f"/ticketview/show/{story['urgent']}").get_data(as_text=True)
    assert link in client.get("/ticketview/list/").get_data(as_text=True)


def test_equipment_page_shows_past_tickets(app, story, as_user):
    with app.app_context():
        eq = db.session.query(Equipment).filter_by(serial_number="SN-1").one()
        db.session.get(Ticket, story["past"]).equipment_id = eq.id
        db.session.commit()
        eid = eq.id
    html = as_user("manager").get(f"/equipmentview/show/{eid}").get_data(as_text=True)
    assert "equipment-past-tickets" in html and "上次的问题" in html
