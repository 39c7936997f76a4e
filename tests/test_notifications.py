"""Notifications: who hears of what, in the app, by email (a real local SMTP server) and in the
group chat (a local HTTP receiver), once per event; the sweep's escalations; deliveries retried."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.clock import frozen
from app.extensions import db
from app.models import Delivery, DeliveryStatus, Notification, Staff, Ticket, UserLanguage
from app.notifications import rules
from tests.conftest import PASSWORD, csrf_token
from tests.notify_helpers import channels_on, wait_for
from tests.records import make_customer
from tests.ticket_helpers import new_ticket

T0 = datetime(2026, 12, 1, 1, 0)  # 09:00 in Shanghai


def _notices(app, username: str, kind: str | None = None) -> list[Notification]:
    with app.app_context():
        stmt = (sa.select(Notification).join(Notification.user).where(sa.text("ab_user.username = :u"))
                .params(u=username).order_by(Notification.id))
        rows = db.session.scalars(stmt).unique().all()
        return [n for n in rows if kind is None or n.kind.value == kind]


def _assign(client, headers, pk, staff_id):
    resp = client.post(f"/api/v1/ticket/{pk}/transition", json={"to": "assigned", "assignee": staff_id},
                       headers=headers)
    assert resp.status_code == 200, resp.json
    return resp


def _add_manager(app, username="manager2"):
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user(username, "Second", "Manager", f"{username}@test.invalid", sm.find_role("Manager"), PASSWORD)
        return user.id


def test_assignment_reaches_the_engineer_in_app_by_email_and_in_the_group_chat(app, client, api, staff):
    with app.app_context():
        field1 = db.session.scalar(sa.select(Staff).where(Staff.id == staff["field1"]))
        db.session.add(UserLanguage(user_id=field1.user_id, language="zh_Hans"))
        db.session.commit()
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    with channels_on(app) as (box, chat):
        _assign(client, api("manager"), pk, staff["field1"])
        assert wait_for(lambda: box.to("field1@demo.invalid") and chat.messages)

        with app.app_context():
            number = db.session.get(Ticket, pk).number
        # in the app, through the API, in field1's language
        listing = client.get("/api/v1/notification/", headers=api("field1")).json
        assert listing["count"] == 1 and listing["unread"] == 1
        item = listing["result"][0]
        assert set(item) == {"id", "kind", "title", "body", "link", "created_at", "read_at"}
        assert item["kind"] == "ticket_assigned" and number in item["title"] and "指派给您" in item["title"]
        assert item["link"] == f"/ticketview/show/{pk}" and item["read_at"] is None
        # by email: plain text and HTML, the absolute link, in Chinese
        [mail] = box.to("field1@demo.invalid")
        assert mail["Subject"] == item["title"]
        text = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
        assert f"/ticketview/show/{pk}" in text and f'href="http://localhost/ticketview/show/{pk}"' in html
        assert "您好" in text
        # in the group chat: the robot's text message
        [message] = chat.messages
        assert message["msgtype"] == "text" and number in message["text"]["content"]
        # the manager who assigned is not told about their own move
        assert _notices(app, "manager") == []
        with app.app_context():
            assert {d.status for d in db.session.scalars(sa.select(Delivery))} == {DeliveryStatus.sent}


def test_a_breached_ticket_reaches_every_manager_exactly_once_over_two_sweeps(app, client, api, staff):
    _add_manager(app)
    pk = new_ticket(app, make_customer(app, with_equipment=True), received_at=T0)  # general: respond by T0+2h, resolve by T0+4h
    with frozen(T0 + timedelta(minutes=5)):
        _assign(client, api("manager"), pk, staff["field1"])
    with app.app_context():
        for at in (T0 + timedelta(minutes=30), T0 + timedelta(minutes=31)):  # before the warning window
            rules.sweep(at)
        assert _notices(app, "field1", "ticket_due_soon") == []
        for at in (T0 + timedelta(minutes=70), T0 + timedelta(minutes=71)):  # warning window: 60 min
            rules.sweep(at)
        [soon] = _notices(app, "field1", "ticket_due_soon")
        assert "first response" in soon.title
        assert _notices(app, "manager", "ticket_due_soon") == []  # the assignee is warned, not the managers
        for at in (T0 + timedelta(minutes=125), T0 + timedelta(minutes=130)):  # breached
            rules.sweep(at)
        for login in ("manager", "manager2", "field1"):
            [overdue] = _notices(app, login, "ticket_overdue")
            assert "overdue" in overdue.title
        assert _notices(app, "tech", "ticket_overdue") == []
        for at in (T0 + timedelta(minutes=185), T0 + timedelta(minutes=186)):  # still overdue after half again
            rules.sweep(at)
        for login in ("manager", "manager2", "field1"):
            first, second = _notices(app, login, "ticket_overdue")
            assert "second notice" in second.title
        count = db.session.scalar(sa.select(sa.func.count(Notification.id)).where(Notification.kind == "ticket_overdue"))
        assert count == 6


def test_two_workers_writing_the_same_event_tell_once(app, staff):
    """The UNIQUE (event, recipient) key: a second notify of the same event writes nothing."""
    from app.notifications import notify, users_of

    pk = new_ticket(app, make_customer(app, with_equipment=True))
    with app.app_context():
        ticket = db.session.get(Ticket, pk)
        field1 = db.session.get(Staff, staff["field1"])
        first = notify("ticket_overdue", ticket, users_of(field1), key="x", title="t")
        again = notify("ticket_overdue", ticket, users_of(field1), key="x", title="t")
        db.session.commit()
        assert len(first) == 1 and again == []


def test_my_list_mark_read_and_all_read(app, client, api, staff):
    for n in range(3):
        _assign(client, api("manager"), new_ticket(app, make_customer(app, n + 1, with_equipment=True)), staff["field1"])
    mine = client.get("/api/v1/notification/", headers=api("field1")).json
    assert mine["count"] == 3 and [r["id"] for r in mine["result"]] == sorted((r["id"] for r in mine["result"]),
                                                                             reverse=True)
    first = mine["result"][0]["id"]
    # someone else's notice is not found
    assert client.post(f"/api/v1/notification/{first}/read", headers=api("field2")).status_code == 404
    assert client.get("/api/v1/notification/", headers=api("field2")).json["count"] == 0
    resp = client.post(f"/api/v1/notification/{first}/read", headers=api("field1"))
    assert resp.status_code == 200 and resp.json["result"]["read_at"]
    assert client.get("/api/v1/notification/?unread=1", headers=api("field1")).json["count"] == 2
    assert client.post("/api/v1/notification/read_all", headers=api("field1")).json["count"] == 2
    assert client.get("/api/v1/notification/", headers=api("field1")).json["unread"] == 0
    assert client.get("/api/v1/notification/?page_size=500", headers=api("field1")).status_code == 400
    assert client.get("/api/v1/notification/").status_code == 401


def test_bell_list_page_and_settings(app, client, api, as_user, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    _assign(client, api("manager"), pk, staff["field1"])
    as_user("field1")
    html = client.get("/notifications/list/").get_data(as_text=True)
    assert 'id="notification-bell"' in html and 'notification-count' in html and "notification-unread" in html
    [notice] = _notices(app, "field1")
    token = csrf_token(client, "/notifications/list/")
    resp = client.post(f"/notifications/open/{notice.id}", data={"csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/ticketview/show/{pk}")
    assert _notices(app, "field1")[0].read_at is not None
    assert client.post(f"/notifications/open/{notice.id}", data={}).status_code == 400  # no CSRF token
    # settings: English, no email for assignments
    token = csrf_token(client, "/notifications/settings")
    form = {"csrf_token": token, "language": "zh_Hant"}
    form.update({f"chat_{k}": "1" for k in ("ticket_assigned", "ticket_overdue")})
    assert client.post("/notifications/settings", data=form).status_code == 302
    with channels_on(app) as (box, chat):
        _assign(client, api("manager"), new_ticket(app, make_customer(app, 2, with_equipment=True)), staff["field1"])
        assert wait_for(lambda: chat.messages)
        assert box.to("field1@demo.invalid") == []  # email switched off for this kind
        assert "指派給您" in chat.messages[0]["text"]["content"]  # Traditional, as chosen


def test_a_failed_chat_message_is_retried_with_back_off_and_the_admin_sees_it(app, client, api, as_user, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    with channels_on(app) as (box, chat):
        chat.answer = 500
        with frozen(T0):
            _assign(client, api("manager"), pk, staff["field1"])
        with app.app_context():
            failed = db.session.scalar(sa.select(Delivery).where(Delivery.channel == "chat"))
            assert failed.status is DeliveryStatus.pending and failed.attempts == 1
            assert "500" in failed.last_error and failed.next_attempt_at == T0 + timedelta(minutes=1)
            assert rules.retry_deliveries(T0 + timedelta(seconds=30)) == 0  # not yet: back-off
        as_user("admin")
        page = client.get("/deliveryview/list/").get_data(as_text=True)
        assert "HTTP 500" in page
        chat.answer = 200
        with app.app_context():
            assert rules.retry_deliveries(T0 + timedelta(minutes=2)) == 1
            assert db.session.get(Delivery, failed.id).status is DeliveryStatus.sent
        assert len(chat.messages) == 1
    client.get("/logout/")
    as_user("manager")
    assert client.get("/deliveryview/list/").status_code == 403


def test_deliveries_give_up_after_the_last_attempt(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    with channels_on(app) as (box, chat):
        chat.answer = 500
        with frozen(T0):
            _assign(client, api("manager"), pk, staff["field1"])
        with app.app_context():
            at = T0
            for minutes in (1, 5, 15, 60):
                at += timedelta(minutes=minutes)
                rules.retry_deliveries(at)
            row = db.session.scalar(sa.select(Delivery).where(Delivery.channel == "chat"))
            assert row.status is DeliveryStatus.failed and row.attempts == 5


def test_the_ticket_timeline_shows_what_was_sent_to_whom(app, client, api, as_user, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    with channels_on(app):
        _assign(client, api("manager"), pk, staff["field1"])
    as_user("manager")
    html = client.get(f"/ticketview/show/{pk}").get_data(as_text=True)
    with app.app_context():
        name = db.session.get(Staff, staff["field1"]).name
    assert "ticket-notified" in html and name in html and "Ticket assigned" in html
    assert "Email: Sent" in html and "Group chat: Sent" in html


def test_a_reopened_ticket_goes_back_to_the_assignee(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    h = api("manager")
    _assign(client, h, pk, staff["field1"])
    for to in ("in_progress", "awaiting_confirmation", "in_progress"):
        assert client.post(f"/api/v1/ticket/{pk}/transition", json={"to": to}, headers=h).status_code == 200
    [reopened] = _notices(app, "field1", "ticket_reopened")
    assert "not satisfied" in reopened.title


@pytest.mark.parametrize("resource, login, approvers, title", [
    ("requisition", "field1", ("tech", "manager"), "Requisition"),  # a tech engineer or the manager approves
    ("purchase_request", "keeper", ("manager",), "Purchase request"),  # only the manager approves
])
def test_a_submitted_slip_waits_for_its_approvers(app, client, api, staff, resource, login, approvers, title):
    from tests.parts_helpers import make_part, make_warehouse

    with app.app_context():
        part, wh = make_part(), make_warehouse()
    resp = client.post(f"/api/v1/{resource}/", json={"warehouse": wh, "lines": [{"part": part, "qty": 2}]},
                       headers=api(login))
    assert resp.status_code == 201, resp.json
    for approver in approvers:
        [waiting] = _notices(app, approver, "approval_waiting")
        assert waiting.title.startswith(title) and "waits for your approval" in waiting.title
    others = {"tech", "manager", "keeper", "field1", "cs"} - set(approvers)
    assert all(_notices(app, other) == [] for other in others)


def test_a_complaint_tells_customer_service_and_the_manager(app, client, api, staff):
    cid = make_customer(app, with_equipment=True)
    resp = client.post("/api/v1/complaint/", json={"customer": cid, "subject": "迟到", "content": "工程师迟到"},
                       headers=api("cs"))
    assert resp.status_code == 201, resp.json
    [notice] = _notices(app, "manager", "complaint_received")
    assert "迟到" in notice.title and _notices(app, "cs") == []  # the rep who took it is not told
    # editing it later tells nobody again
    client.put(f"/api/v1/complaint/{resp.json['id']}", json={"content": "补充"}, headers=api("cs"))
    assert len(_notices(app, "manager", "complaint_received")) == 1


@pytest.mark.parametrize("rule", sorted(rules.RULES))
def test_every_rule_runs_on_an_empty_department_and_twice_writes_nothing_new(app, rule):
    with app.app_context():
        first = rules.RULES[rule](T0)
        db.session.commit()
        assert rules.RULES[rule](T0) == 0
        assert first == 0


def test_notify_sweep_command(app):
    result = app.test_cli_runner().invoke(args=["notify-sweep"])
    assert result.exit_code == 0 and "ticket_deadlines: 0" in result.output
