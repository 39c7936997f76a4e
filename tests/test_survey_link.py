"""The customer's survey link: signed, single use, expiring; the answer is the ticket's survey."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.clock import frozen
from app.extensions import db
from app.models import Contact, Notification, SatisfactionSurvey, SurveyLink, Ticket
from tests.notify_helpers import channels_on, wait_for
from tests.records import make_customer
from tests.ticket_helpers import new_ticket

T0 = datetime(2026, 12, 1, 1, 0)


def close_ticket(client, api, staff, pk):
    h = api("manager")
    steps = [{"to": "assigned", "assignee": staff["field1"]}, {"to": "in_progress", "handling_mode": "remote"},
             {"to": "awaiting_confirmation", "resolution": "重启后恢复"}, {"to": "closed"}]
    for body in steps:
        resp = client.post(f"/api/v1/ticket/{pk}/transition", json=body, headers=h)
        assert resp.status_code == 200, resp.json


def survey_path(client, api, pk) -> str:
    url = client.get(f"/api/v1/ticket/{pk}", headers=api("cs")).json["result"]["survey_url"]
    assert url and "/survey/" in url
    return "/survey/" + url.rsplit("/survey/", 1)[1]


def _kinds(app, username):
    with app.app_context():
        return [n.kind.value for n in db.session.scalars(
            sa.select(Notification).join(Notification.user).where(sa.text("ab_user.username = :u")).params(u=username))
            .unique()]


def test_a_closed_ticket_gets_a_link_the_customer_answers_once(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    assert client.get(f"/api/v1/ticket/{pk}", headers=api("cs")).json["result"]["survey_url"] is None
    close_ticket(client, api, staff, pk)
    path = survey_path(client, api, pk)
    page = client.get(path)
    assert page.status_code == 200 and 'name="timeliness"' in page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    resp = client.post(path, data={"csrf_token": token, "timeliness": "5", "effectiveness": "4", "attitude": "5",
                                   "comment": "工程师很专业"})
    assert resp.status_code == 200 and "survey-thanks" in resp.get_data(as_text=True)
    with app.app_context():
        survey = db.session.scalar(sa.select(SatisfactionSurvey).where(SatisfactionSurvey.ticket_id == pk))
        assert (survey.timeliness, survey.effectiveness, survey.attitude, survey.comment) == (5, 4, 5, "工程师很专业")
    assert "survey_received" in _kinds(app, "cs") and "survey_received" not in _kinds(app, "manager")
    # used: 410, and the API no longer offers it
    again = client.get(path)
    assert again.status_code == 410 and "survey-gone" in again.get_data(as_text=True)
    assert client.post(path, data={"csrf_token": token, "timeliness": "1", "effectiveness": "1",
                                   "attitude": "1"}).status_code == 410
    assert client.get(f"/api/v1/ticket/{pk}", headers=api("cs")).json["result"]["survey_url"] is None


def test_a_low_score_also_tells_the_manager(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    close_ticket(client, api, staff, pk)
    path = survey_path(client, api, pk)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)
    resp = client.post(path, data={"csrf_token": token, "timeliness": "2", "effectiveness": "4", "attitude": "4"})
    assert resp.status_code == 200
    assert "survey_received" in _kinds(app, "manager") and "survey_received" in _kinds(app, "cs")


def test_missing_scores_keep_the_answer_and_say_what_is_missing(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    close_ticket(client, api, staff, pk)
    path = survey_path(client, api, pk)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)
    resp = client.post(path, data={"csrf_token": token, "timeliness": "9", "effectiveness": "4",
                                   "comment": "留言"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "has-error" in html and "留言" in html
    assert re.search(r'name="effectiveness" value="4"\s+checked', html)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SatisfactionSurvey)) == 0
    assert client.get(path).status_code == 200  # still usable


def test_an_expired_or_forged_link(app, client, api, staff):
    with frozen(T0):
        pk = new_ticket(app, make_customer(app, with_equipment=True), received_at=T0)
        close_ticket(client, api, staff, pk)
        path = survey_path(client, api, pk)
    with frozen(T0 + timedelta(days=13, hours=23)):
        assert client.get(path).status_code == 200
    with frozen(T0 + timedelta(days=14, minutes=1)):
        gone = client.get(path)
        assert gone.status_code == 410 and "expired" in gone.get_data(as_text=True)
    forged = path[:-3] + ("abc" if not path.endswith("abc") else "xyz")
    assert client.get(forged).status_code == 404
    with app.app_context():
        link = db.session.scalar(sa.select(SurveyLink).where(SurveyLink.ticket_id == pk))
        assert link.expires_at == link.created_at + timedelta(days=14)


def test_the_page_speaks_the_customers_language(app, client, api, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    close_ticket(client, api, staff, pk)
    path = survey_path(client, api, pk)
    page = client.get(path, headers={"Accept-Language": "zh-TW,zh;q=0.9"}).get_data(as_text=True)
    assert "您對我們的服務滿意嗎" in page
    assert "您对我们的服务满意吗" in client.get(path + "?_l_=zh_Hans").get_data(as_text=True)


def test_the_link_is_emailed_to_the_contact_and_shown_on_the_ticket_page(app, client, api, as_user, staff):
    cid = make_customer(app, with_equipment=True)
    with app.app_context():
        contact = Contact(customer_id=cid, name="王工", email="wang@customer.invalid")
        db.session.add(contact)
        db.session.commit()
        contact_id = contact.id
    pk = new_ticket(app, cid, contact_id=contact_id)
    with channels_on(app) as (box, chat):
        close_ticket(client, api, staff, pk)
        assert wait_for(lambda: box.to("wang@customer.invalid"))
        [mail] = box.to("wang@customer.invalid")
    path = survey_path(client, api, pk)
    assert path in mail.get_body(("plain",)).get_content()
    as_user("cs")
    html = client.get(f"/ticketview/show/{pk}").get_data(as_text=True)
    assert "ticket-survey-link" in html and path in html
    with app.app_context():
        assert db.session.get(Ticket, pk).status.value == "closed"
