"""Time-based rules: each takes `now` and tells whoever is due, once (the UNIQUE event key).

Run by every sweep (`flask sweep`, the worker's schedule, the in-process timer: the rule
"notifications" of app/sweep/rules.py); `flask notify-sweep` runs these alone. Running a rule
twice, or in two workers at once, writes nothing the second time.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..clock import format_datetime, to_local
from ..extensions import db
from ..models import (
    CallbackRecord,
    CallbackStatus,
    DefectiveReturn,
    InspectionRecord,
    InspectionStatus,
    MaintenancePlan,
    MaintenanceStatus,
    StockMovement,
    Ticket,
    ToolLoan,
)
from ..models.requisitions import ReturnStatus
from ..security.roles import MANAGER
from ..services import sla
from . import delivery, events
from .core import notify, recipients_with_role, users_of

# Reminders of dated work look this far back, so a first sweep does not flood with old history.
BACKLOG_DAYS = 30


def _today(now: datetime):
    return to_local(now).date()


# --- tickets: due soon, overdue, still overdue --------------------------------------------

def _open_clock(ticket: Ticket, levels) -> tuple[str, datetime, int] | None:
    """The ticket's first unmet clock: (response | resolution, deadline, its minutes)."""
    if ticket.first_response_at is None and ticket.respond_by is not None:
        return "response", ticket.respond_by, levels.respond_minutes
    if ticket.resolved_at is None and ticket.resolve_by is not None:
        return "resolution", ticket.resolve_by, levels.resolve_minutes
    return None


def _what(clock: str) -> str:
    return _("first response") if clock == "response" else _("resolution")


def ticket_deadlines(now: datetime) -> int:
    """Due soon at the policy's warning window (assignee, else Managers); overdue at the breach
    (assignee and every Manager); a second notice when still overdue after another half of
    the clock's time. Returns how many notices were written."""
    levels = sla.all_levels()
    horizon = now + timedelta(minutes=max(lv.warn_minutes for lv in levels.values()))
    tickets = db.session.scalars(sa.select(Ticket).where(
        Ticket.status.in_(sla.OPEN_STATUSES),
        sa.or_(sa.and_(Ticket.first_response_at.is_(None), Ticket.respond_by <= horizon),
               sa.and_(Ticket.resolved_at.is_(None), Ticket.resolve_by <= horizon)),
    ).order_by(Ticket.id)).unique().all()
    managers = recipients_with_role(MANAGER)
    written = 0
    for ticket in tickets:
        lv = levels[ticket.severity]
        clock = _open_clock(ticket, lv)
        if clock is None:
            continue
        name, deadline, minutes = clock
        assignee = users_of(ticket.assignee)
        key = f"{name}:{deadline:%Y%m%d%H%M}"
        if now <= deadline:
            if now >= deadline - timedelta(minutes=lv.warn_minutes):
                written += len(notify(
                    "ticket_due_soon", ticket, assignee or managers, key=key, now=now,
                    title=lambda ticket=ticket, name=name, deadline=deadline: _(
                        "Ticket %(number)s: %(what)s due by %(at)s", number=ticket.number,
                        what=_what(name), at=format_datetime(deadline)),
                    body=lambda ticket=ticket: events._ticket_body(ticket)))
            continue
        written += len(notify(
            "ticket_overdue", ticket, assignee + managers, key=f"{key}:1", now=now,
            title=lambda ticket=ticket, name=name, deadline=deadline: _(
                "Ticket %(number)s overdue: %(what)s was due at %(at)s", number=ticket.number,
                what=_what(name), at=format_datetime(deadline)),
            body=lambda ticket=ticket: events._ticket_body(ticket)))
        if now > deadline + timedelta(minutes=minutes / 2):
            written += len(notify(
                "ticket_overdue", ticket, assignee + managers, key=f"{key}:2", now=now,
                title=lambda ticket=ticket, name=name, deadline=deadline: _(
                    "Ticket %(number)s still overdue (second notice): %(what)s was due at %(at)s",
                    number=ticket.number, what=_what(name), at=format_datetime(deadline)),
                body=lambda ticket=ticket: events._ticket_body(ticket)))
    return written


