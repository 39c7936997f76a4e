"""Complaint rules: numbering, the status workflow, overdue flag, satisfaction KPI, report (001 §五)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.sql.elements import ColumnElement

from .. import clock
from ..extensions import db
from ..models.base import DomainError, utcnow
from ..models.complaints import Complaint, ComplaintProgress
from ..models.complaints import ComplaintStatus as S
from ..models.staff import Staff
from ..notifications import delivery, events
from ..security.roles import CS, MANAGER
from .numbering import next_number
from .workflow import Move, Workflow

SATISFIED_SCORE = 4  # a 1–5 handling score at or above which the customer counts as satisfied

# The manager handles complaints; the CS rep calls the customer back and closes or reopens (001 §五(四)).
FLOW = Workflow((
    Move(S.received, S.investigating, frozenset({MANAGER})),
    Move(S.investigating, S.handling, frozenset({MANAGER})),
    Move(S.investigating, S.closed, frozenset({MANAGER})),  # not verified: explained and closed
    Move(S.handling, S.investigating, frozenset({MANAGER})),
    Move(S.handling, S.closed, frozenset({MANAGER, CS})),
    Move(S.closed, S.handling, frozenset({MANAGER, CS})),  # customer not satisfied: handle again
))


def prepare(complaint: Complaint, staff_id: int | None = None) -> None:
    """Fill the intake defaults: time, number, who received it; a new complaint tells CS and the manager."""
    if complaint.id is None and complaint.number is None:
        delivery.defer(events.complaint_received, complaint)
    complaint.received_at = complaint.received_at or utcnow()
    complaint.number = complaint.number or next_number("TS", clock.to_local(complaint.received_at).year)
    if complaint.received_by_id is None and complaint.received_by is None and staff_id:
        # set the relation, not the id: a form has set the relation to None and it would win at flush
        complaint.received_by = db.session.get(Staff, staff_id)


def missing_for(complaint: Complaint, target: str, note: str | None) -> dict[str, str]:
    """What a complaint still lacks before it may move to target."""
    need = _("Required before this step.")
    errors = {}
    if target == S.investigating and complaint.status == S.received and not complaint.team:
        errors["team"] = _("Name the investigation team first.")
    if target == S.handling and complaint.status == S.investigating:
        if complaint.verified is not True:
            errors["verified"] = _("Only a verified complaint gets a handling plan.")
        for field in ("root_cause", "measures", "deadline"):
            if not getattr(complaint, field):
                errors[field] = need
        if not (complaint.owner_id or complaint.owner) and not complaint.owner_department:
            errors["owner"] = _("Name the owner or the owner department.")
    if target == S.closed:
        if complaint.status == S.investigating and complaint.verified is not False:
            errors["verified"] = _("Only a complaint found not to be true is closed without handling.")
        if not complaint.result:
            errors["result"] = need
        if complaint.status == S.handling and complaint.satisfaction is None:
            errors["satisfaction"] = _("Record the customer's satisfaction with the handling.")
    if complaint.status == S.closed and target == S.handling and not (note or "").strip():
        errors["note"] = _("Say why the customer is not satisfied.")
    return errors


def transition(complaint: Complaint, target: str, note: str | None = None,
               roles: set[str] | None = None, staff_id: int | None = None) -> Complaint:
    """Move a complaint, with its checks, and log a progress entry."""
    try:
        target = S(target)
    except ValueError:
        raise DomainError({"to": _("Unknown status %(s)s.", s=target)}, status=422) from None
    source = complaint.status
    FLOW.find(source, target, roles)
    errors = missing_for(complaint, target, note)
    if errors:
        raise DomainError(errors, status=422)
    complaint.status = target
    if target == S.closed:
        complaint.closed_at = utcnow()
    elif source == S.closed:
        complaint.closed_at = None
        complaint.satisfaction = None  # the new handling gets its own score
    db.session.add(ComplaintProgress(
        complaint=complaint, at=utcnow(), staff_id=staff_id, from_status=source, to_status=target,
        note=(note or "").strip() or _("Status changed"),
    ))
    return complaint


def allowed_targets(complaint: Complaint, roles: set[str]) -> list[str]:
    return FLOW.targets(complaint.status, roles)


def overdue_clause(today: date | None = None) -> ColumnElement[bool]:
    """SQL condition of an overdue complaint: deadline passed and not closed."""
    return sa.and_(Complaint.deadline < (today or clock.today_local()), Complaint.status != S.closed)


def complaint_satisfaction(start: date | datetime, end: date | datetime) -> float | None:
    """Share of rated complaints received in the period whose handling scored 4 or 5; None if none.

    Dates are inclusive days; datetimes are a half-open [start, end) range (the KPI summary's).
    The same "satisfied" threshold as the ticket surveys, so the two KPIs read alike.
    """
    if not isinstance(start, datetime):
        start = clock.local_day_start(start)
    if not isinstance(end, datetime):
        end = clock.local_day_start(end + timedelta(days=1))
    rated, satisfied = db.session.execute(
        sa.select(
            sa.func.count(Complaint.satisfaction),
            sa.func.count(sa.case((Complaint.satisfaction >= SATISFIED_SCORE, 1))),
        ).where(Complaint.received_at >= start, Complaint.received_at < end)
    ).one()
    return round(satisfied / rated, 4) if rated else None


def report(complaint: Complaint) -> dict[str, Any]:
    """The complaint report of 001 §五(四)2: facts, process, result, causes and measures."""
    return {
        "number": complaint.number,
        "basic": {
            "customer": complaint.customer.name, "received_at": clock.isoformat(complaint.received_at),
            "channel": complaint.channel.value, "complainant": complaint.complainant,
            "subject": complaint.subject, "content": complaint.content,
        },
        "process": [
            {"at": clock.isoformat(p.at), "by": p.staff.name if p.staff else None, "note": p.note,
             "from": p.from_status.value if p.from_status else None,
             "to": p.to_status.value if p.to_status else None}
            for p in complaint.progress
        ],
        "team": [s.name for s in complaint.team],
        "verified": complaint.verified,
        "root_cause": complaint.root_cause,
        "measures": complaint.measures,
        "owner": complaint.owner.name if complaint.owner else None,
        "owner_department": complaint.owner_department,
        "deadline": complaint.deadline.isoformat() if complaint.deadline else None,
        "result": complaint.result,
        "satisfaction": complaint.satisfaction,
        "improvement": complaint.improvement,
        "status": complaint.status.value,
        "overdue": complaint.overdue,
    }
