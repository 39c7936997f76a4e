"""Helpers shared by the ticket tests: customers, tickets made through the service."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import Customer, Equipment, Project, Ticket


def new_ticket(app, customer_id: int, received_at: datetime | None = None, **kw) -> int:
    """A ticket registered by the intake service (number, deadlines, timeline)."""
    from app.services.tickets import intake

    with app.app_context():
        t = Ticket(customer_id=customer_id, channel=kw.pop("channel", "phone"),
                   category=kw.pop("category", "hardware"), severity=kw.pop("severity", "general"),
                   title=kw.pop("title", "接收站无信号"), description=kw.pop("description", "描述"),
                   received_at=received_at, **kw)
        intake(t, None, now=received_at)
        db.session.add(t)
        db.session.commit()
        return t.id


def ticket(app, pk: int) -> dict:
    with app.app_context():
        t = db.session.get(Ticket, pk)
        return {c: getattr(t, c) for c in (
            "number", "status", "assignee_id", "received_at", "respond_by", "resolve_by",
            "first_response_at", "resolved_at", "closed_at", "reopen_count", "handling_mode",
            "resolution")} | {"events": [(e.from_status, e.to_status, e.note) for e in t.events]}

