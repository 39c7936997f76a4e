"""Callback record 回访记录 (000 §四(六)): who was called, what was said, the four scores."""
from __future__ import annotations

from typing import IO

from flask_babel import gettext

from ...models import CallbackRecord
from ...models.callbacks import SCORE_FIELDS
from . import L, label, name, paper_form


def write_callback_record(target: str | IO[bytes], record: CallbackRecord) -> None:
    """One customer callback with its satisfaction scores and follow-up."""
    source = record.ticket.number if record.ticket else (str(record.inspection) if record.inspection else None)
    with paper_form(target, gettext("Callback record")) as form:
        form.title(gettext("Callback record"), f"{L(CallbackRecord, 'due_date')}: {record.due_date}")
        form.fields([
            (L(CallbackRecord, "customer"), name(record.customer)),
            (L(CallbackRecord, "contact_person"), record.contact_person),
            (L(CallbackRecord, "method"), label(record.method)),
            (L(CallbackRecord, "called_at"), record.called_at),
            (L(CallbackRecord, "caller"), name(record.caller)),
            (L(CallbackRecord, "status"), label(record.status)),
            (gettext("Source"), source),
            (L(CallbackRecord, "plan"), record.plan.target if record.plan else None),
        ])
        form.text_box(L(CallbackRecord, "content"), record.content, height_rows=4)
        form.section(gettext("Satisfaction (1-5)"))
        form.table([L(CallbackRecord, f) for f in SCORE_FIELDS] + [L(CallbackRecord, "average_score")],
                   [[getattr(record, f) for f in SCORE_FIELDS] + [record.average_score]])
        form.text_box(L(CallbackRecord, "opinions"), record.opinions, height_rows=3)
        form.text_box(L(CallbackRecord, "new_needs"), record.new_needs, height_rows=2)
        form.text_box(L(CallbackRecord, "follow_up"), record.follow_up, height_rows=2)
        form.fields([(L(CallbackRecord, "follow_up_ticket"),
                      record.follow_up_ticket.number if record.follow_up_ticket else None)], per_row=1)
        form.signatures([gettext("Called by"), gettext("Reviewed by")], gettext("Date"))