# --- dated work ------------------------------------------------------------------------------

def _notify_each(now: datetime, notify, model, *where) -> int:
    """`notify(row, now)` for each row of `model` matching `where`: how many notifications were written."""
    rows = db.session.scalars(sa.select(model).where(*where)).unique().all()
    return sum(len(notify(row, now)) for row in rows)


def _window(now: datetime) -> tuple[date, date]:
    """The dated work to remind of: from BACKLOG_DAYS back to NOTIFY_DAYS_AHEAD (config) days ahead."""
    today = _today(now)
    ahead = current_app.config.get("NOTIFY_DAYS_AHEAD", 3)
    return today - timedelta(days=BACKLOG_DAYS), today + timedelta(days=ahead)


def callbacks_due(now: datetime) -> int:
    today = _today(now)
    return _notify_each(now, events.callback_due, CallbackRecord,
                        CallbackRecord.status == CallbackStatus.due, CallbackRecord.due_date <= today,
                        CallbackRecord.due_date >= today - timedelta(days=BACKLOG_DAYS))


def inspections_due(now: datetime) -> int:
    since, until = _window(now)
    return _notify_each(now, events.inspection_due, InspectionRecord,
                        InspectionRecord.status == InspectionStatus.due,
                        InspectionRecord.due_date <= until, InspectionRecord.due_date >= since)


def maintenance_due(now: datetime) -> int:
    since, until = _window(now)
    return _notify_each(now, events.maintenance_due, MaintenancePlan,
                        MaintenancePlan.status == MaintenanceStatus.planned,
                        MaintenancePlan.planned_start <= until, MaintenancePlan.planned_end >= since)


def tool_loans_overdue(now: datetime) -> int:
    return _notify_each(now, events.tool_loan_overdue, ToolLoan, ToolLoan.returned_at.is_(None),
                        ToolLoan.due_on < _today(now))


def reorder_points(now: datetime) -> int:
    """Each time a part falls to its reorder point: once per stock-in since (the episode)."""
    from ..services.purchasing import reorder_list

    rows = reorder_list()
    if not rows:
        return 0
    last_in = dict(db.session.execute(
        sa.select(StockMovement.part_id, sa.func.max(StockMovement.id))
        .where(StockMovement.qty > 0, StockMovement.part_id.in_([r.part.id for r in rows]))
        .group_by(StockMovement.part_id)).all())
    return sum(len(events.reorder_point(r.part, r.on_hand, f"after:{last_in.get(r.part.id, 0)}", now))
               for r in rows)


def parts_owed(now: datetime) -> int:
    """Defective parts still not brought back after PARTS_OWED_DAYS (default 7)."""
    days = current_app.config.get("PARTS_OWED_DAYS", 7)
    rows = db.session.scalars(sa.select(DefectiveReturn).where(
        DefectiveReturn.status == ReturnStatus.owed,
        DefectiveReturn.created_at <= now - timedelta(days=days)).order_by(DefectiveReturn.id)).unique().all()
    # one reminder per part of a slip, however many of its units are owed (a row is one unit)
    by_line: dict[tuple[int, int], list] = {}
    for row in rows:
        by_line.setdefault((row.requisition_id, row.part_id), []).append(row)
    return sum(len(events.parts_owed(units[0], now, units=len(units))) for units in by_line.values())


def retry_deliveries(now: datetime) -> int:
    """Emails and group-chat messages whose next attempt has come."""
    return delivery.retry_due(now)


# The registry, in the order a sweep runs them: name -> rule(now) -> how many.
RULES = {
    "ticket_deadlines": ticket_deadlines,
    "callbacks_due": callbacks_due,
    "inspections_due": inspections_due,
    "maintenance_due": maintenance_due,
    "tool_loans_overdue": tool_loans_overdue,
    "reorder_points": reorder_points,
    "parts_owed": parts_owed,
    "retry_deliveries": retry_deliveries,
}


def sweep(now: datetime) -> dict[str, int]:
    """One pass of every rule, each committed on its own so one failing rule does not stop the rest."""
    done = {}
    for name, rule in RULES.items():
        try:
            done[name] = rule(now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("notification rule %s failed", name)
            done[name] = -1
    return done
