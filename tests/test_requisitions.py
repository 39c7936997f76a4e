"""Requisition slips, warranty pricing, defective returns, unused returns — through the API and HTML."""
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import (
    Customer,
    DefectiveReturn,
    Project,
    Requisition,
    RequisitionStatus,
    ReturnStatus,
    StockMovement,
    Ticket,
)
from app.models.tickets import Category, Channel, Severity
from app.services import stock
from app.unit_of_work import unit_of_work
from tests.conftest import csrf_token
from tests.parts_helpers import check_invariants, make_part, make_warehouse


def warranty_ticket(in_warranty: bool) -> int:
    today = clock.today_local()
    customer = Customer(code="C1", name="东城镇自然资源局", region="东城镇")
    end = today + timedelta(days=100) if in_warranty else today - timedelta(days=1)
    project = Project(code="P1", name="遥感项目", customer=customer, warranty_start=today - timedelta(days=400),
                      warranty_end=end)
    ticket = Ticket(number="T-1", customer=customer, project=project, channel=Channel.phone,
                    category=Category.hardware, severity=Severity.important, title="电源故障", description="坏了")
    db.session.add_all([customer, project, ticket])
    db.session.commit()
    return ticket.id


@pytest.fixture
def setup(app, staff):
    with app.app_context():
        part = make_part(1, expects_return=True)
        screw = make_part(2, code="SCREW", expects_return=False)
        wh = make_warehouse()
        for p, cost in ((part, "100.00"), (screw, "0.50")):
            with unit_of_work():
                stock.receive(p, wh, 10, cost, "CG-0")
        return {"part": part, "screw": screw, "wh": wh, "staff": staff}


def create(client, h, setup, ticket=None, engineer=None, lines=None):
    body = {"engineer": engineer or setup["staff"]["field1"], "warehouse": setup["wh"], "ticket": ticket,
            "lines": lines or [{"part": setup["part"], "qty": 3}, {"part": setup["screw"], "qty": 5}]}
    return client.post("/api/v1/requisition/", json=body, headers=h)


@pytest.mark.parametrize("in_warranty", [True, False])
def test_requisition_flow_and_warranty_pricing(app, client, api, setup, in_warranty):
    with app.app_context():
        ticket = warranty_ticket(in_warranty)
    resp = create(client, api("field1"), setup, ticket=ticket, lines=[{"part": setup["part"], "qty": 3}])
    assert resp.status_code == 201, resp.json
    pk, line = resp.json["id"], resp.json["result"]["lines"][0]["id"]
    assert resp.json["result"]["status"] == "requested"
    # the keeper cannot approve; the tech engineer can
    assert client.post(f"/api/v1/requisition/{pk}/approve", headers=api("keeper")).status_code == 403
    resp = client.post(f"/api/v1/requisition/{pk}/approve", headers=api("tech"))
    assert resp.status_code == 200 and resp.json["result"]["in_warranty"] is in_warranty
    # partial issue, then the rest
    resp = client.post(f"/api/v1/requisition/{pk}/issue", json={"lines": [{"line": line, "qty": 2}]},
                       headers=api("keeper"))
    assert resp.status_code == 201, resp.json
    assert resp.json["result"]["status"] == "partially_issued"
    resp = client.post(f"/api/v1/requisition/{pk}/issue", json={"lines": [{"line": line, "qty": 2}]},
                       headers=api("keeper"))
    assert resp.status_code == 409  # only 1 left to issue
    resp = client.post(f"/api/v1/requisition/{pk}/issue", json={"lines": [{"line": line, "qty": 1}]},
                       headers=api("keeper"))
    result = resp.json["result"]
    assert result["status"] == "issued" and result["lines"][0]["cost"] == "300.00"
    assert result["charge_total"] == ("0.00" if in_warranty else "390.00")  # 300 × 1.30
    with app.app_context():
        moves = db.session.scalars(sa.select(StockMovement).where(StockMovement.requisition_id == pk)).all()
        assert len(moves) == 2 and all(m.ticket_id == ticket for m in moves)
        owed = db.session.scalars(sa.select(DefectiveReturn)).all()
        assert sum(o.qty for o in owed) == 3 and all(o.status is ReturnStatus.owed for o in owed)
        from app.services.parts import parts_used

        assert [(ln.part_id, ln.qty_issued) for ln in parts_used(ticket)] == [(setup["part"], 3)]


