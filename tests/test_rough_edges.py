"""The rough edges of each role's day: the solution-plan rule, one survey per ticket, length
errors kept with the input, line breaks, 1–5 pickers, page sizes, the favicon."""
import re

import pytest

from app.extensions import db
from app.models import SatisfactionSurvey, SolutionPlan, Ticket, TicketStatus
from app.unit_of_work import unit_of_work
from tests.conftest import csrf_token
from tests.records import make_customer
from tests.registers_helpers import count
from tests.ticket_helpers import new_ticket, ticket


def move(client, api, pk, who, to, **kw):
    return client.post(f"/api/v1/ticket/{pk}/transition", json={"to": to, **kw}, headers=api(who))


def _in_progress(app, client, api, staff, severity):
    pk = new_ticket(app, make_customer(app, with_equipment=True), severity=severity)
    assert move(client, api, pk, "tech", "assigned", assignee=staff["field1"]).status_code == 200
    assert move(client, api, pk, "field1", "in_progress", handling_mode="remote").status_code == 200
    return pk


def _closed(app, n: int = 1) -> int:
    pk = new_ticket(app, make_customer(app, n, with_equipment=True))
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


# --- length errors by the field, with what was typed kept -------------------------------------

def test_too_long_title_is_a_form_error_with_the_input_kept(app, as_user):
    cid = make_customer(app, with_equipment=True)
    browser = as_user("cs")
    url = "/ticketview/add"
    title = "主机" * 101  # 202 characters; the subject takes 200
    resp = browser.post(url, data={"customer": str(cid), "channel": "phone", "category": "hardware",
                                   "severity": "general", "title": title, "description": "第一行\n第二行",
                                   "csrf_token": csrf_token(browser, url)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and _field_errors(html).count("200 characters") == 1
    assert title in html and "第一行\n第二行" in html
    assert count(app, Ticket) == 0


@pytest.mark.parametrize("url, field, data", [
    ("/customerview/add", "name", {"code": "C9", "importance": "normal"}),
    ("/callbackplanview/add", "target", {}),
])
def test_every_fab_form_checks_string_lengths(app, as_user, url, field, data):
    browser = as_user("admin")
    resp = browser.post(url, data={**data, field: "x" * 2000, "csrf_token": csrf_token(browser, url)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "x" * 2000 in html
    assert "cannot be longer than" in _field_errors(html)


def test_every_string_column_of_every_form_has_a_length_rule(app):
    from wtforms.validators import Length

    from app.views.base import ServiceModelView
    from app.views.input_rules import max_length

    checked = 0
    with app.test_request_context():
        for view in app.appbuilder.baseviews:
            if not isinstance(view, ServiceModelView):
                continue
            columns = view.datamodel.list_columns
            for form_cls, names in ((view.add_form, view.add_columns), (view.edit_form, view.edit_columns)):
                form = form_cls()
                for name in names or []:
                    limit = max_length(columns.get(name))
                    field = getattr(form, name, None)
                    if limit and field is not None:
                        assert any(isinstance(v, Length) and v.max == limit for v in field.validators), (view, name)
                        checked += 1
    assert checked > 50


@pytest.fixture
def parts_setup(app, staff):
    from app.services import stock
    from tests.parts_helpers import make_part, make_warehouse

    with app.app_context():
        part, wh = make_part(1), make_warehouse()
        with unit_of_work():
            stock.receive(part, wh, 10, "100.00", "CG-0")
        return {"part": part, "wh": wh}


def test_requisition_purpose_too_long_is_kept_with_its_message(app, as_user, parts_setup):
    from app.models import Requisition

    browser = as_user("field1")
    url = "/requisitionview/add"
    purpose = "现场维修" * 80  # 320 characters; the column takes 300
    resp = browser.post(url, data={"warehouse": parts_setup["wh"], "part_0": "P-0001", "qty_0": "2",
                                   "purpose": purpose, "csrf_token": csrf_token(browser, url)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.content_type.startswith("text/html")
    assert re.search(r'data-field="purpose">[^<]*300', html) and f'value="{purpose}"' in html
    assert re.search(r'<option value="\d+" selected>P-0001 ', html) and count(app, Requisition) == 0


def test_purchase_reason_too_long_is_kept_with_its_message(app, as_user, parts_setup):
    from app.models import PurchaseRequest

    browser = as_user("keeper")
    url = "/purchaserequestview/add"
    reason = "补充库存" * 80
    resp = browser.post(url, data={"warehouse": parts_setup["wh"], "part_0": "P-0001", "qty_0": "2",
                                   "reason": reason, "csrf_token": csrf_token(browser, url)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and re.search(r'data-field="reason">[^<]*300', html)
    assert f'value="{reason}"' in html and count(app, PurchaseRequest) == 0


# --- 1–5 pickers ------------------------------------------------------------------------------

@pytest.mark.parametrize("url, fields", [
    ("/satisfactionsurveyview/add", ["timeliness", "effectiveness", "attitude"]),
    ("/callbackrecordview/add", ["score_function", "score_performance", "score_quality", "score_service"]),
    ("/complaintview/add", ["satisfaction"]),
    ("/riskview/add", ["likelihood", "impact"]),
])
def test_one_to_five_scores_are_picked_not_typed(app, as_user, url, fields):
    html = as_user("admin").get(url).get_data(as_text=True)
    for name in fields:
        assert re.search(rf'<div class="score-row" id="{name}"', html), name
        values = re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
        assert [v for v in values if v] == ["1", "2", "3", "4", "5"], (name, values)
        assert not re.search(rf'<input[^>]*type="(?:text|number)"[^>]*name="{name}"', html)


def test_picked_scores_save_and_show_on_the_edit_form(app, as_user, staff):
    pk = _closed(app)
    browser = as_user("cs")
    url = "/satisfactionsurveyview/add"
    assert browser.post(url, data={"ticket": str(pk), **SCORES, "csrf_token": csrf_token(browser, url)}).status_code == 302
    with app.app_context():
        survey = db.session.get(Ticket, pk).survey
        assert (survey.timeliness, survey.effectiveness, survey.attitude) == (5, 4, 5)
        sid = survey.id
    browser.get("/logout/")
    html = as_user("manager").get(f"/satisfactionsurveyview/edit/{sid}").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="effectiveness"[^>]*value="4"|'
                     r'<input[^>]*name="effectiveness"[^>]*value="4"[^>]*checked', html)


def test_a_score_outside_the_scale_is_refused_on_the_form(app, as_user, staff):
    pk = _closed(app)
    browser = as_user("cs")
    url = "/satisfactionsurveyview/add"
    resp = browser.post(url, data={"ticket": str(pk), **SCORES, "attitude": "7", "csrf_token": csrf_token(browser, url)})
    assert resp.status_code == 200 and _field_errors(resp.get_data(as_text=True))
    assert count(app, SatisfactionSurvey) == 0


def test_an_optional_score_may_stay_empty(app, as_user):
    from app.models import CallbackRecord, Customer

    with app.app_context():
        db.session.add(Customer(code="C1", name="客户1", region="东城镇"))
        db.session.commit()
        cid = db.session.query(Customer.id).scalar()
    browser = as_user("admin")
    url = "/callbackrecordview/add"
    html = browser.get(url).get_data(as_text=True)
    assert re.search(r'name="score_service"[^>]*value=""', html)
    resp = browser.post(url, data={"customer": str(cid), "due_date": "2026-05-01", "status": "due", "method": "phone",
                                   "score_service": "", "score_quality": "4", "csrf_token": csrf_token(browser, url)})
    assert resp.status_code == 302, _field_errors(resp.get_data(as_text=True))
    with app.app_context():
        record = db.session.query(CallbackRecord).one()
        assert record.score_service is None and record.score_quality == 4


# --- page sizes -------------------------------------------------------------------------------

def _customers(app, n: int) -> None:
    from app.models import Customer

    with app.app_context():
        db.session.add_all([Customer(code=f"C{i:03d}", name=f"客户{i:03d}", region="东城镇") for i in range(n)])
        db.session.commit()


def _sizes(html: str) -> dict[str, str]:
    menu = re.search(r'<div class="btn-group page-size">(.*?)</ul>', html, re.S)
    assert menu, "no page-size menu"
    return dict((size, href.replace("&amp;", "&")) for href, size in re.findall(r'<a href="([^"]+)">(\d+)</a>', menu.group(1)))


def test_every_list_offers_25_50_100(app, as_user):
    _customers(app, 60)
    browser = as_user("admin")
    html = browser.get("/customerview/list/?page_CustomerView=2&_oc_CustomerView=name&_od_CustomerView=asc").get_data(as_text=True)
    sizes = _sizes(html)
    assert list(sizes) == ["25", "50", "100"]
    assert "psize_CustomerView=50" in sizes["50"] and "page_CustomerView" not in sizes["50"]
    assert "_oc_CustomerView=name" in sizes["50"]
    html = browser.get(sizes["50"]).get_data(as_text=True)
    assert html.count("客户0") == 50 and "Page size: 50" in html
    html = browser.get(sizes["100"]).get_data(as_text=True)
    assert html.count("客户0") == 60 and list(_sizes(html)) == ["25", "50", "100"]  # back to 25 still offered


def test_the_page_size_menu_is_on_the_service_lists(app, as_user):
    from app.views.base import ServiceModelView
    from app.views.export import ExportListWidget

    lists = [v for v in app.appbuilder.baseviews if isinstance(v, ServiceModelView)]
    assert len(lists) > 30 and all(issubclass(v.list_widget, ExportListWidget) for v in lists)
    _customers(app, 30)
    assert "page-size" not in as_user("admin").get("/contactview/list/").get_data(as_text=True)  # no rows: no menu


# --- line breaks ------------------------------------------------------------------------------

def test_multi_line_texts_keep_their_lines_on_pages_and_lists(app, as_user, staff):
    pk = new_ticket(app, make_customer(app, with_equipment=True), description="第一行\n<b>第二行</b>")
    browser = as_user("manager")
    html = browser.get(f"/ticketview/show/{pk}").get_data(as_text=True)
    assert '<span class="text-lines">第一行\n&lt;b&gt;第二行&lt;/b&gt;</span>' in html and "<b>第二行" not in html
    token = csrf_token(browser, f"/ticketview/show/{pk}")
    browser.post(f"/ticketview/note/{pk}", data={"note": "已联系客户\n明早上门", "csrf_token": token})
    html = browser.get(f"/ticketview/show/{pk}").get_data(as_text=True)
    assert '<td class="text-lines">已联系客户\n明早上门</td>' in html
    from app.views.ticket_work import SatisfactionSurveyView

    view = next(v for v in app.appbuilder.baseviews if isinstance(v, SatisfactionSurveyView))
    assert "comment" in view.formatters_columns and "ticket" not in view.formatters_columns


def test_list_cells_of_multi_line_texts_are_escaped_and_keep_lines(app):
    from app.views.complaints import ComplaintProgressView

    view = next(v for v in app.appbuilder.baseviews if isinstance(v, ComplaintProgressView))
    cell = str(view.formatters_columns["note"]("电话沟通\n<script>x</script>"))
    assert cell == '<span class="text-lines">电话沟通\n&lt;script&gt;x&lt;/script&gt;</span>'


# --- favicon ----------------------------------------------------------------------------------

def test_favicon_answers_and_is_linked(app, client, as_user):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200 and resp.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in svg.data
    for page in (client.get("/login/"), as_user("cs").get("/ticketview/list/")):
        html = page.get_data(as_text=True)
        assert '<link rel="icon" href="/static/favicon.svg"' in html and 'href="/favicon.ico"' in html


def test_the_length_message_in_chinese(app, client, as_user, parts_setup):
    browser = as_user("field1")
    browser.get("/lang/zh_Hans")
    url = "/requisitionview/add"
    resp = browser.post(url, data={"warehouse": parts_setup["wh"], "part_0": "P-0001", "qty_0": "2",
                                   "purpose": "维" * 301, "csrf_token": csrf_token(browser, url)})
    assert "最多 300 个字符（已输入 301 个）" in resp.get_data(as_text=True)


def test_the_demo_resolves_urgent_tickets_only_along_a_plan(demo):
    import sqlalchemy as sa

    from app.models import Severity

    with demo.app_context():
        resolved = sa.or_(Ticket.resolved_at.is_not(None), Ticket.status.in_(
            [TicketStatus.awaiting_confirmation, TicketStatus.closed]))
        urgent = Ticket.severity.in_([Severity.emergency, Severity.important])
        without = db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)
                                    .where(resolved, urgent, ~Ticket.solution_plan.has()))
        with_plan = db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)
                                      .where(resolved, urgent, Ticket.solution_plan.has()))
    assert without == 0 and with_plan > 10
