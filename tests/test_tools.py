"""Tool lending: lend, return (twice refused), overdue list, calibration, own loans for field engineers."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import Tool, ToolLoan, ToolStatus
from app.models.tools import ToolKind
from tests.conftest import csrf_token


@pytest.fixture
def tool(app, staff):
    with app.app_context():
        t = Tool(code="TL-1", name="光谱仪", kind=ToolKind.instrument, serial_number="SP-1",
                 calibration_due_on=clock.today_local() + timedelta(days=20))
        db.session.add(t)
        db.session.commit()
        return t.id


def test_lend_and_return_once(app, client, api, staff, tool):
    due = (clock.today_local() + timedelta(days=7)).isoformat()
    h = api("keeper")
    resp = client.post("/api/v1/tool_loan/", json={"tool": tool, "borrower": staff["field1"], "due_on": due}, headers=h)
    assert resp.status_code == 201, resp.json
    loan = resp.json["id"]
    again = client.post("/api/v1/tool_loan/", json={"tool": tool, "borrower": staff["field2"], "due_on": due}, headers=h)
    assert again.status_code == 409
    assert client.get("/api/v1/tool_loan/", headers=api("field1")).json["count"] == 1
    assert client.get("/api/v1/tool_loan/", headers=api("field2")).json["count"] == 0
    assert client.post(f"/api/v1/tool_loan/{loan}/return", json={"condition": "完好"}, headers=api("field1")).status_code == 403
    resp = client.post(f"/api/v1/tool_loan/{loan}/return", json={"condition": "完好"}, headers=h)
    assert resp.status_code == 200 and resp.json["result"]["return_condition"] == "完好"
    resp = client.post(f"/api/v1/tool_loan/{loan}/return", json={"condition": "again"}, headers=h)
    assert resp.status_code == 409 and "already" in str(resp.json["message"])
    with app.app_context():
        assert db.session.get(Tool, tool).status is ToolStatus.available
        assert db.session.get(ToolLoan, loan).return_condition == "完好"


@pytest.mark.parametrize("body,field", [
    ({"due_on": "2001-01-01"}, "due_on"), ({"due_on": "soon"}, "due_on"), ({"borrower": 9999}, "borrower"),
])
def test_bad_loans(app, client, api, staff, tool, body, field):
    data = {"tool": tool, "borrower": staff["field1"], "due_on": (clock.today_local() + timedelta(days=1)).isoformat(), **body}
    resp = client.post("/api/v1/tool_loan/", json=data, headers=api("keeper"))
    assert resp.status_code == 422 and field in resp.json["message"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ToolLoan)) == 0


def test_overdue_and_calibration_lists(app, client, api, as_user, staff, tool):
    with app.app_context():
        db.session.add(ToolLoan(tool_id=tool, borrower_id=staff["field2"], due_on=clock.today_local() - timedelta(days=3),
                                lent_at=clock.today_local() - timedelta(days=10)))
        db.session.get(Tool, tool).status = ToolStatus.lent
        db.session.commit()
    resp = client.get("/api/v1/tool_loan/overdue", headers=api("keeper"))
    assert [x["borrower"] for x in resp.json["result"]] == [staff["field2"]] and resp.json["result"][0]["overdue"]
    page = as_user("keeper").get("/tool_overdue/list/").get_data(as_text=True)
    assert "光谱仪" in page and "TL-1" in page


def test_expired_calibration_blocks_lending_and_upkeep_restores(app, as_user, staff, tool):
    with app.app_context():
        db.session.get(Tool, tool).calibration_due_on = clock.today_local() - timedelta(days=1)
        db.session.commit()
    client = as_user("keeper")
    token = csrf_token(client, f"/toolview/show/{tool}")
    due = (clock.today_local() + timedelta(days=3)).isoformat()
    client.post(f"/toolview/lend/{tool}", data={"borrower": staff["field1"], "due_on": due, "csrf_token": token})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ToolLoan)) == 0
    until = (clock.today_local() + timedelta(days=365)).isoformat()
    client.post(f"/toolview/upkeep/{tool}", data={"calibrated_until": until, "csrf_token": token})
    client.post(f"/toolview/lend/{tool}", data={"borrower": staff["field1"], "due_on": due, "csrf_token": token})
    with app.app_context():
        assert db.session.get(Tool, tool).status is ToolStatus.lent
        loan = db.session.scalar(sa.select(ToolLoan))
    client.post(f"/toolview/return/{loan.id}", data={"condition": "ok", "csrf_token": token})
    resp = client.post(f"/toolview/return/{loan.id}", data={"condition": "ok", "csrf_token": token}, follow_redirects=True)
    assert "already been returned" in resp.get_data(as_text=True)


def test_tool_with_loans_is_not_deleted(app, client, api, staff, tool):
    due = (clock.today_local() + timedelta(days=2)).isoformat()
    loan = client.post("/api/v1/tool_loan/", json={"tool": tool, "borrower": staff["tech"], "due_on": due},
                       headers=api("keeper")).json["id"]
    client.post(f"/api/v1/tool_loan/{loan}/return", json={}, headers=api("keeper"))
    assert client.delete(f"/api/v1/tool/{tool}", headers=api("admin")).status_code == 409
    with app.app_context():
        assert db.session.get(Tool, tool) is not None
