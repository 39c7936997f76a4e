"""What the stock pages read: a part's stock card and the valuation by warehouse."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models.parts import Warehouse
from ..models.stock import StockBalance, StockMovement

CARD_ROWS = 200  # the newest movements; older ones are in the ledger list with a part filter


def card_lines(part_id: int, warehouse: int | None) -> list[tuple[StockMovement, int]]:
    """The stock card's movements (the last CARD_ROWS, oldest first) with the all-warehouse balance."""
    query = sa.select(StockMovement).where(StockMovement.part_id == part_id)
    if warehouse:
        query = query.where(StockMovement.warehouse_id == warehouse)
    rows = db.session.scalars(query.order_by(StockMovement.id.desc()).limit(CARD_ROWS)).all()[::-1]
    running: dict[int, int] = {}
    lines = []
    for mv in rows:  # the ledger stores the balance after each movement; the total adds warehouses up
        running[mv.warehouse_id] = mv.balance_qty
        lines.append((mv, sum(running.values())))
    return lines


def valuation_rows() -> list[Any]:
    """(warehouse, units, value, parts in stock) per warehouse: the sum of balances = remaining FIFO layers."""
    return list(db.session.execute(
        sa.select(Warehouse, sa.func.coalesce(sa.func.sum(StockBalance.qty), 0),
                  sa.func.coalesce(sa.func.sum(StockBalance.value), 0),
                  sa.func.count(StockBalance.part_id).filter(StockBalance.qty > 0))
        .outerjoin(StockBalance, StockBalance.warehouse_id == Warehouse.id)
        .group_by(Warehouse.id).order_by(Warehouse.name)).all())
