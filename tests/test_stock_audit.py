"""A posting's statements and its audit entries: one flush writes a movement with its FIFO layer
uses (one audit INSERT records them), the balance lock tells that the part and the warehouse exist."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditLog, StockBalance, StockLayer
from app.models.base import DomainError
from app.services import stock
from app.unit_of_work import unit_of_work
from tests.conftest import count_queries
from tests.parts_helpers import check_invariants, make_part, make_warehouse


@pytest.fixture
def pw(app):
    with app.app_context():
        return make_part(), make_warehouse(1, "县城备件库")


def _kinds(statements: list[str]) -> list[str]:
    """`INSERT stock_movement`, `UPDATE stock_balance`, …: what each statement did to which table."""
    out = []
    for sql in statements:
        words = sql.split()
        verb = words[0].upper()
        table = words[2] if verb == "INSERT" else words[1] if verb == "UPDATE" else words[words.index("FROM") + 1]
        out.append(f"{verb} {table}")
    return out


def test_a_fifo_issue_over_two_layers_writes_its_movement_and_uses_in_one_flush(app, pw):
    part, wh = pw
    with app.app_context():
        for reference in ("R1", "R2"):
            with unit_of_work():
                stock.receive(part, wh, 2, "3.00", reference)
        layers = db.session.scalars(sa.select(StockLayer.id).order_by(StockLayer.id)).all()
        first_audit = db.session.scalar(sa.select(sa.func.max(AuditLog.id)))
        with count_queries(db.engine) as statements, unit_of_work():
            mv = stock.issue(part, wh, 3, "I1")
            mv_id = mv.id
        kinds = _kinds(statements)
        if kinds.count("INSERT stock_layer_use") == 2:  # SQLite inserts rows it needs the ids of one by one
            kinds.remove("INSERT stock_layer_use")
        assert kinds == [
            "INSERT stock_balance",  # the lock, which also finds the part and the warehouse
            "SELECT stock_layer",  # the FIFO layers
            "UPDATE stock_layer",  # both draws, one executemany
            "INSERT stock_movement", "INSERT stock_layer_use", "INSERT audit_log",  # one flush
            "UPDATE stock_balance",
        ]
        logged = db.session.execute(
            sa.select(AuditLog.table_name, AuditLog.action, AuditLog.changes)
            .where(AuditLog.id > first_audit).order_by(AuditLog.id)).all()
        assert [(row.table_name, row.action.value) for row in logged] == [
            ("stock_movement", "insert"), ("stock_layer_use", "insert"), ("stock_layer_use", "insert")]
        uses = [row.changes for row in logged[1:]]
        assert [(u["movement_id"][1], u["layer_id"][1], u["qty"][1]) for u in uses] == [
            (mv_id, layers[0], 2), (mv_id, layers[1], 1)]
        check_invariants()


def test_a_receipt_is_five_statements(app, pw):
    part, wh = pw
    with app.app_context(), count_queries(db.engine) as statements, unit_of_work():
        stock.receive(part, wh, 2, "3.00", "R1")
    assert _kinds(statements) == [
        "INSERT stock_balance", "INSERT stock_movement", "INSERT audit_log", "UPDATE stock_balance",
        "INSERT stock_layer"]


@pytest.mark.parametrize("post", [
    lambda part, wh: stock.receive(part, wh, 1, "1.00", "R"),
    lambda part, wh: stock.issue(part, wh, 1, "I"),
])
def test_an_unknown_part_or_warehouse_names_its_field_and_makes_no_balance_row(app, pw, post):
    part, wh = pw
    with app.app_context():
        for args, field in (((99999, wh), "part"), ((part, 99999), "warehouse"), ((True, wh), "part"),
                            ((part, "1"), "warehouse")):
            with pytest.raises(DomainError) as err, unit_of_work():
                post(*args)
            assert field in err.value.message, args
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StockBalance)) == 0
