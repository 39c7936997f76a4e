"""Figures of the periodic after-sales report (000 §八(二)), every one a SQL aggregate."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import (
    CallbackRecord,
    Complaint,
    ComplaintStatus,
    Customer,
    Part,
    SatisfactionSurvey,
    Staff,
    StockBalance,
    StockMovement,
    Ticket,
    TicketStatus,
    Warehouse,
)
from ..models.base import utcnow
from ..models.stock import MovementKind
from ..models.tickets import Category, Severity
from . import kpi, kpi_figures
from .complaints import overdue_clause
from .report_period import Period
from .sla import OPEN_STATUSES

OPEN_TICKETS_LISTED = 500  # the open-issues sheet lists the oldest 500; the counts cover all
TOP_PARTS = 50


_bounds = clock.local_day_bounds  # the period's local days, as UTC instants


def _received(start: date, end: date) -> sa.ColumnElement[bool]:
    lo, hi = _bounds(start, end)
    return sa.and_(Ticket.received_at >= lo, Ticket.received_at < hi)


def by_severity(start: date, end: date, now: datetime) -> list[dict[str, Any]]:
    """Per severity: received, closed, on time / due (kpi.summary's definitions), mean response."""
    one = sa.literal(1)
    resolved = Ticket.resolved_at.is_not(None)
    rows = db.session.execute(
        sa.select(
            Ticket.severity, sa.func.count(Ticket.id),
            sa.func.count(sa.case((Ticket.status == TicketStatus.closed, one))),
            sa.func.count(sa.case((sa.and_(resolved, Ticket.resolved_at <= Ticket.resolve_by), one))),
            sa.func.count(sa.case((kpi.on_time_counted(now), one))),
            sa.func.avg(sa.case((Ticket.first_response_at.is_not(None),
                                 kpi_figures.minutes_between(Ticket.received_at, Ticket.first_response_at)))),
        ).where(_received(start, end)).group_by(Ticket.severity)
    ).all()
    found = {sev: (n, closed, on_time, due, avg) for sev, n, closed, on_time, due, avg in rows}
    result = []
    for sev in Severity:  # every severity, in order, zeros included
        n, closed, on_time, due, avg = found.get(sev, (0, 0, 0, 0, None))
        result.append({"key": sev, "tickets": n, "closed": closed, "on_time": on_time, "due": due,
                       "on_time_rate": kpi._rate(on_time, due),
                       "avg_response_minutes": None if avg is None else round(float(avg), 1)})
    return result


def count_by(column: Any, enum: Iterable[Any], start: date, end: date) -> list[tuple[Any, int]]:
    """(enum member, tickets received) for every member, zeros included."""
    found = dict(db.session.execute(
        sa.select(column, sa.func.count(Ticket.id)).where(_received(start, end)).group_by(column)).all())
    return [(member, found.get(member, 0)) for member in enum]


def satisfaction(start: date, end: date) -> dict[str, Any]:
    """Surveys of tickets received in the period (mean per score) and callbacks made in it."""
    s = SatisfactionSurvey
    surveys = db.session.execute(
        sa.select(sa.func.count(s.id), sa.func.avg(s.timeliness), sa.func.avg(s.effectiveness),
                  sa.func.avg(s.attitude))
        .join(Ticket, Ticket.id == s.ticket_id).where(_received(start, end))).one()
    lo, hi = _bounds(start, end)
    c = CallbackRecord
    callbacks = db.session.execute(
        sa.select(sa.func.count(c.id), sa.func.avg(c.score_function), sa.func.avg(c.score_performance),
                  sa.func.avg(c.score_quality), sa.func.avg(c.score_service))
        .where(c.called_at >= lo, c.called_at < hi)).one()
    def avg(v: Any) -> float | None:
        return None if v is None else round(float(v), 2)

    return {"surveys": surveys[0], "survey_means": [avg(v) for v in surveys[1:]],
            "callbacks": callbacks[0], "callback_means": [avg(v) for v in callbacks[1:]]}


def complaints(start: date, end: date, today: date) -> dict[str, Any]:
    """Complaints received in the period by status, and overdue ones (any period) today."""
    lo, hi = _bounds(start, end)
    found = dict(db.session.execute(
        sa.select(Complaint.status, sa.func.count(Complaint.id))
        .where(Complaint.received_at >= lo, Complaint.received_at < hi).group_by(Complaint.status)).all())
    overdue = db.session.scalar(sa.select(sa.func.count(Complaint.id)).where(overdue_clause(today)))
    return {"by_status": [(st, found.get(st, 0)) for st in ComplaintStatus],
            "received": sum(found.values()), "overdue_now": overdue}


def parts_consumption(start: date, end: date) -> list[tuple[Any, ...]]:
    """(code, name, unit, qty issued, value) of issue movements posted in the period, by value."""
    lo, hi = _bounds(start, end)
    m = StockMovement
    qty, value = sa.func.sum(-m.qty), sa.func.sum(-m.value)
    return [tuple(r) for r in db.session.execute(
        sa.select(Part.code, Part.name, Part.unit, qty, value).join(Part, Part.id == m.part_id)
        .where(m.kind == MovementKind.issue, m.posted_at >= lo, m.posted_at < hi)
        .group_by(Part.id, Part.code, Part.name, Part.unit).order_by(value.desc(), Part.code)).all()]


def stock_value() -> list[tuple[Any, ...]]:
    """(warehouse, parts on hand, value) today, from the running balances."""
    return [tuple(r) for r in db.session.execute(
        sa.select(Warehouse.name, sa.func.coalesce(sa.func.sum(StockBalance.qty), 0),
                  sa.func.coalesce(sa.func.sum(StockBalance.value), 0))
        .outerjoin(StockBalance, StockBalance.warehouse_id == Warehouse.id)
        .group_by(Warehouse.id, Warehouse.name).order_by(Warehouse.name)).all()]


def open_issues(now: datetime) -> dict[str, Any]:
    """Open tickets today (counts, overdue) and the oldest ones listed."""
    is_open = Ticket.status.in_(OPEN_STATUSES)
    overdue = sa.and_(Ticket.resolve_by.is_not(None), Ticket.resolve_by < now)
    total, late = db.session.execute(
        sa.select(sa.func.count(Ticket.id), sa.func.count(sa.case((overdue, 1)))).where(is_open)).one()
    rows = db.session.execute(
        sa.select(Ticket.number, Ticket.received_at, Customer.name, Ticket.title, Ticket.severity,
                  Ticket.status, Staff.name, Ticket.resolve_by)
        .join(Customer, Customer.id == Ticket.customer_id).outerjoin(Staff, Staff.id == Ticket.assignee_id)
        .where(is_open).order_by(Ticket.received_at).limit(OPEN_TICKETS_LISTED)).all()
    return {"open": total, "overdue": late, "rows": [tuple(r) for r in rows]}


def figures(period: Period, now: datetime | None = None) -> dict[str, Any]:
    """Everything the workbook shows, for the period and the one before."""
    now = now or utcnow()
    start, end = period.start, period.end
    return {
        "period": period, "now": now,
        "kpi": kpi.summary(start, end, now=now),
        "kpi_previous": kpi.summary(period.previous_start, period.previous_end, now=now),
        "by_severity": by_severity(start, end, now),
        "by_category": count_by(Ticket.category, Category, start, end),
        "by_status": count_by(Ticket.status, TicketStatus, start, end),
        "satisfaction": satisfaction(start, end),
        "complaints": complaints(start, end, clock.to_local(now).date()),
        "parts": parts_consumption(start, end)[:TOP_PARTS],
        "stock": stock_value(),
        "open": open_issues(now),
    }