def test_cannot_approve_own_requisition(app, client, api, setup):
    resp = create(client, api("tech"), setup, engineer=setup["staff"]["tech"])
    pk = resp.json["id"]
    resp = client.post(f"/api/v1/requisition/{pk}/approve", headers=api("tech"))
    assert resp.status_code == 403 and "own" in str(resp.json["message"])
    with app.app_context():
        assert db.session.get(Requisition, pk).status is RequisitionStatus.requested
    assert client.post(f"/api/v1/requisition/{pk}/approve", headers=api("manager")).status_code == 200


def test_field_engineer_sees_and_creates_only_their_own(app, client, api, setup):
    # field2 asks for field1: the slip is still field2's own
    resp = create(client, api("field2"), setup, engineer=setup["staff"]["field1"])
    assert resp.status_code == 201 and resp.json["result"]["engineer"] == setup["staff"]["field2"]
    other = create(client, api("manager"), setup, engineer=setup["staff"]["field1"]).json["id"]
    listing = client.get("/api/v1/requisition/", headers=api("field2")).json
    assert listing["count"] == 1
    assert client.get(f"/api/v1/requisition/{other}", headers=api("field2")).status_code == 404
    assert client.get(f"/api/v1/requisition/{other}/lines", headers=api("field2")).status_code == 404
    assert client.post(f"/api/v1/requisition/{other}/approve", headers=api("field2")).status_code == 403


@pytest.mark.parametrize("lines,status", [
    ([], 422), ([{"part": 99999, "qty": 1}], 422), ([{"part": "x", "qty": 1}], 422),
    ([{"qty": 0}], 422), ([{"qty": 2.5}], 422),
])
def test_bad_requisitions_write_nothing(app, client, api, setup, lines, status):
    lines = [{"part": setup["part"], **x} if "part" not in x else x for x in lines]
    resp = client.post("/api/v1/requisition/", json={"engineer": setup["staff"]["field1"], "warehouse": setup["wh"],
                                                     "lines": lines}, headers=api("manager"))
    assert resp.status_code == status and "message" in resp.json
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Requisition)) == 0


def test_issue_more_than_on_hand_writes_nothing(app, client, api, setup):
    pk = create(client, api("field1"), setup, lines=[{"part": setup["part"], "qty": 3},
                                                     {"part": setup["screw"], "qty": 11}]).json
    client.post(f"/api/v1/requisition/{pk['id']}/approve", headers=api("manager"))
    lines = [{"line": ln["id"], "qty": ln["qty_requested"]} for ln in pk["result"]["lines"]]
    resp = client.post(f"/api/v1/requisition/{pk['id']}/issue", json={"lines": lines}, headers=api("keeper"))
    assert resp.status_code == 409
    with app.app_context():
        assert stock.balance(setup["part"], setup["wh"])[0] == 10  # the first line's issue was rolled back too
        assert db.session.get(Requisition, pk["id"]).status is RequisitionStatus.approved


