"""Opening a ticket from another register (callback, inspection item) in one step.

Kept in one place so that it can be re-pointed to the tickets service (numbering,
service-level clocks, timeline) when the areas are merged.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models.base import utcnow
from ..models.tickets import Category, Channel, Severity, Ticket, TicketStatus


def next_ticket_number(at: datetime) -> str:
    """T<yyyymmdd>-<nnnn>, the next free number of that day."""
    prefix = f"T{at:%Y%m%d}-"
    last = db.session.scalar(
        sa.select(sa.func.max(Ticket.number)).where(Ticket.number.like(prefix + "%"))
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{seq:04d}"


def open_ticket(
    *, customer_id: int, title: str, description: str, channel: Channel, category: Category,
    severity: Severity = Severity.general, equipment_id: int | None = None,
    received_by_id: int | None = None, place: str | None = None, at: datetime | None = None,
) -> Ticket:
    """A new ticket in status `new`, added to the session (the caller commits)."""
    now = at or utcnow()
    ticket = Ticket(
        number=next_ticket_number(now), channel=channel, category=category, severity=severity,
        status=TicketStatus.new, customer_id=customer_id, equipment_id=equipment_id,
        title=title[:200], description=description, received_at=now, received_by_id=received_by_id,
        place=place,
    )
    db.session.add(ticket)
    db.session.flush()
    return ticket
