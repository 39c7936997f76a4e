"""Small builders and invariant checks shared by the spare-parts tests."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.models import Part, StockBalance, StockLayer, StockLayerUse, StockMovement, Warehouse


def make_part(n: int = 1, **kw) -> int:
    values = dict(code=f"P-{n:04d}", name=f"备件{n}", category="电源", unit="pc",
                  standard_cost=Decimal("10.00"), reorder_point=0, reorder_qty=5)
    values.update(kw)
    part = Part(**values)
    db.session.add(part)
    db.session.commit()
    return part.id


def make_warehouse(n: int = 1, name: str | None = None) -> int:
    wh = Warehouse(code=f"W{n}", name=name or f"仓库{n}")
    db.session.add(wh)
    db.session.commit()
    return wh.id


def check_invariants() -> None:
    """Balance = Σ movements = Σ remaining layers (qty and value); layers agree with their uses."""
    balances = db.session.execute(sa.select(StockBalance.part_id, StockBalance.warehouse_id,
                                            StockBalance.qty, StockBalance.value)).all()
    for part_id, wh_id, qty, value in balances:
        assert qty >= 0
        moved = db.session.execute(sa.select(
            sa.func.coalesce(sa.func.sum(StockMovement.qty), 0), sa.func.count())
            .where(StockMovement.part_id == part_id, StockMovement.warehouse_id == wh_id)).one()
        assert int(moved[0]) == qty, (part_id, wh_id, moved, qty)
        values = db.session.scalars(sa.select(StockMovement.value).where(
            StockMovement.part_id == part_id, StockMovement.warehouse_id == wh_id)).all()
        assert sum((Decimal(str(v)) for v in values), Decimal("0.00")) == Decimal(str(value)).quantize(Decimal("0.01"))
        layers = db.session.execute(sa.select(StockLayer.qty_remaining, StockLayer.unit_cost).where(
            StockLayer.part_id == part_id, StockLayer.warehouse_id == wh_id)).all()
        assert sum(r for r, _c in layers) == qty
        assert sum((r * Decimal(str(c)) for r, c in layers), Decimal("0")) == Decimal(str(value)).quantize(Decimal("0.01"))
        last = db.session.scalar(sa.select(StockMovement).where(
            StockMovement.part_id == part_id, StockMovement.warehouse_id == wh_id).order_by(StockMovement.id.desc()).limit(1))
        if last is not None:
            assert last.balance_qty == qty
    for layer in db.session.scalars(sa.select(StockLayer)):
        used = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(StockLayerUse.qty), 0))
                                 .where(StockLayerUse.layer_id == layer.id))
        assert 0 <= layer.qty_remaining <= layer.qty_in
        assert layer.qty_in - int(used) == layer.qty_remaining, (layer.id, layer.qty_in, used, layer.qty_remaining)
