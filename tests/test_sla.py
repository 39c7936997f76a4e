"""Service levels: 24x7 deadlines, overdue / due-soon edges, the policy table, escalation."""
from datetime import datetime, timedelta

import pytest

from app import clock
from app.extensions import db
from app.models import SlaPolicy, Ticket
from app.models.base import utcnow
from app.services import sla
from tests.records import make_customer
from tests.ticket_helpers import new_ticket

FRIDAY_NIGHT = datetime(2026, 11, 20, 23, 50)   # a Friday, 23:50
NEW_YEAR_EVE = datetime(2026, 12, 31, 22, 30)   # over a holiday and a year change


@pytest.mark.parametrize("received,severity,respond,resolve", [
    (FRIDAY_NIGHT, "general", datetime(2026, 11, 21, 1, 50), datetime(2026, 11, 21, 3, 50)),
    (NEW_YEAR_EVE, "general", datetime(2027, 1, 1, 0, 30), datetime(2027, 1, 1, 2, 30)),
    (FRIDAY_NIGHT, "important", datetime(2026, 11, 21, 0, 50), datetime(2026, 11, 21, 7, 50)),
    (FRIDAY_NIGHT, "emergency", datetime(2026, 11, 21, 0, 20), datetime(2026, 11, 21, 3, 50)),
])
def test_deadlines_run_24x7_over_nights_weekends_and_holidays(app, received, severity, respond, resolve):
    pk = new_ticket(app, make_customer(app, with_equipment=True), received_at=received, severity=severity)
    with app.app_context():
        t = db.session.get(Ticket, pk)
        assert (t.respond_by, t.resolve_by) == (respond, resolve)
        # the number carries the department's (local) year: 22:30 UTC on 31 Dec is 2027 in Beijing
        assert t.number == f"SR-{clock.to_local(received).year}-000001"
        assert t.notify_by == received + timedelta(minutes=sla.DEFAULT_LEVELS[t.severity].notify_minutes)


def test_manager_policy_applies_to_new_tickets_only(app, client, api):
    cid = make_customer(app, with_equipment=True)
    old = new_ticket(app, cid, received_at=FRIDAY_NIGHT)
    resp = client.post("/api/v1/sla_policy/", json={
        "severity": "general", "notify_minutes": 10, "respond_minutes": 60, "resolve_minutes": 180,
        "warn_minutes": 20}, headers=api("manager"))
    assert resp.status_code == 201, resp.json
    new = new_ticket(app, cid, received_at=FRIDAY_NIGHT)
    with app.app_context():
        assert db.session.get(Ticket, old).resolve_by == FRIDAY_NIGHT + timedelta(hours=4)
        assert db.session.get(Ticket, new).resolve_by == FRIDAY_NIGHT + timedelta(hours=3)


def test_policy_bad_input_and_who_may_edit(app, client, api):
    bad = {"severity": "general", "notify_minutes": 15, "respond_minutes": 120, "resolve_minutes": 60,
           "warn_minutes": 10}
    resp = client.post("/api/v1/sla_policy/", json=bad, headers=api("manager"))
    assert resp.status_code == 422 and "resolve_minutes" in resp.json["message"]
    resp = client.post("/api/v1/sla_policy/", json={**bad, "resolve_minutes": 240, "notify_minutes": 0},
                       headers=api("manager"))
    assert resp.status_code == 422 and "notify_minutes" in resp.json["message"]
    resp = client.post("/api/v1/sla_policy/", json={**bad, "resolve_minutes": 240, "severity": "urgent"},
                       headers=api("manager"))
    assert resp.status_code == 422
    good = {**bad, "resolve_minutes": 240}
    assert client.post("/api/v1/sla_policy/", json=good, headers=api("cs")).status_code == 403
    assert client.post("/api/v1/sla_policy/", json=good, headers=api("tech")).status_code == 403
    assert client.post("/api/v1/sla_policy/", json=good, headers=api("manager")).status_code == 201
    assert client.post("/api/v1/sla_policy/", json=good, headers=api("manager")).status_code == 409
    with app.app_context():
        assert db.session.query(SlaPolicy).count() == 1


