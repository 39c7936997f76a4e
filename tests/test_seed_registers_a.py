"""`flask seed-demo` fills every register of part A with a year of records, idempotently."""
from datetime import date, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    CallbackPlan, CallbackRecord, Complaint, ComplaintProgress, InspectionItemResult, InspectionPlan,
    InspectionRecord, MaintenancePlan, MaintenanceRecord, Ticket, UpgradeRequest,
)
from app.services import callbacks, complaints, maintenance

MODELS = (CallbackPlan, CallbackRecord, Complaint, ComplaintProgress, InspectionPlan, InspectionRecord,
          InspectionItemResult, MaintenancePlan, MaintenanceRecord, UpgradeRequest, Ticket)


def counts(app):
    with app.app_context():
        return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in MODELS}


def test_seed_fills_the_registers_once(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_PASSWORD", "demo-password-for-tests")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = counts(app)
    assert all(first[name] > 0 for name in first), first
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts(app) == first
    today = date.today()
    with app.app_context():
        year_ago = today - timedelta(days=365)
        assert 0 < complaints.complaint_satisfaction(year_ago, today) <= 1
        assert 0 < maintenance.maintenance_completion_rate(year_ago, today) < 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Complaint).where(complaints.overdue_clause()))
        statuses = set(db.session.scalars(sa.select(UpgradeRequest.status)))
        assert {"submitted", "evaluated", "approved", "rejected", "implemented"} <= statuses
        for model in (CallbackRecord, Complaint, InspectionRecord, MaintenancePlan, InspectionPlan):
            for row in db.session.scalars(sa.select(model)).unique():
                assert row.validation_errors() == {}, (model.__name__, row.id)
        first_due = min(db.session.scalars(sa.select(InspectionRecord.due_date)))
        assert first_due <= year_ago + timedelta(days=45)
        assert callbacks.due_list()["callbacks"]
        assert callbacks.generate_due_callbacks() == 0  # the seed already generated them
