"""Requisition slips (002 §2.5(5)), issues against them and unused returns; the faulty units they owe
back are in services/defective.py."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from .. import clock
from ..actor import current_roles
from ..extensions import db
from ..models.base import DomainError, utcnow
from ..models.purchasing import PurchaseLine, PurchaseStatus
from ..models.requisitions import Requisition, RequisitionLine, RequisitionStatus
from ..models.staff import Staff
from ..models.stock import MovementKind, StockMovement
from ..models.tickets import Ticket
from ..notifications import events
from ..security import roles
from ..security.rows import restricted_to_own_rows
from . import defective, stock
from .common import current_staff, lock_in, lock_row
from .numbering import next_number

APPROVER_ROLES = {roles.MANAGER, roles.TECH, roles.ADMIN}


# --- requisitions --------------------------------------------------------------

def create_requisition(engineer_id: object, warehouse_id: object, lines: Sequence[tuple[object, object]],
                       ticket_id: object = None, purpose: str | None = None) -> Requisition:
    """A slip asking parts for a ticket; a field engineer asks for themselves only."""
    me = current_staff()
    if restricted_to_own_rows():
        if me is None:
            raise DomainError(_("Your login is not linked to a staff member."), status=403)
        engineer_id = me.id
    if not isinstance(engineer_id, int) or db.session.get(Staff, engineer_id) is None:
        raise DomainError({"engineer": _("Unknown engineer.")})
    stock.get_warehouse(warehouse_id)
    ticket = None
    if ticket_id not in (None, ""):
        ticket = db.session.get(Ticket, ticket_id) if isinstance(ticket_id, int) else None
        if ticket is None:
            raise DomainError({"ticket": _("Unknown ticket.")})
    if ticket is not None and restricted_to_own_rows() and me is not None and ticket.assignee_id not in (None, me.id):
        # a tampered id pointing at another engineer's work (unassigned tickets stay open to all)
        raise DomainError({"ticket": _("The ticket is not assigned to you.")}, status=403)
    if not lines:
        raise DomainError({"lines": _("Add at least one part.")})
    req = Requisition(number=next_number("LY", clock.today_local().year), engineer_id=engineer_id,
                      warehouse_id=warehouse_id, ticket_id=ticket_id or None, purpose=purpose)
    seen = set()
    for part_id, qty in lines:
        part = stock.get_part(part_id)
        if part.id in seen:
            raise DomainError({"lines": _("Part %(code)s is listed twice.", code=part.code)})
        seen.add(part.id)
        req.lines.append(RequisitionLine(part_id=part.id, qty_requested=stock.check_qty(qty)))
    db.session.add(req)
    db.session.flush()
    events.requisition_submitted(req)
    return req


def self_approval_allowed() -> bool:
    """May an approver decide their own slip? Not unless the department configures it."""
    return bool(current_app.config.get("PARTS_SELF_APPROVAL", False))


def decide_requisition(req_id: object, approve: bool, note: str | None = None) -> Requisition:
    """Tech engineer or manager approves or rejects; never their own slip unless configured."""
    req = lock_in(Requisition, req_id, (RequisitionStatus.requested,),
                  _("Only a requested slip can be approved or rejected."))
    if not (current_roles() & APPROVER_ROLES):
        raise DomainError(_("Only a tech engineer or the manager approves requisitions."), status=403)
    me = current_staff()
    if me is not None and me.id == req.engineer_id and not self_approval_allowed():
        raise DomainError(_("You cannot approve your own requisition."), status=403)
    req.approved_by_id = me.id if me else None
    req.approved_at = utcnow()
    req.decision_note = note
    if approve:
        req.status = RequisitionStatus.approved
        req.in_warranty = req.ticket.in_warranty() if req.ticket is not None else None
    else:
        req.status = RequisitionStatus.rejected
    db.session.flush()
    return req


def _markup() -> Decimal:
    return Decimal(str(current_app.config.get("PARTS_PRICE_MARKUP", "1.30")))


def _charge(req: Requisition, cost: Decimal) -> Decimal:
    """Out of warranty the customer pays cost × markup; in warranty, or without a ticket, nothing (003 §四.4)."""
    if req.ticket_id is None or req.in_warranty is not False:
        return Decimal("0.00")
    return (cost * _markup()).quantize(stock.CENT)


def issue_requisition(req_id: object, quantities: dict[int, object], reference: str | None = None,
                      posted_at: datetime | None = None) -> list[StockMovement]:
    """The keeper issues some or all of the approved quantities (line id → qty)."""
    req = lock_in(Requisition, req_id, (RequisitionStatus.approved, RequisitionStatus.partially_issued),
                  _("Only an approved slip can be issued."))
    movements = []
    for line, qty in stock.posted_lines(
            req.lines, quantities, _("That line is not on this slip."), lambda line: line.qty_open,
            lambda line, n: _("Only %(n)s of %(code)s still to issue.", n=n, code=line.part.code)):
        mv = stock.issue(line.part_id, req.warehouse_id, qty, reference or req.number,
                         ticket_id=req.ticket_id, requisition_id=req.id, posted_at=posted_at)
        line.qty_issued += qty
        line.cost += -mv.value
        line.charge += _charge(req, -mv.value)
        if line.part.expects_return and req.ticket_id is not None:
            defective.owe(req, mv, qty)
        movements.append(mv)
    if not movements:
        raise DomainError({"qty": _("Enter a quantity to issue.")})
    _refresh_status(req)
    db.session.flush()
    return movements


def issue_for_requisition(req_id: object, part_id: object, warehouse_id: object, qty: object,
                          reference: str | None) -> StockMovement:
    """API form of an issue against a slip: one part, from the slip's warehouse."""
    req = db.session.get(Requisition, req_id)
    if req is None:
        raise DomainError({"requisition": _("Unknown requisition.")})
    if warehouse_id != req.warehouse_id:
        raise DomainError({"warehouse": _("Issue from the slip's warehouse.")})
    line = next((ln for ln in req.lines if ln.part_id == part_id), None)
    if line is None:
        raise DomainError({"part": _("That part is not on this slip.")})
    return issue_requisition(req.id, {line.id: qty}, reference)[0]


