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
from ..models.parts import Part, Warehouse
from ..models.stock import MovementKind, StockBalance, StockLayer, StockLayerUse, StockMovement
from .stock_checks import CENT

balance_t = StockBalance.__table__
layer_t = StockLayer.__table__
part_t = Part.__table__
warehouse_t = Warehouse.__table__


def _int(name: str) -> Any:
    return sa.bindparam(name, type_=sa.Integer)


# The ledger's statements are built once, with bind parameters: building one and generating its
# cache key on every posting cost about as much CPU as its round trip to PostgreSQL.
_INSERTS: dict[str, Any] = {"postgresql": pg_insert, "sqlite": sqlite_insert}
_KNOWN_PAIR = (
    sa.select(part_t.c.id, warehouse_t.c.id, sa.literal(0), sa.literal(Decimal("0.00"), balance_t.c.value.type))
    .select_from(part_t.join(warehouse_t, warehouse_t.c.id == _int("warehouse"))).where(part_t.c.id == _int("part")))
_LOCKS: dict[str, Any] = {}  # lock_balance's upsert, per dialect
_SET_BALANCE = (
    balance_t.update()
    .where(balance_t.c.part_id == _int("part"), balance_t.c.warehouse_id == _int("warehouse"),
           balance_t.c.qty == _int("qty_read"))
    .values(qty=_int("new_qty"), value=sa.bindparam("new_value", type_=balance_t.c.value.type),
            last_movement_id=_int("movement")))
_FIFO = (
    sa.select(layer_t.c.id, layer_t.c.qty_remaining, layer_t.c.unit_cost, layer_t.c.received_at)
    .where(layer_t.c.part_id == _int("part"), layer_t.c.warehouse_id == _int("warehouse"), layer_t.c.qty_remaining > 0)
    .order_by(layer_t.c.received_at, layer_t.c.id))
# qty_remaining - take stays in [0, qty_in]: a draw (+) leaves no layer below 0, a give-back (-) none above its qty_in
_DRAW = (layer_t.update()
         .where(layer_t.c.id == _int("layer"), (layer_t.c.qty_remaining - _int("take")).between(0, layer_t.c.qty_in))
         .values(qty_remaining=layer_t.c.qty_remaining - _int("take")))
_ADD_LAYER = layer_t.insert()


def _lock_statement(dialect: str) -> Any:
    stmt = _LOCKS.get(dialect)
    if stmt is None:
        if dialect not in _INSERTS:  # pragma: no cover - only PostgreSQL and SQLite are supported
            raise RuntimeError(f"unsupported database {dialect}")
        stmt = _LOCKS[dialect] = (
            _INSERTS[dialect](balance_t)
            .from_select(["part_id", "warehouse_id", "qty", "value"], _KNOWN_PAIR)
            .on_conflict_do_update(index_elements=[balance_t.c.part_id, balance_t.c.warehouse_id],
                                   set_={"qty": balance_t.c.qty})
            .returning(balance_t.c.qty, balance_t.c.value))
    return stmt


class LostRace(RuntimeError):
    """A guarded UPDATE matched no row: another writer got there first (never expected under the lock)."""


