"""Opening a ticket from another register (callback, inspection item) in one step.

Goes through the tickets service's intake, so such tickets get their number,
service-level clocks and first timeline entry like any other.
"""
from __future__ import annotations

from datetime import datetime

from ..actor import current_user
from ..extensions import db
from ..models.base import utcnow
from ..models.tickets import Category, Channel, Severity, Ticket


def open_ticket(
    *, customer_id: int, title: str, description: str, channel: Channel, category: Category,
    severity: Severity = Severity.general, equipment_id: int | None = None,
    received_by_id: int | None = None, place: str | None = None, at: datetime | None = None,
) -> Ticket:
    """A new ticket in status `new`, added to the session (the caller commits)."""
    from .tickets import intake

    now = at or utcnow()
    ticket = Ticket(
        channel=channel, category=category, severity=severity, customer_id=customer_id,
        equipment_id=equipment_id, title=title[:200], description=description, received_at=now,
        received_by_id=received_by_id, place=place,
    )
    intake(ticket, user=current_user(), now=now)
    db.session.add(ticket)
    db.session.flush()
    return ticket
