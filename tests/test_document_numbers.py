"""Document numbers (tickets, complaints, requisitions, purchase requests, stocktakes) come from
one counter: unique and consecutive when clerks save at the same moment, carrying on after
numbers stored before the counter existed, and across the migration that brought it."""
import threading
from datetime import datetime

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from app import create_app
from app.extensions import db
from app.models import Complaint, Customer, Ticket
from app.services.numbering import KINDS, next_number
from app.services.tickets import intake
from tests.conftest import make_config, sibling_database_url
from tests.records import make_customer


def test_concurrent_intakes_get_distinct_sequential_numbers(app):
    cid = make_customer(app, with_equipment=True)
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
    cid = make_customer(app, with_equipment=True)
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


@pytest.mark.parametrize("prefix", ["TS", "LY", "CG", "PD"])
def test_clerks_saving_at_once_get_consecutive_numbers(app, prefix):
    """Six sessions ask for the next number of one kind at the same moment (max(number) + 1 gave
    several of them the same number); each commits its own unit of work."""
    got, errors, start = [], [], threading.Barrier(6)

    def save():
        try:
            with app.app_context():
                start.wait()
                number = next_number(prefix, 2026)
                db.session.commit()
                got.append(number)
        except Exception as exc:  # reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=save) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert errors == []
    width = KINDS[prefix].digits
    assert sorted(got) == [f"{prefix}-2026-{n:0{width}d}" for n in range(1, 7)]


def test_a_rolled_back_save_gives_its_number_back(app):
    with app.app_context():
        assert next_number("LY", 2027) == "LY-2027-00001"
        db.session.rollback()
        assert next_number("LY", 2027) == "LY-2027-00001"
        db.session.commit()
        assert next_number("LY", 2027) == "LY-2027-00002"
        assert next_number("LY", 2028) == "LY-2028-00001"  # a new year starts again
        db.session.rollback()


def test_the_migration_carries_numbering_on_where_it_stands(db_url, tmp_path_factory):
    """Upgrading a database numbered the old way (ticket counter rows, max + 1 elsewhere)."""
    other = create_app(make_config(sibling_database_url(tmp_path_factory, "numbers")))
    with other.app_context():
        config = other.extensions["migrate"].migrate.get_config()
        revision = next(r for r in ScriptDirectory.from_config(config).walk_revisions()
                        if r.doc.startswith("one document counter"))
        flask_migrate.upgrade(revision=revision.down_revision)
        run = lambda sql: db.session.execute(sa.text(sql))  # noqa: E731
        run("INSERT INTO ticket_counter (year, last) VALUES (2026, 17)")
        customer = Customer(code="C1", name="甲", region="华北")
        db.session.add_all([customer] + [
            Complaint(number=number, customer=customer, subject="s", content="c", received_at=datetime(2026, 3, 1))
            for number in ("TS-2026-004", "TS-2026-009", "TS-2025-030", "TS-手写")])
        db.session.commit()
        flask_migrate.upgrade()
        assert next_number("SR", 2026) == "SR-2026-000018"
        assert next_number("TS", 2026) == "TS-2026-010"
        assert next_number("TS", 2025) == "TS-2025-031"
        assert next_number("LY", 2026) == "LY-2026-00001"
        db.session.rollback()
        flask_migrate.downgrade(revision=revision.down_revision)  # the tickets' counter comes back
        assert db.session.execute(sa.text("SELECT last FROM ticket_counter WHERE year = 2026")).scalar() == 17
        db.session.remove()
        db.engine.dispose()
