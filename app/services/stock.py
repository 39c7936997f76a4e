"""Stock postings: receive, issue (FIFO), reverse, transfer, adjust; balances.

Every posting locks the per-part-per-warehouse balance row first (created if
missing), then reads the FIFO layers, writes one immutable movement and
updates the layers and the balance with guarded UPDATEs (those writes:
app/services/stock_ledger.py). Nothing here commits: callers wrap a whole
document in `unit_of_work()` (app/unit_of_work.py).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..models.base import DomainError
from ..models.parts import Part, Warehouse
from ..models.stock import INBOUND, OUTBOUND, MovementKind, StockLayerUse, StockMovement
from .stock_checks import CENT, MAX_QTY, check_money, check_qty, money, posted_lines
from .stock_ledger import (
    Locked,
    Take,
    UnknownPartOrWarehouse,
    add_layer,
    balance_t,
    fifo_take,
    layer_t,
    lock_balance,
    post_movement,
    taken_value,
)

__all__ = [  # the stock rules' API; the checks of stock_checks are part of it
    "CENT", "MAX_QTY", "adjust", "balance", "check_money", "check_qty", "get_part", "get_warehouse", "issue",
    "last_cost", "money", "movement_dict", "posted_lines", "receive", "reverse", "transfer",
]


def get_part(part_id: object) -> Part:
    part: Part | None = (
        db.session.get(Part, part_id) if isinstance(part_id, int) and not isinstance(part_id, bool) else None)
    if part is None:
        raise DomainError({"part": _("Unknown part.")})
    return part


def get_warehouse(warehouse_id: object, field: str = "warehouse") -> Warehouse:
    ok = isinstance(warehouse_id, int) and not isinstance(warehouse_id, bool)
    wh: Warehouse | None = db.session.get(Warehouse, warehouse_id) if ok else None
    if wh is None:
        raise DomainError({field: _("Unknown warehouse.")})
    return wh


def _lock_known(part_id: object, warehouse_id: object) -> Locked:
    """The balance row locked, which also tells that the part and the warehouse exist (a posting's
    first statement, app/services/stock_ledger.lock_balance); either unknown: the field's own message."""
    if isinstance(part_id, int) and isinstance(warehouse_id, int) and not isinstance(part_id, bool) \
            and not isinstance(warehouse_id, bool):
        try:
            return lock_balance(part_id, warehouse_id)
        except UnknownPartOrWarehouse:
            pass
    get_part(part_id)
    get_warehouse(warehouse_id)
    raise UnknownPartOrWarehouse(part_id, warehouse_id)  # both exist now: only a concurrent delete gets here


# --- public postings ------------------------------------------------------------

def active_warehouses() -> list[Warehouse]:
    """The warehouses a new purchase request, requisition slip or stocktake may name."""
    return list(db.session.scalars(sa.select(Warehouse).where(Warehouse.active.is_(True))))


def receive(part_id: object, warehouse_id: object, qty: object, unit_cost: object, reference: object, *,
            kind: MovementKind = MovementKind.receipt, **kw: Any) -> StockMovement:
    """Stock-in (purchase receipt, unused parts returned, stocktake gain): one new FIFO layer."""
    qty, unit_cost = check_qty(qty), check_money(unit_cost)
    if kind not in INBOUND or kind is MovementKind.transfer_in:
        raise ValueError(f"{kind} is not a stock-in")
    bal = _lock_known(part_id, warehouse_id)
    mv = post_movement(bal, kind, qty, unit_cost * qty, reference, **kw)
    add_layer(mv, unit_cost, qty, mv.posted_at)
    return mv


def issue(part_id: object, warehouse_id: object, qty: object, reference: object, *,
          kind: MovementKind = MovementKind.issue, **kw: Any) -> StockMovement:
    """Stock-out (issue, scrap, stocktake loss), costed from the oldest layers first."""
    qty = check_qty(qty)
    if kind not in OUTBOUND or kind is MovementKind.transfer_out:
        raise ValueError(f"{kind} is not a stock-out")
    bal = _lock_known(part_id, warehouse_id)
    takes = fifo_take(bal, qty)
    return post_movement(bal, kind, -qty, -taken_value(takes), reference, takes, **kw)


def transfer(part_id: object, from_warehouse_id: object, to_warehouse_id: object, qty: object, reference: object,
             **kw: Any) -> tuple[StockMovement, StockMovement]:
    """Move stock between warehouses; the layers travel with their cost and age."""
    qty = check_qty(qty)
    part = get_part(part_id)
    src, dst = get_warehouse(from_warehouse_id, "from_warehouse"), get_warehouse(to_warehouse_id, "to_warehouse")
    if src.id == dst.id:
        raise DomainError({"to_warehouse": _("Choose a different warehouse to transfer to.")})
    locks = {wid: lock_balance(part.id, wid) for wid in sorted((src.id, dst.id))}  # fixed order: no deadlock
    takes = fifo_take(locks[src.id], qty)
    value = taken_value(takes)
    out = post_movement(locks[src.id], MovementKind.transfer_out, -qty, -value, reference, takes, **kw)
    inn = post_movement(locks[dst.id], MovementKind.transfer_in, qty, value, reference, counterpart_id=out.id, **kw)
    for _layer, take, cost, received_at in takes:
        add_layer(inn, cost, take, received_at)
    return out, inn


