"""Callback rules: plan frequency, generation of due callbacks, the CS rep's due list, tickets."""
from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..models.base import DomainError
from ..models.callbacks import CallbackMethod, CallbackPlan, CallbackRecord, CallbackStatus
from ..models.customers import Customer, Importance
from ..models.inspections import InspectionRecord, InspectionStatus
from ..models.staff import Staff
from ..models.system_text import SystemText
from ..models.ticket_work import SatisfactionSurvey
from ..models.tickets import Category, Channel, Ticket, TicketStatus
from . import ticket_links

# 001 §二(一)2: key customers and important projects are called back more often.
SUGGESTED_FREQUENCY = {Importance.key: 12, Importance.important: 4, Importance.normal: 2}
# closed tickets / done inspections older than this no longer ask for a callback
SOURCE_WINDOW_DAYS = 60


def suggested_frequency(importance: Importance | str | None) -> int:
    """Callbacks per year suggested for a customer of this importance."""
    return SUGGESTED_FREQUENCY.get(Importance(importance) if importance else Importance.normal, 2)


def prepare_plan(plan: CallbackPlan) -> None:
    """Fill the frequency from the customer's importance when it was left empty."""
    if plan.frequency_per_year is None:
        customer = plan.customer or db.session.get(Customer, plan.customer_id)
        plan.frequency_per_year = suggested_frequency(customer.importance if customer else None)


def due_dates(year: int, frequency: int) -> list[date]:
    """The due dates of a year's plan: the end of each equal period of the year."""
    if 12 % frequency == 0:
        step = 12 // frequency
        return [
            date(year, m, calendar.monthrange(year, m)[1]) for m in range(step, 13, step)
        ]
    days = 366 if calendar.isleap(year) else 365
    start = date(year, 1, 1)
    return [start + timedelta(days=round(days * (k + 1) / frequency) - 1) for k in range(frequency)]


def generate_due_callbacks(today: date | None = None, horizon_days: int = 30) -> int:
    """Create the callbacks of active plans due up to today + horizon; idempotent. Returns how many."""
    today = today or clock.today_local()
    until = today + timedelta(days=horizon_days)
    plans = db.session.scalars(
        sa.select(CallbackPlan).where(
            CallbackPlan.active.is_(True), CallbackPlan.year.between(today.year, until.year)
        )
    ).all()
    if not plans:
        return 0
    existing = set(
        db.session.execute(
            sa.select(CallbackRecord.plan_id, CallbackRecord.due_date).where(
                CallbackRecord.plan_id.in_([p.id for p in plans])
            )
        ).tuples()
    )
    created = 0
    for plan in plans:
        prepare_plan(plan)
        for due in due_dates(plan.year, plan.frequency_per_year):
            if due > until or (plan.id, due) in existing:
                continue
            db.session.add(CallbackRecord(
                customer_id=plan.customer_id, plan_id=plan.id, due_date=due,
                status=CallbackStatus.due, method=plan.method, content=plan.content,
                caller_id=plan.owner_id,
            ))
            existing.add((plan.id, due))
            created += 1
    db.session.flush()
    return created


def _due_queries(today: date) -> dict[str, tuple[Any, list[Any], list[Any]]]:
    """(model, where, order) of each kind on the CS rep's due list."""
    since = today - timedelta(days=SOURCE_WINDOW_DAYS)
    called_tickets = sa.select(CallbackRecord.ticket_id).where(CallbackRecord.ticket_id.is_not(None))
    called_inspections = sa.select(CallbackRecord.inspection_id).where(CallbackRecord.inspection_id.is_not(None))
    return {
        "callbacks": (CallbackRecord, [CallbackRecord.status == CallbackStatus.due,
                                       CallbackRecord.due_date <= today + timedelta(days=7)],
                      [CallbackRecord.due_date, CallbackRecord.id]),
        # a surveyed ticket has had its call: nothing left to ask the customer
        "tickets": (Ticket, [Ticket.status == TicketStatus.closed, Ticket.closed_at >= since,
                             Ticket.id.not_in(called_tickets),
                             Ticket.id.not_in(sa.select(SatisfactionSurvey.ticket_id))],
                    [Ticket.closed_at, Ticket.id]),
        "inspections": (InspectionRecord, [InspectionRecord.status == InspectionStatus.done,
                                           InspectionRecord.inspected_on >= since,
                                           InspectionRecord.id.not_in(called_inspections)],
                        [InspectionRecord.inspected_on, InspectionRecord.id]),
    }


def due_list(today: date | None = None, limit: int | None = None) -> dict[str, list[Any]]:
    """The CS rep's to-do: due callbacks (oldest due first, overdue ones included), closed tickets
    not surveyed nor called back, and done inspections not yet called back.

    `limit` keeps the first rows of each list (the home-page panel); None: all of them.
    """
    queries = _due_queries(today or clock.today_local())
    return {kind: db.session.scalars(sa.select(model).where(*where).order_by(*order).limit(limit)).all()
            for kind, (model, where, order) in queries.items()}


