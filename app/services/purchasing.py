"""Purchase requests (002 §一.5), the reorder list, and stocktakes 盘点 (001 §三(四)3)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import clock
from ..actor import current_roles
from ..extensions import db
from ..models.base import DomainError, utcnow
from ..models.parts import Part
from ..models.purchasing import PurchaseLine, PurchaseRequest, PurchaseStatus, Stocktake, StocktakeLine, StocktakeStatus
from ..models.stock import StockBalance, StockMovement
from ..models.system_text import SystemText
from ..notifications import events
from ..security import roles
from . import stock
from .common import current_staff, lock_in
from .numbering import next_number

MANAGER_ROLES = {roles.MANAGER, roles.ADMIN}


def _manager_only(what: str) -> None:
    if not (current_roles() & MANAGER_ROLES):
        raise DomainError(_("Only the manager approves %(what)s.", what=what), status=403)


# --- purchase requests ------------------------------------------------------------

def create_purchase(warehouse_id: object, lines: Sequence[tuple[object, object, object]],
                    reason: object = None) -> PurchaseRequest:
    """The keeper asks to buy parts: (part id, qty, estimated unit cost or None)."""
    stock.get_warehouse(warehouse_id)
    if not lines:
        raise DomainError({"lines": _("Add at least one part.")})
    me = current_staff()
    pr = PurchaseRequest(number=next_number("CG", clock.today_local().year), warehouse_id=warehouse_id, reason=reason,
                         requested_by_id=me.id if me else None)
    seen = set()
    for part_id, qty, cost in lines:
        part = stock.get_part(part_id)
        if part.id in seen:
            raise DomainError({"lines": _("Part %(code)s is listed twice.", code=part.code)})
        seen.add(part.id)
        est = stock.check_money(cost if cost is not None else part.standard_cost, "est_unit_cost")
        pr.lines.append(PurchaseLine(part_id=part.id, qty=stock.check_qty(qty), est_unit_cost=est))
    db.session.add(pr)
    db.session.flush()
    events.purchase_submitted(pr)
    return pr


def decide_purchase(pr_id: object, approve: bool) -> PurchaseRequest:
    """Only the manager approves or rejects a purchase request."""
    _manager_only(_("purchase requests"))
    pr = lock_in(PurchaseRequest, pr_id, (PurchaseStatus.submitted,), _("This request has already been decided."))
    me = current_staff()
    pr.status = PurchaseStatus.approved if approve else PurchaseStatus.rejected
    pr.approved_by_id, pr.approved_at = (me.id if me else None), utcnow()
    db.session.flush()
    return pr


def receive_purchase(pr_id: object, receipts: dict[int, tuple[int, object]], reference: str | None = None,
                     posted_at: datetime | None = None) -> list[StockMovement]:
    """Goods arrive: line id → (qty, actual unit cost); posts a receipt per line at the actual cost."""
    pr = lock_in(PurchaseRequest, pr_id, (PurchaseStatus.approved, PurchaseStatus.partially_received),
                 _("Only an approved request can be received."))
    movements = []
    for line, qty in stock.posted_lines(
            pr.lines, {line_id: qty for line_id, (qty, _cost) in receipts.items()},
            _("That line is not on this request."), lambda line: line.qty - line.qty_received,
            lambda line, n: _("Only %(n)s of %(code)s still to receive.", n=n, code=line.part.code)):
        cost = receipts[line.id][1]
        movements.append(stock.receive(line.part_id, pr.warehouse_id, qty, cost, reference or pr.number,
                                       purchase_line_id=line.id, posted_at=posted_at))
        line.qty_received += qty
    if not movements:
        raise DomainError({"qty": _("Enter a quantity received.")})
    done = all(line.qty_received == line.qty for line in pr.lines)
    pr.status = PurchaseStatus.received if done else PurchaseStatus.partially_received
    db.session.flush()
    return movements


# --- reorder ----------------------------------------------------------------------

@dataclass
class ReorderRow:
    part: Part
    on_hand: int

    @property
    def suggested(self) -> int:
        """Back above the reorder point, in multiples of the reorder quantity."""
        need = self.part.reorder_point - self.on_hand + 1
        lots = max(1, -(-need // self.part.reorder_qty))
        return lots * self.part.reorder_qty


def reorder_list(limit: int | None = None) -> list[ReorderRow]:
    """Active parts at or below their reorder point, key parts first (002 §2.5(2))."""
    on_hand = (sa.select(StockBalance.part_id, sa.func.sum(StockBalance.qty).label("qty"))
               .group_by(StockBalance.part_id).subquery())
    qty = sa.func.coalesce(on_hand.c.qty, 0)
    query = (sa.select(Part, qty).outerjoin(on_hand, on_hand.c.part_id == Part.id)
             .where(Part.active.is_(True), Part.reorder_point > 0, qty <= Part.reorder_point)
             .order_by(Part.is_key.desc(), (qty - Part.reorder_point), Part.code))
    if limit:
        query = query.limit(limit)
    return [ReorderRow(part, int(q)) for part, q in db.session.execute(query)]


def purchase_from_reorder(warehouse_id: object, part_ids: Iterable[int] | None = None) -> PurchaseRequest:
    """One click: a purchase request for the listed (or chosen) parts at their suggested quantities."""
    rows = [r for r in reorder_list() if part_ids is None or r.part.id in set(part_ids)]
    if not rows:
        raise DomainError(_("No part is at or below its reorder point."), status=409)
    return create_purchase(warehouse_id, [(r.part.id, r.suggested, None) for r in rows],
                           reason=SystemText("purchase.reorder"))


# --- stocktakes -------------------------------------------------------------------

def start_stocktake(warehouse_id: object, blind: bool = False) -> Stocktake:
    """Freeze the warehouse's book quantities: one line per part with a balance row."""
    stock.get_warehouse(warehouse_id)
    open_one = db.session.scalar(sa.select(Stocktake.id).where(
        Stocktake.warehouse_id == warehouse_id,
        Stocktake.status.in_([StocktakeStatus.counting, StocktakeStatus.submitted])))
    if open_one:
        raise DomainError(_("A stocktake of this warehouse is already open."), status=409)
    # FOR SHARE waits for postings in flight on this warehouse, so the book is a committed state
    balances = db.session.execute(
        sa.select(StockBalance.part_id, StockBalance.qty, StockBalance.last_movement_id)
        .where(StockBalance.warehouse_id == warehouse_id).order_by(StockBalance.part_id)
        .with_for_update(read=True)).all()
    snapshot = max((b.last_movement_id or 0 for b in balances), default=0)
    st = Stocktake(number=next_number("PD", clock.today_local().year), warehouse_id=warehouse_id, blind=bool(blind),
                   snapshot_movement_id=snapshot)
    for part_id, qty, _last in balances:
        st.lines.append(StocktakeLine(part_id=part_id, book_qty=qty))
    db.session.add(st)
    db.session.flush()
    return st


