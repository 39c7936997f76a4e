"""Helpers shared by the ticket tests: customers, tickets made through the service."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import Customer, Equipment, Project, Ticket


def make_customer(app, n: int = 1) -> int:
    with app.app_context():
        c = Customer(code=f"C{n:04d}", name=f"客户{n}", region="东城镇")
        p = Project(code=f"P{n:04d}", name="项目", customer=c,
                    warranty_start=date(2025, 1, 1), warranty_end=date(2027, 12, 31))
        db.session.add_all([c, p, Equipment(customer=c, project=p, name="接收站", model="RS-3000",
                                             serial_number=f"SN-{n}")])
        db.session.commit()
        return c.id


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


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))
