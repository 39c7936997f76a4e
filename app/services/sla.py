"""Service levels: deadlines at intake, overdue / due-soon flags, the manager's escalation list.

Clocks run 24x7 (seed 003 promises a 7x24 hotline): a deadline is intake time plus
the policy's minutes, nights, weekends and holidays included. See docs/SLA.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from ..extensions import db
from ..models import Severity, SlaPolicy, Ticket, TicketStatus
from ..models.base import utcnow

# the policy's levels and the rule on one loaded ticket live with the policy (models/sla.py)
from ..models.sla import DEFAULT_LEVELS, Levels, all_levels, is_due_soon, is_overdue, levels_for

__all__ = [
    "DEFAULT_LEVELS", "OPEN_STATUSES", "Deadlines", "Levels", "all_levels", "deadlines", "due_soon_clause",
    "ensure_default_policies", "escalation_list", "is_due_soon", "is_overdue", "levels_for", "overdue_clause",
]

OPEN_STATUSES = [s for s in TicketStatus if s.is_open]


@dataclass(frozen=True)
class Deadlines:
    notify_by: datetime
    respond_by: datetime
    resolve_by: datetime


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

def _late(now: datetime, horizon: dict[Severity, datetime] | datetime) -> ColumnElement[bool]:
    """SQL: an open clock whose deadline is before `horizon` (per severity or one instant)."""
    def one(limit: datetime) -> ColumnElement[bool]:
        return sa.or_(
            sa.and_(Ticket.first_response_at.is_(None), Ticket.respond_by < limit),
            sa.and_(Ticket.resolved_at.is_(None), Ticket.resolve_by < limit),
        )

    if isinstance(horizon, datetime):
        clock = one(horizon)
    else:
        clock = sa.or_(*(sa.and_(Ticket.severity == sev, one(limit)) for sev, limit in horizon.items()))
    return sa.and_(Ticket.status.in_(OPEN_STATUSES), clock)


def overdue_clause(now: datetime | None = None) -> ColumnElement[bool]:
    """SQL: open tickets past their response or resolution deadline."""
    return _late(now or utcnow(), now or utcnow())


def due_soon_clause(now: datetime | None = None) -> ColumnElement[bool]:
    """SQL: open tickets not yet overdue whose deadline falls inside the warning window."""
    now = now or utcnow()
    horizon = {sev: now + timedelta(minutes=lv.warn_minutes) for sev, lv in all_levels().items()}
    # "<= deadline" is still on time, so "due soon" includes the deadline minute itself.
    return sa.and_(_late(now, {s: h + timedelta(microseconds=1) for s, h in horizon.items()}),
                   sa.not_(overdue_clause(now)))


def escalation_list(now: datetime | None = None) -> list[Ticket]:
    """Overdue tickets for the manager, the longest overdue first."""
    stmt = sa.select(Ticket).where(overdue_clause(now)).order_by(Ticket.respond_by, Ticket.resolve_by)
    return list(db.session.scalars(stmt).unique())