def test_unused_return_and_defective_lifecycle_and_reversal(app, client, api, setup):
    with app.app_context():
        ticket = warranty_ticket(False)
    data = create(client, api("field1"), setup, ticket=ticket, lines=[{"part": setup["part"], "qty": 4}]).json
    pk, line = data["id"], data["result"]["lines"][0]["id"]
    client.post(f"/api/v1/requisition/{pk}/approve", headers=api("manager"))
    moves = client.post(f"/api/v1/requisition/{pk}/issue", json={"lines": [{"line": line, "qty": 4}]},
                        headers=api("keeper")).json["movements"]
    resp = client.post(f"/api/v1/requisition/{pk}/return_unused", json={"line": line, "qty": 1}, headers=api("keeper"))
    assert resp.status_code == 201 and resp.json["movement"]["kind"] == "return_unused"
    assert resp.json["movement"]["unit_cost"] == "100.00"
    assert resp.json["result"]["lines"][0]["charge"] == "390.00"
    with app.app_context():
        owed = db.session.scalars(sa.select(DefectiveReturn).order_by(DefectiveReturn.id)).all()
        assert [o.qty for o in owed] == [1, 1, 1]  # one row per faulty unit: 4 issued, 1 back unused
        rid = owed[0].id
    # field1 sees the owed units; field2 does not
    assert client.get("/api/v1/defective_return/", headers=api("field1")).json["count"] == 3
    assert client.get("/api/v1/defective_return/", headers=api("field2")).json["count"] == 0
    h = api("keeper")
    assert client.post(f"/api/v1/defective_return/{rid}/close", json={"status": "scrapped"}, headers=h).status_code == 409
    resp = client.post(f"/api/v1/defective_return/{rid}/receive", json={"serial_number": "SN-9", "condition": "烧毁"},
                       headers=h)
    assert resp.status_code == 200 and resp.json["result"]["status"] == "received"
    assert client.post(f"/api/v1/defective_return/{rid}/receive", json={}, headers=h).status_code == 409
    # the faulty part came back: the issue can no longer be reversed silently
    assert client.post(f"/api/v1/stock/reverse/{moves[0]['id']}", headers=h).status_code == 409
    resp = client.post(f"/api/v1/defective_return/{rid}/close", json={"status": "returned_to_vendor"}, headers=h)
    assert resp.json["result"]["status"] == "returned_to_vendor"
    with app.app_context():
        check_invariants()


def test_reversing_an_issue_reopens_the_slip(app, client, api, setup):
    data = create(client, api("field1"), setup, lines=[{"part": setup["screw"], "qty": 4}]).json
    pk = data["id"]
    client.post(f"/api/v1/requisition/{pk}/approve", headers=api("manager"))
    mv = client.post("/api/v1/stock/issue", json={"requisition": pk, "part": setup["screw"], "warehouse": setup["wh"],
                                                    "qty": 4, "reference": "LY"}, headers=api("keeper")).json
    assert mv["movement"]["requisition"] == pk
    assert client.post(f"/api/v1/stock/reverse/{mv['movement']['id']}", headers=api("keeper")).status_code == 201
    with app.app_context():
        req = db.session.get(Requisition, pk)
        assert req.status is RequisitionStatus.approved and req.lines[0].qty_issued == 0
        assert req.lines[0].cost == Decimal("0.00")


def test_html_requisition_request_approve_issue(app, as_user, setup):
    client = as_user("field1")
    token = csrf_token(client, "/requisitionview/add")
    resp = client.post("/requisitionview/add", data={"warehouse": setup["wh"], "part_0": "P-0001", "qty_0": "2",
                                                     "part_1": "NOPE", "qty_1": "1", "csrf_token": token})
    assert resp.status_code == 200 and "Unknown part code NOPE" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Requisition)) == 0
    resp = client.post("/requisitionview/add", data={"warehouse": setup["wh"], "part_0": "P-0001", "qty_0": "2",
                                                     "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        pk = db.session.scalar(sa.select(Requisition.id))
        line = db.session.get(Requisition, pk).lines[0].id
    client.get("/logout/")
    client = as_user("tech")
    client.post(f"/requisitionview/decide/{pk}", data={"decision": "approve", "csrf_token": csrf_token(client, f"/requisitionview/show/{pk}")})
    client.get("/logout/")
    client = as_user("keeper")
    page = client.get(f"/requisitionview/show/{pk}").get_data(as_text=True)
    assert "Approved" in page
    client.post(f"/requisitionview/issue/{pk}", data={f"qty_{line}": "2", "csrf_token": csrf_token(client, f"/requisitionview/show/{pk}")})
    with app.app_context():
        assert db.session.get(Requisition, pk).status is RequisitionStatus.issued
        assert stock.balance(setup["part"], setup["wh"])[0] == 8


def test_slip_page_shows_each_role_only_its_buttons(app, client, api, as_user, setup):
    pk = create(client, api("field1"), setup).json["id"]
    page = as_user("field1").get(f"/requisitionview/show/{pk}").get_data(as_text=True)
    assert "P-0001" in page and 'value="approve"' not in page
    client.get("/logout/")
    assert 'value="approve"' in as_user("tech").get(f"/requisitionview/show/{pk}").get_data(as_text=True)
    client.get("/logout/")
    assert as_user("field2").get(f"/requisitionview/show/{pk}").status_code == 404