def _refresh_status(req: Requisition) -> None:
    issued = sum(line.qty_issued for line in req.lines)
    if issued == 0:
        req.status = RequisitionStatus.approved
    elif all(line.qty_open == 0 for line in req.lines):
        req.status = RequisitionStatus.issued
    else:
        req.status = RequisitionStatus.partially_issued


def return_unused(line_id: object, qty: object, reference: str | None = None) -> StockMovement:
    """Unused parts come back into stock at the cost they left with; fewer faulty parts are owed."""
    line = lock_row(RequisitionLine, line_id)
    req = line.requisition
    qty = stock.check_qty(qty)
    net = line.qty_issued - line.qty_returned
    if qty > net:
        raise DomainError({"qty": _("Only %(n)s issued and not yet returned.", n=net)}, status=409)
    unit_cost = (line.cost / net).quantize(stock.CENT)
    cost = line.cost if qty == net else unit_cost * qty
    mv = stock.receive(line.part_id, req.warehouse_id, qty, unit_cost, reference or req.number,
                       kind=MovementKind.return_unused, ticket_id=req.ticket_id, requisition_id=req.id)
    charge = line.charge if qty == net else (line.charge * qty / net).quantize(stock.CENT)
    line.qty_returned += qty
    line.cost -= min(cost, line.cost)
    line.charge -= charge
    defective.forgive(req.id, line.part_id, qty)
    db.session.flush()
    return mv


def reverse_movement(movement_id: object, reference: str | None = None) -> list[StockMovement]:
    """Reverse a movement and undo its effect on the slip or purchase it came from."""
    movements = stock.reverse(movement_id, reference)
    for rev in movements:
        original = db.session.get(StockMovement, rev.reversal_of_id)
        if original.requisition_id is not None:
            _unpost_requisition(original)
        if original.purchase_line_id is not None:
            line = db.session.get(PurchaseLine, original.purchase_line_id)
            line.qty_received -= original.qty
            line.request.status = (PurchaseStatus.partially_received
                                   if any(ln.qty_received for ln in line.request.lines) else PurchaseStatus.approved)
    db.session.flush()
    return movements


def _unpost_requisition(original: StockMovement) -> None:
    req = db.session.get(Requisition, original.requisition_id)
    line = next(ln for ln in req.lines if ln.part_id == original.part_id)
    value = abs(Decimal(original.value))
    if original.kind is MovementKind.issue:
        if line.qty_issued - line.qty_returned < -original.qty:
            raise DomainError(_("Those parts were returned unused already; reverse the return first."), status=409)
        defective.unowe(original.id)
        line.qty_issued += original.qty
        line.cost -= min(value, line.cost)
        line.charge -= min(_charge(req, value), line.charge)
        _refresh_status(req)
    elif original.kind is MovementKind.return_unused:
        line.qty_returned -= original.qty
        line.cost += value
        line.charge += _charge(req, value)


def parts_used(ticket_id: int) -> list[RequisitionLine]:
    """The parts issued for a ticket (for its repair record): lines with a net issue."""
    return list(db.session.scalars(
        sa.select(RequisitionLine).join(Requisition).where(
            Requisition.ticket_id == ticket_id, RequisitionLine.qty_issued > RequisitionLine.qty_returned)
        .order_by(RequisitionLine.id)))
