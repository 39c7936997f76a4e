"""Inspection record 巡检记录表 (002 §2.7): site, engineers, checklist results, findings, sign-off."""
from __future__ import annotations

from typing import IO

from flask_babel import gettext

from ...models import InspectionItemResult, InspectionRecord
from . import L, label, name, paper_form


def write_inspection_record(target: str | IO[bytes], record: InspectionRecord) -> None:
    """One inspection with every checklist item and its result."""
    others = ", ".join(s.name for s in record.engineers)
    with paper_form(target, gettext("Inspection record")) as form:
        form.title(gettext("Inspection record"), f"{L(InspectionRecord, 'due_date')}: {record.due_date}")
        form.fields([
            (L(InspectionRecord, "customer"), name(record.customer)),
            (L(InspectionRecord, "site"), record.site),
            (L(InspectionRecord, "equipment"), str(record.equipment) if record.equipment else None),
            (L(InspectionRecord, "phase"), label(record.phase)),
            (L(InspectionRecord, "engineer"), name(record.engineer)),
            (L(InspectionRecord, "engineers"), others or None),
            (L(InspectionRecord, "inspected_on"), record.inspected_on),
            (L(InspectionRecord, "status"), label(record.status)),
        ])
        form.section(L(InspectionRecord, "results"))
        form.table(
            ["#", L(InspectionItemResult, "text"), L(InspectionItemResult, "result"), L(InspectionItemResult, "note")],
            [(r.position, r.text, label(r.result), r.note) for r in record.results],
            spans=[1, 4, 1, 2], empty_rows=0 if record.results else 3,
        )
        form.fields([(L(InspectionRecord, "dust_cleaned"), record.dust_cleaned)], per_row=1)
        form.text_box(L(InspectionRecord, "hidden_dangers"), record.hidden_dangers, height_rows=3)
        form.text_box(L(InspectionRecord, "customer_questions"), record.customer_questions, height_rows=3)
        form.text_box(L(InspectionRecord, "summary"), record.summary, height_rows=3)
        form.fields([(L(InspectionRecord, "customer_signer"), record.customer_signer)], per_row=1)
        form.signatures([gettext("Engineer"), gettext("Customer signature")], gettext("Date"))
