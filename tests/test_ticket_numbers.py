"""Ticket numbers stay unique when intakes run at the same time."""
import threading
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import Ticket
from app.services.tickets import intake
from tests.ticket_helpers import make_customer


def test_concurrent_intakes_get_distinct_sequential_numbers(app):
    cid = make_customer(app)
    received = datetime(2026, 3, 1, 9, 0)
    errors, start = [], threading.Barrier(6)

    def take_call(n):
        try:
            with app.app_context():
                t = Ticket(customer_id=cid, channel="phone", category="hardware", severity="general",
                           title=f"并发{n}", description="d", received_at=received)
                start.wait()
                intake(t, None, now=received)
                db.session.add(t)
                db.session.commit()
        except Exception as exc:  # reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=take_call, args=(n,)) for n in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert errors == []
    with app.app_context():
        numbers = sorted(db.session.scalars(sa.select(Ticket.number)))
    assert numbers == [f"SR-2026-{n:06d}" for n in range(1, 7)]


def test_numbering_continues_after_existing_tickets_without_a_counter(app):
    """A database whose tickets predate the counter row continues after the highest number."""
    cid = make_customer(app)
    with app.app_context():
        db.session.add(Ticket(number="SR-2025-000041", customer_id=cid, channel="phone", category="hardware",
                              severity="general", title="旧", description="d", received_at=datetime(2025, 5, 1)))
        db.session.commit()
        t = Ticket(customer_id=cid, channel="phone", category="hardware", severity="general",
                   title="新", description="d", received_at=datetime(2025, 6, 1))
        intake(t, None, now=datetime(2025, 6, 1))
        db.session.add(t)
        db.session.commit()
        assert t.number == "SR-2025-000042"
