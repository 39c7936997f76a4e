"""Shared helpers of the register tests (callbacks, complaints, inspections, maintenance)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import Customer, Equipment, Importance, Ticket
from app.models.tickets import Category, Channel, Severity, TicketStatus


def make_customer(app, n=1, importance=Importance.normal) -> int:
    with app.app_context():
        c = Customer(code=f"C{n:04d}", name=f"客户{n}", region="东城镇", importance=importance)
        db.session.add(c)
        db.session.commit()
        return c.id


def make_equipment(app, customer_id, n=1) -> int:
    with app.app_context():
        e = Equipment(customer_id=customer_id, name="接收站", model="RS-3000", serial_number=f"SN-{n}")
        db.session.add(e)
        db.session.commit()
        return e.id


def make_ticket(app, customer_id, n=1, status=TicketStatus.closed, closed_at=None) -> int:
    with app.app_context():
        t = Ticket(number=f"T-TEST-{n}", channel=Channel.phone, category=Category.hardware,
                   severity=Severity.general, status=status, customer_id=customer_id,
                   title=f"故障{n}", description="设备不开机",
                   closed_at=closed_at or (datetime.utcnow() if status == TicketStatus.closed else None))
        db.session.add(t)
        db.session.commit()
        return t.id


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def get(app, model, pk):
    """A detached copy of a row's column values."""
    with app.app_context():
        obj = db.session.get(model, pk)
        return {c.key: getattr(obj, c.key) for c in sa.inspect(model).column_attrs} if obj else None
