"""Small builders of customers and tickets for the management-record tests."""
from __future__ import annotations

from datetime import datetime

from app.extensions import db
from app.models import Category, Channel, Customer, Severity, Ticket, TicketStatus


def make_customer(app, code: str = "C0001") -> int:
    with app.app_context():
        customer = Customer(code=code, name=f"客户{code}", region="东城镇")
        db.session.add(customer)
        db.session.commit()
        return customer.id


def make_ticket(app, customer_id: int, number: str, assignee_id: int | None = None,
                status: TicketStatus = TicketStatus.in_progress, **kw) -> int:
    with app.app_context():
        ticket = Ticket(
            number=number, channel=Channel.phone, category=Category.hardware, severity=Severity.general,
            status=status, customer_id=customer_id, title=kw.pop("title", "接收站无法接收数据"),
            description="天线告警", assignee_id=assignee_id, received_at=kw.pop("received_at", datetime(2026, 1, 5, 9)),
            **kw,
        )
        db.session.add(ticket)
        db.session.commit()
        return ticket.id