def due_counts(today: date | None = None) -> dict[str, int]:
    """How many of each kind the due list holds, in one query."""
    queries = _due_queries(today or clock.today_local())
    counts = [sa.select(sa.func.count()).select_from(model).where(*where).scalar_subquery().label(kind)
              for kind, (model, where, _order) in queries.items()]
    return dict(db.session.execute(sa.select(*counts)).one()._mapping)


Source = TypeVar("Source", Ticket, InspectionRecord)


def _finished(model: type[Source], pk: int, done: object, field: str, missing: str, unfinished: str) -> Source:
    """The source a callback starts from, when it exists (404) and has ended (409)."""
    source: Source | None = db.session.get(model, pk)
    if source is None:
        raise DomainError({field: missing}, status=404)
    if source.status != done:
        raise DomainError({field: unfinished}, status=409)
    return source


def start_callback(*, ticket_id: int | None = None, inspection_id: int | None = None,
                   today: date | None = None) -> CallbackRecord:
    """A due callback for a closed ticket or a done inspection (one per source)."""
    today = today or clock.today_local()
    source: Ticket | InspectionRecord
    if ticket_id is not None:
        source = _finished(Ticket, ticket_id, TicketStatus.closed, "ticket",
                           _("No such ticket."), _("Only a closed ticket is called back."))
        column = CallbackRecord.ticket_id
    elif inspection_id is not None:
        source = _finished(InspectionRecord, inspection_id, InspectionStatus.done, "inspection",
                           _("No such inspection."), _("Only a done inspection is called back."))
        column = CallbackRecord.inspection_id
    else:
        raise DomainError(_("Give a ticket or an inspection."))
    if db.session.scalar(sa.select(CallbackRecord.id).where(column == source.id)):
        raise DomainError(_("This one already has a callback."), status=409)
    record = CallbackRecord(
        customer_id=source.customer_id, ticket_id=ticket_id, inspection_id=inspection_id,
        due_date=today, status=CallbackStatus.due, method=CallbackMethod.phone,
    )
    db.session.add(record)
    db.session.flush()
    return record


def check_callback(values: Any, pk: int | None = None) -> dict[str, str]:
    """Rules needing the database: same customer as the source, one callback per plan and due date."""
    errors = {}
    customer_id = _id(values, "customer")
    for field, model in (("plan", CallbackPlan), ("ticket", Ticket), ("inspection", InspectionRecord)):
        ref = _id(values, field)
        if ref is None:
            continue
        source = db.session.get(model, ref)
        if source is not None and customer_id is not None and source.customer_id != customer_id:
            errors[field] = _("It belongs to another customer.")
    plan_id, due = _id(values, "plan"), getattr(values, "due_date", None)
    if plan_id is not None and due is not None:
        clash = sa.select(CallbackRecord.id).where(
            CallbackRecord.plan_id == plan_id, CallbackRecord.due_date == due
        )
        if pk is not None:
            clash = clash.where(CallbackRecord.id != int(pk))
        if db.session.scalar(clash):
            errors["due_date"] = _("This plan already has a callback due on that date.")
    return errors


def _id(values: Any, field: str) -> int | None:
    """The id of a relation given as an object (forms, loaded items) or as `<field>_id`."""
    obj = getattr(values, field, None)
    if obj is not None and hasattr(obj, "id"):
        return int(obj.id)
    ref = getattr(values, f"{field}_id", None)
    return None if ref is None else int(ref)


def open_follow_up_ticket(record: CallbackRecord, staff_id: int | None = None, at: datetime | None = None) -> Ticket:
    """Turn a callback's new needs / follow-up actions into a ticket, once."""
    if record.follow_up_ticket_id:
        raise DomainError(_("This callback already opened ticket %(n)s.", n=record.follow_up_ticket.number),
                          status=409)
    text = "\n".join(t for t in (record.new_needs, record.follow_up, record.opinions) if t)
    if not text.strip():
        raise DomainError({"follow_up": _("Write the new needs or follow-up actions first.")})
    suggestion = not (record.follow_up or "").strip() and bool((record.new_needs or "").strip())
    ticket = ticket_links.open_ticket(
        customer_id=record.customer_id,
        title=SystemText("ticket.callback_follow_up", text=text.splitlines()[0][:80]),
        description=text,
        channel=Channel.email if record.method == CallbackMethod.email else (
            Channel.onsite if record.method == CallbackMethod.site else Channel.phone),
        category=Category.suggestion if suggestion else Category.consultation,
        received_by_id=staff_id, at=at,
    )
    record.follow_up_ticket_id = ticket.id
    return ticket


def complete(record: CallbackRecord, staff_id: int | None) -> None:
    """Fill in who made a callback marked done (the relation: a form may have set it to None)."""
    if record.status == CallbackStatus.done and record.caller is None and record.caller_id is None and staff_id:
        record.caller = db.session.get(Staff, staff_id)
