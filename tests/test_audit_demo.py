"""The demo seed replays its work as the demo logins: the audit trail shows who did what, and when."""
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditLog
from app.models.base import utcnow

RECORD_ACTIONS = ("insert", "update", "delete")


def test_audit_trail_shows_a_day_of_demo_work(demo):
    with demo.app_context():
        now = utcnow()
        day = db.session.execute(
            sa.select(AuditLog.username, AuditLog.at, AuditLog.table_name)
            .where(AuditLog.action.in_(RECORD_ACTIONS), AuditLog.at >= now - timedelta(days=1),
                   AuditLog.table_name.in_(("ticket", "ticket_event", "repair_record", "solution_plan")))
        ).all()
        stock = db.session.execute(
            sa.select(AuditLog.username, AuditLog.at, AuditLog.table_name)
            .where(AuditLog.action.in_(RECORD_ACTIONS),
                   AuditLog.table_name.in_(("stock_movement", "requisition", "purchase_request")))
        ).all()
    # the last day's tickets: received by the CS rep, assigned by the manager, worked by engineers
    by_login = {row.username for row in day}
    assert {"cs", "manager"} <= by_login, by_login
    assert by_login & {"tech", "field1", "field2"}, by_login
    times = sorted(row.at for row in day if row.username)
    assert times[-1] - times[0] >= timedelta(hours=8), (times[0], times[-1])
    assert all(at <= now for at in times)
    # stock: postings by the keeper on their days of the demo year, slips asked by the field engineers
    keeper = [row.at for row in stock if row.username == "keeper" and row.table_name == "stock_movement"]
    assert keeper and min(keeper) <= now - timedelta(days=300), "postings should carry their own dates"
    askers = {row.username for row in stock if row.table_name == "requisition"}
    assert {"field1", "field2"} & askers and "keeper" in askers, askers
