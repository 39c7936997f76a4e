"""Inspection rules: due dates from a plan's cycle, generation, checklist copy, completion, tickets."""
from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..models.base import DomainError
from ..models.inspections import (
    Cycle,
    InspectionItemResult,
    InspectionPlan,
    InspectionRecord,
    InspectionStatus,
    ItemResult,
    inspection_engineer,
)
from ..models.system_text import SystemText
from ..models.tickets import Category, Channel, Severity, Ticket
from . import ticket_links

# a plan started long ago does not flood the list: at most this much overdue backlog is generated
BACKLOG_DAYS = 31
TITLE_TEXT = 120  # of the finding, in the ticket's title (200 characters, stored with its message code)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_dates(plan: InspectionPlan, until: date) -> Iterator[date]:
    """Every due date of a plan from its first inspection up to `until` (and its end)."""
    if plan.cycle == Cycle.days and (not plan.cycle_days or plan.cycle_days <= 0):
        raise DomainError({"cycle_days": _("The cycle must be at least 1 day.")})
    last = min(until, plan.end_date) if plan.end_date else until
    n, due = 0, plan.start_date
    while due <= last:
        yield due
        n += 1
        due = (plan.start_date + timedelta(days=(plan.cycle_days or 0) * n) if plan.cycle == Cycle.days
               else add_months(plan.start_date, (plan.cycle.months or 0) * n))


def fill_checklist(record: InspectionRecord) -> None:
    """Copy the plan's checklist template into a record that has no items yet."""
    if record.results or record.plan is None:
        return
    for item in record.plan.items:
        record.results.append(InspectionItemResult(position=item.position, text=item.text))


def new_record(plan: InspectionPlan, due: date) -> InspectionRecord:
    """A due inspection of a plan, with the plan's checklist."""
    record = InspectionRecord(
        plan=plan, customer_id=plan.customer_id, site=plan.site, equipment_id=plan.equipment_id,
        phase=plan.phase, due_date=due, status=InspectionStatus.due, engineer_id=plan.engineer_id,
    )
    fill_checklist(record)
    return record


def generate_due_inspections(today: date | None = None, horizon_days: int = 14) -> int:
    """Create the inspections of active plans due up to today + horizon; idempotent. Returns how many."""
    today = today or clock.today_local()
    until, since = today + timedelta(days=horizon_days), today - timedelta(days=BACKLOG_DAYS)
    plans = db.session.scalars(
        sa.select(InspectionPlan).where(InspectionPlan.active.is_(True), InspectionPlan.start_date <= until)
    ).unique().all()
    if not plans:
        return 0
    existing = set(db.session.execute(
        sa.select(InspectionRecord.plan_id, InspectionRecord.due_date).where(
            InspectionRecord.plan_id.in_([p.id for p in plans]), InspectionRecord.due_date >= since
        )
    ).tuples())
    created = 0
    for plan in plans:
        for due in plan_dates(plan, until):
            if due < since or (plan.id, due) in existing:
                continue
            db.session.add(new_record(plan, due))
            existing.add((plan.id, due))
            created += 1
    db.session.flush()
    return created


def check_plan(values: Any, pk: int | None = None) -> dict[str, str]:
    """A plan's equipment is the plan's customer's (form values or the API's loaded item)."""
    equipment, customer = getattr(values, "equipment", None), getattr(values, "customer", None)
    if equipment is not None and customer is not None and equipment.customer_id != customer.id:
        return {"equipment": _("The equipment belongs to another customer.")}
    return {}


def check_record(values: Any, pk: int | None = None) -> dict[str, str]:
    """Rules needing the database: the plan's customer, one record per plan and due date, done = all checked."""
    errors = {}
    plan = getattr(values, "plan", None)
    customer = getattr(values, "customer", None)
    if plan is not None and customer is not None and plan.customer_id != customer.id:
        errors["plan"] = _("The plan belongs to another customer.")
    due = getattr(values, "due_date", None)
    if plan is not None and due is not None:
        clash = sa.select(InspectionRecord.id).where(
            InspectionRecord.plan_id == plan.id, InspectionRecord.due_date == due)
        if pk is not None:
            clash = clash.where(InspectionRecord.id != int(pk))
        if db.session.scalar(clash):
            errors["due_date"] = _("This plan already has an inspection due on that date.")
    if pk is not None and str(getattr(values, "status", "") or "") == InspectionStatus.done:
        pending = db.session.scalar(sa.select(sa.func.count()).where(
            InspectionItemResult.record_id == int(pk), InspectionItemResult.result == ItemResult.pending))
        if pending:
            errors["status"] = _("%(n)d checklist items are not checked yet.", n=pending)
    return errors


def open_ticket_for_item(item: InspectionItemResult, staff_id: int | None = None,
                         at: datetime | None = None) -> Ticket:
    """An abnormal checklist item becomes a ticket in one step (once)."""
    if item.result != ItemResult.abnormal:
        raise DomainError({"result": _("Only an abnormal item opens a ticket.")}, status=409)
    if item.ticket_id:
        raise DomainError(_("This item already opened ticket %(n)s.", n=item.ticket.number), status=409)
    record = item.record
    ticket = ticket_links.open_ticket(
        customer_id=record.customer_id, equipment_id=record.equipment_id,
        title=SystemText("ticket.inspection_finding", text=item.text[:TITLE_TEXT]),
        description="\n".join(t for t in (item.note, record.hidden_dangers) if t) or item.text,
        channel=Channel.onsite, category=Category.hardware, severity=Severity.general,
        received_by_id=staff_id, place=record.site, at=at,
    )
    item.ticket_id = ticket.id
    return ticket


def mine(model: Any, my_ids: Any) -> sa.ColumnElement[bool]:
    """Own-rows condition: the lead engineer, or one of the other engineers of the inspection."""
    if model is InspectionItemResult:
        return model.record_id.in_(sa.select(InspectionRecord.id).where(mine(InspectionRecord, my_ids)))
    return sa.or_(
        model.engineer_id.in_(my_ids),
        model.id.in_(sa.select(inspection_engineer.c.inspection_id).where(
            inspection_engineer.c.staff_id.in_(my_ids))),
    )
