"""KPI summary of API.md, computed with SQL aggregates (DOMAIN.md "KPIs and reports").

- tickets: requests received in the period (every status).
- closed: of those, how many are closed.
- avg_response_minutes: mean of intake → first response, over those with a first response.
- on_time_rate: resolved by `resolve_by`, over those resolved plus those still open past it
  (cancelled ones do not count): `on_time_met` / `on_time_counted`, also used by the dashboard.
- success_rate: closed without ever being reopened, over closed.
- satisfaction: surveys whose mean score is 4 or more ("satisfied"), over surveys.
- complaint_satisfaction: rated complaints received in the period whose handling scored 4 or
  5, over rated complaints (app/services/complaints.py).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from .. import clock, figures
from ..extensions import db
from ..models import SatisfactionSurvey, Ticket, TicketStatus
from ..models.base import utcnow
from ..replica import reporting
from . import kpi_figures
from .complaints import complaint_satisfaction
from .sla import OPEN_STATUSES

# The summary: figure name -> a count, a rate or a mean (None when nothing was counted).
Summary = dict[str, float | None]

# name -> fn(received_from, received_before) -> value: extra figures other areas add.
KPI_EXTENSIONS: dict[str, Callable[[datetime, datetime], float | None]] = {}


def _rate(hits: float | None, total: float | None, places: int = 4) -> float | None:
    return None if not total else round(float(hits or 0) / float(total), places)


def open_past_deadline(now: datetime) -> sa.ColumnElement[bool]:
    """SQL: a ticket still open past its resolve-by time (the one figure that changes with time alone)."""
    return sa.and_(Ticket.status.in_(OPEN_STATUSES), Ticket.resolved_at.is_(None), Ticket.resolve_by < now)


def on_time_counted(now: datetime) -> sa.ColumnElement[bool]:
    """SQL: a ticket the on-time rate counts: resolved, or still open past resolve-by; not cancelled."""
    return sa.and_(Ticket.status != TicketStatus.cancelled,
                   sa.or_(Ticket.resolved_at.is_not(None), open_past_deadline(now)))


def on_time_met(now: datetime) -> sa.ColumnElement[bool]:
    """SQL: a counted ticket resolved by its resolve-by time (the rate's numerator)."""
    return sa.and_(on_time_counted(now), Ticket.resolved_at <= Ticket.resolve_by)


def summary_now(start: date, end: date) -> Summary:
    """The summary as of now, kept across requests until the next save (app/figures.py)."""
    def compute() -> Summary:
        with reporting():
            return summary(start, end)

    return figures.remember("kpi", {"from": start, "to": end}, compute)


def _survey_counts(lo: datetime, hi: datetime, tickets: int) -> tuple[int, int]:
    """(surveys, satisfied) of the tickets received in [lo, hi).

    SQLite, without statistics, always walks the period's tickets and probes the surveys for
    each (40 ms for the 200 000 tickets of a year, however few surveys there are); when the
    whole survey table is smaller than the period's tickets it is cheaper the other way round:
    each survey looks its ticket's received_at up by primary key. The same rows either way.
    """
    if not tickets:  # every survey belongs to a ticket: none received, none surveyed
        return 0, 0
    counts = sa.select(*kpi_figures.survey_figures())
    if db.engine.dialect.name == "sqlite" and tickets > db.session.scalar(
            sa.select(sa.func.count()).select_from(SatisfactionSurvey)):
        received = sa.select(Ticket.received_at).where(Ticket.id == SatisfactionSurvey.ticket_id).scalar_subquery()
        query = counts.where(received >= lo, received < hi)
    else:
        query = counts.join(Ticket, Ticket.id == SatisfactionSurvey.ticket_id).where(
            Ticket.received_at >= lo, Ticket.received_at < hi)
    surveys, satisfied = db.session.execute(query).one()
    return surveys, satisfied


def _live_figures(lo: datetime, hi: datetime) -> dict[str, Any]:
    """The summary's counts from the tickets themselves (periods not made of whole UTC hours)."""
    session = db.session
    values = session.execute(sa.select(*kpi_figures.ticket_figures()).where(
        Ticket.received_at >= lo, Ticket.received_at < hi)).one()
    figures_ = dict(zip(kpi_figures.TICKET_FIELDS, values, strict=True))
    figures_["surveys"], figures_["satisfied"] = _survey_counts(lo, hi, figures_["tickets"])
    return figures_


def late_open(lo: datetime, hi: datetime, now: datetime) -> int:
    """Tickets received in [lo, hi) still open past their resolve-by time, counted live."""
    return db.session.scalar(sa.select(sa.func.count(Ticket.id)).where(
        open_past_deadline(now), Ticket.received_at >= lo, Ticket.received_at < hi)) or 0


def period_figures(lo: datetime, hi: datetime, now: datetime, live: bool = False) -> dict[str, Any]:
    """The counts behind the summary: the stored hours where the period is whole UTC hours."""
    stored = None if live else kpi_figures.stored(db.session, lo, hi)
    return {**(stored or _live_figures(lo, hi)), "late_open": late_open(lo, hi, now)}


def summary(start: date, end: date, now: datetime | None = None) -> Summary:
    """The KPI summary of tickets received from `start` to `end` (both days included)."""
    now = now or utcnow()
    lo, hi = clock.local_day_bounds(start, end)  # the local days, as UTC instants
    f = period_figures(lo, hi, now)
    result: Summary = {
        "tickets": f["tickets"],
        "closed": f["closed"],
        "avg_response_minutes": round(f["response_minutes"] / f["responded"], 1) if f["responded"] else None,
        "on_time_rate": _rate(f["resolved_on_time"], f["resolved_counted"] + f["late_open"]),
        "success_rate": _rate(f["closed_first_time"], f["closed"]),
        "satisfaction": _rate(f["satisfied"], f["surveys"]),
        "complaint_satisfaction": complaint_satisfaction(lo, hi),
    }
    for name, fn in KPI_EXTENSIONS.items():
        result[name] = fn(lo, hi)
    return result
