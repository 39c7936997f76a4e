"""Service report 服务报告 of a ticket: customer, equipment, request, handling, resolution, parts, sign-off."""
from __future__ import annotations

from typing import IO, Any

from flask_babel import gettext

from ...clock import format_datetime
from ...models import RepairRecord, Ticket
from . import L, label, name, paper_form
from .repair_record import parts_table, signature_png


def report_fields(ticket: Ticket) -> list[tuple[str, Any]]:
    """The head of the service report as (label, value) pairs: the Excel form's and the print page's."""
    return [
        (L(Ticket, "customer"), name(ticket.customer)),
        (L(Ticket, "contact"), name(ticket.contact)),
        (L(Ticket, "project"), name(ticket.project)),
        (L(Ticket, "equipment"), str(ticket.equipment) if ticket.equipment else None),
        (L(Ticket, "received_at"), ticket.received_at),
        (L(Ticket, "channel"), label(ticket.channel)),
        (L(Ticket, "category"), label(ticket.category)),
        (L(Ticket, "severity"), label(ticket.severity)),
        (L(Ticket, "assignee"), name(ticket.assignee)),
        (L(Ticket, "handling_mode"), label(ticket.handling_mode)),
        (L(Ticket, "resolved_at"), ticket.resolved_at),
        (L(Ticket, "status"), label(ticket.status)),
    ]


def write_service_report(target: str | IO[bytes], ticket: Ticket) -> None:
    """What was asked, what was done and how it ended, for the customer to confirm."""
    visits = sorted(ticket.repair_records, key=lambda r: r.arrived_at)
    with paper_form(target, gettext("Service report")) as form:
        form.title(gettext("Service report"), f"{L(Ticket, 'number')}: {ticket.number}")
        form.fields(report_fields(ticket))
        form.text_box(gettext("Service request"), f"{ticket.title}\n{ticket.description}", height_rows=3)
        form.section(gettext("Handling"))
        form.table(
            [L(RepairRecord, "arrived_at"), L(RepairRecord, "engineers"), L(RepairRecord, "work_done"),
             L(RepairRecord, "result")],
            [(r.arrived_at, r.engineer_names, r.work_done, label(r.result)) for r in visits],
            spans=[2, 2, 3, 1], empty_rows=0 if visits else 1,
        )
        form.text_box(L(Ticket, "resolution"), ticket.resolution, height_rows=4)
        form.section(gettext("Parts used"))
        parts_table(form, ticket.id)
        form.text_box(gettext("Customer opinion"), None, height_rows=2)
        signed = [r for r in visits if r.signature_id is not None]
        last = signed[-1] if signed else None
        form.signatures([gettext("Engineer"), gettext("Customer confirmation signature")], gettext("Date"),
                        images=[None, signature_png(last) if last else None],
                        dates=[None, format_datetime(last.signed_at) if last else None])