class UnknownPartOrWarehouse(LookupError):
    """lock_balance found no such part or no such warehouse (the caller says which)."""


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
    before anything is read) and returns the balance as it stands under the lock. Its row comes
    from the part and the warehouse themselves (INSERT … SELECT), so the same statement tells
    that both exist: no row back, UnknownPartOrWarehouse, nothing written or locked."""
    row = db.session.execute(_lock_statement(db.session.get_bind().dialect.name),
                             {"part": part_id, "warehouse": warehouse_id}).one_or_none()
    if row is None:
        raise UnknownPartOrWarehouse(part_id, warehouse_id)
    return Locked(part_id, warehouse_id, row.qty, Decimal(row.value).quantize(CENT))


def _set_balance(bal: Locked, qty: int, value: Decimal, movement_id: int) -> None:
    """Compare-and-set: the row must still hold what we read under the lock."""
    if qty < 0 or value < 0:
        raise DomainError(_("Stock would become negative."), status=409)
    result = db.session.execute(_SET_BALANCE, {
        "part": bal.part_id, "warehouse": bal.warehouse_id, "qty_read": bal.qty,
        "new_qty": qty, "new_value": value, "movement": movement_id})
    if result.rowcount != 1:
        raise LostRace("balance changed under the lock")
    bal.qty, bal.value = qty, value


# --- movements and FIFO layers -------------------------------------------------------

def post_movement(bal: Locked, kind: MovementKind, qty: int, value: Decimal, reference: object,
                  takes: Sequence[Take] = (), **kw: Any) -> StockMovement:
    """Write one movement, the FIFO layer draws (+) or give-backs (-) it makes, and the balance it
    leaves (refused when stock would become negative).

    The layers' guarded UPDATEs run before the movement is added (an UPDATE autoflushes what is
    pending), so one flush writes the movement with its layer uses and the audit trail records
    them in one INSERT."""
    new_qty, new_value = bal.qty + qty, (bal.value + value).quantize(CENT)
    if new_qty < 0 or new_value < 0:
        raise DomainError(_("Stock would become negative."), status=409)
    text = _reference(reference)
    _draw(takes)
    mv = StockMovement(
        part_id=bal.part_id, warehouse_id=bal.warehouse_id, kind=kind, qty=qty,
        unit_cost=(abs(value) / abs(qty)).quantize(CENT), value=value.quantize(CENT),
        balance_qty=new_qty, balance_value=new_value, reference=text,
        note=kw.get("note"), ticket_id=kw.get("ticket_id"), requisition_id=kw.get("requisition_id"),
        purchase_line_id=kw.get("purchase_line_id"), counterpart_id=kw.get("counterpart_id"),
        reversal_of_id=kw.get("reversal_of_id"),
        posted_at=kw.get("posted_at") or utcnow(),
        posted_by_id=kw["user_id"] if kw.get("user_id") is not None else current_user_id(),
    )
    db.session.add(mv)
    db.session.add_all([StockLayerUse(movement=mv, layer_id=layer_id, qty=take, unit_cost=unit_cost)
                        for layer_id, take, unit_cost, _at in takes])
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
    db.session.execute(_ADD_LAYER, {
        "part_id": mv.part_id, "warehouse_id": mv.warehouse_id, "movement_id": mv.id,
        "received_at": received_at, "unit_cost": unit_cost, "qty_in": qty, "qty_remaining": qty,
    })


# a draw on one FIFO layer: (layer id, qty taken, unit cost, received at; None when given back)
Take = tuple[int, int, Decimal, datetime | None]


def fifo_take(bal: Locked, qty: int) -> list[tuple[int, int, Decimal, datetime]]:
    """The oldest layers covering `qty`: (layer id, qty taken, unit cost, received at)."""
    if qty > bal.qty:
        raise DomainError(
            {"qty": _("Only %(n)s on hand; cannot take %(q)s.", n=bal.qty, q=qty)}, status=409
        )
    rows = db.session.execute(_FIFO, {"part": bal.part_id, "warehouse": bal.warehouse_id})
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


def _draw(takes: Sequence[Take]) -> None:
    """Draw (+) or give back (-) layer quantities, guarded, in one statement (an executemany past one
    layer); every layer must match."""
    if not takes:
        return
    params = [{"layer": layer_id, "take": take} for layer_id, take, _cost, _at in takes]
    result = db.session.execute(_DRAW, params[0] if len(params) == 1 else params)
    if result.rowcount != len(params):
        raise LostRace("FIFO layer changed under the lock")


def taken_value(takes: Sequence[Take]) -> Decimal:
    return sum((Decimal(t) * c for _id, t, c, _at in takes), Decimal("0.00"))
