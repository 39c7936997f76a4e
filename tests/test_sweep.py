"""`flask sweep`: every time-based rule, once per condition however often it runs."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.clock import frozen
from app.extensions import db
from app.models import MaintenancePlan, MaintenanceStatus, StockBalance, Ticket, TicketStatus, Tool, ToolLoan
from app.models.alerts import Alert
from app.models.maintenance import MaintenanceKind
from app.models.tools import ToolKind
from app.sweep import run_sweep
from tests.parts_helpers import make_part, make_warehouse
from tests.records import make_customer, make_ticket

# 2026-03-02 10:00 UTC = 18:00 in Shanghai
NOW = datetime(2026, 3, 2, 10, 0)


def _department(app, staff) -> dict:
    """One of everything the sweep looks at, as of NOW."""
    customer = make_customer(app)
    tickets = [make_ticket(app, customer, n, status=status) for n, status in (
        (1, TicketStatus.assigned), (2, TicketStatus.in_progress), (3, TicketStatus.assigned))]
    ids = {}
    with app.app_context():
        late, soon, ok = (db.session.get(Ticket, pk) for pk in tickets)
        late.received_at = NOW - timedelta(hours=5)
        late.respond_by, late.resolve_by = NOW - timedelta(hours=3), NOW - timedelta(hours=1)
        soon.received_at, soon.first_response_at = NOW - timedelta(hours=3), NOW - timedelta(hours=2)
        soon.respond_by, soon.resolve_by = NOW - timedelta(hours=1), NOW + timedelta(minutes=20)
        ok.respond_by, ok.resolve_by = NOW + timedelta(hours=2), NOW + timedelta(hours=4)
        tool = Tool(code="TL-1", name="光谱仪", kind=ToolKind.instrument, serial_number="SP-1")
        db.session.add(tool)
        db.session.flush()
        loan = ToolLoan(tool_id=tool.id, borrower_id=staff["field1"], due_on=date(2026, 3, 1),
                        lent_at=NOW - timedelta(days=5))
        plan = MaintenancePlan(title="年度维护", kind=MaintenanceKind.hardware, content="清洁",
                               planned_start=date(2026, 3, 2), planned_end=date(2026, 3, 5))
        db.session.add_all([loan, plan])
        db.session.commit()
        ids.update(late=late.id, soon=soon.id, ok=ok.id, loan=loan.id, plan=plan.id)
    with app.app_context():
        ids["part"] = make_part(1, reorder_point=3, reorder_qty=5)
        ids["warehouse"] = make_warehouse(1)
    return ids


def _alerts(app) -> list[tuple]:
    with app.app_context():
        return sorted(db.session.execute(sa.select(
            Alert.kind, Alert.key, Alert.record, Alert.record_id, Alert.detail, Alert.raised_at,
            Alert.resolved_at)).tuples())


def test_sweep_raises_each_condition_once(app, staff):
    ids = _department(app, staff)
    with app.app_context(), frozen(NOW):
        first = run_sweep()
    once = _alerts(app)
    keys = {key for _, key, *_ in once}
    assert keys == {
        f"ticket_overdue:ticket:{ids['late']}:respond", f"ticket_overdue:ticket:{ids['late']}:resolve",
        f"ticket_due_soon:ticket:{ids['soon']}:resolve",
        f"tool_loan_overdue:tool_loan:{ids['loan']}",
        f"maintenance_due:maintenance_plan:{ids['plan']}",
        f"reorder_point:part:{ids['part']}",
    }
    assert first["sla"]["ticket_overdue raised"] == 2
    with app.app_context(), frozen(NOW + timedelta(seconds=30)):
        second = run_sweep()
    assert _alerts(app) == once  # twice = once
    assert all(v == 0 for counts in second.values() for k, v in counts.items() if "raised" in k)


def test_conditions_that_end_are_resolved_and_a_new_one_raises_again(app, staff):
    ids = _department(app, staff)
    with app.app_context(), frozen(NOW):
        run_sweep()
    with app.app_context():
        db.session.get(ToolLoan, ids["loan"]).returned_at = NOW + timedelta(hours=1)
        plan = db.session.get(MaintenancePlan, ids["plan"])
        plan.status, plan.completed_on = MaintenanceStatus.completed, date(2026, 3, 2)
        db.session.add(StockBalance(part_id=ids["part"], warehouse_id=ids["warehouse"], qty=10,
                                    value=Decimal("100.00")))
        db.session.commit()
    with app.app_context(), frozen(NOW + timedelta(hours=2)):
        report = run_sweep()
    assert report["tool_loans"]["tool_loan_overdue resolved"] == 1
    assert report["reorder"]["reorder_point resolved"] == 1
    # the due-soon ticket is overdue by now: warning resolved, escalation raised
    assert report["sla"]["ticket_due_soon resolved"] == 1
    with app.app_context():
        open_keys = set(db.session.scalars(sa.select(Alert.key).where(Alert.resolved_at.is_(None))))
        assert f"ticket_overdue:ticket:{ids['soon']}:resolve" in open_keys
        assert f"reorder_point:part:{ids['part']}" not in open_keys
        # the part runs low again: a new suggestion, the old one kept as history
        db.session.execute(sa.update(StockBalance).values(qty=1, value=Decimal("10.00")))
        db.session.commit()
    with app.app_context(), frozen(NOW + timedelta(hours=3)):
        assert run_sweep(["reorder"])["reorder"]["reorder_point raised"] == 1
    with app.app_context():
        rows = db.session.execute(sa.select(Alert.key, Alert.resolved_at).where(
            Alert.kind == "reorder_point")).all()
        assert len(rows) == 2 and sum(r.resolved_at is None for r in rows) == 1


def test_sweep_uses_the_local_day(app, staff):
    """A loan due on 1 March is overdue from local midnight (16:00 UTC on the 1st), not UTC's."""
    ids = _department(app, staff)
    with app.app_context(), frozen(datetime(2026, 3, 1, 15, 59)):
        assert run_sweep(["tool_loans"])["tool_loans"]["tool_loan_overdue raised"] == 0
    with app.app_context(), frozen(datetime(2026, 3, 1, 16, 0)):
        assert run_sweep(["tool_loans"])["tool_loans"]["tool_loan_overdue raised"] == 1
    assert ids


