"""The rough edges of each role's day: the solution-plan rule, one survey per ticket, length
errors kept with the input, line breaks, 1–5 pickers, page sizes, the favicon."""
import re

import pytest

from app.extensions import db
from app.models import SatisfactionSurvey, SolutionPlan, Ticket, TicketStatus
from tests.conftest import csrf_token
from tests.ticket_helpers import count, make_customer, new_ticket, ticket


def move(client, api, pk, who, to, **kw):
    return client.post(f"/api/v1/ticket/{pk}/transition", json={"to": to, **kw}, headers=api(who))


def _in_progress(app, client, api, staff, severity):
    pk = new_ticket(app, make_customer(app), severity=severity)
    assert move(client, api, pk, "tech", "assigned", assignee=staff["field1"]).status_code == 200
    assert move(client, api, pk, "field1", "in_progress", handling_mode="remote").status_code == 200
    return pk


def _closed(app, n: int = 1) -> int:
    pk = new_ticket(app, make_customer(app, n))
    with app.app_context():
        db.session.get(Ticket, pk).status = TicketStatus.closed
        db.session.commit()
    return pk


def _field_errors(html: str) -> str:
    """The messages FAB's form shows under the fields (an alert inside the field's cell)."""
    return " ".join(re.findall(r'</span>\s*<div class="alert alert-danger">(.*?)</div>', html, re.S))


# --- the solution-plan rule ---------------------------------------------------------------

@pytest.mark.parametrize("severity", ["emergency", "important"])
def test_no_resolve_without_a_solution_plan(app, client, api, staff, severity):
    pk = _in_progress(app, client, api, staff, severity)
    resp = move(client, api, pk, "field1", "awaiting_confirmation", resolution="重启后恢复")
    assert resp.status_code == 409 and "solution plan" in resp.json["message"]
    assert ticket(app, pk)["status"] == "in_progress" and ticket(app, pk)["resolution"] is None
    with app.app_context():
        db.session.add(SolutionPlan(ticket_id=pk, steps="重启服务并复测"))
        db.session.commit()
    assert move(client, api, pk, "field1", "awaiting_confirmation").status_code == 200


def test_general_tickets_resolve_without_a_plan(app, client, api, staff):
    pk = _in_progress(app, client, api, staff, "general")
    assert move(client, api, pk, "field1", "awaiting_confirmation").status_code == 200


def test_the_rule_in_chinese_and_on_the_screen(app, client, api, staff, as_user):
    pk = _in_progress(app, client, api, staff, "emergency")
    resp = client.post(f"/api/v1/ticket/{pk}/transition", json={"to": "awaiting_confirmation"},
                       headers={**api("field1"), "Accept-Language": "zh-CN"})
    assert resp.status_code == 409 and "解决方案" in resp.json["message"]
    browser = as_user("field1")
    token = csrf_token(browser, f"/ticketview/show/{pk}")
    html = browser.post(f"/ticketview/transition/{pk}", data={"to": "awaiting_confirmation", "csrf_token": token},
                        follow_redirects=True).get_data(as_text=True)
    assert "alert-danger" in html and "solution plan recorded" in html
    assert ticket(app, pk)["status"] == "in_progress"


# --- one survey per ticket ----------------------------------------------------------------

SCORES = {"timeliness": "5", "effectiveness": "4", "attitude": "5"}


def test_second_survey_on_the_form_is_a_form_error(app, as_user, staff):
    pk = _closed(app)
    browser = as_user("cs")
    url = "/satisfactionsurveyview/add"
    data = {"ticket": str(pk), **SCORES, "comment": "满意"}
    assert browser.post(url, data={**data, "csrf_token": csrf_token(browser, url)}).status_code == 302
    resp = browser.post(url, data={**data, "comment": "第二次回访", "csrf_token": csrf_token(browser, url)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "already has a satisfaction survey" in _field_errors(html)
    assert "第二次回访" in html and "IntegrityError" not in html and "constraint" not in html.lower()
    assert count(app, SatisfactionSurvey) == 1


def test_second_survey_with_the_ticket_fixed_is_flashed(app, as_user, staff):
    pk = _closed(app)
    browser = as_user("cs")
    url = f"/satisfactionsurveyview/add?_flt_0_ticket={pk}"
    assert browser.post(url, data={**SCORES, "csrf_token": csrf_token(browser, url)}).status_code == 302
    html = browser.post(url, data={**SCORES, "csrf_token": csrf_token(browser, url)}).get_data(as_text=True)
    assert "alert-danger" in html and "already has a satisfaction survey" in html
    assert count(app, SatisfactionSurvey) == 1


def test_editing_a_survey_keeps_its_ticket(app, as_user, staff):
    pk = _closed(app)
    browser = as_user("manager")
    url = "/satisfactionsurveyview/add"
    browser.post(url, data={"ticket": str(pk), **SCORES, "csrf_token": csrf_token(browser, url)})
    with app.app_context():
        sid = db.session.get(Ticket, pk).survey.id
    other = _closed(app, 2)
    url = f"/satisfactionsurveyview/edit/{sid}"
    resp = browser.post(url, data={"ticket": str(pk), **SCORES, "attitude": "3", "csrf_token": csrf_token(browser, url)})
    assert resp.status_code == 302, _field_errors(resp.get_data(as_text=True))
    browser.post("/satisfactionsurveyview/add", data={"ticket": str(other), **SCORES,
                                                      "csrf_token": csrf_token(browser, "/satisfactionsurveyview/add")})
    resp = browser.post(url, data={"ticket": str(other), **SCORES, "csrf_token": csrf_token(browser, url)})
    assert resp.status_code == 200 and "already has a satisfaction survey" in _field_errors(resp.get_data(as_text=True))


def test_second_survey_on_the_api_is_409_with_a_message(app, client, api, staff):
    pk = _closed(app)
    body = {"ticket": pk, "timeliness": 5, "effectiveness": 4, "attitude": 5}
    assert client.post("/api/v1/satisfaction_survey/", json=body, headers=api("cs")).status_code == 201
    resp = client.post("/api/v1/satisfaction_survey/", json=body, headers=api("cs"))
    assert resp.status_code == 409 and "already has a satisfaction survey" in resp.json["message"]
    assert count(app, SatisfactionSurvey) == 1
