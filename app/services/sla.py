"""Service levels: deadlines at intake, overdue / due-soon flags, the manager's escalation list.

Clocks run 24x7 (seed 003 promises a 7x24 hotline): a deadline is intake time plus
the policy's minutes, nights, weekends and holidays included. See docs/SLA.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import Severity, SlaPolicy, Ticket, TicketStatus
from ..models.base import utcnow


@dataclass(frozen=True)
class Levels:
    """Minutes allowed for one severity."""

    notify_minutes: int
    respond_minutes: int
    resolve_minutes: int
    warn_minutes: int


# Defaults (docs/SLA.md): general from seed 003 (15 min / 2 h / 4 h); emergency cannot be
# slower than general; important has a workaround (000 §四(二)) and needs an expert
# consultation plan, so it gets a working day to resolve but a faster first response.
DEFAULT_LEVELS: dict[Severity, Levels] = {
    Severity.general: Levels(15, 120, 240, 60),
    Severity.important: Levels(10, 60, 480, 60),
    Severity.emergency: Levels(5, 30, 240, 30),
}

OPEN_STATUSES = [s for s in TicketStatus if s.is_open]


@dataclass(frozen=True)
class Deadlines:
    notify_by: datetime
    respond_by: datetime
    resolve_by: datetime


def levels_for(severity: Severity) -> Levels:
    """The manager's policy row for a severity, else the documented default."""
    row = db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.severity == severity))
    if row is None:
        return DEFAULT_LEVELS[severity]
    return Levels(row.notify_minutes, row.respond_minutes, row.resolve_minutes, row.warn_minutes)


def all_levels() -> dict[Severity, Levels]:
    """Policy of every severity in one query."""
    levels = dict(DEFAULT_LEVELS)
    for row in db.session.scalars(sa.select(SlaPolicy)):
        levels[row.severity] = Levels(row.notify_minutes, row.respond_minutes, row.resolve_minutes, row.warn_minutes)
    return levels


def deadlines(severity: Severity, received_at: datetime) -> Deadlines:
    """Deadlines on a 24x7 clock from the moment of intake."""
    lv = levels_for(severity)
    return Deadlines(
        notify_by=received_at + timedelta(minutes=lv.notify_minutes),
        respond_by=received_at + timedelta(minutes=lv.respond_minutes),
        resolve_by=received_at + timedelta(minutes=lv.resolve_minutes),
    )


def ensure_default_policies() -> int:
    """Create the policy rows that are missing (seeding); returns how many were added."""
    have = set(db.session.scalars(sa.select(SlaPolicy.severity)))
    added = 0
    for severity, lv in DEFAULT_LEVELS.items():
        if severity not in have:
            db.session.add(SlaPolicy(severity=severity, **lv.__dict__))
            added += 1
    return added


# --- flags --------------------------------------------------------------------

def _late(now: datetime, horizon: dict[Severity, datetime] | datetime):
    """SQL: an open clock whose deadline is before `horizon` (per severity or one instant)."""
    def one(limit):
        return sa.or_(
            sa.and_(Ticket.first_response_at.is_(None), Ticket.respond_by < limit),
            sa.and_(Ticket.resolved_at.is_(None), Ticket.resolve_by < limit),
        )

    if isinstance(horizon, datetime):
        clock = one(horizon)
    else:
        clock = sa.or_(*(sa.and_(Ticket.severity == sev, one(limit)) for sev, limit in horizon.items()))
    return sa.and_(Ticket.status.in_(OPEN_STATUSES), clock)


def overdue_clause(now: datetime | None = None):
    """SQL: open tickets past their response or resolution deadline."""
    return _late(now or utcnow(), now or utcnow())


def due_soon_clause(now: datetime | None = None):
    """SQL: open tickets not yet overdue whose deadline falls inside the warning window."""
    now = now or utcnow()
    horizon = {sev: now + timedelta(minutes=lv.warn_minutes) for sev, lv in all_levels().items()}
    # "<= deadline" is still on time, so "due soon" includes the deadline minute itself.
    return sa.and_(_late(now, {s: h + timedelta(microseconds=1) for s, h in horizon.items()}),
                   sa.not_(overdue_clause(now)))


def is_overdue(ticket: Ticket, now: datetime | None = None) -> bool:
    """Python twin of overdue_clause for one loaded ticket."""
    now = now or utcnow()
    if not ticket.status.is_open:
        return False
    return bool(
        (ticket.first_response_at is None and ticket.respond_by and now > ticket.respond_by)
        or (ticket.resolved_at is None and ticket.resolve_by and now > ticket.resolve_by)
    )


def is_due_soon(ticket: Ticket, now: datetime | None = None, levels: Levels | None = None) -> bool:
    """Python twin of due_soon_clause for one loaded ticket."""
    now = now or utcnow()
    if not ticket.status.is_open or is_overdue(ticket, now):
        return False
    warn = timedelta(minutes=(levels or levels_for(ticket.severity)).warn_minutes)
    return bool(
        (ticket.first_response_at is None and ticket.respond_by and now + warn >= ticket.respond_by)
        or (ticket.resolved_at is None and ticket.resolve_by and now + warn >= ticket.resolve_by)
    )


def escalation_list(now: datetime | None = None) -> list[Ticket]:
    """Overdue tickets for the manager, the longest overdue first."""
    stmt = sa.select(Ticket).where(overdue_clause(now)).order_by(Ticket.respond_by, Ticket.resolve_by)
    return list(db.session.scalars(stmt).unique())


def request_levels() -> dict[Severity, Levels]:
    """all_levels() once per request, so a list page flags every row with one query."""
    from flask import g, has_request_context

    if not has_request_context():
        return all_levels()
    if not hasattr(g, "_sla_levels"):
        g._sla_levels = all_levels()
    return g._sla_levels


def flag(ticket: Ticket, now: datetime | None = None) -> str:
    """"overdue", "due_soon" or "" for one ticket."""
    if is_overdue(ticket, now):
        return "overdue"
    if ticket.status.is_open and is_due_soon(ticket, now, request_levels()[ticket.severity]):
        return "due_soon"
    return ""
