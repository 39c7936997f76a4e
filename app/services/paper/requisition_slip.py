"""Parts requisition slip 备件领用单 (003 §五.3): lines, approval, issue and the keeper's signature."""
from __future__ import annotations

from typing import IO

from flask_babel import gettext

from ...models import Part, Ticket
from ...models.requisitions import Requisition, RequisitionLine
from . import L, label, name, paper_form


def write_requisition_slip(target: str | IO[bytes], req: Requisition) -> None:
    """One requisition with its lines, the approval and what was issued / returned."""
    with paper_form(target, gettext("Requisition")) as form:
        form.title(gettext("Parts requisition slip"), f"{L(Requisition, 'number')}: {req.number}")
        form.fields([
            (L(Requisition, "engineer"), name(req.engineer)),
            (L(Requisition, "warehouse"), name(req.warehouse)),
            (L(Requisition, "ticket"), req.ticket.number if req.ticket else None),
            (L(Ticket, "customer"), name(req.ticket.customer) if req.ticket else None),
            (L(Requisition, "requested_at"), req.requested_at),
            (L(Requisition, "status"), label(req.status)),
            (L(Requisition, "in_warranty"), req.in_warranty),
            (L(Requisition, "purpose"), req.purpose),
        ])
        lines = list(req.lines)
        form.section(gettext("Parts"))
        form.table(
            [L(Part, "code"), L(Part, "name"), L(Part, "unit"), gettext("Requested"), gettext("Issued"),
             gettext("Returned"), L(RequisitionLine, "charge")],
            [(ln.part.code, ln.part.name, ln.part.unit, ln.qty_requested, ln.qty_issued, ln.qty_returned,
              ln.charge) for ln in lines],
            spans=[1, 2, 1, 1, 1, 1, 1],
            empty_rows=max(0, 3 - len(lines)),
        )
        form.section(gettext("Approval"))
        form.fields([
            (L(Requisition, "approved_by"), name(req.approved_by)),
            (L(Requisition, "approved_at"), req.approved_at),
            (L(Requisition, "decision_note"), req.decision_note),
        ], per_row=2)
        form.signatures([gettext("Requested by"), gettext("Approved by"), gettext("Issued by (keeper)")],
                        gettext("Date"))
