"""The department's time-based rules, each idempotent (see app/sweep/__init__.py)."""
from __future__ import annotations

from datetime import UTC, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    CallbackRecord,
    CallbackStatus,
    InspectionRecord,
    InspectionStatus,
    MaintenancePlan,
    MaintenanceStatus,
    Ticket,
    ToolLoan,
)
from ..models.alerts import AlertKind
from . import Condition, Sweep, hold, rule

# How far ahead the plans create their due callbacks and inspections (the due lists show them).
CALLBACK_HORIZON_DAYS = 30
INSPECTION_HORIZON_DAYS = 14


def _counts(kind: str, raised_resolved: tuple[int, int]) -> dict[str, int]:
    raised, resolved = raised_resolved
    return {f"{kind} raised": raised, f"{kind} resolved": resolved}


def _late_clocks(ticket: Ticket, limit) -> list[str]:
    """Which of the ticket's open clocks ("respond", "resolve") end before `limit`."""
    clocks = []
    if ticket.first_response_at is None and ticket.respond_by and ticket.respond_by < limit:
        clocks.append("respond")
    if ticket.resolved_at is None and ticket.resolve_by and ticket.resolve_by < limit:
        clocks.append("resolve")
    return clocks


@rule("sla")
def sla_warnings_and_escalations(sweep: Sweep) -> dict[str, int]:
    """Due-soon warnings inside the policy's window; an escalation once a deadline is missed."""
    from ..services.sla import all_levels, due_soon_clause, overdue_clause

    now = sweep.now
    overdue, due_soon = [], []
    for ticket in db.session.scalars(sa.select(Ticket).where(overdue_clause(now))).unique():
        overdue += [Condition(f"ticket_overdue:ticket:{ticket.id}:{clock}", "ticket", ticket.id, clock)
                    for clock in _late_clocks(ticket, now)]
    levels = all_levels()
    for ticket in db.session.scalars(sa.select(Ticket).where(due_soon_clause(now))).unique():
        horizon = now + timedelta(minutes=levels[ticket.severity].warn_minutes, microseconds=1)
        due_soon += [Condition(f"ticket_due_soon:ticket:{ticket.id}:{clock}", "ticket", ticket.id, clock)
                     for clock in _late_clocks(ticket, horizon)]
    # a missed deadline stays on record: dealing with the ticket resolves it, never deletes it
    return {**_counts(AlertKind.ticket_overdue, hold(AlertKind.ticket_overdue, overdue, now)),
            **_counts(AlertKind.ticket_due_soon, hold(AlertKind.ticket_due_soon, due_soon, now))}


@rule("callbacks")
def due_callbacks(sweep: Sweep) -> dict[str, int]:
    """The callback plans' due callbacks (created ahead), and an alert once one is due."""
    from ..services.callbacks import generate_due_callbacks

    created = generate_due_callbacks(sweep.today, CALLBACK_HORIZON_DAYS)
    due = db.session.execute(sa.select(CallbackRecord.id, CallbackRecord.due_date).where(
        CallbackRecord.status == CallbackStatus.due, CallbackRecord.due_date <= sweep.today))
    conditions = [Condition(f"callback_due:callback_record:{pk}", "callback_record", pk, str(day)) for pk, day in due]
    return {"callbacks created": created,
            **_counts(AlertKind.callback_due, hold(AlertKind.callback_due, conditions, sweep.now))}


@rule("inspections")
def due_inspections(sweep: Sweep) -> dict[str, int]:
    """The inspection plans' due inspections (created ahead), and an alert once one is due."""
    from ..services.inspections import generate_due_inspections

    created = generate_due_inspections(sweep.today, INSPECTION_HORIZON_DAYS)
    due = db.session.execute(sa.select(InspectionRecord.id, InspectionRecord.due_date).where(
        InspectionRecord.status == InspectionStatus.due, InspectionRecord.due_date <= sweep.today))
    conditions = [Condition(f"inspection_due:inspection_record:{pk}", "inspection_record", pk, str(day))
                  for pk, day in due]
    return {"inspections created": created,
            **_counts(AlertKind.inspection_due, hold(AlertKind.inspection_due, conditions, sweep.now))}


@rule("maintenance")
def due_maintenance(sweep: Sweep) -> dict[str, int]:
    """Planned maintenance whose planned start has come."""
    due = db.session.execute(sa.select(MaintenancePlan.id, MaintenancePlan.planned_start).where(
        MaintenancePlan.status == MaintenanceStatus.planned, MaintenancePlan.planned_start <= sweep.today))
    conditions = [Condition(f"maintenance_due:maintenance_plan:{pk}", "maintenance_plan", pk, str(day))
                  for pk, day in due]
    return _counts(AlertKind.maintenance_due, hold(AlertKind.maintenance_due, conditions, sweep.now))


@rule("tool_loans")
def overdue_tool_loans(sweep: Sweep) -> dict[str, int]:
    """Tools not back by their due date (local today)."""
    late = db.session.execute(sa.select(ToolLoan.id, ToolLoan.due_on).where(
        ToolLoan.returned_at.is_(None), ToolLoan.due_on < sweep.today))
    conditions = [Condition(f"tool_loan_overdue:tool_loan:{pk}", "tool_loan", pk, str(day)) for pk, day in late]
    return _counts(AlertKind.tool_loan_overdue, hold(AlertKind.tool_loan_overdue, conditions, sweep.now))


@rule("reorder")
def reorder_points(sweep: Sweep) -> dict[str, int]:
    """A purchase suggestion per part at or below its reorder point, once until it is restocked."""
    from ..services.purchasing import reorder_list

    conditions = [Condition(f"reorder_point:part:{row.part.id}", "part", row.part.id,
                            f"on hand {row.on_hand}, suggested {row.suggested}") for row in reorder_list()]
    return _counts(AlertKind.reorder_point, hold(AlertKind.reorder_point, conditions, sweep.now))


@rule("job_files")
def expired_job_files(sweep: Sweep) -> dict[str, int]:
    """Finished exports and report workbooks are deleted JOB_FILE_HOURS after they were made."""

    from ..jobs import remove_expired_files

    return {"job files removed": remove_expired_files(sweep.now.replace(tzinfo=UTC).timestamp())}


@rule("notifications")
def notices(sweep: Sweep) -> dict[str, int]:
    """Tell whoever is due (app/notifications/rules.py) in the same pass, after the alerts above:
    `flask sweep`, the worker's schedule and the in-process timer all reach people this way."""
    from ..notifications.rules import sweep as notify

    return {f"{name} notified": count for name, count in notify(sweep.now).items()}