def adjust(part_id: int, warehouse_id: int, delta: int, reference: object, unit_cost: object = None,
           **kw: Any) -> StockMovement | None:
    """A stocktake adjustment: a gain enters at the given / last / standard cost, a loss leaves FIFO."""
    if delta == 0:
        return None
    if delta < 0:
        return issue(part_id, warehouse_id, -delta, reference, kind=MovementKind.adjust_out, **kw)
    if unit_cost is None:
        unit_cost = last_cost(part_id, warehouse_id)
    return receive(part_id, warehouse_id, delta, unit_cost, reference, kind=MovementKind.adjust_in, **kw)


def last_cost(part_id: int, warehouse_id: int | None = None) -> Decimal:
    """The unit cost of the newest layer, else the part's standard cost."""
    query = sa.select(layer_t.c.unit_cost).where(layer_t.c.part_id == part_id)
    if warehouse_id is not None:
        query = query.where(layer_t.c.warehouse_id == warehouse_id)
    cost = db.session.scalar(query.order_by(layer_t.c.received_at.desc(), layer_t.c.id.desc()).limit(1))
    if cost is None:
        cost = get_part(part_id).standard_cost or Decimal("0")
    return Decimal(cost).quantize(CENT)


def reverse(movement_id: object, reference: str | None = None, **kw: Any) -> list[StockMovement]:
    """Post the exact opposite of a movement (both legs of a transfer); never twice."""
    original = db.session.get(StockMovement, movement_id) if isinstance(movement_id, int) else None
    if original is None:
        raise DomainError(_("Unknown stock movement."), status=404)
    if original.kind is MovementKind.reversal:
        raise DomainError(_("A reversal cannot be reversed; post the movement again instead."), status=409)
    legs = [original]
    if original.kind is MovementKind.transfer_out:
        legs.append(_other_leg(db.session.scalar(
            sa.select(StockMovement).where(StockMovement.counterpart_id == original.id)), original))
    elif original.kind is MovementKind.transfer_in:
        legs.insert(0, _other_leg(db.session.get(StockMovement, original.counterpart_id), original))
    locks = {key: lock_balance(*key) for key in sorted({(m.part_id, m.warehouse_id) for m in legs})}
    done = db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement).where(
        StockMovement.reversal_of_id.in_([m.id for m in legs])))
    if done:
        raise DomainError(_("This movement has already been reversed."), status=409)
    reference = reference or f"REV-{original.id}"
    # inbound legs first: a transfer's goods leave the destination before returning home
    ordered = sorted(legs, key=lambda m: m.qty < 0)
    return [_reverse_one(m, locks[(m.part_id, m.warehouse_id)], reference, **kw) for m in ordered]


def _other_leg(leg: StockMovement | None, original: StockMovement) -> StockMovement:
    if leg is None:  # both legs of a transfer are posted in one transaction: a broken ledger
        raise RuntimeError(f"transfer movement {original.id} has no other leg")
    return leg


def _reverse_one(original: StockMovement, bal: Locked, reference: str, **kw: Any) -> StockMovement:
    if original.qty > 0:
        layers = db.session.execute(
            sa.select(layer_t.c.id, layer_t.c.qty_in, layer_t.c.qty_remaining, layer_t.c.unit_cost,
                      layer_t.c.received_at).where(layer_t.c.movement_id == original.id)
        ).all()
        if any(row.qty_remaining != row.qty_in for row in layers):
            raise DomainError(
                _("Part of this stock-in has already left the warehouse; reverse those movements first."),
                status=409,
            )
        takes: list[Take] = [(r.id, r.qty_in, Decimal(r.unit_cost).quantize(CENT), r.received_at) for r in layers]
    else:
        uses = db.session.execute(
            sa.select(StockLayerUse.layer_id, StockLayerUse.qty, StockLayerUse.unit_cost)
            .where(StockLayerUse.movement_id == original.id)
        ).all()
        takes = [(u.layer_id, -u.qty, Decimal(u.unit_cost).quantize(CENT), None) for u in uses]
    return post_movement(bal, MovementKind.reversal, -original.qty, -Decimal(original.value), reference, takes,
                         reversal_of_id=original.id, ticket_id=original.ticket_id,
                         requisition_id=original.requisition_id,
                         purchase_line_id=original.purchase_line_id, **kw)


# --- reading --------------------------------------------------------------------

def balance(part_id: int, warehouse_id: int | None = None) -> tuple[int, Decimal]:
    """(qty, value) on hand of a part in one warehouse, or in all of them."""
    query = sa.select(sa.func.coalesce(sa.func.sum(balance_t.c.qty), 0),
                      sa.func.coalesce(sa.func.sum(balance_t.c.value), 0)).where(balance_t.c.part_id == part_id)
    if warehouse_id is not None:
        query = query.where(balance_t.c.warehouse_id == warehouse_id)
    qty, value = db.session.execute(query).one()
    return int(qty), Decimal(str(value)).quantize(CENT)


def movement_dict(mv: StockMovement) -> dict[str, Any]:
    """A movement as the stock API answers it."""
    return {
        "id": mv.id, "part": mv.part_id, "warehouse": mv.warehouse_id, "kind": mv.kind.value, "qty": mv.qty,
        "unit_cost": money(mv.unit_cost), "value": money(mv.value), "balance_qty": mv.balance_qty,
        "balance_value": money(mv.balance_value), "reference": mv.reference, "note": mv.note,
        "ticket": mv.ticket_id, "requisition": mv.requisition_id, "reversal_of": mv.reversal_of_id,
        "counterpart": mv.counterpart_id, "posted_at": clock.isoformat(mv.posted_at), "posted_by": mv.posted_by_id,
    }
