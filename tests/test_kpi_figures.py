"""The KPI figures stored per UTC hour (app/services/kpi_figures.py) stay equal to the tickets."""
import importlib.util
import random
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import SatisfactionSurvey, Ticket, TicketStatus
from app.models.kpi_figures import TicketFiguresHour
from app.services import kpi, kpi_figures
from app.services import tickets as tickets_service
from tests.records import make_customer, make_ticket

START = datetime(2026, 10, 1)  # Beijing wall time
STATUSES = list(TicketStatus)


def stored_rows():
    rows = db.session.scalars(sa.select(TicketFiguresHour).order_by(TicketFiguresHour.hour_start)).all()
    return [{c: getattr(r, c) for c in ("hour_start", *kpi_figures.FIELDS)}
            for r in rows]


def computed_rows():
    return sorted(kpi_figures._computed(db.session, sa.true()), key=lambda r: r["hour_start"])


def assert_equal_to_the_tickets():
    stored, computed = stored_rows(), computed_rows()
    assert [r["hour_start"] for r in stored] == [r["hour_start"] for r in computed]
    for s, c in zip(stored, computed, strict=True):
        assert s == {**c, "response_minutes": pytest.approx(c["response_minutes"], abs=1e-6)}


def random_moment(rng):
    return clock.from_local(START + timedelta(minutes=rng.randrange(0, 4 * 24 * 60)))


def new_ticket(rng, cid, n):
    received = random_moment(rng)
    status = rng.choice(STATUSES)
    return Ticket(number=f"SR-F-{n}", customer_id=cid, channel="phone", category="hardware", severity="general",
                  status=status, title=f"T{n}", description="d", received_at=received,
                  respond_by=received + timedelta(hours=2), resolve_by=received + timedelta(hours=rng.choice((2, 8))),
                  reopen_count=rng.choice((0, 0, 1)),
                  first_response_at=received + timedelta(minutes=rng.randrange(1, 300)) if rng.random() < 0.7 else None,
                  resolved_at=received + timedelta(hours=rng.randrange(1, 12)) if rng.random() < 0.5 else None)


def change_something(rng, cid, n):
    tickets = db.session.scalars(sa.select(Ticket).where(Ticket.number.like("SR-F-%"))).all()
    kind = rng.choice(("add", "add", "add", "add", "status", "response", "resolve", "reopen", "move", "survey", "rescore",
                       "unsurvey", "delete", "title"))
    if kind == "add" or not tickets:
        db.session.add(new_ticket(rng, cid, n))
        return
    t = rng.choice(tickets)
    if kind == "status":
        t.status = rng.choice(STATUSES)
    elif kind == "response":
        t.first_response_at = None if t.first_response_at else t.received_at + timedelta(minutes=rng.randrange(1, 90))
    elif kind == "resolve":
        t.resolved_at = None if t.resolved_at else t.received_at + timedelta(hours=rng.randrange(1, 12))
    elif kind == "reopen":
        t.reopen_count += 1
    elif kind == "move":  # both its old and its new hour change
        t.received_at = random_moment(rng)
    elif kind == "survey" and t.survey is None:
        db.session.add(SatisfactionSurvey(ticket=t, timeliness=rng.randint(1, 5), effectiveness=rng.randint(1, 5),
                                          attitude=rng.randint(1, 5)))
    elif kind == "rescore" and t.survey is not None:
        t.survey.timeliness = rng.randint(1, 5)
    elif kind == "unsurvey" and t.survey is not None:
        db.session.delete(t.survey)
    elif kind == "delete":
        if t.survey is not None:
            db.session.delete(t.survey)
        db.session.delete(t)
    else:
        t.title = f"changed {n}"  # a column the figures do not read


def random_changes(app, seed, count, rolled_back=0.0, check_every=0):
    """`count` random changes, each committed (or, a share of them, rolled back); returns the customer."""
    cid = make_customer(app)
    rng = random.Random(seed)
    with app.app_context():
        for n in range(count):
            change_something(rng, cid, n)
            if rng.random() < rolled_back:
                db.session.rollback()
            else:
                db.session.commit()
            if check_every and n % check_every == check_every - 1:
                assert_equal_to_the_tickets()
    return cid


def test_random_changes_keep_every_hour_equal_to_its_tickets(app):
    random_changes(app, 20261207, 160, rolled_back=0.15, check_every=20)  # a rollback writes nothing
    with app.app_context():
        assert_equal_to_the_tickets()
        assert len(stored_rows()) > 20
        now = clock.from_local(START + timedelta(days=2))
        for first, last in ((date(2026, 10, 1), date(2026, 10, 4)), (date(2026, 10, 2), date(2026, 10, 2)),
                            (date(2026, 9, 1), date(2026, 12, 31))):
            lo, hi = clock.local_day_bounds(first, last)
            stored = kpi.period_figures(lo, hi, now)
            live = kpi.period_figures(lo, hi, now, live=True)
            assert stored == {**live, "response_minutes": pytest.approx(live["response_minutes"], abs=1e-6)}


