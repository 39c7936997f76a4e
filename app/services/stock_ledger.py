"""The ledger's writes under the lock: the per-part-per-warehouse balance row, one immutable movement, the
FIFO cost layers it draws from or adds (app/services/stock.py posts the documents with these)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models.base import DomainError, current_user_id, utcnow
from ..models.stock import MovementKind, StockBalance, StockLayer, StockLayerUse, StockMovement
from .stock_checks import CENT

balance_t = StockBalance.__table__
layer_t = StockLayer.__table__


class LostRace(RuntimeError):
    """A guarded UPDATE matched no row: another writer got there first (never expected under the lock)."""


# --- locking ------------------------------------------------------------------

@dataclass
class Locked:
    """The balance of one part in one warehouse, as read under the lock."""

    part_id: int
    warehouse_id: int
    qty: int
    value: Decimal


def lock_balance(part_id: int, warehouse_id: int) -> Locked:
    """The balance row, made when missing, locked for the rest of the transaction: one statement.

    An upsert that "updates" the row to itself takes the row lock (on PostgreSQL it waits for a
    posting in flight, then reads its committed result; on SQLite it takes the single writer lock
    before anything is read) and returns the balance as it stands under the lock."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        insert: Any = pg_insert
    elif dialect == "sqlite":
        insert = sqlite_insert
    else:  # pragma: no cover - only PostgreSQL and SQLite are supported
        raise RuntimeError(f"unsupported database {dialect}")
    row = db.session.execute(
        insert(balance_t)
        .values(part_id=part_id, warehouse_id=warehouse_id, qty=0, value=Decimal("0.00"))
        .on_conflict_do_update(index_elements=[balance_t.c.part_id, balance_t.c.warehouse_id],
                               set_={"qty": balance_t.c.qty})
        .returning(balance_t.c.qty, balance_t.c.value)
    ).one()
    return Locked(part_id, warehouse_id, row.qty, Decimal(row.value).quantize(CENT))


def _set_balance(bal: Locked, qty: int, value: Decimal, movement_id: int) -> None:
    """Compare-and-set: the row must still hold what we read under the lock."""
    if qty < 0 or value < 0:
        raise DomainError(_("Stock would become negative."), status=409)
    result = db.session.execute(
        balance_t.update()
        .where(balance_t.c.part_id == bal.part_id, balance_t.c.warehouse_id == bal.warehouse_id,
               balance_t.c.qty == bal.qty)
        .values(qty=qty, value=value, last_movement_id=movement_id)
    )
    if result.rowcount != 1:
        raise LostRace("balance changed under the lock")
    bal.qty, bal.value = qty, value


# --- movements and FIFO layers -------------------------------------------------------

def post_movement(bal: Locked, kind: MovementKind, qty: int, value: Decimal, reference: object,
                  **kw: Any) -> StockMovement:
    """Write one movement and the balance it leaves (refused when stock would become negative)."""
    new_qty, new_value = bal.qty + qty, (bal.value + value).quantize(CENT)
    if new_qty < 0 or new_value < 0:
        raise DomainError(_("Stock would become negative."), status=409)
    mv = StockMovement(
        part_id=bal.part_id, warehouse_id=bal.warehouse_id, kind=kind, qty=qty,
        unit_cost=(abs(value) / abs(qty)).quantize(CENT), value=value.quantize(CENT),
        balance_qty=new_qty, balance_value=new_value, reference=_reference(reference),
        note=kw.get("note"), ticket_id=kw.get("ticket_id"), requisition_id=kw.get("requisition_id"),
        purchase_line_id=kw.get("purchase_line_id"), counterpart_id=kw.get("counterpart_id"),
        reversal_of_id=kw.get("reversal_of_id"),
        posted_at=kw.get("posted_at") or utcnow(),
        posted_by_id=kw["user_id"] if kw.get("user_id") is not None else current_user_id(),
    )
    db.session.add(mv)
    db.session.flush()
    _set_balance(bal, new_qty, new_value, mv.id)
    return mv


def _reference(reference: object) -> str:
    text = (reference or "").strip() if isinstance(reference, str) else ""
    if not text:
        raise DomainError({"reference": _("A reference document is required.")})
    if len(text) > 64:
        raise DomainError({"reference": _("At most 64 characters.")})
    return text


def add_layer(mv: StockMovement, unit_cost: Decimal, qty: int, received_at: datetime) -> None:
    db.session.execute(layer_t.insert().values(
        part_id=mv.part_id, warehouse_id=mv.warehouse_id, movement_id=mv.id,
        received_at=received_at, unit_cost=unit_cost, qty_in=qty, qty_remaining=qty,
    ))


# a draw on one FIFO layer: (layer id, qty taken, unit cost, received at; None when given back)
Take = tuple[int, int, Decimal, datetime | None]


def fifo_take(bal: Locked, qty: int) -> list[tuple[int, int, Decimal, datetime]]:
    """The oldest layers covering `qty`: (layer id, qty taken, unit cost, received at)."""
    if qty > bal.qty:
        raise DomainError(
            {"qty": _("Only %(n)s on hand; cannot take %(q)s.", n=bal.qty, q=qty)}, status=409
        )
    rows = db.session.execute(
        sa.select(layer_t.c.id, layer_t.c.qty_remaining, layer_t.c.unit_cost, layer_t.c.received_at)
        .where(layer_t.c.part_id == bal.part_id, layer_t.c.warehouse_id == bal.warehouse_id,
               layer_t.c.qty_remaining > 0)
        .order_by(layer_t.c.received_at, layer_t.c.id)
    )
    takes, need = [], qty
    for row in rows:
        take = min(need, row.qty_remaining)
        takes.append((row.id, take, Decimal(row.unit_cost).quantize(CENT), row.received_at))
        need -= take
        if need == 0:
            break
    if need:
        raise LostRace("FIFO layers do not cover the balance")
    return takes


def use_layers(mv: StockMovement, takes: Sequence[Take]) -> None:
    """Draw (+) or give back (-) layer quantities, guarded so no layer leaves [0, qty_in]."""
    for layer_id, take, unit_cost, _at in takes:
        guard = layer_t.c.qty_remaining >= take if take > 0 else layer_t.c.qty_remaining - take <= layer_t.c.qty_in
        result = db.session.execute(
            layer_t.update().where(layer_t.c.id == layer_id, guard)
            .values(qty_remaining=layer_t.c.qty_remaining - take)
        )
        if result.rowcount != 1:
            raise LostRace("FIFO layer changed under the lock")
        db.session.add(StockLayerUse(movement_id=mv.id, layer_id=layer_id, qty=take, unit_cost=unit_cost))


def taken_value(takes: Sequence[Take]) -> Decimal:
    return sum((Decimal(t) * c for _id, t, c, _at in takes), Decimal("0.00"))
