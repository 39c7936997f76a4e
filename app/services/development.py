"""Staff development rules: an appraisal's measured KPIs, uniqueness of appraisals and attendees."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..models import Appraisal, SatisfactionSurvey, Ticket, TicketStatus, TrainingAttendance
from ..models.base import utcnow
from .common import ensure_unique

_bounds = clock.local_day_bounds  # [local start 00:00, local day after end 00:00), in UTC


def _satisfaction_for(staff_id: int, start: date, end: date) -> Decimal | None:
    """Mean 1–5 survey score (timeliness, effectiveness, attitude) of the person's tickets
    surveyed in the period; None when no survey was taken."""
    lo, hi = _bounds(start, end)
    score = (SatisfactionSurvey.timeliness + SatisfactionSurvey.effectiveness
             + SatisfactionSurvey.attitude) / 3.0
    mean = db.session.scalar(
        sa.select(sa.func.avg(score)).join(Ticket, Ticket.id == SatisfactionSurvey.ticket_id).where(
            Ticket.assignee_id == staff_id, SatisfactionSurvey.surveyed_at >= lo,
            SatisfactionSurvey.surveyed_at < hi)
    )
    return None if mean is None else Decimal(str(mean)).quantize(Decimal("0.01"))


def measure_kpis(staff_id: int, start: date, end: date) -> dict[str, Any]:
    """Tickets closed, on-time rate and satisfaction of one assignee in a period (004 §六)."""
    lo, hi = _bounds(start, end)
    mine = Ticket.assignee_id == staff_id
    closed = db.session.scalar(
        sa.select(sa.func.count()).select_from(Ticket).where(
            mine, Ticket.status == TicketStatus.closed, Ticket.closed_at >= lo, Ticket.closed_at < hi)
    )
    on_time_case = sa.case((Ticket.resolved_at <= Ticket.resolve_by, 1), else_=0)
    resolved, on_time = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(on_time_case), 0)).where(
            mine, Ticket.resolved_at >= lo, Ticket.resolved_at < hi, Ticket.resolve_by.is_not(None))
    ).one()
    rate = (Decimal(on_time) / Decimal(resolved)).quantize(Decimal("0.0001")) if resolved else None
    return {"tickets_closed": closed, "on_time_rate": rate,
            "satisfaction": _satisfaction_for(staff_id, start, end)}


def fill_kpis(appraisal: Appraisal) -> Appraisal:
    """Fill the appraisal's measured KPIs from the tickets (and surveys) of its period."""
    appraisal.sync_derived()
    if appraisal.staff_id is None and appraisal.staff is not None:
        appraisal.staff_id = appraisal.staff.id
    with db.session.no_autoflush:
        kpis = measure_kpis(appraisal.staff_id, appraisal.period_start, appraisal.period_end)
    for key, value in kpis.items():
        setattr(appraisal, key, value)
    appraisal.kpis_at = utcnow()
    return appraisal


def before_appraisal_save(appraisal: Appraisal) -> None:
    """One appraisal per person and period; KPIs measured on every save."""
    appraisal.sync_derived()
    if appraisal.staff is not None:
        appraisal.staff_id = appraisal.staff.id
    ensure_unique(appraisal, ("staff_id", "period"), "period",
                  _("This staff member already has an appraisal for this period."))
    fill_kpis(appraisal)


def before_attendance_save(attendance: TrainingAttendance) -> None:
    """A person attends a training session once."""
    if attendance.record is not None:
        attendance.record_id = attendance.record.id
    if attendance.staff is not None:
        attendance.staff_id = attendance.staff.id
    ensure_unique(attendance, ("record_id", "staff_id"), "staff",
                  _("This person is already an attendee of this training session."))