def _flags(app, pk, now):
    with app.app_context():
        t = db.session.get(Ticket, pk)
        def in_sql(clause):
            return db.session.query(Ticket.id).filter(clause).all() == [(pk,)]
        return (sla.is_overdue(t, now), sla.is_due_soon(t, now),
                in_sql(sla.overdue_clause(now)), in_sql(sla.due_soon_clause(now)))


def test_overdue_and_due_soon_edges(app):
    t0 = datetime(2026, 11, 21, 9, 0)  # general: respond by 11:00, resolve by 13:00, warn 60 min
    pk = new_ticket(app, make_customer(app, with_equipment=True), received_at=t0)
    assert _flags(app, pk, t0 + timedelta(minutes=59)) == (False, False, False, False)
    assert _flags(app, pk, t0 + timedelta(minutes=60)) == (False, True, False, True)   # 60 min before respond_by
    assert _flags(app, pk, t0 + timedelta(hours=2)) == (False, True, False, True)      # at the deadline: still on time
    assert _flags(app, pk, t0 + timedelta(hours=2, seconds=1)) == (True, False, True, False)
    with app.app_context():  # responded in time: then only the resolution clock counts
        db.session.get(Ticket, pk).first_response_at = t0 + timedelta(minutes=30)
        db.session.commit()
    assert _flags(app, pk, t0 + timedelta(hours=2, seconds=1)) == (False, False, False, False)
    assert _flags(app, pk, t0 + timedelta(hours=3)) == (False, True, False, True)
    assert _flags(app, pk, t0 + timedelta(hours=4, minutes=1)) == (True, False, True, False)
    with app.app_context():  # resolved (awaiting confirmation): no clock runs any more
        t = db.session.get(Ticket, pk)
        t.resolved_at, t.status = t0 + timedelta(hours=5), "awaiting_confirmation"
        db.session.commit()
    assert _flags(app, pk, t0 + timedelta(hours=6)) == (False, False, False, False)


def test_closed_and_cancelled_tickets_are_never_overdue(app):
    t0 = utcnow() - timedelta(days=2)
    pk = new_ticket(app, make_customer(app, with_equipment=True), received_at=t0)
    with app.app_context():
        db.session.get(Ticket, pk).status = "cancelled"
        db.session.commit()
    assert _flags(app, pk, utcnow()) == (False, False, False, False)


def test_warning_window_comes_from_the_policy(app):
    t0 = datetime(2026, 11, 21, 9, 0)
    with app.app_context():
        db.session.add(SlaPolicy(severity="general", notify_minutes=15, respond_minutes=120,
                                 resolve_minutes=240, warn_minutes=10))
        db.session.commit()
    pk = new_ticket(app, make_customer(app, with_equipment=True), received_at=t0)
    assert _flags(app, pk, t0 + timedelta(minutes=100))[1] is False
    assert _flags(app, pk, t0 + timedelta(minutes=110))[1] is True


def test_escalation_list_shows_overdue_tickets_to_the_manager(app, client, api, as_user, staff):
    cid = make_customer(app, with_equipment=True)
    late = new_ticket(app, cid, received_at=utcnow() - timedelta(hours=5), title="超时工单")
    new_ticket(app, cid, title="正常工单")
    with app.app_context():
        assert [t.id for t in sla.escalation_list()] == [late]
    page = as_user("manager").get("/escalationview/list/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "超时工单" in html and "正常工单" not in html and "Overdue" in html
    client.get("/logout/")
    assert as_user("cs").get("/escalationview/list/").status_code == 403


def test_migration_inserts_the_documented_defaults(tmp_path):
    import flask_migrate

    from app import create_app
    from tests.conftest import make_config

    other = create_app(make_config(f"sqlite:///{tmp_path}/sla.db"))
    with other.app_context():
        flask_migrate.upgrade()
        rows = {p.severity: sla.Levels(p.notify_minutes, p.respond_minutes, p.resolve_minutes, p.warn_minutes)
                for p in db.session.query(SlaPolicy)}
    assert rows == sla.DEFAULT_LEVELS
