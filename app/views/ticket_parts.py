"""The parts story on a ticket's page: its requisition slips (requested / issued / returned unused /
in use) and the faulty units owed back, with the owing engineer's hand-back form."""
from __future__ import annotations

from ..actor import current_staff_id
from ..models import Ticket
from ..models.requisitions import DefectiveReturn, Requisition, ReturnStatus
from .equipment_page import _visible


def ticket_parts(ticket: Ticket) -> dict | None:
    """What the viewer may see of the ticket's parts (own slips only for a field engineer), or None."""
    slips = _visible("RequisitionView", Requisition, Requisition.ticket_id == ticket.id,
                     order=(Requisition.requested_at, Requisition.id))
    if slips is None:
        return None
    units = _visible("DefectiveReturnView", DefectiveReturn,
                     DefectiveReturn.requisition.has(Requisition.ticket_id == ticket.id),
                     order=(DefectiveReturn.part_id, DefectiveReturn.id)) or []
    me = current_staff_id()
    return {
        "slips": slips,
        "lines": [line for slip in slips for line in slip.lines],
        "units": units,
        "mine_owed": [u for u in units if u.status is ReturnStatus.owed and u.engineer_id == me],
    }