def test_a_failing_rule_does_not_stop_the_others(app, staff, monkeypatch):
    from app import sweep

    ids = _department(app, staff)

    def broken(_sweep):
        raise RuntimeError("rule broken on purpose")

    monkeypatch.setitem(sweep.RULES, "sla", broken)
    with app.app_context(), frozen(NOW):
        report = run_sweep()
    assert report["sla"].startswith("failed")
    assert report["tool_loans"]["tool_loan_overdue raised"] == 1
    assert ids


def test_flask_sweep_command_twice(app, staff):
    _department(app, staff)
    runner = app.test_cli_runner()
    with frozen(NOW):
        first = runner.invoke(args=["sweep"])
        assert first.exit_code == 0, first.output
        assert "ticket_overdue raised 2" in first.output
        once = _alerts(app)
        second = runner.invoke(args=["sweep"])
    assert second.exit_code == 0 and "ticket_overdue raised 0" in second.output
    assert _alerts(app) == once
    bad = runner.invoke(args=["sweep", "--rule", "nonsense"])
    assert bad.exit_code != 0 and "unknown rule" in bad.output


def test_the_sweep_tells_people_once(app, staff):
    """`flask sweep` (and the worker's schedule) notifies whoever is due, once however often it runs."""
    from app.models.notifications import Notification

    ids = _department(app, staff)
    with app.app_context(), frozen(NOW):
        first = run_sweep()
    assert first["notifications"]["ticket_deadlines notified"] >= 1
    with app.app_context():
        kinds = dict(db.session.execute(sa.select(Notification.kind, sa.func.count()).group_by(Notification.kind)).all())
        on_late = db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
            Notification.kind == "ticket_overdue", Notification.record_id == ids["late"]))
    assert kinds.get("ticket_overdue") and kinds.get("tool_loan_overdue") and kinds.get("reorder_point"), kinds
    assert all(v >= 0 for v in first["notifications"].values()), first["notifications"]  # no rule failed
    assert on_late >= 1
    with app.app_context(), frozen(NOW + timedelta(seconds=30)):
        second = run_sweep()
    assert all(v == 0 for v in second["notifications"].values()), second["notifications"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == sum(kinds.values())
