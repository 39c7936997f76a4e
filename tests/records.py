"""The one set of builders of customers and tickets for the tests: committed rows, their ids back.

Tickets made here skip the intake service (a fixed number, no deadlines, no timeline); for a ticket
registered as the CS rep registers it, use `tests.ticket_helpers.new_ticket`.
"""
from __future__ import annotations

from datetime import date, datetime

from app import clock
from app.extensions import db
from app.models import Customer, Equipment, Importance, Project, Ticket
from app.models.base import utcnow
from app.models.tickets import Category, Channel, Severity, TicketStatus


def make_customer(app, n: int | str = 1, *, with_equipment: bool = False, **values) -> int:
    """Customer C000n named 客户n in 东城镇 (n a string: that code, named 客户<code>).

    `with_equipment` adds project P000n, in warranty 2025–2027, and a 接收站 RS-3000, serial SN-n."""
    code = n if isinstance(n, str) else f"C{n:04d}"
    with app.app_context():
        customer = Customer(code=code, name=values.pop("name", f"客户{code if isinstance(n, str) else n}"),
                            region=values.pop("region", "东城镇"), **values)
        db.session.add(customer)
        if with_equipment:
            project = Project(code=f"P{n:04d}", name="项目", customer=customer,
                              warranty_start=date(2025, 1, 1), warranty_end=date(2027, 12, 31))
            db.session.add_all([project, Equipment(customer=customer, project=project, name="接收站",
                                                   model="RS-3000", serial_number=f"SN-{n}")])
        db.session.commit()
        return customer.id


def make_ticket(app, customer_id: int, n: int | str = 1, assignee_id: int | None = None,
                status: TicketStatus | str = TicketStatus.closed, **values) -> int:
    """Ticket T-TEST-n (n a string: that number) of a phone call about hardware, general severity;
    closed now unless a status or `closed_at` is given."""
    number = n if isinstance(n, str) else f"T-TEST-{n}"
    if "closed_at" not in values and status in (TicketStatus.closed, "closed"):
        values["closed_at"] = utcnow()
    with app.app_context():
        ticket = Ticket(number=number, channel=Channel.phone, category=Category.hardware,
                        severity=Severity.general, status=status, customer_id=customer_id,
                        assignee_id=assignee_id, title=values.pop("title", f"故障{n}"),
                        description=values.pop("description", "设备不开机"), **values)
        db.session.add(ticket)
        db.session.commit()
        return ticket.id


def make_equipment(app, customer_id: int, n: int = 1) -> int:
    """A 接收站 RS-3000, serial SN-n, of the customer (no project)."""
    with app.app_context():
        equipment = Equipment(customer_id=customer_id, name="接收站", model="RS-3000", serial_number=f"SN-{n}")
        db.session.add(equipment)
        db.session.commit()
        return equipment.id


# --- inside an app context, flushed not committed (the chart tests build many in one session) ---

def customer_named(name, region="东城镇", importance=Importance.normal):
    """A customer coded by the first 8 characters of its name."""
    c = Customer(code=name[:8], name=name, region=region, importance=importance)
    db.session.add(c)
    db.session.flush()
    return c


_seq = iter(range(1, 100000))


def ticket_received(customer, received_at, **kw):
    """A ticket whose times are given as Beijing wall times (APP_TIMEZONE), stored as UTC."""
    values = dict(channel="phone", category="hardware", severity="general", status="new",
                  title="故障", description="无法开机")
    values.update({k: clock.from_local(v) if isinstance(v, datetime) else v for k, v in kw.items()})
    received_at = clock.from_local(received_at)
    t = Ticket(number=f"T{next(_seq):06d}", customer_id=customer.id, received_at=received_at, **values)
    db.session.add(t)
    db.session.flush()
    return t
