"""Purchase requests, the reorder list, stocktakes (snapshot, blind count, approval) and roles."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import PurchaseRequest, PurchaseStatus, StockMovement, Stocktake, StocktakeStatus
from app.models.stock import MovementKind
from app.services import purchasing, stock
from app.unit_of_work import unit_of_work
from tests.conftest import csrf_token
from tests.parts_helpers import check_invariants, make_part, make_warehouse


@pytest.fixture
def wh(app, staff):
    with app.app_context():
        return make_warehouse(1, "县城备件库")


def test_purchase_request_approval_and_receipt_at_actual_cost(app, client, api, wh):
    with app.app_context():
        part = make_part(1, standard_cost=Decimal("20.00"))
    resp = client.post("/api/v1/purchase_request/", json={"warehouse": wh, "reason": "补货",
                                                          "lines": [{"part": part, "qty": 10}]}, headers=api("keeper"))
    assert resp.status_code == 201, resp.json
    pk, line = resp.json["id"], resp.json["result"]["lines"][0]["id"]
    assert resp.json["result"]["lines"][0]["est_unit_cost"] == "20.00"
    receive = {"lines": [{"line": line, "qty": 4, "unit_cost": "21.30"}], "reference": "送货单-1"}
    assert client.post(f"/api/v1/purchase_request/{pk}/receive", json=receive, headers=api("keeper")).status_code == 409
    for login in ("keeper", "tech", "field1"):
        assert client.post(f"/api/v1/purchase_request/{pk}/approve", headers=api(login)).status_code == 403
    assert client.post(f"/api/v1/purchase_request/{pk}/approve", headers=api("manager")).json["result"]["status"] == "approved"
    assert client.post(f"/api/v1/purchase_request/{pk}/approve", headers=api("manager")).status_code == 409
    resp = client.post(f"/api/v1/purchase_request/{pk}/receive", json=receive, headers=api("keeper"))
    assert resp.status_code == 201 and resp.json["result"]["status"] == "partially_received"
    assert resp.json["movements"][0]["unit_cost"] == "21.30" and resp.json["movements"][0]["value"] == "85.20"
    over = {"lines": [{"line": line, "qty": 7, "unit_cost": "21.30"}]}
    assert client.post(f"/api/v1/purchase_request/{pk}/receive", json=over, headers=api("keeper")).status_code == 409
    # reversing the receipt reopens the request line
    mv = resp.json["movements"][0]["id"]
    assert client.post(f"/api/v1/stock/reverse/{mv}", headers=api("keeper")).status_code == 201
    with app.app_context():
        pr = db.session.get(PurchaseRequest, pk)
        assert pr.lines[0].qty_received == 0 and pr.status is PurchaseStatus.approved
        assert stock.balance(part, wh) == (0, Decimal("0.00"))


def test_reorder_list_key_parts_first_and_one_click_purchase(app, as_user, wh):
    with app.app_context():
        normal = make_part(1, reorder_point=5, reorder_qty=10)
        key = make_part(2, reorder_point=3, reorder_qty=4, is_key=True)
        plenty = make_part(3, reorder_point=2)
        for p, q in ((normal, 5), (key, 3), (plenty, 9)):
            with unit_of_work():
                stock.receive(p, wh, q, "1.00", "R")
        rows = purchasing.reorder_list()
        assert [r.part.id for r in rows] == [key, normal]
        assert [r.suggested for r in rows] == [4, 10]
    client = as_user("keeper")
    assert "P-0002" in client.get("/").get_data(as_text=True)  # on the keeper's home page
    token = csrf_token(client, "/reorder/list/")
    resp = client.post("/reorder/purchase", data={"warehouse": wh, "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        pr = db.session.scalar(sa.select(PurchaseRequest))
        assert pr.status is PurchaseStatus.submitted
        assert sorted((ln.part_id, ln.qty) for ln in pr.lines) == sorted([(key, 4), (normal, 10)])


def test_stocktake_snapshot_later_postings_and_approval(app, client, api, wh):
    with app.app_context():
        a, b = make_part(1), make_part(2)
        with unit_of_work():
            stock.receive(a, wh, 10, "2.00", "R")
            stock.receive(b, wh, 5, "3.00", "R")
    resp = client.post("/api/v1/stocktake/", json={"warehouse": wh, "blind": True}, headers=api("keeper"))
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    lines = {ln["part"]: ln for ln in resp.json["result"]["lines"]}
    assert lines[a]["book_qty"] is None  # blind: the counter does not see the book
    assert client.post("/api/v1/stocktake/", json={"warehouse": wh}, headers=api("keeper")).status_code == 409
    # a posting after the snapshot: 2 of part a leave while counting is under way
    with app.app_context(), unit_of_work():
        stock.issue(a, wh, 2, "LY-after")
    counts = {"lines": [{"line": lines[a]["id"], "qty": 9}, {"line": lines[b]["id"], "qty": 5}]}
    assert client.post(f"/api/v1/stocktake/{pk}/submit", headers=api("keeper")).status_code == 422  # not counted yet
    assert client.post(f"/api/v1/stocktake/{pk}/count", json=counts, headers=api("keeper")).status_code == 200
    resp = client.post(f"/api/v1/stocktake/{pk}/submit", headers=api("keeper"))
    shown = {ln["part"]: ln for ln in resp.json["result"]["lines"]}
    assert shown[a]["book_qty"] == 10 and shown[a]["variance"] == -1 and shown[b]["variance"] == 0
    assert client.post(f"/api/v1/stocktake/{pk}/approve", headers=api("keeper")).status_code == 403
    resp = client.post(f"/api/v1/stocktake/{pk}/approve", headers=api("manager"))
    assert resp.status_code == 200 and len(resp.json["movements"]) == 1
    with app.app_context():
        # counted 9 at the snapshot, 2 issued since: 7 on hand
        assert stock.balance(a, wh) == (7, Decimal("14.00"))
        mv = db.session.scalar(sa.select(StockMovement).where(StockMovement.kind == MovementKind.adjust_out))
        assert mv.qty == -1 and mv.reference == db.session.get(Stocktake, pk).number
        assert db.session.get(Stocktake, pk).status is StocktakeStatus.approved
        check_invariants()
    assert client.post(f"/api/v1/stocktake/{pk}/approve", headers=api("manager")).status_code == 409


def test_stocktake_bad_counts(app, client, api, wh):
    with app.app_context():
        a = make_part(1)
        with unit_of_work():
            stock.receive(a, wh, 3, "1.00", "R")
    resp = client.post("/api/v1/stocktake/", json={"warehouse": wh}, headers=api("keeper"))
    pk, line = resp.json["id"], resp.json["result"]["lines"][0]["id"]
    for bad in (-1, 1.5, "x"):
        resp = client.post(f"/api/v1/stocktake/{pk}/count", json={"lines": [{"line": line, "qty": bad}]},
                           headers=api("keeper"))
        assert resp.status_code == 422, bad
    resp = client.post(f"/api/v1/stocktake/{pk}/count", json={"lines": [{"line": line, "qty": 0}]}, headers=api("keeper"))
    assert resp.json["result"]["lines"][0]["counted_qty"] == 0


def test_stocktake_html_flow(app, as_user, wh):
    with app.app_context():
        a = make_part(1)
        with unit_of_work():
            stock.receive(a, wh, 4, "1.00", "R")
    client = as_user("keeper")
    token = csrf_token(client, "/stocktakeview/add")
    assert client.post("/stocktakeview/add", data={"warehouse": wh, "csrf_token": token}).status_code == 302
    with app.app_context():
        st = db.session.scalar(sa.select(Stocktake))
        pk, line = st.id, st.lines[0].id
    client.post(f"/stocktakeview/count/{pk}", data={f"counted_{line}": "6", "action": "submit", "csrf_token": token})
    page = client.get(f"/stocktakeview/show/{pk}").get_data(as_text=True)
    assert "Awaiting approval" in page
    client.get("/logout/")
    client = as_user("manager")
    client.post(f"/stocktakeview/approve/{pk}", data={"csrf_token": csrf_token(client, f"/stocktakeview/show/{pk}")})
    with app.app_context():
        assert stock.balance(a, wh) == (6, Decimal("6.00"))


def test_html_manual_purchase_request_and_manager_buttons(app, as_user, wh):
    with app.app_context():
        make_part(1)
    client = as_user("keeper")
    token = csrf_token(client, "/purchaserequestview/add")
    resp = client.post("/purchaserequestview/add", data={"warehouse": wh, "part_0": "P-0001", "qty_0": "0",
                                                         "csrf_token": token})
    assert resp.status_code == 200 and "greater than zero" in resp.get_data(as_text=True)
    resp = client.post("/purchaserequestview/add", data={"warehouse": wh, "part_0": "P-0001", "qty_0": "3",
                                                         "cost_0": "12.40", "reason": "备用", "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        pr = db.session.scalar(sa.select(PurchaseRequest))
        assert pr.lines[0].est_unit_cost == Decimal("12.40") and pr.status is PurchaseStatus.submitted
    assert 'value="approve"' not in client.get(f"/purchaserequestview/show/{pr.id}").get_data(as_text=True)
    client.get("/logout/")
    client = as_user("manager")
    assert 'value="approve"' in client.get(f"/purchaserequestview/show/{pr.id}").get_data(as_text=True)
    assert client.get("/purchaserequestview/add").status_code == 403
