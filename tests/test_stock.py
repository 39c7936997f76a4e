"""The stock ledger: FIFO costing, reversals, transfers, the stock API, and immutability."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import StockBalance, StockLayer, StockMovement
from app.models.base import DomainError
from app.models.stock import LedgerImmutable, MovementKind
from app.services import stock
from app.unit_of_work import unit_of_work
from tests.conftest import csrf_token
from tests.parts_helpers import check_invariants, make_part, make_warehouse


@pytest.fixture
def pw(app):
    with app.app_context():
        return make_part(), make_warehouse(1, "县城备件库"), make_warehouse(2, "西片区备件点")


def post(app, fn, *args, **kw):
    with app.app_context():
        with unit_of_work():
            result = fn(*args, **kw)
        return result.id if hasattr(result, "id") else [m.id for m in result]


def test_fifo_issue_costs_oldest_layers_first(app, pw):
    part, wh, _ = pw
    post(app, stock.receive, part, wh, 10, "5.00", "R1")
    post(app, stock.receive, part, wh, 10, "7.50", "R2")
    mid = post(app, stock.issue, part, wh, 12, "I1")
    with app.app_context():
        mv = db.session.get(StockMovement, mid)
        assert mv.qty == -12 and mv.value == Decimal("-65.00")  # 10 × 5.00 + 2 × 7.50
        assert mv.balance_qty == 8 and mv.balance_value == Decimal("60.00")
        assert stock.balance(part, wh) == (8, Decimal("60.00"))
        remaining = db.session.scalars(sa.select(StockLayer.qty_remaining).order_by(StockLayer.id)).all()
        assert remaining == [0, 8]
        check_invariants()


def test_issue_more_than_on_hand_is_409_and_writes_nothing(app, pw):
    part, wh, _ = pw
    post(app, stock.receive, part, wh, 3, "1.00", "R1")
    with app.app_context():
        with pytest.raises(DomainError) as err, unit_of_work():
            stock.issue(part, wh, 4, "I1")
        assert err.value.status == 409
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement)) == 1
        assert stock.balance(part, wh) == (3, Decimal("3.00"))


@pytest.mark.parametrize("qty", [0, -1, 1.5, "2.5", True, 10**9, None, "x"])
def test_bad_quantities_are_refused(app, pw, qty):
    part, wh, _ = pw
    with app.app_context():
        with pytest.raises(DomainError) as err, unit_of_work():
            stock.receive(part, wh, qty, "1.00", "R")
        assert err.value.status == 422 and "qty" in err.value.errors


@pytest.mark.parametrize("cost", ["-1", "1.234", "abc", None, "1e20", "NaN"])
def test_bad_unit_costs_are_refused(app, pw, cost):
    part, wh, _ = pw
    with app.app_context():
        with pytest.raises(DomainError) as err:
            stock.receive(part, wh, 1, cost, "R")
        assert "unit_cost" in err.value.errors


def test_reverse_issue_gives_back_the_same_layers_and_twice_is_refused(app, pw):
    part, wh, _ = pw
    post(app, stock.receive, part, wh, 5, "2.00", "R1")
    post(app, stock.receive, part, wh, 5, "3.00", "R2")
    issue_id = post(app, stock.issue, part, wh, 7, "I1")
    rev = post(app, stock.reverse, issue_id)
    with app.app_context():
        rmv = db.session.get(StockMovement, rev[0])
        assert rmv.kind is MovementKind.reversal and rmv.qty == 7 and rmv.value == Decimal("16.00")
        assert stock.balance(part, wh) == (10, Decimal("25.00"))
        check_invariants()
        with pytest.raises(DomainError) as err, unit_of_work():
            stock.reverse(issue_id)
        assert err.value.status == 409
        with pytest.raises(DomainError) as err, unit_of_work():
            stock.reverse(rev[0])
        assert err.value.status == 409  # a reversal is never reversed


def test_reversing_a_receipt_already_issued_from_is_409(app, pw):
    part, wh, _ = pw
    rid = post(app, stock.receive, part, wh, 5, "2.00", "R1")
    post(app, stock.issue, part, wh, 1, "I1")
    with app.app_context():
        with pytest.raises(DomainError) as err, unit_of_work():
            stock.reverse(rid)
        assert err.value.status == 409
        assert stock.balance(part, wh) == (4, Decimal("8.00"))


def test_transfer_moves_layers_with_cost_and_reverses_both_legs(app, pw):
    part, wh1, wh2 = pw
    post(app, stock.receive, part, wh1, 4, "2.00", "R1")
    post(app, stock.receive, part, wh1, 4, "4.00", "R2")
    out_id, in_id = post(app, stock.transfer, part, wh1, wh2, 6, "T1")
    with app.app_context():
        assert stock.balance(part, wh1) == (2, Decimal("8.00"))
        assert stock.balance(part, wh2) == (6, Decimal("16.00"))
        assert stock.balance(part) == (8, Decimal("24.00"))
        assert db.session.get(StockMovement, in_id).counterpart_id == out_id
        check_invariants()
    post(app, stock.reverse, in_id)
    with app.app_context():
        assert stock.balance(part, wh1) == (8, Decimal("24.00"))
        assert stock.balance(part, wh2) == (0, Decimal("0.00"))
        check_invariants()


def test_transfer_to_same_warehouse_is_refused(app, pw):
    part, wh1, _ = pw
    post(app, stock.receive, part, wh1, 1, "1.00", "R")
    with app.app_context(), pytest.raises(DomainError):
        stock.transfer(part, wh1, wh1, 1, "T")


def test_adjust_gain_uses_last_cost_and_loss_is_fifo(app, pw):
    part, wh, _ = pw
    post(app, stock.receive, part, wh, 2, "9.00", "R")
    post(app, stock.adjust, part, wh, 3, "PD-1")
    post(app, stock.adjust, part, wh, -4, "PD-2")
    with app.app_context():
        kinds = db.session.scalars(sa.select(StockMovement.kind).order_by(StockMovement.id)).all()
        assert kinds == [MovementKind.receipt, MovementKind.adjust_in, MovementKind.adjust_out]
        assert stock.balance(part, wh) == (1, Decimal("9.00"))
        check_invariants()


def test_orm_refuses_update_and_delete_of_a_movement(app, pw):
    part, wh, _ = pw
    mid = post(app, stock.receive, part, wh, 1, "1.00", "R")
    with app.app_context():
        mv = db.session.get(StockMovement, mid)
        mv.reference = "changed"
        with pytest.raises(LedgerImmutable):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(StockMovement, mid))
        with pytest.raises(LedgerImmutable):
            db.session.flush()
        db.session.rollback()


def test_database_trigger_refuses_update(app, pw):
    part, wh, _ = pw
    mid = post(app, stock.receive, part, wh, 1, "1.00", "R")
    with app.app_context():
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.text("UPDATE stock_movement SET qty = 99 WHERE id = :i"), {"i": mid})
        db.session.rollback()
        if db.engine.dialect.name == "postgresql":
            with pytest.raises(sa.exc.DatabaseError):
                db.session.execute(sa.text("DELETE FROM stock_movement WHERE id = :i"), {"i": mid})
            db.session.rollback()
        assert db.session.get(StockMovement, mid).qty == 1


def test_balance_check_constraint_refuses_negative(app, pw):
    part, wh, _ = pw
    with app.app_context():
        db.session.add(StockBalance(part_id=part, warehouse_id=wh, qty=-1, value=0))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


# --- API ------------------------------------------------------------------------

def test_api_receive_issue_reverse_balance(app, client, api, pw):
    part, wh, _ = pw
    h = api("keeper")
    resp = client.post("/api/v1/stock/receive", json={"part": part, "warehouse": wh, "qty": 10,
                                                      "unit_cost": "12.50", "reference": "CG-1"}, headers=h)
    assert resp.status_code == 201, resp.json
    assert resp.json["balance"] == {"qty": 10, "value": "125.00"}
    assert resp.json["movement"]["unit_cost"] == "12.50" and resp.json["movement"]["kind"] == "receipt"
    resp = client.post("/api/v1/stock/issue", json={"part": part, "warehouse": wh, "qty": 4, "reference": "LY-1"},
                       headers=h)
    assert resp.status_code == 201 and resp.json["movement"]["value"] == "-50.00"
    issue_id = resp.json["movement"]["id"]
    resp = client.post("/api/v1/stock/issue", json={"part": part, "warehouse": wh, "qty": 7, "reference": "LY-2"},
                       headers=h)
    assert resp.status_code == 409 and "message" in resp.json
    resp = client.post(f"/api/v1/stock/reverse/{issue_id}", headers=h)
    assert resp.status_code == 201 and resp.json["movement"]["reversal_of"] == issue_id
    assert client.post(f"/api/v1/stock/reverse/{issue_id}", headers=h).status_code == 409
    resp = client.get(f"/api/v1/stock/balance?part={part}&warehouse={wh}", headers=h)
    assert resp.json == {"qty": 10, "value": "125.00"}
    assert client.get(f"/api/v1/stock/balance?part={part}", headers=api("manager")).json["qty"] == 10
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement)) == 3


@pytest.mark.parametrize("body,field", [
    ({"qty": 0}, "qty"), ({"qty": -3}, "qty"), ({"qty": 1.5}, "qty"), ({"qty": 10**12}, "qty"),
    ({"part": 99999}, "part"), ({"warehouse": 99999}, "warehouse"), ({"unit_cost": "1.999"}, "unit_cost"),
    ({"reference": ""}, "reference"),
])
def test_api_bad_receive_is_422_and_writes_nothing(app, client, api, pw, body, field):
    part, wh, _ = pw
    data = {"part": part, "warehouse": wh, "qty": 1, "unit_cost": "1.00", "reference": "R", **body}
    resp = client.post("/api/v1/stock/receive", json=data, headers=api("keeper"))
    assert resp.status_code == 422, resp.json
    assert field in resp.json["message"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement)) == 0


def test_api_non_keeper_cannot_post_stock(client, api, pw):
    part, wh, _ = pw
    body = {"part": part, "warehouse": wh, "qty": 1, "unit_cost": "1.00", "reference": "R"}
    for login in ("cs", "field1", "tech", "manager"):
        assert client.post("/api/v1/stock/receive", json=body, headers=api(login)).status_code == 403
    assert client.get(f"/api/v1/stock/balance?part={part}", headers=api("cs")).status_code == 403


@pytest.mark.parametrize("login", ["admin", "keeper", "manager"])
def test_stock_movement_api_is_read_only_for_every_role(app, client, api, pw, login):
    part, wh, _ = pw
    mid = post(app, stock.receive, part, wh, 1, "1.00", "R")
    h = api(login)
    assert client.get("/api/v1/stock_movement/", headers=h).json["count"] == 1
    assert client.get(f"/api/v1/stock_movement/{mid}", headers=h).json["result"]["qty"] == 1
    assert client.post("/api/v1/stock_movement/", json={"qty": 5}, headers=h).status_code == 405
    assert client.put(f"/api/v1/stock_movement/{mid}", json={"qty": 5}, headers=h).status_code == 405
    assert client.delete(f"/api/v1/stock_movement/{mid}", headers=h).status_code == 405
    with app.app_context():
        assert db.session.get(StockMovement, mid).qty == 1


def test_ledger_html_has_no_add_edit_delete_even_for_admin(app, as_user, pw):
    part, wh, _ = pw
    mid = post(app, stock.receive, part, wh, 1, "1.00", "R-HTML")
    client = as_user("admin")
    page = client.get("/stockmovementview/list/").get_data(as_text=True)
    assert "R-HTML" in page
    assert "/stockmovementview/add" not in page and "/stockmovementview/edit" not in page
    assert "/stockmovementview/delete" not in page
    assert client.get("/stockmovementview/add").status_code == 404
    token = csrf_token(client, "/stock_post/receive")
    assert client.post(f"/stockmovementview/delete/{mid}", data={"csrf_token": token}).status_code == 404


def test_html_receive_issue_transfer_and_reverse_forms(app, as_user, pw):
    part, wh1, wh2 = pw
    client = as_user("keeper")
    token = csrf_token(client, "/stock_post/receive")
    resp = client.post("/stock_post/receive", data={"part": "P-0001", "warehouse": wh1, "qty": "6", "unit_cost": "3.00",
                                                    "reference": "CG-9", "csrf_token": token})
    assert resp.status_code == 302
    resp = client.post("/stock_post/issue", data={"part": "P-0001", "warehouse": wh1, "qty": "9", "reference": "LY-9",
                                                  "csrf_token": token}, follow_redirects=True)
    assert "Only 6 on hand" in resp.get_data(as_text=True)
    client.post("/stock_post/transfer", data={"part": "P-0001", "warehouse": wh1, "to_warehouse": wh2, "qty": "2",
                                              "reference": "DB-1", "csrf_token": token})
    with app.app_context():
        assert stock.balance(part, wh2) == (2, Decimal("6.00"))
        out_id = db.session.scalar(sa.select(StockMovement.id).where(StockMovement.kind == MovementKind.transfer_out))
    card = client.get(f"/stock/card/{part}").get_data(as_text=True)
    assert "CG-9" in card and "DB-1" in card
    assert client.post(f"/stock_post/reverse/{out_id}", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert stock.balance(part, wh1) == (6, Decimal("18.00")) and stock.balance(part, wh2) == (0, Decimal("0.00"))
        check_invariants()
    assert "18.00" in client.get("/stock/valuation").get_data(as_text=True)


def test_html_posting_forms_refused_to_cs_and_field(as_user):
    for login in ("cs", "field1"):
        client = as_user(login)
        assert client.get("/stock_post/receive").status_code == 403
        client.get("/logout/")


def test_part_and_warehouse_apis(app, client, api):
    body = {"code": "BJ-9", "name": "开关电源", "category": "电源", "unit": "个", "reorder_point": 2,
            "reorder_qty": 4, "standard_cost": "380.00", "is_key": True}
    assert client.post("/api/v1/part/", json=body, headers=api("cs")).status_code == 403
    resp = client.post("/api/v1/part/", json=body, headers=api("keeper"))
    assert resp.status_code == 201, resp.json
    assert client.post("/api/v1/part/", json={**body, "code": "BJ-10", "reorder_point": -1},
                       headers=api("keeper")).status_code == 422
    assert client.post("/api/v1/part/", json=body, headers=api("keeper")).status_code == 409
    wh = client.post("/api/v1/warehouse/", json={"code": "W9", "name": "县城备件库"}, headers=api("keeper"))
    assert wh.status_code == 201
    pid, wid = resp.json["id"], wh.json["id"]
    post(app, stock.receive, pid, wid, 1, "1.00", "R")
    # a part with ledger history cannot be deleted
    assert client.delete(f"/api/v1/part/{pid}", headers=api("keeper")).status_code == 409
    assert client.get("/api/v1/warehouse/", headers=api("cs")).status_code == 403
