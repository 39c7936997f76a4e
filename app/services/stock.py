"""Stock postings: receive, issue (FIFO), reverse, transfer, adjust; balances.

Every posting locks the per-part-per-warehouse balance row first (created if
missing), then reads the FIFO layers, writes one immutable movement and
updates the layers and the balance with guarded UPDATEs. Nothing here
commits: callers wrap a whole document in `atomic()`.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..extensions import db
from ..models.base import DomainError, current_user_id, utcnow
from ..models.parts import Part, Warehouse
from ..models.stock import (
    INBOUND, OUTBOUND, MovementKind, StockBalance, StockLayer, StockLayerUse, StockMovement,
)
from .stock_checks import CENT, MAX_QTY, check_money, check_qty, money  # noqa: F401  (re-exported)

balance_t = StockBalance.__table__
layer_t = StockLayer.__table__


class LostRace(RuntimeError):
    """A guarded UPDATE matched no row: another writer got there first (never expected under the lock)."""


@contextlib.contextmanager
def atomic():
    """One business document = one transaction: commit at the end, roll back on any error."""
    try:
        yield
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        raise DomainError(_("The posting conflicts with the stock ledger (%(e)s).", e=type(err.orig).__name__),
                          status=409) from err
    except BaseException:
        db.session.rollback()
        raise


def get_part(part_id) -> Part:
    part = db.session.get(Part, part_id) if isinstance(part_id, int) and not isinstance(part_id, bool) else None
    if part is None:
        raise DomainError({"part": _("Unknown part.")})
    return part


def get_warehouse(warehouse_id, field: str = "warehouse") -> Warehouse:
    ok = isinstance(warehouse_id, int) and not isinstance(warehouse_id, bool)
    wh = db.session.get(Warehouse, warehouse_id) if ok else None
    if wh is None:
        raise DomainError({field: _("Unknown warehouse.")})
    return wh


# --- locking ------------------------------------------------------------------

@dataclass
class Locked:
    """The balance of one part in one warehouse, as read under the lock."""

    part_id: int
    warehouse_id: int
    qty: int
    value: Decimal


def lock_balance(part_id: int, warehouse_id: int) -> Locked:
    """Make sure the balance row exists, then lock it for the rest of the transaction."""
    dialect = db.session.get_bind().dialect.name
    values = {"part_id": part_id, "warehouse_id": warehouse_id, "qty": 0, "value": Decimal("0.00")}
    if dialect == "postgresql":
        db.session.execute(pg_insert(balance_t).values(**values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        # a write first: SQLite takes its single writer lock here, before anything is read
        db.session.execute(sqlite_insert(balance_t).values(**values).on_conflict_do_nothing())
    else:  # pragma: no cover - only PostgreSQL and SQLite are supported
        raise RuntimeError(f"unsupported database {dialect}")
    row = db.session.execute(
        sa.select(balance_t.c.qty, balance_t.c.value)
        .where(balance_t.c.part_id == part_id, balance_t.c.warehouse_id == warehouse_id)
        .with_for_update()
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


# --- posting primitives -------------------------------------------------------

def _movement(bal: Locked, kind: MovementKind, qty: int, value: Decimal, reference: str, **kw) -> StockMovement:
    new_qty, new_value = bal.qty + qty, (bal.value + value).quantize(CENT)
    if new_qty < 0 or new_value < 0:
        raise DomainError(_("Stock would become negative."), status=409)
    mv = StockMovement(
        part_id=bal.part_id, warehouse_id=bal.warehouse_id, kind=kind, qty=qty,
        unit_cost=(abs(value) / abs(qty)).quantize(CENT), value=value.quantize(CENT),
        balance_qty=new_qty, balance_value=new_value, reference=_reference(reference),
        note=kw.get("note"), ticket_id=kw.get("ticket_id"), requisition_id=kw.get("requisition_id"),
        purchase_line_id=kw.get("purchase_line_id"), counterpart_id=kw.get("counterpart_id"), reversal_of_id=kw.get("reversal_of_id"),
        posted_at=kw.get("posted_at") or utcnow(),
        posted_by_id=kw["user_id"] if kw.get("user_id") is not None else current_user_id(),
    )
    db.session.add(mv)
    db.session.flush()
    _set_balance(bal, new_qty, new_value, mv.id)
    return mv


def _reference(reference) -> str:
    text = (reference or "").strip() if isinstance(reference, str) else ""
    if not text:
        raise DomainError({"reference": _("A reference document is required.")})
    if len(text) > 64:
        raise DomainError({"reference": _("At most 64 characters.")})
    return text


def _add_layer(mv: StockMovement, unit_cost: Decimal, qty: int, received_at: datetime) -> None:
    db.session.execute(layer_t.insert().values(
        part_id=mv.part_id, warehouse_id=mv.warehouse_id, movement_id=mv.id,
        received_at=received_at, unit_cost=unit_cost, qty_in=qty, qty_remaining=qty,
    ))


def _fifo_take(bal: Locked, qty: int) -> list[tuple[int, int, Decimal, datetime]]:
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


def _use_layers(mv: StockMovement, takes) -> None:
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


def _value(takes) -> Decimal:
    return sum((Decimal(t) * c for _id, t, c, _at in takes), Decimal("0.00"))


# --- public postings ------------------------------------------------------------

def receive(part_id, warehouse_id, qty, unit_cost, reference, *, kind=MovementKind.receipt, **kw) -> StockMovement:
    """Stock-in (purchase receipt, unused parts returned, stocktake gain): one new FIFO layer."""
    qty, unit_cost = check_qty(qty), check_money(unit_cost)
    part, wh = get_part(part_id), get_warehouse(warehouse_id)
    if kind not in INBOUND or kind is MovementKind.transfer_in:
        raise ValueError(f"{kind} is not a stock-in")
    bal = lock_balance(part.id, wh.id)
    mv = _movement(bal, kind, qty, unit_cost * qty, reference, **kw)
    _add_layer(mv, unit_cost, qty, mv.posted_at)
    return mv


def issue(part_id, warehouse_id, qty, reference, *, kind=MovementKind.issue, **kw) -> StockMovement:
    """Stock-out (issue, scrap, stocktake loss), costed from the oldest layers first."""
    qty = check_qty(qty)
    part, wh = get_part(part_id), get_warehouse(warehouse_id)
    if kind not in OUTBOUND or kind is MovementKind.transfer_out:
        raise ValueError(f"{kind} is not a stock-out")
    bal = lock_balance(part.id, wh.id)
    takes = _fifo_take(bal, qty)
    mv = _movement(bal, kind, -qty, -_value(takes), reference, **kw)
    _use_layers(mv, takes)
    return mv


def transfer(part_id, from_warehouse_id, to_warehouse_id, qty, reference, **kw) -> tuple[StockMovement, StockMovement]:
    """Move stock between warehouses; the layers travel with their cost and age."""
    qty = check_qty(qty)
    part = get_part(part_id)
    src, dst = get_warehouse(from_warehouse_id, "from_warehouse"), get_warehouse(to_warehouse_id, "to_warehouse")
    if src.id == dst.id:
        raise DomainError({"to_warehouse": _("Choose a different warehouse to transfer to.")})
    locks = {wid: lock_balance(part.id, wid) for wid in sorted((src.id, dst.id))}  # fixed order: no deadlock
    takes = _fifo_take(locks[src.id], qty)
    value = _value(takes)
    out = _movement(locks[src.id], MovementKind.transfer_out, -qty, -value, reference, **kw)
    _use_layers(out, takes)
    inn = _movement(locks[dst.id], MovementKind.transfer_in, qty, value, reference, counterpart_id=out.id, **kw)
    for _layer, take, cost, received_at in takes:
        _add_layer(inn, cost, take, received_at)
    return out, inn


def adjust(part_id, warehouse_id, delta: int, reference, unit_cost=None, **kw) -> StockMovement | None:
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


def reverse(movement_id, reference=None, **kw) -> list[StockMovement]:
    """Post the exact opposite of a movement (both legs of a transfer); never twice."""
    original = db.session.get(StockMovement, movement_id) if isinstance(movement_id, int) else None
    if original is None:
        raise DomainError(_("Unknown stock movement."), status=404)
    if original.kind is MovementKind.reversal:
        raise DomainError(_("A reversal cannot be reversed; post the movement again instead."), status=409)
    legs = [original]
    if original.kind is MovementKind.transfer_out:
        legs.append(db.session.scalar(sa.select(StockMovement).where(StockMovement.counterpart_id == original.id)))
    elif original.kind is MovementKind.transfer_in:
        legs.insert(0, db.session.get(StockMovement, original.counterpart_id))
    locks = {(m.part_id, m.warehouse_id): None for m in legs}
    for key in sorted(locks):
        locks[key] = lock_balance(*key)
    done = db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement).where(
        StockMovement.reversal_of_id.in_([m.id for m in legs])))
    if done:
        raise DomainError(_("This movement has already been reversed."), status=409)
    reference = reference or f"REV-{original.id}"
    # inbound legs first: a transfer's goods leave the destination before returning home
    ordered = sorted(legs, key=lambda m: m.qty < 0)
    return [_reverse_one(m, locks[(m.part_id, m.warehouse_id)], reference, **kw) for m in ordered]


def _reverse_one(original: StockMovement, bal: Locked, reference: str, **kw) -> StockMovement:
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
        takes = [(r.id, r.qty_in, Decimal(r.unit_cost).quantize(CENT), r.received_at) for r in layers]
    else:
        uses = db.session.execute(
            sa.select(StockLayerUse.layer_id, StockLayerUse.qty, StockLayerUse.unit_cost)
            .where(StockLayerUse.movement_id == original.id)
        ).all()
        takes = [(u.layer_id, -u.qty, Decimal(u.unit_cost).quantize(CENT), None) for u in uses]
    mv = _movement(bal, MovementKind.reversal, -original.qty, -Decimal(original.value), reference,
                   reversal_of_id=original.id, ticket_id=original.ticket_id,
                   requisition_id=original.requisition_id,
                   purchase_line_id=original.purchase_line_id, **kw)
    _use_layers(mv, takes)
    return mv


# --- reading --------------------------------------------------------------------

def balance(part_id, warehouse_id=None) -> tuple[int, Decimal]:
    """(qty, value) on hand of a part in one warehouse, or in all of them."""
    query = sa.select(sa.func.coalesce(sa.func.sum(balance_t.c.qty), 0),
                      sa.func.coalesce(sa.func.sum(balance_t.c.value), 0)).where(balance_t.c.part_id == part_id)
    if warehouse_id is not None:
        query = query.where(balance_t.c.warehouse_id == warehouse_id)
    qty, value = db.session.execute(query).one()
    return int(qty), Decimal(str(value)).quantize(CENT)


def movement_dict(mv: StockMovement) -> dict:
    """A movement as the stock API answers it."""
    return {
        "id": mv.id, "part": mv.part_id, "warehouse": mv.warehouse_id, "kind": mv.kind.value, "qty": mv.qty,
        "unit_cost": money(mv.unit_cost), "value": money(mv.value), "balance_qty": mv.balance_qty,
        "balance_value": money(mv.balance_value), "reference": mv.reference, "note": mv.note,
        "ticket": mv.ticket_id, "requisition": mv.requisition_id, "reversal_of": mv.reversal_of_id,
        "counterpart": mv.counterpart_id, "posted_at": clock.isoformat(mv.posted_at), "posted_by": mv.posted_by_id,
    }
