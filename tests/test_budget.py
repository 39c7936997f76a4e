"""Budget and expenses: remaining computed in SQL, over-budget allowed but flagged, bad input refused."""
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.models import Budget, Expense, TicketStatus
from tests.conftest import csrf_token
from tests.records import make_customer, make_ticket


def make_budget(client, h, period="2026-03", category="travel", amount="1000.00"):
    resp = client.post("/api/v1/budget/", json={"period": period, "category": category, "amount": amount}, headers=h)
    assert resp.status_code == 201, resp.json
    return resp.json["id"]


def spend(client, h, budget, amount, spent_on="2026-03-10", **kw):
    return client.post("/api/v1/expense/", json={
        "budget": budget, "spent_on": spent_on, "item": "差旅：东城镇巡检", "amount": amount, **kw}, headers=h)


def test_remaining_and_over_budget_flag(app, client, api, staff):
    h = api("manager")
    pk = make_budget(client, h)
    first = spend(client, h, pk, "600.00", staff=staff["field1"])
    assert first.status_code == 201 and "warning" not in first.json
    second = spend(client, h, pk, "300.50", spent_on="2026-03-12")
    assert second.status_code == 201 and "warning" not in second.json
    budget = client.get(f"/api/v1/budget/{pk}", headers=h).json["result"]
    assert Decimal(budget["spent"]) == Decimal("900.50") and Decimal(budget["remaining"]) == Decimal("99.50")
    assert budget["over_budget"] is False
    over = spend(client, h, pk, "150.00", spent_on="2026-03-20")
    assert over.status_code == 201  # allowed, but flagged
    assert "over by 50.50" in over.json["warning"]
    budget = client.get(f"/api/v1/budget/{pk}", headers=h).json["result"]
    assert Decimal(budget["remaining"]) == Decimal("-50.50") and budget["over_budget"] is True
    flags = {e["amount"]: e["over_budget"] for e in client.get("/api/v1/expense/", headers=h).json["result"]}
    assert flags == {"600.00": False, "300.50": False, "150.00": True}


def test_budget_without_expenses_has_everything_remaining(client, api):
    h = api("manager")
    pk = make_budget(client, h, period="2026", category="equipment", amount="50000")
    budget = client.get(f"/api/v1/budget/{pk}", headers=h).json["result"]
    assert Decimal(budget["spent"]) == 0 and Decimal(budget["remaining"]) == Decimal("50000")
    assert budget["period_start"] == "2026-01-01" and budget["period_end"] == "2026-12-31"


def test_bad_budget_input(app, client, api):
    h = api("manager")
    assert client.post("/api/v1/budget/", json={"period": "2026-03", "category": "travel", "amount": "-1"},
                       headers=h).status_code == 422
    assert client.post("/api/v1/budget/", json={"period": "2026-Q1", "category": "travel", "amount": "1"},
                       headers=h).status_code == 422
    make_budget(client, h)
    dup = client.post("/api/v1/budget/", json={"period": "2026-03", "category": "travel", "amount": "5"}, headers=h)
    assert dup.status_code == 409 and "already exists" in str(dup.json["message"])
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Budget)) == 1


def test_bad_expense_input_writes_nothing(app, client, api):
    h = api("manager")
    pk = make_budget(client, h)
    assert spend(client, h, pk, "0").status_code == 422
    assert spend(client, h, pk, "-20").status_code == 422
    outside = spend(client, h, pk, "20", spent_on="2026-04-01")
    assert outside.status_code == 422 and "outside the budget's period" in str(outside.json["message"])
    assert spend(client, h, 999, "20").status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Expense)) == 0


def test_html_expense_over_budget_warning_and_list_flag(app, client, api, as_user, staff):
    pk = make_budget(client, api("manager"), amount="100")
    make_ticket(app, make_customer(app), "T-0100", assignee_id=staff["field1"], status=TicketStatus.in_progress)
    browser = as_user("manager")
    token = csrf_token(browser, "/expenseview/add")
    resp = browser.post("/expenseview/add", data={
        "budget": str(pk), "spent_on": "2026-03-05", "item": "购买测试仪表", "amount": "120.00",
        "staff": str(staff["manager"]), "ticket_ref": "T-0100", "csrf_token": token,
    }, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "is over by 20.00" in html
    with app.app_context():
        expense = db.session.scalar(sa.select(Expense))
        assert expense.ticket.number == "T-0100" and expense.over_budget is True
    listing = browser.get("/expenseview/list/").get_data(as_text=True)
    assert "label-danger" in listing and "Over budget" in listing
    budgets = browser.get("/budgetview/list/").get_data(as_text=True)
    assert "-20.00" in budgets


def test_html_negative_budget_is_a_form_error(app, as_user):
    browser = as_user("manager")
    token = csrf_token(browser, "/budgetview/add")
    resp = browser.post("/budgetview/add", data={"period": "2026-05", "category": "training", "amount": "-5",
                                                 "csrf_token": token})
    assert resp.status_code == 200 and "The budget must not be negative." in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Budget)) == 0


def test_only_the_manager_sees_the_budget(client, api):
    for login in ("tech", "field1", "cs", "keeper"):
        assert client.get("/api/v1/budget/", headers=api(login)).status_code == 403
        assert client.get("/api/v1/expense/", headers=api(login)).status_code == 403


def test_html_budget_screens_are_the_managers(as_user):
    browser = as_user("field1")
    for url in ("/budgetview/list/", "/expenseview/list/", "/appraisalview/list/"):
        assert browser.get(url).status_code == 403, url
    assert browser.get("/tripview/list/").status_code == 200
    assert browser.get("/knowledgearticleview/list/").status_code == 200
    menu = browser.get("/").get_data(as_text=True)
    assert "/budgetview/list/" not in menu and "/tripview/list/" in menu
