"""Fault analysis form 故障分析表 (002 §2.4(8))."""
from __future__ import annotations

from typing import IO

from flask_babel import gettext

from ...models import FaultAnalysis, Ticket
from . import L, label, name, paper_form


def write_fault_analysis(target: str | IO[bytes], analysis: FaultAnalysis) -> None:
    """The analysis of one fault: phenomenon, cause, frequency, action, suggestion."""
    ticket = analysis.ticket
    equipment = analysis.equipment or (ticket.equipment if ticket else None)
    with paper_form(target, gettext("Fault analysis")) as form:
        form.title(gettext("Fault analysis form"), f"{L(Ticket, 'number')}: {ticket.number}" if ticket else None)
        form.fields([
            (L(Ticket, "customer"), name(ticket.customer) if ticket else name(getattr(equipment, "customer", None))),
            (L(Ticket, "equipment"), str(equipment) if equipment else None),
            (L(FaultAnalysis, "fault_type"), analysis.fault_type),
            (L(FaultAnalysis, "frequency"), analysis.frequency),
            (L(Ticket, "severity"), label(ticket.severity) if ticket else None),
            (L(Ticket, "occurred_at"), ticket.occurred_at if ticket else None),
            (L(FaultAnalysis, "analysed_by"), name(analysis.analysed_by)),
            (L(FaultAnalysis, "analysed_on"), analysis.analysed_on),
        ])
        form.text_box(L(FaultAnalysis, "phenomenon"), analysis.phenomenon, height_rows=4)
        form.text_box(L(FaultAnalysis, "cause_analysis"), analysis.cause_analysis, height_rows=6)
        form.text_box(L(FaultAnalysis, "corrective_action"), analysis.corrective_action, height_rows=4)
        form.text_box(L(FaultAnalysis, "improvement_suggestion"), analysis.improvement_suggestion, height_rows=4)
        form.signatures([gettext("Analysed by"), gettext("Reviewed by"), gettext("Approved by")], gettext("Date"))
