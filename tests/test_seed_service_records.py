"""`flask seed-demo` fills the service records (inspections, maintenance, upgrades, callbacks, complaints) with a year of records, idempotently."""
from datetime import timedelta

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import (
    CallbackPlan,
    CallbackRecord,
    Complaint,
    ComplaintProgress,
    InspectionItemResult,
    InspectionPlan,
    InspectionRecord,
    MaintenancePlan,
    MaintenanceRecord,
    Ticket,
    UpgradeRequest,
)
from app.services import callbacks, complaints, maintenance

MODELS = (CallbackPlan, CallbackRecord, Complaint, ComplaintProgress, InspectionPlan, InspectionRecord,
          InspectionItemResult, MaintenancePlan, MaintenanceRecord, UpgradeRequest, Ticket)


def counts(app):
    with app.app_context():
        return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in MODELS}


def test_seed_fills_the_registers_once(demo):
    first = counts(demo)
    assert all(first[name] > 0 for name in first), first
    assert demo.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert counts(demo) == first
    today = clock.today_local()
    with demo.app_context():
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


def test_generate_due_command_is_idempotent(app):
    from datetime import datetime

    from app.models import Customer, Cycle, InspectionPlan, Phase

    with app.app_context():
        c = Customer(code="C1", name="客户", region="东城镇", importance="key")
        db.session.add(c)
        db.session.flush()
        db.session.add(CallbackPlan(customer_id=c.id, year=2026, target="主任", method="phone", content="回访",
                                    frequency_per_year=12))
        db.session.add(InspectionPlan(customer_id=c.id, site="机房", cycle=Cycle.monthly, phase=Phase.early,
                                      start_date=datetime(2026, 1, 5).date()))
        db.session.commit()
    runner = app.test_cli_runner()
    out = runner.invoke(args=["generate-due", "--on", "2026-03-20"]).output
    # callbacks: Jan, Feb, Mar month ends (up to Apr 19); inspections: Mar 5 (Jan 5, Feb 5 before the backlog window)
    assert "Due callbacks created: 3; due inspections created: 1." in out, out
    again = runner.invoke(args=["generate-due", "--on", "2026-03-20"]).output
    assert "Due callbacks created: 0; due inspections created: 0." in again