def record_count(stocktake_id: object, counts: dict[int, object]) -> Stocktake:
    """Counted quantities per line (line id → qty ≥ 0); a part found but not listed gets a line."""
    st = lock_in(Stocktake, stocktake_id, (StocktakeStatus.counting,), _("Counting is closed for this stocktake."))
    by_id = {line.id: line for line in st.lines}
    for line_id, qty in counts.items():
        line = by_id.get(line_id)
        if line is None:
            raise DomainError({"lines": _("That line is not on this stocktake.")})
        if qty in (None, ""):
            continue
        line.counted_qty = 0 if qty in (0, "0") else stock.check_qty(qty, "counted_qty")
    db.session.flush()
    return st


def add_count_line(stocktake_id: object, part_id: object, counted: object) -> StocktakeLine:
    """A part found on the shelf that the snapshot did not list."""
    st = lock_in(Stocktake, stocktake_id, (StocktakeStatus.counting,), _("Counting is closed for this stocktake."))
    part = stock.get_part(part_id)
    if any(line.part_id == part.id for line in st.lines):
        raise DomainError({"part": _("This part is already on the stocktake.")}, status=409)
    counted = 0 if counted in (0, "0") else stock.check_qty(counted, "counted_qty")
    # not in the snapshot: it had no stock row in this warehouse then, so the book said 0
    line = StocktakeLine(part_id=part.id, book_qty=0, counted_qty=counted)
    st.lines.append(line)
    db.session.flush()
    return line


def submit_stocktake(stocktake_id: object) -> Stocktake:
    """Counting done: every line needs a count; the variance becomes visible."""
    st = lock_in(Stocktake, stocktake_id, (StocktakeStatus.counting,),
                 _("Only a stocktake being counted can be submitted."))
    missing = [line.part.code for line in st.lines if line.counted_qty is None]
    if missing:
        raise DomainError({"lines": _("Not counted yet: %(codes)s", codes=", ".join(missing[:10]))})
    st.status = StocktakeStatus.submitted
    db.session.flush()
    return st


def approve_stocktake(stocktake_id: object) -> list[StockMovement]:
    """The manager approves: each variance is posted as an adjustment on today's balance.

    The variance is counted − book-at-snapshot. Postings after the snapshot already
    moved the balance, so adding the variance (a delta) keeps them: the result is
    counted + what moved since the count started.
    """
    _manager_only(_("stocktakes"))
    st = lock_in(Stocktake, stocktake_id, (StocktakeStatus.submitted,),
                 _("Only a submitted stocktake can be approved."))
    movements = []
    for line in st.lines:
        if line.variance:
            mv = stock.adjust(line.part_id, st.warehouse_id, line.variance, st.number)
            assert mv is not None  # a variance is never 0 here: adjust posts a movement
            line.adjustment_movement_id = mv.id
            movements.append(mv)
    me = current_staff()
    st.status, st.approved_at, st.approved_by_id = StocktakeStatus.approved, utcnow(), (me.id if me else None)
    db.session.flush()
    return movements


def cancel_stocktake(stocktake_id: object) -> Stocktake:
    st = lock_in(Stocktake, stocktake_id, (StocktakeStatus.counting, StocktakeStatus.submitted),
                 _("This stocktake is closed."))
    st.status = StocktakeStatus.cancelled
    db.session.flush()
    return st
