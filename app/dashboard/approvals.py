"""Approval queues of the home pages: what waits for the Tech Engineer's or the Manager's decision.

The states come from the services that decide: a requisition in `requested` is decided by a
tech engineer or the manager (services/parts.decide_requisition, never their own slip), a
purchase request in `submitted` by the manager (services/purchasing.decide_purchase).
Oldest waiting first: neither document carries a deadline, so the longest wait is the most urgent.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..clock import format_datetime
from ..models import PurchaseRequest, PurchaseStatus, Requisition, RequisitionStatus
from ..security.roles import MANAGER, TECH
from ..services.parts import self_approval_allowed
from . import Panel, add_panel, only, record_list


def requisitions_to_approve(my_ids, limit: int = 10) -> dict:
    """Requested slips the viewer may decide: not their own unless PARTS_SELF_APPROVAL."""
    where = [Requisition.status == RequisitionStatus.requested]
    if my_ids is not None and not self_approval_allowed():
        where.append(Requisition.engineer_id.not_in(my_ids))
    return record_list(
        Requisition, *where, order=[Requisition.requested_at, Requisition.id],
        cells=lambda r: [r.number, r.engineer, r.warehouse, format_datetime(r.requested_at)],
        head=[_l("Requisition no."), _l("Engineer"), _l("Warehouse"), _l("Requested at")],
        endpoint="RequisitionView.show", more="RequisitionView.list", limit=limit,
        options=only(Requisition.engineer, Requisition.warehouse))


def purchases_to_approve(limit: int = 10) -> dict:
    """Submitted purchase requests, waiting for the manager."""
    return record_list(
        PurchaseRequest, PurchaseRequest.status == PurchaseStatus.submitted,
        order=[PurchaseRequest.requested_at, PurchaseRequest.id],
        cells=lambda p: [p.number, p.warehouse, p.requested_by, format_datetime(p.requested_at)],
        head=[_l("Request no."), _l("Warehouse"), _l("Requested by"), _l("Requested at")],
        endpoint="PurchaseRequestView.show", more="PurchaseRequestView.list", limit=limit,
        options=only(PurchaseRequest.warehouse, PurchaseRequest.requested_by))


add_panel(Panel("requisitions_to_approve", _l("Requisitions awaiting my approval"), {TECH, MANAGER},
                order=5, rows=lambda ctx: requisitions_to_approve(ctx["my_staff_ids"]),
                template="panels/records.html"))
add_panel(Panel("purchases_to_approve", _l("Purchase requests awaiting my approval"), {MANAGER},
                order=6, rows=lambda ctx: purchases_to_approve(), template="panels/records.html"))