def test_a_move_through_the_service_counts_at_once(app, client, api):
    """The lifecycle's guarded status update (a bulk UPDATE) is counted in the same commit."""
    cid = make_customer(app)
    pk = make_ticket(app, cid, 1, status=TicketStatus.new)
    today = clock.today_local().isoformat()
    summary = client.get(f"/api/v1/kpi/summary?from={today}&to={today}", headers=api("manager")).json
    assert summary["tickets"] == 1 and summary["closed"] == 0
    with app.app_context():
        ticket = db.session.get(Ticket, pk)
        ticket.status = TicketStatus.awaiting_confirmation
        db.session.commit()
        tickets_service.transition(db.session.get(Ticket, pk), "closed", _manager())
        db.session.commit()
        assert_equal_to_the_tickets()
    summary = client.get(f"/api/v1/kpi/summary?from={today}&to={today}", headers=api("manager")).json
    assert summary["closed"] == 1 and summary["success_rate"] == 1.0


def _manager():
    from flask_appbuilder.security.sqla.models import User
    return db.session.scalar(sa.select(User).where(User.username == "manager"))


def test_a_period_not_made_of_whole_hours_is_read_from_the_tickets(app):
    cid = make_customer(app)
    make_ticket(app, cid, 1)
    with app.app_context():
        lo = clock.now_utc().replace(minute=30, second=0, microsecond=0) - timedelta(hours=2)
        assert kpi_figures.stored(db.session, lo, lo + timedelta(hours=5)) is None
        assert kpi.period_figures(lo, lo + timedelta(hours=5), clock.now_utc())["tickets"] == 1


def test_the_migration_fills_the_hours_the_app_would_store(app):
    random_changes(app, 7, 40)
    with app.app_context():
        expected = stored_rows()
        db.session.execute(sa.delete(TicketFiguresHour))
        path = Path(__file__).parents[1] / "migrations/versions/0021_kpi_figures_per_hour.py"
        spec = importlib.util.spec_from_file_location("revision_0021", path)
        revision = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(revision)
        db.session.execute(sa.text(revision.fill_sql(db.engine.dialect.name)))
        filled = stored_rows()
        assert [r["hour_start"] for r in filled] == [r["hour_start"] for r in expected]
        for f, e in zip(filled, expected, strict=True):
            assert f == {**e, "response_minutes": pytest.approx(e["response_minutes"], abs=1e-6)}
        assert kpi_figures.rebuild() == len(expected)
        assert_equal_to_the_tickets()
        db.session.rollback()


def test_two_clerks_saving_tickets_of_one_hour_at_once_are_both_counted(app):
    """PostgreSQL: each takes the hour in turn, so the second counts the first's committed ticket."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has one writer at a time")
    cid = make_customer(app)
    moment = clock.now_utc().replace(minute=10)
    barrier, errors = threading.Barrier(4), []

    def clerk(i):
        with app.app_context():
            try:
                barrier.wait()
                for k in range(5):
                    db.session.add(Ticket(number=f"SR-C-{i}-{k}", customer_id=cid, channel="phone",
                                          category="hardware", severity="general", status="new", title="t",
                                          description="d", received_at=moment + timedelta(seconds=i * 10 + k)))
                    db.session.commit()
            except Exception as exc:  # failed below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    with app.app_context():
        row = db.session.get(TicketFiguresHour, kpi_figures.hour_of(moment))
        assert row.tickets == 20
        assert_equal_to_the_tickets()


def test_the_rebuild_command_puts_back_hours_written_outside_the_app(app):
    cid = make_customer(app)
    make_ticket(app, cid, 1)
    with app.app_context():
        db.session.execute(sa.delete(TicketFiguresHour))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["rebuild-kpi-figures"])
    assert result.exit_code == 0 and "hours stored: 1" in result.output
    with app.app_context():
        assert_equal_to_the_tickets()
        assert stored_rows()[0]["tickets"] == 1


def test_a_change_to_a_record_expired_by_the_last_commit_counts(app):
    """After a commit nothing of a ticket or survey is loaded: setting one column alone still finds its hour."""
    cid = make_customer(app)
    pk = make_ticket(app, cid, 1, status=TicketStatus.new)
    with app.app_context():
        ticket = db.session.get(Ticket, pk)
        survey = SatisfactionSurvey(ticket=ticket, timeliness=5, effectiveness=5, attitude=5)
        db.session.add(survey)
        db.session.commit()  # expires both
        ticket.status = TicketStatus.cancelled
        db.session.commit()
        assert stored_rows()[0]["closed"] == 0 and stored_rows()[0]["satisfied"] == 1
        survey.attitude = 1
        db.session.commit()
        assert stored_rows()[0]["satisfied"] == 0
        ticket.status = TicketStatus.closed
        db.session.commit()
        assert stored_rows()[0]["closed"] == 1
        assert_equal_to_the_tickets()
