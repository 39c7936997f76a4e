"""Complaint handling report (001 §五(四)2): facts, process, causes, measures, result."""
from __future__ import annotations

from datetime import datetime
from typing import IO

from flask_babel import gettext

from ...models import Complaint, ComplaintProgress
from ..complaints import report
from . import L, label, paper_form


def write_complaint_report(target: str | IO[bytes], complaint: Complaint) -> None:
    """The report of one complaint, from `complaints.report` (the API's figures)."""
    data = report(complaint)
    basic = data["basic"]
    with paper_form(target, gettext("Complaint report")) as form:
        form.title(gettext("Complaint handling report"), f"{L(Complaint, 'number')}: {data['number']}")
        form.fields([
            (L(Complaint, "customer"), basic["customer"]),
            (L(Complaint, "received_at"), complaint.received_at),
            (L(Complaint, "channel"), label(complaint.channel)),
            (L(Complaint, "complainant"), basic["complainant"]),
            (L(Complaint, "owner"), data["owner"]),
            (L(Complaint, "owner_department"), data["owner_department"]),
            (L(Complaint, "deadline"), complaint.deadline),
            (L(Complaint, "status"), label(complaint.status)),
            (L(Complaint, "team"), ", ".join(data["team"]) or None),
            (L(Complaint, "verified"), data["verified"]),
        ])
        form.text_box(L(Complaint, "subject"), f"{basic['subject']}\n{basic['content']}", height_rows=3)
        form.section(gettext("Handling process"))
        form.table(
            [L(ComplaintProgress, "at"), L(ComplaintProgress, "staff"), L(ComplaintProgress, "to_status"),
             L(ComplaintProgress, "note")],
            [(datetime.fromisoformat(p["at"]), p["by"], label(step.to_status), p["note"])
             for p, step in zip(data["process"], complaint.progress, strict=True)],
            spans=[2, 1, 1, 4], empty_rows=0 if data["process"] else 2,
        )
        form.text_box(L(Complaint, "findings"), complaint.findings, height_rows=3)
        form.text_box(L(Complaint, "root_cause"), data["root_cause"], height_rows=3)
        form.text_box(L(Complaint, "measures"), data["measures"], height_rows=3)
        form.text_box(L(Complaint, "result"), data["result"], height_rows=2)
        form.fields([(L(Complaint, "satisfaction"), data["satisfaction"]),
                     (L(Complaint, "improvement"), data["improvement"])], per_row=1)
        form.signatures([gettext("Handled by"), gettext("Manager"), gettext("Customer")], gettext("Date"))
