"""On-site repair record 上门维修记录表 (002 §2.6): times, engineers, work, parts used, customer sign-off."""
from __future__ import annotations

from typing import IO, Any

from flask_babel import gettext

from ...attachments import storage
from ...clock import format_datetime
from ...models import Part, RepairRecord, Ticket
from ...models.requisitions import RequisitionLine
from ..parts import parts_used
from ..xlsx_forms import PaperForm
from . import L, label, name, paper_form


def parts_table(form: PaperForm, ticket_id: int) -> None:
    """The parts issued for the ticket (net of returns), with cost and charge."""
    lines = parts_used(ticket_id)
    form.table(
        [L(Part, "code"), L(Part, "name"), L(Part, "spec"), gettext("Quantity"), L(RequisitionLine, "charge")],
        [(ln.part.code, ln.part.name, ln.part.spec, ln.qty_issued - ln.qty_returned, ln.charge)
         for ln in lines],
        spans=[1, 3, 2, 1, 1], empty_rows=0 if lines else 2,
    )


def record_fields(record: RepairRecord) -> list[tuple[str, Any]]:
    """The head of the repair record as (label, value) pairs: the Excel form's and the print page's."""
    ticket = record.ticket
    return [
        (L(Ticket, "customer"), name(ticket.customer)),
        (L(Ticket, "contact"), name(ticket.contact)),
        (L(Ticket, "equipment"), str(ticket.equipment) if ticket.equipment else None),
        (L(Ticket, "place"), ticket.place),
        (L(Ticket, "severity"), label(ticket.severity)),
        (L(Ticket, "category"), label(ticket.category)),
        (L(RepairRecord, "arrived_at"), record.arrived_at),
        (L(RepairRecord, "departed_at"), record.departed_at),
        (L(RepairRecord, "engineers"), record.engineer_names),
        (L(RepairRecord, "result"), label(record.result)),
    ]


def write_repair_record(target: str | IO[bytes], record: RepairRecord) -> None:
    """The repair record of one visit, ready to be signed by the customer."""
    ticket = record.ticket
    with paper_form(target, gettext("Repair record")) as form:
        form.title(gettext("On-site repair record"), f"{L(Ticket, 'number')}: {ticket.number}")
        form.fields(record_fields(record))
        form.text_box(L(Ticket, "description"), ticket.description, height_rows=3)
        form.text_box(L(RepairRecord, "work_done"), record.work_done, height_rows=5)
        form.section(gettext("Parts used"))
        parts_table(form, ticket.id)
        form.text_box(L(RepairRecord, "parts_replaced"), record.parts_replaced, height_rows=2)
        form.fields([(L(RepairRecord, "customer_signer"), record.customer_signer),
                     (L(RepairRecord, "signed_at"), record.signed_at)])
        form.signatures([gettext("Engineer"), gettext("Customer signature")], gettext("Date"),
                        images=[None, signature_png(record)],
                        dates=[None, format_datetime(record.signed_at) if record.signature_id else None])


def signature_png(record: RepairRecord) -> bytes | None:
    """The customer's drawn signature, when the record has one and its file is in the store."""
    if record.signature is None:
        return None
    try:
        return storage.read(record.signature.sha256)
    except (OSError, ValueError):
        return None
